//! Drift: where the live registry differs from the configuration, object by object and field
//! by field. Pure: the caller passes the time and, optionally, what the secrets file recorded.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::model::{
    Desired, DesiredScopeMap, DesiredToken, Live, LiveScopeMap, LiveToken, PasswordPolicy,
    PasswordSlot,
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
}

/// One field that differs: what the configuration says and what the registry holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldDrift {
    pub name: String,
    pub config: serde_json::Value,
    pub live: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Drift {
    pub address: String,
    pub kind: DriftKind,
    /// Always present (empty for `missing` and `unmanaged`), so readers see one shape.
    pub fields: Vec<FieldDrift>,
}

/// Creation times the secrets file recorded, per token and slot: a live password created later
/// was rotated by someone else.
pub type RecordedCreations = BTreeMap<(String, PasswordSlot), DateTime<Utc>>;

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
            Some(actual) => changed(&mut drift, address, scope_map_fields(scope_map, actual)),
        }
    }
    for token in desired.tokens.values() {
        let address = format!("token.{}", token.name);
        match live.tokens.get(&token.name) {
            None => drift.push(missing(address)),
            Some(actual) => changed(
                &mut drift,
                address,
                token_fields(token, actual, now, recorded),
            ),
        }
    }
    for cr in desired.connected_registries.values() {
        let address = format!("connected_registry.{}", cr.name);
        match live.connected_registries.get(&cr.name) {
            None => drift.push(missing(address)),
            Some(actual) if actual.client_tokens != cr.client_tokens => changed(
                &mut drift,
                address,
                vec![field(
                    "client_tokens",
                    &cr.client_tokens,
                    &actual.client_tokens,
                )],
            ),
            Some(_) => {}
        }
    }
    let unmanaged_scope_maps = live
        .scope_maps
        .values()
        .filter(|s| !s.system && !desired.scope_maps.contains_key(&s.name))
        .map(|s| ("scope_map", s.name.as_str()));
    let unmanaged_tokens = live
        .tokens
        .values()
        .filter(|t| !desired.tokens.contains_key(&t.name))
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

fn field(name: &str, config: impl serde::Serialize, live: impl serde::Serialize) -> FieldDrift {
    FieldDrift {
        name: name.to_owned(),
        config: serde_json::to_value(config).unwrap_or_default(),
        live: serde_json::to_value(live).unwrap_or_default(),
    }
}

fn missing(address: String) -> Drift {
    Drift {
        address,
        kind: DriftKind::Missing,
        fields: vec![],
    }
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
    let wanted = desired.action_set();
    if wanted != live.actions || !live.unrecognised_actions.is_empty() {
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
                let newest = recorded.get(&(desired.name.to_string(), slot));
                if let (Some(newest), Some(created)) = (newest, actual.creation_time)
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
