//! The one boundary between text scopeform did not write and what it prints.
//!
//! A registry's descriptions and action strings, ARM's error messages and a configuration's
//! text come from people scopeform must not trust: a pull request from a fork, a hostile or
//! compromised server. Printed as they are, a newline and `::error::` become a GitHub Actions
//! workflow command, ESC and OSC sequences drive the terminal, bidi controls reorder what a
//! reviewer reads, and three backticks with `</details>` escape a Markdown comment's fence so
//! that mentions, links and images land in the pull request.
//!
//! So such text is carried as an [`Untrusted`], which has no `Display`: the only ways out are
//! format-aware ([`Untrusted::terminal`], [`Untrusted::markdown_text`],
//! [`markdown_code`], and `Serialize` for JSON, whose writer is
//! [`super::json::write_pretty`]). Text that reaches a renderer as a plain `&str` goes through the
//! same adapters ([`terminal`], [`markdown_text`], [`markdown_code`]). None of them lets a line
//! break through: the structure of the output (lines, indentation, fences) is scopeform's.

use std::fmt;

use crate::diagnostic::printable;

/// Text from the registry, the configuration or an error, printable only through an escaping
/// adapter.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub(crate) struct Untrusted(String);

impl Untrusted {
    pub(crate) fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// For a terminal or a log: see [`terminal`].
    pub(crate) fn terminal(&self) -> Terminal<'_> {
        terminal(&self.0)
    }

    /// As Markdown prose: see [`markdown_text`].
    pub(crate) fn markdown_text(&self) -> MarkdownText<'_> {
        markdown_text(&self.0)
    }
}

impl From<String> for Untrusted {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for Untrusted {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

/// `text` for a terminal, a log, or a line of a fenced code block: every control character but
/// the tab (newlines included), and every bidi or invisible format character, is shown as
/// `\u{…}`, so the text can neither start a line nor send a terminal sequence.
pub(crate) fn terminal(text: &str) -> Terminal<'_> {
    Terminal(text)
}

/// `text` as Markdown prose: escaped as for a terminal; then what it quotes between paired
/// backticks becomes code spans (see [`markdown_code`]) and the rest has every character that
/// could start emphasis, a link, an image, an HTML tag, an entity, a table cell or an autolink
/// backslash-escaped, and every `@` followed by a word joiner, so that it mentions nobody.
pub(crate) fn markdown_text(text: &str) -> MarkdownText<'_> {
    MarkdownText(text)
}

/// `text` as a Markdown code span, delimited by a run of backticks longer than any inside it,
/// escaped as for a terminal. Nothing in a code span is Markdown or HTML. Not for table cells:
/// GitHub splits a cell at a `|`, even inside a code span.
pub(crate) fn markdown_code(text: &str) -> MarkdownCode<'_> {
    MarkdownCode(text)
}

/// As [`markdown_code`], for a cell of a GitHub table: each `|` escaped as `\|`, which GitHub
/// shows as `|` inside the code span instead of splitting the cell there.
pub(crate) fn markdown_table_code(text: &str) -> MarkdownTableCode<'_> {
    MarkdownTableCode(text)
}

/// A fence for a code block holding `body`: longer than any run of backticks in it, so nothing
/// in the body can close it.
pub(crate) fn fence(body: &str) -> String {
    "`".repeat((longest_backtick_run(body) + 1).max(3))
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[derive(Clone, Copy)]
pub(crate) struct Terminal<'a>(&'a str);

impl fmt::Display for Terminal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Through `pad`, so `{:<20}` still aligns.
        f.pad(&printable(self.0))
    }
}

#[derive(Clone, Copy)]
pub(crate) struct MarkdownText<'a>(&'a str);

impl fmt::Display for MarkdownText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = printable(self.0);
        // Paired backticks (scopeform's messages quote names so) stay code spans, each delimited
        // anew, with `|` escaped as in a table cell (prose is put in tables); with an odd
        // count, every backtick is escaped.
        let paired = text.matches('`').count().is_multiple_of(2);
        for (i, part) in text.split('`').enumerate() {
            if paired && i % 2 == 1 {
                write!(f, "{}", markdown_table_code(part))?;
            } else {
                if i > 0 && !paired {
                    f.write_str("\\`")?;
                }
                escape_prose(part, f)?;
            }
        }
        Ok(())
    }
}

