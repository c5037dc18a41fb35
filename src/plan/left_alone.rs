//! `plan --base REV`: the tokens and scope maps the configuration declared at `REV`, declares
//! no longer and does not name under `removed`. Without a state file nothing else remembers
//! them, so the plan leaves them in the registry with whatever access they grant, though the
//! pull request looks as if it took them away (DESIGN §4). Listing them is the reviewer's cue
//! to add them under `removed`.

use std::collections::HashSet;

use super::{Address, Plan};
use crate::model::{Desired, Live};

/// The addresses of what left the configuration between `base` and `desired` and stays live
/// without any change in `plan`, sorted.
pub(crate) fn left_alone(
    base: &Desired,
    desired: &Desired,
    live: &Live,
    plan: &Plan,
) -> Vec<Address> {
    let changed: HashSet<&Address> = plan.changes.iter().map(|c| &c.address).collect();
    let tokens = base
        .tokens
        .keys()
        .filter(|name| {
            !desired.tokens.contains_key(*name)
                && !desired.removed.tokens.contains_key(*name)
                && live.tokens.contains_key(*name)
        })
        .map(|name| Address::Token(name.clone()));
    let scope_maps = base
        .scope_maps
        .keys()
        .filter(|name| {
            !desired.scope_maps.contains_key(*name)
                && !desired.removed.scope_maps.contains(*name)
                && live.scope_maps.get(*name).is_some_and(|s| !s.system)
        })
        .map(|name| Address::ScopeMap(name.clone()));
    let mut left: Vec<Address> = tokens
        .chain(scope_maps)
        .filter(|address| !changed.contains(address))
        .collect();
    left.sort();
    left
}
