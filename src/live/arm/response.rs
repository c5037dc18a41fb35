//! ARM responses as plain data: status, the headers scopeform acts on, and the body. The
//! client fills one from the wire; everything that interprets it is a pure function.

use std::fmt;
use std::time::Duration;

use super::wire;
use crate::live::error::{ArmErrorBody, MAX_CODE_CHARS, MAX_MESSAGE_CHARS, bounded};

/// What ARM answered. Its `Debug` shows the body's length, never the body, which may hold a
/// password (`generateCredentials`).
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct ArmResponse {
    pub status: u16,
    /// `Retry-After`, in seconds (ARM never sends the HTTP-date form).
    pub retry_after: Option<Duration>,
    /// `Azure-AsyncOperation`: the status URL of a PUT or PATCH still running.
    pub async_operation: Option<String>,
    /// `Location`: the URL to poll for a DELETE or POST still running.
    pub location: Option<String>,
    /// `x-ms-ratelimit-remaining-subscription-writes` (or `-deletes`).
    pub remaining_writes: Option<u64>,
    pub body: Vec<u8>,
}

impl ArmResponse {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error ARM described, or a stand-in built from the status when the body is not
    /// an ARM error. Code and message are bounded (`MAX_CODE_CHARS`, `MAX_MESSAGE_CHARS`), the
    /// cut marked. With `body_may_hold_secrets` (an answer to `generateCredentials`) nothing
    /// of the body is used, whatever its shape: only the status speaks.
    pub(crate) fn error(&self, body_may_hold_secrets: bool) -> ArmErrorBody {
        let default = || default_code(self.status).to_owned();
        if body_may_hold_secrets {
            return ArmErrorBody {
                status: self.status,
                code: default(),
                message: "ARM's reason is not shown: an answer to generateCredentials may hold \
                          a password"
                    .to_owned(),
            };
        }
        let parsed = serde_json::from_slice::<wire::ErrorResponse>(&self.body).ok();
        let detail = parsed.map(|e| e.error).unwrap_or_default();
        let code = detail.code.unwrap_or_else(default);
        let message = detail.message.unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&self.body);
            let text = text.trim();
            if text.is_empty() {
                format!("HTTP {}", self.status)
            } else {
                text.to_owned()
            }
        });
        ArmErrorBody {
            status: self.status,
            code: bounded(&code, MAX_CODE_CHARS),
            message: bounded(&message, MAX_MESSAGE_CHARS),
        }
    }
}

impl fmt::Debug for ArmResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ArmResponse")
            .field("status", &self.status)
            .field("retry_after", &self.retry_after)
            .field("async_operation", &self.async_operation)
            .field("location", &self.location)
            .field("remaining_writes", &self.remaining_writes)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

fn default_code(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "HttpError",
    }
}

/// Parses `Retry-After` as whole (or fractional) seconds; anything else is ignored.
pub(super) fn parse_retry_after(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies() {
        let response = ArmResponse {
            status: 409,
            body: br#"{"error":{"code":"ScopeMapInUse","message":"The scope map is used by token 'x'."}}"#.to_vec(),
            ..ArmResponse::default()
        };
        assert_eq!(
            response.error(false),
            ArmErrorBody {
                status: 409,
                code: "ScopeMapInUse".into(),
                message: "The scope map is used by token 'x'.".into()
            }
        );
        let bare = ArmResponse {
            status: 502,
            body: b"<html>bad gateway</html>".to_vec(),
            ..ArmResponse::default()
        };
        assert_eq!(bare.error(false).code, "BadGateway");
        assert_eq!(bare.error(false).message, "<html>bad gateway</html>");
        let secret = ArmResponse {
            status: 400,
            body: br#"{"error":{"code":"fake-password-value-xyz","message":"fake-password-value-xyz"}}"#.to_vec(),
            ..ArmResponse::default()
        };
        assert_eq!(
            secret.error(true),
            ArmErrorBody {
                status: 400,
                code: "BadRequest".into(),
                message: "ARM's reason is not shown: an answer to generateCredentials may hold a password".into()
            }
        );
        let empty = ArmResponse {
            status: 503,
            ..ArmResponse::default()
        };
        assert_eq!(empty.error(false).message, "HTTP 503");
    }

    #[test]
    fn long_errors_are_cut_and_bodies_stay_out_of_debug() {
        let message = "m".repeat(10_000);
        let response = ArmResponse {
            status: 400,
            body: serde_json::to_vec(
                &serde_json::json!({"error": {"code": "c".repeat(1000), "message": message}}),
            )
            .unwrap(),
            ..ArmResponse::default()
        };
        let error = response.error(false);
        assert_eq!(
            error.message.chars().count(),
            MAX_MESSAGE_CHARS + " …[cut]".chars().count()
        );
        assert!(error.message.ends_with(" …[cut]"));
        assert!(error.code.len() < 120);
        let secret = ArmResponse {
            status: 200,
            body: br#"{"passwords":[{"value":"fake-password-value-xyz"}]}"#.to_vec(),
            ..ArmResponse::default()
        };
        assert!(!format!("{secret:?}").contains("fake-password"));
    }

    #[test]
    fn retry_after() {
        assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
