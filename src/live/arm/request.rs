//! ARM requests, built without being sent: every read and every `WriteOp` becomes an
//! `ArmRequest` here, so what scopeform asks of ARM is testable without a network.

use chrono::SecondsFormat;
use serde_json::{Map, Value, json};

use super::{ArmEndpoint, RegistryRef};
use crate::live::LiveError;
use crate::model::WriteOp;

/// The api-version of every request (DESIGN §5).
pub(super) const API_VERSION: &str = "2025-11-01";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Put,
    Patch,
    Delete,
    Post,
}

impl Method {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Post => "POST",
        }
    }

    /// Whether ARM counts the request against the write (or delete) limits.
    pub(crate) fn is_write(self) -> bool {
        !matches!(self, Self::Get)
    }
}

/// One HTTP request to ARM: method, absolute URL (with `api-version`) and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArmRequest {
    pub method: Method,
    pub url: String,
    pub body: Option<Value>,
    /// Whether the answer may hold a password (`generateCredentials`, and the polls of its
    /// operation): no part of such an answer may reach a message.
    pub secret_answer: bool,
}

impl ArmRequest {
    fn new(method: Method, url: String, body: Option<Value>) -> Self {
        Self {
            method,
            url,
            body,
            secret_answer: false,
        }
    }

    /// The URL's path, without host or query: what logs and errors show.
    pub(crate) fn path(&self) -> &str {
        let without_scheme = self.url.split_once("://").map_or(&*self.url, |(_, r)| r);
        let path = without_scheme
            .find('/')
            .map_or("/", |i| &without_scheme[i..]);
        path.split('?').next().unwrap_or(path)
    }
}

/// The child collections of a registry that scopeform reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Collection {
    ScopeMaps,
    Tokens,
    ConnectedRegistries,
}

impl Collection {
    /// The path segment ARM uses.
    pub(crate) fn segment(self) -> &'static str {
        match self {
            Self::ScopeMaps => "scopeMaps",
            Self::Tokens => "tokens",
            Self::ConnectedRegistries => "connectedRegistries",
        }
    }
}

fn query() -> String {
    format!("api-version={API_VERSION}")
}

/// `GET R`: the registry itself (SKU, `adminUserEnabled`).
pub(super) fn get_registry(endpoint: &ArmEndpoint, registry: &RegistryRef) -> ArmRequest {
    ArmRequest::new(Method::Get, endpoint.url(&registry.path(), &query()), None)
}

/// `GET R/<collection>`: the first page of a list.
pub(super) fn list(
    endpoint: &ArmEndpoint,
    registry: &RegistryRef,
    collection: Collection,
) -> ArmRequest {
    let path = registry.child_path(collection, None);
    ArmRequest::new(Method::Get, endpoint.url(&path, &query()), None)
}

/// `GET R/tokens/NAME`: one token, to confirm just before a write that it is what the plan saw.
pub(super) fn get_token(endpoint: &ArmEndpoint, registry: &RegistryRef, name: &str) -> ArmRequest {
    let url = child_url(endpoint, registry, Collection::Tokens, name);
    ArmRequest::new(Method::Get, url, None)
}

/// `GET R/<collection>/<name>`: one object, to see whether it has settled.
pub(super) fn get_child(
    endpoint: &ArmEndpoint,
    registry: &RegistryRef,
    collection: Collection,
    name: &str,
) -> ArmRequest {
    ArmRequest::new(
        Method::Get,
        child_url(endpoint, registry, collection, name),
        None,
    )
}

/// `GET nextLink`, or an operation's status URL: used as ARM gave it, if it stays on the
/// endpoint. `after` is the request whose answer gave the URL: the poll of a
/// `generateCredentials` operation answers with the password too.
pub(super) fn follow(
    endpoint: &ArmEndpoint,
    url: &str,
    after: &ArmRequest,
) -> Result<ArmRequest, LiveError> {
    let url = endpoint.check_same_origin(url)?;
    let mut request = ArmRequest::new(Method::Get, url.into(), None);
    request.secret_answer = after.secret_answer;
    Ok(request)
}

fn child_url(
    endpoint: &ArmEndpoint,
    registry: &RegistryRef,
    collection: Collection,
    name: &str,
) -> String {
    endpoint.url(&registry.child_path(collection, Some(name)), &query())
}

