//! HCL files into the raw tree: the common literal forms by a fast reader of its own
//! (`subset`), everything else through hcl-edit (which keeps the byte span of everything).
//! Both give the same syntax (`syntax`), which one converter turns into the raw tree.
//!
//! HCL says with blocks what YAML says with maps: `token "ci" { … }` becomes the entry `ci` of
//! `tokens`, `password "password1" { … }` the entry `password1` of the token's `passwords`,
//! and `rule "r" { repositories = { … } }` the rule `r` whose body is that repository map. Only
//! literal values are accepted: the configuration describes, it does not compute.

use std::cell::Cell;
use std::ops::Range;
use std::sync::Arc;

use self::syntax::{Block, Expr, ExprKind, ObjectKey, Structure};
use super::raw::{Assembler, Entry, Named, Node, NodeKind, Piece, Sink};
use crate::diagnostic::{Diagnostic, SourceFile, Span, did_you_mean};

mod subset;
mod syntax;
/// Top-level blocks without a label, and the YAML key each stands for. (`removed` may be
/// repeated; validation merges them.)
const SINGLE_BLOCKS: [&str; 5] = ["registry", "unmanaged", "removed", "lint", "secrets"];
/// Top-level blocks with a name label, and the section each one adds an object to.
const NAMED_BLOCKS: [(&str, Named); 4] = [
    ("rule", Named::Rules),
    ("scope_map", Named::ScopeMaps),
    ("token", Named::Tokens),
    ("connected_registry", Named::ConnectedRegistries),
];
/// Top-level attributes.
const ATTRIBUTES: [&str; 1] = ["ignore"];

/// Every word allowed at the top of an HCL file, for "did you mean".
fn top_level_words() -> impl Iterator<Item = &'static str> {
    SINGLE_BLOCKS
        .into_iter()
        .chain(NAMED_BLOCKS.iter().map(|(block, _)| *block))
        .chain(ATTRIBUTES)
}

struct Converter<'a> {
    file: &'a Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
    /// The line of the last span made: spans are made in file order, mostly.
    last_line: Cell<usize>,
}

/// Parses one HCL file, handing its top level to a sink made by `new_sink` one piece at a
/// time: each named block is one object of its section. A syntax error gives no sink;
/// structural problems (a block where an attribute belongs, an expression instead of a
/// literal) are reported and skipped.
pub(crate) fn parse<S: Sink>(
    file: &Arc<SourceFile>,
    new_sink: &mut dyn FnMut() -> S,
) -> (Option<S>, Vec<Diagnostic>) {
    match parse_subset(file, new_sink()) {
        Some((sink, diagnostics)) => (Some(sink), diagnostics),
        None => parse_conforming(file, new_sink()),
    }
}

/// Parses one HCL file with the fast reader; `None` when it holds anything outside the subset.
/// The reader hands over one top-level block at a time, and the converter hands it on at
/// once; the reader stops (and its work, the sink's too, is dropped) at the first thing
/// outside its subset.
fn parse_subset<S: Sink>(file: &Arc<SourceFile>, sink: S) -> Option<(S, Vec<Diagnostic>)> {
    let mut converter = Converter::new(file);
    let mut reader = subset::Reader::new(&file.text);
    let sink = converter.top_level(&mut reader, sink);
    (!reader.declined()).then_some((sink, converter.diagnostics))
}

/// Parses one HCL file with hcl-edit, whatever HCL it holds.
fn parse_conforming<S: Sink>(file: &Arc<SourceFile>, sink: S) -> (Option<S>, Vec<Diagnostic>) {
    let structures = match read_with_edit(file) {
        Ok(structures) => structures,
        Err(error) => return (None, vec![error]),
    };
    let mut converter = Converter::new(file);
    let sink = converter.top_level(structures, sink);
    (Some(sink), converter.diagnostics)
}

/// The syntax of one HCL file as hcl-edit reads it, or its syntax error.
fn read_with_edit(file: &Arc<SourceFile>) -> Result<Vec<Structure>, Diagnostic> {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => Ok(syntax::from_edit(&body)),
        Err(err) => {
            let location = err.location();
            let span = file.span_at(location.line(), location.column(), 1);
            let message = format!("invalid HCL: {}", err.message());
            Err(Diagnostic::error(message, Some(span)))
        }
    }
}

