//! The `/_emulator/state` test hook: the committed state in plain snake_case JSON, sorted by
//! name, references as names, never a password value.

use serde_json::{Value, json};

use crate::state::{Registry, State};
use crate::timestamp;

/// The whole state plus `stats`.
pub fn render(state: &State, stats: &Value) -> Value {
    let mut registries: Vec<&Registry> = state.registries.values().collect();
    registries.sort_by_key(|r| (r.props.name.to_ascii_lowercase(), r.props.key()));
    json!({
        "registries": registries.into_iter().map(render_registry).collect::<Vec<_>>(),
        "stats": stats,
    })
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
