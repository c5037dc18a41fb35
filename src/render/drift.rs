//! Renders a drift report as text, Markdown or JSON.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Untrusted;
use super::untrusted::{fence, markdown_code, markdown_table_code, markdown_text, terminal};
use crate::drift::{Drift, DriftKind, DriftReport, FieldDrift, FieldValue, LeftAlone};

fn counts(drift: &[Drift]) -> (usize, usize, usize) {
    let count = |kind| drift.iter().filter(|d| d.kind == kind).count();
    (
        count(DriftKind::Changed),
        count(DriftKind::Missing),
        count(DriftKind::Unmanaged),
    )
}

fn summary(drift: &[Drift]) -> String {
    let (changed, missing, unmanaged) = counts(drift);
    let removed = drift
        .iter()
        .filter(|d| d.kind == DriftKind::Removed)
        .count();
    // Said only when there are some, so reports without `removed` read as they always have.
    let removed = if removed > 0 {
        format!(", {removed} removed")
    } else {
        String::new()
    };
    format!("Drift: {changed} changed, {missing} missing, {unmanaged} unmanaged{removed}.")
}

fn headline(d: &Drift) -> (&'static str, String) {
    match d.kind {
        DriftKind::Changed => ("~", format!("{} differs from the configuration", d.address)),
        DriftKind::Missing => (
            "-",
            format!("{} is declared but missing from the registry", d.address),
        ),
        DriftKind::Unmanaged => (
            "?",
            format!("{} exists but is not in the configuration", d.address),
        ),
        DriftKind::Removed => (
            "-",
            format!("{} is under `removed` but still in the registry", d.address),
        ),
    }
}

