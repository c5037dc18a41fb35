//! Objects whose `provisioningState` is not `Succeeded` are never treated as settled. One being
//! created or updated is planned as it shows, and apply waits for it before writing to it; one
//! being deleted is planned as already gone (a declared one is created again, once the deletion
//! is over); one whose last operation failed is written again (`Planner::repairs`).

use std::borrow::Cow;

use crate::model::{Desired, Live, ProvisioningState};
use crate::plan::Address;

/// `live` as the plan sees it: without the objects being deleted.
pub(super) fn settled_view(live: &Live) -> Cow<'_, Live> {
    let deleting = |state: ProvisioningState| state == ProvisioningState::Deleting;
    let any = live
        .scope_maps
        .values()
        .any(|s| !s.system && deleting(s.provisioning_state))
        || live.tokens.values().any(|t| deleting(t.provisioning_state))
        || live
            .connected_registries
            .values()
            .any(|c| deleting(c.provisioning_state));
    if !any {
        return Cow::Borrowed(live);
    }
    let mut view = live.clone();
    view.scope_maps
        .retain(|_, s| s.system || !deleting(s.provisioning_state));
    view.tokens.retain(|_, t| !deleting(t.provisioning_state));
    view.connected_registries
        .retain(|_, c| !deleting(c.provisioning_state));
    Cow::Owned(view)
}

/// What the plan says about every object of `live` that has not settled, by address.
pub(super) fn warnings(desired: &Desired, live: &Live) -> Vec<String> {
    let scope_maps = live
        .scope_maps
        .values()
        .filter(|s| !s.system)
        .map(|s| {
            let declared = desired.scope_maps.contains_key(&s.name);
            (Address::ScopeMap(s.name.clone()), s.provisioning_state, declared)
        });
    let tokens = live.tokens.values().map(|t| {
        let declared = desired.tokens.contains_key(&t.name);
        (Address::Token(t.name.clone()), t.provisioning_state, declared)
    });
    let connected = live.connected_registries.values().map(|c| {
        let declared = desired.connected_registries.contains_key(&c.name);
        (
            Address::ConnectedRegistry(c.name.clone()),
            c.provisioning_state,
            declared,
        )
    });
    scope_maps
        .chain(tokens)
        .chain(connected)
        .filter(|(address, state, _)| {
            !state.is_succeeded() && !desired.is_ignored(address_name(address))
        })
        .map(|(address, state, declared)| describe(&address, state, declared))
        .collect()
}

fn address_name(address: &Address) -> &str {
    match address {
        Address::ScopeMap(name) => name.as_str(),
        Address::Token(name) => name.as_str(),
        Address::ConnectedRegistry(name) => name.as_str(),
        _ => "",
    }
}

fn describe(address: &Address, state: ProvisioningState, declared: bool) -> String {
    match state {
        ProvisioningState::Deleting => format!(
            "{address} is being deleted in the registry (provisioningState Deleting): it is \
             planned as gone, and apply waits for the deletion to finish before writing to it"
        ),
        s if s.is_busy() => format!(
            "{address} is not settled in the registry (provisioningState {s}): apply waits for \
             it to settle before writing to it"
        ),
        s if declared => format!(
            "{address}: its last operation in the registry ended {s}; the plan writes it again"
        ),
        s => format!(
            "{address}: its last operation in the registry ended {s}; it is not in the \
             configuration, so it is left as it is"
        ),
    }
}
