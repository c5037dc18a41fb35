//! `registries/connectedRegistries`: create or replace, update, delete, deactivate, and the
//! resource body of the ConnectedRegistryGet example.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{parse_body, registry_or_404, system_data, token};
use crate::arm_error::ArmError;
use crate::change::{Change, Prepared, Reply};
use crate::ids::{ChildKind, RegistryRef, child_id, parse_child_id};
use crate::names::NameKind;
use crate::state::{ConnectedRegistry, Registry, State};

const MODES: [&str; 4] = ["ReadWrite", "ReadOnly", "Registry", "Mirror"];
const LOG_LEVELS: [&str; 5] = ["Debug", "Information", "Warning", "Error", "None"];
const AUDIT_LOG_STATUSES: [&str; 2] = ["Enabled", "Disabled"];

#[derive(Debug, Deserialize)]
struct Body<P> {
    properties: Option<P>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateProperties {
    mode: Option<String>,
    parent: Option<Parent>,
    client_token_ids: Option<Vec<String>>,
    logging: Option<Logging>,
    notifications_list: Option<Vec<String>>,
    garbage_collection: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateProperties {
    /// Not updatable; present only to be refused.
    mode: Option<Value>,
    /// Not updatable; present only to be refused.
    parent: Option<Value>,
    sync_properties: Option<SyncProperties>,
    client_token_ids: Option<Vec<String>>,
    logging: Option<Logging>,
    notifications_list: Option<Vec<String>>,
    garbage_collection: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parent {
    id: Option<String>,
    sync_properties: Option<SyncProperties>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SyncProperties {
    token_id: Option<String>,
    schedule: Option<String>,
    message_ttl: Option<String>,
    sync_window: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Logging {
    log_level: Option<String>,
    audit_log_status: Option<String>,
}

/// `value` as one of `allowed`, matched case-insensitively, in its canonical casing.
fn one_of(value: &str, allowed: &[&str], property: &str) -> Result<String, ArmError> {
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(value))
        .map(|a| (*a).to_owned())
        .ok_or_else(|| {
            ArmError::bad_request(
                "InvalidParameter",
                format!(
                    "The value '{value}' of '{property}' is invalid; expected one of {}.",
                    allowed.join(", ")
                ),
            )
        })
}

fn required(property: &str) -> ArmError {
    ArmError::invalid_content(format!(
        "The property '{property}' is required for a connected registry."
    ))
}

fn apply_logging(cr: &mut ConnectedRegistry, logging: Option<Logging>) -> Result<(), ArmError> {
    let Some(logging) = logging else {
        return Ok(());
    };
    if let Some(level) = logging.log_level {
        cr.log_level = one_of(&level, &LOG_LEVELS, "properties.logging.logLevel")?;
    }
    if let Some(status) = logging.audit_log_status {
        cr.audit_log_status = one_of(
            &status,
            &AUDIT_LOG_STATUSES,
            "properties.logging.auditLogStatus",
        )?;
    }
    Ok(())
}

/// Every client token id must name an existing token of the registry.
fn client_tokens(
    registry: &Registry,
    reference: &RegistryRef,
    ids: &[String],
) -> Result<Vec<String>, ArmError> {
    ids.iter()
        .map(|id| {
            Ok(
                token::resolve_id(registry, reference, id, "clientTokenIds")?
                    .name
                    .clone(),
            )
        })
        .collect()
}

/// The connected registry `name`, or ARM's 404.
fn find<'r>(
    registry: &'r Registry,
    reference: &RegistryRef,
    name: &str,
) -> Result<&'r ConnectedRegistry, ArmError> {
    registry
        .connected_registries
        .get(&name.to_ascii_lowercase())
        .ok_or_else(|| {
            ArmError::not_found(
                ChildKind::ConnectedRegistries.resource_type(),
                &format!("{}/{name}", reference.name),
                &reference.resource_group,
            )
        })
}

/// PUT: requires `mode`, `parent.syncProperties.tokenId` (an existing token) and `messageTtl`.
pub fn prepare_put(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    NameKind::ConnectedRegistry.check(name)?;
    let properties = parse_body::<Body<CreateProperties>>(body)?
        .properties
        .unwrap_or_default();
    let mode = properties.mode.ok_or_else(|| required("properties.mode"))?;
    let mode = one_of(&mode, &MODES, "properties.mode")?;
    let parent = properties
        .parent
        .ok_or_else(|| required("properties.parent"))?;
    let sync = parent
        .sync_properties
        .ok_or_else(|| required("properties.parent.syncProperties"))?;
    let token_id = sync
        .token_id
        .ok_or_else(|| required("properties.parent.syncProperties.tokenId"))?;
    let sync_token = token::resolve_id(registry, reference, &token_id, "tokenId")?
        .name
        .clone();
    let message_ttl = sync
        .message_ttl
        .ok_or_else(|| required("properties.parent.syncProperties.messageTtl"))?;
    if let Some(parent_id) = &parent.id {
        let parent_name = parse_child_id(
            reference,
            ChildKind::ConnectedRegistries,
            parent_id,
            "parent.id",
        )?;
        find(registry, reference, &parent_name)?;
    }
    let existing = registry
        .connected_registries
        .get(&name.to_ascii_lowercase());
    if let Some(old) = existing
        && (old.mode != mode || !old.sync_token.eq_ignore_ascii_case(&sync_token))
    {
        return Err(ArmError::bad_request(
            "OperationNotAllowed",
            format!(
                "The mode and sync token of the connected registry '{}' cannot be changed.",
                old.name
            ),
        ));
    }
    let mut cr = ConnectedRegistry {
        name: existing.map_or_else(|| name.to_owned(), |c| c.name.clone()),
        mode,
        parent_id: parent.id,
        sync_token,
        schedule: sync.schedule,
        message_ttl,
        sync_window: sync.sync_window,
        client_tokens: client_tokens(
            registry,
            reference,
            &properties.client_token_ids.unwrap_or_default(),
        )?,
        log_level: "Information".to_owned(),
        audit_log_status: "Disabled".to_owned(),
        notifications_list: properties.notifications_list,
        garbage_collection: properties.garbage_collection,
        created_at: existing.map_or(at, |c| c.created_at),
        modified_at: at,
        failed: false,
    };
    apply_logging(&mut cr, properties.logging)?;
    let rendered = render(registry, &cr, "Succeeded");
    let reply = if existing.is_some() {
        Reply::Updated(rendered)
    } else {
        Reply::Created(rendered)
    };
    Ok(Prepared {
        change: Change::PutConnectedRegistry(registry.props.key(), cr),
        reply,
    })
}

/// PATCH: `syncProperties` (not its `tokenId`), `logging`, `clientTokenIds`,
/// `notificationsList`, `garbageCollection`; `mode` and `parent` are refused.
pub fn prepare_patch(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let mut cr = find(registry, reference, name)?.clone();
    let properties = parse_body::<Body<UpdateProperties>>(body)?
        .properties
        .unwrap_or_default();
    if properties.mode.is_some() || properties.parent.is_some() {
        return Err(ArmError::bad_request(
            "OperationNotAllowed",
            "The mode and parent of a connected registry cannot be updated.",
        ));
    }
    if let Some(sync) = properties.sync_properties {
        if let Some(token_id) = sync.token_id {
            let token = token::resolve_id(registry, reference, &token_id, "tokenId")?;
            if !token.name.eq_ignore_ascii_case(&cr.sync_token) {
                return Err(ArmError::bad_request(
                    "OperationNotAllowed",
                    "The sync token of a connected registry cannot be updated.",
                ));
            }
        }
        cr.schedule = sync.schedule.or(cr.schedule);
        cr.sync_window = sync.sync_window.or(cr.sync_window);
        if let Some(ttl) = sync.message_ttl {
            cr.message_ttl = ttl;
        }
    }
    if let Some(ids) = properties.client_token_ids {
        cr.client_tokens = client_tokens(registry, reference, &ids)?;
    }
    apply_logging(&mut cr, properties.logging)?;
    if properties.notifications_list.is_some() {
        cr.notifications_list = properties.notifications_list;
    }
    if properties.garbage_collection.is_some() {
        cr.garbage_collection = properties.garbage_collection;
    }
    cr.modified_at = at;
    cr.failed = false;
    Ok(Prepared {
        reply: Reply::Updated(render(registry, &cr, "Succeeded")),
        change: Change::PutConnectedRegistry(registry.props.key(), cr),
    })
}

/// DELETE: 200, or 204 when there was none.
pub fn prepare_delete(
    state: &State,
    reference: &RegistryRef,
    name: &str,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let key = name.to_ascii_lowercase();
    let reply = if registry.connected_registries.contains_key(&key) {
        Reply::Deleted
    } else {
        Reply::Absent
    };
    let change = match reply {
        Reply::Deleted => Change::DeleteConnectedRegistry(registry.props.key(), key),
        _ => Change::None,
    };
    Ok(Prepared { change, reply })
}

/// POST …/deactivate: the emulated connected registry is never active, so this only checks
/// that it exists.
pub fn prepare_deactivate(
    state: &State,
    reference: &RegistryRef,
    name: &str,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    find(registry, reference, name)?;
    Ok(Prepared {
        change: Change::None,
        reply: Reply::Empty,
    })
}

/// The connected registry resource, shaped like the ConnectedRegistryGet example.
pub fn render(registry: &Registry, cr: &ConnectedRegistry, provisioning_state: &str) -> Value {
    let reference = registry.props.reference();
    let mut sync = json!({
        "tokenId": child_id(&reference, ChildKind::Tokens, &cr.sync_token),
        "messageTtl": cr.message_ttl,
    });
    if let Some(schedule) = &cr.schedule {
        sync["schedule"] = json!(schedule);
    }
    if let Some(window) = &cr.sync_window {
        sync["syncWindow"] = json!(window);
    }
    let mut parent = json!({ "syncProperties": sync });
    if let Some(id) = &cr.parent_id {
        parent["id"] = json!(id);
    }
    let client_token_ids: Vec<String> = cr
        .client_tokens
        .iter()
        .map(|t| child_id(&reference, ChildKind::Tokens, t))
        .collect();
    let mut properties = json!({
        "provisioningState": provisioning_state,
        "mode": cr.mode,
        "connectionState": "Offline",
        "activation": { "status": "Inactive" },
        "parent": parent,
        "logging": { "logLevel": cr.log_level, "auditLogStatus": cr.audit_log_status },
        "statusDetails": [],
    });
    // Real Azure leaves the key out when there are no client tokens.
    if !client_token_ids.is_empty() {
        properties["clientTokenIds"] = json!(client_token_ids);
    }
    if let Some(list) = &cr.notifications_list {
        properties["notificationsList"] = json!(list);
    }
    if let Some(gc) = &cr.garbage_collection {
        properties["garbageCollection"] = gc.clone();
    }
    json!({
        "id": child_id(&reference, ChildKind::ConnectedRegistries, &cr.name),
        "name": cr.name,
        "type": ChildKind::ConnectedRegistries.resource_type(),
        "systemData": system_data(cr.created_at, cr.modified_at),
        "properties": properties,
    })
}
