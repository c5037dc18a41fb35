//! User text made safe to print: a name or a line from a configuration file may hold control
//! characters (an ESC starting a terminal sequence, a NUL, a carriage return), which would be
//! sent to the user's terminal as they are. Shown as `\u{1b}` instead.

use std::borrow::Cow;

/// `text` with every control character other than a tab escaped as `\u{…}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c` as `printable` shows it; returns how many columns it takes.
pub fn push_char(out: &mut String, c: char) -> usize {
    if is_escaped(c) {
        let escaped = c.escape_unicode().to_string();
        out.push_str(&escaped);
        escaped.chars().count()
    } else {
        out.push(c);
        1
    }
}

fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("ci-push"), "ci-push");
        assert_eq!(
            printable("ci-\u{1b}[31mpush\r\0"),
            "ci-\\u{1b}[31mpush\\u{d}\\u{0}"
        );
        assert_eq!(printable("a\tb"), "a\tb");
    }
}
