//! The one place that sends ARM requests: bearer token, retries by `RetryPolicy`, the shared
//! write pacer, and `--verbose` request logs (method, path, status, time, attempt; never a
//! header or a body, so neither the bearer token nor a password can reach a log). It follows
//! no redirect (the token goes to the endpoint's origin only) and reads bounded bodies.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION};

use super::body;
use super::request::ArmRequest;
use super::response::{ArmResponse, parse_retry_after};
use super::retry::{Attempt, Decision, RetryPolicy, Tally};
use super::{ArmEndpoint, WritePacer};
use crate::live::LiveError;
use crate::live::credentials::TokenSource;

/// Receives one line per request when `--verbose` is on.
pub(crate) type RequestLog = Arc<dyn Fn(&str) + Send + Sync>;

/// How long one HTTP exchange may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Settings of an `ArmClient` beyond where it talks to and as whom.
#[derive(Clone, Default)]
pub(crate) struct ClientOptions {
    pub retry: RetryPolicy,
    pub log: Option<RequestLog>,
    /// Receives a line whenever ARM does not answer and the request is tried again, with or
    /// without `--verbose`: an unreachable endpoint is otherwise a minute of silence.
    pub notice: Option<RequestLog>,
}

/// An ARM client for many concurrent tasks: clones share one connection pool, one token
/// source and one write pacer.
#[derive(Clone)]
pub(crate) struct ArmClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: ArmEndpoint,
    tokens: TokenSource,
    retry: RetryPolicy,
    pacer: WritePacer,
    log: Option<RequestLog>,
    notice: Option<RequestLog>,
}

