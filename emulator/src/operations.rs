//! Long-running operations: a write is decided and answered at once, and its change is
//! committed when the operation completes, `async_delay` later. Until then reads show the
//! resource as `Creating`, `Updating` or `Deleting`. Operations are answered in one of two
//! flavours: as the spec's examples show them, or as real Azure does (`Flavour`).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::arm_error::ArmError;
use crate::change::{Prepared, Reply, commit};
use crate::http;
use crate::ids::{ChildKind, PROVIDER};
use crate::state::State;
use crate::timestamp;
use crate::writes::{ResourceKey, WriteRequest, decide};

/// How the client follows an operation (the spec's `final-state-via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollKind {
    /// PUT and PATCH: the status body `{id, name, status, …}`.
    AzureAsyncOperation,
    /// DELETE and POST: 202 until done, then the final result.
    Location,
}

/// How an operation is shown to the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flavour {
    /// As the spec's examples: status bodies `{id, name, status: InProgress, startTime, …}`,
    /// `Location` operations under the resource, a finished `DELETE` polled as `204`.
    Spec,
    /// As real Azure: status bodies `{"status": …}` with `Creating`/`Updating`/`Deleting`
    /// while running; `Location` operations at
    /// `/subscriptions/{s}/providers/Microsoft.ContainerRegistry/locations/{LOCATION}/operationResults/…`
    /// polled with `retry_after` (whole or fractional seconds) and answering `200` with an
    /// empty body once done.
    Azure {
        location: String,
        retry_after: String,
    },
}

#[derive(Debug, Clone)]
enum Outcome {
    Succeeded {
        end: DateTime<Utc>,
        result: Option<Value>,
    },
    Failed {
        end: DateTime<Utc>,
        error: ArmError,
    },
}

#[derive(Debug, Clone)]
struct Operation {
    name: String,
    path: String,
    poll: PollKind,
    start: DateTime<Utc>,
    ready_at: Instant,
    request: WriteRequest,
    fail: bool,
    resource: Option<ResourceKey>,
    outcome: Option<Outcome>,
    flavour: Flavour,
    /// `Creating`, `Updating` or `Deleting`: the status while it runs, in the Azure flavour.
    running_status: &'static str,
    /// A poll has shown the client how it ended.
    reported: bool,
}

/// What reads show for a resource with an operation under way.
#[derive(Debug, Clone)]
pub struct Pending {
    operation: String,
    pub provisioning_state: &'static str,
    /// The resource being created, shown until it exists.
    pub create_body: Option<Value>,
}

/// A started operation, for the response headers.
#[derive(Debug, Clone)]
pub struct Started {
    pub path: String,
    pub poll: PollKind,
}

#[derive(Debug, Default)]
pub struct Operations {
    by_name: HashMap<String, Operation>,
    queue: VecDeque<String>,
    pending: HashMap<ResourceKey, Pending>,
    started: u64,
    /// Operations started whose end no poll has shown yet, now and at most.
    open: u64,
    max_open: u64,
}

impl Operations {
    /// Records an operation for a decided write; every `fail_every`th one will fail.
    pub fn start(
        &mut self,
        request: WriteRequest,
        prepared: &Prepared,
        ready_at: Instant,
        fail_every: Option<u64>,
        flavour: Flavour,
    ) -> Option<Started> {
        let uuid = uuid::Uuid::new_v4().to_string();
        let (mut path, name) = request.operation_path(&uuid)?;
        let (poll, provisioning_state, create_body) = match &prepared.reply {
            Reply::Created(body) => (
                PollKind::AzureAsyncOperation,
                "Creating",
                Some(body.clone()),
            ),
            Reply::Updated(_) => (PollKind::AzureAsyncOperation, "Updating", None),
            Reply::Deleted => (PollKind::Location, "Deleting", None),
            Reply::Result => (PollKind::Location, "Updating", None),
            Reply::Absent | Reply::Empty => return None,
        };
        if let (Flavour::Azure { location, .. }, PollKind::Location) = (&flavour, poll) {
            let subscription = request.route.subscription()?;
            path = format!(
                "/subscriptions/{subscription}/providers/{PROVIDER}/locations/{location}/operationResults/{name}"
            );
        }
        self.started += 1;
        self.open += 1;
        self.max_open = self.max_open.max(self.open);
        let fail = fail_every.is_some_and(|n| n > 0 && self.started.is_multiple_of(n));
        let resource = request.resource();
        if let Some(key) = &resource {
            let pending = Pending {
                operation: name.clone(),
                provisioning_state,
                create_body,
            };
            self.pending.insert(key.clone(), pending);
        }
        let operation = Operation {
            name: name.clone(),
            path: path.clone(),
            poll,
            start: request.at,
            ready_at,
            request,
            fail,
            resource,
            outcome: None,
            flavour,
            running_status: provisioning_state,
            reported: false,
        };
        self.queue.push_back(name.to_ascii_lowercase());
        self.by_name.insert(name.to_ascii_lowercase(), operation);
        Some(Started { path, poll })
    }

