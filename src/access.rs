//! Effective permissions.
