//! HCL files into the raw tree, through hcl-edit (which keeps the byte span of everything).
//!
//! HCL says with blocks what YAML says with maps: `token "ci" { … }` becomes the entry `ci` of
//! `tokens`, `password "password1" { … }` the entry `password1` of the token's `passwords`,
//! and `rule "r" { repositories = { … } }` the rule `r` whose body is that repository map. Only
//! literal values are accepted: the configuration describes, it does not compute.

use std::ops::Range;
use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, Body, Structure};

use super::raw::{Document, Entry, Language, Node, NodeKind};
use crate::diagnostic::{Diagnostic, SourceFile, Span, did_you_mean};

/// Top-level blocks without a label, and the YAML key each stands for.
const SINGLE_BLOCKS: [&str; 3] = ["registry", "unmanaged", "lint"];
/// Top-level blocks with a name label, and the YAML section each one adds an entry to.
const NAMED_BLOCKS: [(&str, &str); 4] = [
    ("rule", "rules"),
    ("scope_map", "scope_maps"),
    ("token", "tokens"),
    ("connected_registry", "connected_registries"),
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
}

/// Parses one HCL file. A syntax error gives no document; structural problems (a block where
/// an attribute belongs, an expression instead of a literal) are reported and skipped.
pub fn parse(file: &Arc<SourceFile>) -> (Option<Document>, Vec<Diagnostic>) {
    let body = match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => body,
        Err(err) => {
            let location = err.location();
            let span = file.span_at(location.line(), location.column(), 1);
            let message = format!("invalid HCL: {}", err.message());
            return (None, vec![Diagnostic::error(message, Some(span))]);
        }
    };
    let mut converter = Converter {
        file,
        diagnostics: Vec::new(),
    };
    let root = converter.top_level(&body);
    let document = Document {
        file: Arc::clone(file),
        language: Language::Hcl,
        root,
    };
    (Some(document), converter.diagnostics)
}

