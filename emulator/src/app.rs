//! One emulator instance: the state behind a lock, and the pipeline every ARM request goes
//! through (authentication, api-version, throttling, injected faults, then the operation).

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;

use crate::arm_error::ArmError;
use crate::change::{Reply, commit};
use crate::clock::Clock;
use crate::http;
use crate::key_vault::{self, KvError, KvPath};
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
use serde::Deserialize;
use serde_json::json;

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
    clock: Clock,
    key_vault_down: AtomicBool,
    key_vault_requests_seen: AtomicU64,
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
        let clock = Clock::starting_at(options.clock);
        let at = clock.now();
        for spec in &options.registries {
            let props = registry::from_spec(spec, at);
            if !state.registries.contains_key(&props.key()) {
                commit(&mut state, change::Change::PutRegistry(props));
            }
        }
        for name in &options.key_vaults {
            key_vault::check_vault_name(name)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            state
                .vaults
                .entry(name.to_ascii_lowercase())
                .or_insert_with(|| key_vault::store::Vault {
                    name: name.clone(),
                    secrets: std::collections::BTreeMap::new(),
                });
        }
        if let Some(path) = &options.state_file {
            persistence::save(path, &state)?;
        }
        let write_bucket = options
            .throttle_writes
            .map(|t| Mutex::new(TokenBucket::new(t.bucket, t.refill_per_s, Instant::now())));
        Ok(Self {
            inner: Mutex::new(Inner {
                state,
                operations: Operations::default(),
            }),
            write_bucket,
            stats: Stats::default(),
            writes_seen: AtomicU64::new(0),
            local_addr,
            key_vault_requests_seen: AtomicU64::new(0),
            clock,
            key_vault_down: AtomicBool::new(options.key_vault_down),
            options,
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
            .settle_due(&mut inner.state, Instant::now(), self.clock.now())
        {
            self.persist(&inner.state);
        }
    }

    /// The request's `Host`, or the listener's address.
    fn host(&self, headers: &HeaderMap) -> String {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map_or_else(|| self.local_addr.to_string(), str::to_owned)
    }

    fn base_url(&self, headers: &HeaderMap) -> String {
        format!("http://{}", self.host(headers))
    }

    /// Takes a token from the write bucket: `Ok(tokens left)`, or how long to wait.
    fn take_write_token(&self) -> Result<u64, std::time::Duration> {
        let Some(bucket) = &self.write_bucket else {
            return Ok(UNTHROTTLED_WRITES);
        };
        let taken = bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .try_take(Instant::now());
        taken.inspect_err(|_| self.stats.throttled())
    }

    /// Takes a token from the write bucket: `Ok(tokens left)` or the 429.
    fn throttle(&self) -> Result<u64, Box<Response>> {
        self.take_write_token().map_err(|wait| {
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
            | Route::StateHook
            | Route::ClockHook
            | Route::KeyVaultHook => {
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
            at: self.clock.now(),
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
        stats["max_open_operations"] = json!(inner.operations.max_open());
        let mut body = state_view::render(&inner.state, &stats);
        body["now"] = json!(timestamp::format(self.clock.now()));
        body["key_vault_down"] = json!(self.key_vault_down.load(Ordering::SeqCst));
        http::json(StatusCode::OK, &body)
    }

    /// `GET /_emulator/clock` reads the emulated time; `POST {"now": "RFC3339"}` moves it
    /// forward (an earlier time is a 409).
    fn clock_hook(&self, method: &Method, body: &[u8]) -> Response {
        #[derive(Deserialize)]
        struct SetClock {
            now: String,
        }
        if *method == Method::POST {
            let requested = serde_json::from_slice::<SetClock>(body)
                .ok()
                .and_then(|b| timestamp::parse(&b.now));
            let Some(requested) = requested else {
                return hook_error(
                    StatusCode::BAD_REQUEST,
                    "expected {\"now\": \"RFC3339 time\"}",
                );
            };
            return match self.clock.set(requested) {
                Ok(now) => http::json(StatusCode::OK, &json!({ "now": timestamp::format(now) })),
                Err(refused) => hook_error(
                    StatusCode::CONFLICT,
                    &format!(
                        "the clock only moves forward: it is {}, {} is earlier",
                        timestamp::format(refused.now),
                        timestamp::format(refused.requested)
                    ),
                ),
            };
        }
        http::json(
            StatusCode::OK,
            &json!({ "now": timestamp::format(self.clock.now()) }),
        )
    }

    /// `GET /_emulator/key-vault` says whether Key Vault is down; `POST {"down": bool}` takes
    /// it down (every Key Vault request a 503) or brings it back.
    fn key_vault_hook(&self, method: &Method, body: &[u8]) -> Response {
        #[derive(Deserialize)]
        struct SetDown {
            down: bool,
        }
        if *method == Method::POST {
            let Ok(set) = serde_json::from_slice::<SetDown>(body) else {
                return hook_error(StatusCode::BAD_REQUEST, "expected {\"down\": true|false}");
            };
            self.key_vault_down.store(set.down, Ordering::SeqCst);
        }
        http::json(
            StatusCode::OK,
            &json!({ "down": self.key_vault_down.load(Ordering::SeqCst) }),
        )
    }

    /// A Key Vault request: outage, vault, bearer challenge, api-version, throttling and
    /// injected faults, then the operation.
    fn key_vault(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        path: &KvPath,
    ) -> Response {
        if self.key_vault_down.load(Ordering::SeqCst) {
            return KvError::unavailable().response();
        }
        let vault_key = path.vault.to_ascii_lowercase();
        let Some(vault_name) = self
            .lock()
            .state
            .vaults
            .get(&vault_key)
            .map(|v| v.name.clone())
        else {
            return KvError::vault_not_found(&path.vault).response();
        };
        let host = self.host(headers);
        if let Err(e) = authentication::check(headers, self.options.token.as_deref()) {
            return key_vault_challenge(&e, headers, &host);
        }
        let query: Vec<(String, String)> =
            Query::try_from_uri(uri).map_or_else(|_| Vec::new(), |q| q.0);
        let api_version = query
            .iter()
            .find(|(k, _)| k == "api-version")
            .map(|(_, v)| v.as_str());
        if let Err(e) = key_vault::check_api_version(api_version) {
            return e.response();
        }
        if is_write(method) {
            if let Err(wait) = self.take_write_token() {
                let mut response = KvError::throttled().response();
                http::set_header(
                    &mut response,
                    "retry-after",
                    &retry_after_secs(wait).to_string(),
                );
                return response;
            }
            if self.inject_failure() {
                self.stats.failed_injected();
                return KvError::internal().response();
            }
        }
        let n = self.key_vault_requests_seen.fetch_add(1, Ordering::SeqCst) + 1;
        if self
            .options
            .key_vault_fail_every
            .is_some_and(|every| every > 0 && n.is_multiple_of(every))
        {
            self.stats.failed_injected();
            return KvError::internal().response();
        }
        let vault_url = format!("http://{host}/{}/{vault_name}", key_vault::PREFIX);
        let request = key_vault::Request {
            method,
            rest: &path.rest,
            query: &query,
            body,
            vault_url: &vault_url,
            page_size: self.options.page_size,
            now: self.clock.now(),
        };
        let mut inner = self.lock();
        let Some(vault) = inner.state.vaults.get_mut(&vault_key) else {
            return KvError::vault_not_found(&path.vault).response();
        };
        match key_vault::serve(vault, &request) {
            Ok(answer) => {
                if answer.changed {
                    self.persist(&inner.state);
                }
                http::json(answer.status, &answer.body)
            }
            Err(e) => e.response(),
        }
    }
}

/// An error of a test hook: `{"error": "…"}`.
fn hook_error(status: StatusCode, message: &str) -> Response {
    http::json(status, &json!({ "error": message }))
}

/// Key Vault's 401, with the challenge the client reads its token scope from:
/// `Bearer authorization="http://{host}/{tenant}", resource="https://vault.azure.net"`.
fn key_vault_challenge(error: &ArmError, headers: &HeaderMap, host: &str) -> Response {
    let message = if headers.contains_key(header::AUTHORIZATION) {
        error.message.clone()
    } else {
        "AKV10000: Request is missing a Bearer or PoP token.".to_owned()
    };
    let mut response = KvError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message).response();
    http::set_header(
        &mut response,
        "www-authenticate",
        &format!(
            "Bearer authorization=\"http://{host}/{}\", resource=\"{}\"",
            key_vault::TENANT,
            key_vault::RESOURCE
        ),
    );
    response
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
    match route {
        Some(Route::StateHook) => return app.state_hook(),
        Some(Route::ClockHook) => return app.clock_hook(&method, &body),
        Some(Route::KeyVaultHook) => return app.key_vault_hook(&method, &body),
        _ => {}
    }
    let key_vault_path = KvPath::parse(uri.path());
    let in_flight = if key_vault_path.is_some() {
        Some(app.stats.key_vault_request(is_write(&method)))
    } else {
        app.stats.request(is_write(&method))
    };
    let mut response = match key_vault_path {
        Some(path) => app.key_vault(&method, &uri, &headers, &body, &path),
        None => app.process(method, &uri, &headers, body, route),
    };
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