impl ArmClient {
    pub(crate) fn new(
        endpoint: ArmEndpoint,
        tokens: TokenSource,
        options: ClientOptions,
    ) -> Result<Self, LiveError> {
        let http = crate::live::http::client(REQUEST_TIMEOUT)
            .map_err(|e| LiveError::Endpoint(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                endpoint,
                tokens,
                retry: options.retry,
                pacer: WritePacer::default(),
                log: options.log,
                notice: options.notice,
            }),
        })
    }

    pub(crate) fn endpoint(&self) -> &ArmEndpoint {
        &self.inner.endpoint
    }

    fn log(&self, line: impl FnOnce() -> String) {
        if let Some(log) = &self.inner.log {
            log(&line());
        }
    }

    /// Sends `request`, retrying 429, 5xx and connection failures as the policy allows.
    /// Returns ARM's final answer, which may be an error status that is not worth retrying.
    pub(crate) async fn send(&self, request: &ArmRequest) -> Result<ArmResponse, LiveError> {
        self.send_with(request, self.inner.retry).await
    }

    /// Sends a poll of a `Location` operation. Its answer, once the operation ended, is the
    /// operation's own outcome, repeated on every poll: a failed operation answers 500 for
    /// good, so server errors are retried only a little (`RetryPolicy::for_polls`).
    pub(crate) async fn poll_location(
        &self,
        request: &ArmRequest,
    ) -> Result<ArmResponse, LiveError> {
        self.send_with(request, self.inner.retry.for_polls()).await
    }

    async fn send_with(
        &self,
        request: &ArmRequest,
        policy: RetryPolicy,
    ) -> Result<ArmResponse, LiveError> {
        let method = request.method.as_str();
        let path = request.path().to_owned();
        let first = Instant::now();
        let mut tally = Tally::default();
        let throttled = |retry_after: Duration, sent: bool| LiveError::Throttled {
            method,
            path: path.clone(),
            retry_after,
            limit: policy.max_elapsed,
            sent,
        };
        loop {
            if request.method.is_write()
                && let Err(asked) = self.inner.pacer.wait().await
            {
                return Err(throttled(asked, false));
            }
            let attempts = tally.attempts + 1;
            let started = Instant::now();
            let result = self.send_once(request).await;
            let elapsed = started.elapsed();
            let (attempt, failure) = match result {
                Ok(response) => {
                    let asked = (response.status == 429)
                        .then(|| response.retry_after.unwrap_or(Duration::from_secs(1)));
                    if request.method.is_write() {
                        match asked {
                            // Longer than this client ever waits: every write would only wait
                            // or be refused, so none is started any more.
                            Some(wait) if wait > policy.max_elapsed => {
                                self.inner.pacer.observe(response.remaining_writes, None);
                                self.inner.pacer.halt(wait);
                            }
                            _ => self.inner.pacer.observe(response.remaining_writes, asked),
                        }
                    }
                    self.log(|| {
                        format!(
                            "ARM {method} {path} -> {} ({} ms{})",
                            response.status,
                            elapsed.as_millis(),
                            attempt_note(attempts)
                        )
                    });
                    let attempt = Attempt::Answered {
                        status: response.status,
                        retry_after: response.retry_after,
                    };
                    if response.is_success() || !RetryPolicy::is_retryable(attempt) {
                        return Ok(response);
                    }
                    if let Some(wait) = asked
                        && first.elapsed() + wait > policy.max_elapsed
                    {
                        return Err(throttled(wait, true));
                    }
                    let error = response.error(request.secret_answer);
                    let failure = LiveError::Arm {
                        method,
                        path: path.clone(),
                        error,
                        retryable: true,
                    };
                    (attempt, failure)
                }
                Err(failure) => {
                    if request.method.is_write() {
                        self.inner.pacer.observe(None, None);
                    }
                    self.log(|| {
                        format!(
                            "ARM {method} {path} -> no answer ({} ms{}): {failure}",
                            elapsed.as_millis(),
                            attempt_note(attempts)
                        )
                    });
                    if !failure.is_retryable() {
                        return Err(failure);
                    }
                    (Attempt::ConnectionFailed, failure)
                }
            };
            tally.record(attempt);
            let jitter = rand::random::<f64>();
            match policy.decide(tally, first.elapsed(), attempt, jitter) {
                Decision::RetryAfter(delay) => {
                    match (&self.inner.notice, attempt) {
                        // Nobody answered: say what is retried and when, as it happens.
                        (Some(notice), Attempt::ConnectionFailed) => notice(&format!(
                            "ARM {method} {path}: no answer ({failure}); attempt {attempts} \
                             failed, trying again in {:.1} s (giving up after {} s)",
                            delay.as_secs_f64(),
                            policy.max_elapsed.as_secs()
                        )),
                        _ => self.log(|| {
                            format!("ARM {method} {path}: retrying in {} ms", delay.as_millis())
                        }),
                    }
                    tokio::time::sleep(delay).await;
                }
                Decision::Fail => return Err(failure),
                Decision::GiveUp => {
                    return Err(LiveError::RetriesExhausted {
                        attempts,
                        elapsed: first.elapsed(),
                        last: Box::new(failure),
                    });
                }
            }
        }
    }

    async fn send_once(&self, request: &ArmRequest) -> Result<ArmResponse, LiveError> {
        let method = request.method.as_str();
        let bearer = self.inner.tokens.bearer().await?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", bearer.expose()))
            .map_err(|_| {
                LiveError::Credentials("the access token is not a valid header value".to_owned())
            })?;
        authorization.set_sensitive(true);
        let http_method = match request.method {
            super::Method::Get => reqwest::Method::GET,
            super::Method::Put => reqwest::Method::PUT,
            super::Method::Patch => reqwest::Method::PATCH,
            super::Method::Delete => reqwest::Method::DELETE,
            super::Method::Post => reqwest::Method::POST,
        };
        let mut builder = self
            .inner
            .http
            .request(http_method, &request.url)
            .header(AUTHORIZATION, authorization);
        if let Some(body) = &request.body {
            let bytes = serde_json::to_vec(body).map_err(|e| LiveError::Response {
                method,
                path: request.path().to_owned(),
                message: format!("cannot encode the request body: {e}"),
            })?;
            builder = builder.header(CONTENT_TYPE, "application/json").body(bytes);
        }
        let transport = |e: &reqwest::Error| LiveError::Transport {
            method,
            path: request.path().to_owned(),
            message: describe(e),
            retryable: !is_tls_failure(e)
                && (e.is_connect() || e.is_timeout() || e.is_request() || e.is_body()),
        };
        let response = builder.send().await.map_err(|e| transport(&e))?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            return Err(LiveError::Redirect {
                method,
                path: request.path().to_owned(),
                status,
                target: redirect_origin(&request.url, response.headers()),
            });
        }
        let headers = response.headers().clone();
        let body = body::read_bounded(response, status)
            .await
            .map_err(|failure| match failure {
                body::Failure::Transport(e) => transport(&e),
                body::Failure::TooLarge => LiveError::Response {
                    method,
                    path: request.path().to_owned(),
                    message: format!(
                        "the answer is larger than {} MiB, more than scopeform reads; it was not read further",
                        body::MAX_BODY >> 20
                    ),
                },
            })?;
        Ok(response_from(status, &headers, body))
    }
}

