//! The command line: clap arguments, one file per command, and the one place that turns
//! command results into exit codes.

mod apply;
mod clock;
mod common;
mod completions;
mod diff;
mod drift;
mod exit;
mod explain;
mod export;
mod fmt;
mod git_config;
mod key_vault;
mod lint;
mod live_args;
mod load;
mod man;
mod plan;
mod schema;
mod show;
mod snapshot;
mod tally;
mod validate;
mod workspace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) use common::{ColorChoice, Context, OutputFormat};
pub(crate) use exit::{CommandError, Outcome};
pub(crate) use live_args::{Access, KeyVaultArgs, LiveArgs};

/// What `--version` prints after the name: the version and the commit built from (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("SCOPEFORM_COMMIT"),
    ")"
);

/// Manage Azure Container Registry tokens, scope maps and wildcard rules as code.
#[derive(Debug, Parser)]
#[command(name = "scopeform", version = VERSION, about, max_term_width = 100)]
pub struct Cli {
    /// When to colour output: auto (terminals, unless NO_COLOR is set; CLICOLOR_FORCE colours
    /// pipes too), always (pipes and CI logs included) or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Explain what is being done on stderr (requests, retries, timings). Never prints secrets.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the configuration and print every problem at once.
    Validate(validate::Args),
    /// Compare the configuration with the live registry and print the changes.
    Plan(plan::Args),
    /// Carry out the plan (or a saved plan) against the live registry.
    Apply(apply::Args),
    /// Report where the live registry differs from the configuration.
    Drift(drift::Args),
    /// Show the access difference between two configurations (paths or git:REV:PATH).
    Diff(diff::Args),
    /// Show a token's effective permissions, or who can access a repository.
    Explain(explain::Args),
    /// Audit the configuration (and the live registry) for risky or wasteful access.
    Lint(lint::Args),
    /// Print the JSON Schema of the YAML configuration.
    Schema(schema::Args),
    /// Print a saved plan (from `plan --out`) without touching the registry.
    Show(show::Args),
    /// Write the live registry's state to a snapshot file.
    Snapshot(snapshot::Args),
    /// Write a configuration that reproduces the live registry.
    Export(export::Args),
    /// Rewrite configuration files in the canonical layout; --check lists those that differ.
    Fmt(fmt::Args),
    /// Print shell completions.
    Completions(completions::Args),
    /// Print the man page (roff), for release archives.
    #[command(hide = true)]
    Man(man::Args),
}

/// Parses the command line, runs the command and maps its result to an exit status:
/// 0 success, 1 error, 2 changes or differences, 64 usage error.
pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let usage_error = err.use_stderr();
            // A failed print of help or of an error (say, a closed pipe) changes nothing.
            let _ = err.print();
            return if usage_error {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut ctx = Context::new(cli.color, cli.verbose);
    let result = match cli.command {
        Command::Completions(args) => completions::run(&args, &mut ctx),
        Command::Man(args) => man::run(&args, &mut ctx),
        Command::Validate(args) => validate::run(&args, &mut ctx),
        Command::Plan(args) => plan::run(&args, &mut ctx),
        Command::Apply(args) => apply::run(&args, &mut ctx),
        Command::Drift(args) => drift::run(&args, &mut ctx),
        Command::Diff(args) => diff::run(&args, &mut ctx),
        Command::Explain(args) => explain::run(&args, &mut ctx),
        Command::Lint(args) => lint::run(&args, &mut ctx),
        Command::Schema(args) => schema::run(&args, &mut ctx),
        Command::Show(args) => show::run(&args, &mut ctx),
        Command::Snapshot(args) => snapshot::run(&args, &mut ctx),
        Command::Export(args) => export::run(&args, &mut ctx),
        Command::Fmt(args) => fmt::run(&args, &mut ctx),
    };
    exit::finish(result, &mut ctx)
}
