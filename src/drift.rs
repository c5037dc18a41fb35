//! Drift: where the live registry differs from the configuration, object by object and field
//! by field. Pure: the caller passes the time and, optionally, what the secrets file recorded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{
    Desired, DesiredScopeMap, DesiredToken, InterruptedRotation, Live, LiveScopeMap, LiveToken,
    PasswordPolicy, PasswordSlot, ProvisioningState, RemovedAction, TokenStatus,
};

/// How an object drifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftKind {
    /// Declared and live, with different field values.
    Changed,
    /// Declared but absent from the registry.
    Missing,
    /// Live but not declared (and not ignored).
    Unmanaged,
    /// Named under `removed` but still live (for `disable`: still enabled): `apply` deletes or
    /// disables it.
    Removed,
}

/// One field that differs: what the configuration says and what the registry holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDrift {
    pub name: String,
    pub config: serde_json::Value,
    pub live: serde_json::Value,
    /// Why it differs, when scopeform knows better than "changed outside the configuration".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    pub address: String,
    pub kind: DriftKind,
    /// Always present (empty for `missing` and `unmanaged`), so readers see one shape.
    pub fields: Vec<FieldDrift>,
}

/// What the secrets file recorded: the creation time of each saved password, per token and
/// slot (a live password created later was rotated by someone else), and the rotations an
/// apply started and never saw through (a live password one of them generated was lost).
#[derive(Debug, Clone, Default)]
pub struct RecordedCreations {
    pub creations: BTreeMap<(String, PasswordSlot), DateTime<Utc>>,
    pub interrupted: Vec<InterruptedRotation>,
}

impl RecordedCreations {
    pub fn new() -> Self {
        Self::default()
    }
}

impl<const N: usize> From<[((String, PasswordSlot), DateTime<Utc>); N]> for RecordedCreations {
    fn from(creations: [((String, PasswordSlot), DateTime<Utc>); N]) -> Self {
        Self {
            creations: BTreeMap::from(creations),
            interrupted: Vec::new(),
        }
    }
}

/// Every drifted object, sorted by address.
pub fn detect(
    desired: &Desired,
    live: &Live,
    now: DateTime<Utc>,
    recorded: &RecordedCreations,
) -> Vec<Drift> {
    let mut drift = Vec::new();
    if let Some(wanted) = desired.admin_user
        && wanted != live.registry.admin_user_enabled
    {
        drift.push(Drift {
            address: "registry.admin_user".into(),
            kind: DriftKind::Changed,
            fields: vec![field("enabled", wanted, live.registry.admin_user_enabled)],
        });
    }
    for scope_map in desired.scope_maps.values() {
        let address = format!("scope_map.{}", scope_map.name);
        match live.scope_maps.get(&scope_map.name) {
            None => drift.push(missing(address)),
            Some(actual) => changed(
                &mut drift,
                address,
                settled(
                    scope_map_fields(scope_map, actual),
                    actual.provisioning_state,
                ),
            ),
        }
    }
    for token in desired.tokens.values() {
        let address = format!("token.{}", token.name);
        match live.tokens.get(&token.name) {
            None => drift.push(missing(address)),
            Some(actual) => changed(
                &mut drift,
                address,
                settled(
                    token_fields(token, actual, now, recorded),
                    actual.provisioning_state,
                ),
            ),
        }
    }
    for cr in desired.connected_registries.values() {
        let address = format!("connected_registry.{}", cr.name);
        match live.connected_registries.get(&cr.name) {
            None => drift.push(missing(address)),
            Some(actual) => {
                let mut fields = Vec::new();
                if actual.client_tokens != cr.client_tokens {
                    fields.push(field(
                        "client_tokens",
                        &cr.client_tokens,
                        &actual.client_tokens,
                    ));
                }
                changed(
                    &mut drift,
                    address,
                    settled(fields, actual.provisioning_state),
                );
            }
        }
    }
    removed(desired, live, &mut drift);
    let unmanaged_scope_maps = live
        .scope_maps
        .values()
        .filter(|s| !desired.removed.scope_maps.contains(&s.name))
        .filter(|s| !s.system && !desired.scope_maps.contains_key(&s.name))
        .map(|s| ("scope_map", s.name.as_str()));
    let unmanaged_tokens = live
        .tokens
        .values()
        .filter(|t| !desired.tokens.contains_key(&t.name))
        .filter(|t| !desired.removed.tokens.contains_key(&t.name))
        .map(|t| ("token", t.name.as_str()));
    for (kind, name) in unmanaged_scope_maps.chain(unmanaged_tokens) {
        if !desired.is_ignored(name) {
            drift.push(Drift {
                address: format!("{kind}.{name}"),
                kind: DriftKind::Unmanaged,
                fields: vec![],
            });
        }
    }
    drift.sort_by(|a, b| a.address.cmp(&b.address));
    drift
}

