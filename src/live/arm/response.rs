//! ARM responses as plain data: status, the headers scopeform acts on, and the body. The
//! client fills one from the wire; everything that interprets it is a pure function.

use std::time::Duration;

use super::wire;
use crate::live::error::ArmErrorBody;

/// What ARM answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArmResponse {
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
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error ARM described, or a stand-in built from the status when the body is not
    /// an ARM error.
    pub fn error(&self) -> ArmErrorBody {
        let parsed = serde_json::from_slice::<wire::ErrorResponse>(&self.body).ok();
        let detail = parsed.map(|e| e.error).unwrap_or_default();
        let code = detail
            .code
            .unwrap_or_else(|| default_code(self.status).to_owned());
        let message = detail.message.unwrap_or_else(|| {
            let text = String::from_utf8_lossy(&self.body);
            let text = text.trim();
            if text.is_empty() {
                format!("HTTP {}", self.status)
            } else {
                text.chars().take(300).collect()
            }
        });
        ArmErrorBody {
            status: self.status,
            code,
            message,
        }
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
pub fn parse_retry_after(value: &str) -> Option<Duration> {
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
            response.error(),
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
        assert_eq!(bare.error().code, "BadGateway");
        assert_eq!(bare.error().message, "<html>bad gateway</html>");
        let empty = ArmResponse {
            status: 503,
            ..ArmResponse::default()
        };
        assert_eq!(empty.error().message, "HTTP 503");
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
