//! ARM error responses: a status code and the common-types `ErrorResponse` body
//! `{"error": {"code": "…", "message": "…"}}`.

use axum::http::StatusCode;
use serde_json::{Value, json};

/// One ARM error, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl ArmError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// 400 with a specific code.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 400 for a body that is not the JSON the operation expects.
    pub fn invalid_content(message: impl Into<String>) -> Self {
        Self::bad_request("InvalidRequestContent", message)
    }

    /// 404 in ARM's words for a missing resource of `resource_type` (such as
    /// `Microsoft.ContainerRegistry/registries/tokens`).
    pub fn not_found(resource_type: &str, name: &str, resource_group: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!(
                "The Resource '{resource_type}/{name}' under resource group '{resource_group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            ),
        )
    }

    /// 409 for a change the current state forbids.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", message)
    }

    /// The injected 500 of `fail_every` and `fail_async_every`.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "Encountered internal server error. Please try again.",
        )
    }

    /// The `error` object alone (also used inside operation status bodies).
    pub fn detail(&self) -> Value {
        json!({ "code": self.code, "message": self.message })
    }

    /// The whole `ErrorResponse` body; a 404 also says `"status": "Failed"`, as real Azure's do.
    pub fn body(&self) -> Value {
        let mut body = json!({ "error": self.detail() });
        if self.status == StatusCode::NOT_FOUND {
            body["status"] = json!("Failed");
        }
        body
    }
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ArmError {}
