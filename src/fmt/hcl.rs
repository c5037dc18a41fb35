//! HCL in the canonical layout, as `terraform fmt` writes it, keeping every comment.
//!
//! Each line is cut into tokens (strings, heredocs and comments whole) and written again with
//! `terraform fmt`'s spacing; its indentation comes from the brackets open before it, counted
//! the way hclwrite counts them (a line that opens several brackets indents what follows by
//! one step). Runs of single-line attributes get their `=` aligned. Heredoc and multi-line
//! comment bodies are kept byte for byte.

use super::trailing::{Trailing, place_trailing};
use super::{Unformattable, moved};

const STEP: usize = 2;

/// Whitespace between two tokens, where `join` may keep it.
const SPACE: Token<'static> = Token::Word(" ");

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    /// A name, number or keyword, or an operator or punctuation not listed below.
    Word(&'a str),
    /// A quoted string, templates included.
    Str(&'a str),
    Open(char),
    Close(char),
    Comma,
    /// `=`, and the operators written with a space on each side.
    Spaced(&'a str),
    /// `/* … */` on one line.
    InlineComment(&'a str),
    /// `<<EOF` or `<<-EOF`: the lines after it, to the marker, are the heredoc.
    Heredoc(&'a str),
}

/// One line of output before indentation, alignment and blank lines are decided.
#[derive(Debug, Default)]
struct Line<'a> {
    /// Blank in the input.
    blank: bool,
    /// Kept byte for byte: a heredoc's or a multi-line comment's body.
    verbatim: Option<&'a str>,
    level: usize,
    /// Its indentation in the input, in columns.
    indent: usize,
    /// The text without indentation or trailing comment.
    text: String,
    /// For `key = value` on one line: the key's length in characters, to align `=`.
    key: Option<usize>,
    comment: Option<Trailing<'a>>,
    /// An own-line comment.
    comment_only: bool,
    /// Opens brackets (more than it closes), or starts with a closing one.
    opens: bool,
    closes: bool,
    /// `ident … {`: a block's first line.
    header: bool,
}

enum Mode {
    Normal,
    Heredoc { marker: String },
    BlockComment,
}

/// `text` (LF line endings) in the canonical layout.
pub(super) fn format(text: &str) -> Result<String, Unformattable> {
    let mut lines = Vec::new();
    let mut mode = Mode::Normal;
    // hclwrite's indentation: for each line that opened brackets, how many are still open.
    let mut indents: Vec<usize> = Vec::new();
    for (index, raw) in text.split_terminator('\n').enumerate() {
        let fail = |reason| Unformattable {
            line: index + 1,
            reason,
        };
        match &mode {
            Mode::Heredoc { marker } => {
                if raw.trim() == marker {
                    mode = Mode::Normal;
                }
                lines.push(verbatim(raw));
                continue;
            }
            Mode::BlockComment => {
                if raw.contains("*/") {
                    if !raw.trim_end().ends_with("*/") {
                        return Err(fail("code after a multi-line comment on its last line"));
                    }
                    mode = Mode::Normal;
                }
                lines.push(verbatim(raw));
                continue;
            }
            Mode::Normal => {}
        }
        let content = raw.trim_matches([' ', '\t']);
        if content.is_empty() {
            lines.push(Line {
                blank: true,
                ..Line::default()
            });
            continue;
        }
        let (tokens, comment_at, rest) = tokenize(raw).map_err(fail)?;
        let line_start = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let mut line = Line {
            comment_only: tokens.is_empty(),
            indent: raw[..line_start].chars().count(),
            ..Line::default()
        };
        match rest {
            Rest::None => {}
            Rest::Heredoc(marker) => mode = Mode::Heredoc { marker },
            Rest::BlockComment => mode = Mode::BlockComment,
        }
        let net: isize = tokens
            .iter()
            .map(|t| match t {
                Token::Open(_) => 1,
                Token::Close(_) => -1,
                _ => 0,
            })
            .sum();
        line.closes = matches!(tokens.first(), Some(Token::Close(_)));
        line.opens = net > 0;
        match net.cmp(&0) {
            std::cmp::Ordering::Greater => {
                line.level = indents.len();
                indents.push(net.unsigned_abs());
            }
            std::cmp::Ordering::Less => {
                let mut closed = net.unsigned_abs();
                while closed > 0 {
                    let Some(top) = indents.last_mut() else { break };
                    if closed >= *top {
                        closed -= *top;
                        indents.pop();
                    } else {
                        *top -= closed;
                        closed = 0;
                    }
                }
                line.level = indents.len();
            }
            std::cmp::Ordering::Equal => line.level = indents.len(),
        }
        line.text = join(&tokens);
        let solid: Vec<&Token<'_>> = tokens.iter().filter(|t| **t != SPACE).collect();
        line.header = matches!(solid.first(), Some(Token::Word(_)))
            && matches!(solid.last(), Some(Token::Open('{')))
            && !solid.contains(&&Token::Spaced("="));
        if net == 0
            && !rest_kind(&mode)
            && matches!(solid.first(), Some(Token::Word(_) | Token::Str(_)))
            && solid.get(1) == Some(&&Token::Spaced("="))
        {
            line.key = Some(token_text(solid[0]).chars().count());
        }
        if let Some(at) = comment_at {
            let comment = Trailing::new(raw, at, 0);
            if line.comment_only {
                raw[line_start..]
                    .trim_end_matches([' ', '\t'])
                    .clone_into(&mut line.text);
            } else {
                line.comment = Some(comment);
            }
        }
        lines.push(line);
    }
    if !matches!(mode, Mode::Normal) {
        return Err(Unformattable {
            line: text.lines().count(),
            reason: "a heredoc or comment that does not end",
        });
    }
    align(&mut lines);
    Ok(write(&lines))
}

/// Whether the line ended by opening a heredoc or a comment (it then cannot be aligned).
fn rest_kind(mode: &Mode) -> bool {
    !matches!(mode, Mode::Normal)
}

fn verbatim(raw: &str) -> Line<'_> {
    Line {
        verbatim: Some(raw),
        ..Line::default()
    }
}

/// What a line leaves open after its last token.
enum Rest {
    None,
    Heredoc(String),
    BlockComment,
}

type Tokens<'a> = (Vec<Token<'a>>, Option<usize>, Rest);

/// The tokens of one line, the byte offset of its line comment, and what it leaves open.
fn tokenize(line: &str) -> Result<Tokens<'_>, &'static str> {
    let bytes = line.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let two = line.get(i..i + 2).unwrap_or("");
        match b {
            b' ' | b'\t' => {
                if tokens.last() != Some(&SPACE) {
                    tokens.push(SPACE);
                }
                i += 1;
            }
            b'#' => return Ok((trim(tokens), Some(i), Rest::None)),
            b'/' if two == "//" => return Ok((trim(tokens), Some(i), Rest::None)),
            b'/' if two == "/*" => match line[i + 2..].find("*/") {
                Some(end) => {
                    let end = i + 2 + end + 2;
                    tokens.push(Token::InlineComment(&line[i..end]));
                    i = end;
                }
                None => {
                    tokens.push(Token::InlineComment(line[i..].trim_end()));
                    return Ok((trim(tokens), None, Rest::BlockComment));
                }
            },
            b'"' => {
                let end = string_end(bytes, i).ok_or("a string that does not end on its line")?;
                tokens.push(Token::Str(&line[i..end]));
                i = end;
            }
            b'<' if two == "<<" => {
                let after = line[i + 2..].strip_prefix('-').unwrap_or(&line[i + 2..]);
                let marker = after.trim_end_matches([' ', '\t']);
                let is_marker = !marker.is_empty()
                    && marker
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if is_marker {
                    tokens.push(Token::Heredoc(line[i..].trim_end()));
                    return Ok((trim(tokens), None, Rest::Heredoc(marker.to_owned())));
                }
                tokens.push(Token::Spaced("<"));
                i += 1;
            }
            b'{' | b'[' | b'(' => {
                tokens.push(Token::Open(b as char));
                i += 1;
            }
            b'}' | b']' | b')' => {
                tokens.push(Token::Close(b as char));
                i += 1;
            }
            b',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            _ => {
                let op = ["==", "!=", "<=", ">=", "=>", "&&", "||"]
                    .into_iter()
                    .find(|op| line[i..].starts_with(op));
                if let Some(op) = op {
                    tokens.push(Token::Spaced(op));
                    i += 2;
                } else if matches!(b, b'=' | b'?') {
                    tokens.push(Token::Spaced(&line[i..=i]));
                    i += 1;
                } else {
                    let end = line[i..]
                        .find(|c: char| c.is_whitespace() || "{}[](),=\"#?".contains(c))
                        .map_or(line.len(), |n| i + n.max(1));
                    let end = line[i..end].find("//").map_or(end, |n| i + n.max(1));
                    let end = line[i..end].find("/*").map_or(end, |n| i + n.max(1));
                    tokens.push(Token::Word(&line[i..end]));
                    i = end;
                }
            }
        }
    }
    Ok((trim(tokens), None, Rest::None))
}