/// Parses a workspace file in HCL, `registry "NAME" { paths = [ … ] }` blocks, into the raw
/// tree of its YAML form, `registries: { NAME: [ … ] }`, so one reader checks both. A syntax
/// error gives no tree.
pub(super) fn parse_workspace(file: &Arc<SourceFile>) -> (Option<Node>, Vec<Diagnostic>) {
    let structures = match read_with_edit(file) {
        Ok(structures) => structures,
        Err(error) => return (None, vec![error]),
    };
    let mut converter = Converter::new(file);
    let root = converter.workspace(structures);
    (Some(root), converter.diagnostics)
}

/// Whether the fast reader, wherever it reads a file, gives what hcl-edit gives: the same
/// tree, span for span, and the same diagnostics. For the differential tests and fuzzing.
#[doc(hidden)]
pub fn readers_agree(file: &Arc<SourceFile>) -> bool {
    let document = |(sink, diagnostics): (Option<Assembler>, Vec<Diagnostic>)| {
        let root = sink.map(|sink| sink.root(file.span_at(1, 1, 1)));
        format!("{root:?} {diagnostics:?}")
    };
    parse_subset(file, Assembler::default()).is_none_or(|(fast, diagnostics)| {
        document((Some(fast), diagnostics))
            == document(parse_conforming(file, Assembler::default()))
    })
}

impl<'a> Converter<'a> {
    fn new(file: &'a Arc<SourceFile>) -> Self {
        Self {
            file,
            diagnostics: Vec::new(),
            last_line: Cell::new(0),
        }
    }

    fn span(&self, range: Option<Range<usize>>) -> Span {
        self.file.span_after(range.unwrap_or(0..1), &self.last_line)
    }

