//! `registries/tokens`: create or replace, update, delete, and the resource body of the TokenGet
//! example. Password values are never rendered, only each slot's name, creation time and expiry.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{parse_body, registry_or_404, scope_map, system_data};
use crate::arm_error::ArmError;
use crate::change::{Change, Prepared, Reply};
use crate::ids::{ChildKind, RegistryRef, child_id, parse_child_id};
use crate::names::NameKind;
use crate::state::{Password, Registry, State, Token};
use crate::timestamp;

/// The two password slots every token has.
pub const PASSWORD_SLOTS: [&str; 2] = ["password1", "password2"];

#[derive(Debug, Deserialize)]
struct TokenBody {
    properties: Option<TokenProperties>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenProperties {
    scope_map_id: Option<String>,
    status: Option<String>,
    credentials: Option<Credentials>,
}

#[derive(Debug, Deserialize)]
struct Credentials {
    passwords: Option<Vec<PasswordBody>>,
    certificates: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
struct PasswordBody {
    name: Option<String>,
}

/// The token `name` of `registry`, or ARM's 404.
pub fn find<'r>(
    registry: &'r Registry,
    reference: &RegistryRef,
    name: &str,
) -> Result<&'r Token, ArmError> {
    registry
        .tokens
        .get(&name.to_ascii_lowercase())
        .ok_or_else(|| {
            ArmError::not_found(
                ChildKind::Tokens.resource_type(),
                &format!("{}/{name}", reference.name),
                &reference.resource_group,
            )
        })
}

/// The token an id in a request refers to: 400 when the id is not a token id of this
/// registry, 404 when there is no such token.
pub fn resolve_id<'r>(
    registry: &'r Registry,
    reference: &RegistryRef,
    id: &str,
    property: &str,
) -> Result<&'r Token, ArmError> {
    let name = parse_child_id(reference, ChildKind::Tokens, id, property)?;
    find(registry, reference, &name)
}

/// A password slot name, checked.
pub fn slot(name: &str) -> Result<&'static str, ArmError> {
    PASSWORD_SLOTS
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            ArmError::bad_request(
                "InvalidPasswordName",
                format!(
                    "The password name '{name}' is invalid; expected 'password1' or 'password2'."
                ),
            )
        })
}

fn parse_status(status: &str) -> Result<String, ArmError> {
    ["enabled", "disabled"]
        .into_iter()
        .find(|s| s.eq_ignore_ascii_case(status))
        .map(str::to_owned)
        .ok_or_else(|| {
            ArmError::bad_request(
                "InvalidTokenStatus",
                format!(
                    "The token status '{status}' is invalid; expected 'enabled' or 'disabled'."
                ),
            )
        })
}

/// The scope map a `scopeMapId` names, by its stored name.
fn resolve_scope_map(
    registry: &Registry,
    reference: &RegistryRef,
    id: &str,
) -> Result<String, ArmError> {
    let name = parse_child_id(reference, ChildKind::ScopeMaps, id, "scopeMapId")?;
    Ok(scope_map::find(registry, reference, &name)?.name.clone())
}

/// Applies `credentials` the way the service does: the listed password slots are kept (a slot
/// cannot be created without generateCredentials, so unknown ones are ignored), the others
/// removed; certificates are replaced when given.
fn apply_credentials(token: &mut Token, credentials: Credentials) -> Result<(), ArmError> {
    if let Some(passwords) = credentials.passwords {
        let mut keep = Vec::new();
        for password in passwords {
            let name = password.name.ok_or_else(|| {
                ArmError::invalid_content(
                    "Each entry of 'properties.credentials.passwords' needs a 'name'.",
                )
            })?;
            keep.push(slot(&name)?);
        }
        token.passwords.retain(|p| keep.contains(&p.name.as_str()));
    }
    if let Some(certificates) = credentials.certificates {
        token.certificates = certificates;
    }
    Ok(())
}

