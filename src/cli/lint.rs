//! `scopeform lint`: audit findings on the configuration, and on the live registry when one is
//! named (`--state FILE`, or `--live` for the configuration's registry). Exit 1 when any
//! finding is an error.

use std::path::PathBuf;

use super::{CommandError, Context, LiveArgs, Outcome, load};
use crate::live::Backend;
use crate::model::LintLevel;
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
    /// How to print the findings: text, json, markdown, or github (Actions annotations, shown
    /// inline in a pull request).
    #[arg(long, value_enum, default_value_t)]
    format: LintFormat,
}

/// `lint --format`: the report formats, and GitHub Actions annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LintFormat {
    #[default]
    Text,
    Json,
    Markdown,
    Github,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let desired = load::desired(&args.paths, ctx)?;
    let live = if args.read_live || args.live.state.is_some() {
        let backend = args.live.backend(Some(&desired), ctx)?;
        Some(load::runtime()?.block_on(backend.read())?)
    } else {
        None
    };
    let findings = crate::lint::lint(Some(&desired), live.as_ref(), super::clock::now(ctx)?);
    let mut out = ctx.stdout();
    match args.format {
        LintFormat::Text => render::lint::text(&findings, &mut out)?,
        LintFormat::Markdown => render::lint::markdown(&findings, &mut out)?,
        LintFormat::Json => render::lint::json(&findings, &mut out)?,
        LintFormat::Github => render::annotations::findings(&findings, &mut out)?,
    }
    let errors = findings.iter().any(|f| f.severity == LintLevel::Error);
    Ok(if errors {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}
