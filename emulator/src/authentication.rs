//! ARM authentication as the emulator checks it: every request carries
//! `Authorization: Bearer <token>`; with a configured token, it must be that one.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::arm_error::ArmError;
use crate::http;

/// Checks the request's bearer token against `expected` (any token when `None`).
pub fn check(headers: &HeaderMap, expected: Option<&str>) -> Result<(), ArmError> {
    let fail = |message: &str| {
        Err(ArmError::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            message,
        ))
    };
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return fail("Authentication failed. The 'Authorization' header is missing.");
    };
    let bearer = value
        .to_str()
        .unwrap_or_default()
        .split_once(' ')
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("Bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim());
    let Some(bearer) = bearer else {
        return fail(
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        );
    };
    match expected {
        Some(expected) if expected != bearer => {
            fail("Authentication failed. The access token is invalid.")
        }
        _ => Ok(()),
    }
}

/// The 401, with the `WWW-Authenticate` challenge ARM sends along.
pub fn challenge(error: &ArmError) -> Response {
    let mut response = http::error(error);
    http::set_header(
        &mut response,
        "www-authenticate",
        "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\"",
    );
    response
}
