//! A fast reader for the subset of YAML that configurations are written in.
//!
//! serde-saphyr reads a 50,000-scope-map configuration in about four seconds, most of it spent
//! building a `Spanned` value around every key and scalar (BENCHMARKS.md); DESIGN §8 allows a
//! second and a half for the whole plan. This reader builds the raw tree straight from the text
//! for block mappings and sequences, flow collections, plain and quoted scalars and comments,
//! with exactly the values and spans the conforming path gives.
//!
//! It gives up (`None`) on anything else: anchors, aliases, tags, block and multi-line scalars,
//! rare escapes, tabs, numbers it would have to interpret, and every syntax error. The file is
//! then read by serde-saphyr, which is also the one to explain what is wrong with it. The tests
//! hold the two readers equal on every YAML file in the repository and on random texts.

use std::cell::Cell;
use std::sync::Arc;

use compact_str::CompactString;

use super::syntax::{Kind, Piece, Place, Value};
use crate::config::raw::Named;
use crate::diagnostic::SourceFile;

#[cfg(test)]
mod tests;

/// Nesting deeper than this is left to the conforming parser, which has its own limit.
const MAX_DEPTH: usize = 48;

/// Implicit keys longer than this, quoted or not, are left to the conforming parser (YAML caps
/// them at 1024 characters).
const MAX_KEY_LEN: usize = 1000;

/// Reads `file`, handing each piece of its top level to `emit` as soon as it is read: the
/// sections of named objects one object at a time. Gives the place of the top level, or `None`
/// when the file is outside the subset (and what was handed over must be dropped).
pub(super) fn read(file: &Arc<SourceFile>, emit: &mut dyn FnMut(Piece)) -> Option<Place> {
    if !simple_characters(&file.text) {
        return None;
    }
    let mut reader = Reader {
        ascii: file.is_ascii(),
        text: &file.text,
        pos: 0,
        line: 1,
        line_start: 0,
        depth: 0,
        entries: Vec::new(),
        items: Vec::new(),
        last_column: Cell::new((0, 1)),
    };
    reader.document(emit)
}

