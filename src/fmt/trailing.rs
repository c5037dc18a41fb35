//! Where a comment at the end of a line goes once the line before it changed.

/// A comment at the end of a line: its text and where it was written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Trailing<'a> {
    /// Its column in the input, in characters from 0.
    column: usize,
    text: &'a str,
    /// Written one space (or a tab) after what precedes it.
    close: bool,
}

impl<'a> Trailing<'a> {
    /// The comment starting at byte `at` of `line`, whose first character is in column
    /// `line_column`.
    pub(super) fn new(line: &'a str, at: usize, line_column: usize) -> Self {
        let before = &line[..at];
        let gap = &before[before.trim_end_matches([' ', '\t']).len()..];
        Self {
            column: line_column + before.chars().count(),
            text: line[at..].trim_end_matches([' ', '\t']),
            close: gap.len() <= 1 || gap.contains('\t') || gap.len() == before.len(),
        }
    }
}

impl Trailing<'_> {
    /// The comment of a line moved right (or left) by `shift` columns, which moves with it.
    #[must_use]
    pub(super) fn shifted(mut self, shift: isize) -> Self {
        self.column = self.column.saturating_add_signed(shift);
        self
    }
}

/// `content` followed by `comment`: one space after the content if the comment was written one
/// space after it; otherwise in the column it was written in, moved with its line's indentation
/// (comments aligned by hand stay aligned), or one space after the content if the content now
/// reaches that column.
pub(super) fn place_trailing(content: &str, comment: Trailing<'_>) -> String {
    let end = content.chars().count();
    let column = if comment.close || comment.column <= end {
        end + 1
    } else {
        comment.column
    };
    let mut out = String::with_capacity(column + comment.text.len());
    out.push_str(content);
    out.extend(std::iter::repeat_n(' ', column - end));
    out.push_str(comment.text);
    out
}
