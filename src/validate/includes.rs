//! Expanding `include`: a scope map's actions are its own plus those of every rule and scope
//! map it includes, transitively, each remembering where it came from.

use std::collections::{HashMap, HashSet};

use super::checker::Checker;
use super::scope_maps::{ParsedRule, ParsedScopeMap};
use crate::diagnostic::did_you_mean;
use crate::model::{ActionMap, GrantSource, ScopeAction};

pub(super) type Actions = ActionMap;

/// Expands every scope map, reporting unknown names and cycles.
///
/// Scope maps are passed to each call rather than held, so that the caller can drop a scope
/// map's parsed actions as soon as it is expanded: at Premium scale they are a million
/// located actions, alive next to the expanded ones otherwise.
pub(super) struct Expander<'a> {
    rules: HashMap<&'a str, &'a ParsedRule>,
    /// Index of each scope map in the slice `expand` is given.
    scope_maps: HashMap<String, usize>,
    /// Names whose declaration was invalid (already reported): references to them stay quiet.
    invalid: &'a HashSet<String>,
    /// The expansions of the scope maps some other scope map includes, kept to reuse. Only
    /// those: a copy of every expansion doubled the peak memory of a Premium-sized plan.
    done: HashMap<String, Actions>,
    /// The names some scope map's `include` mentions.
    included_names: HashSet<String>,
    /// The scope maps being expanded, outermost first, to show a cycle.
    stack: Vec<String>,
    pub used_rules: HashSet<&'a str>,
    pub included_scope_maps: HashSet<String>,
}

impl<'a> Expander<'a> {
    pub(super) fn new(
        rules: &'a [ParsedRule],
        scope_maps: &[ParsedScopeMap],
        invalid: &'a HashSet<String>,
    ) -> Self {
        Self {
            rules: rules.iter().map(|r| (r.name.as_str(), r)).collect(),
            scope_maps: scope_maps
                .iter()
                .enumerate()
                .map(|(i, s)| (s.name.as_str().to_owned(), i))
                .collect(),
            invalid,
            done: HashMap::new(),
            included_names: scope_maps
                .iter()
                .flat_map(|s| s.include.iter().map(|(name, _)| name.clone()))
                .collect(),
            stack: Vec::new(),
            used_rules: HashSet::new(),
            included_scope_maps: HashSet::new(),
        }
    }

    /// The expanded actions of `scope_maps[index]`. A scope map it includes must still have
    /// its parsed actions unless it was expanded before (and so is remembered).
    pub(super) fn expand(
        &mut self,
        checker: &mut Checker,
        scope_maps: &[ParsedScopeMap],
        index: usize,
    ) -> Actions {
        let scope_map = &scope_maps[index];
        let name = scope_map.name.as_str();
        if let Some(actions) = self.done.get(name) {
            return actions.clone();
        }
        // Its own actions are sorted and merged already: nothing to add.
        if scope_map.include.is_empty() {
            return self.remember(name, scope_map.own.clone());
        }
        self.stack.push(name.to_owned());
        // Every (action, source) first, then sorted and merged once.
        let mut pairs: Vec<(ScopeAction, GrantSource)> = scope_map
            .own
            .keys()
            .map(|action| (action.clone(), GrantSource::Direct))
            .collect();
        for (include, span) in &scope_map.include {
            if let Some(rule) = self.rules.get(include.as_str()).copied() {
                self.used_rules.insert(rule.name.as_str());
                for (action, _) in &rule.actions {
                    pairs.push((action.clone(), GrantSource::Rule(rule.name.clone())));
                }
            } else if let Some(&other) = self.scope_maps.get(include.as_str()) {
                let other_name = &scope_maps[other].name;
                self.included_scope_maps
                    .insert(other_name.as_str().to_owned());
                if let Some(start) = self.stack.iter().position(|n| n == include) {
                    let mut cycle: Vec<&str> =
                        self.stack[start..].iter().map(String::as_str).collect();
                    cycle.push(include);
                    checker.error("include cycle", span).help =
                        Some(format!("`{}` includes itself", cycle.join("` → `")));
                    continue;
                }
                for (action, sources) in self.expand(checker, scope_maps, other) {
                    for source in sources {
                        let source = match source {
                            GrantSource::Direct => GrantSource::ScopeMap(other_name.clone()),
                            source => source,
                        };
                        pairs.push((action.clone(), source));
                    }
                }
            } else if !self.invalid.contains(include) {
                let candidates = self
                    .rules
                    .keys()
                    .copied()
                    .chain(self.scope_maps.keys().map(String::as_str));
                let help = did_you_mean(include, candidates).unwrap_or_else(|| {
                    "`include` names rules (`rules:`) or other scope maps".to_owned()
                });
                checker
                    .error(
                        format!("`{include}` is not a declared rule or scope map"),
                        span,
                    )
                    .help = Some(help);
            }
        }
        self.stack.pop();
        self.remember(name, ActionMap::from_sources(pairs))
    }

    /// Keeps the expansion of a scope map that another includes.
    pub(super) fn remember(&mut self, name: &str, actions: Actions) -> Actions {
        if self.included_names.contains(name) {
            self.done.insert(name.to_owned(), actions.clone());
        }
        actions
    }
}
