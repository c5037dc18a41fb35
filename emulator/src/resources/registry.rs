//! `Microsoft.ContainerRegistry/registries`: create or replace (PUT), update (PATCH), delete,
//! and the resource body of the RegistryGet example.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{parse_body, registry_or_404, system_data};
use crate::arm_error::ArmError;
use crate::change::{Change, Prepared, Reply};
use crate::ids::{REGISTRY_TYPE, RegistryRef};
use crate::names::NameKind;
use crate::sku::Sku;
use crate::state::{RegistryProps, State};
use crate::timestamp;

/// Writable registry properties the emulator keeps as sent (besides `adminUserEnabled` and
/// `dataEndpointEnabled`, which it models).
const SETTINGS: [&str; 9] = [
    "networkRuleSet",
    "policies",
    "encryption",
    "publicNetworkAccess",
    "networkRuleBypassOptions",
    "networkRuleBypassAllowedForTasks",
    "zoneRedundancy",
    "anonymousPullEnabled",
    "roleAssignmentMode",
];

#[derive(Debug, Deserialize)]
struct RegistryBody {
    location: Option<String>,
    tags: Option<BTreeMap<String, String>>,
    sku: Option<SkuBody>,
    properties: Option<Map<String, Value>>,
}

#[derive(Debug, Deserialize)]
struct SkuBody {
    name: Option<String>,
}

