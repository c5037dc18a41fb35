//! Renderers: they take what to show and a writer, and never decide anything.

pub mod annotations;
pub mod config_diff;
pub mod diagnostics;
pub mod drift;
pub mod explain;
pub mod lint;
pub mod plan;
