//! What a configuration file said, language-neutral, with the place of every key and value.
//!
//! The YAML and HCL adapters both build this tree, so the typed walk in `validate`, the
//! unknown-key hints and every diagnostic are written once.

use compact_str::CompactString;

use crate::diagnostic::Span;

/// The language a file was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Language {
    Yaml,
    Hcl,
}

/// One parsed file.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub language: Language,
    pub root: Node,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    /// Entries in file order; duplicate keys are kept so that validation can report them.
    Map(Vec<Entry>),
    List(Vec<Node>),
    String(CompactString),
    /// A number, as written.
    Number(CompactString),
    Bool(bool),
    Null,
    /// A value the adapter could not represent and has already reported; checks skip it.
    Invalid,
}

/// One `key: value` of a map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: CompactString,
    pub key_span: Span,
    pub value: Node,
}

impl NodeKind {
    /// What the value is, for "expected a list, found a string".
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Self::Map(_) => "a mapping",
            Self::List(_) => "a list",
            Self::String(_) => "a string",
            Self::Number(_) => "a number",
            Self::Bool(_) => "a boolean",
            Self::Null => "nothing (null)",
            Self::Invalid => "an invalid value",
        }
    }
}

impl Node {
    pub(crate) fn new(kind: NodeKind, span: Span) -> Self {
        Self { kind, span }
    }
}