/// The one request that performs `op`.
pub(super) fn write(endpoint: &ArmEndpoint, registry: &RegistryRef, op: &WriteOp) -> ArmRequest {
    use Collection::{ConnectedRegistries, ScopeMaps, Tokens};
    let strings = |actions: &crate::model::ActionSet| {
        Value::Array(
            actions
                .iter()
                .map(|a| Value::String(a.to_string()))
                .collect(),
        )
    };
    match op {
        WriteOp::CreateScopeMap {
            name,
            description,
            actions,
        } => {
            let mut properties = Map::new();
            if let Some(description) = description {
                properties.insert("description".into(), json!(description));
            }
            properties.insert("actions".into(), strings(actions));
            ArmRequest::new(
                Method::Put,
                child_url(endpoint, registry, ScopeMaps, name.as_str()),
                Some(json!({ "properties": properties })),
            )
        }
        WriteOp::UpdateScopeMap {
            name,
            description,
            actions,
        } => {
            let mut properties = Map::new();
            if let Some(description) = description {
                properties.insert("description".into(), json!(description));
            }
            if let Some(actions) = actions {
                properties.insert("actions".into(), strings(actions));
            }
            ArmRequest::new(
                Method::Patch,
                child_url(endpoint, registry, ScopeMaps, name.as_str()),
                Some(json!({ "properties": properties })),
            )
        }
        WriteOp::DeleteScopeMap { name } => ArmRequest::new(
            Method::Delete,
            child_url(endpoint, registry, ScopeMaps, name.as_str()),
            None,
        ),
        // Only ever for a token that does not exist: a PUT without `credentials` wipes an
        // existing token's passwords (DESIGN §1; the emulator does the same).
        WriteOp::CreateToken {
            name,
            scope_map,
            status,
        } => ArmRequest::new(
            Method::Put,
            child_url(endpoint, registry, Tokens, name.as_str()),
            Some(json!({ "properties": {
                "scopeMapId": registry.child_id(ScopeMaps, scope_map.as_str()),
                "status": status.as_str(),
            }})),
        ),
        WriteOp::UpdateToken {
            name,
            scope_map,
            status,
            keep_passwords,
        } => {
            let mut properties = Map::new();
            if let Some(scope_map) = scope_map {
                properties.insert(
                    "scopeMapId".into(),
                    json!(registry.child_id(ScopeMaps, scope_map.as_str())),
                );
            }
            if let Some(status) = status {
                properties.insert("status".into(), json!(status.as_str()));
            }
            // `credentials.passwords` lists the slots to keep; the service removes the rest.
            // Left out, the passwords stay as they are.
            if let Some(keep) = keep_passwords {
                let passwords: Vec<Value> = keep
                    .iter()
                    .map(|slot| json!({ "name": slot.as_str() }))
                    .collect();
                properties.insert("credentials".into(), json!({ "passwords": passwords }));
            }
            ArmRequest::new(
                Method::Patch,
                child_url(endpoint, registry, Tokens, name.as_str()),
                Some(json!({ "properties": properties })),
            )
        }
        WriteOp::DeleteToken { name } => ArmRequest::new(
            Method::Delete,
            child_url(endpoint, registry, Tokens, name.as_str()),
            None,
        ),
        WriteOp::GeneratePassword {
            token,
            slot,
            expiry,
        } => {
            let mut body = Map::new();
            body.insert(
                "tokenId".into(),
                json!(registry.child_id(Tokens, token.as_str())),
            );
            body.insert("name".into(), json!(slot.as_str()));
            if let Some(expiry) = expiry {
                body.insert(
                    "expiry".into(),
                    json!(expiry.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
                );
            }
            let path = registry.action_path("generateCredentials");
            let mut request = ArmRequest::new(
                Method::Post,
                endpoint.url(&path, &query()),
                Some(Value::Object(body)),
            );
            request.secret_answer = true;
            request
        }
        WriteOp::SetAdminUser { enabled } => ArmRequest::new(
            Method::Patch,
            endpoint.url(&registry.path(), &query()),
            Some(json!({ "properties": { "adminUserEnabled": enabled } })),
        ),
        WriteOp::SetClientTokens {
            connected_registry,
            client_tokens,
        } => {
            let ids: Vec<String> = client_tokens
                .iter()
                .map(|t| registry.child_id(Tokens, t.as_str()))
                .collect();
            ArmRequest::new(
                Method::Patch,
                child_url(
                    endpoint,
                    registry,
                    ConnectedRegistries,
                    connected_registry.as_str(),
                ),
                Some(json!({ "properties": { "clientTokenIds": ids } })),
            )
        }
    }
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
