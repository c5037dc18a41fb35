//! Cross-references: scope maps expanded, tokens bound to their scope maps (declared, implicit
//! or system), connected registries to their client tokens, and the checks that need them all.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::checker::Checker;
use super::connected_registries::ParsedConnectedRegistry;
use super::includes::{Actions, Expander};
use super::locations::Locations;
use super::scope_maps::{ParsedRule, ParsedScopeMap};
use super::tokens::{Binding, ParsedToken};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{
    ActionMap, ActionSet, ActionTarget, DesiredConnectedRegistry, DesiredScopeMap, DesiredToken,
    GrantSource, MAX_ACTIONS_PER_SCOPE_MAP, SYSTEM_SCOPE_MAPS, ScopeMapName, TokenName,
    is_system_scope_map_name, system_scope_map_actions,
};

/// Names whose declarations were invalid and already reported, per kind.
#[derive(Default)]
pub(super) struct Invalid {
    pub rules_and_scope_maps: HashSet<String>,
    pub tokens: HashSet<String>,
}

#[derive(Default)]
pub(super) struct Parsed {
    pub rules: Vec<ParsedRule>,
    pub scope_maps: Vec<ParsedScopeMap>,
    pub tokens: Vec<ParsedToken>,
    pub connected_registries: Vec<ParsedConnectedRegistry>,
}

impl Parsed {
    pub(super) fn append(&mut self, mut other: Self) {
        self.rules.append(&mut other.rules);
        self.scope_maps.append(&mut other.scope_maps);
        self.tokens.append(&mut other.tokens);
        self.connected_registries
            .append(&mut other.connected_registries);
    }
}

impl Invalid {
    pub(super) fn append(&mut self, other: Self) {
        self.rules_and_scope_maps.extend(other.rules_and_scope_maps);
        self.tokens.extend(other.tokens);
    }
}

pub(super) struct Resolved {
    pub scope_maps: BTreeMap<ScopeMapName, DesiredScopeMap>,
    pub tokens: BTreeMap<TokenName, DesiredToken>,
    pub connected_registries:
        BTreeMap<crate::model::ConnectedRegistryName, DesiredConnectedRegistry>,
}

pub(super) fn resolve(
    checker: &mut Checker,
    parsed: &mut Parsed,
    invalid: &Invalid,
    locations: &mut Locations,
) -> Resolved {
    check_gateways(checker, parsed);
    let mut expander = Expander::new(
        &parsed.rules,
        &parsed.scope_maps,
        &invalid.rules_and_scope_maps,
    );
    // Gathered in a vector and made a map at once: 50,000 inserts each walking the tree cost
    // more than one sort (the names mostly come in order) and a bulk build.
    let mut declared_scope_maps = Vec::with_capacity(parsed.scope_maps.len());
    for index in 0..parsed.scope_maps.len() {
        // Expanded (and remembered if another scope map includes it), its own actions are not
        // needed again: a scope map that includes nothing hands them over as they are.
        let scope_map = &mut parsed.scope_maps[index];
        let actions = if scope_map.include.is_empty() {
            let own = std::mem::take(&mut scope_map.own);
            expander.remember(scope_map.name.as_str(), own)
        } else {
            let actions = expander.expand(checker, &parsed.scope_maps, index);
            parsed.scope_maps[index].own = ActionMap::new();
            actions
        };
        let scope_map = &parsed.scope_maps[index];
        check_size(checker, scope_map.name.as_str(), &scope_map.span, &actions);
        if actions.is_empty() && scope_map.include.is_empty() {
            checker
                .error(
                    format!("scope map `{}` grants nothing", scope_map.name),
                    &scope_map.span,
                )
                .help = Some("add `repositories`, `gateways` or `include`".to_owned());
        }
        declared_scope_maps.push((
            scope_map.name.clone(),
            DesiredScopeMap {
                name: scope_map.name.clone(),
                description: scope_map.description.clone(),
                actions,
                implicit_for: None,
                location: Some(locations.of(&scope_map.span)),
            },
        ));
    }
    let mut scope_maps: BTreeMap<_, _> = declared_scope_maps.into_iter().collect();
    let mut used: HashSet<ScopeMapName> = HashSet::new();
    let mut tokens = Vec::with_capacity(parsed.tokens.len());
    let declared = Declared::new(&parsed.scope_maps);
    for token in &parsed.tokens {
        let Some(scope_map) = bind(
            checker,
            token,
            &declared,
            invalid,
            &mut scope_maps,
            locations,
        ) else {
            continue;
        };
        used.insert(scope_map.clone());
        tokens.push((
            token.name.clone(),
            DesiredToken {
                name: token.name.clone(),
                scope_map,
                status: token.status,
                passwords: token.passwords.clone(),
                location: Some(locations.of(&token.span)),
            },
        ));
    }
    let tokens: BTreeMap<_, _> = tokens.into_iter().collect();
    let connected_registries = connect(checker, parsed, invalid, &tokens, &scope_maps, locations);
    for scope_map in &parsed.scope_maps {
        let name = scope_map.name.as_str();
        if !used.contains(&scope_map.name) && !expander.included_scope_maps.contains(name) {
            checker.push(Diagnostic::warning(
                format!("scope map `{name}` is not used by any token"),
                Some(scope_map.span.clone()),
            ));
        }
    }
    for rule in &parsed.rules {
        if !expander.used_rules.contains(rule.name.as_str()) {
            checker.push(
                Diagnostic::warning(
                    format!("rule `{}` is never included", rule.name),
                    Some(rule.span.clone()),
                )
                .with_help("name it in a scope map's `include`, or remove it"),
            );
        }
    }
    Resolved {
        scope_maps,
        tokens,
        connected_registries,
    }
}

