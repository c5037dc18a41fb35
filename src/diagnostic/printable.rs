//! User text made safe to print: a name or a line from a configuration file, or a message from
//! ARM, may hold control characters (an ESC starting a terminal sequence, a NUL, a carriage
//! return, a newline that would start a line of its own) or invisible format characters (bidi
//! controls that reorder what a reviewer reads, zero-width characters), which would be sent to
//! the user's terminal as they are. Shown as `\u{1b}` instead.

use std::borrow::Cow;

/// `text` with every control character other than a tab, and every bidi or invisible format
/// character, escaped as `\u{…}`.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
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
pub(super) fn push_char(out: &mut String, c: char) -> usize {
    if is_escaped(c) {
        let escaped = c.escape_unicode().to_string();
        out.push_str(&escaped);
        escaped.chars().count()
    } else {
        out.push(c);
        1
    }
}

/// Whether `c` is shown escaped: controls (C0, DEL, C1, with the tab the only exception), the
/// bidi controls of Unicode's Trojan Source advisory (CVE-2021-42574), the line and paragraph
/// separators, and the zero-width characters that hide text.
pub(crate) fn is_escaped(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061C}'               // ARABIC LETTER MARK
            | '\u{200B}'..='\u{200F}' // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
            | '\u{FEFF}' // zero-width no-break space
        )
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
        assert_eq!(printable("a\nb\u{7f}\u{9b}"), "a\\u{a}b\\u{7f}\\u{9b}");
    }

    #[test]
    fn bidi_and_invisible_characters_are_escaped() {
        for c in [
            '\u{061C}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{2028}', '\u{2029}', '\u{202A}',
            '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2060}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{FEFF}',
        ] {
            let text = format!("admin{c}user");
            assert_eq!(
                printable(&text),
                format!("admin{}user", c.escape_unicode()),
                "{:?}",
                c
            );
        }
        // Letters of any script are not escaped.
        assert_eq!(printable("équipe-ñ-東京"), "équipe-ñ-東京");
    }
}
