//! How an emulator instance behaves: paging, the long-running-operation mode, injected faults,
//! authentication, the registries and Key Vaults it starts with, its clock and where it keeps its
//! state.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::sku::Sku;

/// Settings of one emulator instance. `Options::default()` answers as real Azure does (see
/// `WriteStyle::Azure`), without faults, with pages of 100 and no registries.
#[derive(Debug, Clone)]
pub struct Options {
    /// Items per page of every list; the rest is reached through `nextLink`.
    pub page_size: usize,
    /// How writes are answered: as real Azure does (the default), at once, or all as
    /// long-running operations the way the spec's examples show them.
    pub writes: WriteStyle,
    /// How long an asynchronous operation stays in progress.
    pub async_delay: Duration,
    /// The `Retry-After` of an Azure-style `DELETE` and of its polls (real Azure says 10 s).
    pub delete_retry_after: Duration,
    /// How many system scope maps a registry the emulator creates has.
    pub system_scope_maps: SystemScopeMaps,
    /// Added to every response, polls and reads included.
    pub latency: Duration,
    /// Every Nth write request gets a 500 before anything is done.
    pub fail_every: Option<u64>,
    /// Every Nth asynchronous operation ends `Failed` without applying its change.
    pub fail_async_every: Option<u64>,
    /// Every write request is refused with a 400 whose error message is this text, as a
    /// hostile server would send it (for the tests that its text is printed escaped).
    pub refuse_writes: Option<String>,
    /// An ARM-style token bucket over write requests.
    pub throttle_writes: Option<Throttle>,
    /// The bearer token every request must carry; any bearer token is accepted when `None`.
    pub token: Option<String>,
    /// Registries that exist from the start.
    pub registries: Vec<RegistrySpec>,
    /// Where the whole state is loaded from at start and saved after every write.
    pub state_file: Option<PathBuf>,
    /// Key Vaults whose secrets API is served under `/keyvault/{name}` (names checked by
    /// `key_vault::check_vault_name`).
    pub key_vaults: Vec<String>,
    /// Every Nth authenticated Key Vault request gets a 500 before anything is done (ARM is
    /// not affected).
    pub key_vault_fail_every: Option<u64>,
    /// Key Vault answers every request with a 503 from the start (ARM is not affected);
    /// `POST /_emulator/key-vault {"down": false}` brings it back.
    pub key_vault_down: bool,
    /// The emulated time at start; the wall clock's when `None`. It runs on from there and
    /// `POST /_emulator/clock` moves it forward.
    pub clock: Option<DateTime<Utc>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            page_size: 100,
            writes: WriteStyle::Azure,
            async_delay: Duration::from_millis(50),
            delete_retry_after: Duration::from_secs(10),
            system_scope_maps: SystemScopeMaps::Five,
            latency: Duration::ZERO,
            fail_every: None,
            fail_async_every: None,
            refuse_writes: None,
            throttle_writes: None,
            token: None,
            registries: Vec::new(),
            state_file: None,
            key_vaults: Vec::new(),
            key_vault_fail_every: None,
            key_vault_down: false,
            clock: None,
        }
    }
}

/// How the emulator answers writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteStyle {
    /// As public recordings of real Azure traffic (2021–2025) show: scope map, token and
    /// connected registry `PUT`/`PATCH` answer `201` + `Azure-AsyncOperation` with
    /// `provisioningState` `Creating`/`Updating`, their status bodies are just `{"status": …}`
    /// (`Creating`, `Updating`, `Deleting` while running); `DELETE` answers `202` +
    /// `Location: …/locations/{LOCATION}/operationResults/…` + `Retry-After`, and the
    /// `Location` answers `200` with an empty body once done; `generateCredentials` and
    /// registry writes answer `200` at once. A write to an object with an operation under way
    /// is a `409`.
    #[default]
    Azure,
    /// Every write answered at once: `200`/`201`/`204`.
    Sync,
    /// Every write a long-running operation as the spec's examples show it: `PUT`/`PATCH`
    /// `201` + `Azure-AsyncOperation` polled through `{id, name, status: InProgress, …}`,
    /// `DELETE` and `generateCredentials` `202` + `Location` under the resource.
    SpecAsync,
}

