//! Why a read or a write of the live registry failed.

use std::time::Duration;

use crate::model::LiveApplyError;

/// An error body ARM sent (`{"error": {"code", "message"}}`), with the HTTP status it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmErrorBody {
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// A failed read or write of the live registry.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// ARM refused or failed a request; `code` and `message` are ARM's own.
    #[error("{method} {path}: ARM answered {} {}: {}", .error.status, .error.code, .error.message)]
    Arm {
        method: &'static str,
        path: String,
        error: ArmErrorBody,
        /// Whether trying again later could succeed (429, 5xx).
        retryable: bool,
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
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Arm { retryable, .. } | Self::Transport { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// ARM's error code, when ARM sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Arm { error, .. } => Some(&error.code),
            Self::OperationFailed { code, .. } => Some(code),
            Self::RetriesExhausted { last, .. } => last.code(),
            _ => None,
        }
    }

    /// The HTTP status of ARM's answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Arm { error, .. } => Some(error.status),
            Self::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }
}
