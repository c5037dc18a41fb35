//! scopeform: Azure Container Registry access (tokens, scope maps, wildcard rules) as code.
//!
//! The pipeline: `config` reads files into a raw tree with spans, `validate` turns it into the
//! `model::Desired` (`loader` sequences the two), `live` reads the registry into a
//! `model::Live`, `plan` diffs the two, `render` prints the plan, `apply` carries it out. `cli`
//! is the only module that knows about flags, the environment and exit codes.

// Crate-private by default: a `pub` item must be reachable from outside (the `stages` below),
// so that an item nothing uses is reported dead. Not in test builds, where nothing is.
#![cfg_attr(not(test), warn(unreachable_pub))]

mod access;
mod apply;
mod cli;
mod config;
mod diagnostic;
mod drift;
mod export;
mod fmt;
mod lint;
mod live;
mod loader;
mod model;
mod plan;
mod render;
#[cfg(test)]
pub(crate) mod testing;
mod validate;

pub use cli::Cli;

/// The pipeline's stages as the benchmarks and fuzz targets drive them, one by one. Not an API
/// for anyone else: every other item is crate-private (`unreachable_pub` keeps it so).
#[doc(hidden)]
pub mod stages {
    pub use crate::config::{hcl_readers_agree, yaml_readers_agree};
    pub use crate::diagnostic::{SourceFile, render_all};
    pub use crate::fmt::format as format_file;
    pub use crate::live::parse_snapshot;
    pub use crate::loader::load_sources;
    pub use crate::plan::diff;
    pub use crate::plan::saved::read as read_saved_plan;
    pub use crate::render::plan::json::render as render_plan_json;
}

/// Runs the command line and returns the process exit status.
pub fn run() -> std::process::ExitCode {
    cli::main()
}
