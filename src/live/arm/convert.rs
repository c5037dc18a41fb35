//! ARM's wire objects → `model::Live`: pure, so every reading rule is a unit test.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::registry_ref::name_from_id;
use super::request::Collection;
use super::{RegistryRef, wire};
use crate::model::{
    ConnectedRegistryName, Live, LiveConnectedRegistry, LivePassword, LiveRegistry, LiveScopeMap,
    LiveToken, PasswordSlot, ProvisioningState, ScopeAction, ScopeMapName, Sku, TokenName,
    TokenStatus, is_system_scope_map_name,
};

/// Everything one read of a registry returned.
#[derive(Debug)]
pub(super) struct RegistryListing {
    pub registry: wire::Registry,
    pub scope_maps: Vec<wire::ScopeMap>,
    pub tokens: Vec<wire::Token>,
    pub connected_registries: Vec<wire::ConnectedRegistry>,
}

/// Builds the `Live` view of a listing. Errors name the object ARM described in a way
/// scopeform cannot represent.
pub(super) fn build_live(registry: &RegistryRef, listing: RegistryListing) -> Result<Live, String> {
    let sku = match listing.registry.sku.name.as_deref() {
        Some(name) => name
            .parse::<Sku>()
            .map_err(|()| format!("registry `{}` has an unknown SKU `{name}`", registry.name))?,
        None => Sku::default(),
    };
    let live_registry = LiveRegistry {
        subscription: registry.subscription.to_string(),
        resource_group: registry.resource_group.to_string(),
        name: registry.name.clone(),
        sku,
        admin_user_enabled: listing.registry.properties.admin_user_enabled,
    };

    let mut scope_maps = BTreeMap::new();
    for wire in listing.scope_maps {
        let scope_map = scope_map(wire)?;
        scope_maps.insert(scope_map.name.clone(), scope_map);
    }
    // ARM ids may not match a name's case; resolve them against the names the lists gave.
    let scope_map_names: HashMap<String, ScopeMapName> = scope_maps
        .keys()
        .map(|n| (n.as_str().to_ascii_lowercase(), n.clone()))
        .collect();

    let mut tokens = BTreeMap::new();
    for wire in listing.tokens {
        let token = token(wire, &scope_map_names)?;
        tokens.insert(token.name.clone(), token);
    }
    let token_names: HashMap<String, TokenName> = tokens
        .keys()
        .map(|n| (n.as_str().to_ascii_lowercase(), n.clone()))
        .collect();

    let mut connected_registries = BTreeMap::new();
    for wire in listing.connected_registries {
        let cr = connected_registry(wire, &token_names)?;
        connected_registries.insert(cr.name.clone(), cr);
    }
    Ok(Live {
        registry: live_registry,
        scope_maps,
        tokens,
        connected_registries,
    })
}

fn scope_map(wire: wire::ScopeMap) -> Result<LiveScopeMap, String> {
    let name: ScopeMapName = wire
        .name
        .parse()
        .map_err(|e| format!("ARM listed a scope map scopeform cannot name: {e}"))?;
    let mut actions = Vec::new();
    let mut unrecognised_actions = BTreeSet::new();
    for action in wire.properties.actions {
        match action.parse::<ScopeAction>() {
            Ok(parsed) => actions.push(parsed),
            Err(_) => {
                unrecognised_actions.insert(action);
            }
        }
    }
    let system = wire
        .properties
        .kind
        .as_deref()
        .is_some_and(|k| k.eq_ignore_ascii_case("SystemDefined"))
        || is_system_scope_map_name(name.as_str());
    Ok(LiveScopeMap {
        name,
        description: wire.properties.description.unwrap_or_default(),
        actions: actions.into_iter().collect(),
        unrecognised_actions,
        system,
        provisioning_state: ProvisioningState::from_arm(
            wire.properties.provisioning_state.as_deref(),
        ),
    })
}

