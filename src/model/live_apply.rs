//! Applies a `WriteOp` to an in-memory `Live`, exactly as the service would. The snapshot
//! backend writes through it, and property tests use it to check that a plan, once applied,
//! leaves nothing to change.

use chrono::{DateTime, Utc};

use super::{Live, LivePassword, LiveScopeMap, LiveToken, WriteOp};

/// Why the registry refused a write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveApplyError {
    #[error("{0} does not exist")]
    Missing(String),
    #[error("{0} already exists")]
    Exists(String),
    #[error("{0}")]
    Conflict(String),
}

impl Live {
    /// Performs `op`. A `GeneratePassword` records the slot with `now` as its creation time;
    /// the value itself is the caller's to make.
    pub fn apply(&mut self, op: &WriteOp, now: DateTime<Utc>) -> Result<(), LiveApplyError> {
        use LiveApplyError::{Conflict, Exists, Missing};
        match op {
            WriteOp::CreateScopeMap {
                name,
                description,
                actions,
            } => {
                if self.scope_maps.contains_key(name) {
                    return Err(Exists(format!("scope map `{name}`")));
                }
                let scope_map = LiveScopeMap {
                    name: name.clone(),
                    description: description.clone().unwrap_or_default(),
                    actions: actions.clone(),
                    unrecognised_actions: std::collections::BTreeSet::new(),
                    system: false,
                    provisioning_state: crate::model::ProvisioningState::Succeeded,
                };
                self.scope_maps.insert(name.clone(), scope_map);
            }
            WriteOp::UpdateScopeMap {
                name,
                description,
                actions,
            } => {
                let scope_map = self
                    .scope_maps
                    .get_mut(name)
                    .ok_or_else(|| Missing(format!("scope map `{name}`")))?;
                if scope_map.system {
                    return Err(Conflict(format!(
                        "system scope map `{name}` cannot be changed"
                    )));
                }
                if let Some(description) = description {
                    scope_map.description.clone_from(description);
                }
                if let Some(actions) = actions {
                    scope_map.actions.clone_from(actions);
                    scope_map.unrecognised_actions.clear();
                }
                scope_map.provisioning_state = crate::model::ProvisioningState::Succeeded;
            }
            WriteOp::DeleteScopeMap { name } => {
                if let Some(token) = self.tokens.values().find(|t| &t.scope_map == name) {
                    return Err(Conflict(format!(
                        "scope map `{name}` is used by token `{}`",
                        token.name
                    )));
                }
                match self.scope_maps.get(name) {
                    None => {}
                    Some(s) if s.system => {
                        return Err(Conflict(format!(
                            "system scope map `{name}` cannot be deleted"
                        )));
                    }
                    Some(_) => {
                        self.scope_maps.remove(name);
                    }
                }
            }
            WriteOp::CreateToken {
                name,
                scope_map,
                status,
            } => {
                if self.tokens.contains_key(name) {
                    return Err(Exists(format!("token `{name}`")));
                }
                if !self.scope_maps.contains_key(scope_map) {
                    return Err(Missing(format!("scope map `{scope_map}`")));
                }
                let token = LiveToken {
                    name: name.clone(),
                    scope_map: scope_map.clone(),
                    status: *status,
                    passwords: Vec::new(),
                    provisioning_state: crate::model::ProvisioningState::Succeeded,
                };
                self.tokens.insert(name.clone(), token);
            }
            WriteOp::UpdateToken {
                name,
                scope_map,
                status,
                keep_passwords,
            } => {
                if let Some(scope_map) = scope_map
                    && !self.scope_maps.contains_key(scope_map)
                {
                    return Err(Missing(format!("scope map `{scope_map}`")));
                }
                let token = self
                    .tokens
                    .get_mut(name)
                    .ok_or_else(|| Missing(format!("token `{name}`")))?;
                if let Some(scope_map) = scope_map {
                    token.scope_map = scope_map.clone();
                }
                if let Some(status) = status {
                    token.status = *status;
                }
                if let Some(keep) = keep_passwords {
                    token.passwords.retain(|p| keep.contains(&p.name));
                }
                token.provisioning_state = crate::model::ProvisioningState::Succeeded;
            }
            WriteOp::DeleteToken { name } => {
                if let Some(cr) = self
                    .connected_registries
                    .values()
                    .find(|cr| &cr.sync_token == name)
                {
                    return Err(Conflict(format!(
                        "token `{name}` is the sync token of connected registry `{}`",
                        cr.name
                    )));
                }
                self.tokens.remove(name);
                for cr in self.connected_registries.values_mut() {
                    cr.client_tokens.remove(name);
                }
            }
            WriteOp::GeneratePassword {
                token,
                slot,
                expiry,
            } => {
                let token = self
                    .tokens
                    .get_mut(token)
                    .ok_or_else(|| Missing(format!("token `{token}`")))?;
                token.passwords.retain(|p| p.name != *slot);
                token.passwords.push(LivePassword {
                    name: *slot,
                    creation_time: Some(now),
                    expiry: *expiry,
                });
                token.passwords.sort_by_key(|p| p.name);
            }
            WriteOp::SetAdminUser { enabled } => self.registry.admin_user_enabled = *enabled,
            WriteOp::SetClientTokens {
                connected_registry,
                client_tokens,
            } => {
                if let Some(missing) = client_tokens.iter().find(|t| !self.tokens.contains_key(*t))
                {
                    return Err(Missing(format!("token `{missing}`")));
                }
                let cr = self
                    .connected_registries
                    .get_mut(connected_registry)
                    .ok_or_else(|| Missing(format!("connected registry `{connected_registry}`")))?;
                cr.client_tokens.clone_from(client_tokens);
                cr.provisioning_state = crate::model::ProvisioningState::Succeeded;
            }
        }
        Ok(())
    }
}
