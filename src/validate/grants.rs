//! Permission maps: `repositories: {"samples/*": [content/read]}` and
//! `gateways: {edge01: [config/read]}` into scope actions, each with the place that asked.

use super::checker::{Checker, list};
use crate::config::raw::Node;
use crate::diagnostic::{Span, did_you_mean};
use crate::model::{
    ConnectedRegistryName, Permission, PermissionDomain, RepositoryPattern, ScopeAction,
};

/// An action and where it was written (the permission in its list).
pub(super) type Located<T> = (T, Span);

/// The actions of a `repositories` map.
pub(super) fn repositories(checker: &mut Checker, node: &Node) -> Vec<Located<ScopeAction>> {
    let mut actions = Vec::new();
    let Some(entries) = checker.map(node, "`repositories`") else {
        return actions;
    };
    for entry in entries {
        let pattern = repository_pattern(checker, &entry.key, &entry.key_span);
        let permissions = permissions(checker, &entry.value, PermissionDomain::Repository);
        if let Some(pattern) = pattern {
            for (permission, span) in permissions {
                actions.push((ScopeAction::repository(pattern.clone(), permission), span));
            }
        }
    }
    actions
}

/// The actions of a `gateways` map, keyed by connected registry (ARM wants it lower case).
pub(super) fn gateways(checker: &mut Checker, node: &Node) -> Vec<Located<ScopeAction>> {
    let mut actions = Vec::new();
    let Some(entries) = checker.map(node, "`gateways`") else {
        return actions;
    };
    for entry in entries {
        let name: Option<ConnectedRegistryName> = checker.parse(&entry.key, &entry.key_span);
        let permissions = permissions(checker, &entry.value, PermissionDomain::Gateway);
        if let Some(name) = name {
            for (permission, span) in permissions {
                actions.push((ScopeAction::gateway(&name, permission), span));
            }
        }
    }
    actions
}

/// A repository pattern. Misplaced wildcards are reported before case, so that the hint
/// never suggests another invalid pattern.
fn repository_pattern(checker: &mut Checker, text: &str, span: &Span) -> Option<RepositoryPattern> {
    let stars = text.matches('*').count();
    let well_placed = text == "*" || (stars == 1 && text.ends_with("/*"));
    if stars > 0 && !well_placed {
        checker
            .error(format!("invalid wildcard in `{text}`"), span)
            .help = Some(
            "`*` may appear only once, as the whole last path segment: `samples/*`, or `*` alone"
                .to_owned(),
        );
        return None;
    }
    match text.parse::<RepositoryPattern>() {
        Ok(pattern) => Some(pattern),
        Err(err) => {
            checker
                .error(format!("invalid repository `{text}`"), span)
                .help = Some(err.to_string());
            None
        }
    }
}

/// A non-empty list of permissions of one domain.
fn permissions(
    checker: &mut Checker,
    node: &Node,
    domain: PermissionDomain,
) -> Vec<Located<Permission>> {
    let Some(items) = checker.strings(node, "an action list") else {
        return Vec::new();
    };
    if items.is_empty() && checker.list(node, "an action list").is_some() {
        checker.error("empty action list", &node.span).help = Some(format!(
            "grant at least one of {}",
            list(&Permission::names_in(domain))
        ));
    }
    items
        .into_iter()
        .filter_map(|(text, span)| {
            permission(checker, text, span, domain).map(|p| (p, span.clone()))
        })
        .collect()
}

fn permission(
    checker: &mut Checker,
    text: &str,
    span: &Span,
    domain: PermissionDomain,
) -> Option<Permission> {
    let parsed = text.parse::<Permission>().ok();
    if let Some(permission) = parsed.filter(|p| p.domain() == domain) {
        return Some(permission);
    }
    let (kind, other) = match domain {
        PermissionDomain::Repository => ("repository", "gateway"),
        PermissionDomain::Gateway => ("gateway", "repository"),
    };
    let names = Permission::names_in(domain);
    let lower = text.to_ascii_lowercase();
    let help = if parsed.is_some() {
        format!(
            "`{text}` is a {other} action; {kind} actions are {}",
            list(&names)
        )
    } else if lower != text && names.contains(&lower.as_str()) {
        format!("actions are lower case: `{lower}`")
    } else if let Some(hint) = verb_hint(&lower, domain) {
        hint.to_owned()
    } else {
        did_you_mean(text, names.iter().copied())
            .unwrap_or_else(|| format!("{kind} actions are {}", list(&names)))
    };
    checker
        .error(format!("unknown {kind} action `{text}`"), span)
        .help = Some(help);
    None
}

/// The words people reach for, and the actions that mean them.
fn verb_hint(word: &str, domain: PermissionDomain) -> Option<&'static str> {
    if domain != PermissionDomain::Repository {
        return None;
    }
    // `content/push` means pushing, though `content/read` is fewer edits away.
    let verb = word.strip_prefix("content/").unwrap_or(word);
    Some(match verb {
        "push" | "write" => "pushing takes `content/write` together with `content/read`",
        "pull" | "read" => "pulling takes `content/read`",
        "delete" => "deleting takes `content/delete`",
        "list" => "listing tags and manifests takes `metadata/read`",
        _ => return None,
    })
}
