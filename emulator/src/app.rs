//! One emulator instance: the state behind a lock, and the pipeline every ARM request goes
//! through (authentication, api-version, throttling, injected faults, then the operation).

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;

use crate::arm_error::ArmError;
use crate::change::{Reply, commit};
use crate::http;
use crate::operations::{Flavour, Operations, PollKind, Started, retry_after, retry_after_header};
use crate::options::{Options, WriteStyle};
use crate::reads::{self, Page};
use crate::resources::{registry, with_provisioning_state};
use crate::route::Route;
use crate::state::State;
use crate::stats::Stats;
use crate::token_bucket::{TokenBucket, retry_after_secs};
use crate::writes::{WriteRequest, decide};
use crate::{API_VERSION, api_version, authentication, change, persistence, state_view, timestamp};

/// What `x-ms-ratelimit-remaining-subscription-*` report when nothing is throttled: ARM's
/// hourly limits of old, far from any client's slow-down threshold.
const UNTHROTTLED_WRITES: u64 = 1199;
const UNTHROTTLED_READS: u64 = 11999;

/// The mutable part: committed state and operations under way.
struct Inner {
    state: State,
    operations: Operations,
}

pub struct App {
    options: Options,
    inner: Mutex<Inner>,
    write_bucket: Option<Mutex<TokenBucket>>,
    stats: Stats,
    writes_seen: AtomicU64,
    local_addr: SocketAddr,
}

impl App {
    /// Loads the state file, if any, and creates the registries of `options` that are missing.
    pub fn new(options: Options, local_addr: SocketAddr) -> io::Result<Self> {
        let loaded = match &options.state_file {
            Some(path) => persistence::load(path)?,
            None => None,
        };
        let mut state = loaded.unwrap_or_default();
        state.new_registry_system_scope_maps = options.system_scope_maps;
        let at = timestamp::now();
        for spec in &options.registries {
            let props = registry::from_spec(spec, at);
            if !state.registries.contains_key(&props.key()) {
                commit(&mut state, change::Change::PutRegistry(props));
            }
        }
        if let Some(path) = &options.state_file {
            persistence::save(path, &state)?;
        }
        let write_bucket = options
            .throttle_writes
            .map(|t| Mutex::new(TokenBucket::new(t.bucket, t.refill_per_s, Instant::now())));
        Ok(Self {
            options,
            inner: Mutex::new(Inner {
                state,
                operations: Operations::default(),
            }),
            write_bucket,
            stats: Stats::default(),
            writes_seen: AtomicU64::new(0),
            local_addr,
        })
    }

