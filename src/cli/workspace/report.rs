//! A workspace's runs as one report: each registry's own report in a section of its own,
//! unchanged, then one summary line per registry and a total; and one exit status, the most
//! severe of the runs' (a usage error, then an error, then changes, then none).
//!
//! The sections were rendered by the single-registry renderers, which escape what they quote;
//! what is added here (registry names are checked to `[A-Za-z0-9_-]`, error messages are not)
//! goes through the same escaping: `terminal` for text, `markdown_text` for Markdown, the one
//! JSON writer for JSON, the annotation escaping for GitHub.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::{RegistryRun, Selected};
use crate::cli::tally::Tally;
use crate::cli::{CommandError, Context, Outcome};
use crate::render::annotations::escape_data;
use crate::render::untrusted::{markdown_code, markdown_text, terminal};

/// How the combined report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportFormat {
    Text,
    Markdown,
    Json,
    Github,
}

/// Prints `runs` as one report of `command` and returns the workspace's outcome: the most
/// severe run's. A usage error in any registry is a usage error of the whole.
pub(crate) fn report(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    format: ReportFormat,
    ctx: &Context,
) -> Result<Outcome, CommandError> {
    let mut stderr = ctx.stderr();
    for run in runs {
        if !run.stderr.is_empty() || run.result.is_err() {
            writeln!(stderr, "registry {}:", run.name)?;
            stderr.write_all(&run.stderr)?;
            if let Err(err) = &run.result {
                crate::cli::exit::print_error(&mut stderr, err, Context::styles())?;
            }
        }
    }
    drop(stderr);
    let mut out = std::io::BufWriter::new(ctx.stdout());
    match format {
        ReportFormat::Text => text(command, selected, runs, &mut out)?,
        ReportFormat::Markdown => markdown(command, selected, runs, &mut out)?,
        ReportFormat::Json => json(command, selected, runs, &mut out)?,
        ReportFormat::Github => github(command, runs, &mut out)?,
    }
    out.flush()?;
    outcome(runs)
}

/// The summary lines alone, for runs whose output was printed as they went (`apply`).
pub(crate) fn summarize(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    ctx: &Context,
) -> Result<Outcome, CommandError> {
    let mut out = ctx.stdout();
    summary_text(command, selected, runs, &mut out)?;
    outcome(runs)
}

/// The most severe run's outcome.
fn outcome(runs: &[RegistryRun]) -> Result<Outcome, CommandError> {
    let rank = |code: u8| match code {
        0 => 0,
        2 => 1,
        1 => 2,
        _ => 3,
    };
    let worst = runs
        .iter()
        .map(RegistryRun::exit_code)
        .max_by_key(|&c| rank(c));
    match worst {
        Some(crate::cli::exit::USAGE) => {
            let failed: Vec<&str> = runs
                .iter()
                .filter(|r| r.exit_code() == crate::cli::exit::USAGE)
                .map(|r| r.name.as_str())
                .collect();
            Err(CommandError::usage(format!(
                "usage error in registr{} {}",
                if failed.len() == 1 { "y" } else { "ies" },
                failed.join(", ")
            )))
        }
        Some(1) => Ok(Outcome::Failed),
        Some(2) => Ok(Outcome::Changes),
        _ => Ok(Outcome::Success),
    }
}

/// A run's one-line result: its tally, or what its exit status says.
fn line(run: &RegistryRun) -> String {
    match (&run.result, &run.tally) {
        (Err(_), _) => format!("failed: {}", run.error().unwrap_or_default()),
        (Ok(_), Some(tally)) => tally.line.clone(),
        (Ok(Outcome::Success), None) => "done".to_owned(),
        (Ok(Outcome::Changes), None) => "changes".to_owned(),
        (Ok(Outcome::Failed), None) => "failed".to_owned(),
    }
}

fn status(run: &RegistryRun) -> &'static str {
    match run.exit_code() {
        0 => "ok",
        2 => "changes",
        _ => "failed",
    }
}