/// Objects under `removed` that `plan` would still delete or disable. (A token removed with
/// `disable` that is already disabled is as the configuration asks.)
fn removed(desired: &Desired, live: &Live, drift: &mut Vec<Drift>) {
    for (name, action) in &desired.removed.tokens {
        let Some(token) = live.tokens.get(name) else {
            continue;
        };
        let fields = match action {
            RemovedAction::Delete => Vec::new(),
            RemovedAction::Disable if token.status == TokenStatus::Disabled => continue,
            RemovedAction::Disable => vec![field("status", TokenStatus::Disabled, token.status)],
        };
        drift.push(Drift {
            address: format!("token.{name}"),
            kind: DriftKind::Removed,
            fields,
        });
    }
    for name in &desired.removed.scope_maps {
        if live.scope_maps.contains_key(name) {
            drift.push(Drift {
                address: format!("scope_map.{name}"),
                kind: DriftKind::Removed,
                fields: vec![],
            });
        }
    }
}

fn field(name: &str, config: impl serde::Serialize, live: impl serde::Serialize) -> FieldDrift {
    FieldDrift {
        name: name.to_owned(),
        config: serde_json::to_value(config).unwrap_or_default(),
        live: serde_json::to_value(live).unwrap_or_default(),
        note: None,
    }
}

fn missing(address: String) -> Drift {
    Drift {
        address,
        kind: DriftKind::Missing,
        fields: vec![],
    }
}

/// `fields`, and the provisioning state when it is not `Succeeded`: plan writes such an object
/// again, so drift reports it (DESIGN §4: drift and plan agree).
fn settled(mut fields: Vec<FieldDrift>, state: ProvisioningState) -> Vec<FieldDrift> {
    if !state.is_succeeded() {
        fields.push(field(
            "provisioning_state",
            ProvisioningState::Succeeded.as_str(),
            state.as_str(),
        ));
    }
    fields
}

fn changed(drift: &mut Vec<Drift>, address: String, fields: Vec<FieldDrift>) {
    if !fields.is_empty() {
        drift.push(Drift {
            address,
            kind: DriftKind::Changed,
            fields,
        });
    }
}

fn scope_map_fields(desired: &DesiredScopeMap, live: &LiveScopeMap) -> Vec<FieldDrift> {
    let mut fields = Vec::new();
    if let Some(description) = &desired.description
        && description != &live.description
    {
        fields.push(field("description", description, &live.description));
    }
    if !desired.same_actions_as(live) {
        let wanted = desired.action_set();
        let mut actual: Vec<String> = live.actions.iter().map(ToString::to_string).collect();
        actual.extend(live.unrecognised_actions.iter().cloned());
        actual.sort();
        fields.push(field("actions", &wanted, actual));
    }
    fields
}

fn token_fields(
    desired: &DesiredToken,
    live: &LiveToken,
    now: DateTime<Utc>,
    recorded: &RecordedCreations,
) -> Vec<FieldDrift> {
    let mut fields = Vec::new();
    if desired.scope_map != live.scope_map {
        fields.push(field("scope_map", &desired.scope_map, &live.scope_map));
    }
    if desired.status != live.status {
        fields.push(field("status", desired.status, live.status));
    }
    let Some(passwords) = &desired.passwords else {
        return fields;
    };
    for slot in PasswordSlot::ALL {
        let live_slot = live.password(slot);
        let name = slot.as_str();
        match (passwords.get(&slot), live_slot) {
            (None, None) => {}
            (Some(_), None) => fields.push(field(name, "present", "absent")),
            (None, Some(_)) => fields.push(field(name, "absent", "present")),
            (Some(policy), Some(actual)) => {
                if let Some(problem) = password_problem(policy, actual.expiry, now) {
                    fields.push(field(&format!("{name}.expiry"), problem, actual.expiry));
                }
                let newest = recorded.creations.get(&(desired.name.to_string(), slot));
                let lost = recorded
                    .interrupted
                    .iter()
                    .find(|r| r.token == desired.name && r.slot == slot)
                    .filter(|r| r.generated_password(live).is_some());
                if let Some(rotation) = lost {
                    let mut lost = field(
                        &format!("{name}.creation_time"),
                        newest,
                        actual.creation_time,
                    );
                    lost.note = Some(format!(
                        "{}; `apply` with this secrets file rotates it again",
                        rotation.describe_lost()
                    ));
                    fields.push(lost);
                } else if let (Some(newest), Some(created)) = (newest, actual.creation_time)
                    && created > *newest
                {
                    fields.push(field(&format!("{name}.creation_time"), newest, created));
                }
            }
        }
    }
    fields
}

/// What the configuration says about a live expiry it disagrees with, if it does.
fn password_problem(
    policy: &PasswordPolicy,
    expiry: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<String> {
    if let Some(wanted) = policy.expiry {
        return (expiry != Some(wanted))
            .then(|| wanted.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    let lifetime = policy.expires_in?;
    match expiry {
        None => Some(format!("expires within {lifetime}")),
        Some(actual) if actual > now + lifetime.to_chrono() => {
            Some(format!("expires within {lifetime}"))
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests;
