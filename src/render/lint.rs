//! Renders lint findings as text, Markdown or JSON.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::lint::{Finding, Severity};

fn tally(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

pub fn text(findings: &[Finding], w: &mut dyn Write, color: bool) -> io::Result<()> {
    for finding in findings {
        let style = match (color, finding.severity) {
            (false, _) => Style::new(),
            (true, Severity::Error) => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            (true, _) => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        };
        writeln!(
            w,
            "{style}{}{style:#}[{}]: {}",
            finding.severity, finding.id, finding.message
        )?;
        writeln!(w, "  --> {}", finding.location)?;
    }
    let (errors, warnings) = tally(findings);
    if findings.is_empty() {
        writeln!(w, "No findings.")
    } else {
        writeln!(w)?;
        writeln!(w, "{errors} error(s), {warnings} warning(s).")
    }
}

pub fn markdown(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "## scopeform lint")?;
    writeln!(w)?;
    let (errors, warnings) = tally(findings);
    if findings.is_empty() {
        return writeln!(w, ":white_check_mark: No findings.");
    }
    let icon = if errors > 0 { ":x:" } else { ":warning:" };
    writeln!(w, "{icon} **{errors} error(s), {warnings} warning(s).**")?;
    writeln!(w)?;
    writeln!(w, "| severity | check | object | finding | where |")?;
    writeln!(w, "|---|---|---|---|---|")?;
    for f in findings {
        let message = f.message.replace('|', "\\|");
        writeln!(
            w,
            "| {} | `{}` | `{}` | {message} | {} |",
            f.severity, f.id, f.address, f.location
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct LintJson<'a> {
    format_version: &'static str,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

pub fn json(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings) = tally(findings);
    serde_json::to_writer_pretty(
        &mut *w,
        &LintJson {
            format_version: "1",
            errors,
            warnings,
            findings,
        },
    )?;
    writeln!(w)
}
