//! The typed walk's toolbox: reading maps, strings and lists out of raw nodes, and reporting
//! wrong types, unknown and duplicate keys on the way.

use std::fmt::Display;
use std::str::FromStr;

use crate::config::raw::{Entry, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Span, did_you_mean};

/// Collects every diagnostic of one validation.
#[derive(Default)]
pub(super) struct Checker {
    pub diagnostics: Vec<Diagnostic>,
}

/// The entries of a checked map, looked up by key. A map has a handful of keys, so they are
/// searched in order: a hash map per map (150,000 of them at Premium scale) cost more to build
/// than every lookup it saved.
pub(super) struct Fields<'n> {
    entries: Vec<&'n Entry>,
    /// Whether some key was unknown: what it meant to say may be missing, so checks for a
    /// missing key stay quiet rather than add noise to the "did you mean".
    pub had_unknown: bool,
}

impl<'n> Fields<'n> {
    pub(super) fn get(&self, key: &str) -> Option<&'n Entry> {
        self.entries.iter().find(|entry| entry.key == key).copied()
    }
}

impl Checker {
    pub(super) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(super) fn error(&mut self, message: impl Into<String>, span: &Span) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(message, Some(span.clone())));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    pub(super) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        if node.kind != NodeKind::Invalid {
            self.error(
                format!("{what} must be {expected}, not {}", node.kind.describe()),
                &node.span,
            );
        }
    }

    /// The entries of a map value.
    pub(super) fn map<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Entry]> {
        match &node.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => {
                self.wrong_type(node, what, "a mapping");
                None
            }
        }
    }

    /// The entries of a map whose keys are named by the language: unknown keys get a "did you
    /// mean", repeated keys point at the first.
    pub(super) fn fields<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let entries = self.map(node, what)?;
        let mut fields: Vec<&Entry> = Vec::with_capacity(entries.len());
        let mut had_unknown = false;
        for entry in entries {
            if !allowed.contains(&entry.key.as_str()) {
                had_unknown = true;
                let help = did_you_mean(&entry.key, allowed.iter().copied())
                    .unwrap_or_else(|| format!("{what} takes {}", list(allowed)));
                self.error(format!("unknown key `{}`", entry.key), &entry.key_span)
                    .help = Some(help);
            } else if let Some(first) = fields.iter().find(|first| first.key == entry.key) {
                let note = Some(first.key_span.clone());
                self.push(
                    Diagnostic::error(
                        format!("duplicate key `{}`", entry.key),
                        Some(entry.key_span.clone()),
                    )
                    .with_note("first written here", note),
                );
            } else {
                fields.push(entry);
            }
        }
        Some(Fields {
            entries: fields,
            had_unknown,
        })
    }

    /// A string value; numbers count as strings, as YAML reads `12345` as a number.
    pub(super) fn string<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        match &node.kind {
            NodeKind::String(s) | NodeKind::Number(s) => Some(s),
            _ => {
                self.wrong_type(node, what, "a string");
                None
            }
        }
    }

    /// The items of a list value.
    pub(super) fn list<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [Node]> {
        match &node.kind {
            NodeKind::List(items) => Some(items),
            _ => {
                self.wrong_type(node, what, "a list");
                None
            }
        }
    }

    /// A list of strings with their places; non-strings are reported and left out.
    pub(super) fn strings<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
    ) -> Option<Vec<(&'n str, &'n Span)>> {
        let items = self.list(node, what)?;
        let mut strings = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                NodeKind::String(s) | NodeKind::Number(s) => strings.push((s.as_str(), &item.span)),
                _ => self.wrong_type(item, &format!("an item of {what}"), "a string"),
            }
        }
        Some(strings)
    }

    /// A string parsed with `FromStr`; the parse error is the message.
    pub(super) fn parse<T>(&mut self, text: &str, span: &Span) -> Option<T>
    where
        T: FromStr,
        T::Err: Display,
    {
        match text.parse() {
            Ok(value) => Some(value),
            Err(err) => {
                self.error(err.to_string(), span);
                None
            }
        }
    }

    /// One of a fixed set of words, matched exactly; a near miss gets a "did you mean".
    pub(super) fn keyword<T: Copy>(
        &mut self,
        node: &Node,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        if matches!(node.kind, NodeKind::Bool(_) | NodeKind::Null) {
            // YAML reads `yes`, `no`, `on` and `off` as booleans.
            let words: Vec<&str> = options.iter().map(|(word, _)| *word).collect();
            self.error(
                format!("invalid {what}: {}", node.kind.describe()),
                &node.span,
            )
            .help = Some(match node.kind {
                NodeKind::Bool(_) => format!(
                    "expected {}, not a boolean (in YAML, unquoted yes, no, on, off, true and \
                     false are booleans)",
                    list(&words)
                ),
                _ => format!("expected {}", list(&words)),
            });
            return None;
        }
        let text = self.string(node, what)?;
        if let Some((_, value)) = options.iter().find(|(word, _)| *word == text) {
            return Some(*value);
        }
        let words: Vec<&str> = options.iter().map(|(word, _)| *word).collect();
        let help = did_you_mean(text, words.iter().copied())
            .unwrap_or_else(|| format!("expected {}", list(&words)));
        self.error(format!("invalid {what} `{text}`"), &node.span)
            .help = Some(help);
        None
    }
}

/// `a`, `b` or `c`.
pub(super) fn list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
