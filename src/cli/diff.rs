//! `scopeform diff OLD NEW`: the access difference between two configurations, each a directory,
//! a file or `git:REV:PATH`. Exit 0 when there is none, 2 when there are differences.

use super::{CommandError, Context, Outcome, OutputFormat, load};
use crate::access::config_diff::config_diff;
use crate::render;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration before: a directory, a file, or `git:REV:PATH` (such as `git:main:.`).
    old: String,
    /// The configuration after, in the same forms.
    new: String,
    /// How to print the differences: text, json or markdown (for a PR comment).
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let old = load::desired_arg(&args.old, ctx)?;
    let new = load::desired_arg(&args.new, ctx)?;
    let diff = config_diff(&old, &new);
    let mut out = ctx.stdout();
    match args.format {
        OutputFormat::Text => render::config_diff::text(&diff, &mut out, ctx.stdout_colored())?,
        OutputFormat::Markdown => render::config_diff::markdown(&diff, &mut out)?,
        OutputFormat::Json => render::config_diff::json(&diff, &mut out)?,
    }
    Ok(if diff.is_empty() {
        Outcome::Success
    } else {
        Outcome::Changes
    })
}
