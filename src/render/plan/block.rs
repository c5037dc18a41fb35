//! One change laid out as Terraform lays out a resource: a header line, one line per managed
//! field, lists one element per line. Text and Markdown draw the same lines differently.

use std::collections::BTreeSet;
use std::fmt::Display;

use similar::{Algorithm, DiffTag, capture_diff_slices, group_diff_ops};

use crate::plan::{Address, Change, ChangeKind, ObjectState};

/// Unchanged list elements shown around each changed one; the rest are counted, not shown.
const CONTEXT: usize = 2;

/// What happens to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sign {
    Add,
    Remove,
    Change,
    Keep,
}

impl Sign {
    /// The Terraform marker of a field or element line.
    pub(super) fn marker(self) -> char {
        match self {
            Self::Add => '+',
            Self::Remove => '-',
            Self::Change => '~',
            Self::Keep => ' ',
        }
    }
}

/// One line of a block. `depth` 0 is the header and closing brace, 1 a field, 2 a list element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    pub(super) sign: Sign,
    pub(super) depth: usize,
    pub(super) text: String,
}

/// The marker of a whole change: `+` create, `~` update, `x` disable, `-` delete, `-/+` rotate.
///
/// Disable is `x`, not `!`: Atlantis' Markdown diff mode rewrites Terraform's `~` as `!`, and a
/// disable must never read as an update. Rotate is Terraform's replace marker: the old password
/// is destroyed and a new one created, and whoever used the old one is locked out.
pub(super) fn kind_marker(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Create => "+",
        ChangeKind::Update => "~",
        ChangeKind::Disable => "x",
        ChangeKind::Delete => "-",
        ChangeKind::Rotate => "-/+",
    }
}

/// The comment line above a block: `token.ci-push will be created`.
pub(super) fn headline(change: &Change) -> String {
    let verb = match change.kind {
        ChangeKind::Create => "will be created",
        ChangeKind::Update => "will be updated in-place",
        ChangeKind::Disable => "will be disabled",
        ChangeKind::Delete => "will be deleted",
        ChangeKind::Rotate => "will be rotated (a new password is generated)",
    };
    format!("{} {verb}", change.address)
}

fn header(address: &Address) -> String {
    match address {
        Address::AdminUser => "admin_user".to_owned(),
        Address::ScopeMap(name) => format!("scope_map {}", quote(name)),
        Address::Token(name) => format!("token {}", quote(name)),
        Address::Password(token, slot) => format!("password {}", quote(format!("{token}.{slot}"))),
        Address::ConnectedRegistry(name) => format!("connected_registry {}", quote(name)),
    }
}

/// A string value as JSON writes it, so quotes, control and bidi characters are escaped.
fn quote(value: impl Display) -> String {
    crate::render::json::quote(&value.to_string())
}

fn timestamp(t: Option<chrono::DateTime<chrono::Utc>>, unknown: &str) -> String {
    t.map_or_else(|| unknown.to_owned(), |t| quote(crate::plan::timestamp(t)))
}

/// A field: its name, and its value before and after (`None`: the object doesn't exist then).
struct Field {
    name: &'static str,
    before: Option<String>,
    after: Option<String>,
}

enum Part {
    Scalar(Field),
    List {
        name: &'static str,
        before: Option<Vec<String>>,
        after: Option<Vec<String>>,
    },
}

fn quoted_all<T: Display>(items: impl IntoIterator<Item = T>) -> Vec<String> {
    items.into_iter().map(quote).collect()
}

/// The fields of one state, in display order.
fn parts(before: Option<&ObjectState>, after: Option<&ObjectState>) -> Vec<Part> {
    let scalar = |name, f: &dyn Fn(&ObjectState) -> Option<String>| {
        Part::Scalar(Field {
            name,
            before: before.and_then(f),
            after: after.and_then(f),
        })
    };
    let list = |name, f: &dyn Fn(&ObjectState) -> Option<Vec<String>>| Part::List {
        name,
        before: before.and_then(f),
        after: after.and_then(f),
    };
    let Some(shape) = after.or(before) else {
        return Vec::new();
    };
    match shape {
        ObjectState::ScopeMap { .. } => vec![
            scalar("description", &|s| match s {
                ObjectState::ScopeMap { description, .. } => description.as_ref().map(quote),
                _ => None,
            }),
            list("actions", &|s| match s {
                ObjectState::ScopeMap { actions, .. } => Some(quoted_all(actions)),
                _ => None,
            }),
        ],
        ObjectState::Token { .. } => vec![
            scalar("scope_map", &|s| match s {
                ObjectState::Token { scope_map, .. } => Some(quote(scope_map)),
                _ => None,
            }),
            scalar("status", &|s| match s {
                ObjectState::Token { status, .. } => Some(quote(status)),
                _ => None,
            }),
            list("passwords", &|s| match s {
                ObjectState::Token { passwords, .. } => passwords.as_ref().map(quoted_all),
                _ => None,
            }),
        ],
        ObjectState::Password { .. } => vec![
            scalar("creation_time", &|s| match s {
                ObjectState::Password { creation_time, .. } => {
                    Some(timestamp(*creation_time, "(known after apply)"))
                }
                _ => None,
            }),
            scalar("expiry", &|s| match s {
                ObjectState::Password { expiry, .. } => Some(timestamp(*expiry, "(none)")),
                _ => None,
            }),
        ],
        ObjectState::AdminUser { .. } => vec![scalar("enabled", &|s| match s {
            ObjectState::AdminUser { enabled } => Some(enabled.to_string()),
            _ => None,
        })],
        ObjectState::ConnectedRegistry { .. } => vec![list("client_tokens", &|s| match s {
            ObjectState::ConnectedRegistry { client_tokens } => Some(quoted_all(client_tokens)),
            _ => None,
        })],
    }
}

