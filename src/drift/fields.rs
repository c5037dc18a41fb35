//! Each change of a plan, told as the difference it puts right: an object missing from the
//! registry, one under `removed` still there, an undeclared one the `unmanaged` policy removes
//! or disables, or the fields of a declared one that differ (the configuration's value, then
//! the live one).

use std::collections::BTreeMap;

use super::{Drift, DriftKind, FieldDrift, RecordedCreations};
use crate::model::{
    Desired, Live, LiveToken, PasswordPolicy, PasswordSlot, TokenName, UnmanagedScopeMaps,
    UnmanagedTokens,
};
use crate::plan::{Address, Change, ChangeKind, ObjectState, timestamp};

pub(super) fn field(
    name: &str,
    config: impl serde::Serialize,
    live: impl serde::Serialize,
) -> FieldDrift {
    FieldDrift {
        name: name.to_owned(),
        config: serde_json::to_value(config).unwrap_or_default().into(),
        live: serde_json::to_value(live).unwrap_or_default().into(),
        note: None,
    }
}

/// One drifted object being assembled: its own fields first, then each password slot's.
struct Entry {
    kind: DriftKind,
    note: Option<String>,
    fields: Vec<FieldDrift>,
    slots: BTreeMap<PasswordSlot, Vec<FieldDrift>>,
}

/// The drift found so far, per object address.
#[derive(Default)]
pub(super) struct Objects {
    objects: BTreeMap<Address, Entry>,
}

impl Objects {
    fn entry(&mut self, address: Address, kind: DriftKind) -> &mut Entry {
        self.objects.entry(address).or_insert_with(|| Entry {
            kind,
            note: None,
            fields: Vec::new(),
            slots: BTreeMap::new(),
        })
    }

    /// Adds the difference `change` puts right.
    pub(super) fn add(
        &mut self,
        change: &Change,
        desired: &Desired,
        live: &Live,
        recorded: &RecordedCreations,
    ) {
        let address = change.address.clone();
        let declared = match &change.address {
            Address::Token(name) => desired.tokens.contains_key(name),
            Address::ScopeMap(name) => desired.scope_maps.contains_key(name),
            _ => true,
        };
        let removed = match &change.address {
            Address::Token(name) => desired.removed.tokens.contains_key(name),
            Address::ScopeMap(name) => desired.removed.scope_maps.contains(name),
            _ => false,
        };
        match &change.address {
            // Under `removed`: deleted, or disabled (then its status is what differs).
            _ if removed => {
                let entry = self.entry(address, DriftKind::Removed);
                changed_fields(change.before.as_ref(), change.after.as_ref(), entry);
            }
            _ if !declared => self
                .entry(address, DriftKind::Unmanaged)
                .note
                .clone_from(&change.note),
            Address::Password(token, slot) => {
                // A new token's passwords are part of its being missing.
                if let Some(live_token) = live.tokens.get(token) {
                    let policy = desired
                        .tokens
                        .get(token)
                        .and_then(|t| t.passwords.as_ref())
                        .and_then(|p| p.get(slot));
                    let found = password_field(change, *slot, policy, live_token, recorded);
                    let entry = self.entry(Address::Token(token.clone()), DriftKind::Changed);
                    entry.slots.entry(*slot).or_default().push(found);
                }
            }
            _ if change.kind == ChangeKind::Create => {
                self.entry(address, DriftKind::Missing);
            }
            _ => {
                let entry = self.entry(address, DriftKind::Changed);
                changed_fields(change.before.as_ref(), change.after.as_ref(), entry);
                // An object that has not settled is written again even where no field differs.
                let state = match &change.address {
                    Address::Token(name) => live.tokens.get(name).map(|t| t.provisioning_state),
                    Address::ScopeMap(name) => {
                        live.scope_maps.get(name).map(|m| m.provisioning_state)
                    }
                    _ => None,
                };
                if let Some(state) = state.filter(|s| !s.is_succeeded()) {
                    entry.fields.push(field(
                        "provisioning_state",
                        crate::model::ProvisioningState::Succeeded.as_str(),
                        state.as_str(),
                    ));
                }
            }
        }
    }

