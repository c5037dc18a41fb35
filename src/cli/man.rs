//! `scopeform man [COMMAND]` (hidden): the man page of scopeform or of one command, rendered
//! from the same clap definition as `--help`. Release archives carry them as
//! `share/man/man1/scopeform.1` and `scopeform-COMMAND.1`.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, CommandError, Context, Outcome};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The command whose page to print (`plan` prints scopeform-plan(1)); none: scopeform(1).
    command: Option<String>,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    // The page names the version alone: the commit changes with every commit, the page not.
    let mut cli = Cli::command().version(env!("CARGO_PKG_VERSION"));
    cli.build();
    let page = match &args.command {
        None => cli,
        Some(name) => {
            let Some(command) = cli.find_subcommand(name).filter(|c| !c.is_hide_set()) else {
                return Err(CommandError::usage(format!("no command `{name}`")));
            };
            // clap takes a command's name as &'static str; one page per process, so the leak is
            // one short string.
            let page_name: &'static str = format!("scopeform-{name}").leak();
            command
                .clone()
                .name(page_name)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    // Rendered into memory first, as completions are: a closed pipe is an error, not a panic.
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    ctx.stdout().write_all(&roff)?;
    Ok(Outcome::Success)
}