/// The origin a redirect points at (`scheme://host:port`), never its path or query.
fn redirect_origin(request_url: &str, headers: &HeaderMap) -> String {
    let Some(location) = headers.get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return "no valid location".to_owned();
    };
    match reqwest::Url::parse(request_url).and_then(|base| base.join(location)) {
        Ok(target) if target.origin().is_tuple() => target.origin().ascii_serialization(),
        Ok(_) => "a location with no origin".to_owned(),
        Err(_) => "an invalid location".to_owned(),
    }
}

fn attempt_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(", attempt {attempts}")
    } else {
        String::new()
    }
}

/// A transport error with its causes (the URL carries no secret: only `api-version`).
/// Whether `error` is a TLS failure: a certificate that does not verify, or a peer that does
/// not speak TLS. Retrying cannot fix either, so it is reported at once.
fn is_tls_failure(error: &reqwest::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = next {
        if cause.is::<rustls::Error>() {
            return true;
        }
        // `io::Error::source` skips the error it wraps (rustls' error comes wrapped in two of
        // them), so step into it instead.
        next = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => cause.source(),
        };
    }
    false
}

fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The parts of an HTTP answer scopeform acts on.
pub(super) fn response_from(status: u16, headers: &HeaderMap, body: Vec<u8>) -> ArmResponse {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let number = |name: &str| text(name).and_then(|v| v.trim().parse::<u64>().ok());
    ArmResponse {
        status,
        retry_after: text("retry-after").and_then(|v| parse_retry_after(&v)),
        async_operation: text("azure-asyncoperation"),
        location: text("location"),
        remaining_writes: number("x-ms-ratelimit-remaining-subscription-writes")
            .or_else(|| number("x-ms-ratelimit-remaining-subscription-deletes")),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_is_named_by_its_origin_only() {
        let at = |location: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(LOCATION, HeaderValue::from_str(location).unwrap());
            redirect_origin(
                "http://127.0.0.1:8080/subscriptions/x?api-version=1",
                &headers,
            )
        };
        assert_eq!(
            at("https://evil.example:8443/steal?token=1"),
            "https://evil.example:8443"
        );
        assert_eq!(at("/elsewhere/on/the/same/host"), "http://127.0.0.1:8080");
        assert_eq!(at("data:text/plain,hello"), "a location with no origin");
        assert_eq!(at("http://[::1"), "an invalid location");
        assert_eq!(
            redirect_origin("http://127.0.0.1:8080/", &HeaderMap::new()),
            "no valid location"
        );
    }

    #[test]
    fn headers_scopeform_reads() {
        let mut headers = HeaderMap::new();
        headers.insert("Retry-After", HeaderValue::from_static("3"));
        headers.insert(
            "Azure-AsyncOperation",
            HeaderValue::from_static("http://h/op"),
        );
        headers.insert(
            "x-ms-ratelimit-remaining-subscription-writes",
            HeaderValue::from_static("42"),
        );
        let response = response_from(201, &headers, b"{}".to_vec());
        assert_eq!(response.retry_after, Some(Duration::from_secs(3)));
        assert_eq!(response.async_operation.as_deref(), Some("http://h/op"));
        assert_eq!(response.location, None);
        assert_eq!(response.remaining_writes, Some(42));
    }
}