    /// What only the secrets file shows: a live password created after the one it holds.
    pub(super) fn add_recorded_creations(
        &mut self,
        desired: &Desired,
        live: &Live,
        recorded: &RecordedCreations,
    ) {
        for token in desired.tokens.values() {
            let (Some(slots), Some(live_token)) = (&token.passwords, live.tokens.get(&token.name))
            else {
                continue;
            };
            for &slot in slots.keys() {
                let newest = recorded.creations.get(&(token.name.to_string(), slot));
                let created = live_token.password(slot).and_then(|p| p.creation_time);
                let (Some(newest), Some(created)) = (newest, created) else {
                    continue;
                };
                if created <= *newest || lost(recorded, &token.name, slot, live_token) {
                    continue;
                }
                let mut found = field(&format!("{slot}.creation_time"), newest, created);
                found.note = Some(format!(
                    "created after the password the secrets file holds, which no longer works; \
                     `scopeform apply --replace token.{}.{slot} --secrets-out FILE` gives the \
                     file a working one",
                    token.name
                ));
                let entry = self.entry(Address::Token(token.name.clone()), DriftKind::Changed);
                entry.slots.entry(slot).or_default().push(found);
            }
        }
    }

    /// What only Key Vault shows: a live password that is not the newest version there.
    pub(super) fn add_not_in_key_vault(&mut self, live: &Live, recorded: &RecordedCreations) {
        for gap in &recorded.not_in_key_vault {
            let created = live
                .tokens
                .get(&gap.token)
                .and_then(|t| t.password(gap.slot))
                .and_then(|p| p.creation_time);
            let in_vault = gap
                .in_vault
                .map_or_else(|| "no version".to_owned(), timestamp);
            let mut found = field(&format!("{}.creation_time", gap.slot), in_vault, created);
            found.note = Some(format!(
                "not in Key Vault: the newest version of secret `{}` for this slot is {}, so a \
                 consumer reading Key Vault does not have this password; `scopeform apply` \
                 rotates it again and delivers the new one",
                gap.secret,
                gap.in_vault.map_or_else(
                    || "missing".to_owned(),
                    |t| format!("the password created {}", timestamp(t))
                ),
            ));
            let entry = self.entry(Address::Token(gap.token.clone()), DriftKind::Changed);
            let slot = entry.slots.entry(gap.slot).or_default();
            if !slot.iter().any(|f| f.name == found.name) {
                slot.push(found);
            }
        }
    }

    /// Every drifted object, sorted by address as written (`connected_registry.…` first).
    pub(super) fn into_drift(self) -> Vec<Drift> {
        let mut drift: Vec<Drift> = self
            .objects
            .into_iter()
            .map(|(address, entry)| {
                let mut fields = entry.fields;
                fields.extend(entry.slots.into_values().flatten());
                Drift {
                    address,
                    kind: entry.kind,
                    fields,
                    note: entry.note,
                }
            })
            .collect();
        drift.sort_by_cached_key(|d| d.address.to_string());
        drift
    }
}

/// Whether the live password in `slot` was generated by an interrupted apply and never saved.
fn lost(
    recorded: &RecordedCreations,
    token: &TokenName,
    slot: PasswordSlot,
    live: &LiveToken,
) -> bool {
    recorded
        .interrupted
        .iter()
        .any(|r| r.token == *token && r.slot == slot && r.generated_password(live).is_some())
}

/// What a password policy asks of the expiry, in a few words.
fn describe(policy: Option<&PasswordPolicy>) -> String {
    let Some(policy) = policy else {
        return "not declared".to_owned();
    };
    if let Some(fixed) = policy.expiry {
        return timestamp(fixed);
    }
    match (policy.expires_in, policy.rotate_before) {
        (Some(lifetime), Some(margin)) => {
            format!("expires within {lifetime}, rotated {margin} before")
        }
        (Some(lifetime), None) => format!("expires within {lifetime}"),
        (None, Some(margin)) => format!("rotated {margin} before it expires"),
        (None, None) => "not expired".to_owned(),
    }
}

