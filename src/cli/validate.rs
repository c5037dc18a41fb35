//! `scopeform validate [PATH…]`: every problem of the configuration at once, then a summary.

use std::io::Write;
use std::path::PathBuf;

use super::{CommandError, Context, Outcome};
use crate::diagnostic;
use crate::loader;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration directories (every *.yaml, *.yml and *.hcl file in them) and files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to print problems: text, json, or github (Actions annotations, shown inline in a
    /// pull request).
    #[arg(long, value_enum, default_value_t)]
    format: DiagnosticFormat,
}

/// `--format` of the commands that report problems in files (`validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiagnosticFormat {
    #[default]
    Text,
    Json,
    Github,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let loaded = loader::load(&args.paths);
    let valid = loaded.desired.is_some() && !loaded.has_errors();
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
