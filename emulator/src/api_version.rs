//! The `api-version` query parameter every ARM request needs; the emulator speaks only
//! `2025-11-01`.

use crate::API_VERSION;
use crate::arm_error::ArmError;

/// Checks the request's `api-version`, with ARM's error codes.
pub fn check(version: Option<&str>) -> Result<(), ArmError> {
    match version {
        None | Some("") => Err(ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )),
        Some(API_VERSION) => Ok(()),
        Some(other) => Err(ArmError::bad_request(
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{other}' is invalid. The supported versions are '{API_VERSION}'."
            ),
        )),
    }
}
