//! `scopeform completions SHELL`.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CommandError, Context, Outcome};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The shell to write completions for.
    shell: Shell,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    // Rendered into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "scopeform", &mut script);
    ctx.stdout().write_all(&script)?;
    Ok(Outcome::Success)
}
