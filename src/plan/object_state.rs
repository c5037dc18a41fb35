//! The managed fields of one object before or after a change. Never a password value: a
//! password is described by its creation time and expiry only.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use crate::model::{
    LivePassword, LiveScopeMap, LiveToken, PasswordSlot, ScopeMapName, TokenName, TokenStatus,
};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectState {
    ScopeMap {
        /// `None` when the description is not managed.
        description: Option<String>,
        /// Sorted as strings; includes live actions scopeform could not parse.
        actions: Vec<String>,
    },
    Token {
        scope_map: ScopeMapName,
        status: TokenStatus,
        /// The password slots the token has, when its passwords are managed.
        passwords: Option<BTreeSet<PasswordSlot>>,
    },
    Password {
        /// `None` when unknown: a new password's creation time is known only after apply.
        creation_time: Option<DateTime<Utc>>,
        expiry: Option<DateTime<Utc>>,
    },
    AdminUser {
        enabled: bool,
    },
    ConnectedRegistry {
        client_tokens: BTreeSet<TokenName>,
    },
}

impl ObjectState {
    /// Every field of a live scope map, the description only when `with_description`.
    pub fn of_live_scope_map(scope_map: &LiveScopeMap, with_description: bool) -> Self {
        let mut actions: Vec<String> = scope_map
            .actions
            .iter()
            .map(ToString::to_string)
            .chain(scope_map.unrecognised_actions.iter().cloned())
            .collect();
        actions.sort();
        Self::ScopeMap {
            description: with_description.then(|| scope_map.description.clone()),
            actions,
        }
    }

    /// A live token, with its password slots only when `with_passwords`.
    pub fn of_live_token(token: &LiveToken, with_passwords: bool) -> Self {
        Self::Token {
            scope_map: token.scope_map.clone(),
            status: token.status,
            passwords: with_passwords.then(|| token.passwords.iter().map(|p| p.name).collect()),
        }
    }

    pub fn of_live_password(password: &LivePassword) -> Self {
        Self::Password {
            creation_time: password.creation_time,
            expiry: password.expiry,
        }
    }
}
