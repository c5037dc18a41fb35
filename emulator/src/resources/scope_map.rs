//! `registries/scopeMaps`: create or replace, update, delete, and the resource body of the
//! ScopeMapGet example.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{parse_body, registry_or_404, system_data};
use crate::arm_error::ArmError;
use crate::change::{Change, Prepared, Reply};
use crate::ids::{ChildKind, RegistryRef, child_id};
use crate::names::NameKind;
use crate::scope_action::check_actions;
use crate::state::{Registry, ScopeMap, State};
use crate::timestamp;

#[derive(Debug, Deserialize)]
struct ScopeMapBody {
    properties: Option<ScopeMapProperties>,
}

#[derive(Debug, Default, Deserialize)]
struct ScopeMapProperties {
    description: Option<String>,
    actions: Option<Vec<String>>,
}

fn system_map_error(name: &str) -> ArmError {
    ArmError::bad_request(
        "OperationNotAllowed",
        format!(
            "The scope map '{name}' is a system-defined scope map and cannot be modified or deleted."
        ),
    )
}

/// The scope map `name` of `registry`, or ARM's 404.
pub fn find<'r>(
    registry: &'r Registry,
    reference: &RegistryRef,
    name: &str,
) -> Result<&'r ScopeMap, ArmError> {
    registry
        .scope_maps
        .get(&name.to_ascii_lowercase())
        .ok_or_else(|| {
            ArmError::not_found(
                ChildKind::ScopeMaps.resource_type(),
                &format!("{}/{name}", reference.name),
                &reference.resource_group,
            )
        })
}

/// PUT: `properties.actions` is required; 201 when new, 200 when replaced.
pub fn prepare_put(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    NameKind::ScopeMap.check(name)?;
    let properties = parse_body::<ScopeMapBody>(body)?
        .properties
        .unwrap_or_default();
    let existing = registry.scope_maps.get(&name.to_ascii_lowercase());
    if existing.is_some_and(|m| m.system) {
        return Err(system_map_error(name));
    }
    let actions = properties.actions.ok_or_else(|| {
        ArmError::invalid_content("The property 'properties.actions' is required for a scope map.")
    })?;
    check_actions(&actions)?;
    if existing.is_none() {
        let limit = registry.props.sku.token_and_scope_map_limit();
        if registry.user_scope_map_count() >= limit {
            return Err(ArmError::bad_request(
                "QuotaExceeded",
                format!(
                    "The registry '{}' already has {limit} scope maps, the limit of the {} tier.",
                    registry.props.name, registry.props.sku
                ),
            ));
        }
    }
    let map = ScopeMap {
        name: existing.map_or_else(|| name.to_owned(), |m| m.name.clone()),
        description: properties.description,
        system: false,
        actions,
        created_at: existing.map_or(at, |m| m.created_at),
        modified_at: at,
        failed: false,
    };
    let rendered = render(registry, &map, "Succeeded");
    let reply = if existing.is_some() {
        Reply::Updated(rendered)
    } else {
        Reply::Created(rendered)
    };
    Ok(Prepared {
        change: Change::PutScopeMap(registry.props.key(), map),
        reply,
    })
}

/// PATCH: `description` and `actions` (the whole list), each only when present.
pub fn prepare_patch(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let existing = find(registry, reference, name)?;
    if existing.system {
        return Err(system_map_error(&existing.name));
    }
    let properties = parse_body::<ScopeMapBody>(body)?
        .properties
        .unwrap_or_default();
    let mut map = existing.clone();
    if let Some(actions) = properties.actions {
        check_actions(&actions)?;
        map.actions = actions;
    }
    if let Some(description) = properties.description {
        map.description = Some(description);
    }
    map.modified_at = at;
    map.failed = false;
    Ok(Prepared {
        reply: Reply::Updated(render(registry, &map, "Succeeded")),
        change: Change::PutScopeMap(registry.props.key(), map),
    })
}

/// DELETE: 409 while a token uses the scope map; system maps are never deleted.
pub fn prepare_delete(
    state: &State,
    reference: &RegistryRef,
    name: &str,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let key = name.to_ascii_lowercase();
    let Some(map) = registry.scope_maps.get(&key) else {
        return Ok(Prepared {
            change: Change::None,
            reply: Reply::Absent,
        });
    };
    if map.system {
        return Err(system_map_error(&map.name));
    }
    let users: Vec<&str> = registry
        .tokens
        .values()
        .filter(|t| t.scope_map.eq_ignore_ascii_case(&key))
        .map(|t| t.name.as_str())
        .take(5)
        .collect();
    if !users.is_empty() {
        return Err(ArmError::conflict(format!(
            "The scope map '{}' cannot be deleted because it is used by the token(s) {}.",
            map.name,
            users.join(", ")
        )));
    }
    Ok(Prepared {
        change: Change::DeleteScopeMap(registry.props.key(), key),
        reply: Reply::Deleted,
    })
}

/// The scope map resource, shaped like the ScopeMapGet example (system scope maps as real
/// Azure lists them: `"type": "SystemDefined"`, no `systemData`).
pub fn render(registry: &Registry, map: &ScopeMap, provisioning_state: &str) -> Value {
    let mut properties = json!({
        "type": if map.system { "SystemDefined" } else { "UserDefined" },
        "creationDate": timestamp::format(map.created_at),
        "provisioningState": provisioning_state,
        "actions": map.actions,
    });
    if let Some(description) = &map.description {
        properties["description"] = json!(description);
    }
    let mut body = json!({
        "id": child_id(&registry.props.reference(), ChildKind::ScopeMaps, &map.name),
        "name": map.name,
        "type": ChildKind::ScopeMaps.resource_type(),
        "properties": properties,
    });
    // Real Azure lists system scope maps without `systemData`.
    if !map.system {
        body["systemData"] = system_data(map.created_at, map.modified_at);
    }
    body
}
