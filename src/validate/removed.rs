//! `removed`: the tokens and scope maps the configuration used to declare, and whether to
//! delete or disable each. Several files (and several HCL blocks) may each hold one; a name
//! given twice, or also declared, is an error at both places.
//!
//! YAML: `removed: {tokens: {old-ci: delete}, scope_maps: {old-pushers: delete}}`.
//! HCL: `removed { tokens = { old-ci = "delete" } scope_maps = { old-pushers = "delete" } }`.

use std::collections::HashMap;

use compact_str::CompactString;

use super::checker::Checker;
use super::keys;
use super::resolve::Parsed;
use super::tokens::Binding;
use crate::config::raw::{Entry, NodeKind};
use crate::diagnostic::{Diagnostic, Span};
use crate::model::{Removed, RemovedAction, ScopeMapName, TokenName, is_system_scope_map_name};

/// The removed entries with the place each is written, until they are checked against the
/// declarations.
#[derive(Default)]
pub(super) struct ParsedRemoved {
    tokens: Vec<(TokenName, RemovedAction, Span)>,
    scope_maps: Vec<(ScopeMapName, Span)>,
}

/// Reads every `removed` section.
pub(super) fn removed(checker: &mut Checker, entries: &[Entry]) -> ParsedRemoved {
    let mut parsed = ParsedRemoved::default();
    let mut seen: HashMap<(&str, CompactString), Span> = HashMap::new();
    for entry in entries {
        if entry.value.kind == NodeKind::Null {
            continue;
        }
        let Some(fields) = checker.fields(&entry.value, "`removed`", keys::REMOVED) else {
            continue;
        };
        for (section, kind) in [("tokens", "token"), ("scope_maps", "scope map")] {
            let Some(list) = fields.get(section) else {
                continue;
            };
            if list.value.kind == NodeKind::Null {
                continue;
            }
            let what = format!("`removed.{section}`");
            let Some(named) = checker.map(&list.value, &what) else {
                continue;
            };
            for object in named {
                // ACR names are not case-sensitive, as for declarations.
                let identity = (section, object.key.to_ascii_lowercase());
                if let Some(first) = seen.get(&identity) {
                    checker.push(
                        Diagnostic::error(
                            format!("{kind} `{}` is removed twice", object.key),
                            Some(object.key_span.clone()),
                        )
                        .with_note("first removed here", Some(first.clone())),
                    );
                    continue;
                }
                seen.insert(identity, object.key_span.clone());
                match section {
                    "tokens" => parsed.add_token(checker, object),
                    _ => parsed.add_scope_map(checker, object),
                }
            }
        }
    }
    parsed
}

impl ParsedRemoved {
    fn add_token(&mut self, checker: &mut Checker, object: &Entry) {
        let name: Option<TokenName> = checker.parse(&object.key, &object.key_span);
        let options = [
            ("delete", RemovedAction::Delete),
            ("disable", RemovedAction::Disable),
        ];
        let action = checker.keyword(&object.value, "`removed` action", &options);
        if let (Some(name), Some(action)) = (name, action) {
            self.tokens.push((name, action, object.key_span.clone()));
        }
    }

    fn add_scope_map(&mut self, checker: &mut Checker, object: &Entry) {
        let name: Option<ScopeMapName> = checker.parse(&object.key, &object.key_span);
        if matches!(&object.value.kind, NodeKind::String(s) if s == "disable") {
            checker
                .error(
                    format!("scope map `{}` cannot be disabled", object.key),
                    &object.value.span,
                )
                .help = Some(
                "ACR has no disabled scope maps: write `delete`, or remove or disable the tokens \
                 that use it"
                    .to_owned(),
            );
            return;
        }
        let action = checker.keyword(
            &object.value,
            "`removed` action for a scope map",
            &[("delete", ())],
        );
        let Some(name) = name else {
            return;
        };
        if is_system_scope_map_name(name.as_str()) {
            checker
                .error(
                    format!("`{name}` is a system scope map and is never deleted"),
                    &object.key_span,
                )
                .help = Some("remove this entry; system scope maps belong to ACR".to_owned());
            return;
        }
        if action.is_some() {
            self.scope_maps.push((name, object.key_span.clone()));
        }
    }

    /// Checks the entries against what the configuration declares and uses, and gives the
    /// model's `Removed`.
    pub(super) fn check(self, checker: &mut Checker, parsed: &Parsed) -> Removed {
        // Most configurations remove nothing: no need to index what they declare.
        if self.tokens.is_empty() && self.scope_maps.is_empty() {
            return Removed::default();
        }
        let lower = |s: &str| s.to_ascii_lowercase();
        let mut tokens: HashMap<String, &Span> = HashMap::new();
        let mut scope_maps: HashMap<String, (&Span, &'static str)> = HashMap::new();
        let mut uses: HashMap<String, Vec<(&TokenName, &Span)>> = HashMap::new();
        for token in &parsed.tokens {
            tokens.insert(lower(token.name.as_str()), &token.span);
            match &token.binding {
                Binding::Inline(_) => {
                    let implicit = format!("{}-scope-map", token.name);
                    scope_maps.insert(lower(&implicit), (&token.span, "implicitly, by the token"));
                }
                Binding::ScopeMap(name, span) => {
                    uses.entry(lower(name))
                        .or_default()
                        .push((&token.name, span));
                }
                Binding::Broken => {}
            }
        }
        for scope_map in &parsed.scope_maps {
            scope_maps.insert(lower(scope_map.name.as_str()), (&scope_map.span, "here"));
        }
        let mut removed = Removed::default();
        for (name, action, span) in self.tokens {
            let key = lower(name.as_str());
            // (A connected registry's client tokens must be declared, so none is removed.)
            if let Some(declared) = tokens.get(&key) {
                checker.push(also_declared(
                    "token",
                    name.as_str(),
                    &span,
                    declared,
                    "here",
                ));
            } else {
                removed.tokens.insert(name, action);
            }
        }
        for (name, span) in self.scope_maps {
            let key = lower(name.as_str());
            if let Some((declared, how)) = scope_maps.get(&key) {
                checker.push(also_declared(
                    "scope map",
                    name.as_str(),
                    &span,
                    declared,
                    how,
                ));
            } else if let Some((token, used)) = uses.get(&key).and_then(|u| u.first()) {
                checker.push(
                    Diagnostic::error(
                        format!("scope map `{name}` is removed but token `{token}` uses it"),
                        Some(span),
                    )
                    .with_note("used here", Some((*used).clone()))
                    .with_help("move the token to another scope map, or remove it too"),
                );
            } else {
                removed.scope_maps.insert(name);
            }
        }
        removed
    }
}

fn also_declared(kind: &str, name: &str, span: &Span, declared: &Span, how: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{kind} `{name}` is both declared and removed"),
        Some(span.clone()),
    )
    .with_note(format!("declared {how}"), Some(declared.clone()))
    .with_help(format!(
        "keep the declaration to manage the {kind}, or this entry to {}",
        if kind == "token" {
            "delete or disable it"
        } else {
            "delete it"
        }
    ))
}
