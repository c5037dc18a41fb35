//! `POST …/registries/{r}/generateCredentials`: new password values for one slot of a token, or
//! both. The values appear only in this response; the token keeps each slot's metadata.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{parse_body, registry_or_404, token};
use crate::arm_error::ArmError;
use crate::change::{Change, Prepared, Reply};
use crate::ids::RegistryRef;
use crate::state::State;
use crate::timestamp;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GenerateCredentialsBody {
    token_id: Option<String>,
    expiry: Option<String>,
    name: Option<String>,
}

/// Decides a generateCredentials call: the token must exist; `name` picks one slot, its absence
/// regenerates both (as in the RegistryGenerateCredentials example).
pub fn prepare(
    state: &State,
    reference: &RegistryRef,
    body: &[u8],
    at: DateTime<Utc>,
) -> Result<Prepared, ArmError> {
    let registry = registry_or_404(state, reference)?;
    let body: GenerateCredentialsBody = parse_body(body)?;
    let token_id = body.token_id.ok_or_else(|| {
        ArmError::invalid_content("The property 'tokenId' is required to generate credentials.")
    })?;
    let token = token::resolve_id(registry, reference, &token_id, "tokenId")?;
    let slots = match body.name.as_deref() {
        Some(name) => vec![token::slot(name)?],
        None => token::PASSWORD_SLOTS.to_vec(),
    };
    let expiry = match body.expiry.as_deref() {
        None => None,
        Some(text) => Some(timestamp::parse(text).ok_or_else(|| {
            ArmError::invalid_content(format!(
                "The expiry '{text}' is not a valid date-time (RFC 3339)."
            ))
        })?),
    };
    Ok(Prepared {
        change: Change::GenerateCredentials {
            registry: registry.props.key(),
            token: token.name.to_ascii_lowercase(),
            slots,
            expiry,
            at,
        },
        reply: Reply::Result,
    })
}
