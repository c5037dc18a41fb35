//! A bounded, printable excerpt of untrusted text for an error message: a flag's value or a
//! coordinate that failed validation may be megabytes long or hold terminal escapes.

use std::fmt;

/// At most this many characters of the text are shown.
const MAX_CHARS: usize = 64;

/// Displays the first `MAX_CHARS` characters of `text`, control and formatting characters
/// escaped (`\u{1b}`), and `…` when there was more.
pub(crate) struct Excerpt<'a>(&'a str);

/// The excerpt of `text` to put in a message.
pub(crate) fn excerpt(text: &str) -> Excerpt<'_> {
    Excerpt(text)
}

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(MAX_CHARS) {
            if c.is_control() || is_format(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Bidi controls and other invisible formatting characters (Unicode `Cf`) that can make text
/// read differently from what it is.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{061c}' | '\u{00ad}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_and_escaped() {
        assert_eq!(excerpt("rg").to_string(), "rg");
        assert_eq!(
            excerpt("a\u{1b}[2Jb\u{202e}").to_string(),
            "a\\u{1b}[2Jb\\u{202e}"
        );
        let long = "x".repeat(1000);
        assert_eq!(excerpt(&long).to_string(), format!("{}…", "x".repeat(64)));
    }
}
