//! scopeform: Azure Container Registry access (tokens, scope maps, wildcard rules) as code.
//!
//! The pipeline: `config` reads files into a raw tree with spans, `validate` turns it into the
//! `model::Desired`, `live` reads the registry into a `model::Live`, `plan` diffs the two,
//! `render` prints the plan, `apply` carries it out. `cli` is the only module that knows about
//! flags, the environment and exit codes.

pub mod access;
pub mod apply;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod drift;
pub mod export;
pub mod lint;
pub mod live;
pub mod model;
pub mod plan;
pub mod render;
#[cfg(test)]
pub(crate) mod testing;
pub mod validate;

/// Runs the command line and returns the process exit status.
pub fn run() -> std::process::ExitCode {
    cli::main()
}
