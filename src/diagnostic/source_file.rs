//! A configuration file's text, and places in it.

use std::fmt;
use std::sync::Arc;

/// One file of the configuration as read, named as the user should see it
/// (`tokens.yaml`, `config/ci.hcl`, `git:HEAD~1:tokens.yaml`).
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// Whether the text is ASCII, where a column is a byte offset: counting characters for
    /// each of a Premium-sized HCL file's millions of spans was a third of reading it.
    ascii: bool,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Self {
            name: name.into(),
            ascii: text.is_ascii(),
            text,
            line_starts,
        })
    }

    /// Whether the text is ASCII: then a column in characters is one in bytes.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// The text of a 1-based line, without its line break.
    pub fn line(&self, line: usize) -> Option<&str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&next| next.saturating_sub(1));
        let text = self.text.get(start..end.max(start))?;
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// The 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.position_after(offset, 0)
    }

    /// `position`, looking first a few lines on from the 0-based line `hint`.
    fn position_after(&self, offset: usize, hint: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_index = self.line_index(offset, hint);
        let start = self.line_starts[line_index];
        let column = match self.text.get(start..offset) {
            Some(s) if !self.ascii => s.chars().count(),
            _ => offset - start,
        };
        (line_index + 1, column + 1)
    }

    /// The 0-based line of `offset`. Asked in file order, it is usually within a few lines of
    /// the last answer, `hint`: those are looked at before the rest is searched.
    fn line_index(&self, offset: usize, hint: usize) -> usize {
        const NEAR: usize = 4;
        let starts = &self.line_starts;
        if starts.get(hint).is_none_or(|&start| start > offset) {
            return starts.partition_point(|&start| start <= offset) - 1;
        }
        for index in hint..(hint + NEAR).min(starts.len()) {
            if starts.get(index + 1).is_none_or(|&next| next > offset) {
                return index;
            }
        }
        // Lines up to `hint + NEAR` start at or before `offset`.
        hint + NEAR - 1 + starts[hint + NEAR..].partition_point(|&start| start <= offset)
    }

    /// The span of a byte range, cut at the end of its first line.
    pub fn span(self: &Arc<Self>, range: std::ops::Range<usize>) -> Span {
        self.span_after(range, &std::cell::Cell::new(0))
    }

    /// `span`, for a caller asking in file order: `last_line` holds the 0-based line of its
    /// last span, and is moved to this one's (a Premium-sized file has millions of spans, and
    /// a search of all its lines for each was a tenth of reading it).
    pub fn span_after(
        self: &Arc<Self>,
        range: std::ops::Range<usize>,
        last_line: &std::cell::Cell<usize>,
    ) -> Span {
        if self.ascii {
            // Every byte a character: the column and the length are counts of bytes.
            let start = range.start.min(self.text.len());
            let line = self.line_index(start, last_line.get());
            last_line.set(line);
            let bytes = &self.text.as_bytes()[start..range.end.clamp(start, self.text.len())];
            // Up to a line break (`\n` or `\r\n`), as `str::lines` cuts.
            let len = bytes
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |end| {
                    end - usize::from(end > 0 && bytes[end - 1] == b'\r')
                });
            return self.span_at(line + 1, start - self.line_starts[line] + 1, len);
        }
        let (line, column) = self.position_after(range.start, last_line.get());
        last_line.set(line - 1);
        let len = self
            .text
            .get(range.start..range.end.min(self.text.len()))
            .map_or(1, |s| {
                // The first line of the range, without its line break.
                let line = s
                    .as_bytes()
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(s, |end| {
                        let line = &s[..end];
                        line.strip_suffix('\r').unwrap_or(line)
                    });
                if self.ascii {
                    line.len()
                } else {
                    line.chars().count()
                }
            });
        self.span_at(line, column, len)
    }

    /// A span at a 1-based line and column, `len` characters long.
    pub fn span_at(self: &Arc<Self>, line: usize, column: usize, len: usize) -> Span {
        let narrow = |n: usize| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        Span {
            file: Arc::clone(self),
            line: narrow(line),
            column: narrow(column),
            len: narrow(len),
        }
    }
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SourceFile({})", self.name)
    }
}

/// A place in a configuration file: 1-based line and column, and a length in characters.
///
/// The numbers are `u32`s: a Premium-sized configuration's tree holds millions of spans, and
/// narrower fields make each 24 bytes rather than 32. (Numbers past `u32::MAX`, in a file of
/// over 4 GB, are saturated.)
#[derive(Clone)]
pub struct Span {
    pub file: Arc<SourceFile>,
    line: u32,
    column: u32,
    len: u32,
}

impl Span {
    /// The 1-based line.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// The 1-based column, in characters.
    pub fn column(&self) -> usize {
        self.column as usize
    }

    /// How many characters the span covers (at least one).
    pub fn width(&self) -> usize {
        self.len as usize
    }

    /// `file:line:column`, as shown after `-->`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file.name, self.line, self.column)
    }
}

impl PartialEq for Span {
    fn eq(&self, other: &Self) -> bool {
        self.file.name == other.file.name
            && (self.line, self.column, self.len) == (other.line, other.column, other.len)
    }
}

impl Eq for Span {}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}+{}", self.location(), self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_lines() {
        let file = SourceFile::new("a.yaml", "ab\r\ncdé f\n\nlast");
        assert_eq!(file.line(1), Some("ab"));
        assert_eq!(file.line(2), Some("cdé f"));
        assert_eq!(file.line(3), Some(""));
        assert_eq!(file.line(4), Some("last"));
        assert_eq!(file.line(5), None);
        assert_eq!(file.line(0), None);
        assert_eq!(file.position(0), (1, 1));
        assert_eq!(file.position(9), (2, 5));
        assert_eq!(file.position(1000), (4, 5));
        let span = file.span(4..20);
        assert_eq!((span.line(), span.column(), span.width()), (2, 1, 5));
    }

    #[test]
    fn positions_from_any_hint_are_the_same() {
        let text = "line é\n".repeat(12) + "\n\nlong line, é é\n" + &"x\n".repeat(20);
        let file = SourceFile::new("a.yaml", text.clone());
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let expected = file.position(offset);
            for hint in [0, 1, 3, 7, 12, 39, 40, 41, 100] {
                assert_eq!(
                    file.position_after(offset, hint),
                    expected,
                    "offset {offset}, hint {hint}"
                );
            }
        }
    }

    /// An ASCII file takes a shortcut (bytes are characters); it must give what counting
    /// characters gives, which a file with one non-ASCII character anywhere still does.
    #[test]
    fn ascii_spans_are_counted_spans() {
        let text = "a = \"x\"\r\nblock {\n  key = [\"one\", \"two\"]\n}\n";
        let ascii = SourceFile::new("a.hcl", text);
        let counted = SourceFile::new("b.hcl", format!("{text}# é\n"));
        assert!(ascii.is_ascii() && !counted.is_ascii());
        for start in 0..text.len() {
            for end in [
                start,
                start + 1,
                start + 3,
                text.len(),
                start.saturating_sub(1),
            ] {
                let hint = std::cell::Cell::new(0);
                let a = ascii.span_after(start..end, &hint);
                let b = counted.span_after(start..end, &std::cell::Cell::new(0));
                assert_eq!(
                    (a.line(), a.column(), a.width()),
                    (b.line(), b.column(), b.width()),
                    "{start}..{end}"
                );
            }
        }
    }
}
