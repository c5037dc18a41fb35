//! System scope maps come from the registry, never from a list: a registry created in 2023 has
//! three (`_repositories_admin`, `_repositories_pull`, `_repositories_push`), newer ones five.
//! A token bound to one this registry lacks cannot be created, so the plan refuses it up front.

use crate::model::{Desired, Live, is_system_scope_map_name};
use crate::plan::PlanError;

/// Fails on the first declared token (in name order) bound to a system scope map `live` lacks.
pub(super) fn check(desired: &Desired, live: &Live) -> Result<(), PlanError> {
    for token in desired.tokens.values() {
        let name = &token.scope_map;
        if !is_system_scope_map_name(name.as_str())
            || desired.scope_maps.contains_key(name)
            || live.scope_maps.get(name).is_some_and(|s| s.system)
        {
            continue;
        }
        let present = live
            .scope_maps
            .values()
            .filter(|s| s.system)
            .map(|s| s.name.clone())
            .collect();
        return Err(PlanError::MissingSystemScopeMap {
            token: token.name.clone(),
            scope_map: name.clone(),
            present,
        });
    }
    Ok(())
}
