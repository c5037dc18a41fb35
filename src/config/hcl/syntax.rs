//! The part of HCL's syntax a configuration can use, as the converter reads it: blocks,
//! attributes and literal values, each with its byte range. Both readers give it: the fast one
//! (`subset`) for the common forms, hcl-edit for everything else.

use std::ops::Range;

use compact_str::CompactString;
use hcl_edit::Span as _;

/// A name (an attribute's key, a block's type or label) and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Word {
    pub text: CompactString,
    pub range: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Structure {
    Attribute(Attribute),
    Block(Block),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Attribute {
    pub key: Word,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Block {
    pub ident: Word,
    pub labels: Vec<Word>,
    pub body: Vec<Structure>,
}

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expr {
    pub kind: ExprKind,
    pub range: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum ExprKind {
    Null,
    Bool(bool),
    /// A number, as hcl-edit prints it.
    Number(CompactString),
    String(CompactString),
    Array(Vec<Expr>),
    Object(Vec<(ObjectKey, Expr)>),
    /// A bare name where a value belongs.
    Variable(CompactString),
    /// A string with interpolation or directives, or a heredoc.
    Template,
    /// Anything else: operators, function calls, conditionals, `for` expressions.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum ObjectKey {
    /// A bare name, or a quoted string: either is the key itself.
    Name(Word),
    /// Any other expression, which a key cannot be.
    Invalid(Option<Range<usize>>),
}

/// hcl-edit's body in this syntax.
pub(super) fn from_edit(body: &hcl_edit::structure::Body) -> Vec<Structure> {
    body.iter().map(structure).collect()
}

fn structure(structure: &hcl_edit::structure::Structure) -> Structure {
    match structure {
        hcl_edit::structure::Structure::Attribute(attribute) => Structure::Attribute(Attribute {
            key: Word {
                text: attribute.key.as_str().into(),
                range: attribute.key.span(),
            },
            value: expr(&attribute.value),
        }),
        hcl_edit::structure::Structure::Block(block) => Structure::Block(Block {
            ident: Word {
                text: block.ident.as_str().into(),
                range: block.ident.span(),
            },
            labels: block
                .labels
                .iter()
                .map(|label| Word {
                    text: label.as_str().into(),
                    range: label.span(),
                })
                .collect(),
            body: from_edit(&block.body),
        }),
    }
}

fn expr(expression: &hcl_edit::expr::Expression) -> Expr {
    use hcl_edit::expr::{Expression, ObjectKey as EditKey};
    let kind = match expression {
        Expression::Null(_) => ExprKind::Null,
        Expression::Bool(b) => ExprKind::Bool(*b.value()),
        Expression::Number(n) => ExprKind::Number(n.value().to_string().into()),
        Expression::String(s) => ExprKind::String(s.value().as_str().into()),
        Expression::Array(array) => ExprKind::Array(array.iter().map(expr).collect()),
        Expression::Object(object) => ExprKind::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let key = match key {
                        EditKey::Ident(ident) => ObjectKey::Name(Word {
                            text: ident.as_str().into(),
                            range: key.span(),
                        }),
                        EditKey::Expression(Expression::String(s)) => ObjectKey::Name(Word {
                            text: s.value().as_str().into(),
                            range: key.span(),
                        }),
                        EditKey::Expression(_) => ObjectKey::Invalid(key.span()),
                    };
                    (key, expr(value.expr()))
                })
                .collect(),
        ),
        // A parenthesised value is the value.
        Expression::Parenthesis(inner) => return expr(inner.inner()),
        Expression::Variable(name) => ExprKind::Variable(name.as_str().into()),
        Expression::StringTemplate(_) | Expression::HeredocTemplate(_) => ExprKind::Template,
        _ => ExprKind::Other,
    };
    Expr {
        kind,
        range: expression.span(),
    }
}