/// The defaults of the RegistryGet example for the settings the emulator does not model.
fn default_settings() -> Map<String, Value> {
    let defaults = json!({
        "networkRuleSet": { "defaultAction": "Allow", "ipRules": [] },
        "policies": {
            "quarantinePolicy": { "status": "disabled" },
            "trustPolicy": { "type": "Notary", "status": "disabled" },
            "retentionPolicy": { "days": 7, "status": "disabled" },
            "exportPolicy": { "status": "enabled" },
            "azureADAuthenticationAsArmPolicy": { "status": "enabled" }
        },
        "encryption": { "status": "disabled" },
        "publicNetworkAccess": "Enabled",
        "networkRuleBypassOptions": "AzureServices",
        "networkRuleBypassAllowedForTasks": false,
        "zoneRedundancy": "Disabled",
        "anonymousPullEnabled": false,
        "roleAssignmentMode": "LegacyRegistryPermissions"
    });
    match defaults {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// ARM compares locations without case or spaces (`West US` is `westus`).
fn normalize_location(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn parse_sku(sku: Option<&SkuBody>) -> Result<Option<Sku>, ArmError> {
    match sku.and_then(|s| s.name.as_deref()) {
        None => Ok(None),
        Some(name) => name
            .parse::<Sku>()
            .map(Some)
            .map_err(|e| ArmError::bad_request("InvalidSku", e)),
    }
}

/// Copies the writable properties of a PUT or PATCH body onto `props`.
fn apply_properties(
    props: &mut RegistryProps,
    properties: &Map<String, Value>,
) -> Result<(), ArmError> {
    let boolean = |key: &str| -> Result<Option<bool>, ArmError> {
        match properties.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(ArmError::invalid_content(format!(
                "The property 'properties.{key}' must be a boolean, not {other}."
            ))),
        }
    };
    if let Some(enabled) = boolean("adminUserEnabled")? {
        props.admin_user_enabled = enabled;
    }
    if let Some(enabled) = boolean("dataEndpointEnabled")? {
        props.data_endpoint_enabled = enabled;
    }
    for key in SETTINGS {
        if let Some(value) = properties.get(key).filter(|v| !v.is_null()) {
            props.settings.insert(key.to_owned(), value.clone());
        }
    }
    Ok(())
}

/// PUT R: requires `location` and `sku.name`; 201 when new, 200 when it existed.
pub fn prepare_put(
    state: &State,
    registry: &RegistryRef,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    NameKind::Registry.check(&registry.name)?;
    let body: RegistryBody = parse_body(body)?;
    let location = body
        .location
        .as_deref()
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| {
            ArmError::bad_request(
                "LocationRequired",
                "The location property is required for this definition.",
            )
        })?;
    let sku = parse_sku(body.sku.as_ref())?.ok_or_else(|| {
        ArmError::invalid_content("The property 'sku.name' is required for a registry.")
    })?;
    let existing = state.registry(registry).map(|r| &r.props);
    if let Some(old) = existing
        && normalize_location(&old.location) != normalize_location(location)
    {
        return Err(ArmError::bad_request(
            "InvalidResourceLocation",
            format!(
                "The resource '{}' already exists in location '{}' in resource group '{}'. A resource with the same name cannot be created in location '{location}'. Please select a new resource name.",
                old.name, old.location, old.resource_group
            ),
        ));
    }
    let mut props = RegistryProps {
        subscription: registry.subscription.clone(),
        resource_group: registry.resource_group.clone(),
        name: registry.name.clone(),
        location: normalize_location(location),
        tags: body.tags.unwrap_or_default(),
        sku,
        admin_user_enabled: false,
        data_endpoint_enabled: false,
        settings: default_settings(),
        created_at: at,
        modified_at: at,
    };
    if let Some(old) = existing {
        // A replace keeps the identity the registry was created with.
        props.subscription.clone_from(&old.subscription);
        props.resource_group.clone_from(&old.resource_group);
        props.name.clone_from(&old.name);
        props.created_at = old.created_at;
    }
    apply_properties(&mut props, &body.properties.unwrap_or_default())?;
    let rendered = render(&props, "Succeeded");
    let reply = if existing.is_some() {
        Reply::Updated(rendered)
    } else {
        Reply::Created(rendered)
    };
    Ok(Prepared {
        change: Change::PutRegistry(props),
        reply,
    })
}

/// PATCH R: `tags`, `sku` and the writable properties, each only when present.
pub fn prepare_patch(
    state: &State,
    registry: &RegistryRef,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let mut props = registry_or_404(state, registry)?.props.clone();
    let body: RegistryBody = parse_body(body)?;
    if let Some(tags) = body.tags {
        props.tags = tags;
    }
    if let Some(sku) = parse_sku(body.sku.as_ref())? {
        props.sku = sku;
    }
    apply_properties(&mut props, &body.properties.unwrap_or_default())?;
    props.modified_at = at;
    let rendered = render(&props, "Succeeded");
    Ok(Prepared {
        change: Change::PutRegistry(props),
        reply: Reply::Updated(rendered),
    })
}

/// DELETE R: 200, or 204 when there was no such registry.
pub fn prepare_delete(state: &State, registry: &RegistryRef) -> Prepared {
    match state.registry(registry) {
        Some(r) => Prepared {
            change: Change::DeleteRegistry(r.props.key()),
            reply: Reply::Deleted,
        },
        None => Prepared {
            change: Change::None,
            reply: Reply::Absent,
        },
    }
}

/// The registry resource, shaped like the RegistryGet example.
pub fn render(props: &RegistryProps, provisioning_state: &str) -> Value {
    let mut properties = default_settings();
    properties.extend(props.settings.clone());
    let host_names: Vec<String> = if props.data_endpoint_enabled {
        vec![format!(
            "{}.{}.data.azurecr.io",
            props.name.to_ascii_lowercase(),
            props.location
        )]
    } else {
        Vec::new()
    };
    let computed = json!({
        // The service lower-cases the login server (`myregistry.azurecr.io`).
        "loginServer": format!("{}.azurecr.io", props.name.to_ascii_lowercase()),
        "creationDate": timestamp::format(props.created_at),
        "provisioningState": provisioning_state,
        "adminUserEnabled": props.admin_user_enabled,
        "status": null,
        "dataEndpointEnabled": props.data_endpoint_enabled,
        "dataEndpointHostNames": host_names,
        "privateEndpointConnections": [],
    });
    if let Value::Object(computed) = computed {
        properties.extend(computed);
    }
    json!({
        "id": props.reference().id(),
        "name": props.name,
        "type": REGISTRY_TYPE,
        "location": props.location,
        "tags": props.tags,
        "sku": { "name": props.sku.as_str(), "tier": props.sku.as_str() },
        "systemData": system_data(props.created_at, props.modified_at),
        "properties": properties,
    })
}

/// A registry created from the command line (`--registry`), in `westus` like the examples.
pub fn from_spec(spec: &crate::options::RegistrySpec, at: DateTime<Utc>) -> RegistryProps {
    RegistryProps {
        subscription: spec.subscription.clone(),
        resource_group: spec.resource_group.clone(),
        name: spec.name.clone(),
        location: "westus".to_owned(),
        tags: BTreeMap::new(),
        sku: spec.sku,
        admin_user_enabled: false,
        data_endpoint_enabled: false,
        settings: default_settings(),
        created_at: at,
        modified_at: at,
    }
}
