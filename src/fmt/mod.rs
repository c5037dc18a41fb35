//! `scopeform fmt`'s core: a configuration file's text in the one canonical layout.
//!
//! The layout (README, "Formatting") is YAML's and HCL's usual one: two spaces per level, one
//! space after `:` and `-`, `=` aligned as `terraform fmt` aligns it, no trailing whitespace,
//! at most one blank line in a row, one final newline; comments, key order, quoting and every
//! value stay as written. Formatting never changes what a file means: the result is read again
//! with the standard readers and must give the same tree as the input, or the file is refused
//! (and left alone) rather than rewritten.

mod hcl;
mod trailing;
mod yaml;

#[cfg(test)]
pub(crate) mod tests;

use std::sync::Arc;

use crate::config::{self, raw};
use crate::diagnostic::{Diagnostic, SourceFile};

/// A construct the formatter does not lay out, at a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unformattable {
    pub line: usize,
    pub reason: &'static str,
}

/// How far a line moves from column `from` to column `to`.
fn moved(from: usize, to: usize) -> isize {
    to.cast_signed() - from.cast_signed()
}

/// `text`, the content of the file `name`, in the canonical layout; or the diagnostics that
/// say why it cannot be formatted (a syntax error, or a construct the formatter leaves alone).
/// The line endings stay the file's (those of its first line).
pub fn format(name: &str, text: &str) -> Result<String, Vec<Diagnostic>> {
    let source = SourceFile::new(name, text);
    let Some(before) = parse(&source)? else {
        return Ok(text.to_owned());
    };
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text),
    };
    let crlf = body.split('\n').next().is_some_and(|l| l.ends_with('\r')) && body.contains('\n');
    let lf = body.replace("\r\n", "\n");
    let refuse = |line: usize, reason: &str| {
        vec![
            Diagnostic::error(
                format!("cannot format `{name}`: {reason}; it is left as it is"),
                Some(source.span_at(line.max(1), 1, 1)),
            )
            .with_help("fmt rewrites only what it can prove keeps the file's meaning"),
        ]
    };
    if lf.contains('\r') {
        return Err(refuse(1, "a carriage return that does not end a line"));
    }
    let formatted = match raw::Language::of(name) {
        raw::Language::Yaml => yaml::format(&lf),
        raw::Language::Hcl => hcl::format(&lf),
    }
    .map_err(|u| refuse(u.line, u.reason))?;
    let after = parse(&SourceFile::new(name, formatted.clone()))
        .ok()
        .flatten();
    if !after.is_some_and(|after| same_meaning(&before, &after)) {
        return Err(refuse(
            1,
            "the canonical layout would change what the file means (a scopeform bug: please \
             report it with the file)",
        ));
    }
    let formatted = if crlf {
        formatted.replace('\n', "\r\n")
    } else {
        formatted
    };
    Ok(format!("{bom}{formatted}"))
}

/// What a file says for the comparison: its tree and the messages of the problems found in it
/// (which stand for what the tree leaves out). `None` for an empty file, which needs no layout.
type Meaning = (raw::Node, Vec<String>);

fn parse(source: &Arc<SourceFile>) -> Result<Option<Meaning>, Vec<Diagnostic>> {
    if source.text.trim().is_empty() {
        return Ok(None);
    }
    let (root, diagnostics) = config::parse(source);
    match root {
        Some(root) => Ok(Some((
            root,
            diagnostics.into_iter().map(|d| d.message).collect(),
        ))),
        None => Err(diagnostics),
    }
}

/// Whether two readings of a file say the same, wherever each thing is written.
fn same_meaning(a: &Meaning, b: &Meaning) -> bool {
    same_node(&a.0, &b.0) && a.1 == b.1
}

fn same_node(a: &raw::Node, b: &raw::Node) -> bool {
    use raw::NodeKind;
    match (&a.kind, &b.kind) {
        (NodeKind::Map(x), NodeKind::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| x.key == y.key && same_node(&x.value, &y.value))
        }
        (NodeKind::List(x), NodeKind::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_node(x, y))
        }
        (x, y) => x == y,
    }
}
