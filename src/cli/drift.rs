//! `scopeform drift`: where the live registry differs from the configuration. Exit 0 in sync,
//! 2 on drift, 1 on error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::Utc;

use super::{CommandError, Context, LiveArgs, Outcome, OutputFormat, load};
use crate::live::Backend;
use crate::render;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration directories and files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let mut desired = load::desired(&args.paths, ctx)?;
    args.live.override_coordinates(&mut desired)?;
    let backend = args.live.backend(Some(&desired), ctx)?;
    let live = load::runtime()?.block_on(backend.read())?;
    let drift = crate::drift::detect(&desired, &live, Utc::now(), &BTreeMap::new());
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