/// Backslash-escapes what could start emphasis, a link, an image, HTML, an entity, a table
/// cell, an autolink (`http:`) or a workflow command (`::`); breaks every `@` mention.
fn escape_prose(text: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    use fmt::Write as _;
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '&'
                | '!'
                | '|'
                | '~'
                | '#'
                | ':'
                | '@'
                | '('
                | ')'
                | '='
        ) {
            f.write_char('\\')?;
        }
        f.write_char(c)?;
        if c == '@' {
            f.write_char('\u{2060}')?;
        }
    }
    Ok(())
}

#[derive(Clone, Copy)]
pub(crate) struct MarkdownTableCode<'a>(&'a str);

impl fmt::Display for MarkdownTableCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&markdown_code(self.0).to_string().replace('|', "\\|"))
    }
}

#[derive(Clone, Copy)]
pub(crate) struct MarkdownCode<'a>(&'a str);

impl fmt::Display for MarkdownCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = printable(self.0);
        let delimiter = "`".repeat(longest_backtick_run(&content) + 1);
        // CommonMark strips one space from each end when both ends have one, and a backtick at
        // either end would join the delimiter: padded then, so the content shows as it is.
        let pad = content.is_empty()
            || content.starts_with('`')
            || content.ends_with('`')
            || (content.starts_with(' ') && content.ends_with(' '));
        let pad = if pad { " " } else { "" };
        write!(f, "{delimiter}{pad}{content}{pad}{delimiter}")
    }
}

/// Every trick of issue 12 in one string, for the renderers' tests: a Markdown fence and folded
/// section closed early, a mention, an image and a link, a workflow command at the start of a
/// line, a screen clear, an OSC 8 hyperlink, an OSC 52 clipboard write, a C1 CSI, bidi
/// overrides, a carriage return and HTML.
#[cfg(test)]
pub(crate) const HOSTILE: &str = "ok\n```\n</details>\n\n@someone ![x](http://evil.example/x.png) \
    [click](http://evil.example)\n::error::pwned\u{1b}[2J\u{1b}]8;;http://evil.example\u{7}link\
    \u{1b}]8;;\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202E}txt.exe\u{2066}\r<img src=x>&amp;";

/// The pieces of [`HOSTILE`] that `out`, a renderer's output given it, lets through active
/// (`markdown`: outside code blocks and code spans, where Markdown and HTML are inert).
#[cfg(test)]
pub(crate) fn active_parts(out: &str, markdown: bool) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = [
        "ok\n",
        "\u{1b}[2J",
        "\u{1b}]",
        "\u{7}",
        "\u{9b}",
        "\u{202E}",
        "\u{2066}",
        "\r",
    ]
    .into_iter()
    .filter(|p| out.contains(p))
    .collect();
    if out.lines().any(|l| l.starts_with("::")) {
        found.push("a line starting with ::");
    }
    if markdown {
        let prose = prose(out);
        for p in ["@someone", "![x]", "[click](", "<img", "&amp;"] {
            if prose.contains(p) {
                found.push(p);
            }
        }
        if prose
            .lines()
            .any(|l| l.contains("</details>") && l != "</details>")
        {
            found.push("</details>");
        }
    }
    found
}