fn check_size(
    checker: &mut Checker,
    name: &str,
    span: &crate::diagnostic::Span,
    actions: &Actions,
) {
    if actions.len() > MAX_ACTIONS_PER_SCOPE_MAP {
        checker
            .error(
                format!("scope map `{name}` has {} actions; ACR allows at most {MAX_ACTIONS_PER_SCOPE_MAP}", actions.len()),
                span,
            )
            .help = Some("split it, or cover repositories with wildcard rules such as `team/*`".to_owned());
    }
}

/// The declared scope maps, in file order (for hints) and by name (for lookups: a token per
/// scope map at Premium scale makes a scan per token quadratic).
struct Declared<'a> {
    in_order: &'a [ParsedScopeMap],
    by_name: HashMap<&'a str, &'a ParsedScopeMap>,
}

impl<'a> Declared<'a> {
    fn new(in_order: &'a [ParsedScopeMap]) -> Self {
        Self {
            in_order,
            by_name: in_order.iter().map(|s| (s.name.as_str(), s)).collect(),
        }
    }
}

/// The scope map a token uses; creates the implicit one for inline repositories.
fn bind(
    checker: &mut Checker,
    token: &ParsedToken,
    declared: &Declared<'_>,
    invalid: &Invalid,
    scope_maps: &mut BTreeMap<ScopeMapName, DesiredScopeMap>,
    locations: &mut Locations,
) -> Option<ScopeMapName> {
    match &token.binding {
        Binding::Broken => None,
        Binding::ScopeMap(name, span) => {
            let system = SYSTEM_SCOPE_MAPS.iter().map(|(n, _)| *n);
            let known = || {
                name.parse::<ScopeMapName>()
                    .is_ok_and(|parsed| scope_maps.contains_key(&parsed))
            };
            if system.clone().any(|n| n == name) || known() {
                return name.parse().ok();
            }
            if invalid.rules_and_scope_maps.contains(name.as_str()) {
                return None;
            }
            if is_system_scope_map_name(name) {
                let help = did_you_mean(name, system.clone()).unwrap_or_else(|| {
                    format!(
                        "the system scope maps are {}",
                        super::checker::list(&system.collect::<Vec<_>>())
                    )
                });
                checker
                    .error(format!("`{name}` is not a system scope map"), span)
                    .help = Some(help);
                return None;
            }
            let _: ScopeMapName = checker.parse(name, span)?;
            let candidates = declared
                .in_order
                .iter()
                .map(|s| s.name.as_str())
                .chain(system);
            let help = did_you_mean(name, candidates)
                .unwrap_or_else(|| "declare it under `scope_maps`, or use a system scope map such as `_repositories_pull`".to_owned());
            checker
                .error(format!("scope map `{name}` is not declared"), span)
                .help = Some(help);
            None
        }
        Binding::Inline(actions) => {
            let implicit = format!("{}-scope-map", token.name);
            let Ok(name) = ScopeMapName::implicit_for(&token.name) else {
                checker
                    .error(
                        format!("the implicit scope map `{implicit}` would be {} characters long; the limit is 50", implicit.chars().count()),
                        &token.span,
                    )
                    .help = Some("shorten the token's name, or declare a scope map and name it with `scope_map`".to_owned());
                return None;
            };
            if let Some(other) = declared.by_name.get(name.as_str()) {
                checker.push(
                    Diagnostic::error(
                        format!("token `{}` needs the implicit scope map `{name}`, which is also declared", token.name),
                        Some(token.span.clone()),
                    )
                    .with_note("declared here", Some(other.span.clone()))
                    .with_help(format!("use `scope_map: {name}`, or rename the declared scope map")),
                );
                return None;
            }
            let expanded = Actions::from_sources(
                actions
                    .iter()
                    .map(|(action, _)| (action.clone(), GrantSource::Direct))
                    .collect(),
            );
            check_size(checker, &implicit, &token.span, &expanded);
            scope_maps.insert(
                name.clone(),
                DesiredScopeMap {
                    name: name.clone(),
                    description: None,
                    actions: expanded,
                    implicit_for: Some(token.name.clone()),
                    location: Some(locations.of(&token.span)),
                },
            );
            Some(name)
        }
    }
}

