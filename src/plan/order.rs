//! Execution order: which change waits for which (DESIGN §4), and a deterministic
//! topological order of the changes.
//!
//! - A token that is created, moved or enabled waits for the create or update of its scope map,
//!   so it never runs with an old rule set.
//! - The delete of a scope map waits for every token that moves away from it or is deleted.
//! - A password rotation waits for the create or update of its token.
//! - A connected registry's client token update waits for the creates of the tokens it adds,
//!   and the deletes of the tokens it drops wait for it.
//!
//! Changes are sorted by depth (the longest chain of changes they wait for), then by address:
//! a valid order in which independent changes stay together and the output is stable.

use std::collections::HashMap;

use super::{Address, Change, ChangeKind, PlanError};
use crate::model::{Live, ScopeMapName, TokenStatus, WriteOp};

/// The edges of the dependency graph: `deps[i]` lists what change `i` waits for.
fn dependencies(changes: &[Change], live: &Live) -> Vec<Vec<usize>> {
    let index: HashMap<&Address, usize> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.address, i))
        .collect();
    let find = |address: Address, kinds: &[ChangeKind]| {
        index
            .get(&address)
            .copied()
            .filter(|&i| kinds.contains(&changes[i].kind))
    };
    let scope_map_written = |name: &ScopeMapName| {
        find(
            Address::ScopeMap(name.clone()),
            &[ChangeKind::Create, ChangeKind::Update],
        )
    };
    let scope_map_deleted =
        |name: &ScopeMapName| find(Address::ScopeMap(name.clone()), &[ChangeKind::Delete]);
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); changes.len()];
    for (i, change) in changes.iter().enumerate() {
        match &change.op {
            WriteOp::CreateToken { scope_map, .. } => {
                deps[i].extend(scope_map_written(scope_map));
            }
            WriteOp::UpdateToken {
                name,
                scope_map,
                status,
                ..
            } => {
                let old = live.tokens.get(name).map(|t| &t.scope_map);
                let new = scope_map.as_ref().or(old);
                if (scope_map.is_some() || *status == Some(TokenStatus::Enabled))
                    && let Some(new) = new
                {
                    deps[i].extend(scope_map_written(new));
                }
                if let (Some(_), Some(old)) = (scope_map, old)
                    && let Some(delete) = scope_map_deleted(old)
                {
                    deps[delete].push(i);
                }
            }
            WriteOp::DeleteToken { name } => {
                if let Some(old) = live.tokens.get(name)
                    && let Some(delete) = scope_map_deleted(&old.scope_map)
                {
                    deps[delete].push(i);
                }
            }
            WriteOp::GeneratePassword { token, .. } => {
                deps[i].extend(find(
                    Address::Token(token.clone()),
                    &[ChangeKind::Create, ChangeKind::Update, ChangeKind::Disable],
                ));
            }
            WriteOp::SetClientTokens {
                connected_registry,
                client_tokens,
            } => {
                let before = live
                    .connected_registries
                    .get(connected_registry)
                    .map(|cr| &cr.client_tokens);
                for token in client_tokens {
                    if before.is_none_or(|b| !b.contains(token)) {
                        deps[i].extend(find(Address::Token(token.clone()), &[ChangeKind::Create]));
                    }
                }
                for token in before.into_iter().flatten() {
                    if !client_tokens.contains(token)
                        && let Some(delete) =
                            find(Address::Token(token.clone()), &[ChangeKind::Delete])
                    {
                        deps[delete].push(i);
                    }
                }
            }
            WriteOp::CreateScopeMap { .. }
            | WriteOp::UpdateScopeMap { .. }
            | WriteOp::DeleteScopeMap { .. }
            | WriteOp::SetAdminUser { .. } => {}
        }
    }
    deps
}

/// The depth of every node: 0 without dependencies, else one more than its deepest dependency.
/// Iterative, so a long chain can't overflow the stack.
fn depths(deps: &[Vec<usize>], changes: &[Change]) -> Result<Vec<usize>, PlanError> {
    const UNSEEN: usize = usize::MAX;
    const VISITING: usize = usize::MAX - 1;
    let mut depth = vec![UNSEEN; deps.len()];
    for root in 0..deps.len() {
        if depth[root] != UNSEEN {
            continue;
        }
        let mut stack = vec![(root, 0)];
        depth[root] = VISITING;
        while let Some(&(node, next)) = stack.last() {
            if let Some(&dep) = deps[node].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match depth[dep] {
                    UNSEEN => {
                        depth[dep] = VISITING;
                        stack.push((dep, 0));
                    }
                    VISITING => {
                        return Err(PlanError::Inconsistent {
                            address: changes[dep].address.clone(),
                            reason: "changes wait for each other in a cycle".to_owned(),
                        });
                    }
                    _ => {}
                }
            } else {
                depth[node] = deps[node].iter().map(|&d| depth[d] + 1).max().unwrap_or(0);
                stack.pop();
            }
        }
    }
    Ok(depth)
}

/// Puts the changes in execution order and fills in `depends_on` with the new indices.
pub(super) fn order(changes: Vec<Change>, live: &Live) -> Result<Vec<Change>, PlanError> {
    let deps = dependencies(&changes, live);
    let depth = depths(&deps, &changes)?;
    let mut sequence: Vec<usize> = (0..changes.len()).collect();
    sequence
        .sort_by(|&a, &b| (depth[a], &changes[a].address).cmp(&(depth[b], &changes[b].address)));
    let mut position = vec![0; changes.len()];
    for (new, &old) in sequence.iter().enumerate() {
        position[old] = new;
    }
    let mut slots: Vec<Option<Change>> = changes.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    for &old in &sequence {
        let Some(mut change) = slots[old].take() else {
            continue;
        };
        let mut depends_on: Vec<usize> = deps[old].iter().map(|&d| position[d]).collect();
        depends_on.sort_unstable();
        depends_on.dedup();
        change.depends_on = depends_on;
        ordered.push(change);
    }
    Ok(ordered)
}
