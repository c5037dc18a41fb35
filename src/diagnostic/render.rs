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
    fn new() -> Self {
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

/// Writes every diagnostic, separated by blank lines, styled: the writer keeps or strips the
/// styles.
pub fn render_all(w: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for (i, diagnostic) in diagnostics.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        render(w, diagnostic)?;
    }
    Ok(())
}

/// Writes one diagnostic, styled: the writer keeps or strips the styles.
pub(super) fn render(w: &mut dyn Write, diagnostic: &Diagnostic) -> io::Result<()> {
    let styles = Styles::new();
    let (label, style) = match diagnostic.severity {
        Severity::Error => ("error", styles.error),
        Severity::Warning => ("warning", styles.warning),
    };
    let bold = styles.bold;
    writeln!(
        w,
        "{style}{label}{style:#}{bold}: {}{bold:#}",
        bounded(&printable(&diagnostic.message))
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
    // The file's name is the pull request's to choose.
    writeln!(
        w,
        "{pad}{gutter}-->{gutter:#} {}",
        crate::render::untrusted::terminal(&span.location())
    )?;
    let Some(line) = span.file.line(span.line()) else {
        return Ok(());
    };
    let (line, offset, len) = window(line, span.column(), span.width());
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

/// Characters of a message shown at most: a message may quote a key or a value from the
/// file, and no diagnostic quotes more of a file than a window of it.
const MESSAGE_MAX: usize = 400;

/// `message`, cut after `MESSAGE_MAX` characters with the cut marked.
fn bounded(message: &str) -> std::borrow::Cow<'_, str> {
    match message.char_indices().nth(MESSAGE_MAX) {
        Some((cut, _)) => format!("{}…", &message[..cut]).into(),
        None => message.into(),
    }
}

/// Columns of a source line shown at most, and how many of them before the marked span.
const WINDOW: usize = 100;
const BEFORE: usize = 40;

/// The part of `line` shown under a diagnostic, with the column offset and width of the marker
/// for the span at 1-based `column` of `width` characters.
///
/// Tabs would misalign the marker: they are shown as single spaces. Control characters are
/// escaped, and the marker moved to where their characters ended up. A line longer than
/// `WINDOW` columns is cut to a window around the span, each cut marked with `…`: a file
/// of one long line (a linked secret, a minified document) is never quoted whole.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let mut pieces: Vec<String> = Vec::new();
    for c in line.chars() {
        let mut piece = String::new();
        push_char(&mut piece, if c == '\t' { ' ' } else { c });
        pieces.push(piece);
    }
    let columns = |range: &[String]| range.iter().map(|p| p.chars().count()).sum::<usize>();
    let first = column.saturating_sub(1).min(pieces.len());
    let last = (first + width).min(pieces.len());
    // A span past the end of its line (a missing newline at the end) still gets one marker.
    let past_end = column.saturating_sub(1).saturating_sub(pieces.len());
    let offset = columns(&pieces[..first]) + past_end;
    let len = columns(&pieces[first..last]).max(1);
    if columns(&pieces) <= WINDOW {
        return (pieces.concat(), offset, len);
    }
    // Start up to BEFORE columns before the span, then take whole characters up to WINDOW.
    let mut start = first;
    let mut before = 0;
    while start > 0 && before + pieces[start - 1].chars().count() <= BEFORE {
        start -= 1;
        before += pieces[start].chars().count();
    }
    let mut end = start;
    let mut shown_columns = 0;
    while end < pieces.len() && shown_columns + pieces[end].chars().count() <= WINDOW {
        shown_columns += pieces[end].chars().count();
        end += 1;
    }
    let cut_before = start > 0;
    let cut_after = end < pieces.len();
    let mut shown = String::new();
    if cut_before {
        shown.push('…');
    }
    shown.push_str(&pieces[start..end].concat());
    if cut_after {
        shown.push('…');
    }
    let offset = before + past_end + usize::from(cut_before);
    let room =
        (shown_columns + usize::from(cut_before) + usize::from(cut_after)).saturating_sub(offset);
    (shown, offset, len.min(room).max(1))
}

#[cfg(test)]
mod tests {
    use super::super::SourceFile;
    use super::*;

    /// As a pipe gets it: styles stripped by the writer.
    fn rendered(diagnostic: &Diagnostic) -> String {
        crate::render::plain(|w| render(w, diagnostic))
    }

    #[test]
    fn like_rustc() {
        let text = format!("{}tokens:\n  ci:\n    scope_mapp: ci\n", "\n".repeat(8));
        let file = SourceFile::new("tokens.yaml", text);
        let diagnostic =
            Diagnostic::error("unknown key `scope_mapp`", Some(file.span_at(11, 5, 10)))
                .with_help("did you mean `scope_map`?");
        assert_eq!(
            rendered(&diagnostic),
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
            rendered(&diagnostic),
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
    fn a_long_line_is_cut_to_a_window_around_the_span() {
        let line = format!("{}BAD{}", "a".repeat(500), "b".repeat(500));
        let file = SourceFile::new("one-line.yaml", format!("{line}\n"));
        let diagnostic = Diagnostic::error("here", Some(file.span_at(1, 501, 3)));
        let shown = rendered(&diagnostic);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[3],
            format!("1 | …{}BAD{}…", "a".repeat(40), "b".repeat(57))
        );
        assert_eq!(lines[4], format!("  | {}^^^", " ".repeat(41)));
        // At the start of the line, only the end is cut.
        let diagnostic = Diagnostic::error("here", Some(file.span_at(1, 1, 2)));
        let shown = rendered(&diagnostic);
        assert_eq!(
            shown.lines().nth(3).unwrap(),
            format!("1 | {}…", "a".repeat(100))
        );
        // Escaped characters count as the columns they take.
        let file = SourceFile::new("t.yaml", format!("{}x\n", "\u{1b}".repeat(300)));
        let diagnostic = Diagnostic::error("here", Some(file.span_at(1, 301, 1)));
        let shown = rendered(&diagnostic);
        let quoted = shown.lines().nth(3).unwrap();
        assert!(quoted.chars().count() < 120, "{quoted}");
        assert!(quoted.ends_with("\\u{1b}x"), "{quoted}");
    }

    #[test]
    fn a_long_message_is_cut() {
        let diagnostic = Diagnostic::error(format!("unknown key `{}`", "k".repeat(5000)), None);
        let shown = rendered(&diagnostic);
        assert!(shown.chars().count() < 450, "{shown}");
        assert!(shown.trim_end().ends_with('…'));
    }

    #[test]
    fn notes_point_at_their_own_place() {
        let a = SourceFile::new("a.yaml", "tokens:\n  ci-push: {}\n");
        let b = SourceFile::new("b.yaml", "tokens:\n  ci-push: {}\n");
        let diagnostic = Diagnostic::error("duplicate token `ci-push`", Some(b.span_at(2, 3, 7)))
            .with_note("first declared here", Some(a.span_at(2, 3, 7)))
            .with_note("names must be unique across all files", None);
        assert_eq!(
            rendered(&diagnostic),
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
    fn styles_are_the_writers_to_keep() {
        let diagnostic = Diagnostic::warning("scope map `x` is not used", None);
        assert_eq!(
            rendered(&diagnostic),
            "warning: scope map `x` is not used\n"
        );
        let mut styled = Vec::new();
        render(&mut styled, &diagnostic).unwrap();
        assert!(String::from_utf8(styled).unwrap().contains("\u{1b}["));
    }
}
