//! Drift: where the live registry differs from the configuration, object by object and field
//! by field. Pure: the caller passes the time and, optionally, what the secrets file recorded.
//!
//! One definition of "different" serves `plan` and `drift` (DESIGN §4): the drift is the plan
//! `apply` would carry out, told as differences. Every change the plan has is drift; what the
//! plan leaves alone on purpose (an undeclared object the `unmanaged` policy keeps as it is, a
//! password slot waiting its turn) and what it cannot fix (its warnings) are information, which
//! never counts as drift. So `drift` exits 2 exactly when `plan` has a change, and after an
//! `apply`, both are empty.
//!
//! The one thing drift adds, and only with the secrets file: a live password created after the
//! one the file holds (someone rotated it, and the file's password no longer works). No plan
//! can see that, and `apply` does not undo it by itself (two applies with different files
//! would take turns rotating each other's passwords); `apply --replace` gives the file a
//! working password again, and the report says so.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{Desired, InterruptedRotation, Live, PasswordSlot};
use crate::plan::{Address, PlanError};
use crate::render::Untrusted;

/// How an object drifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum DriftKind {
    /// Declared and live, with different field values.
    Changed,
    /// Declared but absent from the registry.
    Missing,
    /// Live but not declared (and not ignored), and the `unmanaged` policy removes or
    /// disables it.
    Unmanaged,
    /// Named under `removed` but still live (for `disable`: still enabled): `apply` deletes or
    /// disables it.
    Removed,
}

/// One field that differs: what the configuration says and what the registry holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct FieldDrift {
    pub name: String,
    pub config: FieldValue,
    pub live: FieldValue,
    /// Why it differs, when scopeform knows better than "changed outside the configuration".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One side of a field. Its text is the registry's or the configuration's (a description, an
/// action string scopeform does not recognise), so it is `Untrusted`: printed only escaped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum FieldValue {
    /// Not set (JSON `null`).
    Absent,
    Flag(bool),
    Text(Untrusted),
    List(Vec<Untrusted>),
}

impl From<serde_json::Value> for FieldValue {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        let text = |value: Value| match value {
            Value::String(s) => Untrusted::new(s),
            other => Untrusted::new(other.to_string()),
        };
        match value {
            Value::Null => Self::Absent,
            Value::Bool(b) => Self::Flag(b),
            Value::Array(items) => Self::List(items.into_iter().map(text).collect()),
            other => Self::Text(text(other)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Drift {
    pub address: Address,
    pub kind: DriftKind,
    /// Always present (empty for `missing` and `unmanaged`), so readers see one shape.
    pub fields: Vec<FieldDrift>,
    /// What `apply` does about it, when the kind alone doesn't say (an undeclared object the
    /// `unmanaged` policy deletes or disables).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the secrets file recorded: the creation time of each saved password, per token and
/// slot (a live password created later was rotated by someone else), and the rotations an
/// apply started and never saw through (a live password one of them generated was lost).
#[derive(Debug, Clone, Default)]
pub(crate) struct RecordedCreations {
    pub creations: BTreeMap<(String, PasswordSlot), DateTime<Utc>>,
    pub interrupted: Vec<InterruptedRotation>,
    /// With `drift --key-vault`: live passwords that are not the newest version Key Vault holds
    /// for their slot.
    pub not_in_key_vault: Vec<NotInKeyVault>,
}

/// A live password a consumer reading Key Vault does not have: the newest version delivered
/// for its slot records another creation time, or there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotInKeyVault {
    pub token: crate::model::TokenName,
    pub slot: PasswordSlot,
    pub secret: String,
    /// The creation time the newest version for the slot records.
    pub in_vault: Option<DateTime<Utc>>,
}

impl RecordedCreations {
    pub(crate) fn new() -> Self {
        Self::default()
    }
}

impl<const N: usize> From<[((String, PasswordSlot), DateTime<Utc>); N]> for RecordedCreations {
    fn from(creations: [((String, PasswordSlot), DateTime<Utc>); N]) -> Self {
        Self {
            creations: BTreeMap::from(creations),
            interrupted: Vec::new(),
            not_in_key_vault: Vec::new(),
        }
    }
}

/// What plan leaves alone on purpose, shown beside the drift and never counted as drift.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct LeftAlone {
    pub address: Address,
    pub reason: String,
}

/// Everything `drift` reports.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DriftReport {
    /// Every drifted object, sorted by address.
    pub drift: Vec<Drift>,
    /// Information: what the plan leaves alone on purpose, sorted by address.
    pub left_alone: Vec<LeftAlone>,
    /// Information: what the plan cannot fix (the plan's warnings).
    pub warnings: Vec<String>,
}

impl DriftReport {
    /// Whether the registry matches the configuration: information does not count.
    pub(crate) fn in_sync(&self) -> bool {
        self.drift.is_empty()
    }
}

/// The drift of `live` from `desired` as of `now`: the plan, told as differences (see the
/// module's documentation). Fails where `plan` fails.
pub(crate) fn detect(
    desired: &Desired,
    live: &Live,
    now: DateTime<Utc>,
    recorded: &RecordedCreations,
) -> Result<DriftReport, PlanError> {
    let plan = crate::plan::diff_recovering(desired, live, now, &recorded.interrupted)?;
    let mut objects = fields::Objects::default();
    for change in &plan.changes {
        objects.add(change, desired, live, recorded);
    }
    objects.add_recorded_creations(desired, live, recorded);
    objects.add_not_in_key_vault(live, recorded);
    let mut left_alone: Vec<LeftAlone> = plan
        .unmanaged
        .iter()
        .map(|address| LeftAlone {
            address: address.clone(),
            reason: fields::why_left_alone(address, desired, live),
        })
        .chain(plan.waiting.iter().map(|w| LeftAlone {
            address: w.address.clone(),
            reason: w.reason.clone(),
        }))
        .collect();
    left_alone.sort_by_cached_key(|a| a.address.to_string());
    Ok(DriftReport {
        drift: objects.into_drift(),
        left_alone,
        warnings: plan.warnings,
    })
}

mod fields;

#[cfg(test)]
mod tests;