/// A value on one line, its text escaped: the same in a terminal and in a Markdown code block.
fn scalar(value: &FieldValue) -> String {
    match value {
        FieldValue::Absent => "(none)".to_owned(),
        FieldValue::Flag(b) => b.to_string(),
        FieldValue::Text(s) => format!("\"{}\"", s.terminal()),
        FieldValue::List(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|s| format!("\"{}\"", s.terminal()))
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn strings(value: &FieldValue) -> Option<BTreeSet<&Untrusted>> {
    match value {
        FieldValue::List(items) => Some(items.iter().collect()),
        _ => None,
    }
}

/// The lines describing one field: a set difference for lists, `config → live` otherwise,
/// then its note. Every line is escaped for a terminal or a code block.
fn field_lines(field: &FieldDrift) -> Vec<(char, String)> {
    let mut lines = difference_lines(field);
    if let Some(note) = &field.note {
        lines.push((' ', format!("  note: {}", terminal(note))));
    }
    lines
}

fn difference_lines(field: &FieldDrift) -> Vec<(char, String)> {
    match (strings(&field.config), strings(&field.live)) {
        (Some(config), Some(live)) => {
            let mut lines = vec![(' ', format!("{}:", field.name))];
            lines.extend(
                live.difference(&config)
                    .map(|a| ('+', format!("{}  (only live)", a.terminal()))),
            );
            lines.extend(
                config
                    .difference(&live)
                    .map(|a| ('-', format!("{}  (only in configuration)", a.terminal()))),
            );
            lines
        }
        _ => vec![(
            ' ',
            format!(
                "{}: configuration {}, live {}",
                field.name,
                scalar(&field.config),
                scalar(&field.live)
            ),
        )],
    }
}

/// The information lines: what the plan leaves alone on purpose, then its warnings.
fn information(report: &DriftReport) -> Vec<String> {
    let mut lines = Vec::new();
    if !report.left_alone.is_empty() {
        lines.push("Left alone on purpose (information, not drift):".to_owned());
        lines.extend(
            report
                .left_alone
                .iter()
                .map(|LeftAlone { address, reason }| {
                    format!("  {}: {}", terminal(&address.to_string()), terminal(reason))
                }),
        );
    }
    lines.extend(
        report
            .warnings
            .iter()
            .map(|w| format!("Warning: {}", terminal(w))),
    );
    lines
}

/// Writes the report as text, styled (the writer decides whether styles are kept).
pub(crate) fn text(report: &DriftReport, w: &mut dyn Write) -> io::Result<()> {
    let style = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    let drift = &report.drift;
    let information = information(report);
    if drift.is_empty() {
        writeln!(w, "No drift. The registry matches the configuration.")?;
        if !information.is_empty() {
            writeln!(w)?;
        }
        for line in information {
            writeln!(w, "{line}")?;
        }
        return Ok(());
    }
    writeln!(w, "The registry has drifted from the configuration:")?;
    writeln!(w)?;
    for d in drift {
        let (marker, line) = headline(d);
        let s = match d.kind {
            DriftKind::Changed => style(AnsiColor::Yellow),
            DriftKind::Missing | DriftKind::Removed => style(AnsiColor::Red),
            DriftKind::Unmanaged => style(AnsiColor::Cyan),
        };
        writeln!(w, "  {s}{marker}{s:#} {}", terminal(&line))?;
        if let Some(note) = &d.note {
            writeln!(w, "        note: {}", terminal(note))?;
        }
        for field in &d.fields {
            for (sign, text) in field_lines(field) {
                let s = match sign {
                    '+' => style(AnsiColor::Green),
                    '-' => style(AnsiColor::Red),
                    _ => Style::new(),
                };
                writeln!(w, "      {s}{sign}{s:#} {text}")?;
            }
        }
    }
    writeln!(w)?;
    for line in &information {
        writeln!(w, "{line}")?;
    }
    if !information.is_empty() {
        writeln!(w)?;
    }
    writeln!(w, "{}", summary(drift))
}

pub(crate) fn markdown(report: &DriftReport, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "## scopeform drift")?;
    writeln!(w)?;
    let drift = &report.drift;
    if drift.is_empty() {
        writeln!(
            w,
            ":white_check_mark: No drift. The registry matches the configuration."
        )?;
        return markdown_information(report, w);
    }
    writeln!(w, ":warning: **{}**", summary(drift))?;
    writeln!(w)?;
    writeln!(w, "| object | drift |")?;
    writeln!(w, "|---|---|")?;
    for d in drift {
        let kind = match d.kind {
            DriftKind::Changed => "changed",
            DriftKind::Missing => "missing",
            DriftKind::Unmanaged => "unmanaged",
            DriftKind::Removed => "removed",
        };
        let fields: Vec<&str> = d.fields.iter().map(|f| f.name.as_str()).collect();
        let detail = if fields.is_empty() {
            String::new()
        } else {
            format!(" ({})", fields.join(", "))
        };
        writeln!(
            w,
            "| {} | {kind}{detail} |",
            markdown_table_code(&d.address.to_string())
        )?;
    }
    let detailed: Vec<&Drift> = drift.iter().filter(|d| !d.fields.is_empty()).collect();
    if !detailed.is_empty() {
        writeln!(w)?;
        writeln!(w, "<details><summary>Field differences</summary>")?;
        writeln!(w)?;
        let mut body = String::new();
        for d in detailed {
            let _ = writeln!(body, "# {}", terminal(&d.address.to_string()));
            for field in &d.fields {
                for (sign, text) in field_lines(field) {
                    let _ = writeln!(body, "{sign} {text}");
                }
            }
        }
        let fence = fence(&body);
        write!(w, "{fence}diff\n{body}{fence}\n")?;
        writeln!(w)?;
        writeln!(w, "</details>")?;
    }
    markdown_information(report, w)
}

/// What the plan leaves alone on purpose, and its warnings: never drift.
fn markdown_information(report: &DriftReport, w: &mut dyn Write) -> io::Result<()> {
    if !report.left_alone.is_empty() {
        writeln!(w)?;
        writeln!(w, "### Left alone on purpose (information, not drift)")?;
        writeln!(w)?;
        for LeftAlone { address, reason } in &report.left_alone {
            writeln!(
                w,
                "- {}: {}",
                markdown_code(&address.to_string()),
                markdown_text(reason)
            )?;
        }
    }
    if !report.warnings.is_empty() {
        writeln!(w)?;
        writeln!(w, "### Warnings")?;
        writeln!(w)?;
        for warning in &report.warnings {
            writeln!(w, "- {}", markdown_text(warning))?;
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct DriftJson<'a> {
    format_version: &'static str,
    in_sync: bool,
    drift: &'a [Drift],
    /// Information, never drift: what the plan leaves alone on purpose.
    left_alone: &'a [LeftAlone],
    /// Information, never drift: what the plan cannot fix.
    warnings: &'a [String],
}

pub(crate) fn json(report: &DriftReport, w: &mut dyn Write) -> io::Result<()> {
    super::json::write_pretty(
        w,
        &DriftJson {
            format_version: "1",
            in_sync: report.in_sync(),
            drift: &report.drift,
            left_alone: &report.left_alone,
            warnings: &report.warnings,
        },
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::drift::{DriftReport, RecordedCreations, detect};
    use crate::testing::{desired, live};

    /// The out-of-band changes of the end-to-end test, at the unit level.
    fn drift() -> DriftReport {
        let desired = desired(
            "
ignore: [\"legacy-*\"]
scope_maps:
  pushers:
    description: Push team A
    repositories:
      team-a/*: [content/read, content/write]
  pullers:
    repositories:
      \"*\": [content/read]
tokens:
  ci-runner:
    scope_map: pushers
    passwords:
      password1: { expires_in: 30d }
  reader:
    scope_map: pullers
",
        );
        let live = live(&json!({
            "scope_maps": [{"name": "pushers", "description": "Push team A", "actions": [
                "repositories/team-a/*/content/read", "repositories/team-a/*/content/write",
                "repositories/team-a/*/content/delete"]}],
            "tokens": [
                {"name": "ci-runner", "scope_map": "pushers", "status": "disabled",
                 "passwords": [{"name": "password1", "expiry": "2027-01-01T00:00:00Z"}]},
                {"name": "reader", "scope_map": "pushers", "status": "enabled"},
                {"name": "intruder", "scope_map": "pushers", "status": "enabled"},
                {"name": "legacy-bot", "scope_map": "pushers", "status": "enabled"},
            ],
        }));
        let now = "2026-06-01T00:00:00Z".parse().expect("time");
        detect(&desired, &live, now, &RecordedCreations::new()).expect("drift")
    }

    fn render(
        f: impl FnOnce(&DriftReport, &mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        f(&drift(), &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_report() {
        insta::assert_snapshot!(super::super::plain(|w| super::text(&drift(), w)));
    }

    #[test]
    fn markdown_report() {
        insta::assert_snapshot!(render(super::markdown));
    }

    #[test]
    fn json_report() {
        insta::assert_snapshot!(render(super::json));
    }

    #[test]
    fn in_sync() {
        let mut out = Vec::new();
        super::markdown(&DriftReport::default(), &mut out).expect("render");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "## scopeform drift\n\n:white_check_mark: No drift. The registry matches the configuration.\n"
        );
    }
}
