//! A fast reader for the HCL most configurations are written in: blocks with quoted labels,
//! attributes, and literal strings, booleans, nulls, lists and objects, with `#` and `//`
//! comments. It stops (`declined`) at anything else, and the file goes to hcl-edit, whose
//! document model is far heavier: at Premium scale (50,000 scope maps and tokens) hcl-edit took
//! 2 s and 1.2 GB to read what this reader reads in a fraction of both.
//!
//! Wherever it reads a file it gives exactly what `syntax::from_edit` gives for hcl-edit's
//! document, range for range; the differential tests and the `hcl_subset` fuzz target hold it
//! to that. Numbers, escapes, templates, heredocs, bare names as values, block comments, tabs
//! and carriage returns are all left to hcl-edit.

use compact_str::CompactString;

use super::syntax::{Attribute, Block, Expr, ExprKind, ObjectKey, Structure, Word};

/// How deeply blocks, lists and objects may nest before the reader leaves the file to
/// hcl-edit (which refuses more than 64 levels).
const MAX_DEPTH: usize = 32;

/// Words HCL gives a meaning of their own; the reader leaves them to hcl-edit wherever they
/// are names.
const KEYWORDS: [&str; 9] = [
    "true", "false", "null", "for", "in", "if", "else", "endif", "endfor",
];

/// Reads the top-level structures of a file one at a time, so that the caller can convert
/// each and let it go.
pub(super) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    declined: bool,
    /// The top-level attributes' keys so far: hcl-edit refuses a key twice in one body.
    top_level_keys: Vec<CompactString>,
}

/// The reader met something outside its subset.
struct Declined;

