//! Why a read or a write of the live registry failed.

use std::time::Duration;

use crate::model::LiveApplyError;

/// At most this many characters of a message ARM sent (an error's message, an operation's
/// failure) reach output; the rest is cut, and the cut is marked.
pub(crate) const MAX_MESSAGE_CHARS: usize = 500;
/// At most this many characters of an error code ARM sent.
pub(crate) const MAX_CODE_CHARS: usize = 100;

/// `text` cut to `max_chars` characters, with ` …[cut]` after it when it was longer: how every
/// text from the server is bounded before it reaches a message.
pub(crate) fn bounded(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some((end, _)) => format!("{} …[cut]", &text[..end]),
    }
}

/// An error body ARM sent (`{"error": {"code", "message"}}`), with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArmErrorBody {
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// A failed read or write of the live registry.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LiveError {
    /// ARM refused or failed a request; `code` and `message` are ARM's own.
    #[error("{method} {path}: ARM answered {} {}: {}", .error.status, .error.code, .error.message)]
    Arm {
        method: &'static str,
        path: String,
        error: ArmErrorBody,
        /// Whether trying again later could succeed (429, 5xx).
        retryable: bool,
    },
    /// ARM answered with a redirect, which scopeform never follows: the bearer token goes to
    /// the endpoint's origin and nowhere else. Only the target's origin is named.
    #[error(
        "{method} {path}: ARM answered {status} redirecting to {target}; scopeform follows no redirect (credentials go only to the ARM endpoint)"
    )]
    Redirect {
        method: &'static str,
        path: String,
        status: u16,
        /// The target's origin (`scheme://host:port`), or why there is none.
        target: String,
    },
    /// ARM throttled (429) and asked for a longer wait (`Retry-After`) than scopeform makes.
    #[error(
        "{method} {path}: {}ARM asked to wait {} s (429 Retry-After){}, longer than scopeform waits for a throttled request ({} s)",
        if *.sent { "" } else { "not sent: " },
        .retry_after.as_secs(),
        if *.sent { "" } else { " before more writes" },
        .limit.as_secs()
    )]
    Throttled {
        method: &'static str,
        path: String,
        retry_after: Duration,
        /// The longest scopeform waits for one request (`RetryPolicy::max_elapsed`).
        limit: Duration,
        /// Whether this request was sent (and answered 429), or held back because another
        /// write was.
        sent: bool,
    },
    /// A long-running operation ended `Failed` or `Canceled`.
    #[error("{method} {path}: the operation ended {status}: {code}: {message}")]
    OperationFailed {
        method: &'static str,
        path: String,
        status: String,
        code: String,
        message: String,
    },
    /// The request never got an HTTP answer (connection refused, reset, timed out, TLS).
    #[error("{method} {path}: {message}")]
    Transport {
        method: &'static str,
        path: String,
        message: String,
        retryable: bool,
    },
    /// Retries ran out; `last` is the final failure.
    #[error("gave up after {attempts} attempts in {:.1}s: {last}", .elapsed.as_secs_f64())]
    RetriesExhausted {
        attempts: u32,
        elapsed: Duration,
        last: Box<LiveError>,
    },
    /// ARM answered something scopeform cannot make sense of.
    #[error("unexpected response to {method} {path}: {message}")]
    Response {
        method: &'static str,
        path: String,
        message: String,
    },
    /// No credential produced an access token.
    #[error("{0}")]
    Credentials(String),
    /// No credential of the chain produced an access token: what each one said, a line each
    /// (kept apart so that the lines are scopeform's and only what they quote is escaped).
    #[error("no Azure credential worked; tried: {}", .tried.join("; "))]
    NoCredential { tried: Vec<String> },
    /// The ARM endpoint or a URL ARM returned is not acceptable.
    #[error("{0}")]
    Endpoint(String),
    /// The snapshot file cannot be read or written.
    #[error(transparent)]
    Snapshot(#[from] super::SnapshotError),
    /// The snapshot backend refused a write, as the service would.
    #[error("the registry refused the write: {0}")]
    Refused(#[from] LiveApplyError),
}

impl LiveError {
    /// Whether the same request could succeed if tried again later.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            Self::Arm { retryable, .. } | Self::Transport { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// Whether the apply must start no more writes: ARM throttled writes for longer than
    /// scopeform waits, so every write started now would only wait or be refused.
    pub(crate) fn stops_writes(&self) -> bool {
        matches!(self, Self::Throttled { method, .. } if *method != "GET")
    }

    /// Whether the request was never sent: held back by a throttled write.
    pub(crate) fn was_not_sent(&self) -> bool {
        matches!(self, Self::Throttled { sent: false, .. })
    }

    /// ARM's error code, when ARM sent one.
    #[cfg(test)]
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Arm { error, .. } => Some(&error.code),
            Self::OperationFailed { code, .. } => Some(code),
            Self::RetriesExhausted { last, .. } => last.code(),
            _ => None,
        }
    }

    /// The HTTP status of ARM's answer, when there was one.
    #[cfg(test)]
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Arm { error, .. } => Some(error.status),
            Self::Throttled { sent: true, .. } => Some(429),
            Self::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_cuts_on_a_character_boundary_and_says_so() {
        assert_eq!(bounded("short", 10), "short");
        assert_eq!(bounded("0123456789", 10), "0123456789");
        assert_eq!(bounded("0123456789x", 10), "0123456789 …[cut]");
        assert_eq!(bounded("ééé", 2), "éé …[cut]");
    }

    #[test]
    fn throttling_names_the_wait_and_the_limit() {
        let throttled = |sent| LiveError::Throttled {
            method: "PUT",
            path: "/x".into(),
            retry_after: Duration::from_secs(3600),
            limit: Duration::from_secs(120),
            sent,
        };
        assert_eq!(
            throttled(true).to_string(),
            "PUT /x: ARM asked to wait 3600 s (429 Retry-After), longer than scopeform waits for a throttled request (120 s)"
        );
        assert_eq!(
            throttled(false).to_string(),
            "PUT /x: not sent: ARM asked to wait 3600 s (429 Retry-After) before more writes, longer than scopeform waits for a throttled request (120 s)"
        );
        assert!(throttled(true).stops_writes() && !throttled(true).was_not_sent());
        assert!(throttled(false).was_not_sent());
    }
}