/// `markdown` without its fenced code blocks and code spans, its backslash escapes made `·`.
#[cfg(test)]
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in markdown.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        match fence {
            Some(open) => {
                if ticks >= open && line.trim_start_matches('`').trim().is_empty() {
                    fence = None;
                }
            }
            None if ticks >= 3 => fence = Some(ticks),
            None => {
                let line = unescaped(line);
                // Code spans: a run of n backticks up to the next run of exactly n.
                let mut rest = line.as_str();
                while let Some(start) = rest.find('`') {
                    out.push_str(&rest[..start]);
                    let after = &rest[start..];
                    let n = after.len() - after.trim_start_matches('`').len();
                    let body = &after[n..];
                    let close = body.char_indices().map(|(i, _)| i).find(|&i| {
                        body[i..].starts_with(&"`".repeat(n))
                            && !body[i + n..].starts_with('`')
                            && (i == 0 || !body[..i].ends_with('`'))
                    });
                    match close {
                        Some(i) => rest = &body[i + n..],
                        None => {
                            out.push_str(after);
                            rest = "";
                        }
                    }
                }
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    out
}

/// `line` with each backslash escape made `·`.
#[cfg(test)]
fn unescaped(line: &str) -> String {
    let mut unescaped = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next)) if next.is_ascii_punctuation() => {
                unescaped.push('·');
                chars.next();
            }
            _ => unescaped.push(c),
        }
    }
    unescaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_has_no_line_break_escape_or_bidi_control() {
        let out = terminal(HOSTILE).to_string();
        assert!(!out.contains([
            '\n', '\r', '\u{1b}', '\u{7}', '\u{9b}', '\u{202E}', '\u{2066}'
        ]));
        assert!(out.contains("\\u{a}::error::pwned\\u{1b}[2J"), "{out}");
    }

    #[test]
    fn terminal_text_pads_as_text_does() {
        assert_eq!(format!("[{:<6}]", terminal("ab")), "[ab    ]");
        assert_eq!(format!("[{:<6}]", terminal("a\u{1b}")), "[a\\u{1b}]");
    }

    #[test]
    fn markdown_text_starts_nothing() {
        let out = markdown_text(HOSTILE).to_string();
        assert_eq!(active_parts(&out, true), Vec::<&str>::new(), "{out}");
        assert!(out.contains("\\</details\\>"), "{out}");
        assert_eq!(markdown_text("a_b *c*").to_string(), "a\\_b \\*c\\*");
        assert_eq!(markdown_text("@x").to_string(), "\\@\u{2060}x");
        assert_eq!(
            markdown_text("no token uses `spare-map` [x](y)").to_string(),
            "no token uses `spare-map` \\[x\\]\\(y\\)"
        );
        assert_eq!(markdown_text("a ` b").to_string(), "a \\` b");
        // In a table cell, a `|` in a code span would still split the cell.
        assert_eq!(
            markdown_text("`x | ![i](u) | y`").to_string(),
            "`x \\| ![i](u) \\| y`"
        );
        let quoted = markdown_text(&format!("quotes `{HOSTILE}`")).to_string();
        assert_eq!(active_parts(&quoted, true), Vec::<&str>::new(), "{quoted}");
    }

    #[test]
    fn a_code_span_cannot_be_closed_from_inside() {
        assert_eq!(markdown_code("ci-push").to_string(), "`ci-push`");
        assert_eq!(markdown_code("a`b").to_string(), "``a`b``");
        assert_eq!(markdown_code("```").to_string(), "```` ``` ````");
        assert_eq!(markdown_code("").to_string(), "`  `");
        assert_eq!(markdown_code(" a ").to_string(), "`  a  `");
        let out = markdown_code(HOSTILE).to_string();
        assert!(!out.contains(['\n', '\u{1b}', '\u{202E}']), "{out}");
        let delimiter = "`".repeat(longest_backtick_run(&out.replace(' ', "x")).min(4));
        assert!(out.starts_with(&delimiter) && out.ends_with(&delimiter));
    }

    #[test]
    fn a_table_cell_cannot_be_split() {
        assert_eq!(
            markdown_table_code("a | ![x](y) | b").to_string(),
            "`a \\| ![x](y) \\| b`"
        );
    }

    #[test]
    fn a_fence_is_longer_than_any_backtick_run() {
        assert_eq!(fence("plain"), "```");
        assert_eq!(fence("a ```` b"), "`````");
    }

    #[test]
    fn untrusted_text_serialises_as_the_string_it_holds() {
        let text = Untrusted::new("a\u{202E}b");
        assert_eq!(
            serde_json::to_string(&text).expect("json"),
            "\"a\u{202E}b\""
        );
        assert_eq!(text.terminal().to_string(), "a\\u{202e}b");
    }
}
