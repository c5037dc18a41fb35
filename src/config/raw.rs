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

impl Language {
    /// A file's language, by its name's extension: `.hcl` is HCL, anything else YAML.
    pub(crate) fn of(name: &str) -> Self {
        let hcl = std::path::Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("hcl"));
        if hcl { Self::Hcl } else { Self::Yaml }
    }
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

/// The top-level sections that hold named objects. A reader may hand such a section over one
/// object at a time, so that a Premium-sized file (50,000 scope maps) never exists whole as a
/// tree: each object is checked and dropped before the next is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Named {
    Rules,
    ScopeMaps,
    Tokens,
    ConnectedRegistries,
}

impl Named {
    pub(crate) const ALL: [Self; 4] = [
        Self::Rules,
        Self::ScopeMaps,
        Self::Tokens,
        Self::ConnectedRegistries,
    ];

    /// The section's key, as YAML writes it.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::ScopeMaps => "scope_maps",
            Self::Tokens => "tokens",
            Self::ConnectedRegistries => "connected_registries",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|named| named.key() == key)
    }

    /// What one object of the section is called, as in "duplicate token `x`".
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Self::Rules => "rule",
            Self::ScopeMaps => "scope map",
            Self::Tokens => "token",
            Self::ConnectedRegistries => "connected registry",
        }
    }
}

/// One piece of a file's top level, as the readers hand it over.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A top-level entry, whole.
    Entry(Entry),
    /// A section of named objects opens: its key, and the place of its mapping. Its objects
    /// follow as `Member`s.
    Section {
        section: Named,
        key_span: Span,
        span: Span,
    },
    /// One object of the section opened last of its kind.
    Member { section: Named, entry: Entry },
    /// The top level is not a mapping (a list or a scalar): the whole of it.
    NotAMapping(Node),
}

/// What takes a file's pieces, in file order.
pub(crate) trait Sink {
    fn accept(&mut self, piece: Piece);
}

/// A sink that puts a file's pieces back together into its tree, for the callers that want a
/// file whole (`fmt`, the readers' differential tests).
#[derive(Default)]
pub(crate) struct Assembler {
    entries: Vec<Entry>,
    /// The place in `entries` of the last section opened of each kind.
    open: [Option<usize>; 4],
    not_a_mapping: Option<Node>,
}

impl Sink for Assembler {
    fn accept(&mut self, piece: Piece) {
        match piece {
            Piece::Entry(entry) => self.entries.push(entry),
            Piece::Section {
                section,
                key_span,
                span,
            } => {
                self.open[section as usize] = Some(self.entries.len());
                self.entries.push(Entry {
                    key: section.key().into(),
                    key_span,
                    value: Node::new(NodeKind::Map(Vec::new()), span),
                });
            }
            Piece::Member { section, entry } => {
                let open = self.open[section as usize].expect("a member follows its section");
                if let NodeKind::Map(members) = &mut self.entries[open].value.kind {
                    members.push(entry);
                }
            }
            Piece::NotAMapping(node) => self.not_a_mapping = Some(node),
        }
    }
}

impl Assembler {
    /// The file's tree; `whole` is the place of its top level.
    pub(crate) fn root(self, whole: Span) -> Node {
        self.not_a_mapping
            .unwrap_or_else(|| Node::new(NodeKind::Map(self.entries), whole))
    }
}
