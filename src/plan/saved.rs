//! Saved plans: `plan --out FILE` writes one, `apply --plan FILE` reads it back and carries out
//! exactly its changes, unless the registry changed since.
//!
//! Terraform's saved plan is an opaque zip that holds the state; scopeform has no state, so a
//! saved plan holds, besides the plan, the live state of every object the plan touches as it was
//! read. `check_fresh` compares it with the registry as it is now: any difference means the plan
//! was computed from facts that no longer hold, and it is refused as stale. A plan holds no
//! secret (passwords are described by creation time and expiry only), so neither does the file.
//!
//! A reviewer approves the changes (address, kind, before, after); apply performs their writes.
//! So `read` refuses a file that does not hold together: a checksum that does not match (an
//! edit, or a damaged file), a write that is not exactly its change (`Change::check_consistent`),
//! a `before` that is not what its fingerprint says the registry held, an address planned
//! twice. The file also records where the plan was made (`BackendLocation`), and apply refuses
//! to carry it out anywhere else. What none of this stops is a writer who edits the file
//! consistently and recomputes the checksum: see SECURITY.md.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

use super::{Address, Plan, PlanRegistry};
use crate::model::{BackendLocation, Live, SecretsDestination};

/// The `format_version` this build writes and reads. A major change of the file gets a new one
/// (2: the checksum and the backend, which version 1 did not have).
pub(crate) const FORMAT_VERSION: &str = "3";

/// What the file says it is, so a snapshot or a JSON plan output given by mistake is refused.
const KIND: &str = "scopeform-saved-plan";

/// A plan with what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SavedPlan {
    pub format_version: String,
    pub kind: String,
    pub plan: Plan,
    /// Every object a change touches, as the registry held it: `None` when it did not exist.
    pub fingerprints: BTreeMap<Address, Option<super::ObjectState>>,
    /// Where the registry was read: the plan is applied there and nowhere else.
    pub backend: BackendLocation,
    /// Where the configuration sent new passwords (`secrets:`), so that `apply --plan` delivers
    /// them to the same Key Vault.
    pub secrets: Option<SecretsDestination>,
    /// SHA-256 of everything above, in hex.
    pub checksum: String,
}

/// What the checksum covers: every field but the checksum, serialized as the file holds them.
#[derive(serde::Serialize)]
struct Checksummed<'a> {
    format_version: &'a str,
    kind: &'a str,
    plan: &'a Plan,
    fingerprints: &'a BTreeMap<Address, Option<super::ObjectState>>,
    backend: &'a BackendLocation,
    secrets: &'a Option<SecretsDestination>,
}

impl SavedPlan {
    /// Recomputes the checksum after an edit, as a writer who knows the format could.
    #[cfg(test)]
    pub(crate) fn reseal(&mut self) {
        self.checksum = self.compute_checksum();
    }

    fn compute_checksum(&self) -> String {
        let body = Checksummed {
            format_version: &self.format_version,
            kind: &self.kind,
            plan: &self.plan,
            fingerprints: &self.fingerprints,
            backend: &self.backend,
            secrets: &self.secrets,
        };
        let bytes = serde_json::to_vec(&body).expect("a plan serializes");
        Sha256::digest(&bytes)
            .iter()
            .fold(String::with_capacity(64), |mut hex, b| {
                use std::fmt::Write as _;
                let _ = write!(hex, "{b:02x}");
                hex
            })
    }
}

/// Why a saved plan can't be read.
#[derive(Debug, thiserror::Error)]
pub enum SavedPlanError {
    #[error("the saved plan is not valid JSON: {0}")]
    Syntax(#[source] serde_json::Error),
    #[error("this is not a scopeform saved plan (write one with `scopeform plan --out FILE`)")]
    NotASavedPlan,
    #[error(
        "the saved plan has format_version {found:?}; this scopeform reads version \"{FORMAT_VERSION}\"; \
         make the plan again with this version"
    )]
    UnsupportedVersion { found: String },
    #[error("the saved plan is damaged: {0}")]
    Malformed(String),
    #[error(
        "the saved plan was changed after `scopeform plan` wrote it (its checksum does not \
         match); nothing was changed: make the plan again"
    )]
    Checksum,
    #[error(
        "the saved plan does not hold together: change {index} ({address}): {reason}; nothing was changed: make the plan again"
    )]
    Inconsistent {
        index: usize,
        address: Address,
        reason: String,
    },
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Why a saved plan may not be applied to the registry as it is now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NotFresh {
    #[error("the plan is for registry {planned} but the registry read is {live}")]
    WrongRegistry { planned: String, live: String },
    #[error(
        "plan is stale: {} changed in the registry since the plan was made; run `scopeform plan` again",
        list(.addresses)
    )]
    Stale { addresses: Vec<Address> },
}

fn list(addresses: &[Address]) -> String {
    const SHOWN: usize = 10;
    let mut names: Vec<String> = addresses
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if addresses.len() > SHOWN {
        names.push(format!("and {} more", addresses.len() - SHOWN));
    }
    names.join(", ")
}

fn coordinates(registry: &PlanRegistry) -> String {
    format!(
        "{}/{}/{}",
        registry.subscription, registry.resource_group, registry.name
    )
}

