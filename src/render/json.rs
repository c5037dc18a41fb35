//! The one JSON writer of every report. serde_json escapes the C0 controls in strings, which
//! leaves DEL, the C1 controls (U+009B is a CSI on some terminals) and the bidi and invisible
//! characters raw: `jq -r` or a terminal showing the JSON would act on them. This writer escapes
//! those too, as `\uXXXX`, so the text is the same to a JSON reader and inert to a person.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::diagnostic::is_escaped;

/// Writes `value` as pretty-printed JSON followed by a newline.
pub(crate) fn write_pretty(w: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Escaping(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    writeln!(w)?;
    w.flush()
}

/// `text` as a JSON string, escaped as [`write_pretty`] escapes strings: how the text plan shows
/// a description or an action string.
pub(crate) fn quote(text: &str) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Escaping(CompactFormatter));
    // Writing a string into a `Vec` cannot fail, and the output is UTF-8.
    let _ = text.serialize(&mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// `F`'s layout, with the characters serde_json leaves raw escaped.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Every character escaped here is DEL or beyond ASCII: printable ASCII, the common
        // case, is written as it is without looking at each character.
        if fragment.bytes().all(|b| b < 0x7f) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_escaped(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every escaped character is in the Basic Multilingual Plane: one `\uXXXX`.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::untrusted::{HOSTILE, active_parts};

    fn written(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        write_pretty(&mut out, value).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn what_serde_json_leaves_raw_is_escaped_and_reads_back_the_same() {
        let value = serde_json::json!({"description": HOSTILE});
        let out = written(&value);
        assert_eq!(active_parts(&out, false), Vec::<&str>::new(), "{out}");
        assert!(out.contains("\\u202e") && out.contains("\\u009b"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(back, value);
    }

    #[test]
    fn a_quoted_string_is_inert() {
        assert_eq!(quote("a\"b\n\u{1b}\u{202e}"), "\"a\\\"b\\n\\u001b\\u202e\"");
    }

    #[test]
    fn the_layout_is_serde_json_pretty_layout() {
        let value = serde_json::json!({"a": [1, {"b": "c"}], "d": {}});
        assert_eq!(
            written(&value),
            format!("{}\n", serde_json::to_string_pretty(&value).expect("json"))
        );
    }
}
