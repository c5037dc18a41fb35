//! One module per ARM resource: how its request bodies are read and checked, how a write is
//! decided against the state, and how the resource is rendered.

pub mod connected_registry;
pub mod credentials;
pub mod registry;
pub mod scope_map;
pub mod token;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::arm_error::ArmError;
use crate::ids::{REGISTRY_TYPE, RegistryRef};
use crate::state::{Registry, State};
use crate::timestamp;

/// Who the emulator says created and changed everything.
const ACTOR: &str = "acr-emulator";

/// Reads a JSON request body; an empty or malformed body is ARM's `InvalidRequestContent`.
pub fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ArmError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ArmError::invalid_content(
            "The request content was invalid and could not be deserialized: the body is empty.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ArmError::invalid_content(format!(
            "The request content was invalid and could not be deserialized: {e}."
        ))
    })
}

/// The common-types `systemData` block.
pub fn system_data(created: DateTime<Utc>, modified: DateTime<Utc>) -> Value {
    json!({
        "createdBy": ACTOR,
        "createdByType": "Application",
        "createdAt": timestamp::format(created),
        "lastModifiedBy": ACTOR,
        "lastModifiedByType": "Application",
        "lastModifiedAt": timestamp::format(modified),
    })
}

/// The registry a request addresses, or ARM's 404.
pub fn registry_or_404<'s>(
    state: &'s State,
    registry: &RegistryRef,
) -> Result<&'s Registry, ArmError> {
    state
        .registry(registry)
        .ok_or_else(|| ArmError::not_found(REGISTRY_TYPE, &registry.name, &registry.resource_group))
}

/// `body` with `properties.provisioningState` replaced.
pub fn with_provisioning_state(mut body: Value, provisioning_state: &str) -> Value {
    if let Some(properties) = body.get_mut("properties").and_then(Value::as_object_mut) {
        properties.insert("provisioningState".to_owned(), json!(provisioning_state));
    }
    body
}
