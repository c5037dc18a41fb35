//! The part of YAML's syntax a configuration can use, as the converter reads it: mappings,
//! sequences and scalars resolved to their type, each with where it is written. Both readers
//! give it: the fast one (`subset`) for the common forms, serde-saphyr for everything else
//! (`from_saphyr`). As the HCL reader does, they hand it over one top-level piece at a time.

use compact_str::CompactString;

/// Where a value is written: 1-based line and column, and a length, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Place {
    pub(super) fn new(line: usize, column: usize, len: usize) -> Self {
        let narrow = |n: usize| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        Self {
            line: narrow(line),
            column: narrow(column),
            len: narrow(len),
        }
    }
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Value {
    pub kind: Kind,
    pub at: Place,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// Keys are values too: YAML lets a mapping be a key, which the converter refuses.
    Map(Vec<(Value, Value)>),
    List(Vec<Value>),
    String(CompactString),
    /// A number, as serde-saphyr prints it.
    Number(CompactString),
    Bool(bool),
    Null,
}

/// One piece of a file's top level.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    /// A top-level `key: value`, whole.
    Entry(Value, Value),
    /// A top-level key whose value is a block mapping, at `Place`; its entries follow as
    /// `Member`s. Only the sections of named objects are handed over this way.
    Section(Value, Place),
    /// One entry of the section opened last.
    Member(Value, Value),
    /// The top level is not a mapping.
    NotAMapping(Value),
}

/// A file's pieces put back together: its top-level value. For the differential tests, which
/// hold the two readers to the same syntax however each hands it over.
#[cfg(test)]
pub(super) fn assemble(pieces: Vec<Piece>, whole: Place) -> Value {
    let mut entries: Vec<(Value, Value)> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Entry(key, value) => entries.push((key, value)),
            Piece::Section(key, at) => entries.push((
                key,
                Value {
                    kind: Kind::Map(Vec::new()),
                    at,
                },
            )),
            Piece::Member(key, value) => {
                if let Some((
                    _,
                    Value {
                        kind: Kind::Map(members),
                        ..
                    },
                )) = entries.last_mut()
                {
                    members.push((key, value));
                }
            }
            Piece::NotAMapping(value) => return value,
        }
    }
    Value {
        kind: Kind::Map(entries),
        at: whole,
    }
}
