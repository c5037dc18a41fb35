//! Loading the configuration for commands that need a valid one: diagnostics go to stderr, and
//! any error stops the command.

use std::io::Write;
use std::path::PathBuf;

use super::{CommandError, Context};
use crate::config;
use crate::diagnostic;
use crate::model::Desired;

/// Loads and validates `paths`, printing warnings and errors; `Err` when there is an error.
pub fn desired(paths: &[PathBuf], ctx: &Context) -> Result<Desired, CommandError> {
    let loaded = config::load(paths);
    if !loaded.diagnostics.is_empty() {
        let mut rendered = Vec::new();
        diagnostic::render_all(&mut rendered, &loaded.diagnostics, true)?;
        rendered.push(b'\n');
        ctx.stderr().write_all(&rendered)?;
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    match loaded.desired {
        Some(desired) if errors == 0 => Ok(desired),
        _ => Err(CommandError::new(format!(
            "the configuration is invalid ({errors} error{})",
            if errors == 1 { "" } else { "s" }
        ))),
    }
}

/// A runtime for the network work of one command.
pub fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}