impl FromStr for WriteStyle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "azure" => Ok(Self::Azure),
            "sync" => Ok(Self::Sync),
            "spec-async" | "async" => Ok(Self::SpecAsync),
            _ => Err(format!(
                "expected `azure`, `sync` or `spec-async`, got `{s}`"
            )),
        }
    }
}

/// The system scope maps of a new registry: three in registries created until 2023
/// (`_repositories_admin`, `_repositories_pull`, `_repositories_push`), five since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SystemScopeMaps {
    Three,
    #[default]
    Five,
}

impl FromStr for SystemScopeMaps {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "3" => Ok(Self::Three),
            "5" => Ok(Self::Five),
            _ => Err(format!("expected 3 or 5, got `{s}`")),
        }
    }
}

/// A token bucket: `bucket` tokens at most, refilled continuously at `refill_per_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    pub bucket: u32,
    pub refill_per_s: f64,
}

impl FromStr for Throttle {
    type Err = String;

    /// Parses `BUCKET:REFILL_PER_S`, such as `200:10` (ARM's own write limits).
    fn from_str(s: &str) -> Result<Self, String> {
        let (bucket, refill) = s
            .split_once(':')
            .ok_or_else(|| format!("expected BUCKET:REFILL_PER_S, got `{s}`"))?;
        let bucket: u32 = bucket
            .trim()
            .parse()
            .map_err(|_| format!("bucket size `{bucket}` is not a whole number"))?;
        let refill_per_s: f64 = refill
            .trim()
            .parse()
            .map_err(|_| format!("refill rate `{refill}` is not a number"))?;
        if bucket == 0 {
            return Err("the bucket must hold at least one token".to_owned());
        }
        if !refill_per_s.is_finite() || refill_per_s <= 0.0 {
            return Err(format!("refill rate `{refill}` must be positive"));
        }
        Ok(Self {
            bucket,
            refill_per_s,
        })
    }
}

/// A registry to create at start: `SUB/RG/NAME[:SKU]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrySpec {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub sku: Sku,
}

impl FromStr for RegistrySpec {
    type Err = String;

    /// Parses `SUB/RG/NAME[:SKU]`; the SKU defaults to Premium.
    fn from_str(s: &str) -> Result<Self, String> {
        let (path, sku) = match s.rsplit_once(':') {
            Some((path, sku)) => (path, sku.parse::<Sku>()?),
            None => (s, Sku::Premium),
        };
        let parts: Vec<&str> = path.split('/').collect();
        let [subscription, resource_group, name] = parts.as_slice() else {
            return Err(format!("expected SUB/RG/NAME[:SKU], got `{s}`"));
        };
        if subscription.is_empty() || resource_group.is_empty() {
            return Err(format!("expected SUB/RG/NAME[:SKU], got `{s}`"));
        }
        crate::names::NameKind::Registry
            .check(name)
            .map_err(|e| e.message)?;
        Ok(Self {
            subscription: (*subscription).to_owned(),
            resource_group: (*resource_group).to_owned(),
            name: (*name).to_owned(),
            sku,
        })
    }
}

impl fmt::Display for RegistrySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}:{}",
            self.subscription, self.resource_group, self.name, self.sku
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_spec_defaults_to_premium() {
        let spec: RegistrySpec = "sub/rg/myregistry".parse().expect("valid");
        assert_eq!(spec.sku, Sku::Premium);
        assert_eq!(spec.to_string(), "sub/rg/myregistry:Premium");
        let spec: RegistrySpec = "sub/rg/myregistry:basic".parse().expect("valid");
        assert_eq!(spec.sku, Sku::Basic);
    }

    #[test]
    fn registry_spec_rejects_bad_input() {
        for bad in [
            "sub/rg",
            "sub/rg/my_registry",
            "sub/rg/reg:Gold",
            "/rg/myregistry",
        ] {
            assert!(bad.parse::<RegistrySpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn throttle_parses() {
        let t: Throttle = "200:10".parse().expect("valid");
        assert_eq!(t.bucket, 200);
        assert!((t.refill_per_s - 10.0).abs() < f64::EPSILON);
        for bad in ["200", "0:1", "5:0", "x:1", "5:-1"] {
            assert!(bad.parse::<Throttle>().is_err(), "{bad}");
        }
    }
}