/// Tokens without the spaces before the first and after the last.
fn trim(mut tokens: Vec<Token<'_>>) -> Vec<Token<'_>> {
    while tokens.last() == Some(&SPACE) {
        tokens.pop();
    }
    if tokens.first() == Some(&SPACE) {
        tokens.remove(0);
    }
    tokens
}

/// The offset just past the quoted string starting at `start`, templates included.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'$') || bytes.get(i + 1) == Some(&b'%') => {
                // `$${` and `%%{` are a literal `${` and `%{`.
                i += if bytes.get(i + 2) == Some(&b'{') {
                    3
                } else {
                    1
                };
            }
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => i = template_end(bytes, i + 2)?,
            _ => i += 1,
        }
    }
    None
}

/// The offset just past the `}` closing a template interpolation whose body starts at `i`.
fn template_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i)?,
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                i += 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn token_text<'a>(token: &Token<'a>) -> &'a str {
    match token {
        Token::Word(t)
        | Token::Str(t)
        | Token::Spaced(t)
        | Token::InlineComment(t)
        | Token::Heredoc(t) => t,
        Token::Open('{') => "{",
        Token::Open('[') => "[",
        Token::Open(_) => "(",
        Token::Close('}') => "}",
        Token::Close(']') => "]",
        Token::Close(_) => ")",
        Token::Comma => ",",
    }
}

