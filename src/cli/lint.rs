//! `scopeform lint`: audit findings on the configuration, and on the live registry when one is
//! named (`--state FILE`, or `--live` for the configuration's registry). Exit 1 when any
//! finding is an error.

use std::path::PathBuf;

use chrono::Utc;

use super::{CommandError, Context, LiveArgs, Outcome, OutputFormat, load};
use crate::lint::Severity;
use crate::live::Backend;
use crate::render;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration directories and files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
    /// Also lint the live registry the configuration names (implied by --state).
    #[arg(long = "live")]
    read_live: bool,
    /// How to print the findings: text, json or markdown.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let desired = load::desired(&args.paths, ctx)?;
    let live = if args.read_live || args.live.state.is_some() {
        let backend = args.live.backend(Some(&desired), ctx)?;
        Some(load::runtime()?.block_on(backend.read())?)
    } else {
        None
    };
    let findings = crate::lint::lint(Some(&desired), live.as_ref(), Utc::now());
    let mut out = ctx.stdout();
    match args.format {
        OutputFormat::Text => render::lint::text(&findings, &mut out, ctx.stdout_colored())?,
        OutputFormat::Markdown => render::lint::markdown(&findings, &mut out)?,
        OutputFormat::Json => render::lint::json(&findings, &mut out)?,
    }
    let errors = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if errors {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