impl SavedPlan {
    /// Saves `plan`, made from `live` as read from `backend`, with the fingerprints of what it
    /// touches.
    pub fn new(
        plan: Plan,
        live: &Live,
        backend: BackendLocation,
        secrets: Option<SecretsDestination>,
    ) -> Self {
        let fingerprints = plan
            .changes
            .iter()
            .map(|change| (change.address.clone(), fingerprint(&change.address, live)))
            .collect();
        let mut saved = Self {
            format_version: FORMAT_VERSION.to_owned(),
            kind: KIND.to_owned(),
            plan,
            fingerprints,
            backend,
            secrets,
            checksum: String::new(),
        };
        saved.checksum = saved.compute_checksum();
        saved
    }
}

/// Everything the registry holds about one address, managed or not: a change anywhere in the
/// object makes the plan stale.
fn fingerprint(address: &Address, live: &Live) -> Option<super::ObjectState> {
    use super::ObjectState;
    match address {
        Address::AdminUser => Some(ObjectState::AdminUser {
            enabled: live.registry.admin_user_enabled,
        }),
        Address::ScopeMap(name) => live
            .scope_maps
            .get(name)
            .map(|s| ObjectState::of_live_scope_map(s, true)),
        Address::Token(name) => live
            .tokens
            .get(name)
            .map(|t| ObjectState::of_live_token(t, true)),
        Address::Password(name, slot) => live
            .tokens
            .get(name)
            .and_then(|t| t.password(*slot))
            .map(ObjectState::of_live_password),
        Address::ConnectedRegistry(name) => {
            live.connected_registries
                .get(name)
                .map(|cr| ObjectState::ConnectedRegistry {
                    client_tokens: cr.client_tokens.clone(),
                })
        }
    }
}

/// Writes the saved plan as JSON. The caller picks the file and makes the write atomic.
pub(crate) fn write(saved: &SavedPlan, w: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer(&mut w, saved)?;
    writeln!(w)?;
    w.flush()
}

/// Reads a saved plan, checking what it is, its version and that its changes are in order.
pub fn read(r: &mut dyn Read) -> Result<SavedPlan, SavedPlanError> {
    let mut text = String::new();
    r.read_to_string(&mut text)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(SavedPlanError::Syntax)?;
    if value.get("kind").and_then(serde_json::Value::as_str) != Some(KIND) {
        return Err(SavedPlanError::NotASavedPlan);
    }
    match value.get("format_version") {
        Some(serde_json::Value::String(v)) if v == FORMAT_VERSION => {}
        other => {
            let found = other.map_or_else(|| "none".to_owned(), ToString::to_string);
            return Err(SavedPlanError::UnsupportedVersion {
                found: found.trim_matches('"').to_owned(),
            });
        }
    }
    let saved: SavedPlan =
        serde_json::from_value(value).map_err(|e| SavedPlanError::Malformed(e.to_string()))?;
    if saved.checksum != saved.compute_checksum() {
        return Err(SavedPlanError::Checksum);
    }
    check_holds_together(&saved)?;
    Ok(saved)
}

/// Every change is consistent with its write and with what the registry held; the executor
/// trusts `depends_on`, so it must not index out of range or wait for itself.
fn check_holds_together(saved: &SavedPlan) -> Result<(), SavedPlanError> {
    let mut seen = std::collections::BTreeSet::new();
    for (index, change) in saved.plan.changes.iter().enumerate() {
        let inconsistent = |reason: String| SavedPlanError::Inconsistent {
            index,
            address: change.address.clone(),
            reason,
        };
        if let Some(&bad) = change.depends_on.iter().find(|&&d| d >= index) {
            return Err(inconsistent(format!(
                "it depends on change {bad}, which does not come before it"
            )));
        }
        // A token and its passwords are separate objects with separate addresses; the same
        // address twice would let one change hide behind another.
        if !seen.insert(&change.address) {
            return Err(inconsistent("the address is planned twice".to_owned()));
        }
        let Some(fingerprint) = saved.fingerprints.get(&change.address) else {
            return Err(inconsistent("no fingerprint".to_owned()));
        };
        change.check_consistent().map_err(inconsistent)?;
        super::consistency::before_matches(change.before.as_ref(), fingerprint.as_ref())
            .map_err(inconsistent)?;
    }
    if saved.fingerprints.len() != seen.len() {
        return Err(SavedPlanError::Malformed(
            "it holds fingerprints of objects no change touches".to_owned(),
        ));
    }
    Ok(())
}

/// Whether `live` is still what the saved plan was made from, for every object it touches.
pub(crate) fn check_fresh(saved: &SavedPlan, live: &Live) -> Result<(), NotFresh> {
    let planned = &saved.plan.registry;
    let actual = &live.registry;
    if !(planned
        .name
        .as_str()
        .eq_ignore_ascii_case(actual.name.as_str())
        && planned
            .subscription
            .eq_ignore_ascii_case(&actual.subscription)
        && planned
            .resource_group
            .eq_ignore_ascii_case(&actual.resource_group))
    {
        return Err(NotFresh::WrongRegistry {
            planned: coordinates(planned),
            live: format!(
                "{}/{}/{}",
                actual.subscription, actual.resource_group, actual.name
            ),
        });
    }
    let addresses: Vec<Address> = saved
        .fingerprints
        .iter()
        .filter(|(address, was)| fingerprint(address, live) != **was)
        .map(|(address, _)| address.clone())
        .collect();
    if addresses.is_empty() {
        Ok(())
    } else {
        Err(NotFresh::Stale { addresses })
    }
}
