//! `scopeform lint`: audit findings on the configuration, and on the live registry when one is
//! named (`--state FILE`, or `--live` for the configuration's registry). Exit 1 when any
//! finding is an error.

use std::path::PathBuf;

use super::tally::Tally;
use super::workspace::{self, JobsArgs, ReportFormat, Selected, WorkspaceArgs, paths_or_here};
use super::{CommandError, Context, LiveArgs, Outcome, load};
use crate::live::Backend;
use crate::model::LintLevel;
use crate::render;

#[derive(Debug, Clone, clap::Args)]
pub(super) struct Args {
    /// Configuration directories and files [default: the current directory, or the workspace
    /// file there].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    workspace: WorkspaceArgs,
    #[command(flatten)]
    jobs: JobsArgs,
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
pub(super) enum LintFormat {
    #[default]
    Text,
    Json,
    Markdown,
    Github,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    if let Some(selected) = args.workspace.select(&args.paths, ctx)? {
        return run_workspace(args, &selected, ctx);
    }
    let desired = load::desired(&paths_or_here(&args.paths), ctx)?;
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
    let errors = findings
        .iter()
        .filter(|f| f.severity == LintLevel::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == LintLevel::Warning)
        .count();
    let count = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
    ctx.tally = Some(Tally::new(
        format!("{}, {}", count(errors, "error"), count(warnings, "warning")),
        vec![("errors", errors), ("warnings", warnings)],
    ));
    Ok(if errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// `lint --workspace`: each registry audited as a configuration of its own, `--jobs` at once.
fn run_workspace(args: &Args, selected: &Selected, ctx: &Context) -> Result<Outcome, CommandError> {
    let runs = workspace::run_each(
        selected,
        args.jobs.count(),
        ctx,
        |registry| {
            let mut one = args.clone();
            one.workspace = WorkspaceArgs::default();
            one.paths.clone_from(&registry.paths);
            one.live = selected.live_for(&args.live, registry)?;
            Ok(one)
        },
        run,
    );
    let format = match args.format {
        LintFormat::Text => ReportFormat::Text,
        LintFormat::Json => ReportFormat::Json,
        LintFormat::Markdown => ReportFormat::Markdown,
        LintFormat::Github => ReportFormat::Github,
    };
    workspace::report("lint", selected, &runs, format, ctx)
}
