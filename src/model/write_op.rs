//! One write to the registry. A plan change carries exactly one; both backends (ARM and the
//! snapshot file) know how to perform each.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::{
    ActionSet, ConnectedRegistryName, PasswordSlot, ScopeMapName, Secret, TokenName, TokenStatus,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum WriteOp {
    /// `PUT` a new scope map.
    CreateScopeMap {
        name: ScopeMapName,
        description: Option<String>,
        actions: ActionSet,
    },
    /// `PATCH` a scope map; `None` fields are left as they are.
    UpdateScopeMap {
        name: ScopeMapName,
        description: Option<String>,
        actions: Option<ActionSet>,
    },
    DeleteScopeMap {
        name: ScopeMapName,
    },
    /// `PUT` a new token. Never used on an existing token: a `PUT` without credentials wipes
    /// its passwords (see the ARM spec's TokenUpdate example and DESIGN §1).
    CreateToken {
        name: TokenName,
        scope_map: ScopeMapName,
        status: TokenStatus,
    },
    /// `PATCH` a token. `keep_passwords: Some(slots)` removes every live slot not listed.
    UpdateToken {
        name: TokenName,
        scope_map: Option<ScopeMapName>,
        status: Option<TokenStatus>,
        keep_passwords: Option<BTreeSet<PasswordSlot>>,
    },
    DeleteToken {
        name: TokenName,
    },
    /// `POST generateCredentials` for one slot.
    GeneratePassword {
        token: TokenName,
        slot: PasswordSlot,
        expiry: Option<DateTime<Utc>>,
    },
    /// `PATCH` the registry's `adminUserEnabled`.
    SetAdminUser {
        enabled: bool,
    },
    /// `PATCH` a connected registry's `clientTokenIds`.
    SetClientTokens {
        connected_registry: ConnectedRegistryName,
        client_tokens: BTreeSet<TokenName>,
    },
}

impl WriteOp {
    /// For a `GeneratePassword`, the password a backend made, with the value `value` makes:
    /// its user name is the token's. `None` for every other write.
    pub fn generated_password(
        &self,
        value: impl FnOnce() -> Secret,
        creation_time: Option<DateTime<Utc>>,
    ) -> Option<GeneratedPassword> {
        match self {
            Self::GeneratePassword {
                token,
                slot,
                expiry,
            } => Some(GeneratedPassword {
                token: token.clone(),
                username: token.to_string(),
                slot: *slot,
                value: value(),
                creation_time,
                expiry: *expiry,
            }),
            _ => None,
        }
    }
}

/// A password value returned by `generateCredentials`. It goes to the secrets file only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPassword {
    pub token: TokenName,
    pub username: String,
    pub slot: PasswordSlot,
    pub value: Secret,
    pub creation_time: Option<DateTime<Utc>>,
    pub expiry: Option<DateTime<Utc>>,
}
