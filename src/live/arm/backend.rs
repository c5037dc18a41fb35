//! The ARM backend: reads a whole registry with list calls, performs one `WriteOp` per call and
//! follows it to completion.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::convert::{RegistryListing, build_live, token_alone};
use super::lro::{self, Step};
use super::request::{self, ArmRequest, Collection, Method};
use super::response::ArmResponse;
use super::{ArmClient, RegistryRef, wire};
use crate::live::{LiveError, MAX_CODE_CHARS, MAX_MESSAGE_CHARS, WriteSlot, bounded};
use crate::model::{
    GeneratedPassword, Live, LiveToken, PasswordSlot, ProvisioningState, Secret, TokenName, WriteOp,
};

/// The longest scopeform follows one long-running operation.
const MAX_OPERATION_TIME: Duration = Duration::from_secs(600);
/// A bound on pages, against a `nextLink` that never ends.
const MAX_PAGES: usize = 100_000;
/// A bound on the objects of one list: twice a Premium registry's limit (50,000 tokens, and
/// as many scope maps).
const MAX_LISTED: usize = 100_000;
/// A bound on the bytes of one list, all pages together: far above a Premium registry's
/// (50,000 scope maps of 50 actions is about 150 MB).
const MAX_LIST_BYTES: usize = 1 << 30;

/// The longest scopeform waits for an object being created, updated or deleted by someone
/// else before it writes to it.
const MAX_SETTLE_TIME: Duration = Duration::from_secs(300);
/// The first and the longest wait between looks at an object that has not settled.
const SETTLE_POLL_FIRST: Duration = Duration::from_millis(200);
const SETTLE_POLL_MAX: Duration = Duration::from_secs(5);

/// An object of the registry, by collection and lower-case name.
type ObjectKey = (Collection, String);

/// One registry reached through ARM.
#[derive(Clone)]
pub(crate) struct ArmBackend {
    client: ArmClient,
    registry: RegistryRef,
    /// The objects the last `read` found being created, updated or deleted: a write to one of
    /// them first waits until it has settled.
    unsettled: Arc<Mutex<HashSet<ObjectKey>>>,
}

impl ArmBackend {
    pub(crate) fn new(client: ArmClient, registry: RegistryRef) -> Self {
        Self {
            client,
            registry,
            unsettled: Arc::default(),
        }
    }

    pub(crate) fn registry(&self) -> &RegistryRef {
        &self.registry
    }

    pub(crate) fn client(&self) -> &ArmClient {
        &self.client
    }

    /// The whole registry: the registry itself and every scope map, token and connected
    /// registry, each read with list calls following `nextLink`.
    pub(crate) async fn read(&self) -> Result<Live, LiveError> {
        let endpoint = self.client.endpoint();
        let registry_request = request::get_registry(endpoint, &self.registry);
        let (registry, scope_maps, tokens, connected_registries) = tokio::try_join!(
            self.get_json::<wire::Registry>(&registry_request),
            self.list_all::<wire::ScopeMap>(Collection::ScopeMaps),
            self.list_all::<wire::Token>(Collection::Tokens),
            self.list_all::<wire::ConnectedRegistry>(Collection::ConnectedRegistries),
        )?;
        let listing = RegistryListing {
            registry,
            scope_maps,
            tokens,
            connected_registries,
        };
        let live = build_live(&self.registry, listing).map_err(|message| LiveError::Response {
            method: "GET",
            path: self.registry.path(),
            message: bounded(&message, MAX_MESSAGE_CHARS),
        })?;
        *self
            .unsettled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = busy_objects(&live);
        Ok(live)
    }

    /// One token as ARM holds it now; `None` when it does not exist (404).
    pub(crate) async fn read_token(
        &self,
        name: &TokenName,
    ) -> Result<Option<LiveToken>, LiveError> {
        let request = request::get_token(self.client.endpoint(), &self.registry, name.as_str());
        let response = self.client.send(&request).await?;
        if response.status == 404 {
            return Ok(None);
        }
        if !response.is_success() {
            return Err(arm_error(&request, &response));
        }
        let wire: wire::Token = parse_body(&request, &response)?;
        token_alone(wire)
            .map(Some)
            .map_err(|message| LiveError::Response {
                method: "GET",
                path: request.path().to_owned(),
                message: bounded(&message, MAX_MESSAGE_CHARS),
            })
    }

    /// Performs `op` and waits for it to finish; a generated password comes back.
    #[cfg(test)]
    pub async fn write(&self, op: &WriteOp) -> Result<Option<GeneratedPassword>, LiveError> {
        self.write_in(op, &mut WriteSlot::unbounded()).await
    }

