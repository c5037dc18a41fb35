//! The emulator's API tests, one binary (one per file linked a binary each).

mod async_ops;
mod binary;
mod common;
mod examples;
mod faults;
mod key_vault;
mod paging;
mod passwords;
mod persistence;
mod real_azure;
mod validation;
