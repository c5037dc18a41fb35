//! Expanding `include`: a scope map's actions are its own plus those of every rule and scope
//! map it includes, transitively, each remembering where it came from.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::checker::Checker;
use super::scope_maps::{ParsedRule, ParsedScopeMap};
use crate::diagnostic::did_you_mean;
use crate::model::{GrantSource, GrantSources, ScopeAction};

pub type Actions = BTreeMap<ScopeAction, GrantSources>;

/// Expands every scope map, reporting unknown names and cycles.
pub struct Expander<'a> {
    rules: HashMap<&'a str, &'a ParsedRule>,
    scope_maps: HashMap<&'a str, &'a ParsedScopeMap>,
    /// Names whose declaration was invalid (already reported): references to them stay quiet.
    invalid: &'a HashSet<String>,
    /// The expansions of the scope maps some other scope map includes, kept to reuse. Only
    /// those: a copy of every expansion doubled the peak memory of a Premium-sized plan.
    done: HashMap<&'a str, Actions>,
    /// The names some scope map's `include` mentions.
    included_names: HashSet<&'a str>,
    /// The scope maps being expanded, outermost first, to show a cycle.
    stack: Vec<&'a str>,
    pub used_rules: HashSet<&'a str>,
    pub included_scope_maps: HashSet<&'a str>,
}

impl<'a> Expander<'a> {
    pub fn new(
        rules: &'a [ParsedRule],
        scope_maps: &'a [ParsedScopeMap],
        invalid: &'a HashSet<String>,
    ) -> Self {
        Self {
            rules: rules.iter().map(|r| (r.name.as_str(), r)).collect(),
            scope_maps: scope_maps.iter().map(|s| (s.name.as_str(), s)).collect(),
            invalid,
            done: HashMap::new(),
            included_names: scope_maps
                .iter()
                .flat_map(|s| s.include.iter().map(|(name, _)| name.as_str()))
                .collect(),
            stack: Vec::new(),
            used_rules: HashSet::new(),
            included_scope_maps: HashSet::new(),
        }
    }

    /// The expanded actions of a declared scope map.
    pub fn expand(&mut self, checker: &mut Checker, scope_map: &'a ParsedScopeMap) -> Actions {
        let name = scope_map.name.as_str();
        if let Some(actions) = self.done.get(name) {
            return actions.clone();
        }
        self.stack.push(name);
        let mut actions = Actions::new();
        for (action, _) in &scope_map.actions {
            add(&mut actions, action.clone(), GrantSource::Direct);
        }
        for (include, span) in &scope_map.include {
            if let Some(rule) = self.rules.get(include.as_str()).copied() {
                self.used_rules.insert(rule.name.as_str());
                for (action, _) in &rule.actions {
                    add(
                        &mut actions,
                        action.clone(),
                        GrantSource::Rule(rule.name.clone()),
                    );
                }
            } else if let Some(other) = self.scope_maps.get(include.as_str()).copied() {
                self.included_scope_maps.insert(other.name.as_str());
                if let Some(start) = self.stack.iter().position(|n| *n == include.as_str()) {
                    let mut cycle: Vec<&str> = self.stack[start..].to_vec();
                    cycle.push(include);
                    checker.error("include cycle", span).help =
                        Some(format!("`{}` includes itself", cycle.join("` → `")));
                    continue;
                }
                for (action, sources) in self.expand(checker, other) {
                    for source in sources {
                        let source = match source {
                            GrantSource::Direct => GrantSource::ScopeMap(other.name.clone()),
                            source => source,
                        };
                        add(&mut actions, action.clone(), source);
                    }
                }
            } else if !self.invalid.contains(include) {
                let candidates = self.rules.keys().chain(self.scope_maps.keys()).copied();
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
        if self.included_names.contains(name) {
            self.done.insert(name, actions.clone());
        }
        actions
    }
}

fn add(actions: &mut Actions, action: ScopeAction, source: GrantSource) {
    actions.entry(action).or_default().insert(source);
}
