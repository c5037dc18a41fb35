//! YAML in the canonical layout, line by line, keeping every comment.
//!
//! No YAML library keeps comments and layout, so this works on lines: each line is a
//! structural one (keys and `-` items, whose column says where it belongs), a comment, a blank,
//! or the continuation of a value that started above (a block scalar, a flow collection or a
//! quoted or plain scalar over several lines). Structural lines are re-indented from the
//! nesting they express; a flow collection on one line is spaced (`[a, b]`, `{ k: v }`), and
//! everything else a value holds is moved with its line and never rewritten.
//! The caller parses the result again and compares it with the input (`super::same_meaning`),
//! so a construct read wrongly here is refused, never written.

use super::trailing::{Trailing, place_trailing};

mod flow;

use super::{Unformattable, moved};
use flow::flow_layout;

/// Spaces per level of nesting.
const STEP: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Map,
    Seq,
}

/// A block mapping or sequence still open: its column in the input and in the output.
#[derive(Debug, Clone, Copy)]
struct Open {
    kind: Kind,
    old: usize,
    new: usize,
}

/// Where the value of the last structural line goes on.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Normal,
    /// The content of a block scalar (`|`, `>`), kept as written, moved by `shift`.
    BlockScalar {
        owner: usize,
        shift: isize,
        keep: bool,
        /// The column of its first non-blank line, once seen.
        content: Option<usize>,
    },
    /// A flow collection or a quoted scalar left open at the end of a line.
    Open {
        shift: isize,
        state: Scan,
    },
}

/// A comment or blank line waiting for the structural line after it.
enum Pending {
    Blank,
    Comment { column: usize, text: String },
}

/// What scanning a value left open at the end of a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Scan {
    depth: usize,
    quote: Option<char>,
    /// The line ended inside a plain scalar of a flow collection, which goes on at the next
    /// line's first character (a quote there is part of it).
    in_plain: bool,
}

impl Scan {
    fn is_open(self) -> bool {
        self.depth > 0 || self.quote.is_some()
    }
}

struct Formatter {
    out: Vec<String>,
    stack: Vec<Open>,
    mode: Mode,
    pending: Vec<Pending>,
    /// The last structural line ended with an empty value (`key:`, `-`, `key: &anchor`): the
    /// next deeper line is its value.
    opened: bool,
    /// The shift of the last structural line, for a plain scalar continued on the next lines.
    last_shift: isize,
    /// The column a value continued on the next lines must stay right of: past the block
    /// holding the last structural line.
    floor: usize,
    /// The last structural line's value was a plain scalar, which may go on below.
    plain_value: bool,
    /// Blank lines seen inside a block scalar, not yet known to be its content.
    scalar_blanks: Vec<String>,
    seen_content: bool,
}

/// `text` (LF line endings) in the canonical layout.
pub(super) fn format(text: &str) -> Result<String, Unformattable> {
    let mut f = Formatter {
        out: Vec::new(),
        stack: Vec::new(),
        mode: Mode::Normal,
        pending: Vec::new(),
        opened: false,
        last_shift: 0,
        floor: 0,
        plain_value: false,
        scalar_blanks: Vec::new(),
        seen_content: false,
    };
    for (index, line) in text.split_terminator('\n').enumerate() {
        f.line(line).map_err(|reason| Unformattable {
            line: index + 1,
            reason,
        })?;
    }
    f.finish();
    let mut out = f.out.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    Ok(out)
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim_matches([' ', '\t']).is_empty()
}

/// `line` moved right (or left) by `shift` columns, and at least to column `floor`.
fn shifted(line: &str, shift: isize, floor: usize) -> String {
    let spaces = leading_spaces(line);
    let new = spaces.saturating_add_signed(shift).max(floor);
    format!("{}{}", " ".repeat(new), &line[spaces..])
}

