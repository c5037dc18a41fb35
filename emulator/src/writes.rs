//! Write requests: which decision function handles a method on a route, and which resource an
//! asynchronous write is about.

use axum::body::Bytes;
use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};

use crate::arm_error::ArmError;
use crate::change::Prepared;
use crate::ids::{ChildKind, RegistryRef};
use crate::resources::{connected_registry, credentials, registry, scope_map, token};
use crate::route::Route;
use crate::state::State;

/// A write as received; kept by asynchronous operations so it can be decided again when they
/// complete.
#[derive(Debug, Clone)]
pub struct WriteRequest {
    pub method: Method,
    pub route: Route,
    pub body: Bytes,
    pub at: DateTime<Utc>,
}

/// The resource a write changes, for the "Creating/Updating/Deleting" overlay of reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceKey {
    pub registry: String,
    /// `None` for the registry itself.
    pub kind: Option<ChildKind>,
    /// Lower-case child name; empty for the registry itself.
    pub name: String,
}

impl WriteRequest {
    /// The resource this write changes, if it changes one resource's provisioning state.
    pub fn resource(&self) -> Option<ResourceKey> {
        match &self.route {
            Route::Registry(r) => Some(ResourceKey {
                registry: r.key(),
                kind: None,
                name: String::new(),
            }),
            Route::Child(r, kind, name) => Some(ResourceKey {
                registry: r.key(),
                kind: Some(*kind),
                name: name.to_ascii_lowercase(),
            }),
            _ => None,
        }
    }

    /// The path of a new operation about this write: under the child for child writes, under
    /// the registry otherwise (as in the spec examples).
    pub fn operation_path(&self, uuid: &str) -> Option<(String, String)> {
        let (base, prefix) = match &self.route {
            Route::Child(r, kind, name) => (
                format!("{}/{}/{name}", r.id(), kind.segment()),
                kind.operation_prefix(),
            ),
            Route::Registry(r) | Route::GenerateCredentials(r) | Route::Deactivate(r, _) => {
                (r.id(), "registries")
            }
            _ => return None,
        };
        let name = format!("{prefix}-{uuid}");
        Some((format!("{base}/operationStatuses/{name}"), name))
    }
}

fn method_not_allowed(method: &Method) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The requested resource does not support http method '{method}'."),
    )
}

/// Decides `request` against `state` without changing it.
pub fn decide(state: &State, request: &WriteRequest) -> Result<Prepared, ArmError> {
    let body = &request.body[..];
    let at = request.at;
    let method = &request.method;
    match &request.route {
        Route::Registry(r) => match *method {
            Method::PUT => registry::prepare_put(state, r, body, at),
            Method::PATCH => registry::prepare_patch(state, r, body, at),
            Method::DELETE => Ok(registry::prepare_delete(state, r)),
            _ => Err(method_not_allowed(method)),
        },
        Route::Child(r, kind, name) => decide_child(state, method, r, *kind, name, body, at),
        Route::GenerateCredentials(r) if *method == Method::POST => {
            credentials::prepare(state, r, body, at)
        }
        Route::Deactivate(r, name) if *method == Method::POST => {
            connected_registry::prepare_deactivate(state, r, name)
        }
        _ => Err(method_not_allowed(method)),
    }
}

fn decide_child(
    state: &State,
    method: &Method,
    r: &RegistryRef,
    kind: ChildKind,
    name: &str,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    match (kind, method.clone()) {
        (ChildKind::ScopeMaps, Method::PUT) => scope_map::prepare_put(state, r, name, body, at),
        (ChildKind::ScopeMaps, Method::PATCH) => scope_map::prepare_patch(state, r, name, body, at),
        (ChildKind::ScopeMaps, Method::DELETE) => scope_map::prepare_delete(state, r, name),
        (ChildKind::Tokens, Method::PUT) => token::prepare_put(state, r, name, body, at),
        (ChildKind::Tokens, Method::PATCH) => token::prepare_patch(state, r, name, body, at),
        (ChildKind::Tokens, Method::DELETE) => token::prepare_delete(state, r, name),
        (ChildKind::ConnectedRegistries, Method::PUT) => {
            connected_registry::prepare_put(state, r, name, body, at)
        }
        (ChildKind::ConnectedRegistries, Method::PATCH) => {
            connected_registry::prepare_patch(state, r, name, body, at)
        }
        (ChildKind::ConnectedRegistries, Method::DELETE) => {
            connected_registry::prepare_delete(state, r, name)
        }
        _ => Err(method_not_allowed(method)),
    }
}