    /// The lock, even after a panic elsewhere: the state is only changed by whole commits.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn persist(&self, state: &State) {
        if let Some(path) = &self.options.state_file
            && let Err(e) = persistence::save(path, state)
        {
            eprintln!("acr-emulator: cannot save {}: {e}", path.display());
        }
    }

    /// Completes due operations (and saves when that changed the state).
    fn settle(&self, inner: &mut Inner) {
        if inner
            .operations
            .settle_due(&mut inner.state, Instant::now())
        {
            self.persist(&inner.state);
        }
    }

    fn base_url(&self, headers: &HeaderMap) -> String {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map_or_else(|| self.local_addr.to_string(), str::to_owned);
        format!("http://{host}")
    }

    /// Takes a token from the write bucket: `Ok(tokens left)` or the 429.
    fn throttle(&self) -> Result<u64, Box<Response>> {
        let Some(bucket) = &self.write_bucket else {
            return Ok(UNTHROTTLED_WRITES);
        };
        let taken = bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .try_take(Instant::now());
        taken.map_err(|wait| {
            self.stats.throttled();
            let error = ArmError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "The request is being throttled as the limit has been reached for operation type - 'Write'. Please try again later.",
            );
            let mut response = http::error(&error);
            http::set_header(&mut response, "retry-after", &retry_after_secs(wait).to_string());
            Box::new(response)
        })
    }

    /// Whether this write is one `fail_every` turns into a 500.
    fn inject_failure(&self) -> bool {
        let n = self.writes_seen.fetch_add(1, Ordering::SeqCst) + 1;
        self.options
            .fail_every
            .is_some_and(|every| every > 0 && n.is_multiple_of(every))
    }

    /// Handles an ARM request after authentication and api-version checks.
    fn process(
        self: &Arc<Self>,
        method: Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: Bytes,
        route: Option<Route>,
    ) -> Response {
        if let Err(e) = authentication::check(headers, self.options.token.as_deref()) {
            return authentication::challenge(&e);
        }
        let query: Vec<(String, String)> =
            Query::try_from_uri(uri).map_or_else(|_| Vec::new(), |q| q.0);
        let param = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        if let Err(e) = api_version::check(param("api-version")) {
            return http::error(&e);
        }
        let Some(route) = route else {
            return http::error(&ArmError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!(
                    "No HTTP resource was found that matches the request URI '{}'.",
                    uri.path()
                ),
            ));
        };
        let base_url = self.base_url(headers);
        // Real Azure reports deletes against their own limit.
        let remaining_header = if method == Method::DELETE {
            "x-ms-ratelimit-remaining-subscription-deletes"
        } else {
            "x-ms-ratelimit-remaining-subscription-writes"
        };
        if is_write(&method) {
            let remaining = match self.throttle() {
                Ok(remaining) => remaining,
                Err(mut response) => {
                    http::set_header(&mut response, remaining_header, "0");
                    return *response;
                }
            };
            let mut response = if let Some(message) = &self.options.refuse_writes {
                http::error(&ArmError::bad_request("BadRequest", message.clone()))
            } else if self.inject_failure() {
                self.stats.failed_injected();
                http::error(&ArmError::internal())
            } else {
                self.write(method, route, body, &base_url)
            };
            http::set_header(&mut response, remaining_header, &remaining.to_string());
            return response;
        }
        let mut response = if method == Method::GET {
            let skip = param("$skipToken");
            self.read(&route, uri.path(), skip, &base_url)
                .unwrap_or_else(|e| http::error(&e))
        } else {
            http::error(&ArmError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                format!("The requested resource does not support http method '{method}'."),
            ))
        };
        http::set_header(
            &mut response,
            "x-ms-ratelimit-remaining-subscription-reads",
            &UNTHROTTLED_READS.to_string(),
        );
        response
    }

    fn read(
        &self,
        route: &Route,
        path: &str,
        skip_token: Option<&str>,
        base_url: &str,
    ) -> Result<Response, ArmError> {
        let skip = match skip_token {
            None => 0,
            Some(token) => token.parse::<usize>().map_err(|_| {
                ArmError::bad_request(
                    "InvalidSkipToken",
                    format!("The $skipToken '{token}' is invalid."),
                )
            })?,
        };
        let page = Page {
            base_url,
            path,
            skip,
            size: self.options.page_size.max(1),
        };
        let mut inner = self.lock();
        self.settle(&mut inner);
        if let Route::OperationStatus(name) = route {
            let url = format!("{base_url}{path}?api-version={API_VERSION}");
            return inner
                .operations
                .poll(name, &url, retry_after(self.options.async_delay));
        }
        let Inner { state, operations } = &*inner;
        let body = match route {
            Route::Registries {
                subscription,
                resource_group,
            } => reads::list_registries(
                state,
                operations,
                subscription,
                resource_group.as_deref(),
                &page,
            ),
            Route::Registry(r) => reads::get_registry(state, operations, r)?,
            Route::Children(r, kind) => reads::list_children(state, operations, r, *kind, &page)?,
            Route::Child(r, kind, name) => reads::get_child(state, operations, r, *kind, name)?,
            Route::OperationStatus(_)
            | Route::GenerateCredentials(_)
            | Route::Deactivate(..)
            | Route::StateHook => {
                return Err(ArmError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "MethodNotAllowed",
                    "The requested resource does not support http method 'GET'.",
                ));
            }
        };
        Ok(http::json(StatusCode::OK, &body))
    }

    fn write(
        self: &Arc<Self>,
        method: Method,
        route: Route,
        body: Bytes,
        base_url: &str,
    ) -> Response {
        let request = WriteRequest {
            method,
            route,
            body,
            at: timestamp::now(),
        };
        let mut inner = self.lock();
        self.settle(&mut inner);
        if self.options.writes == WriteStyle::Azure
            && let Some(key) = request.resource()
            && inner.operations.pending(&key).is_some()
        {
            return http::error(&ArmError::conflict(
                "Another operation is in progress on this resource; retry once it has finished.",
            ));
        }
        let prepared = match decide(&inner.state, &request) {
            Ok(prepared) => prepared,
            Err(e) => return http::error(&e),
        };
        if let Some(flavour) = self.operation_flavour(&inner.state, &request, &prepared.reply) {
            let ready_at = Instant::now() + self.options.async_delay;
            let reply = prepared.reply.clone();
            if let Some(started) = inner.operations.start(
                request,
                &prepared,
                ready_at,
                self.options.fail_async_every,
                flavour,
            ) {
                drop(inner);
                self.complete_later();
                return self.accepted(&reply, &started, base_url);
            }
        }
        let reply = prepared.reply.clone();
        let result = commit(&mut inner.state, prepared.change);
        if !matches!(reply, Reply::Absent | Reply::Empty) {
            self.persist(&inner.state);
        }
        drop(inner);
        match reply {
            Reply::Created(body) => http::json(StatusCode::CREATED, &body),
            Reply::Updated(body) => http::json(StatusCode::OK, &body),
            Reply::Result => http::json(StatusCode::OK, &result.unwrap_or_default()),
            Reply::Deleted | Reply::Empty => http::empty(StatusCode::OK),
            Reply::Absent => http::empty(StatusCode::NO_CONTENT),
        }
    }

    /// Whether `request` becomes a long-running operation, and how it is shown: every write in
    /// the spec style; in real Azure's, the writes of scope maps, tokens and connected
    /// registries (`generateCredentials` and registry writes are answered at once).
    fn operation_flavour(
        &self,
        state: &State,
        request: &WriteRequest,
        reply: &Reply,
    ) -> Option<Flavour> {
        match self.options.writes {
            WriteStyle::Sync => None,
            WriteStyle::SpecAsync => Some(Flavour::Spec),
            WriteStyle::Azure => {
                let Route::Child(registry, _, _) = &request.route else {
                    return None;
                };
                if !matches!(
                    reply,
                    Reply::Created(_) | Reply::Updated(_) | Reply::Deleted
                ) {
                    return None;
                }
                let location = state
                    .registry(registry)
                    .map_or_else(String::new, |r| r.props.location.to_ascii_uppercase());
                Some(Flavour::Azure {
                    location,
                    retry_after: retry_after_header(self.options.delete_retry_after),
                })
            }
        }
    }

    /// Completes the operation just started once `async_delay` has passed, even if no request
    /// comes in to do it sooner.
    fn complete_later(self: &Arc<Self>) {
        let app = Arc::clone(self);
        let delay = self.options.async_delay;
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let mut inner = app.lock();
            app.settle(&mut inner);
        });
    }

    /// The 201 or 202 of a write that became a long-running operation.
    fn accepted(&self, reply: &Reply, started: &Started, base_url: &str) -> Response {
        let url = format!("{base_url}{}?api-version={API_VERSION}", started.path);
        let mut response = match (reply, started.poll) {
            (Reply::Created(body), _) => http::json(
                StatusCode::CREATED,
                &with_provisioning_state(body.clone(), "Creating"),
            ),
            (Reply::Updated(body), _) => http::json(
                StatusCode::CREATED,
                &with_provisioning_state(body.clone(), "Updating"),
            ),
            _ => http::empty(StatusCode::ACCEPTED),
        };
        let (header_name, retry) = match started.poll {
            PollKind::AzureAsyncOperation => (
                "azure-asyncoperation",
                retry_after(self.options.async_delay).to_string(),
            ),
            PollKind::Location if self.options.writes == WriteStyle::Azure => (
                "location",
                retry_after_header(self.options.delete_retry_after),
            ),
            PollKind::Location => (
                "location",
                retry_after(self.options.async_delay).to_string(),
            ),
        };
        http::set_header(&mut response, header_name, &url);
        http::set_header(&mut response, "retry-after", &retry);
        response
    }

    fn state_hook(&self) -> Response {
        let mut inner = self.lock();
        self.settle(&mut inner);
        let mut stats = self.stats.to_json();
        stats["max_open_operations"] = serde_json::json!(inner.operations.max_open());
        let body = state_view::render(&inner.state, &stats);
        http::json(StatusCode::OK, &body)
    }
}

fn is_write(method: &Method) -> bool {
    matches!(
        *method,
        Method::PUT | Method::PATCH | Method::DELETE | Method::POST
    )
}

/// The one axum handler: every request comes through here.
pub async fn handle(
    AxumState(app): AxumState<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let route = Route::parse(uri.path());
    if route == Some(Route::StateHook) {
        return app.state_hook();
    }
    let in_flight = app.stats.request(is_write(&method));
    let mut response = app.process(method, &uri, &headers, body, route);
    http::set_header(
        &mut response,
        "x-ms-request-id",
        &uuid::Uuid::new_v4().to_string(),
    );
    if !app.options.latency.is_zero() {
        tokio::time::sleep(app.options.latency).await;
    }
    drop(in_flight);
    response
}