    /// Completes every operation whose time has come, in the order they were started; returns
    /// whether the state changed.
    pub fn settle_due(&mut self, state: &mut State, now: Instant, at: DateTime<Utc>) -> bool {
        let mut changed = false;
        while let Some(key) = self.queue.front() {
            let Some(op) = self.by_name.get_mut(key) else {
                self.queue.pop_front();
                continue;
            };
            if op.ready_at > now {
                break;
            }
            let end = at;
            let outcome = if op.fail {
                // The object stays as it was, and shows `Failed` until a write succeeds.
                if let Some(resource) = &op.resource
                    && op.request.method != Method::PUT
                {
                    changed |= mark_failed(state, resource);
                }
                Outcome::Failed {
                    end,
                    error: ArmError::internal(),
                }
            } else {
                // Decided again: the state may have moved since the request.
                match decide(state, &op.request) {
                    Ok(prepared) => {
                        changed = true;
                        Outcome::Succeeded {
                            end,
                            result: commit(state, prepared.change),
                        }
                    }
                    Err(error) => Outcome::Failed { end, error },
                }
            };
            op.outcome = Some(outcome);
            if let Some(resource) = &op.resource
                && self
                    .pending
                    .get(resource)
                    .is_some_and(|p| p.operation == op.name)
            {
                self.pending.remove(resource);
            }
            self.queue.pop_front();
        }
        changed
    }

    /// The operation under way on a resource, if any.
    pub fn pending(&self, key: &ResourceKey) -> Option<&Pending> {
        self.pending.get(key)
    }

    /// Lower-case names and bodies of the children of `kind` (or registries, for `None`) being
    /// created in `registry_prefix` (a registry key, or a subscription/resource group prefix).
    pub fn pending_creates(
        &self,
        kind: Option<ChildKind>,
        matches: impl Fn(&ResourceKey) -> bool,
    ) -> Vec<(String, Value)> {
        self.pending
            .iter()
            .filter(|(key, _)| key.kind == kind && matches(key))
            .filter_map(|(key, p)| {
                let sort_key = if kind.is_some() {
                    key.name.clone()
                } else {
                    key.registry.clone()
                };
                p.create_body.clone().map(|body| (sort_key, body))
            })
            .collect()
    }

    /// The most operations that were open at once: started, and their end not yet shown to
    /// the client by a poll. A client that waits for one operation at a time never has more
    /// than its parallelism open.
    pub fn max_open(&self) -> u64 {
        self.max_open
    }

    /// The answer to a poll of the operation `name`; `url` is its absolute URL.
    pub fn poll(&mut self, name: &str, url: &str, retry_after: u64) -> Result<Response, ArmError> {
        let retry_after_status = retry_after;
        let op = self
            .by_name
            .get_mut(&name.to_ascii_lowercase())
            .ok_or_else(|| {
                ArmError::new(
                    StatusCode::NOT_FOUND,
                    "OperationNotFound",
                    format!("The operation '{name}' was not found."),
                )
            })?;
        if op.outcome.is_some() && !op.reported {
            op.reported = true;
            self.open = self.open.saturating_sub(1);
        }
        let op = &*op;
        if let Flavour::Azure { retry_after, .. } = &op.flavour {
            return Ok(op.azure_poll(url, retry_after, &retry_after_status.to_string()));
        }
        let in_progress = |mut response: Response| {
            http::set_header(&mut response, "retry-after", &retry_after.to_string());
            response
        };
        match op.poll {
            PollKind::AzureAsyncOperation => {
                let body = op.status_body();
                let response = http::json(StatusCode::OK, &body);
                Ok(if op.outcome.is_none() {
                    in_progress(response)
                } else {
                    response
                })
            }
            PollKind::Location => match &op.outcome {
                None => {
                    let mut response = in_progress(http::empty(StatusCode::ACCEPTED));
                    http::set_header(&mut response, "location", url);
                    Ok(response)
                }
                Some(Outcome::Failed { error, .. }) => Ok(http::error(error)),
                Some(Outcome::Succeeded { result, .. }) => Ok(match result {
                    Some(body) => http::json(StatusCode::OK, body),
                    None if op.request.method == Method::DELETE => {
                        http::empty(StatusCode::NO_CONTENT)
                    }
                    None => http::empty(StatusCode::OK),
                }),
            },
        }
    }
}

