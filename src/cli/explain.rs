//! `scopeform explain`: a token's effective permissions and the rules behind them, or every
//! token with access to a repository.

use std::path::PathBuf;

use super::{CommandError, Context, Outcome, OutputFormat, load};
use crate::access::explain::{explain_repository, explain_token};
use crate::model::validate_repository_name;
use crate::render;

#[derive(Debug, clap::Args)]
// Either flag alone is a question: naming only `--token` as required misled users.
#[command(group(clap::ArgGroup::new("subject").args(["token", "repository"]).required(true).multiple(true)))]
pub(super) struct Args {
    /// Configuration directories and files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// The token to explain.
    #[arg(long, value_name = "NAME")]
    token: Option<String>,
    /// A repository (such as `samples/hello-world`): with --token, the token's permissions on
    /// it; alone, every token with access to it.
    #[arg(long, value_name = "REPOSITORY")]
    repository: Option<String>,
    /// How to print the report: text, json or markdown.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    if let Some(repository) = &args.repository {
        validate_repository_name(repository).map_err(|e| {
            CommandError::usage(format!("`{repository}` is not a repository name: {e}"))
        })?;
    }
    let desired = load::desired(&args.paths, ctx)?;
    let mut out = ctx.stdout();
    match (&args.token, &args.repository) {
        (Some(token), repository) => {
            let report = explain_token(&desired, token, repository.as_deref())?;
            match args.format {
                OutputFormat::Json => render::explain::token_json(&report, &mut out)?,
                _ => render::explain::token_text(&report, &mut out)?,
            }
        }
        (None, Some(repository)) => {
            let reports = explain_repository(&desired, repository);
            match args.format {
                OutputFormat::Json => {
                    render::explain::repository_json(repository, &reports, &mut out)?;
                }
                _ => render::explain::repository_text(repository, &reports, &mut out)?,
            }
        }
        (None, None) => return Err(CommandError::usage("give --token, --repository or both")),
    }
    Ok(Outcome::Success)
}