/// The element lines of a list that goes from `before` to `after`: a line diff (the lists are
/// sorted, so it is the set difference), unchanged runs beyond the context counted.
fn list_lines(before: &[String], after: &[String], lines: &mut Vec<Line>) {
    let item = |sign, text: &String| Line {
        sign,
        depth: 2,
        text: format!("{text},"),
    };
    let hidden = |count: usize| Line {
        sign: Sign::Keep,
        depth: 2,
        text: format!(
            "# ({count} unchanged element{} hidden)",
            if count == 1 { "" } else { "s" }
        ),
    };
    let ops = capture_diff_slices(Algorithm::Myers, before, after);
    let mut shown_up_to = 0;
    for group in group_diff_ops(ops, CONTEXT) {
        let Some(start) = group.first().map(|op| op.old_range().start) else {
            continue;
        };
        if start > shown_up_to {
            lines.push(hidden(start - shown_up_to));
        }
        for op in &group {
            let (tag, old, new) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => {
                    lines.extend(before[old.clone()].iter().map(|t| item(Sign::Keep, t)));
                }
                DiffTag::Delete => {
                    lines.extend(before[old.clone()].iter().map(|t| item(Sign::Remove, t)));
                }
                DiffTag::Insert => lines.extend(after[new].iter().map(|t| item(Sign::Add, t))),
                DiffTag::Replace => {
                    lines.extend(before[old.clone()].iter().map(|t| item(Sign::Remove, t)));
                    lines.extend(after[new].iter().map(|t| item(Sign::Add, t)));
                }
            }
            shown_up_to = old.end;
        }
    }
    if before.len() > shown_up_to && shown_up_to > 0 {
        lines.push(hidden(before.len() - shown_up_to));
    }
}

/// The lines of one change's block, header and closing brace included. The header's sign is
/// `Keep`: its marker is the change kind's.
pub(super) fn lines(change: &Change) -> Vec<Line> {
    let field = |sign, text| Line {
        sign,
        depth: 1,
        text,
    };
    let mut out = vec![Line {
        sign: Sign::Keep,
        depth: 0,
        text: format!("{} {{", header(&change.address)),
    }];
    let parts = parts(change.before.as_ref(), change.after.as_ref());
    let width = parts
        .iter()
        .filter_map(|p| match p {
            Part::Scalar(f) if f.before.is_some() || f.after.is_some() => Some(f.name.len()),
            Part::List {
                name,
                before,
                after,
            } if before.is_some() || after.is_some() => Some(name.len()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for part in parts {
        match part {
            Part::Scalar(Field {
                name,
                before,
                after,
            }) => {
                let (sign, value) = match (before, after) {
                    (None, None) => continue,
                    (None, Some(after)) => (Sign::Add, after),
                    (Some(before), None) => (Sign::Remove, before),
                    (Some(before), Some(after)) if before == after => (Sign::Keep, after),
                    (Some(before), Some(after)) => (Sign::Change, format!("{before} -> {after}")),
                };
                out.push(field(sign, format!("{name:width$} = {value}")));
            }
            Part::List {
                name,
                before,
                after,
            } => {
                let (sign, before, after) = match (before, after) {
                    (None, None) => continue,
                    (None, Some(after)) => (Sign::Add, Vec::new(), after),
                    (Some(before), None) => (Sign::Remove, before, Vec::new()),
                    (Some(before), Some(after)) if before == after => {
                        // Unchanged: short lists inline, long ones counted.
                        let count = before.len();
                        let text = if count <= 3 {
                            format!("{name:width$} = [{}]", before.join(", "))
                        } else {
                            format!("{name:width$} = [ # ({count} unchanged elements hidden) ]")
                        };
                        out.push(field(Sign::Keep, text));
                        continue;
                    }
                    (Some(before), Some(after)) => (Sign::Change, before, after),
                };
                if before.is_empty() && after.is_empty() {
                    out.push(field(sign, format!("{name:width$} = []")));
                    continue;
                }
                out.push(field(sign, format!("{name:width$} = [")));
                list_lines(&before, &after, &mut out);
                out.push(field(Sign::Keep, "]".to_owned()));
            }
        }
    }
    out.push(Line {
        sign: Sign::Keep,
        depth: 0,
        text: "}".to_owned(),
    });
    out
}

/// Actions sorted as strings, as every output lists them.
pub(crate) fn sorted_strings<T: Display>(items: &BTreeSet<T>) -> Vec<String> {
    let mut strings: Vec<String> = items.iter().map(ToString::to_string).collect();
    strings.sort();
    strings
}