/// Tabs, carriage returns, control characters (C0 and C1: YAML does not allow them), byte-order
/// marks, non-characters and the characters YAML 1.1 treats as line breaks are where parsers
/// differ; leave such files to the conforming one.
fn simple_characters(text: &str) -> bool {
    let controls = text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f);
    !controls
        && (text.is_ascii()
            || !text.chars().any(|c| {
                matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{feff}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

struct Reader<'a> {
    text: &'a str,
    /// Whether `text` is ASCII, where characters are counted in bytes.
    ascii: bool,
    /// Byte offset of the next character.
    pos: usize,
    /// Line of `pos`, from 1.
    line: usize,
    /// Byte offset where that line starts.
    line_start: usize,
    depth: usize,
    /// The entries and items of the collections being read, innermost last: each collection
    /// takes its own off the top when it ends, into a vector of exactly their number (a
    /// growing vector would waste up to half of the tree's memory).
    entries: Vec<(Value, Value)>,
    items: Vec<Value>,
    /// The last column computed: `(byte offset, column)`.
    last_column: Cell<(usize, usize)>,
}

/// Where a key was found on the current line, before it is read.
struct KeyAt {
    /// Byte offsets of the key as written (quotes included).
    start: usize,
    end: usize,
    quoted: bool,
}

impl Reader<'_> {
    fn document(&mut self, emit: &mut dyn FnMut(Piece)) -> Option<Place> {
        self.skip_empty_lines();
        if self.pos == self.line_start && self.rest().starts_with("---") {
            self.pos += 3;
            if !self.rest_of_line_is_empty() {
                return None;
            }
            self.next_line();
        }
        let indent = self.indent()?;
        if self.at_sequence_item() {
            return None;
        }
        self.enter()?;
        let whole = self.point(self.pos);
        loop {
            let (key, colon) = self.key()?;
            let named = matches!(&key.kind, Kind::String(k) if Named::from_key(k).is_some());
            if named && self.rest_of_line_is_empty() {
                let null = self.span(colon, colon + 1);
                self.next_line();
                match self.indent() {
                    Some(next) if next > indent && !self.at_sequence_item() => {
                        emit(Piece::Section(key, self.point(self.pos)));
                        self.members(next, emit)?;
                    }
                    _ => emit(Piece::Entry(key, self.value_below(indent, null)?)),
                }
            } else {
                emit(Piece::Entry(key, self.block_value(indent, colon)?));
            }
            if !self.map_continues(indent)? {
                break;
            }
        }
        self.depth -= 1;
        self.at_end().then_some(whole)
    }

    /// The entries of a block mapping in column `indent`, each handed to `emit` as a member of
    /// the section opened last.
    fn members(&mut self, indent: usize, emit: &mut dyn FnMut(Piece)) -> Option<()> {
        self.enter()?;
        loop {
            let (key, colon) = self.key()?;
            emit(Piece::Member(key, self.block_value(indent, colon)?));
            if !self.map_continues(indent)? {
                break;
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// A block mapping whose keys start at column `indent` (from 0); `pos` is at its first key.
    fn block_map(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let at = self.point(self.pos);
        let first_entry = self.entries.len();
        loop {
            let (key, colon) = self.key()?;
            let value = self.block_value(indent, colon)?;
            self.entries.push((key, value));
            if !self.map_continues(indent)? {
                break;
            }
        }
        self.depth -= 1;
        let entries = self.entries.drain(first_entry..).collect();
        Some(Value {
            kind: Kind::Map(entries),
            at,
        })
    }

    /// The key of a block mapping's entry at `pos`, and the byte of its colon, past which
    /// `pos` is left.
    fn key(&mut self) -> Option<(Value, usize)> {
        let at = self.key_at()?;
        let place = self.span(at.start, at.end);
        let kind = if at.quoted {
            Kind::String(self.quoted(at.start, at.end)?)
        } else {
            resolve_plain(&self.text[at.start..at.end])?
        };
        self.pos = at.end + 1;
        Some((Value { kind, at: place }, at.end))
    }

    /// After an entry of a block mapping in column `indent`: whether another follows.
    fn map_continues(&mut self, indent: usize) -> Option<bool> {
        match self.indent() {
            Some(next) if next == indent && !self.at_sequence_item() => Some(true),
            Some(next) if next < indent => Some(false),
            None => Some(false),
            // Deeper lines continue a scalar; a `-` here is an error: both are left to the
            // conforming parser.
            Some(_) => None,
        }
    }

    /// The value after the `:` at byte `colon` of a key at column `indent`.
    fn block_value(&mut self, indent: usize, colon: usize) -> Option<Value> {
        if self.rest_of_line_is_empty() {
            // Nothing on the line: the value is on the next lines, or it is null (and points
            // at the colon, as serde-saphyr does).
            let null = self.span(colon, colon + 1);
            self.next_line();
            return self.value_below(indent, null);
        }
        let value = self.inline_value(indent)?;
        if !self.rest_of_line_is_empty() {
            return None;
        }
        self.next_line();
        Some(value)
    }

    /// The value of a key at column `indent` with nothing after its colon, `pos` being at the
    /// next line with content: a deeper block, an indentless sequence, or null at `null`.
    fn value_below(&mut self, indent: usize, null: Place) -> Option<Value> {
        match self.indent() {
            Some(next) if next > indent => self.block_node(next),
            Some(next) if next == indent && self.at_sequence_item() => {
                self.block_sequence(indent, true)
            }
            _ => Some(Value {
                kind: Kind::Null,
                at: null,
            }),
        }
    }

    /// A mapping or a sequence starting at `pos`, in column `indent`.
    fn block_node(&mut self, indent: usize) -> Option<Value> {
        if self.at_sequence_item() {
            self.block_sequence(indent, false)
        } else {
            self.block_map(indent)
        }
    }

    /// A block sequence whose dashes are in column `indent`. An "indentless" one (a mapping's
    /// value with its dashes under the key) is placed where its first item starts, one with
    /// deeper dashes at its first dash: serde-saphyr's spans, kept so both paths agree.
    fn block_sequence(&mut self, indent: usize, indentless: bool) -> Option<Value> {
        self.enter()?;
        let dash = self.point(self.pos);
        let first_item = self.items.len();
        // Where an indentless sequence is placed when its first item starts on a later line:
        // just past the dash (only a bare `-` is taken; spaces or a comment after it are left
        // to the conforming parser).
        let mut past_first_dash = None;
        loop {
            self.pos += 1;
            if self.items.len() == first_item && self.peek() == Some(b'\n') {
                past_first_dash = Some(self.point(self.pos));
            }
            if self.rest_of_line_is_empty() {
                if indentless && self.items.len() == first_item && past_first_dash.is_none() {
                    return None;
                }
                self.next_line();
                match self.indent() {
                    Some(next) if next > indent => {
                        let item = self.block_node(next)?;
                        self.items.push(item);
                    }
                    _ => return None,
                }
            } else {
                let column = self.pos - self.line_start;
                if self.at_sequence_item() {
                    let item = self.block_sequence(column, false)?;
                    self.items.push(item);
                } else if self.key_at().is_some() {
                    let item = self.block_map(column)?;
                    self.items.push(item);
                } else {
                    let item = self.inline_value(indent)?;
                    self.items.push(item);
                    if !self.rest_of_line_is_empty() {
                        return None;
                    }
                    self.next_line();
                }
            }
            match self.indent() {
                Some(next) if next == indent && self.at_sequence_item() => {}
                Some(next) if next > indent => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        let span = match (indentless, past_first_dash) {
            (true, Some(past)) => past,
            (true, None) => Place {
                len: 1,
                ..self.items[first_item].at
            },
            (false, _) => dash,
        };
        let items = self.items.drain(first_item..).collect();
        Some(Value {
            kind: Kind::List(items),
            at: span,
        })
    }

    /// A value written on the line of its key or dash: a scalar or a flow collection.
    /// `indent` is the column of that key or dash; continuation lines must go deeper.
    fn inline_value(&mut self, indent: usize) -> Option<Value> {
        match self.peek()? {
            b'[' => self.flow_sequence(indent),
            b'{' => self.flow_map(indent),
            b'"' | b'\'' => self.quoted_node(),
            _ => self.block_plain(),
        }
    }

    /// A quoted scalar starting at `pos`, on one line.
    fn quoted_node(&mut self) -> Option<Value> {
        let start = self.pos;
        let end = self.quoted_end(start)?;
        let value = self.quoted(start, end)?;
        let at = self.span(start, end);
        self.pos = end;
        Some(Value {
            kind: Kind::String(value),
            at,
        })
    }

    /// A plain scalar running to the end of its line (or a comment).
    fn block_plain(&mut self) -> Option<Value> {
        let start = self.pos;
        if !plain_start(self.rest().as_bytes()) {
            return None;
        }
        let line_end = self
            .rest()
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let line = &self.text[start..line_end];
        let end = start + line.find(" #").unwrap_or(line.len());
        let value = self.text[start..end].trim_end_matches(' ');
        // `a: b: c` is an error; `a: b:` too.
        if value.contains(": ") || value.ends_with(':') {
            return None;
        }
        let end = start + value.len();
        let kind = resolve_plain(value)?;
        let at = self.span(start, end);
        self.pos = end;
        Some(Value { kind, at })
    }

    /// `[a, b]`, on one line or several indented deeper than `indent`.
    fn flow_sequence(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let span = self.point(self.pos);
        self.pos += 1;
        let first_item = self.items.len();
        let mut closed = self.flow_empty(indent, b']')?;
        while !closed {
            let item = self.flow_node(indent)?;
            self.items.push(item);
            closed = self.flow_next(indent, b']')?;
        }
        self.depth -= 1;
        let items = self.items.drain(first_item..).collect();
        Some(Value {
            kind: Kind::List(items),
            at: span,
        })
    }

    /// `{a: 1, b: 2}`, on one line or several indented deeper than `indent`.
    fn flow_map(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let span = self.point(self.pos);
        self.pos += 1;
        let first_entry = self.entries.len();
        let mut closed = self.flow_empty(indent, b'}')?;
        while !closed {
            let start = self.pos;
            let kind = match self.peek()? {
                b'"' | b'\'' => {
                    let end = self.quoted_end(start)?;
                    let key = self.quoted(start, end)?;
                    self.pos = end;
                    Kind::String(key)
                }
                _ => {
                    let end = self.flow_plain_end(true)?;
                    self.pos = end;
                    resolve_plain(&self.text[start..end])?
                }
            };
            let key = Value {
                kind,
                at: self.span(start, self.pos),
            };
            if !self.rest().starts_with(": ") {
                return None;
            }
            self.pos += 2;
            self.flow_space(indent)?;
            let value = self.flow_node(indent)?;
            self.entries.push((key, value));
            closed = self.flow_next(indent, b'}')?;
        }
        self.depth -= 1;
        let entries = self.entries.drain(first_entry..).collect();
        Some(Value {
            kind: Kind::Map(entries),
            at: span,
        })
    }

    /// Past the opening bracket: whether the collection closes at once (`close`).
    fn flow_empty(&mut self, indent: usize, close: u8) -> Option<bool> {
        self.flow_space(indent)?;
        let empty = self.peek()? == close;
        if empty {
            self.pos += 1;
        }
        Some(empty)
    }

    /// After an item of a flow collection: a comma and more (`false`), or the closing bracket
    /// (`true`); anything else, a trailing comma included, is left to the conforming parser.
    fn flow_next(&mut self, indent: usize, close: u8) -> Option<bool> {
        self.flow_space(indent)?;
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.flow_space(indent)?;
                Some(false)
            }
            b if b == close => {
                self.pos += 1;
                Some(true)
            }
            _ => None,
        }
    }

    /// One item of a flow collection.
    fn flow_node(&mut self, indent: usize) -> Option<Value> {
        match self.peek()? {
            b'[' => self.flow_sequence(indent),
            b'{' => self.flow_map(indent),
            b'"' | b'\'' => {
                let node = self.quoted_node()?;
                // `["a": b]` is a one-pair mapping.
                (self.peek() != Some(b':')).then_some(node)
            }
            _ => {
                let start = self.pos;
                let end = self.flow_plain_end(false)?;
                let kind = resolve_plain(&self.text[start..end])?;
                let at = self.span(start, end);
                self.pos = end;
                Some(Value { kind, at })
            }
        }
    }

    /// Where a plain scalar in a flow collection ends. In a key, `: ` ends it; anywhere else a
    /// colon, a comment or an odd character sends the file to the conforming parser.
    fn flow_plain_end(&self, key: bool) -> Option<usize> {
        let bytes = self.rest().as_bytes();
        if !plain_start(bytes) {
            return None;
        }
        let mut end = 0;
        while let Some(&b) = bytes.get(end) {
            match b {
                b',' | b'[' | b']' | b'{' | b'}' | b'\n' => break,
                b':' if key && bytes.get(end + 1) == Some(&b' ') => break,
                b':' | b'#' => return None,
                _ => end += 1,
            }
        }
        let value = self.rest()[..end].trim_end_matches(' ');
        (!value.is_empty()).then_some(self.pos + value.len())
    }

    /// Spaces and line breaks inside a flow collection; a continuation line must be indented
    /// deeper than `indent`, and comments there are left to the conforming parser.
    fn flow_space(&mut self, indent: usize) -> Option<()> {
        loop {
            match self.peek()? {
                b' ' => self.pos += 1,
                b'\n' => {
                    self.newline();
                    let spaces = self.rest().bytes().take_while(|&b| b == b' ').count();
                    self.pos += spaces;
                    if spaces <= indent && self.peek() != Some(b'\n') {
                        return None;
                    }
                }
                b'#' => return None,
                _ => return Some(()),
            }
        }
    }

    /// The key on the current line starting at `pos`, if the line is a `key: value` entry.
    fn key_at(&self) -> Option<KeyAt> {
        let start = self.pos;
        let bytes = self.rest().as_bytes();
        let (end, quoted) = match bytes.first()? {
            b'"' | b'\'' => (self.quoted_end(start)?, true),
            _ => {
                if !plain_start(bytes) {
                    return None;
                }
                let mut i = 0;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') => return None,
                        Some(b':') if matches!(bytes.get(i + 1), None | Some(b' ' | b'\n')) => {
                            break;
                        }
                        Some(b'#') if bytes[i - 1] == b' ' => return None,
                        _ => i += 1,
                    }
                }
                let key = &self.rest()[..i];
                if key.ends_with(' ') || key == "<<" || key.len() > MAX_KEY_LEN {
                    return None;
                }
                (start + i, false)
            }
        };
        // Quoted keys too: YAML's 1024-character cap on implicit keys counts the quotes.
        if end - start > MAX_KEY_LEN {
            return None;
        }
        let after = &self.text.as_bytes()[end..];
        if after.first() != Some(&b':') || !matches!(after.get(1), None | Some(b' ' | b'\n')) {
            return None;
        }
        Some(KeyAt { start, end, quoted })
    }

    /// The byte just past the closing quote of the scalar quoted at `start`, on its line.
    fn quoted_end(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let quote = bytes[start];
        let mut i = start + 1;
        loop {
            match *bytes.get(i)? {
                b'\n' => return None,
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return Some(i + 1),
                _ => i += 1,
            }
        }
    }

    /// The value of the quoted scalar written at `start..end`; rare escapes give up.
    fn quoted(&self, start: usize, end: usize) -> Option<CompactString> {
        let inner = &self.text[start + 1..end - 1];
        if self.text.as_bytes()[start] == b'\'' {
            return Some(inner.replace("''", "'").into());
        }
        if !inner.contains('\\') {
            return Some(inner.into());
        }
        let mut value = CompactString::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            value.push(match chars.next()? {
                '\\' => '\\',
                '"' => '"',
                '/' => '/',
                'n' => '\n',
                't' => '\t',
                _ => return None,
            });
        }
        Some(value)
    }

    /// Past spaces and a comment; whether the line has nothing else.
    fn rest_of_line_is_empty(&mut self) -> bool {
        let spaces = self.rest().bytes().take_while(|&b| b == b' ').count();
        self.pos += spaces;
        match self.peek() {
            None | Some(b'\n') => true,
            Some(b'#') if spaces > 0 || self.pos == self.line_start => {
                self.pos += self.rest().find('\n').unwrap_or(self.rest().len());
                true
            }
            _ => false,
        }
    }

    /// From the end of a line to the first character of the next line with content.
    fn next_line(&mut self) {
        if self.peek() == Some(b'\n') {
            self.newline();
        }
        self.skip_empty_lines();
    }

    /// Past blank and comment-only lines, to the first character of a line with content.
    fn skip_empty_lines(&mut self) {
        loop {
            let spaces = self.rest().bytes().take_while(|&b| b == b' ').count();
            self.pos += spaces;
            match self.peek() {
                Some(b'\n') => self.newline(),
                Some(b'#') => {
                    self.pos += self.rest().find('\n').unwrap_or(self.rest().len());
                }
                _ => return,
            }
        }
    }

    fn newline(&mut self) {
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    /// The column (from 0) of `pos`, which is at a line's first character; `None` at the end.
    fn indent(&self) -> Option<usize> {
        (!self.at_end()).then(|| self.pos - self.line_start)
    }

    fn at_sequence_item(&self) -> bool {
        let bytes = self.rest().as_bytes();
        bytes.first() == Some(&b'-') && matches!(bytes.get(1), None | Some(b' ' | b'\n'))
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// The span of `start..end` on the current line, in characters as the diagnostics count.
    fn span(&self, start: usize, end: usize) -> Place {
        let len = self.chars(start, end);
        Place::new(self.line, self.column(start), len)
    }

    /// A one-character span at `at` on the current line.
    fn point(&self, at: usize) -> Place {
        Place::new(self.line, self.column(at), 1)
    }

    /// The column (from 1, in characters) of byte `at` on the current line. Counted on from
    /// the last column asked for, so that a long line (a machine-written flow list) costs
    /// linear time, not quadratic.
    fn column(&self, at: usize) -> usize {
        let (mut from, mut column) = self.last_column.get();
        if from < self.line_start || from > at {
            (from, column) = (self.line_start, 1);
        }
        column += self.chars(from, at);
        self.last_column.set((at, column));
        column
    }

    /// How many characters the bytes `start..end` hold.
    fn chars(&self, start: usize, end: usize) -> usize {
        if self.ascii {
            end - start
        } else {
            self.text[start..end].chars().count()
        }
    }
}

/// Whether a plain scalar may start with these bytes; an indicator means YAML structure this
/// reader leaves alone (or an error).
fn plain_start(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(b'-' | b'?' | b':') => !matches!(bytes.get(1), None | Some(b' ' | b'\n')),
        Some(
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ',
        )
        | None => false,
        Some(_) => true,
    }
}

/// What a plain scalar means, as serde-saphyr resolves it (YAML 1.1 booleans, YAML 1.2
/// numbers); `None` for the numeric spellings this reader does not interpret.
fn resolve_plain(text: &str) -> Option<Kind> {
    if matches!(text, "~" | "null" | "Null" | "NULL") {
        return Some(Kind::Null);
    }
    for (words, value) in [
        (["true", "yes", "y", "on"], true),
        (["false", "no", "n", "off"], false),
    ] {
        if words.iter().any(|w| text.eq_ignore_ascii_case(w)) {
            return Some(Kind::Bool(value));
        }
    }
    if canonical_integer(text) {
        return Some(Kind::Number(text.into()));
    }
    let bytes = text.as_bytes();
    let radix_prefix = bytes.len() > 1
        && bytes[0] == b'0'
        && matches!(bytes[1], b'x' | b'X' | b'o' | b'O' | b'b' | b'B');
    match bytes.first()? {
        b'0'..=b'9' if !radix_prefix && !number_shaped(bytes) => Some(Kind::String(text.into())),
        b'0'..=b'9' | b'-' | b'+' | b'.' => None,
        _ => Some(Kind::String(text.into())),
    }
}

/// Whether `bytes` could be one of the decimal numbers serde-saphyr reads; `90d`,
/// `10.0.0.0/8`, `12:30` and `00000000-0000-0000-0000-000000000000` cannot.
fn number_shaped(bytes: &[u8]) -> bool {
    let mut dots = 0;
    let mut exponents = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' | b'_' => {}
            b'.' => dots += 1,
            b'e' | b'E' => exponents += 1,
            b'+' | b'-' if i == 0 || matches!(bytes[i - 1], b'e' | b'E') => {}
            _ => return false,
        }
    }
    dots <= 1 && exponents <= 1
}

/// `0`, or digits without a leading zero that fit in an `i64`, with an optional `-`.
fn canonical_integer(text: &str) -> bool {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits.as_bytes()),
        None => (false, text.as_bytes()),
    };
    !digits.is_empty()
        && digits.len() <= 18
        && digits.iter().all(u8::is_ascii_digit)
        && (digits[0] != b'0' || (digits.len() == 1 && !negative))
}