/// Marks the object `key` as failed; returns whether it exists.
fn mark_failed(state: &mut State, key: &ResourceKey) -> bool {
    let Some(kind) = key.kind else {
        return false;
    };
    let Some(registry) = state.registry_mut(&key.registry) else {
        return false;
    };
    let failed = match kind {
        ChildKind::ScopeMaps => registry
            .scope_maps
            .get_mut(&key.name)
            .map(|m| &mut m.failed),
        ChildKind::Tokens => registry.tokens.get_mut(&key.name).map(|t| &mut t.failed),
        ChildKind::ConnectedRegistries => registry
            .connected_registries
            .get_mut(&key.name)
            .map(|c| &mut c.failed),
    };
    failed.map(|f| *f = true).is_some()
}

impl Operation {
    /// A poll answered as real Azure does.
    fn azure_poll(
        &self,
        url: &str,
        location_retry_after: &str,
        status_retry_after: &str,
    ) -> Response {
        match (self.poll, &self.outcome) {
            (PollKind::AzureAsyncOperation, None) => {
                let mut response =
                    http::json(StatusCode::OK, &json!({ "status": self.running_status }));
                http::set_header(&mut response, "retry-after", status_retry_after);
                response
            }
            (PollKind::AzureAsyncOperation, Some(Outcome::Succeeded { .. })) => {
                http::json(StatusCode::OK, &json!({ "status": "Succeeded" }))
            }
            (PollKind::AzureAsyncOperation, Some(Outcome::Failed { error, .. })) => http::json(
                StatusCode::OK,
                &json!({ "status": "Failed", "error": error.detail() }),
            ),
            (PollKind::Location, None) => {
                let mut response = http::empty(StatusCode::ACCEPTED);
                http::set_header(&mut response, "location", url);
                http::set_header(&mut response, "retry-after", location_retry_after);
                response
            }
            (PollKind::Location, Some(Outcome::Succeeded { result, .. })) => match result {
                Some(body) => http::json(StatusCode::OK, body),
                None => http::empty(StatusCode::OK),
            },
            (PollKind::Location, Some(Outcome::Failed { error, .. })) => http::error(error),
        }
    }

    /// The common-types `OperationStatusResult`.
    fn status_body(&self) -> Value {
        let mut body = json!({
            "id": self.path,
            "name": self.name,
            "status": "InProgress",
            "startTime": timestamp::format(self.start),
        });
        match &self.outcome {
            None => {}
            Some(Outcome::Succeeded { end, .. }) => {
                body["status"] = json!("Succeeded");
                body["endTime"] = json!(timestamp::format(*end));
            }
            Some(Outcome::Failed { end, error }) => {
                body["status"] = json!("Failed");
                body["endTime"] = json!(timestamp::format(*end));
                body["error"] = error.detail();
            }
        }
        body
    }
}

/// `Retry-After` as ARM writes it: whole seconds, or fractional ones for a test's short setting.
pub fn retry_after_header(delay: Duration) -> String {
    if delay.subsec_nanos() == 0 {
        delay.as_secs().to_string()
    } else {
        format!("{:.3}", delay.as_secs_f64())
    }
}

/// `Retry-After` for operation polls: 0 when operations take under a second, else whole
/// seconds rounded up.
pub fn retry_after(delay: Duration) -> u64 {
    if delay < Duration::from_secs(1) {
        0
    } else {
        delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
    }
}
