//! Key Vault's error responses: a status and `{"error": {"code", "message", "innererror"?}}`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::http;

/// One Key Vault error, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The `innererror.code`, when Key Vault gives one.
    pub inner: Option<&'static str>,
}

impl KvError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            inner: None,
        }
    }

    /// 400 `BadParameter`.
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadParameter", message)
    }

    /// 404 `SecretNotFound` for `name` or `name/version`.
    pub fn secret_not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SecretNotFound",
            format!(
                "A secret with (name/id) {what} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"
            ),
        )
    }

    /// 403 for reading a disabled version.
    pub fn disabled(operation: &str) -> Self {
        Self {
            inner: Some("SecretDisabled"),
            ..Self::new(
                StatusCode::FORBIDDEN,
                "Forbidden",
                format!("Operation {operation} is not allowed on a disabled secret."),
            )
        }
    }

    /// 404 for a vault the emulator does not serve.
    pub fn vault_not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "VaultNotFound",
            format!(
                "The vault '{name}' does not exist in this emulator (start it with --key-vault {name})."
            ),
        )
    }

    /// 404 for a path Key Vault does not serve.
    pub fn no_such_path(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("No operation matches the request path '{path}'."),
        )
    }

    pub fn method_not_allowed(method: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The requested resource does not support http method '{method}'."),
        )
    }

    /// The injected 500 of `--fail-every` and `--key-vault-fail-every`.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "An internal server error occurred. Please try again.",
        )
    }

    /// The 503 of a vault taken down (`--key-vault-down`, `POST /_emulator/key-vault`).
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "The service is currently unavailable (acr-emulator: Key Vault is down).",
        )
    }

    /// 429, sent with a `Retry-After`.
    pub fn throttled() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "Throttled",
            "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached",
        )
    }

    pub fn body(&self) -> Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(inner) = self.inner {
            error["innererror"] = json!({ "code": inner });
        }
        json!({ "error": error })
    }

    pub fn response(&self) -> Response {
        http::json(self.status, &self.body())
    }
}
