//! Access changes, found by carrying the plan out in memory with `Live::apply` and comparing
//! every affected token's effective access before and after. Working on the live model (rather
//! than on the desired one) gets unmanaged and ignored tokens right.
//!
//! Only the part of the registry the plan can affect is copied: the tokens the plan writes,
//! the tokens whose scope map it updates or creates, and the scope maps and connected
//! registries they need. Deletes of scope maps are not replayed: the planner never deletes a scope map a token
//! still uses, so they can't change anyone's access, and replaying them costs a scan of every
//! token each (the property tests replay them in full).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};

use super::{Change, PlanError};
use crate::access::{AccessChange, access_changes as compare, live_access};
use crate::model::{Live, LiveToken, ScopeMapName, TokenName, WriteOp};

/// The names an op writes or needs to exist.
fn touched<'a>(
    op: &'a WriteOp,
    tokens: &mut HashSet<&'a TokenName>,
    scope_maps: &mut HashSet<&'a ScopeMapName>,
) {
    match op {
        WriteOp::CreateScopeMap { name, .. }
        | WriteOp::UpdateScopeMap { name, .. }
        | WriteOp::DeleteScopeMap { name } => {
            scope_maps.insert(name);
        }
        WriteOp::CreateToken {
            name, scope_map, ..
        } => {
            tokens.insert(name);
            scope_maps.insert(scope_map);
        }
        WriteOp::UpdateToken {
            name, scope_map, ..
        } => {
            tokens.insert(name);
            scope_maps.extend(scope_map);
        }
        WriteOp::DeleteToken { name } => {
            tokens.insert(name);
        }
        WriteOp::GeneratePassword { token, .. } => {
            tokens.insert(token);
        }
        WriteOp::SetClientTokens { client_tokens, .. } => tokens.extend(client_tokens),
        WriteOp::SetAdminUser { .. } => {}
    }
}

/// The part of `live` the changes can affect.
fn affected(live: &Live, changes: &[Change]) -> Live {
    let mut written = HashSet::new();
    let mut scope_maps = HashSet::new();
    for change in changes {
        touched(&change.op, &mut written, &mut scope_maps);
    }
    // Scope maps written: updated, or created again while the registry still deletes the
    // old one (a token that names it gains what the new one grants).
    let updated: HashSet<&ScopeMapName> = changes
        .iter()
        .filter_map(|c| match &c.op {
            WriteOp::UpdateScopeMap { name, .. } | WriteOp::CreateScopeMap { name, .. } => {
                Some(name)
            }
            _ => None,
        })
        .collect();
    let mut tokens: BTreeMap<TokenName, LiveToken> = written
        .into_iter()
        .filter_map(|name| live.tokens.get_key_value(name))
        .map(|(name, token)| (name.clone(), token.clone()))
        .collect();
    // Who uses an updated scope map takes a look at every token; most plans update none.
    if !updated.is_empty() {
        for token in live.tokens.values() {
            if updated.contains(&token.scope_map) && !tokens.contains_key(&token.name) {
                tokens.insert(token.name.clone(), token.clone());
            }
        }
    }
    scope_maps.extend(tokens.values().map(|t| &t.scope_map));
    let scope_maps: BTreeMap<_, _> = scope_maps
        .into_iter()
        .filter_map(|name| live.scope_maps.get_key_value(name))
        .map(|(name, scope_map)| (name.clone(), scope_map.clone()))
        .collect();
    Live {
        registry: live.registry.clone(),
        scope_maps,
        tokens,
        connected_registries: live.connected_registries.clone(),
    }
}

pub(super) fn access_changes(
    live: &Live,
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<Vec<AccessChange>, PlanError> {
    let before = affected(live, changes);
    let mut after = before.clone();
    for change in changes {
        if matches!(change.op, WriteOp::DeleteScopeMap { .. }) {
            continue;
        }
        after
            .apply(&change.op, now)
            .map_err(|e| PlanError::Inconsistent {
                address: change.address.clone(),
                reason: e.to_string(),
            })?;
    }
    Ok(compare(&live_access(&before), &live_access(&after)))
}

/// `AccessChange` belongs to `access`, which has no serde; saved plans store it through this.
pub(super) mod access_changes_serde {
    use super::{AccessChange, BTreeSet, TokenName};
    use crate::model::ScopeAction;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Wire {
        token: TokenName,
        gained: BTreeSet<ScopeAction>,
        lost: BTreeSet<ScopeAction>,
    }

    pub(crate) fn serialize<S: serde::Serializer>(
        changes: &[AccessChange],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(changes.iter().map(|c| Wire {
            token: c.token.clone(),
            gained: c.gained.clone(),
            lost: c.lost.clone(),
        }))
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<AccessChange>, D::Error> {
        let wire: Vec<Wire> = serde::Deserialize::deserialize(d)?;
        Ok(wire
            .into_iter()
            .map(|w| AccessChange {
                token: w.token,
                gained: w.gained,
                lost: w.lost,
            })
            .collect())
    }
}