type Read<T> = Result<T, Declined>;

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        // Tabs, carriage returns and other control characters are where readers differ.
        let controls = text.bytes().any(|b| (b < 0x20 && b != b'\n') || b == 0x7f);
        Self {
            text,
            pos: 0,
            declined: controls,
            top_level_keys: Vec::new(),
        }
    }

    /// Whether the file turned out to be outside the subset: what was read is not the file.
    pub(super) fn declined(&self) -> bool {
        self.declined
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Skips spaces and a comment that runs to the end of the line, not the line break.
    fn skip_spaces(&mut self) -> Read<()> {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        let rest = self.rest();
        if rest.starts_with('#') || rest.starts_with("//") {
            self.pos += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            return Err(Declined);
        }
        Ok(())
    }

    /// Skips spaces, comments and line breaks.
    fn skip_lines(&mut self) -> Read<()> {
        loop {
            self.skip_spaces()?;
            if self.peek() == Some(b'\n') {
                self.pos += 1;
            } else {
                return Ok(());
            }
        }
    }

    /// The end of a line: spaces, perhaps a comment, then a line break or the end of the file.
    fn end_of_line(&mut self) -> Read<()> {
        self.skip_spaces()?;
        match self.peek() {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(Declined),
        }
    }

    /// A name: an ASCII letter or `_`, then letters, digits, `_` and `-`; not a keyword.
    fn word(&mut self) -> Read<Word> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        if !bytes
            .get(start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return Err(Declined);
        }
        let mut end = start + 1;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        {
            end += 1;
        }
        let text = &self.text[start..end];
        if KEYWORDS.contains(&text) {
            return Err(Declined);
        }
        self.pos = end;
        Ok(Word {
            text: text.into(),
            range: Some(start..end),
        })
    }

    /// A quoted string without escapes or templates, and its range, quotes included.
    fn string(&mut self) -> Read<Word> {
        let start = self.pos;
        debug_assert_eq!(self.peek(), Some(b'"'));
        let inner = &self.text[start + 1..];
        let len = literal_len(inner).ok_or(Declined)?;
        let value = &inner[..len];
        let end = start + 1 + len + 1;
        self.pos = end;
        Ok(Word {
            text: value.into(),
            range: Some(start..end),
        })
    }

    /// One structure of a body, starting at its first character.
    fn structure(&mut self, depth: usize) -> Read<Structure> {
        if depth > MAX_DEPTH {
            return Err(Declined);
        }
        let key = self.word()?;
        self.skip_spaces()?;
        if self.peek() == Some(b'=') {
            self.pos += 1;
            let value = self.value_after_spaces(depth + 1)?;
            return Ok(Structure::Attribute(Attribute { key, value }));
        }
        let mut labels = Vec::new();
        while self.peek() == Some(b'"') {
            labels.push(self.string()?);
            self.skip_spaces()?;
        }
        if self.peek() != Some(b'{') {
            return Err(Declined);
        }
        self.pos += 1;
        self.skip_spaces()?;
        let body = match self.peek() {
            Some(b'}') => {
                self.pos += 1;
                Vec::new()
            }
            Some(b'\n') => {
                let body = self.body(depth + 1)?;
                // `body` stops at the closing brace.
                self.pos += 1;
                body
            }
            // A block on one line holds one attribute.
            _ => {
                let key = self.word()?;
                self.skip_spaces()?;
                if self.peek() != Some(b'=') {
                    return Err(Declined);
                }
                self.pos += 1;
                let value = self.value_after_spaces(depth + 1)?;
                self.skip_spaces()?;
                if self.peek() != Some(b'}') {
                    return Err(Declined);
                }
                self.pos += 1;
                vec![Structure::Attribute(Attribute { key, value })]
            }
        };
        Ok(Structure::Block(Block {
            ident: key,
            labels,
            body,
        }))
    }

    /// The structures of a block's body, one per line, up to its closing brace.
    fn body(&mut self, depth: usize) -> Read<Vec<Structure>> {
        let mut body = Vec::new();
        loop {
            self.skip_lines()?;
            match self.peek() {
                Some(b'}') => break,
                None => return Err(Declined),
                Some(_) => {
                    body.push(self.structure(depth)?);
                    self.end_of_line()?;
                }
            }
        }
        let keys = body.iter().filter_map(|structure| match structure {
            Structure::Attribute(attribute) => Some(attribute.key.text.as_str()),
            Structure::Block(_) => None,
        });
        if repeats(keys) {
            return Err(Declined);
        }
        Ok(body)
    }

    fn value_after_spaces(&mut self, depth: usize) -> Read<Expr> {
        self.skip_spaces()?;
        self.value(depth)
    }

    /// A literal value.
    fn value(&mut self, depth: usize) -> Read<Expr> {
        if depth > MAX_DEPTH {
            return Err(Declined);
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'"') => ExprKind::String(self.string()?.text),
            Some(b'[') => {
                self.pos += 1;
                ExprKind::Array(self.array(depth)?)
            }
            Some(b'{') => {
                self.pos += 1;
                ExprKind::Object(self.object(depth)?)
            }
            Some(_) => {
                let rest = self.rest();
                let (kind, len) = if rest.starts_with("true") {
                    (ExprKind::Bool(true), 4)
                } else if rest.starts_with("false") {
                    (ExprKind::Bool(false), 5)
                } else if rest.starts_with("null") {
                    (ExprKind::Null, 4)
                } else {
                    return Err(Declined);
                };
                // `trueish` is a name, not `true`.
                if rest[len..]
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
                {
                    return Err(Declined);
                }
                self.pos += len;
                kind
            }
            None => return Err(Declined),
        };
        Ok(Expr {
            kind,
            range: Some(start..self.pos),
        })
    }

    /// The items of a list, after its `[`: separated by commas, with a comma allowed after
    /// the last, line breaks anywhere between.
    fn array(&mut self, depth: usize) -> Read<Vec<Expr>> {
        let mut items = Vec::new();
        loop {
            self.skip_lines()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            self.skip_lines()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return Err(Declined),
            }
        }
    }

    /// The members of an object, after its `{`: `key = value`, separated by commas or line
    /// breaks.
    fn object(&mut self, depth: usize) -> Read<Vec<(ObjectKey, Expr)>> {
        let mut members = Vec::new();
        loop {
            self.skip_lines()?;
            let key = match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    // hcl-edit refuses a quoted key twice (a name and the same string quoted
                    // are two keys to it); the reader leaves any repeat to it.
                    let keys = members.iter().map(|(key, _)| match key {
                        ObjectKey::Name(word) => word.text.as_str(),
                        ObjectKey::Invalid(_) => "",
                    });
                    if repeats(keys) {
                        return Err(Declined);
                    }
                    return Ok(members);
                }
                Some(b'"') => self.string()?,
                _ => self.word()?,
            };
            self.skip_spaces()?;
            if self.peek() != Some(b'=') {
                return Err(Declined);
            }
            self.pos += 1;
            let value = self.value_after_spaces(depth + 1)?;
            members.push((ObjectKey::Name(key), value));
            self.skip_spaces()?;
            match self.peek() {
                Some(b',' | b'\n') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(Declined),
            }
        }
    }

    /// The next top-level structure, or `None` at the end of the file.
    fn top_level(&mut self) -> Read<Option<Structure>> {
        self.skip_lines()?;
        if self.peek().is_none() {
            return Ok(None);
        }
        let structure = self.structure(0)?;
        self.end_of_line()?;
        if let Structure::Attribute(attribute) = &structure {
            if self.top_level_keys.contains(&attribute.key.text) {
                return Err(Declined);
            }
            self.top_level_keys.push(attribute.key.text.clone());
        }
        Ok(Some(structure))
    }
}

impl Iterator for Reader<'_> {
    type Item = Structure;

    /// The next top-level structure; `None` at the end of the file, or when the reader
    /// declines it (see `declined`).
    fn next(&mut self) -> Option<Structure> {
        if self.declined {
            return None;
        }
        self.top_level().unwrap_or_else(|Declined| {
            self.declined = true;
            None
        })
    }
}

/// Whether a key appears twice.
fn repeats<'k>(keys: impl Iterator<Item = &'k str>) -> bool {
    let mut keys: Vec<&str> = keys.collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// The length of the literal string `inner` starts with, up to its closing quote; `None` when
/// it holds what the subset leaves to hcl-edit (an escape, a line break, an unusual character,
/// a template's `${` or `%{`) or does not end. One pass over the bytes: a Premium configuration
/// is a million strings, nearly all ASCII.
fn literal_len(inner: &str) -> Option<usize> {
    let bytes = inner.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return Some(i),
            b'\\' | b'\n' => return None,
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => return None,
            _ if b.is_ascii_control() => return None,
            _ if b.is_ascii() => i += 1,
            _ => {
                let c = inner[i..].chars().next()?;
                if is_unusual(c) {
                    return None;
                }
                i += c.len_utf8();
            }
        }
    }
    None
}

/// Characters inside strings that parsers treat differently: control characters, byte-order
/// marks, line and paragraph separators, non-characters.
fn is_unusual(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
        )
        || ('\u{fdd0}'..='\u{fdef}').contains(&c)
}

#[cfg(test)]
mod tests;
