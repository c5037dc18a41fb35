//! `validate --format json`: every diagnostic with its file, line, column, severity, message,
//! notes and hint, for tools and editors.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Span};

#[derive(serde::Serialize)]
struct Report<'a> {
    format_version: &'static str,
    valid: bool,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<Entry<'a>>,
}

#[derive(serde::Serialize)]
struct Entry<'a> {
    severity: &'static str,
    message: &'a str,
    #[serde(flatten)]
    place: Option<Place<'a>>,
    help: Option<&'a str>,
    notes: Vec<NoteEntry<'a>>,
}

#[derive(serde::Serialize)]
struct NoteEntry<'a> {
    message: &'a str,
    #[serde(flatten)]
    place: Option<Place<'a>>,
}

#[derive(serde::Serialize)]
struct Place<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    /// How many characters the problem covers on its line.
    length: usize,
}

fn place(span: Option<&Span>) -> Option<Place<'_>> {
    span.map(|s| Place {
        file: &s.file.name,
        line: s.line(),
        column: s.column(),
        length: s.width(),
    })
}

/// Writes the report; `valid` is whether there is no error.
pub(crate) fn json(diagnostics: &[Diagnostic], w: &mut dyn Write) -> io::Result<()> {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let report = Report {
        format_version: "1",
        valid: errors == 0,
        errors,
        warnings: diagnostics.len() - errors,
        diagnostics: diagnostics
            .iter()
            .map(|d| Entry {
                severity: d.severity.as_str(),
                message: &d.message,
                place: place(d.span.as_ref()),
                help: d.help.as_deref(),
                notes: d
                    .notes
                    .iter()
                    .map(|n| NoteEntry {
                        message: &n.message,
                        place: place(n.span.as_ref()),
                    })
                    .collect(),
            })
            .collect(),
    };
    // Through the one JSON writer: messages quote the files, and C1 and bidi characters must
    // come out escaped as in every other report.
    super::json::write_pretty(w, &report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_files_is_escaped_as_in_every_json_report() {
        let diagnostic = Diagnostic::error("unknown key `a\u{202e}b\u{9b}2J`", None);
        let mut out = Vec::new();
        json(&[diagnostic], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r"a\u202eb\u009b2J"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["diagnostics"][0]["message"],
            "unknown key `a\u{202e}b\u{9b}2J`"
        );
    }
}
