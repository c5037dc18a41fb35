//! YAML files into raw pieces: the common subset by a fast reader of its own (`subset`),
//! everything else through serde-saphyr's `Spanned` wrapper. Both give one syntax (`syntax`),
//! which one converter turns into the raw pieces, as the HCL readers do.
//!
//! serde-saphyr has no public node tree, but its `Spanned<T>` works for any `T`: a visitor that
//! asks for `Spanned<YamlValue>` at every level gets the location of every key and value. Duplicate
//! keys are passed through (`DuplicateKeyPolicy::PassThrough`) so that validation reports them
//! like every other duplicate, pointing at both places.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::options::DuplicateKeyPolicy;
use serde_saphyr::{Budget, Spanned};

use self::syntax::{Kind, Piece, Place, Value};
use super::raw::{self, Assembler, Entry, Named, Node, NodeKind, Sink};
use crate::diagnostic::{Diagnostic, SourceFile, Span};

mod subset;
mod syntax;

/// A YAML value with the locations of its children, before it knows its file.
enum YamlValue {
    Map(Vec<(Spanned<YamlValue>, Spanned<YamlValue>)>),
    List(Vec<Spanned<YamlValue>>),
    String(String),
    Number(String),
    Bool(bool),
    Null,
}

impl<'de> Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = YamlValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<YamlValue, E> {
        Ok(YamlValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<YamlValue, E> {
        Ok(YamlValue::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlValue, E> {
        Ok(YamlValue::Number(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<YamlValue, E> {
        Ok(YamlValue::Number(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<YamlValue, E> {
        Ok(YamlValue::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<YamlValue, E> {
        Ok(YamlValue::Number(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<YamlValue, E> {
        Ok(YamlValue::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<YamlValue, E> {
        Ok(YamlValue::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlValue, D::Error> {
        YamlValue::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<YamlValue>>()? {
            items.push(item);
        }
        Ok(YamlValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<YamlValue>>()? {
            let value = map.next_value::<Spanned<YamlValue>>()?;
            entries.push((key, value));
        }
        Ok(YamlValue::Map(entries))
    }
}

/// Parses one YAML file, handing its top level to a sink made by `new_sink` one piece at a
/// time. An empty file (or one with only comments) is an empty mapping. When the fast reader
/// gives up midway its sink is dropped and serde-saphyr reads the file into a new one.
pub(crate) fn parse<S: Sink>(
    file: &Arc<SourceFile>,
    new_sink: &mut dyn FnMut() -> S,
) -> Result<S, Diagnostic> {
    let mut converter = Converter::new(file, new_sink());
    if subset::read(file, &mut |piece| converter.piece(piece)).is_some() {
        return converter.finish();
    }
    let mut converter = Converter::new(file, new_sink());
    for piece in read_conforming(file)?.1 {
        converter.piece(piece);
    }
    converter.finish()
}

/// Whether the fast reader and serde-saphyr read `file` alike: the same tree, or the fast
/// reader leaving it alone. For the differential fuzz target; the unit tests say more.
pub fn readers_agree(file: &Arc<SourceFile>) -> bool {
    let assemble = |pieces: Option<(Place, Vec<Piece>)>| {
        let (whole, pieces) = pieces?;
        let mut converter = Converter::new(file, Assembler::default());
        for piece in pieces {
            converter.piece(piece);
        }
        let assembler = converter.finish().ok()?;
        Some(assembler.root(span(file, whole)))
    };
    let mut fast = Vec::new();
    let Some(whole) = subset::read(file, &mut |piece| fast.push(piece)) else {
        return true;
    };
    let fast = assemble(Some((whole, fast)));
    let conforming = assemble(read_conforming(file).ok());
    fast.is_some() && format!("{fast:?}") == format!("{conforming:?}")
}

/// Reads one YAML file with serde-saphyr, whatever YAML it holds: the place of its top level
/// and its pieces (every top-level entry whole).
fn read_conforming(file: &Arc<SourceFile>) -> Result<(Place, Vec<Piece>), Diagnostic> {
    let whole = Place::new(1, 1, 1);
    if is_blank(&file.text) {
        return Ok((whole, Vec::new()));
    }
    let options = serde_saphyr::options! {
        duplicate_keys: DuplicateKeyPolicy::PassThrough,
        budget: Some(budget_for(file.text.len())),
        // Comments mean nothing to us. Emitted, more than 32 in a row where the parser looks
        // ahead (a commented-out block of tokens) failed with "too many buffered comments".
        emit_comments: false,
    };
    match serde_saphyr::from_str_with_options::<Spanned<YamlValue>>(&file.text, options) {
        Ok(root) => {
            let root = from_saphyr(root);
            let whole = root.at;
            let pieces = match root.kind {
                Kind::Map(entries) => entries
                    .into_iter()
                    .map(|(key, value)| Piece::Entry(key, value))
                    .collect(),
                _ => vec![Piece::NotAMapping(root)],
            };
            Ok((whole, pieces))
        }
        Err(err) => Err(syntax_error(file, &err)),
    }
}

/// serde-saphyr's default budget stops at 250,000 nodes and 1,000,000 events: a tenth of a
/// Premium registry's configuration (50,000 scope maps of 10 rules is about 2.5 million nodes).
/// Without aliases a node costs at least two bytes of input, so limits proportional to the
/// file's size never refuse a plain file and still bound the work; the alias and anchor limits
/// that stop expansion bombs stay at their defaults.
fn budget_for(input_len: usize) -> Budget {
    let mut budget = Budget::default();
    budget.max_nodes = budget.max_nodes.max(input_len / 2);
    budget.max_events = budget.max_events.max(input_len);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(input_len);
    budget
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---"
    })
}

fn syntax_error(file: &Arc<SourceFile>, err: &serde_saphyr::Error) -> Diagnostic {
    let span = err
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| location_span(file, l));
    // The library's own rendering carries a snippet; ours adds one, so keep only the message.
    let message = err.without_snippet().to_string();
    let message = message
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_owned();
    let message = plain_words(&strip_location_suffix(&message));
    Diagnostic::error(format!("invalid YAML: {message}"), span)
}

/// The library's messages that speak of its own API or internals, in the user's words.
fn plain_words(message: &str) -> String {
    if message.starts_with("budget breached: Nodes")
        || message.starts_with("budget breached: Alias")
    {
        "the document expands to too many values; aliases that multiply (a \"billion laughs\") are refused".to_owned()
    } else if message.starts_with("budget breached: Depth") {
        "nested more than 64 levels deep".to_owned()
    } else if message == "recursion limit exceeded" {
        "nested too deeply".to_owned()
    } else if message.starts_with("budget breached") {
        "the document is too large".to_owned()
    } else if message.starts_with("multiple YAML documents detected") {
        "a file holds one YAML document; this one has a second (after `---`)".to_owned()
    } else {
        message.to_owned()
    }
}

/// serde-saphyr appends " at line L column C" to some messages; our span says it already.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn location_span(file: &Arc<SourceFile>, location: serde_saphyr::Location) -> Span {
    span(file, place(location))
}

fn place(location: serde_saphyr::Location) -> Place {
    let line = usize::try_from(location.line()).unwrap_or(1);
    let column = usize::try_from(location.column()).unwrap_or(1);
    let len = usize::try_from(location.span().len()).unwrap_or(1);
    Place::new(line, column, len)
}

fn span(file: &Arc<SourceFile>, at: Place) -> Span {
    file.span_at(at.line as usize, at.column as usize, at.len as usize)
}

/// serde-saphyr's value in the syntax both readers give. `extend` into new vectors rather than
/// `collect`, which would reuse the parsed vectors' allocations, sized for `Spanned` values
/// about twice as large.
fn from_saphyr(value: Spanned<YamlValue>) -> Value {
    let kind = match value.value {
        YamlValue::Map(entries) => Kind::Map(exact(
            entries.len(),
            entries
                .into_iter()
                .map(|(key, value)| (from_saphyr(key), from_saphyr(value))),
        )),
        YamlValue::List(items) => {
            Kind::List(exact(items.len(), items.into_iter().map(from_saphyr)))
        }
        YamlValue::String(s) => Kind::String(s.into()),
        YamlValue::Number(n) => Kind::Number(n.into()),
        YamlValue::Bool(b) => Kind::Bool(b),
        YamlValue::Null => Kind::Null,
    };
    Value {
        kind,
        at: place(value.referenced),
    }
}

/// Turns the syntax of either reader into the raw tree, piece by piece, and hands it on.
struct Converter<'f, S> {
    file: &'f Arc<SourceFile>,
    sink: S,
    /// The section of named objects opened last, which `Member`s belong to.
    section: Option<Named>,
    /// The first problem found: a key that is a mapping or a list.
    error: Option<Diagnostic>,
}

impl<'f, S: Sink> Converter<'f, S> {
    fn new(file: &'f Arc<SourceFile>, sink: S) -> Self {
        Self {
            file,
            sink,
            section: None,
            error: None,
        }
    }

    fn piece(&mut self, piece: Piece) {
        let piece = match piece {
            Piece::Entry(key, value) => match self.entry(key, value) {
                Some(entry) => raw::Piece::Entry(entry),
                None => return,
            },
            Piece::Section(key, at) => {
                let key_span = span(self.file, key.at);
                let section = match key.kind {
                    Kind::String(key) => Named::from_key(&key),
                    _ => None,
                };
                let section =
                    section.expect("the fast reader opens only sections of named objects");
                self.section = Some(section);
                raw::Piece::Section {
                    section,
                    key_span,
                    span: span(self.file, at),
                }
            }
            Piece::Member(key, value) => {
                let section = self.section.expect("a member follows its section");
                match self.entry(key, value) {
                    Some(entry) => raw::Piece::Member { section, entry },
                    None => return,
                }
            }
            Piece::NotAMapping(value) => raw::Piece::NotAMapping(self.node(value)),
        };
        self.sink.accept(piece);
    }

    fn finish(self) -> Result<S, Diagnostic> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.sink),
        }
    }

    fn entry(&mut self, key: Value, value: Value) -> Option<Entry> {
        let key_span = span(self.file, key.at);
        let key = match key.kind {
            Kind::String(s) | Kind::Number(s) => s,
            Kind::Bool(b) => if b { "true" } else { "false" }.into(),
            Kind::Null => "null".into(),
            Kind::Map(_) | Kind::List(_) => {
                self.error.get_or_insert_with(|| {
                    Diagnostic::error(
                        "a key must be a plain name, not a mapping or a list",
                        Some(key_span),
                    )
                });
                return None;
            }
        };
        Some(Entry {
            key,
            key_span,
            value: self.node(value),
        })
    }

    fn node(&mut self, value: Value) -> Node {
        let kind = match value.kind {
            Kind::Map(entries) => NodeKind::Map(exact(
                entries.len(),
                entries
                    .into_iter()
                    .filter_map(|(key, value)| self.entry(key, value)),
            )),
            Kind::List(items) => NodeKind::List(exact(
                items.len(),
                items.into_iter().map(|item| self.node(item)),
            )),
            Kind::String(s) => NodeKind::String(s),
            Kind::Number(n) => NodeKind::Number(n),
            Kind::Bool(b) => NodeKind::Bool(b),
            Kind::Null => NodeKind::Null,
        };
        Node::new(kind, span(self.file, value.at))
    }
}

/// The items of `items` in a vector allocated for them, `capacity` being their number at most.
fn exact<T>(capacity: usize, items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::with_capacity(capacity);
    out.extend(items);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Node, Diagnostic> {
        let (root, mut diagnostics) = crate::config::parse(&SourceFile::new("t.yaml", text));
        root.ok_or_else(|| diagnostics.remove(0))
    }

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let doc =
            parse_text("tokens:\n  ci-push:\n    scope_map: \"ci\"\n    list: [a, 1]\n").unwrap();
        let NodeKind::Map(top) = &doc.kind else {
            panic!()
        };
        assert_eq!(format!("{:?}", top[0].key_span), "t.yaml:1:1+6");
        let NodeKind::Map(tokens) = &top[0].value.kind else {
            panic!()
        };
        assert_eq!(format!("{:?}", tokens[0].key_span), "t.yaml:2:3+7");
        let NodeKind::Map(token) = &tokens[0].value.kind else {
            panic!()
        };
        assert_eq!(format!("{:?}", token[0].key_span), "t.yaml:3:5+9");
        assert_eq!(format!("{:?}", token[0].value.span), "t.yaml:3:16+4");
        assert_eq!(token[0].value.kind, NodeKind::String("ci".into()));
        let NodeKind::List(items) = &token[1].value.kind else {
            panic!()
        };
        assert_eq!(items[1].kind, NodeKind::Number("1".into()));
        assert_eq!(format!("{:?}", items[1].span), "t.yaml:4:15+1");
    }

    #[test]
    fn duplicate_keys_pass_through() {
        let doc = parse_text("a: 1\na: 2\n").unwrap();
        let NodeKind::Map(top) = &doc.kind else {
            panic!()
        };
        assert_eq!(top.len(), 2);
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse_text("tokens:\n  a: [b\n").unwrap_err();
        assert_eq!(
            format!("{} {:?}", err.message, err.span),
            "invalid YAML: unclosed bracket '[' Some(t.yaml:2:6+1)"
        );
    }

    #[test]
    fn long_comment_blocks_are_fine() {
        // An anchor keeps this file from the fast reader.
        let text = format!(
            "registry: &r\n  name: r\ntokens: # none yet\n{}",
            "# ci-push:\n#   scope_map: ci\n".repeat(40)
        );
        assert!(read_conforming(&SourceFile::new("t.yaml", text)).is_ok());
    }

    #[test]
    fn empty_is_empty_map() {
        let doc = parse_text("# nothing\n").unwrap();
        assert_eq!(doc.kind, NodeKind::Map(vec![]));
    }
}