    fn error(
        &mut self,
        message: impl Into<String>,
        range: Option<Range<usize>>,
    ) -> &mut Diagnostic {
        let span = self.span(range);
        self.diagnostics
            .push(Diagnostic::error(message, Some(span)));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn top_level<S: Sink>(&mut self, body: impl IntoIterator<Item = Structure>, mut sink: S) -> S {
        // A section opens at the first block of its kind.
        let mut opened = [false; Named::ALL.len()];
        for structure in body {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.text.as_str();
                    let key_range = attribute.key.range.clone();
                    if ATTRIBUTES.contains(&key) {
                        sink.accept(Piece::Entry(Entry {
                            key: key.into(),
                            key_span: self.span(key_range),
                            value: self.expression(&attribute.value),
                        }));
                    } else if top_level_words().any(|word| word == key) {
                        self.error(format!("`{key}` is a block, not an attribute"), key_range)
                            .help = Some(block_example(key));
                    } else {
                        let help = did_you_mean(key, top_level_words());
                        self.error(format!("unknown attribute `{key}`"), key_range)
                            .help = help;
                    }
                }
                Structure::Block(block) => {
                    if let Some(piece) = self.top_level_block(&block, &mut opened, &mut sink) {
                        sink.accept(piece);
                    }
                }
            }
        }
        sink
    }

    /// A workspace's top level: only `registry "NAME" { paths = [ … ] }` blocks.
    fn workspace(&mut self, body: Vec<Structure>) -> Node {
        let mut registries: Option<(Span, Vec<Entry>)> = None;
        for structure in body {
            let block = match structure {
                Structure::Block(block) if block.ident.text == "registry" => block,
                Structure::Block(Block { ident, .. })
                | Structure::Attribute(syntax::Attribute { key: ident, .. }) => {
                    let help = did_you_mean(&ident.text, ["registry"]).or_else(|| {
                        Some(
                            "a workspace holds `registry \"NAME\" { paths = [ … ] }` blocks"
                                .to_owned(),
                        )
                    });
                    self.error(format!("unknown key `{}`", ident.text), ident.range)
                        .help = help;
                    continue;
                }
            };
            let [label] = block.labels.as_slice() else {
                let range = block
                    .labels
                    .get(1)
                    .and_then(|label| label.range.clone())
                    .or(block.ident.range.clone());
                self.error("`registry` takes exactly one label, its name", range)
                    .help = Some("write `registry \"NAME\" { paths = [ … ] }`".to_owned());
                continue;
            };
            let mut paths = None;
            for inner in &block.body {
                match inner {
                    Structure::Attribute(attribute) if attribute.key.text == "paths" => {
                        paths = Some(self.expression(&attribute.value));
                    }
                    Structure::Attribute(syntax::Attribute { key: word, .. })
                    | Structure::Block(Block { ident: word, .. }) => {
                        let help = did_you_mean(&word.text, ["paths"])
                            .or_else(|| Some("a registry has only `paths`".to_owned()));
                        self.error(format!("unknown key `{}`", word.text), word.range.clone())
                            .help = help;
                    }
                }
            }
            let key_span = self.span(label.range.clone());
            let value = paths.unwrap_or_else(|| {
                self.error(
                    format!("registry `{}` has no `paths`", label.text),
                    label.range.clone(),
                )
                .help = Some("write `paths = [\"common/\", \"registries/NAME/\"]`".to_owned());
                Node::new(NodeKind::Invalid, key_span.clone())
            });
            let span = self.span(block.ident.range.clone());
            registries
                .get_or_insert_with(|| (span, Vec::new()))
                .1
                .push(Entry {
                    key: label.text.clone(),
                    key_span,
                    value,
                });
        }
        let mut entries = Vec::new();
        if let Some((span, found)) = registries {
            entries.push(Entry {
                key: "registries".into(),
                key_span: span.clone(),
                value: Node::new(NodeKind::Map(found), span),
            });
        }
        Node::new(NodeKind::Map(entries), self.file.span_at(1, 1, 1))
    }

    /// The piece a top-level block is; a section's first block opens it on `sink` first.
    fn top_level_block(
        &mut self,
        block: &Block,
        opened: &mut [bool; Named::ALL.len()],
        sink: &mut impl Sink,
    ) -> Option<Piece> {
        let ident = block.ident.text.as_str();
        let ident_range = block.ident.range.clone();
        if SINGLE_BLOCKS.contains(&ident) {
            if let Some(label) = block.labels.first() {
                self.error(format!("`{ident}` takes no label"), label.range.clone())
                    .help = Some(format!("write `{ident} {{ … }}`"));
                return None;
            }
            let value = self.body(block, &[]);
            return Some(Piece::Entry(Entry {
                key: ident.into(),
                key_span: self.span(ident_range),
                value,
            }));
        }
        let Some(&(_, section)) = NAMED_BLOCKS.iter().find(|(name, _)| *name == ident) else {
            let what = if ATTRIBUTES.contains(&ident) {
                format!("`{ident}` is an attribute, not a block")
            } else {
                format!("unknown block `{ident}`")
            };
            let help = if ATTRIBUTES.contains(&ident) {
                Some(format!("write `{ident} = [ … ]`"))
            } else {
                did_you_mean(ident, top_level_words())
            };
            self.error(what, ident_range).help = help;
            return None;
        };
        let [label] = block.labels.as_slice() else {
            let range = block
                .labels
                .get(1)
                .and_then(|label| label.range.clone())
                .or(ident_range);
            self.error(
                format!("`{ident}` takes exactly one label, its name"),
                range,
            )
            .help = Some(block_example(ident));
            return None;
        };
        if !opened[section as usize] {
            opened[section as usize] = true;
            let span = self.span(ident_range);
            sink.accept(Piece::Section {
                section,
                key_span: span.clone(),
                span,
            });
        }
        let value = match ident {
            "rule" => self.rule_body(block),
            "token" => self.body(block, &["password"]),
            _ => self.body(block, &[]),
        };
        let entry = Entry {
            key: label.text.clone(),
            key_span: self.span(label.range.clone()),
            value,
        };
        Some(Piece::Member { section, entry })
    }

    /// A block's body as a map. `password "password1" { … }` blocks (when `labelled` allows
    /// them) gather into `passwords`; unlabelled nested blocks are maps.
    fn body(&mut self, block: &Block, labelled: &[&str]) -> Node {
        // Exactly sized: at Premium scale a grown `Vec`'s spare places were 30 MB.
        let mut entries = Vec::with_capacity(block.body.len());
        let mut passwords: Option<(Span, Vec<Entry>)> = None;
        for structure in &block.body {
            match structure {
                Structure::Attribute(attribute) => entries.push(Entry {
                    key: attribute.key.text.clone(),
                    key_span: self.span(attribute.key.range.clone()),
                    value: self.expression(&attribute.value),
                }),
                Structure::Block(inner) => {
                    let ident = inner.ident.text.as_str();
                    let ident_range = inner.ident.range.clone();
                    if labelled.contains(&ident) {
                        let [label] = inner.labels.as_slice() else {
                            self.error(
                                format!("`{ident}` takes exactly one label, its slot"),
                                ident_range,
                            )
                            .help = Some("write `password \"password1\" { … }`".to_owned());
                            continue;
                        };
                        let value = self.body(inner, &[]);
                        let key_span = self.span(label.range.clone());
                        let span = self.span(ident_range);
                        passwords
                            .get_or_insert_with(|| (span, Vec::new()))
                            .1
                            .push(Entry {
                                key: label.text.clone(),
                                key_span,
                                value,
                            });
                    } else if let Some(label) = inner.labels.first() {
                        self.error(format!("`{ident}` takes no label"), label.range.clone());
                    } else {
                        let value = self.body(inner, &[]);
                        entries.push(Entry {
                            key: ident.into(),
                            key_span: self.span(ident_range),
                            value,
                        });
                    }
                }
            }
        }
        if let Some((span, slots)) = passwords {
            if let Some(attribute) = entries.iter().find(|e| e.key == "passwords") {
                let at = attribute.key_span.clone();
                self.diagnostics.push(
                    Diagnostic::error("`passwords` and `password` blocks in one token", Some(at))
                        .with_help("use `password` blocks, or `passwords = {}` for no passwords"),
                );
            } else {
                entries.push(Entry {
                    key: "passwords".into(),
                    key_span: span.clone(),
                    value: Node::new(NodeKind::Map(slots), span),
                });
            }
        }
        Node::new(NodeKind::Map(entries), self.span(block.ident.range.clone()))
    }

    /// `rule "r" { repositories = { … } }` is the rule `r` with that repository map.
    fn rule_body(&mut self, block: &Block) -> Node {
        let mut rule = None;
        for structure in &block.body {
            let word = match structure {
                Structure::Attribute(a) => &a.key,
                Structure::Block(b) => &b.ident,
            };
            let (key, range) = (word.text.as_str(), word.range.clone());
            match structure {
                Structure::Attribute(a) if key == "repositories" => {
                    rule = Some(self.expression(&a.value));
                }
                _ => {
                    let help = did_you_mean(key, ["repositories"]);
                    self.error(format!("unknown key `{key}`"), range).help =
                        help.or_else(|| Some("a rule has only `repositories`".to_owned()));
                }
            }
        }
        rule.unwrap_or_else(|| {
            Node::new(
                NodeKind::Map(Vec::new()),
                self.span(block.ident.range.clone()),
            )
        })
    }

    fn expression(&mut self, expression: &Expr) -> Node {
        let span = self.span(expression.range.clone());
        let kind = match &expression.kind {
            ExprKind::Null => NodeKind::Null,
            ExprKind::Bool(b) => NodeKind::Bool(*b),
            ExprKind::Number(n) => NodeKind::Number(n.clone()),
            ExprKind::String(s) => NodeKind::String(s.clone()),
            ExprKind::Array(items) => {
                NodeKind::List(items.iter().map(|item| self.expression(item)).collect())
            }
            ExprKind::Object(members) => {
                let mut entries = Vec::with_capacity(members.len());
                for (key, value) in members {
                    match key {
                        ObjectKey::Name(word) => entries.push(Entry {
                            key: word.text.clone(),
                            key_span: self.span(word.range.clone()),
                            value: self.expression(value),
                        }),
                        ObjectKey::Invalid(range) => {
                            self.error(
                                "an object key must be a name or a quoted string",
                                range.clone(),
                            );
                        }
                    }
                }
                NodeKind::Map(entries)
            }
            ExprKind::Variable(name) => {
                self.error(format!("`{name}` is not a value"), expression.range.clone())
                    .help = Some(format!("quote it: `\"{name}\"`"));
                NodeKind::Invalid
            }
            ExprKind::Template => {
                self.error(
                    "templates and interpolation are not supported",
                    expression.range.clone(),
                )
                .help = Some("write a plain quoted string".to_owned());
                NodeKind::Invalid
            }
            ExprKind::Other => {
                self.error("expressions are not supported", expression.range.clone())
                    .help = Some("write a literal value".to_owned());
                NodeKind::Invalid
            }
        };
        Node::new(kind, span)
    }
}

fn block_example(ident: &str) -> String {
    match ident {
        "registry" | "unmanaged" | "removed" | "lint" | "secrets" => {
            format!("write `{ident} {{ … }}`")
        }
        _ => format!("write `{ident} \"NAME\" {{ … }}`"),
    }
}
