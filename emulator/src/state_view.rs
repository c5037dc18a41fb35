//! The `/_emulator/state` test hook: the committed state in plain snake_case JSON, sorted by
//! name, references as names, never a password value, nor a Key Vault secret's value.

use serde_json::{Value, json};

use crate::key_vault::store::{SecretVersion, Vault};
use crate::password_value;
use crate::state::{Registry, State};
use crate::timestamp;

/// The whole state plus `stats`.
pub fn render(state: &State, stats: &Value) -> Value {
    let mut registries: Vec<&Registry> = state.registries.values().collect();
    registries.sort_by_key(|r| (r.props.name.to_ascii_lowercase(), r.props.key()));
    json!({
        "registries": registries.into_iter().map(render_registry).collect::<Vec<_>>(),
        "vaults": state.vaults.values().map(|v| render_vault(state, v)).collect::<Vec<_>>(),
        "stats": stats,
    })
}

/// A vault's secrets, each version oldest first with its attributes and tags; a version whose
/// tags name a token slot (`registry`, `token`, `slot`) says whether it holds that slot's
/// current password (`is_current`).
fn render_vault(state: &State, vault: &Vault) -> Value {
    let secrets: Vec<Value> = vault
        .secrets
        .values()
        .map(|secret| {
            let versions: Vec<Value> = secret
                .versions
                .iter()
                .map(|v| {
                    let mut version = json!({
                        "version": v.version,
                        "enabled": v.enabled,
                        "not_before": v.not_before,
                        "expires": v.expires,
                        "created": timestamp::format(v.created),
                        "updated": timestamp::format(v.updated),
                        "content_type": v.content_type,
                        "tags": v.tags,
                    });
                    if let Some(current) = is_current(state, v) {
                        version["is_current"] = json!(current);
                    }
                    version
                })
                .collect();
            json!({ "name": secret.name, "versions": versions })
        })
        .collect();
    json!({ "name": vault.name, "secrets": secrets })
}

/// Whether `version` holds the current password of the token slot its tags name; `None` when
/// they name none. The registry tag may be the registry's name, login server or resource id.
fn is_current(state: &State, version: &SecretVersion) -> Option<bool> {
    let tag = |name: &str| version.tags.get(name).map(String::as_str);
    let (registry, token, slot) = (tag("registry")?, tag("token")?, tag("slot")?);
    if slot != "password1" && slot != "password2" {
        return None;
    }
    let digest = password_value::sha256(&version.value);
    let names_registry = |r: &Registry| {
        let name = &r.props.name;
        registry.eq_ignore_ascii_case(name)
            || registry.eq_ignore_ascii_case(&format!("{name}.azurecr.io"))
            || registry.eq_ignore_ascii_case(&r.props.reference().id())
    };
    Some(
        state
            .registries
            .values()
            .filter(|r| names_registry(r))
            .filter_map(|r| r.tokens.get(&token.to_ascii_lowercase()))
            .flat_map(|t| &t.passwords)
            .any(|p| p.name == slot && p.value_sha256.as_deref() == Some(digest.as_str())),
    )
}

fn render_registry(registry: &Registry) -> Value {
    let scope_maps: Vec<Value> = registry
        .scope_maps
        .values()
        .map(|m| {
            json!({
                "name": m.name,
                "description": m.description,
                "type": if m.system { "SystemDefined" } else { "UserDefined" },
                "actions": m.actions,
            })
        })
        .collect();
    let tokens: Vec<Value> = registry
        .tokens
        .values()
        .map(|t| {
            let passwords: Vec<Value> = t
                .passwords
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "creation_time": timestamp::format(p.creation_time),
                        "expiry": p.expiry.map(timestamp::format),
                    })
                })
                .collect();
            json!({
                "name": t.name,
                "scope_map": t.scope_map,
                "status": t.status,
                "passwords": passwords,
            })
        })
        .collect();
    let connected: Vec<Value> = registry
        .connected_registries
        .values()
        .map(|c| {
            json!({
                "name": c.name,
                "mode": c.mode,
                "sync_token": c.sync_token,
                "client_tokens": c.client_tokens,
            })
        })
        .collect();
    json!({
        "subscription": registry.props.subscription,
        "resource_group": registry.props.resource_group,
        "name": registry.props.name,
        "sku": registry.props.sku.as_str(),
        "admin_user_enabled": registry.props.admin_user_enabled,
        "scope_maps": scope_maps,
        "tokens": tokens,
        "connected_registries": connected,
        "creations": registry.creations,
    })
}