impl Converter<'_> {
    fn span(&self, range: Option<Range<usize>>) -> Span {
        self.file.span(range.unwrap_or(0..1))
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

    fn top_level(&mut self, body: &Body) -> Node {
        let mut entries = Vec::new();
        // Named blocks of one kind gather into one section, placed where the first one was.
        let mut sections: Vec<(&'static str, Span, Vec<Entry>)> = Vec::new();
        for structure in body {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let key_range = attribute.key.span();
                    if ATTRIBUTES.contains(&key) {
                        entries.push(Entry {
                            key: key.into(),
                            key_span: self.span(key_range),
                            value: self.expression(&attribute.value),
                        });
                    } else if top_level_words().any(|word| word == key) {
                        self.error(format!("`{key}` is a block, not an attribute"), key_range)
                            .help = Some(block_example(key));
                    } else {
                        let help = did_you_mean(key, top_level_words());
                        self.error(format!("unknown attribute `{key}`"), key_range)
                            .help = help;
                    }
                }
                Structure::Block(block) => self.top_level_block(block, &mut entries, &mut sections),
            }
        }
        for (key, key_span, section) in sections {
            let value = Node::new(NodeKind::Map(section), key_span.clone());
            entries.push(Entry {
                key: key.into(),
                key_span,
                value,
            });
        }
        Node::new(NodeKind::Map(entries), self.file.span_at(1, 1, 1))
    }

    fn top_level_block(
        &mut self,
        block: &Block,
        entries: &mut Vec<Entry>,
        sections: &mut Vec<(&'static str, Span, Vec<Entry>)>,
    ) {
        let ident = block.ident.as_str();
        let ident_range = block.ident.span();
        if SINGLE_BLOCKS.contains(&ident) {
            if let Some(label) = block.labels.first() {
                self.error(format!("`{ident}` takes no label"), label.span())
                    .help = Some(format!("write `{ident} {{ … }}`"));
                return;
            }
            let value = self.body(block, &[]);
            entries.push(Entry {
                key: ident.into(),
                key_span: self.span(ident_range),
                value,
            });
            return;
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
            return;
        };
        let [label] = block.labels.as_slice() else {
            let range = block
                .labels
                .get(1)
                .and_then(hcl_edit::Span::span)
                .or(ident_range);
            self.error(
                format!("`{ident}` takes exactly one label, its name"),
                range,
            )
            .help = Some(block_example(ident));
            return;
        };
        let value = match ident {
            "rule" => self.rule_body(block),
            "token" => self.body(block, &["password"]),
            _ => self.body(block, &[]),
        };
        let entry = Entry {
            key: label.as_str().into(),
            key_span: self.span(label.span()),
            value,
        };
        match sections.iter_mut().find(|(key, _, _)| *key == section) {
            Some((_, _, section_entries)) => section_entries.push(entry),
            None => sections.push((section, self.span(ident_range), vec![entry])),
        }
    }

    /// A block's body as a map. `password "password1" { … }` blocks (when `labelled` allows
    /// them) gather into `passwords`; unlabelled nested blocks are maps.
    fn body(&mut self, block: &Block, labelled: &[&str]) -> Node {
        let mut entries = Vec::new();
        let mut passwords: Option<(Span, Vec<Entry>)> = None;
        for structure in &block.body {
            match structure {
                Structure::Attribute(attribute) => entries.push(Entry {
                    key: attribute.key.as_str().into(),
                    key_span: self.span(attribute.key.span()),
                    value: self.expression(&attribute.value),
                }),
                Structure::Block(inner) => {
                    let ident = inner.ident.as_str();
                    let ident_range = inner.ident.span();
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
                        let key_span = self.span(label.span());
                        let span = self.span(ident_range);
                        passwords
                            .get_or_insert_with(|| (span, Vec::new()))
                            .1
                            .push(Entry {
                                key: label.as_str().into(),
                                key_span,
                                value,
                            });
                    } else if let Some(label) = inner.labels.first() {
                        self.error(format!("`{ident}` takes no label"), label.span());
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
        Node::new(NodeKind::Map(entries), self.span(block.ident.span()))
    }

    /// `rule "r" { repositories = { … } }` is the rule `r` with that repository map.
    fn rule_body(&mut self, block: &Block) -> Node {
        let mut rule = None;
        for structure in &block.body {
            let (key, range) = match structure {
                Structure::Attribute(a) => (a.key.as_str(), a.key.span()),
                Structure::Block(b) => (b.ident.as_str(), b.ident.span()),
            };
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
        rule.unwrap_or_else(|| Node::new(NodeKind::Map(Vec::new()), self.span(block.ident.span())))
    }

    fn expression(&mut self, expression: &Expression) -> Node {
        let span = self.span(expression.span());
        let kind = match expression {
            Expression::Null(_) => NodeKind::Null,
            Expression::Bool(b) => NodeKind::Bool(*b.value()),
            Expression::Number(n) => NodeKind::Number(n.value().to_string().into()),
            Expression::String(s) => NodeKind::String(s.value().as_str().into()),
            Expression::Array(array) => {
                NodeKind::List(array.iter().map(|item| self.expression(item)).collect())
            }
            Expression::Object(object) => NodeKind::Map(
                object
                    .iter()
                    .filter_map(|(key, value)| {
                        let key_span = self.span(key.span());
                        let key = match key {
                            ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                            ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
                            ObjectKey::Expression(_) => {
                                self.error(
                                    "an object key must be a name or a quoted string",
                                    key.span(),
                                );
                                return None;
                            }
                        };
                        Some(Entry {
                            key: key.into(),
                            key_span,
                            value: self.expression(value.expr()),
                        })
                    })
                    .collect(),
            ),
            Expression::Parenthesis(inner) => return self.expression(inner.inner()),
            Expression::Variable(name) => {
                let name = name.as_str();
                self.error(format!("`{name}` is not a value"), expression.span())
                    .help = Some(format!("quote it: `\"{name}\"`"));
                NodeKind::Invalid
            }
            Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => {
                self.error(
                    "templates and interpolation are not supported",
                    expression.span(),
                )
                .help = Some("write a plain quoted string".to_owned());
                NodeKind::Invalid
            }
            _ => {
                self.error("expressions are not supported", expression.span())
                    .help = Some("write a literal value".to_owned());
                NodeKind::Invalid
            }
        };
        Node::new(kind, span)
    }
}

fn block_example(ident: &str) -> String {
    match ident {
        "registry" | "unmanaged" | "lint" => format!("write `{ident} {{ … }}`"),
        _ => format!("write `{ident} \"NAME\" {{ … }}`"),
    }
}