/// PUT: requires an existing `scopeMapId`. Replacing a token without `credentials` removes its
/// passwords, as the service does (why scopeform updates tokens with PATCH).
pub fn prepare_put(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    NameKind::Token.check(name)?;
    let properties = parse_body::<TokenBody>(body)?
        .properties
        .unwrap_or_default();
    let scope_map_id = properties.scope_map_id.ok_or_else(|| {
        ArmError::invalid_content("The property 'properties.scopeMapId' is required for a token.")
    })?;
    let scope_map = resolve_scope_map(registry, reference, &scope_map_id)?;
    let status = parse_status(properties.status.as_deref().unwrap_or("enabled"))?;
    let existing = registry.tokens.get(&name.to_ascii_lowercase());
    if existing.is_none() {
        let limit = registry.props.sku.token_and_scope_map_limit();
        if registry.tokens.len() >= limit {
            return Err(ArmError::bad_request(
                "QuotaExceeded",
                format!(
                    "The registry '{}' already has {limit} tokens, the limit of the {} tier.",
                    registry.props.name, registry.props.sku
                ),
            ));
        }
    }
    let mut token = Token {
        name: existing.map_or_else(|| name.to_owned(), |t| t.name.clone()),
        scope_map,
        status,
        passwords: Vec::new(),
        certificates: Vec::new(),
        created_at: existing.map_or(at, |t| t.created_at),
        modified_at: at,
        failed: false,
    };
    if let Some(credentials) = properties.credentials {
        token.passwords = existing.map(|t| t.passwords.clone()).unwrap_or_default();
        apply_credentials(&mut token, credentials)?;
    }
    let rendered = render(registry, &token, "Succeeded");
    let reply = if existing.is_some() {
        Reply::Updated(rendered)
    } else {
        Reply::Created(rendered)
    };
    Ok(Prepared {
        change: Change::PutToken(registry.props.key(), token),
        reply,
    })
}

/// PATCH: `scopeMapId`, `status` and `credentials`, each only when present; passwords not
/// listed under `credentials.passwords` are removed.
pub fn prepare_patch(
    state: &State,
    reference: &RegistryRef,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let mut token = find(registry, reference, name)?.clone();
    let properties = parse_body::<TokenBody>(body)?
        .properties
        .unwrap_or_default();
    if let Some(id) = properties.scope_map_id {
        token.scope_map = resolve_scope_map(registry, reference, &id)?;
    }
    if let Some(status) = properties.status {
        token.status = parse_status(&status)?;
    }
    if let Some(credentials) = properties.credentials {
        apply_credentials(&mut token, credentials)?;
    }
    token.modified_at = at;
    token.failed = false;
    Ok(Prepared {
        reply: Reply::Updated(render(registry, &token, "Succeeded")),
        change: Change::PutToken(registry.props.key(), token),
    })
}

/// DELETE: 409 while the token is the sync token of a connected registry.
pub fn prepare_delete(
    state: &State,
    reference: &RegistryRef,
    name: &str,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let key = name.to_ascii_lowercase();
    let Some(token) = registry.tokens.get(&key) else {
        return Ok(Prepared {
            change: Change::None,
            reply: Reply::Absent,
        });
    };
    if let Some(cr) = registry
        .connected_registries
        .values()
        .find(|cr| cr.sync_token.eq_ignore_ascii_case(&key))
    {
        return Err(ArmError::conflict(format!(
            "The token '{}' cannot be deleted because it is the sync token of the connected registry '{}'.",
            token.name, cr.name
        )));
    }
    Ok(Prepared {
        change: Change::DeleteToken(registry.props.key(), key),
        reply: Reply::Deleted,
    })
}

/// A password slot as real Azure lists it: `creationTime` with seven fractional digits and
/// `+00:00`; no `expiry` key at all for a password made without one.
fn render_password(password: &Password) -> Value {
    let mut value = json!({
        "name": password.name,
        "creationTime": timestamp::format_with_offset(password.creation_time),
    });
    if let Some(expiry) = password.expiry {
        value["expiry"] = json!(timestamp::format(expiry));
    }
    value
}

/// The token resource, shaped like the TokenGet example and real Azure's answers: a token
/// without passwords still carries `"credentials": {"passwords": []}`.
pub fn render(registry: &Registry, token: &Token, provisioning_state: &str) -> Value {
    let reference = registry.props.reference();
    let mut properties = json!({
        "creationDate": timestamp::format(token.created_at),
        "scopeMapId": child_id(&reference, ChildKind::ScopeMaps, &token.scope_map),
        "provisioningState": provisioning_state,
        "status": token.status,
    });
    let passwords: Vec<Value> = token.passwords.iter().map(render_password).collect();
    let mut credentials = json!({ "passwords": passwords });
    if !token.certificates.is_empty() {
        credentials["certificates"] = json!(token.certificates);
    }
    properties["credentials"] = credentials;
    json!({
        "id": child_id(&reference, ChildKind::Tokens, &token.name),
        "name": token.name,
        "type": ChildKind::Tokens.resource_type(),
        "systemData": system_data(token.created_at, token.modified_at),
        "properties": properties,
    })
}
