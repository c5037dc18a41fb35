//! Rules and scope maps, each on its own: names, descriptions, includes and permission maps.
//! References between them are resolved in `resolve`.

use std::collections::HashSet;

use super::checker::Checker;
use super::grants::{self, Located};
use super::keys;
use crate::config::raw::{Entry, NodeKind};
use crate::diagnostic::Span;
use crate::model::{
    ActionMap, ActionTarget, GrantSource, RuleName, ScopeAction, ScopeMapName,
    is_system_scope_map_name,
};

pub(super) struct ParsedRule {
    pub name: RuleName,
    pub span: Span,
    pub actions: Vec<Located<ScopeAction>>,
}

pub(super) struct ParsedScopeMap {
    pub name: ScopeMapName,
    pub span: Span,
    pub description: Option<String>,
    /// Names of included rules or scope maps, as written.
    pub include: Vec<(String, Span)>,
    /// Its own actions, sorted and merged as they are read (beside the parse, rather than in
    /// the resolution that waits for every file): `include` adds to them.
    pub own: ActionMap,
    /// Its actions on gateways, with where each is written: a gateway must be a declared
    /// connected registry, which is known only once every file is read.
    pub gateways: Vec<Located<ScopeAction>>,
}

/// One rule; `None` when its name is invalid (reported, and put in `invalid`).
pub(super) fn rule(
    checker: &mut Checker,
    entry: &Entry,
    invalid: &mut HashSet<String>,
) -> Option<ParsedRule> {
    let name: Option<RuleName> = checker.parse(&entry.key, &entry.key_span);
    let actions = grants::repositories(checker, &entry.value);
    if matches!(&entry.value.kind, NodeKind::Map(m) if m.is_empty()) {
        checker
            .error(
                format!("rule `{}` grants nothing", entry.key),
                &entry.key_span,
            )
            .help =
            Some("map repositories to actions, such as `\"samples/*\": [content/read]`".to_owned());
    }
    if name.is_none() {
        invalid.insert(entry.key.to_string());
    }
    Some(ParsedRule {
        name: name?,
        span: entry.key_span.clone(),
        actions,
    })
}

/// One scope map; `None` when it is broken (reported; an invalid name is put in `invalid`).
pub(super) fn scope_map(
    checker: &mut Checker,
    entry: &Entry,
    invalid: &mut HashSet<String>,
) -> Option<ParsedScopeMap> {
    let name = scope_map_name(checker, entry);
    let what = format!("scope map `{}`", entry.key);
    let fields = checker.fields(&entry.value, &what, keys::SCOPE_MAP)?;
    let description = fields
        .get("description")
        .and_then(|e| checker.string(&e.value, "`description`"))
        .map(str::to_owned);
    let include = fields
        .get("include")
        .and_then(|e| checker.strings(&e.value, "`include`"))
        .unwrap_or_default()
        .into_iter()
        .map(|(s, span)| (s.to_owned(), span.clone()))
        .collect();
    let mut actions = Vec::new();
    if let Some(e) = fields.get("repositories") {
        actions.extend(grants::repositories(checker, &e.value));
    }
    if let Some(e) = fields.get("gateways") {
        actions.extend(grants::gateways(checker, &e.value));
    }
    let gateways = actions
        .iter()
        .filter(|(action, _)| matches!(action.target, ActionTarget::Gateway(_)))
        .cloned()
        .collect();
    let own = ActionMap::from_sources(
        actions
            .into_iter()
            .map(|(action, _)| (action, GrantSource::Direct))
            .collect(),
    );
    if name.is_none() {
        invalid.insert(entry.key.to_string());
    }
    Some(ParsedScopeMap {
        name: name?,
        span: entry.key_span.clone(),
        description,
        include,
        own,
        gateways,
    })
}

/// A user scope map's name: valid, and not in the namespace of ACR's system scope maps.
fn scope_map_name(checker: &mut Checker, entry: &Entry) -> Option<ScopeMapName> {
    if is_system_scope_map_name(&entry.key) {
        checker
            .error(
                format!("`{}` is reserved for ACR's system scope maps", entry.key),
                &entry.key_span,
            )
            .help = Some(
            "choose another name; a token can use a system scope map directly with `scope_map`"
                .to_owned(),
        );
        return None;
    }
    checker.parse(&entry.key, &entry.key_span)
}
