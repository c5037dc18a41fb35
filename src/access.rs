//! Effective permissions: what a token may do on a repository, and how access changes.
//!
//! ACR permissions are additive. The actions a token has on a repository are the union of every
//! rule of its scope map whose pattern matches the repository: with `sample/*` → read,
//! `sample/teamA/*` → write and `sample/teamA/projectB` → delete, the token has read, write and
//! delete on `sample/teamA/projectB`. A disabled token keeps its rules but grants nothing.

pub(crate) mod config_diff;
pub(crate) mod explain;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    ActionSet, Desired, Live, ScopeAction, ScopeMapName, TokenName, TokenStatus,
    system_scope_map_actions,
};

/// What one token is granted: its scope map's actions, and whether it can use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenGrants {
    pub status: TokenStatus,
    pub scope_map: ScopeMapName,
    pub actions: ActionSet,
}

impl TokenGrants {
    /// The actions the token can actually use, sorted: none while it is disabled.
    pub(crate) fn effective(&self) -> &[ScopeAction] {
        match self.status {
            TokenStatus::Enabled => self.actions.iter().as_slice(),
            TokenStatus::Disabled => &[],
        }
    }
}

/// Every token of a registry (desired or live) with its grants.
pub(crate) type AccessMap = BTreeMap<TokenName, TokenGrants>;

/// The grants of every live token. A token whose scope map is missing grants nothing.
pub(crate) fn live_access(live: &Live) -> AccessMap {
    live.tokens
        .values()
        .map(|token| {
            let actions = live
                .scope_maps
                .get(&token.scope_map)
                .map(|s| s.actions.clone())
                .unwrap_or_default();
            let grants = TokenGrants {
                status: token.status,
                scope_map: token.scope_map.clone(),
                actions,
            };
            (token.name.clone(), grants)
        })
        .collect()
}

/// The grants of every token the configuration declares.
pub(crate) fn desired_access(desired: &Desired) -> AccessMap {
    desired
        .tokens
        .values()
        .map(|token| {
            let actions = match desired.scope_maps.get(&token.scope_map) {
                Some(scope_map) => scope_map.action_set(),
                None => system_scope_map_actions(token.scope_map.as_str()).unwrap_or_default(),
            };
            let grants = TokenGrants {
                status: token.status,
                scope_map: token.scope_map.clone(),
                actions,
            };
            (token.name.clone(), grants)
        })
        .collect()
}

/// The permissions a set of actions grants on one repository: the union of every matching rule.
#[cfg(test)]
pub fn permissions_on<'a>(
    actions: impl IntoIterator<Item = &'a ScopeAction>,
    repository: &str,
) -> BTreeSet<crate::model::Permission> {
    actions
        .into_iter()
        .filter(|action| {
            action
                .repository_pattern()
                .is_some_and(|p| p.matches(repository))
        })
        .map(|action| action.permission)
        .collect()
}

/// What one token gains and loses between two states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessChange {
    pub token: TokenName,
    pub gained: BTreeSet<ScopeAction>,
    pub lost: BTreeSet<ScopeAction>,
}

/// The effective access each token gains and loses from `before` to `after`, for tokens whose
/// access changes at all. A token that is absent or disabled has no effective access.
pub(crate) fn access_changes(before: &AccessMap, after: &AccessMap) -> Vec<AccessChange> {
    let tokens: BTreeSet<&TokenName> = before.keys().chain(after.keys()).collect();
    tokens
        .into_iter()
        .filter_map(|token| {
            let old = before.get(token).map_or(&[][..], TokenGrants::effective);
            let new = after.get(token).map_or(&[][..], TokenGrants::effective);
            if old == new {
                return None;
            }
            Some(AccessChange {
                token: token.clone(),
                gained: difference(new, old),
                lost: difference(old, new),
            })
        })
        .collect()
}

/// The actions of `of` that `without` lacks; both sorted. Compared in place: a plan at Premium
/// scale compares thousands of tokens, and copying both sides' actions of each to compare them
/// was most of the work.
fn difference(of: &[ScopeAction], without: &[ScopeAction]) -> BTreeSet<ScopeAction> {
    of.iter()
        .filter(|action| without.binary_search(action).is_err())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
