//! A write, decided: what it changes in the state (`Change`) and what the client is told
//! (`Reply`). Deciding reads the state; committing is the only step that mutates it, so an
//! asynchronous operation can decide at request time and commit when it completes.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::state::{ConnectedRegistry, Password, RegistryProps, ScopeMap, State, Token};
use crate::system_scope_maps::system_scope_maps;
use crate::timestamp;

/// A state mutation. Keys are registry keys and lower-case child names.
#[derive(Debug, Clone)]
pub enum Change {
    /// Creates the registry (with its system scope maps) or replaces its settings.
    PutRegistry(RegistryProps),
    DeleteRegistry(String),
    PutScopeMap(String, ScopeMap),
    DeleteScopeMap(String, String),
    PutToken(String, Token),
    /// Deletes the token and drops it from every connected registry's client tokens.
    DeleteToken(String, String),
    PutConnectedRegistry(String, ConnectedRegistry),
    DeleteConnectedRegistry(String, String),
    /// Generates new values for `slots` of a token and records their metadata.
    GenerateCredentials {
        registry: String,
        token: String,
        slots: Vec<&'static str>,
        expiry: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    },
    None,
}

/// What the synchronous answer is (the asynchronous one is derived from it).
#[derive(Debug, Clone)]
pub enum Reply {
    /// 201 with the new resource.
    Created(Value),
    /// 200 with the replaced or updated resource.
    Updated(Value),
    /// 200, no body: deleted.
    Deleted,
    /// 204: there was nothing to delete.
    Absent,
    /// 200 with the value `commit` returns (generateCredentials).
    Result,
    /// 200, no body (deactivate).
    Empty,
}

/// A decided write.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub change: Change,
    pub reply: Reply,
}

/// Applies `change`; returns the body of `Reply::Result` writes.
pub fn commit(state: &mut State, change: Change) -> Option<Value> {
    match change {
        Change::PutRegistry(props) => {
            let key = props.key();
            if let Some(registry) = state.registries.get_mut(&key) {
                registry.props = props;
            } else {
                let registry = crate::state::Registry {
                    scope_maps: system_scope_maps(
                        props.created_at,
                        state.new_registry_system_scope_maps,
                    ),
                    tokens: std::collections::BTreeMap::new(),
                    connected_registries: std::collections::BTreeMap::new(),
                    creations: std::collections::BTreeMap::new(),
                    props,
                };
                state.registries.insert(key, registry);
            }
        }
        Change::DeleteRegistry(key) => {
            state.registries.remove(&key);
        }
        Change::PutScopeMap(key, map) => {
            if let Some(r) = state.registry_mut(&key) {
                let name = map.name.clone();
                if r.scope_maps
                    .insert(name.to_ascii_lowercase(), map)
                    .is_none()
                {
                    r.count_creation("scope_maps", &name);
                }
            }
        }
        Change::DeleteScopeMap(key, name) => {
            if let Some(r) = state.registry_mut(&key) {
                r.scope_maps.remove(&name);
            }
        }
        Change::PutToken(key, token) => {
            if let Some(r) = state.registry_mut(&key) {
                let name = token.name.clone();
                if r.tokens.insert(name.to_ascii_lowercase(), token).is_none() {
                    r.count_creation("tokens", &name);
                }
            }
        }
        Change::DeleteToken(key, name) => {
            if let Some(r) = state.registry_mut(&key) {
                r.tokens.remove(&name);
                for cr in r.connected_registries.values_mut() {
                    cr.client_tokens.retain(|t| !t.eq_ignore_ascii_case(&name));
                }
            }
        }
        Change::PutConnectedRegistry(key, cr) => {
            if let Some(r) = state.registry_mut(&key) {
                let name = cr.name.clone();
                if r.connected_registries
                    .insert(name.to_ascii_lowercase(), cr)
                    .is_none()
                {
                    r.count_creation("connected_registries", &name);
                }
            }
        }
        Change::DeleteConnectedRegistry(key, name) => {
            if let Some(r) = state.registry_mut(&key) {
                r.connected_registries.remove(&name);
            }
        }
        Change::GenerateCredentials {
            registry,
            token,
            slots,
            expiry,
            at,
        } => {
            let token = state.registry_mut(&registry)?.tokens.get_mut(&token)?;
            return Some(generate(token, &slots, expiry, at));
        }
        Change::None => {}
    }
    None
}

fn generate(
    token: &mut Token,
    slots: &[&'static str],
    expiry: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Value {
    let mut passwords = Vec::new();
    for &slot in slots {
        let value = crate::password_value::generate();
        token.passwords.retain(|p| p.name != slot);
        token.passwords.push(Password {
            name: slot.to_owned(),
            creation_time: at,
            expiry,
            value_sha256: Some(crate::password_value::sha256(&value)),
        });
        let mut password = json!({
            "creationTime": timestamp::format_with_offset(at),
            "name": slot,
            "value": value,
        });
        if let Some(expiry) = expiry {
            password["expiry"] = json!(timestamp::format(expiry));
        }
        passwords.push(password);
    }
    token.passwords.sort_by(|a, b| a.name.cmp(&b.name));
    token.modified_at = at;
    json!({ "username": token.name, "passwords": passwords })
}
