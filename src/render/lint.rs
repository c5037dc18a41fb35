//! Renders lint findings as text, Markdown or JSON.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::untrusted::{markdown_table_code, markdown_text, terminal};
use crate::lint::Finding;
use crate::model::LintLevel;

fn tally(findings: &[Finding]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|f| f.severity == LintLevel::Error)
        .count();
    (errors, findings.len() - errors)
}

pub(crate) fn text(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
    for finding in findings {
        let style = match finding.severity {
            LintLevel::Error => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            _ => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        };
        writeln!(
            w,
            "{style}{}{style:#}[{}]: {}",
            finding.severity,
            finding.id,
            finding.message.terminal()
        )?;
        writeln!(w, "  --> {}", terminal(&finding.location.to_string()))?;
    }
    let (errors, warnings) = tally(findings);
    if findings.is_empty() {
        writeln!(w, "No findings.")
    } else {
        writeln!(w)?;
        writeln!(w, "{errors} error(s), {warnings} warning(s).")
    }
}

pub(crate) fn markdown(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
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
        writeln!(
            w,
            "| {} | `{}` | {} | {} | {} |",
            f.severity,
            f.id,
            markdown_table_code(&f.address.to_string()),
            f.message.markdown_text(),
            markdown_text(&f.location.to_string())
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

pub(crate) fn json(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
    let (errors, warnings) = tally(findings);
    super::json::write_pretty(
        w,
        &LintJson {
            format_version: "1",
            errors,
            warnings,
            findings,
        },
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::testing::{desired, live};

    /// A configuration and a registry with findings of several checks, in both places.
    fn findings() -> Vec<crate::lint::Finding> {
        let desired = desired(
            "
scope_maps:
  deployers:
    repositories:
      \"*\": [content/read, content/write]
      prod/app: [content/write]
  spare-map:
    repositories:
      other/*: [content/read]
tokens:
  deployer:
    scope_map: deployers
    passwords:
      password1: { rotate_before: 7d }
lint:
  unused-scope-map: error
",
        );
        let live = live(&json!({
            "registry": {"admin_user_enabled": true},
            "scope_maps": [{"name": "deployers", "actions": [
                "repositories/*/content/read", "repositories/*/content/write"]}],
            "tokens": [
                {"name": "deployer", "scope_map": "deployers", "status": "enabled",
                 "passwords": [{"name": "password1", "expiry": "2026-06-03T00:00:00Z"}]},
                {"name": "forgotten", "scope_map": "deployers", "status": "enabled"},
            ],
        }));
        let now = "2026-06-01T00:00:00Z".parse().expect("time");
        crate::lint::lint(Some(&desired), Some(&live), now)
    }

    fn render(
        f: fn(&[crate::lint::Finding], &mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        f(&findings(), &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_report() {
        insta::assert_snapshot!(super::super::plain(|w| super::text(&findings(), w)));
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
    fn no_findings() {
        let mut out = Vec::new();
        super::text(&[], &mut out).expect("render");
        assert_eq!(String::from_utf8(out).expect("utf-8"), "No findings.\n");
    }
}
