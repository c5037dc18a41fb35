//! `--target ADDRESS`: a plan narrowed to some objects and what they depend on, as Terraform's
//! `-target`. For repairs and emergencies: the rest of what the configuration needs is left out,
//! so the plan says it is partial.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{Address, Plan, PlanError, simulate};
use crate::diagnostic::did_you_mean;
use crate::model::{Desired, Live};

/// Why `--target` could not be honoured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TargetError {
    #[error("--target {target}: no such object in the configuration or the registry{}", hint(.suggestion.as_ref()))]
    Unknown {
        target: String,
        suggestion: Option<String>,
    },
    #[error(transparent)]
    Plan(#[from] PlanError),
}

fn hint(suggestion: Option<&String>) -> String {
    suggestion.map(|s| format!("; {s}")).unwrap_or_default()
}

/// Whether `address` names an object of `desired` or `live`: what `--target` may name.
fn names_an_object(address: &Address, desired: &Desired, live: &Live) -> bool {
    match address {
        Address::AdminUser => true,
        Address::ScopeMap(name) => {
            desired.scope_maps.contains_key(name) || live.scope_maps.contains_key(name)
        }
        Address::Token(name) | Address::Password(name, _) => {
            desired.tokens.contains_key(name) || live.tokens.contains_key(name)
        }
        Address::ConnectedRegistry(name) => {
            desired.connected_registries.contains_key(name)
                || live.connected_registries.contains_key(name)
        }
    }
}

/// Every address an object of `desired` or `live` has, for the nearest-match hint of an
/// address that names none (built only then: at Premium scale it is 300,000 addresses, and a
/// plan without `--target` spent a tenth of its instructions building it).
fn known_addresses(desired: &Desired, live: &Live) -> BTreeSet<Address> {
    let mut addresses = BTreeSet::from([Address::AdminUser]);
    let scope_maps = desired.scope_maps.keys().chain(live.scope_maps.keys());
    addresses.extend(scope_maps.cloned().map(Address::ScopeMap));
    for token in desired.tokens.keys().chain(live.tokens.keys()) {
        addresses.insert(Address::Token(token.clone()));
        for slot in crate::model::PasswordSlot::ALL {
            addresses.insert(Address::Password(token.clone(), slot));
        }
    }
    let connected = desired
        .connected_registries
        .keys()
        .chain(live.connected_registries.keys());
    addresses.extend(connected.cloned().map(Address::ConnectedRegistry));
    addresses
}

/// Parses `--target` values against the objects that exist; an unknown one is an error with
/// the nearest address.
pub(crate) fn parse_targets(
    targets: &[String],
    desired: &Desired,
    live: &Live,
) -> Result<Vec<Address>, TargetError> {
    targets
        .iter()
        .map(|target| {
            target
                .parse::<Address>()
                .ok()
                .filter(|address| names_an_object(address, desired, live))
                .ok_or_else(|| {
                    let known = known_addresses(desired, live);
                    let names: Vec<String> = known.iter().map(ToString::to_string).collect();
                    TargetError::Unknown {
                        target: target.clone(),
                        suggestion: did_you_mean(target, names.iter().map(String::as_str)),
                    }
                })
        })
        .collect()
}

/// `plan` with only the changes to `targets`, a targeted token's password slots and scope map,
/// and every change they depend on, with its access changes recomputed and a
/// warning that it is partial.
pub(crate) fn restrict(
    plan: Plan,
    targets: &[Address],
    desired: &Desired,
    live: &Live,
    now: DateTime<Utc>,
) -> Result<Plan, TargetError> {
    if targets.is_empty() {
        return Ok(plan);
    }
    // A token depends on the scope map the configuration gives it, changed or not.
    let scope_maps: Vec<Address> = targets
        .iter()
        .filter_map(|target| match target {
            Address::Token(token) => desired.tokens.get(token),
            _ => None,
        })
        .map(|token| Address::ScopeMap(token.scope_map.clone()))
        .collect();
    let aimed = |address: &Address| {
        scope_maps.contains(address) || targets.iter().any(|target| {
            target == address
                || matches!((target, address), (Address::Token(t), Address::Password(p, _)) if t == p)
        })
    };
    let mut keep = vec![false; plan.changes.len()];
    // Dependencies come before their dependents, so one backward pass closes the set.
    for index in (0..plan.changes.len()).rev() {
        if keep[index] || aimed(&plan.changes[index].address) {
            keep[index] = true;
            for &dependency in &plan.changes[index].depends_on {
                keep[dependency] = true;
            }
        }
    }
    let mut new_index = vec![usize::MAX; plan.changes.len()];
    let mut changes = Vec::new();
    for (index, mut change) in plan.changes.into_iter().enumerate() {
        if !keep[index] {
            continue;
        }
        change.depends_on = change.depends_on.iter().map(|&d| new_index[d]).collect();
        new_index[index] = changes.len();
        changes.push(change);
    }
    let access_changes = simulate::access_changes(live, &changes, now)?;
    let mut warnings = plan.warnings;
    let named: Vec<String> = targets.iter().map(ToString::to_string).collect();
    warnings.push(format!(
        "targeting is in effect: this plan covers only {} and what they depend on; other changes \
         the configuration needs are left out. Use --target for repairs, not routinely",
        named.join(", ")
    ));
    Ok(Plan {
        changes,
        access_changes,
        warnings,
        ..plan
    })
}
