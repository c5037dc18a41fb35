//! `scopeform validate [PATH…]`: every problem of the configuration at once, then a summary.

use std::io::Write;
use std::path::PathBuf;

use super::tally::Tally;
use super::workspace::{self, JobsArgs, ReportFormat, Selected, WorkspaceArgs, paths_or_here};
use super::{CommandError, Context, Outcome};
use crate::diagnostic;
use crate::loader;

#[derive(Debug, Clone, clap::Args)]
pub(super) struct Args {
    /// Configuration directories (every *.yaml, *.yml and *.hcl file in them) and files
    /// [default: the current directory, or the workspace file there].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    workspace: WorkspaceArgs,
    #[command(flatten)]
    jobs: JobsArgs,
    /// How to print problems: text, json, or github (Actions annotations, shown inline in a
    /// pull request).
    #[arg(long, value_enum, default_value_t)]
    format: DiagnosticFormat,
}

/// `--format` of the commands that report problems in files (`validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(super) enum DiagnosticFormat {
    #[default]
    Text,
    Json,
    Github,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    if let Some(selected) = args.workspace.select(&args.paths, ctx)? {
        return run_workspace(args, &selected, ctx);
    }
    let loaded = loader::load(&paths_or_here(&args.paths));
    let valid = loaded.desired.is_some() && !loaded.has_errors();
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    ctx.tally = Some(Tally::new(
        format!(
            "{}: {}, {}",
            if valid { "valid" } else { "invalid" },
            plural(errors, "error"),
            plural(loaded.warning_count(), "warning")
        ),
        vec![("errors", errors), ("warnings", loaded.warning_count())],
    ));
    match args.format {
        DiagnosticFormat::Text => text(&loaded, ctx)?,
        DiagnosticFormat::Github => {
            crate::render::annotations::diagnostics(&loaded.diagnostics, &mut ctx.stdout())?;
        }
        // The report says everything, the summary included.
        DiagnosticFormat::Json => {
            crate::render::diagnostics::json(&loaded.diagnostics, &mut ctx.stdout())?;
            return Ok(if valid {
                Outcome::Success
            } else {
                Outcome::Failed
            });
        }
    }
    summarize(&loaded, ctx)
}

/// `validate --workspace`: each registry's configuration checked on its own, `--jobs` at once.
fn run_workspace(args: &Args, selected: &Selected, ctx: &Context) -> Result<Outcome, CommandError> {
    let runs = workspace::run_each(
        selected,
        args.jobs.count(),
        ctx,
        |registry| {
            let mut one = args.clone();
            one.workspace = WorkspaceArgs::default();
            one.paths.clone_from(&registry.paths);
            Ok(one)
        },
        run,
    );
    let format = match args.format {
        DiagnosticFormat::Text => ReportFormat::Text,
        DiagnosticFormat::Json => ReportFormat::Json,
        DiagnosticFormat::Github => ReportFormat::Github,
    };
    workspace::report("validate", selected, &runs, format, ctx)
}

fn text(loaded: &loader::Loaded, ctx: &Context) -> Result<(), CommandError> {
    // Rendered styled; the stderr stream strips the styles unless colour is on.
    let mut rendered = Vec::new();
    diagnostic::render_all(&mut rendered, &loaded.diagnostics)?;
    if !loaded.diagnostics.is_empty() {
        rendered.push(b'\n');
    }
    ctx.stderr().write_all(&rendered)?;
    Ok(())
}

fn summarize(loaded: &loader::Loaded, ctx: &Context) -> Result<Outcome, CommandError> {
    let warnings = plural(loaded.warning_count(), "warning");
    match &loaded.desired {
        Some(desired) if !loaded.has_errors() => {
            let user_scope_maps = desired.scope_maps.len();
            let mut summary = format!(
                "configuration is valid: {}, {}, {}",
                plural(user_scope_maps, "scope map"),
                plural(desired.tokens.len(), "token"),
                plural(desired.connected_registries.len(), "connected registry"),
            );
            if loaded.warning_count() > 0 {
                summary = format!("{summary} ({warnings})");
            }
            writeln!(ctx.stdout(), "{summary}")?;
            Ok(Outcome::Success)
        }
        _ => {
            let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            let mut summary = format!("configuration is invalid: {}", plural(errors, "error"));
            if loaded.warning_count() > 0 {
                summary = format!("{summary}, {warnings}");
            }
            writeln!(ctx.stderr(), "{summary}")?;
            Ok(Outcome::Failed)
        }
    }
}

fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "connected registry") => format!("{count} connected registries"),
        _ => format!("{count} {noun}s"),
    }
}
