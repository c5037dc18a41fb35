//! What a vault holds: secrets, each a list of versions in the order they were set. Unlike
//! token passwords, secret values are kept (and saved in the state file): serving them back is
//! what a vault is for.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A vault; its secrets keyed by lower-case name (Key Vault names are case-insensitive).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vault {
    pub name: String,
    pub secrets: BTreeMap<String, Secret>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Secret {
    /// As last set.
    pub name: String,
    /// Oldest first; the last one is the "current" version a read without version gets.
    pub versions: Vec<SecretVersion>,
}

impl Secret {
    pub fn newest(&self) -> Option<&SecretVersion> {
        self.versions.last()
    }

    pub fn version(&self, version: &str) -> Option<&SecretVersion> {
        if version.is_empty() {
            return self.newest();
        }
        self.versions
            .iter()
            .find(|v| v.version.eq_ignore_ascii_case(version))
    }

    pub fn version_mut(&mut self, version: &str) -> Option<&mut SecretVersion> {
        if version.is_empty() {
            return self.versions.last_mut();
        }
        self.versions
            .iter_mut()
            .find(|v| v.version.eq_ignore_ascii_case(version))
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct SecretVersion {
    /// 32 lower-case hex digits.
    pub version: String,
    pub value: String,
    pub content_type: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub enabled: bool,
    /// Unix seconds, as Key Vault's `nbf`.
    pub not_before: Option<i64>,
    /// Unix seconds, as Key Vault's `exp`.
    pub expires: Option<i64>,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// Never shows the value.
impl std::fmt::Debug for SecretVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretVersion")
            .field("version", &self.version)
            .field("content_type", &self.content_type)
            .field("tags", &self.tags)
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

/// A new version identifier: 32 lower-case hex digits, as Key Vault's.
pub fn new_version() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