fn connect(
    checker: &mut Checker,
    parsed: &Parsed,
    invalid: &Invalid,
    tokens: &BTreeMap<TokenName, DesiredToken>,
    scope_maps: &BTreeMap<ScopeMapName, DesiredScopeMap>,
    locations: &mut Locations,
) -> BTreeMap<crate::model::ConnectedRegistryName, DesiredConnectedRegistry> {
    let mut connected = BTreeMap::new();
    let declared_tokens: HashSet<&TokenName> = parsed.tokens.iter().map(|t| &t.name).collect();
    for registry in &parsed.connected_registries {
        let mut client_tokens = BTreeSet::new();
        for (name, span) in &registry.client_tokens {
            if invalid.tokens.contains(name) {
                continue;
            }
            let Some(token_name) = checker.parse::<TokenName>(name, span) else {
                continue;
            };
            if !declared_tokens.contains(&token_name) {
                let help = did_you_mean(name, parsed.tokens.iter().map(|t| t.name.as_str()))
                    .unwrap_or_else(|| "client tokens must be declared under `tokens`".to_owned());
                checker
                    .error(format!("token `{name}` is not declared"), span)
                    .help = Some(help);
                continue;
            }
            if registry.mode.is_read_only()
                && let Some(token) = tokens.get(&token_name)
            {
                let writes: Vec<String> = actions_of(&token.scope_map, scope_maps)
                    .into_iter()
                    .filter(|a| a.permission.is_write())
                    .map(|a| format!("`{a}`"))
                    .collect();
                if !writes.is_empty() {
                    checker.push(
                            Diagnostic::error(
                                format!(
                                    "client token `{name}` can write, but connected registry `{}` is {}",
                                    registry.name, registry.mode
                                ),
                                Some(span.clone()),
                            )
                            .with_note(format!("scope map `{}` grants {}", token.scope_map, writes.join(", ")), None)
                            .with_help(format!("a {} connected registry accepts only read actions", registry.mode)),
                        );
                }
            }
            client_tokens.insert(token_name);
        }
        connected.insert(
            registry.name.clone(),
            DesiredConnectedRegistry {
                name: registry.name.clone(),
                mode: registry.mode,
                client_tokens,
                location: Some(locations.of(&registry.span)),
            },
        );
    }
    connected
}

fn actions_of(
    scope_map: &ScopeMapName,
    scope_maps: &BTreeMap<ScopeMapName, DesiredScopeMap>,
) -> ActionSet {
    scope_maps
        .get(scope_map)
        .map(DesiredScopeMap::action_set)
        .or_else(|| system_scope_map_actions(scope_map.as_str()))
        .unwrap_or_default()
}

/// Gateway actions should name a connected registry this configuration declares.
fn check_gateways(checker: &mut Checker, parsed: &Parsed) {
    let declared: HashSet<String> = parsed
        .connected_registries
        .iter()
        .map(|c| c.name.as_str().to_ascii_lowercase())
        .collect();
    let mut reported = HashSet::new();
    for scope_map in &parsed.scope_maps {
        for (action, span) in &scope_map.gateways {
            if let ActionTarget::Gateway(name) = &action.target
                && !declared.contains(name)
                && reported.insert((scope_map.name.as_str(), name.clone()))
            {
                let help = did_you_mean(name, declared.iter().map(String::as_str))
                    .unwrap_or_else(|| "declare it under `connected_registries`".to_owned());
                checker.push(
                    Diagnostic::warning(
                        format!("gateway `{name}` is not a declared connected registry"),
                        Some(span.clone()),
                    )
                    .with_help(help),
                );
            }
        }
    }
}
