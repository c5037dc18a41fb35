//! GitHub Actions annotations (`::error file=…,line=…,col=…::message`), so configuration
//! problems and lint findings show inline in a pull request.
//!
//! A workflow command is one line the runner parses: text from the configuration must not end
//! it or start another. Messages are made printable (control characters escaped) and then
//! escaped as GitHub's toolkit escapes them: `%`, CR and LF in the message; also `:` and `,`
//! in properties such as the file name. Only the line breaks scopeform itself puts between a
//! message and its help become `%0A`, which GitHub shows as a new line.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity, printable};
use crate::lint::{Finding, Location};

/// One annotation per diagnostic, at its file, line and column.
pub(crate) fn diagnostics(diagnostics: &[Diagnostic], w: &mut dyn Write) -> io::Result<()> {
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut lines = vec![printable(&diagnostic.message).into_owned()];
        lines.extend(
            diagnostic
                .notes
                .iter()
                .map(|n| format!("note: {}", printable(&n.message))),
        );
        lines.extend(
            diagnostic
                .help
                .iter()
                .map(|h| format!("help: {}", printable(h))),
        );
        let place = diagnostic
            .span
            .as_ref()
            .map(|s| (s.file.name.as_str(), s.line(), s.column()));
        annotation(w, level, place, "scopeform validate", &lines)?;
    }
    Ok(())
}

/// One annotation per finding: at its place in the configuration, or without a file for a
/// finding about the live registry.
pub(crate) fn findings(findings: &[Finding], w: &mut dyn Write) -> io::Result<()> {
    for finding in findings {
        let level = match finding.severity {
            crate::model::LintLevel::Error => "error",
            _ => "warning",
        };
        let place = match &finding.location {
            Location::Config { file, line, column } => Some((file.as_str(), *line, *column)),
            Location::Live { .. } => None,
        };
        let mut lines = vec![finding.message.terminal().to_string()];
        if let Location::Live { address } = &finding.location {
            lines.push(format!(
                "in the live registry: {}",
                printable(&address.to_string())
            ));
        }
        let title = format!("scopeform lint: {}", finding.id);
        annotation(w, level, place, &title, &lines)?;
    }
    Ok(())
}

fn annotation(
    w: &mut dyn Write,
    level: &str,
    place: Option<(&str, usize, usize)>,
    title: &str,
    lines: &[String],
) -> io::Result<()> {
    let mut properties = Vec::new();
    if let Some((file, line, column)) = place {
        properties.push(format!("file={}", escape_property(&printable(file))));
        properties.push(format!("line={line}"));
        properties.push(format!("col={column}"));
    }
    properties.push(format!("title={}", escape_property(title)));
    let message: Vec<String> = lines.iter().map(|l| escape_data(l)).collect();
    writeln!(
        w,
        "::{level} {}::{}",
        properties.join(","),
        message.join("%0A")
    )
}

/// A message as GitHub's toolkit escapes command data.
pub(crate) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value as GitHub's toolkit escapes it: data escaping, and `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SourceFile;

    fn rendered(diagnostic: &Diagnostic) -> String {
        let mut out = Vec::new();
        diagnostics(std::slice::from_ref(diagnostic), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_line_per_problem_at_its_place() {
        let file = SourceFile::new("acr/tokens.yaml", "tokens:\n  ci:\n    scope_mapp: ci\n");
        let diagnostic =
            Diagnostic::error("unknown key `scope_mapp`", Some(file.span_at(3, 5, 10)))
                .with_help("did you mean `scope_map`?");
        assert_eq!(
            rendered(&diagnostic),
            "::error file=acr/tokens.yaml,line=3,col=5,title=scopeform validate::unknown key \
             `scope_mapp`%0Ahelp: did you mean `scope_map`?\n"
        );
    }

    #[test]
    fn text_from_the_configuration_cannot_end_the_command_or_start_another() {
        let file = SourceFile::new("a,b:c%.yaml", "x\n");
        let diagnostic = Diagnostic::warning(
            "token `a\n::error::pwned\r%0A\u{1b}[2J`",
            Some(file.span_at(1, 1, 1)),
        );
        let out = rendered(&diagnostic);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert_eq!(
            out,
            "::warning file=a%2Cb%3Ac%25.yaml,line=1,col=1,title=scopeform validate::token \
             `a\\u{a}::error::pwned\\u{d}%250A\\u{1b}[2J`\n"
        );
    }

    #[test]
    fn live_findings_have_no_file() {
        let finding = Finding {
            severity: crate::model::LintLevel::Warning,
            id: crate::model::LintCheck::AdminUserEnabled,
            address: crate::plan::Address::AdminUser.into(),
            message: "the admin user of registry `r` is enabled".into(),
            location: Location::Live {
                address: crate::plan::Address::AdminUser.into(),
            },
        };
        let mut out = Vec::new();
        findings(&[finding], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning title=scopeform lint%3A admin-user-enabled::the admin user of registry \
             `r` is enabled%0Ain the live registry: registry.admin_user\n"
        );
    }
}
