//! `plan --base REV`: the tokens and scope maps the configuration declared at `REV`, declares
//! no longer and does not name under `removed`. Without a state file nothing else remembers
//! them, so the plan leaves them in the registry with whatever access they grant, though the
//! pull request looks as if it took them away (DESIGN §4). Listing them is the reviewer's cue
//! to add them under `removed`.

use std::collections::HashSet;

use super::pair::{Pair, pairs};
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
    // What `base` declares and `desired` does not, from a walk of both: only those few are
    // looked up in `removed` and the registry.
    let tokens = pairs(&base.tokens, &desired.tokens)
        .filter_map(Pair::left_only)
        .map(|token| &token.name)
        .filter(|name| {
            !desired.removed.tokens.contains_key(*name) && live.tokens.contains_key(*name)
        })
        .map(|name| Address::Token(name.clone()));
    let scope_maps = pairs(&base.scope_maps, &desired.scope_maps)
        .filter_map(Pair::left_only)
        .map(|scope_map| &scope_map.name)
        .filter(|name| {
            !desired.removed.scope_maps.contains(*name)
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