impl Formatter {
    fn line(&mut self, line: &str) -> Result<(), &'static str> {
        match self.mode {
            Mode::BlockScalar {
                owner,
                shift,
                keep,
                content,
            } => {
                if line.trim_start_matches(' ').is_empty() {
                    self.scalar_blanks.push(line.to_owned());
                    return Ok(());
                }
                let indent = leading_spaces(line);
                if indent > owner {
                    let content = content.unwrap_or(indent);
                    self.mode = Mode::BlockScalar {
                        owner,
                        shift,
                        keep,
                        content: Some(content),
                    };
                    for blank in std::mem::take(&mut self.scalar_blanks) {
                        // Spaces past the content's column are content; fewer are nothing.
                        let kept = if blank.len() > content {
                            " ".repeat(blank.len().saturating_add_signed(shift))
                        } else {
                            String::new()
                        };
                        self.out.push(kept);
                    }
                    self.out.push(shifted(line, shift, 0));
                    return Ok(());
                }
                // The scalar ended: blank lines after it are its content only with `+`.
                let blanks = std::mem::take(&mut self.scalar_blanks);
                if keep {
                    self.out.extend(blanks.iter().map(|_| String::new()));
                } else if !blanks.is_empty() {
                    self.pending.push(Pending::Blank);
                }
                self.mode = Mode::Normal;
            }
            Mode::Open { shift, state } => {
                let (state, _) = scan(line, state, false);
                let text = if state.quote.is_some() {
                    line.to_owned()
                } else {
                    line.trim_end_matches([' ', '\t']).to_owned()
                };
                self.out.push(shifted(&text, shift, self.floor));
                self.mode = if state.is_open() {
                    Mode::Open { shift, state }
                } else {
                    Mode::Normal
                };
                return Ok(());
            }
            Mode::Normal => {}
        }
        if is_blank(line) {
            self.pending.push(Pending::Blank);
            return Ok(());
        }
        let indent = leading_spaces(line);
        let rest = &line[indent..];
        if rest.starts_with('\t') {
            return Err("a tab in the indentation");
        }
        if rest.starts_with('#') {
            self.pending.push(Pending::Comment {
                column: indent,
                text: rest.trim_end_matches([' ', '\t']).to_owned(),
            });
            return Ok(());
        }
        if indent == 0 && (rest == "---" || rest.starts_with("--- ") || rest.starts_with("---\t")) {
            if self.seen_content {
                return Err("a second document (`---`)");
            }
            self.flush_pending();
            self.out.push(rest.trim_end_matches([' ', '\t']).to_owned());
            return Ok(());
        }
        if indent == 0 && (rest.starts_with("...") || rest.starts_with('%')) {
            return Err("document markers and directives");
        }
        // A plain scalar going on from the line above.
        let top = self.stack.last().map(|open| open.old);
        if self.plain_value && !self.opened && top.is_some_and(|top| indent > top) {
            let shift = self.last_shift;
            self.flush_pending();
            self.out.push(shifted(
                line.trim_end_matches([' ', '\t']),
                shift,
                self.floor,
            ));
            return Ok(());
        }
        self.structural(indent, rest)
    }

    /// A line of keys and `-` items.
    fn structural(&mut self, indent: usize, rest: &str) -> Result<(), &'static str> {
        self.seen_content = true;
        let parsed = parse_line(indent, rest)?;
        let first_kind = parsed.starts.first().map_or(Kind::Map, |s| s.kind);
        if parsed.starts.is_empty() && self.stack.is_empty() {
            return Err("a document that is a single value, not a mapping");
        }
        if parsed.starts.is_empty() && !self.opened {
            return Err("a value where a key or `-` item belongs");
        }
        // Comments deeper than this line belong to what is above it: placed by the blocks
        // still open there.
        let above: Vec<Option<usize>> = self
            .pending
            .iter()
            .map(|p| match p {
                Pending::Comment { column, .. } if *column > indent => {
                    Some(self.column_for(*column))
                }
                _ => None,
            })
            .collect();
        let new = self.place(indent, first_kind, parsed.starts.is_empty())?;
        self.flush_placed(&above, new);

        let mut text = " ".repeat(new);
        let mut column = new;
        let mut owner_shift = 0isize;
        let mut owner_old = indent;
        for (i, start) in parsed.starts.iter().enumerate() {
            if i > 0 {
                self.stack.push(Open {
                    kind: start.kind,
                    old: start.column,
                    new: column,
                });
            }
            owner_shift = moved(start.column, column);
            owner_old = start.column;
            match start.kind {
                Kind::Seq => {
                    text.push('-');
                    if i + 1 < parsed.starts.len() || !parsed.value.is_empty() {
                        text.push(' ');
                    }
                    column += STEP;
                }
                Kind::Map => {
                    text.push_str(start.key);
                    text.push(':');
                    if !parsed.value.is_empty() {
                        text.push(' ');
                    }
                }
            }
        }
        if parsed.starts.is_empty() {
            // A value alone on its line, under a `key:` or `-` that opened it.
            owner_shift = moved(indent, new);
        }
        let bare = strip_properties(parsed.value);
        match flow_layout(bare) {
            Some(flow) => {
                text.push_str(&parsed.value[..parsed.value.len() - bare.len()]);
                text.push_str(&flow);
            }
            None => text.push_str(parsed.value),
        }
        let text = match parsed.comment {
            Some(comment) => place_trailing(&text, comment.shifted(moved(indent, new))),
            None => text,
        };
        self.out.push(text);

        let value = parsed.value;
        let bare = strip_properties(value);
        self.opened = bare.is_empty();
        self.plain_value = false;
        self.last_shift = owner_shift;
        self.floor = self.stack.last().map_or(0, |open| open.new + 1);
        if is_block_scalar_header(bare) {
            // Its content is every line deeper than the key or `-` that holds it.
            self.mode = Mode::BlockScalar {
                owner: owner_old,
                shift: owner_shift,
                keep: bare.contains('+'),
                content: None,
            };
        } else if !bare.is_empty() {
            let (state, _) = scan(value, Scan::default(), false);
            if state.is_open() {
                self.mode = Mode::Open {
                    shift: owner_shift,
                    state,
                };
            } else {
                self.plain_value = !matches!(bare.as_bytes()[0], b'"' | b'\'' | b'[' | b'{' | b'*');
            }
        }
        Ok(())
    }

    /// The output column of a line whose first structure (of `kind`) is at `indent`, with the
    /// stack updated to it.
    fn place(
        &mut self,
        indent: usize,
        kind: Kind,
        bare_value: bool,
    ) -> Result<usize, &'static str> {
        if bare_value {
            // `key:` or `-` above opened a value written on its own line.
            let new = self.stack.last().map_or(0, |open| open.new + STEP);
            return Ok(new);
        }
        let Some(top) = self.stack.last().copied() else {
            self.stack.push(Open {
                kind,
                old: indent,
                new: 0,
            });
            return Ok(0);
        };
        if indent > top.old {
            if !self.opened {
                return Err("a line deeper than the structure above it");
            }
            let new = top.new + STEP;
            self.stack.push(Open {
                kind,
                old: indent,
                new,
            });
            return Ok(new);
        }
        while self.stack.last().is_some_and(|open| open.old > indent) {
            self.stack.pop();
        }
        let Some(top) = self.stack.last().copied() else {
            return Err("a line left of the document's first key");
        };
        if top.old != indent {
            return Err("a line between two levels of indentation");
        }
        match (top.kind, kind) {
            (a, b) if a == b => Ok(top.new),
            // `key:` with its `-` items in the key's column: they go one step in.
            (Kind::Map, Kind::Seq) => {
                let new = top.new + STEP;
                self.stack.push(Open {
                    kind,
                    old: indent,
                    new,
                });
                Ok(new)
            }
            (Kind::Seq, Kind::Map) => {
                self.stack.pop();
                match self.stack.last() {
                    Some(open) if open.old == indent && open.kind == Kind::Map => Ok(open.new),
                    _ => Err("a key in the column of a `-` item"),
                }
            }
            _ => Err("unexpected structure"),
        }
    }

    /// The output column of an own-line comment written in `column`, by the blocks open now.
    fn column_for(&self, column: usize) -> usize {
        let Some(open) = self.stack.iter().rev().find(|open| open.old <= column) else {
            return 0;
        };
        let is_top = self
            .stack
            .last()
            .is_some_and(|top| top.old == open.old && top.kind == open.kind);
        if column > open.old && is_top && self.opened {
            open.new + STEP
        } else {
            open.new
        }
    }

    /// Writes the pending comments and blank lines: a comment at `above[i]` if placed there,
    /// else in `new` (the column of the line they precede).
    fn flush_placed(&mut self, above: &[Option<usize>], new: usize) {
        let pending = std::mem::take(&mut self.pending);
        for (item, place) in pending.into_iter().zip(above) {
            match item {
                Pending::Blank => self.blank(),
                Pending::Comment { text, .. } => {
                    let column = place.unwrap_or(new);
                    self.out.push(format!("{}{text}", " ".repeat(column)));
                }
            }
        }
    }

    /// Writes the pending comments by their own columns (at the end, or before `---`).
    fn flush_pending(&mut self) {
        let above: Vec<Option<usize>> = self
            .pending
            .iter()
            .map(|p| match p {
                Pending::Comment { column, .. } => Some(self.column_for(*column)),
                Pending::Blank => None,
            })
            .collect();
        self.flush_placed(&above, 0);
    }

    /// One blank line, never two in a row nor at the top.
    fn blank(&mut self) {
        if self.out.last().is_some_and(|last| !last.is_empty()) {
            self.out.push(String::new());
        }
    }

    fn finish(&mut self) {
        if let Mode::BlockScalar { keep: true, .. } = self.mode {
            let blanks = std::mem::take(&mut self.scalar_blanks);
            self.out.extend(blanks.iter().map(|_| String::new()));
        }
        self.flush_pending();
        while self.out.last().is_some_and(String::is_empty)
            && !matches!(self.mode, Mode::BlockScalar { keep: true, .. })
        {
            self.out.pop();
        }
    }
}

