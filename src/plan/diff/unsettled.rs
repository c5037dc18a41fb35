//! Objects whose `provisioningState` is not `Succeeded` are never treated as settled. A declared
//! one being created or updated, or whose last operation failed, is written again whatever its
//! properties show (they may not be what the registry ends up with), and apply waits for it to
//! settle first. One being deleted is planned as already gone: a declared one is created again
//! once the deletion is over.

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

/// Why a declared object is written again whatever it shows: `None` once it has settled.
pub(super) fn rewrite_note(state: ProvisioningState) -> Option<String> {
    match state {
        ProvisioningState::Succeeded => None,
        s if s.is_busy() => Some(format!(
            "not settled in the registry (provisioningState {s}): apply waits for it to settle, \
             then writes it"
        )),
        s => Some(format!(
            "its last operation in the registry ended {s}; written again"
        )),
    }
}

/// What the plan says about every object of `live` that has not settled and is not declared
/// (declared ones are written again, with `rewrite_note`).
pub(super) fn warnings(desired: &Desired, live: &Live) -> Vec<String> {
    // The state is looked at first: almost every object has settled, and only one that has
    // not is looked up in the configuration.
    let unsettled = |state: ProvisioningState| !state.is_succeeded();
    let scope_maps = live
        .scope_maps
        .values()
        .filter(|s| !s.system && unsettled(s.provisioning_state))
        .filter(|s| !desired.scope_maps.contains_key(&s.name))
        .map(|s| (Address::ScopeMap(s.name.clone()), s.provisioning_state));
    let tokens = live
        .tokens
        .values()
        .filter(|t| unsettled(t.provisioning_state))
        .filter(|t| !desired.tokens.contains_key(&t.name))
        .map(|t| (Address::Token(t.name.clone()), t.provisioning_state));
    let connected = live
        .connected_registries
        .values()
        .filter(|c| unsettled(c.provisioning_state))
        .filter(|c| !desired.connected_registries.contains_key(&c.name))
        .map(|c| {
            (
                Address::ConnectedRegistry(c.name.clone()),
                c.provisioning_state,
            )
        });
    scope_maps
        .chain(tokens)
        .chain(connected)
        .filter(|(address, _)| !desired.is_ignored(address_name(address)))
        .map(|(address, state)| describe(&address, state))
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

fn describe(address: &Address, state: ProvisioningState) -> String {
    match state {
        ProvisioningState::Deleting => format!(
            "{address} is being deleted in the registry (provisioningState Deleting): it is \
             planned as gone"
        ),
        s if s.is_busy() => format!(
            "{address} is not settled in the registry (provisioningState {s}): apply waits for \
             it to settle before writing to it"
        ),
        s => format!(
            "{address}: its last operation in the registry ended {s}; it is not in the \
             configuration, so only the unmanaged policy applies to it"
        ),
    }
}