fn token(
    wire: wire::Token,
    scope_maps: &HashMap<String, ScopeMapName>,
) -> Result<LiveToken, String> {
    let name: TokenName = wire
        .name
        .parse()
        .map_err(|e| format!("ARM listed a token scopeform cannot name: {e}"))?;
    let properties = wire.properties;
    let scope_map_id = properties
        .scope_map_id
        .ok_or_else(|| format!("token `{name}` has no scope map"))?;
    let scope_map_name = name_from_id(&scope_map_id, Collection::ScopeMaps)
        .ok_or_else(|| format!("token `{name}` has a malformed scopeMapId `{scope_map_id}`"))?;
    let scope_map = match scope_maps.get(&scope_map_name.to_ascii_lowercase()) {
        Some(known) => known.clone(),
        None => scope_map_name.parse().map_err(|e| {
            format!("token `{name}` refers to a scope map scopeform cannot name: {e}")
        })?,
    };
    let status = match properties.status.as_deref() {
        None => TokenStatus::Enabled,
        Some(s) => s
            .to_ascii_lowercase()
            .parse()
            .map_err(|()| format!("token `{name}` has an unknown status `{s}`"))?,
    };
    let mut passwords = Vec::new();
    for password in properties
        .credentials
        .map(|c| c.passwords)
        .unwrap_or_default()
    {
        let slot: PasswordSlot = password.name.to_ascii_lowercase().parse().map_err(|()| {
            format!(
                "token `{name}` has an unknown password slot `{}`",
                password.name
            )
        })?;
        passwords.retain(|p: &LivePassword| p.name != slot);
        passwords.push(LivePassword {
            name: slot,
            creation_time: password.creation_time,
            expiry: password.expiry,
        });
    }
    passwords.sort_by_key(|p| p.name);
    Ok(LiveToken {
        name,
        scope_map,
        status,
        passwords,
        provisioning_state: ProvisioningState::from_arm(properties.provisioning_state.as_deref()),
    })
}

/// One token read on its own (`GET R/tokens/NAME`): its scope map's name is taken from the id
/// as ARM spells it.
pub(super) fn token_alone(wire: wire::Token) -> Result<LiveToken, String> {
    token(wire, &HashMap::new())
}

fn token_name(
    id: &str,
    what: &str,
    cr: &ConnectedRegistryName,
    tokens: &HashMap<String, TokenName>,
) -> Result<TokenName, String> {
    let name = name_from_id(id, Collection::Tokens)
        .ok_or_else(|| format!("connected registry `{cr}` has a malformed {what} `{id}`"))?;
    match tokens.get(&name.to_ascii_lowercase()) {
        Some(known) => Ok(known.clone()),
        None => name.parse().map_err(|e| {
            format!("connected registry `{cr}` refers to a token scopeform cannot name: {e}")
        }),
    }
}

fn connected_registry(
    wire: wire::ConnectedRegistry,
    tokens: &HashMap<String, TokenName>,
) -> Result<LiveConnectedRegistry, String> {
    let name: ConnectedRegistryName = wire
        .name
        .parse()
        .map_err(|e| format!("ARM listed a connected registry scopeform cannot name: {e}"))?;
    let properties = wire.properties;
    let mode_text = properties
        .mode
        .ok_or_else(|| format!("connected registry `{name}` has no mode"))?;
    let mode = mode_text
        .parse()
        .map_err(|()| format!("connected registry `{name}` has an unknown mode `{mode_text}`"))?;
    let sync_id = properties
        .parent
        .and_then(|p| p.sync_properties)
        .and_then(|s| s.token_id)
        .ok_or_else(|| format!("connected registry `{name}` has no sync token"))?;
    let sync_token = token_name(&sync_id, "sync tokenId", &name, tokens)?;
    let client_tokens = properties
        .client_token_ids
        .unwrap_or_default()
        .iter()
        .map(|id| token_name(id, "clientTokenId", &name, tokens))
        .collect::<Result<_, _>>()?;
    Ok(LiveConnectedRegistry {
        name,
        mode,
        sync_token,
        client_tokens,
        provisioning_state: ProvisioningState::from_arm(properties.provisioning_state.as_deref()),
    })
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