/// The field a new password for a slot that holds one puts right, with the plan's reason.
fn password_field(
    change: &Change,
    slot: PasswordSlot,
    policy: Option<&PasswordPolicy>,
    live: &LiveToken,
    recorded: &RecordedCreations,
) -> FieldDrift {
    let name = slot.as_str();
    let Some(current) = live.password(slot) else {
        return field(name, "present", "absent");
    };
    if lost(recorded, &live.name, slot, live) {
        let newest = recorded.creations.get(&(live.name.to_string(), slot));
        let mut found = field(
            &format!("{name}.creation_time"),
            newest,
            current.creation_time,
        );
        if let Some(r) = recorded
            .interrupted
            .iter()
            .find(|r| r.token == live.name && r.slot == slot)
        {
            found.note = Some(format!(
                "{}; `apply` with this secrets file rotates it again",
                r.describe_lost()
            ));
        }
        return found;
    }
    let mut found = field(&format!("{name}.expiry"), describe(policy), current.expiry);
    found.note.clone_from(&change.note);
    found
}

/// The fields of a declared object that an update puts right, from its states before and after.
fn changed_fields(before: Option<&ObjectState>, after: Option<&ObjectState>, entry: &mut Entry) {
    let (Some(before), Some(after)) = (before, after) else {
        return;
    };
    match (before, after) {
        (
            ObjectState::ScopeMap {
                description: live_description,
                actions: live_actions,
            },
            ObjectState::ScopeMap {
                description,
                actions,
            },
        ) => {
            if let Some(description) = description
                && Some(description) != live_description.as_ref()
            {
                entry
                    .fields
                    .push(field("description", description, live_description));
            }
            if actions != live_actions {
                entry.fields.push(field("actions", actions, live_actions));
            }
        }
        (
            ObjectState::Token {
                scope_map: live_scope_map,
                status: live_status,
                passwords: live_slots,
            },
            ObjectState::Token {
                scope_map,
                status,
                passwords: slots,
            },
        ) => {
            if scope_map != live_scope_map {
                entry
                    .fields
                    .push(field("scope_map", scope_map, live_scope_map));
            }
            if status != live_status {
                entry.fields.push(field("status", status, live_status));
            }
            if let (Some(live_slots), Some(slots)) = (live_slots, slots) {
                for &slot in live_slots.difference(slots) {
                    let removed = field(slot.as_str(), "absent", "present");
                    entry.slots.entry(slot).or_default().push(removed);
                }
            }
        }
        (ObjectState::AdminUser { enabled: live }, ObjectState::AdminUser { enabled }) => {
            entry.fields.push(field("enabled", enabled, live));
        }
        (
            ObjectState::ConnectedRegistry {
                client_tokens: live,
            },
            ObjectState::ConnectedRegistry { client_tokens },
        ) => entry
            .fields
            .push(field("client_tokens", client_tokens, live)),
        _ => {}
    }
}

/// Why the plan leaves an undeclared object alone.
pub(super) fn why_left_alone(address: &Address, desired: &Desired, live: &Live) -> String {
    match address {
        Address::Token(name) => match desired.unmanaged.tokens {
            UnmanagedTokens::Ignore => {
                "not in the configuration, and unmanaged.tokens is ignore".to_owned()
            }
            UnmanagedTokens::Disable => "not in the configuration, and already disabled as \
                                         unmanaged.tokens (disable) asks"
                .to_owned(),
            UnmanagedTokens::Delete if live.is_sync_token(name) => {
                "not in the configuration, and already disabled: a sync token is disabled \
                 rather than deleted"
                    .to_owned()
            }
            UnmanagedTokens::Delete => "not in the configuration".to_owned(),
        },
        Address::ScopeMap(_) => match desired.unmanaged.scope_maps {
            UnmanagedScopeMaps::Ignore => {
                "not in the configuration, and unmanaged.scope_maps is ignore".to_owned()
            }
            UnmanagedScopeMaps::Delete => {
                "not in the configuration, and kept: a token still uses it".to_owned()
            }
        },
        _ => "left as it is".to_owned(),
    }
}