/// One structure a line starts: a `-` item, or a key (its text as written, quotes included).
#[derive(Debug)]
struct Start<'a> {
    kind: Kind,
    column: usize,
    key: &'a str,
}

#[derive(Debug)]
struct Parsed<'a> {
    starts: Vec<Start<'a>>,
    value: &'a str,
    comment: Option<Trailing<'a>>,
}

/// Splits a structural line (`rest` starts in column `indent`) into its `-` items, its key,
/// its value and its trailing comment.
fn parse_line(indent: usize, rest: &str) -> Result<Parsed<'_>, &'static str> {
    let mut starts = Vec::new();
    let mut column = indent;
    let mut rest = rest;
    loop {
        let bytes = rest.as_bytes();
        if bytes.first() == Some(&b'-') && matches!(bytes.get(1), None | Some(b' ' | b'\t')) {
            starts.push(Start {
                kind: Kind::Seq,
                column,
                key: "",
            });
            let after = rest[1..].trim_start_matches([' ', '\t']);
            column += chars(rest) - chars(after);
            rest = after;
            continue;
        }
        // (A `?` alone after a `-` is left as it is written.)
        if bytes.first() == Some(&b'?')
            && (matches!(bytes.get(1), Some(b' ' | b'\t')) || starts.is_empty())
        {
            return Err("complex keys (`? `)");
        }
        break;
    }
    let (_, comment_at) = scan(rest, Scan::default(), true);
    let content = &rest[..comment_at.unwrap_or(rest.len())];
    let comment = comment_at.map(|at| Trailing::new(rest, at, column));
    let content = content.trim_end_matches([' ', '\t']);
    let value = match key_end(content) {
        Some((key_len, colon)) => {
            if strip_properties(&content[..key_len]).is_empty() {
                // After a bare `:` YAML allows a compact mapping, whose columns would move.
                return Err("an empty key");
            }
            starts.push(Start {
                kind: Kind::Map,
                column,
                key: content[..key_len].trim_end_matches([' ', '\t']),
            });
            content[colon + 1..].trim_start_matches([' ', '\t'])
        }
        None => content,
    };
    Ok(Parsed {
        starts,
        value,
        comment,
    })
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Where an implicit key ends in `content`: the key's length and the offset of its `:`.
fn key_end(content: &str) -> Option<(usize, usize)> {
    let bytes = content.as_bytes();
    let first = *bytes.first()?;
    let colon_ends = |at: usize| {
        bytes.get(at) == Some(&b':') && matches!(bytes.get(at + 1), None | Some(b' ' | b'\t'))
    };
    if first == b'"' || first == b'\'' {
        let end = quoted_end(content, first)?;
        let after = content[end..].trim_start_matches([' ', '\t']);
        let at = content.len() - after.len();
        return colon_ends(at).then_some((end, at));
    }
    if first == b'&' || first == b'!' {
        // An anchor or a tag, then the key it is put on (or a value).
        let end = content.find([' ', '\t'])?;
        let rest = content[end..].trim_start_matches([' ', '\t']);
        let skipped = content.len() - rest.len();
        return key_end(rest).map(|(len, colon)| (skipped + len, skipped + colon));
    }
    if matches!(first, b'[' | b'{' | b'|' | b'>' | b'*' | b'@' | b'`') {
        return None;
    }
    (0..bytes.len())
        .find(|&at| colon_ends(at))
        .map(|at| (at, at))
}

/// The offset just past the quoted scalar that starts `text` (on this line), if it ends here.
pub(super) fn quoted_end(text: &str, quote: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A value without its anchor and tag (`&a`, `!t`).
fn strip_properties(value: &str) -> &str {
    let mut value = value;
    while value.starts_with('&') || value.starts_with('!') {
        let end = value.find([' ', '\t']).unwrap_or(value.len());
        value = value[end..].trim_start_matches([' ', '\t']);
    }
    value
}

/// `|`, `>`, with their chomping and indentation indicators.
fn is_block_scalar_header(value: &str) -> bool {
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c.is_ascii_digit() || c == '+' || c == '-')
}

/// Scans a line's text from `state`: whether a flow collection or quoted scalar is still open at
/// its end, and where its comment starts. A quote opens a scalar only where a scalar starts: at
/// the start, after `- ` or `: ` (`block`), or after a flow indicator.
fn scan(text: &str, mut state: Scan, block: bool) -> (Scan, Option<usize>) {
    let bytes = text.as_bytes();
    let mut at_start = state.quote.is_none() && !state.in_plain;
    let mut comment = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(quote) = state.quote {
            match b {
                b'\\' if quote == '"' => i += 1,
                b'\'' if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                _ if b == quote as u8 => {
                    state.quote = None;
                    at_start = false;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t') => {
                comment = Some(i);
                break;
            }
            b'"' | b'\'' if at_start => state.quote = Some(b as char),
            // In a block, `[` and `{` inside a plain scalar are part of it.
            b'[' | b'{' if at_start || state.depth > 0 => {
                state.depth += 1;
                at_start = true;
            }
            b']' | b'}' if state.depth > 0 => {
                state.depth -= 1;
                at_start = false;
            }
            b',' => at_start = state.depth > 0,
            // `: ` ends a key anywhere; `- ` and `? ` are indicators only where a node starts
            // (inside a plain scalar they are part of it).
            b':' | b'-' | b'?'
                if (state.depth > 0 || block)
                    && (b == b':' || at_start)
                    && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t')) =>
            {
                at_start = true;
            }
            b' ' | b'\t' => {}
            _ => at_start = false,
        }
        i += 1;
    }
    state.in_plain = state.depth > 0 && state.quote.is_none() && !at_start;
    (state, comment)
}