    /// Performs `op` holding `slot`, which it lets go while it only waits: for an object the
    /// last read found busy to settle, and between polls of its long-running operation.
    pub(crate) async fn write_in(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, LiveError> {
        if let Some(key) = target_of(op) {
            let busy = self
                .unsettled
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(&key);
            if busy {
                self.wait_until_settled(&key, slot).await?;
            }
        }
        let endpoint = self.client.endpoint();
        let request = request::write(endpoint, &self.registry, op);
        let response = self.follow(&request, slot).await?;
        match op {
            WriteOp::GeneratePassword { token, slot, .. } => {
                generated_password(&request, token, *slot, &response).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Looks at the object `key` until its `provisioningState` is no longer `Creating`,
    /// `Updating` or `Deleting` (or it is gone), for at most `MAX_SETTLE_TIME`.
    async fn wait_until_settled(
        &self,
        (collection, name): &ObjectKey,
        slot: &mut WriteSlot,
    ) -> Result<(), LiveError> {
        let request = request::get_child(self.client.endpoint(), &self.registry, *collection, name);
        let started = Instant::now();
        let mut pause = SETTLE_POLL_FIRST;
        loop {
            let response = self.client.send(&request).await?;
            if response.status == 404 {
                return Ok(());
            }
            if !response.is_success() {
                return Err(arm_error(&request, &response));
            }
            let state: wire::ProvisioningStateOnly = parse_body(&request, &response)?;
            let state = ProvisioningState::from_arm(state.properties.provisioning_state.as_deref());
            if !state.is_busy() {
                return Ok(());
            }
            if started.elapsed() + pause > MAX_SETTLE_TIME {
                return Err(LiveError::Response {
                    method: "GET",
                    path: request.path().to_owned(),
                    message: format!(
                        "still {state} after {} s; nothing was written to it",
                        MAX_SETTLE_TIME.as_secs()
                    ),
                });
            }
            slot.idle(pause).await;
            pause = (pause * 2).min(SETTLE_POLL_MAX);
        }
    }

    /// Sends a write and follows its long-running operation to the end, letting `slot` go
    /// while it waits for the next poll (as long as ARM's `Retry-After` asks).
    async fn follow(
        &self,
        request: &ArmRequest,
        slot: &mut WriteSlot,
    ) -> Result<ArmResponse, LiveError> {
        let started = Instant::now();
        let response = self.client.send(request).await?;
        let mut step = lro::after_write(request.method, response);
        loop {
            match step {
                Step::Done(response) => return Ok(response),
                Step::Refused(response) => return Err(arm_error(request, &response)),
                Step::Failed {
                    status,
                    code,
                    message,
                } => {
                    return Err(LiveError::OperationFailed {
                        method: request.method.as_str(),
                        path: request.path().to_owned(),
                        status: bounded(&status, MAX_CODE_CHARS),
                        code: bounded(&code, MAX_CODE_CHARS),
                        message: bounded(&message, MAX_MESSAGE_CHARS),
                    });
                }
                Step::Poll { url, kind, after } => {
                    let elapsed = started.elapsed();
                    if elapsed + after > MAX_OPERATION_TIME {
                        return Err(LiveError::Response {
                            method: request.method.as_str(),
                            path: request.path().to_owned(),
                            message: operation_timeout(elapsed, after),
                        });
                    }
                    slot.idle(after).await;
                    let poll = request::follow(self.client.endpoint(), &url, request)?;
                    let response = match kind {
                        lro::PollKind::Location => self.client.poll_location(&poll).await?,
                        lro::PollKind::AsyncOperation => self.client.send(&poll).await?,
                    };
                    step = lro::after_poll(request.method, kind, &url, response);
                }
            }
        }
    }

    async fn get_json<T: DeserializeOwned>(&self, request: &ArmRequest) -> Result<T, LiveError> {
        let response = self.client.send(request).await?;
        if !response.is_success() {
            return Err(arm_error(request, &response));
        }
        parse_body(request, &response)
    }

    async fn list_all<T: DeserializeOwned>(
        &self,
        collection: Collection,
    ) -> Result<Vec<T>, LiveError> {
        let mut request = request::list(self.client.endpoint(), &self.registry, collection);
        let mut items = Vec::new();
        let mut seen = HashSet::new();
        let mut read = 0;
        for _ in 0..MAX_PAGES {
            let response = self.client.send(&request).await?;
            if !response.is_success() {
                return Err(arm_error(&request, &response));
            }
            // Each page is bounded by the client; an endless run of pages, by these.
            read += response.body.len();
            let page: wire::ListResult<T> = parse_body(&request, &response)?;
            items.extend(page.value);
            if items.len() > MAX_LISTED || read > MAX_LIST_BYTES {
                return Err(LiveError::Response {
                    method: "GET",
                    path: request.path().to_owned(),
                    message: format!(
                        "ARM listed more than {MAX_LISTED} objects or {} MiB, more than a \
                         registry holds; the list was not read further",
                        MAX_LIST_BYTES >> 20
                    ),
                });
            }
            match page.next_link.filter(|l| !l.is_empty()) {
                None => return Ok(items),
                Some(link) => {
                    if !seen.insert(link.clone()) {
                        return Err(LiveError::Response {
                            method: "GET",
                            path: request.path().to_owned(),
                            message: "ARM returned the same nextLink twice".to_owned(),
                        });
                    }
                    request = request::follow(self.client.endpoint(), &link, &request)?;
                }
            }
        }
        Err(LiveError::Response {
            method: "GET",
            path: request.path().to_owned(),
            message: format!("more than {MAX_PAGES} pages"),
        })
    }
}

/// Why an operation is no longer followed: it ran out of time, or ARM asked to wait past it.
fn operation_timeout(elapsed: Duration, asked: Duration) -> String {
    let limit = MAX_OPERATION_TIME.as_secs();
    if asked > lro::DEFAULT_POLL_INTERVAL {
        format!(
            "ARM asked to poll the operation again in {} s (Retry-After), past the {limit} s \
             scopeform follows an operation ({} s so far); it was not followed further and may \
             still finish: `scopeform plan` shows where it got",
            asked.as_secs(),
            elapsed.as_secs()
        )
    } else {
        format!("the operation did not finish within {limit} s")
    }
}

/// The objects of `live` with an operation under way.
fn busy_objects(live: &Live) -> HashSet<ObjectKey> {
    let key = |collection, name: &str| (collection, name.to_ascii_lowercase());
    let scope_maps = live
        .scope_maps
        .values()
        .filter(|s| s.provisioning_state.is_busy())
        .map(|s| key(Collection::ScopeMaps, s.name.as_str()));
    let tokens = live
        .tokens
        .values()
        .filter(|t| t.provisioning_state.is_busy())
        .map(|t| key(Collection::Tokens, t.name.as_str()));
    let connected = live
        .connected_registries
        .values()
        .filter(|c| c.provisioning_state.is_busy())
        .map(|c| key(Collection::ConnectedRegistries, c.name.as_str()));
    scope_maps.chain(tokens).chain(connected).collect()
}

/// The object a write changes (a password belongs to its token).
fn target_of(op: &WriteOp) -> Option<ObjectKey> {
    let key = |collection, name: &str| Some((collection, name.to_ascii_lowercase()));
    match op {
        WriteOp::CreateScopeMap { name, .. }
        | WriteOp::UpdateScopeMap { name, .. }
        | WriteOp::DeleteScopeMap { name } => key(Collection::ScopeMaps, name.as_str()),
        WriteOp::CreateToken { name, .. }
        | WriteOp::UpdateToken { name, .. }
        | WriteOp::DeleteToken { name } => key(Collection::Tokens, name.as_str()),
        WriteOp::GeneratePassword { token, .. } => key(Collection::Tokens, token.as_str()),
        WriteOp::SetClientTokens {
            connected_registry, ..
        } => key(Collection::ConnectedRegistries, connected_registry.as_str()),
        WriteOp::SetAdminUser { .. } => None,
    }
}

fn arm_error(request: &ArmRequest, response: &ArmResponse) -> LiveError {
    LiveError::Arm {
        method: request.method.as_str(),
        path: request.path().to_owned(),
        error: response.error(request.secret_answer),
        retryable: response.status == 429 || response.status >= 500,
    }
}

fn parse_body<T: DeserializeOwned>(
    request: &ArmRequest,
    response: &ArmResponse,
) -> Result<T, LiveError> {
    serde_json::from_slice(&response.body).map_err(|e| LiveError::Response {
        method: request.method.as_str(),
        path: request.path().to_owned(),
        message: if request.secret_answer {
            unshown_parse_error(&e)
        } else {
            bounded(
                &format!("the body is not what the ARM spec describes: {e}"),
                MAX_MESSAGE_CHARS,
            )
        },
    })
}

/// A parse error of an answer that may hold a password, told without serde's message, which
/// quotes the value it could not take (`invalid type: string "<password>"`): only what kind of
/// error and where.
fn unshown_parse_error(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Io => "could not be read",
        serde_json::error::Category::Syntax => "is not valid JSON",
        serde_json::error::Category::Eof => "ends too soon",
        serde_json::error::Category::Data => "is not what the ARM spec describes",
    };
    format!(
        "the body {kind} (line {}, column {}); it is not shown, as it may hold a password",
        error.line(),
        error.column()
    )
}

/// The password of `slot` from a `generateCredentials` result.
pub(super) fn generated_password(
    request: &ArmRequest,
    token: &TokenName,
    slot: PasswordSlot,
    response: &ArmResponse,
) -> Result<GeneratedPassword, LiveError> {
    debug_assert_eq!(request.method, Method::Post);
    let result: wire::GenerateCredentialsResult = parse_body(request, response)?;
    let missing = || LiveError::Response {
        method: request.method.as_str(),
        path: request.path().to_owned(),
        message: format!("generateCredentials returned no value for {slot} of token `{token}`"),
    };
    let password = result
        .passwords
        .into_iter()
        .find(|p| p.name.eq_ignore_ascii_case(slot.as_str()))
        .ok_or_else(missing)?;
    let value = password
        .value
        .filter(|v| !v.is_empty())
        .ok_or_else(missing)?;
    Ok(GeneratedPassword {
        token: token.clone(),
        username: result.username.unwrap_or_else(|| token.to_string()),
        slot,
        value: Secret::new(value),
        creation_time: password.creation_time,
        expiry: password.expiry,
    })
}
