//! `scopeform diff OLD NEW`: the access difference between two configurations, each a directory,
//! a file or `git:REV:PATH`. Exit 0 when there is none, 2 when there are differences. A
//! `git:REV:PATH` whose path did not exist at the revision is an empty configuration, as the
//! base of `plan --base` is.

use std::io::Write;

use super::git_config::GitPath;
use super::{CommandError, Context, Outcome, OutputFormat, load};
use crate::access::config_diff::config_diff;
use crate::model::Desired;
use crate::render;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The configuration before: a directory, a file, or `git:REV:PATH` (such as `git:main:.`).
    old: String,
    /// The configuration after, in the same forms.
    new: String,
    /// How to print the differences: text, json or markdown (for a PR comment).
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let old = load::desired_arg(&args.old, ctx)?;
    let new = load::desired_arg(&args.new, ctx)?;
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (None, Some(new)) => (empty(&args.old, &new, ctx)?, new),
        (Some(old), None) => {
            let new_empty = empty(&args.new, &old, ctx)?;
            (old, new_empty)
        }
        (None, None) => {
            return Err(CommandError::new(format!(
                "neither `{}` nor `{}` existed at its revision",
                args.old, args.new
            )));
        }
    };
    let diff = config_diff(&old, &new);
    let mut out = ctx.stdout();
    match args.format {
        OutputFormat::Text => render::config_diff::text(&diff, &mut out)?,
        OutputFormat::Markdown => render::config_diff::markdown(&diff, &mut out)?,
        OutputFormat::Json => render::config_diff::json(&diff, &mut out)?,
    }
    Ok(if diff.is_empty() {
        Outcome::Success
    } else {
        Outcome::Changes
    })
}

/// The empty configuration `arg` stands for, said on stderr: nothing declared, for the
/// registry `other` describes.
fn empty(arg: &str, other: &Desired, ctx: &Context) -> Result<Desired, CommandError> {
    if let Some(Ok(git_path)) = GitPath::parse(arg) {
        writeln!(
            ctx.stderr(),
            "`{}` did not exist at {}: comparing with an empty configuration.",
            git_path.path.display(),
            git_path.rev
        )?;
    }
    Ok(Desired::empty(other.registry.clone()))
}
