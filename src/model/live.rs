//! The state of a live registry as scopeform sees it: read from ARM or from a snapshot file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{
    ActionSet, ConnectedRegistryMode, ConnectedRegistryName, PasswordSlot, ProvisioningState,
    RegistryName, ScopeMapName, Sku, TokenName, TokenStatus,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveRegistry {
    pub subscription: String,
    pub resource_group: String,
    pub name: RegistryName,
    #[serde(default)]
    pub sku: Sku,
    #[serde(default)]
    pub admin_user_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveScopeMap {
    pub name: ScopeMapName,
    #[serde(default)]
    pub description: String,
    pub actions: ActionSet,
    /// Action strings the service holds that scopeform cannot parse; any makes a difference.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub unrecognised_actions: BTreeSet<String>,
    /// One of ACR's built-in scope maps (three or five, depending on the registry's age).
    #[serde(default)]
    pub system: bool,
    /// ARM's `provisioningState`; anything but `Succeeded` is not settled.
    #[serde(default, skip_serializing_if = "ProvisioningState::is_succeeded")]
    pub provisioning_state: ProvisioningState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LivePassword {
    pub name: PasswordSlot,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_time: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveToken {
    pub name: TokenName,
    pub scope_map: ScopeMapName,
    pub status: TokenStatus,
    #[serde(default)]
    pub passwords: Vec<LivePassword>,
    /// ARM's `provisioningState`; anything but `Succeeded` is not settled.
    #[serde(default, skip_serializing_if = "ProvisioningState::is_succeeded")]
    pub provisioning_state: ProvisioningState,
}

impl LiveToken {
    pub fn password(&self, slot: PasswordSlot) -> Option<&LivePassword> {
        self.passwords.iter().find(|p| p.name == slot)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveConnectedRegistry {
    pub name: ConnectedRegistryName,
    pub mode: ConnectedRegistryMode,
    pub sync_token: TokenName,
    #[serde(default)]
    pub client_tokens: BTreeSet<TokenName>,
    /// ARM's `provisioningState`; anything but `Succeeded` is not settled.
    #[serde(default, skip_serializing_if = "ProvisioningState::is_succeeded")]
    pub provisioning_state: ProvisioningState,
}

/// A whole registry's access objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    pub registry: LiveRegistry,
    pub scope_maps: BTreeMap<ScopeMapName, LiveScopeMap>,
    pub tokens: BTreeMap<TokenName, LiveToken>,
    pub connected_registries: BTreeMap<ConnectedRegistryName, LiveConnectedRegistry>,
}

impl Live {
    /// Whether the token is the sync token of some connected registry.
    pub fn is_sync_token(&self, token: &TokenName) -> bool {
        self.connected_registries
            .values()
            .any(|cr| &cr.sync_token == token)
    }
}
