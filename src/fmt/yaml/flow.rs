//! A YAML flow collection written on one line, in the canonical spacing.

use super::quoted_end;

/// A piece of a flow collection written on one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow<'a> {
    Open(u8),
    Close(u8),
    Comma,
    /// `:` between a key and its value.
    Colon,
    /// A scalar (or an alias, with its anchor or tag), as written.
    Scalar(&'a str),
}

/// A flow collection that starts and ends on its line (`[a,b]`, `{k:  v}`) in the canonical
/// spacing: `[a, b]`, `{ k: v }`, `{}`; `None` for any other value, which stays as written.
pub(super) fn flow_layout(value: &str) -> Option<String> {
    if !value.starts_with(['[', '{']) {
        return None;
    }
    let pieces = flow_pieces(value)?;
    let mut out = String::with_capacity(value.len());
    let mut prev: Option<Flow<'_>> = None;
    for piece in &pieces {
        let space = !matches!(
            (prev, *piece),
            (None | Some(Flow::Open(b'[')), _)
                | (_, Flow::Comma | Flow::Colon | Flow::Close(b']'))
                | (Some(Flow::Open(b'{')), Flow::Close(b'}'))
        );
        if space {
            out.push(' ');
        }
        match *piece {
            Flow::Open(b) | Flow::Close(b) => out.push(char::from(b)),
            Flow::Comma => out.push(','),
            Flow::Colon => out.push(':'),
            Flow::Scalar(text) => out.push_str(text),
        }
        prev = Some(*piece);
    }
    Some(out)
}

/// The pieces of a flow collection that is the whole of `value`; `None` if it is not one,
/// or holds what is better left alone (explicit keys, anchors and tags, a comment).
fn flow_pieces(value: &str) -> Option<Vec<Flow<'_>>> {
    let bytes = value.as_bytes();
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' => i += 1,
            b'[' | b'{' => {
                depth += 1;
                pieces.push(Flow::Open(b));
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                pieces.push(Flow::Close(b));
                i += 1;
                if depth == 0 && !value[i..].trim_matches([' ', '\t']).is_empty() {
                    return None;
                }
            }
            b',' => {
                pieces.push(Flow::Comma);
                i += 1;
            }
            b':' if matches!(
                bytes.get(i + 1),
                None | Some(b' ' | b'\t' | b',' | b']' | b'}')
            ) || matches!(pieces.last(), Some(Flow::Scalar(s)) if s.starts_with(['"', '\''])) =>
            {
                pieces.push(Flow::Colon);
                i += 1;
            }
            b'#' | b'?' => return None,
            b'"' | b'\'' => {
                let end = quoted_end(&value[i..], b)?;
                pieces.push(Flow::Scalar(&value[i..i + end]));
                i += end;
            }
            _ => {
                // A plain scalar: up to a flow indicator, or a `:` that ends a key.
                let start = i;
                while i < bytes.len() {
                    let c = bytes[i];
                    if matches!(c, b',' | b'[' | b']' | b'{' | b'}')
                        || (c == b':'
                            && matches!(
                                bytes.get(i + 1),
                                None | Some(b' ' | b'\t' | b',' | b']' | b'}')
                            ))
                        || (c == b'#' && matches!(bytes[i - 1], b' ' | b'\t'))
                    {
                        break;
                    }
                    i += 1;
                }
                let scalar = value[start..i].trim_end_matches([' ', '\t']);
                // Anchors and tags inside stay as written (`&a :` is not `&a:`).
                if scalar.starts_with(['&', '!']) {
                    return None;
                }
                pieces.push(Flow::Scalar(scalar));
            }
        }
    }
    (depth == 0).then_some(pieces)
}