/// `Total: 2 to create, …; 1 of 3 registries failed (staging)`.
fn total(runs: &[RegistryRun]) -> String {
    let counts = Tally::sum(runs.iter().filter_map(|r| r.tally.as_ref()));
    let mut parts: Vec<String> = Vec::new();
    if !counts.is_empty() {
        parts.push(
            counts
                .iter()
                .map(|(label, n)| format!("{n} {label}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    let named = |wanted: &str| -> Vec<&str> {
        runs.iter()
            .filter(|r| status(r) == wanted)
            .map(|r| r.name.as_str())
            .collect()
    };
    let with_changes = named("changes");
    if !with_changes.is_empty() {
        parts.push(format!(
            "{} of {} with changes ({})",
            with_changes.len(),
            runs.len(),
            with_changes.join(", ")
        ));
    }
    let failed = named("failed");
    if !failed.is_empty() {
        parts.push(format!(
            "{} of {} failed ({})",
            failed.len(),
            runs.len(),
            failed.join(", ")
        ));
    }
    if parts.is_empty() {
        parts.push(format!("{} registries", runs.len()));
    }
    format!("Total: {}", parts.join("; "))
}

fn text(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for run in runs {
        writeln!(out, "=== registry {} ===", run.name)?;
        out.write_all(&run.stdout)?;
        if !run.stdout.is_empty() && !run.stdout.ends_with(b"\n") {
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    summary_text(command, selected, runs, out)
}

fn summary_text(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "scopeform {command}, workspace {}:",
        terminal(&selected.workspace.file.display().to_string())
    )?;
    let width = runs.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for run in runs {
        writeln!(out, "  {:<width$}  {}", run.name, terminal(&line(run)))?;
    }
    writeln!(out, "{}", total(runs))
}

fn markdown(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "## scopeform {command}: {} registr{} of workspace {}\n",
        runs.len(),
        if runs.len() == 1 { "y" } else { "ies" },
        markdown_code(&selected.workspace.file.display().to_string())
    )?;
    writeln!(out, "| registry | result |\n|---|---|")?;
    // Only an error's message quotes what scopeform did not write; the rest is its own text.
    for run in runs {
        match &run.result {
            Err(_) => writeln!(
                out,
                "| `{}` | ❌ failed: {} |",
                run.name,
                markdown_text(&run.error().unwrap_or_default())
            )?,
            Ok(_) => writeln!(out, "| `{}` | {} |", run.name, line(run))?,
        }
    }
    writeln!(out, "\n**{}**\n", total(runs))?;
    for run in runs {
        // Each report has its own heading: the section is set apart by a rule and its name.
        writeln!(out, "---\n\n**Registry `{}`**\n", run.name)?;
        if let Some(error) = run.error() {
            writeln!(out, "❌ {}\n", markdown_text(&error))?;
        }
        out.write_all(&run.stdout)?;
        if !run.stdout.is_empty() && !run.stdout.ends_with(b"\n") {
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `{"format_version": "1", "command", "workspace", "registries": [{"name", "status",
/// "exit_code", "summary", "counts", "error", "report"}], "total": {…}}`: `report` is the
/// single-registry JSON report, unchanged (null when the run failed before printing one).
fn json(
    command: &str,
    selected: &Selected,
    runs: &[RegistryRun],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let counts = |counts: &[(&'static str, usize)]| {
        let mut map = Map::new();
        for (label, n) in counts {
            map.insert((*label).to_owned(), json!(n));
        }
        Value::Object(map)
    };
    let registries: Vec<Value> = runs
        .iter()
        .map(|run| {
            let report: Value = serde_json::from_slice(&run.stdout).unwrap_or(Value::Null);
            json!({
                "name": run.name,
                "status": status(run),
                "exit_code": run.exit_code(),
                "summary": line(run),
                "counts": counts(run.tally.as_ref().map_or(&[][..], |t| &t.counts[..])),
                "error": run.error(),
                "report": report,
            })
        })
        .collect();
    let named = |wanted: &str| -> Vec<&str> {
        runs.iter()
            .filter(|r| status(r) == wanted)
            .map(|r| r.name.as_str())
            .collect()
    };
    let exit_code = match outcome(runs) {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::Changes) => 2,
        Ok(Outcome::Failed) => 1,
        Err(_) => crate::cli::exit::USAGE,
    };
    let document = json!({
        "format_version": "1",
        "command": command,
        "workspace": selected.workspace.file.display().to_string(),
        "registries": registries,
        "total": {
            "registries": runs.len(),
            "exit_code": exit_code,
            "summary": total(runs),
            "counts": counts(&Tally::sum(runs.iter().filter_map(|r| r.tally.as_ref()))),
            "with_changes": named("changes"),
            "failed": named("failed"),
        },
    });
    crate::render::json::write_pretty(out, &document)
}

/// Each registry's annotations in a log group of its own, a failed registry as an error
/// annotation, then the summary.
fn github(command: &str, runs: &[RegistryRun], out: &mut dyn Write) -> std::io::Result<()> {
    for run in runs {
        writeln!(out, "::group::registry {}", run.name)?;
        out.write_all(&run.stdout)?;
        writeln!(out, "::endgroup::")?;
        if let Some(error) = run.error() {
            writeln!(
                out,
                "::error title=scopeform {command}::{}",
                escape_data(&format!("registry {}: {}", run.name, terminal(&error)))
            )?;
        }
    }
    let width = runs.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for run in runs {
        writeln!(out, "{:<width$}  {}", run.name, terminal(&line(run)))?;
    }
    writeln!(out, "{}", total(runs))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::workspace::WorkspaceName;
    use crate::config::{Workspace, WorkspaceRegistry};
    use crate::render::untrusted::{HOSTILE, active_parts};

    fn selected() -> Selected {
        let registry = |name: &str| WorkspaceRegistry {
            name: WorkspaceName::parse(name).expect("name"),
            paths: vec![PathBuf::from(name)],
        };
        let registries = vec![registry("dev"), registry("staging")];
        Selected {
            workspace: Workspace {
                file: PathBuf::from("scopeform.workspace.yaml"),
                registries: registries.clone(),
            },
            registries,
            pins: Vec::new(),
        }
    }

    /// `dev` planned with changes, `staging` failed with an error quoting ARM's hostile answer.
    fn runs() -> Vec<RegistryRun> {
        vec![
            RegistryRun {
                name: "dev".to_owned(),
                result: Ok(Outcome::Changes),
                stdout: b"{\"format_version\": \"1\"}\n".to_vec(),
                stderr: Vec::new(),
                tally: Some(Tally::new("Plan: 1 to create.", vec![("to create", 1)])),
            },
            RegistryRun {
                name: "staging".to_owned(),
                result: Err(CommandError::new(format!("ARM answered 400: {HOSTILE}"))),
                stdout: Vec::new(),
                stderr: Vec::new(),
                tally: None,
            },
        ]
    }

    fn rendered(
        format: fn(&str, &Selected, &[RegistryRun], &mut dyn Write) -> std::io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        format("plan", &selected(), &runs(), &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn an_error_is_more_severe_than_changes() {
        assert!(matches!(outcome(&runs()), Ok(Outcome::Failed)));
        let mut usage = runs();
        usage[1].result = Err(CommandError::usage("bad flag"));
        assert!(matches!(outcome(&usage), Err(e) if e.kind == crate::cli::exit::ErrorKind::Usage));
        assert!(matches!(outcome(&runs()[..1]), Ok(Outcome::Changes)));
    }

    #[test]
    fn the_summary_names_every_registry_and_the_total() {
        let text = rendered(|c, s, r, w| text(c, s, r, w));
        assert!(
            text.contains("scopeform plan, workspace scopeform.workspace.yaml:\n  dev      Plan: 1 to create.\n  staging  failed: ARM answered 400: ok\\u{a}```"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "\nTotal: 1 to create; 1 of 2 with changes (dev); 1 of 2 failed (staging)\n"
            ),
            "{text}"
        );
    }

    /// Whatever a registry's error quotes stays inert in every format (DESIGN §9).
    #[test]
    fn an_error_quoting_hostile_text_is_inert_in_every_format() {
        let text = rendered(|c, s, r, w| text(c, s, r, w));
        assert_eq!(active_parts(&text, false), Vec::<&str>::new(), "{text}");
        let markdown = rendered(|c, s, r, w| markdown(c, s, r, w));
        assert_eq!(
            active_parts(&markdown, true),
            Vec::<&str>::new(),
            "{markdown}"
        );
        let github = rendered(|_, _, r, w| github("plan", r, w));
        // The workflow commands are scopeform's own, one per line; the error is one of them.
        let commands: Vec<&str> = github
            .lines()
            .filter(|l| l.starts_with("::"))
            .map(|l| l.split("::").nth(1).unwrap_or(""))
            .collect();
        assert_eq!(
            commands,
            [
                "group",
                "endgroup",
                "group",
                "endgroup",
                "error title=scopeform plan"
            ],
            "{github}"
        );
        let rest = github
            .lines()
            .filter(|l| !l.starts_with("::"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(active_parts(&rest, false), Vec::<&str>::new(), "{github}");
        let json = rendered(|c, s, r, w| json(c, s, r, w));
        assert_eq!(active_parts(&json, false), Vec::<&str>::new(), "{json}");
        let value: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(
            value["registries"][1]["error"],
            format!("ARM answered 400: {HOSTILE}")
        );
        assert_eq!(value["registries"][0]["report"]["format_version"], "1");
        assert_eq!(value["total"]["exit_code"], 1);
    }
}
