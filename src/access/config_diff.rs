//! The access difference between two configurations (`scopeform diff OLD NEW`): what an auditor
//! asks of a pull request. Per token, the rules it gains and loses and whether it appears,
//! disappears, is enabled or disabled; per repository pattern, who gains push or delete.
//!
//! Access is effective access (see `access_changes`): a disabled token grants nothing, so
//! disabling a token loses every rule it had and enabling one gains them. Pure.

use std::collections::{BTreeMap, BTreeSet};

use super::{AccessChange, TokenGrants, access_changes, desired_access};
use crate::model::{Desired, Permission, RepositoryPattern, ScopeAction, TokenName, TokenStatus};

/// What happened to a token itself between the two configurations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TokenEvent {
    Added,
    Removed,
    Enabled,
    Disabled,
    /// Still there, same status: only its rules changed (or its scope map, to the same rules).
    Changed,
}

/// One token whose existence, status, scope map or effective access differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenDiff {
    pub token: TokenName,
    pub event: TokenEvent,
    pub scope_map: (Option<String>, Option<String>),
    pub gained: BTreeSet<ScopeAction>,
    pub lost: BTreeSet<ScopeAction>,
}

/// A write-like permission an auditor watches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Power {
    /// `content/write`.
    Push,
    /// `content/delete`.
    Delete,
}

/// Every token that gains push or delete on a repository pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternGain {
    pub pattern: RepositoryPattern,
    pub gains: BTreeSet<(TokenName, Power)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ConfigDiff {
    pub tokens: Vec<TokenDiff>,
    pub gains: Vec<PatternGain>,
}

impl ConfigDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// The access difference from `old` to `new`.
pub(crate) fn config_diff(old: &Desired, new: &Desired) -> ConfigDiff {
    let before = desired_access(old);
    let after = desired_access(new);
    let mut changes: BTreeMap<TokenName, AccessChange> = access_changes(&before, &after)
        .into_iter()
        .map(|c| (c.token.clone(), c))
        .collect();
    let names: BTreeSet<&TokenName> = before.keys().chain(after.keys()).collect();
    let mut tokens = Vec::new();
    for name in names {
        let (old, new) = (before.get(name), after.get(name));
        let access = changes.remove(name);
        let Some(event) = event(old, new, access.is_some()) else {
            continue;
        };
        let (gained, lost) = access.map(|a| (a.gained, a.lost)).unwrap_or_default();
        tokens.push(TokenDiff {
            token: name.clone(),
            event,
            scope_map: (
                old.map(|g| g.scope_map.to_string()),
                new.map(|g| g.scope_map.to_string()),
            ),
            gained,
            lost,
        });
    }
    let gains = pattern_gains(&tokens);
    ConfigDiff { tokens, gains }
}

fn event(old: Option<&TokenGrants>, new: Option<&TokenGrants>, access: bool) -> Option<TokenEvent> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(TokenEvent::Added),
        (Some(_), None) => Some(TokenEvent::Removed),
        (Some(o), Some(n)) => match (o.status, n.status) {
            (TokenStatus::Disabled, TokenStatus::Enabled) => Some(TokenEvent::Enabled),
            (TokenStatus::Enabled, TokenStatus::Disabled) => Some(TokenEvent::Disabled),
            _ if access || o.scope_map != n.scope_map => Some(TokenEvent::Changed),
            _ => None,
        },
    }
}

fn pattern_gains(tokens: &[TokenDiff]) -> Vec<PatternGain> {
    let mut gains: BTreeMap<RepositoryPattern, BTreeSet<(TokenName, Power)>> = BTreeMap::new();
    for diff in tokens {
        for action in &diff.gained {
            let power = match action.permission {
                Permission::ContentWrite => Power::Push,
                Permission::ContentDelete => Power::Delete,
                _ => continue,
            };
            if let Some(pattern) = action.repository_pattern() {
                gains
                    .entry(pattern.clone())
                    .or_default()
                    .insert((diff.token.clone(), power));
            }
        }
    }
    gains
        .into_iter()
        .map(|(pattern, gains)| PatternGain { pattern, gains })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::desired;

    const OLD: &str = "
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
  old-bot:
    scope_map: _repositories_pull
  sleeper:
    scope_map: _repositories_pull
    status: disabled
  steady:
    scope_map: _repositories_pull
";

    /// Readable lines: `token event gained/lost`, then `pattern: token power`.
    fn show(diff: &ConfigDiff) -> Vec<String> {
        let mut lines: Vec<String> = diff
            .tokens
            .iter()
            .map(|t| {
                let list = |s: &BTreeSet<ScopeAction>| {
                    s.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                format!(
                    "{} {:?} +[{}] -[{}]",
                    t.token,
                    t.event,
                    list(&t.gained),
                    list(&t.lost)
                )
            })
            .collect();
        for gain in &diff.gains {
            for (token, power) in &gain.gains {
                lines.push(format!("{}: {token} {power:?}", gain.pattern));
            }
        }
        lines
    }

    #[test]
    fn the_same_configuration_has_no_difference() {
        assert!(config_diff(&desired(OLD), &desired(OLD)).is_empty());
    }

    #[test]
    fn tokens_added_removed_enabled_disabled_and_rules_changed() {
        let new = OLD
            .replace("team-a/*: [content/read, content/write]", "team-a/*: [content/read, content/write, content/delete]\n      prod/*: [content/write]")
            .replace("  old-bot:\n    scope_map: _repositories_pull\n", "  new-bot:\n    scope_map: pushers\n")
            .replace("    status: disabled\n", "")
            + "    status: disabled\n";
        let diff = config_diff(&desired(OLD), &desired(&new));
        assert_eq!(
            show(&diff),
            [
                "ci-runner Changed +[repositories/prod/*/content/write repositories/team-a/*/content/delete] -[]",
                "new-bot Added +[repositories/prod/*/content/write repositories/team-a/*/content/read repositories/team-a/*/content/write repositories/team-a/*/content/delete] -[]",
                "old-bot Removed +[] -[repositories/*/content/read]",
                "sleeper Enabled +[repositories/*/content/read] -[]",
                "steady Disabled +[] -[repositories/*/content/read]",
                "prod/*: ci-runner Push",
                "prod/*: new-bot Push",
                "team-a/*: ci-runner Delete",
                "team-a/*: new-bot Push",
                "team-a/*: new-bot Delete",
            ]
        );
    }

    #[test]
    fn a_move_to_a_scope_map_with_the_same_rules_is_still_shown() {
        let new = OLD
            .replace(
                "  steady:\n    scope_map: _repositories_pull",
                "  steady:\n    scope_map: readers",
            )
            .replace(
                "scope_maps:\n",
                "scope_maps:\n  readers:\n    repositories:\n      \"*\": [content/read]\n",
            );
        let diff = config_diff(&desired(OLD), &desired(&new));
        assert_eq!(show(&diff), ["steady Changed +[] -[]"]);
        assert_eq!(
            diff.tokens[0].scope_map,
            (Some("_repositories_pull".into()), Some("readers".into()))
        );
    }
}