/// The tokens written with `terraform fmt`'s spacing: one space around `=` and the binary
/// operators, after a comma and inside braces; none inside brackets and parentheses, nor
/// before a comma; elsewhere one space where the input had any.
fn join(tokens: &[Token<'_>]) -> String {
    let mut out = String::new();
    let mut prev: Option<&Token<'_>> = None;
    let mut spaced = false;
    for token in tokens {
        if *token == SPACE {
            spaced = true;
            continue;
        }
        if let Some(prev) = prev {
            let space = match (prev, token) {
                (_, Token::Comma | Token::Close(']' | ')'))
                | (Token::Open('{'), Token::Close('}'))
                | (Token::Open('[' | '('), _) => false,
                (Token::Comma | Token::Spaced(_) | Token::Open('{'), _)
                | (
                    _,
                    Token::Spaced(_) | Token::Close('}') | Token::Heredoc(_) | Token::Open('{'),
                ) => true,
                _ => spaced,
            };
            if space {
                out.push(' ');
            }
        }
        out.push_str(token_text(token));
        prev = Some(token);
        spaced = false;
    }
    out
}

/// Aligns the `=` of consecutive single-line attributes at one level.
fn align(lines: &mut [Line<'_>]) {
    let mut start = 0;
    while start < lines.len() {
        let Some(level) = lines[start].key.map(|_| lines[start].level) else {
            start += 1;
            continue;
        };
        let mut end = start;
        while end < lines.len() && lines[end].key.is_some() && lines[end].level == level {
            end += 1;
        }
        let width = lines[start..end]
            .iter()
            .filter_map(|line| line.key)
            .max()
            .unwrap_or(0);
        for line in &mut lines[start..end] {
            if let Some(key) = line.key {
                let key_bytes = line
                    .text
                    .char_indices()
                    .nth(key)
                    .map_or(line.text.len(), |(at, _)| at);
                let pad = " ".repeat(width - key);
                line.text.insert_str(key_bytes, &pad);
            }
        }
        start = end;
    }
}

/// The lines with their indentation and the blank lines decided: at most one in a row, none
/// at the start or end of the file or of a block, and one between top-level blocks.
fn write(lines: &[Line<'_>]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut pending_blank = false;
    // The last line written that was not a heredoc's or comment's body.
    let mut previous: Option<&Line<'_>> = None;
    for line in lines {
        if let Some(raw) = line.verbatim {
            out.push(raw.to_owned());
            continue;
        }
        if line.blank {
            pending_blank = true;
            continue;
        }
        let mut blank = pending_blank && !line.closes && previous.is_some_and(|p| !p.opens);
        if line.level == 0 && previous.is_some_and(|p| p.closes && p.level == 0 && !p.opens) {
            blank = true;
        }
        if line.header && line.level == 0 && !blank {
            // The comments right above a block belong to it: the blank line goes above them.
            let mut group = out.len();
            while group > 0 && is_top_comment(&out[group - 1]) {
                group -= 1;
            }
            if group > 0 && !out[group - 1].is_empty() {
                out.insert(group, String::new());
            }
        }
        if blank && !out.is_empty() {
            out.push(String::new());
        }
        pending_blank = false;
        let mut text = " ".repeat(line.level * STEP);
        text.push_str(&line.text);
        if let Some(comment) = line.comment {
            let shift = moved(line.indent, line.level * STEP);
            text = place_trailing(&text, comment.shifted(shift));
        }
        out.push(text);
        previous = Some(line);
    }
    let mut text = out.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// A top-level own-line comment, as written out.
fn is_top_comment(line: &str) -> bool {
    line.starts_with('#') || line.starts_with("//") || line.starts_with("/*")
}
