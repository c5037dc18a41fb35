//! The emulator's committed state: registries and the objects under them, and Key Vaults. This
//! is what the state file holds. No token password values (the service never returns them after
//! creation, so neither does the emulator keep them, only their SHA-256); Key Vault secret values
//! are kept, as a vault keeps them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::ids::{RegistryRef, registry_key};
use crate::key_vault::store::Vault;
use crate::options::SystemScopeMaps;
use crate::sku::Sku;

/// Everything the emulator knows, keyed case-insensitively.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// Keyed by `registry_key(sub, rg, name)`.
    pub registries: BTreeMap<String, Registry>,
    /// Key Vaults, keyed by lower-case name.
    #[serde(default)]
    pub vaults: BTreeMap<String, Vault>,
    /// The system scope maps a registry created from now on gets (an emulator setting, not
    /// saved: a saved registry keeps the ones it has).
    #[serde(skip)]
    pub new_registry_system_scope_maps: SystemScopeMaps,
}

impl State {
    pub fn registry(&self, registry: &RegistryRef) -> Option<&Registry> {
        self.registries.get(&registry.key())
    }

    pub fn registry_mut(&mut self, key: &str) -> Option<&mut Registry> {
        self.registries.get_mut(key)
    }
}

/// A registry's own settings, apart from the objects it contains.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RegistryProps {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub tags: BTreeMap<String, String>,
    pub sku: Sku,
    pub admin_user_enabled: bool,
    pub data_endpoint_enabled: bool,
    /// The other writable properties (`networkRuleSet`, `policies`, `publicNetworkAccess`, …),
    /// kept as the client sent them over the defaults.
    pub settings: Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
}

impl RegistryProps {
    pub fn reference(&self) -> RegistryRef {
        RegistryRef {
            subscription: self.subscription.clone(),
            resource_group: self.resource_group.clone(),
            name: self.name.clone(),
        }
    }

    pub fn key(&self) -> String {
        registry_key(&self.subscription, &self.resource_group, &self.name)
    }
}

/// A registry and everything in it; child maps are keyed by lower-case name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registry {
    pub props: RegistryProps,
    pub scope_maps: BTreeMap<String, ScopeMap>,
    pub tokens: BTreeMap<String, Token>,
    pub connected_registries: BTreeMap<String, ConnectedRegistry>,
    /// How many times each child was created (`scope_maps/NAME`, `tokens/NAME`,
    /// `connected_registries/NAME`, lower case), for tests that prove nothing was created twice.
    /// Kept in the state file so the count survives a restart.
    #[serde(default)]
    pub creations: BTreeMap<String, u64>,
}

impl Registry {
    /// Counts the creation of a child `kind/name`.
    pub fn count_creation(&mut self, kind: &str, name: &str) {
        *self
            .creations
            .entry(format!("{kind}/{}", name.to_ascii_lowercase()))
            .or_default() += 1;
    }

    /// How many user-defined scope maps count against the tier limit. Only the (three or five)
    /// system maps are not user-defined, so this looks them up rather than scanning every map.
    pub fn user_scope_map_count(&self) -> usize {
        let system = crate::system_scope_maps::NAMES
            .iter()
            .filter(|name| self.scope_maps.get(**name).is_some_and(|m| m.system))
            .count();
        self.scope_maps.len() - system
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScopeMap {
    pub name: String,
    pub description: Option<String>,
    /// One of the five built-in `_repositories_*` maps.
    pub system: bool,
    pub actions: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    /// The last operation on it failed: ARM shows `provisioningState: Failed` until a write
    /// succeeds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub failed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Token {
    pub name: String,
    /// The scope map's name as stored (its id is rebuilt from the registry).
    pub scope_map: String,
    /// `enabled` or `disabled`.
    pub status: String,
    pub passwords: Vec<Password>,
    /// Certificates as the client sent them (`name`, `encodedPemCertificate`, …).
    pub certificates: Vec<Value>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    /// The last operation on it failed: ARM shows `provisioningState: Failed` until a write
    /// succeeds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub failed: bool,
}

/// A password slot's metadata; the value itself is only ever returned by generateCredentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Password {
    /// `password1` or `password2`.
    pub name: String,
    pub creation_time: DateTime<Utc>,
    pub expiry: Option<DateTime<Utc>>,
    /// The SHA-256 of the value (lower-case hex), so the state hook can tell whether a Key Vault
    /// secret holds the slot's current password without the emulator keeping the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConnectedRegistry {
    pub name: String,
    /// `ReadWrite`, `ReadOnly`, `Registry` or `Mirror`.
    pub mode: String,
    /// The parent connected registry's id; absent when the parent is the cloud registry.
    pub parent_id: Option<String>,
    /// The sync token's name.
    pub sync_token: String,
    pub schedule: Option<String>,
    pub message_ttl: String,
    pub sync_window: Option<String>,
    /// Client token names.
    pub client_tokens: Vec<String>,
    pub log_level: String,
    pub audit_log_status: String,
    pub notifications_list: Option<Vec<String>>,
    pub garbage_collection: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub modified_at: DateTime<Utc>,
    /// The last operation on it failed: ARM shows `provisioningState: Failed` until a write
    /// succeeds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub failed: bool,
}
