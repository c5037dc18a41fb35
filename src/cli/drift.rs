//! `scopeform drift`: where the live registry differs from the configuration. Exit 0 in sync,
//! 2 on drift, 1 on error.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::{CommandError, Context, LiveArgs, Outcome, OutputFormat, load};
use crate::apply::SecretsFile;
use crate::drift::RecordedCreations;
use crate::render;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration directories and files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
    /// The secrets file `apply --secrets-out` wrote: a live password created after the one it
    /// recorded was rotated by someone else.
    #[arg(long, value_name = "FILE")]
    secrets: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let (desired, live) = load::desired_and_live(&args.paths, &args.live, ctx)?;
    let recorded = match &args.secrets {
        Some(path) => recorded_creations(path)?,
        None => RecordedCreations::new(),
    };
    let drift = crate::drift::detect(&desired, &live, Utc::now(), &recorded);
    let mut out = ctx.stdout();
    match args.format {
        OutputFormat::Text => render::drift::text(&drift, &mut out, ctx.stdout_colored())?,
        OutputFormat::Markdown => render::drift::markdown(&drift, &mut out)?,
        OutputFormat::Json => render::drift::json(&drift, &mut out)?,
    }
    Ok(if drift.is_empty() {
        Outcome::Success
    } else {
        Outcome::Changes
    })
}

/// The creation times the secrets file recorded. A missing file is an error here: the user
/// named it to be compared with.
fn recorded_creations(path: &Path) -> Result<RecordedCreations, CommandError> {
    if !path.exists() {
        return Err(CommandError::new(format!(
            "secrets file {} does not exist",
            path.display()
        )));
    }
    let file = SecretsFile::open(path)?;
    Ok(file
        .creation_times()
        .map(|(token, slot, time)| ((token.to_owned(), slot), time))
        .collect())
}
