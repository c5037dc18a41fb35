//! Diagnostics as text, in the style of rustc and just:
//!
//! ```text
//! error: unknown key `scope_mapp`
//!  --> tokens.yaml:12:5
//!    |
//! 12 |     scope_mapp: ci
//!    |     ^^^^^^^^^^
//!    = help: did you mean `scope_map`?
//! ```

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::printable::{printable, push_char};
use super::{Diagnostic, Severity, Span};

struct Styles {
    error: Style,
    warning: Style,
    note: Style,
    gutter: Style,
    bold: Style,
}

impl Styles {
    fn new(color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Self {
                error: plain,
                warning: plain,
                note: plain,
                gutter: plain,
                bold: plain,
            };
        }
        let blue = Style::new().bold().fg_color(Some(AnsiColor::Blue.into()));
        Self {
            error: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            warning: Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            note: Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            gutter: blue,
            bold: Style::new().bold(),
        }
    }
}

/// Writes every diagnostic, separated by blank lines.
pub fn render_all(w: &mut dyn Write, diagnostics: &[Diagnostic], color: bool) -> io::Result<()> {
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        render(w, diagnostic, color)?;
    }
    Ok(())
}

/// Writes one diagnostic; styled with ANSI escapes only when `color` is set.
pub fn render(w: &mut dyn Write, diagnostic: &Diagnostic, color: bool) -> io::Result<()> {
    let styles = Styles::new(color);
    let (label, style) = match diagnostic.severity {
        Severity::Error => ("error", styles.error),
        Severity::Warning => ("warning", styles.warning),
    };
    let bold = styles.bold;
    writeln!(
        w,
        "{style}{label}{style:#}{bold}: {}{bold:#}",
        printable(&diagnostic.message)
    )?;
    // The gutter is as wide as the widest line number shown, so every `|` lines up.
    let width = std::iter::once(diagnostic.span.as_ref())
        .chain(diagnostic.notes.iter().map(|n| n.span.as_ref()))
        .flatten()
        .map(|span| span.line().to_string().len())
        .max()
        .unwrap_or(0);
    let pad = " ".repeat(width);
    let gutter = styles.gutter;
    if let Some(span) = &diagnostic.span {
        snippet(w, span, '^', style, &styles, width)?;
    }
    for note in diagnostic.notes.iter().filter(|n| n.span.is_none()) {
        writeln!(
            w,
            "{pad} {gutter}={gutter:#} {bold}note{bold:#}: {}",
            printable(&note.message)
        )?;
    }
    if let Some(help) = &diagnostic.help {
        let help = printable(help);
        writeln!(w, "{pad} {gutter}={gutter:#} {bold}help{bold:#}: {help}")?;
    }
    for note in &diagnostic.notes {
        if let Some(span) = &note.span {
            let note_style = styles.note;
            writeln!(
                w,
                "{note_style}note{note_style:#}: {}",
                printable(&note.message)
            )?;
            snippet(w, span, '-', note_style, &styles, width)?;
        }
    }
    Ok(())
}

/// ` --> file:line:col`, the source line, and a marker under the span.
fn snippet(
    w: &mut dyn Write,
    span: &Span,
    marker: char,
    marker_style: Style,
    styles: &Styles,
    width: usize,
) -> io::Result<()> {
    let gutter = styles.gutter;
    let pad = " ".repeat(width);
    writeln!(w, "{pad}{gutter}-->{gutter:#} {}", span.location())?;
    let Some(line) = span.file.line(span.line()) else {
        return Ok(());
    };
    // Tabs would misalign the marker; show them as single spaces. Control characters are
    // escaped, and the marker moved to where its characters ended up.
    let mut shown = String::with_capacity(line.len());
    let (mut offset, mut len) = (0, 0);
    let mut count = 0;
    for (index, c) in line.chars().enumerate() {
        count += 1;
        let columns = push_char(&mut shown, if c == '\t' { ' ' } else { c });
        if index + 1 < span.column() {
            offset += columns;
        } else if index + 1 < span.column() + span.width() {
            len += columns;
        }
    }
    let line = shown;
    // A span past the end of its line (a missing newline at the end) still gets one marker.
    offset += span.column().saturating_sub(1).saturating_sub(count);
    let len = len.max(1);
    writeln!(w, "{pad} {gutter}|{gutter:#}")?;
    writeln!(
        w,
        "{gutter}{:>width$} |{gutter:#} {line}",
        span.line(),
        width = width
    )?;
    writeln!(
        w,
        "{pad} {gutter}|{gutter:#} {}{marker_style}{}{marker_style:#}",
        " ".repeat(offset),
        marker.to_string().repeat(len)
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::SourceFile;
    use super::*;

    fn rendered(diagnostic: &Diagnostic, color: bool) -> String {
        let mut out = Vec::new();
        render(&mut out, diagnostic, color).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn like_rustc() {
        let text = format!("{}tokens:\n  ci:\n    scope_mapp: ci\n", "\n".repeat(8));
        let file = SourceFile::new("tokens.yaml", text);
        let diagnostic =
            Diagnostic::error("unknown key `scope_mapp`", Some(file.span_at(11, 5, 10)))
                .with_help("did you mean `scope_map`?");
        assert_eq!(
            rendered(&diagnostic, false),
            "\
error: unknown key `scope_mapp`
  --> tokens.yaml:11:5
   |
11 |     scope_mapp: ci
   |     ^^^^^^^^^^
   = help: did you mean `scope_map`?
"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_the_marker_follows_them() {
        let file = SourceFile::new("t.yaml", "tokens:\n  \"a\u{1b}[2Jb\": {}\n");
        let diagnostic = Diagnostic::error(
            "token name `a\u{1b}[2Jb` contains `\u{1b}`",
            Some(file.span_at(2, 3, 8)),
        );
        assert_eq!(
            rendered(&diagnostic, false),
            "\
error: token name `a\\u{1b}[2Jb` contains `\\u{1b}`
 --> t.yaml:2:3
  |
2 |   \"a\\u{1b}[2Jb\": {}
  |   ^^^^^^^^^^^^^
"
        );
    }

    #[test]
    fn notes_point_at_their_own_place() {
        let a = SourceFile::new("a.yaml", "tokens:\n  ci-push: {}\n");
        let b = SourceFile::new("b.yaml", "tokens:\n  ci-push: {}\n");
        let diagnostic = Diagnostic::error("duplicate token `ci-push`", Some(b.span_at(2, 3, 7)))
            .with_note("first declared here", Some(a.span_at(2, 3, 7)))
            .with_note("names must be unique across all files", None);
        assert_eq!(
            rendered(&diagnostic, false),
            "\
error: duplicate token `ci-push`
 --> b.yaml:2:3
  |
2 |   ci-push: {}
  |   ^^^^^^^
  = note: names must be unique across all files
note: first declared here
 --> a.yaml:2:3
  |
2 |   ci-push: {}
  |   -------
"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let diagnostic = Diagnostic::warning("scope map `x` is not used", None);
        assert_eq!(
            rendered(&diagnostic, false),
            "warning: scope map `x` is not used\n"
        );
        assert!(rendered(&diagnostic, true).contains("\u{1b}["));
    }
}
