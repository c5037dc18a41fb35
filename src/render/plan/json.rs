//! The plan as JSON, in DESIGN §4's shape. Its wire structs are its own, so the internal types
//! can change without changing the output; fields are only ever added.

use std::io::{self, Write};

use serde::Serialize;

use super::block::sorted_strings;
use crate::model::TokenName;
use crate::plan::{Change, ObjectState, PasswordsTo, Plan, Summary, Waiting, timestamp};

pub(crate) const FORMAT_VERSION: &str = "1";

#[derive(Serialize)]
struct PlanJson<'a> {
    format_version: &'static str,
    registry: RegistryJson<'a>,
    changes: Vec<ChangeJson<'a>>,
    access_changes: Vec<AccessJson<'a>>,
    unmanaged: Vec<String>,
    summary: Summary,
    /// Added to DESIGN §4's shape: what the plan could not fix.
    warnings: &'a [String],
    /// Added, with `plan --base` only: what left the configuration since the base revision and
    /// stays in the registry, not being under `removed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    left_alone: Option<Vec<String>>,
    /// Added too: password slots due for a new password that wait their turn.
    waiting: &'a [Waiting],
    /// Added: where the new passwords go, when a Key Vault will be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    passwords_to: Option<&'a PasswordsTo>,
}

#[derive(Serialize)]
struct RegistryJson<'a> {
    subscription: &'a str,
    resource_group: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    address: String,
    action: &'static str,
    origin: &'static str,
    before: Option<StateJson<'a>>,
    after: Option<StateJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// The managed fields of an object, untagged: the address says what kind of object it is.
#[derive(Serialize)]
#[serde(untagged)]
enum StateJson<'a> {
    ScopeMap {
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        actions: &'a [String],
    },
    Token {
        scope_map: &'a str,
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        passwords: Option<Vec<&'static str>>,
    },
    Password {
        /// Absent when it is known only after apply.
        #[serde(skip_serializing_if = "Option::is_none")]
        creation_time: Option<String>,
        expiry: Option<String>,
    },
    AdminUser {
        enabled: bool,
    },
    ConnectedRegistry {
        client_tokens: Vec<&'a str>,
    },
}

impl<'a> From<&'a ObjectState> for StateJson<'a> {
    fn from(state: &'a ObjectState) -> Self {
        match state {
            ObjectState::ScopeMap {
                description,
                actions,
            } => Self::ScopeMap {
                description: description.as_deref(),
                actions,
            },
            ObjectState::Token {
                scope_map,
                status,
                passwords,
            } => Self::Token {
                scope_map: scope_map.as_str(),
                status: status.as_str(),
                passwords: passwords
                    .as_ref()
                    .map(|slots| slots.iter().map(|s| s.as_str()).collect()),
            },
            ObjectState::Password {
                creation_time,
                expiry,
            } => Self::Password {
                creation_time: creation_time.map(timestamp),
                expiry: expiry.map(timestamp),
            },
            ObjectState::AdminUser { enabled } => Self::AdminUser { enabled: *enabled },
            ObjectState::ConnectedRegistry { client_tokens } => Self::ConnectedRegistry {
                client_tokens: client_tokens.iter().map(TokenName::as_str).collect(),
            },
        }
    }
}

#[derive(Serialize)]
struct AccessJson<'a> {
    token: &'a str,
    gained: Vec<String>,
    lost: Vec<String>,
}

impl<'a> From<&'a Change> for ChangeJson<'a> {
    fn from(change: &'a Change) -> Self {
        Self {
            address: change.address.to_string(),
            action: change.kind.as_str(),
            origin: change.origin.as_str(),
            before: change.before.as_ref().map(StateJson::from),
            after: change.after.as_ref().map(StateJson::from),
            note: change.note.as_deref(),
        }
    }
}

/// Writes `plan` as pretty-printed JSON followed by a newline.
pub fn render(plan: &Plan, w: &mut dyn Write) -> io::Result<()> {
    let json = PlanJson {
        format_version: FORMAT_VERSION,
        registry: RegistryJson {
            subscription: &plan.registry.subscription,
            resource_group: &plan.registry.resource_group,
            name: plan.registry.name.as_str(),
        },
        changes: plan.changes.iter().map(ChangeJson::from).collect(),
        access_changes: plan
            .access_changes
            .iter()
            .map(|a| AccessJson {
                token: a.token.as_str(),
                gained: sorted_strings(&a.gained),
                lost: sorted_strings(&a.lost),
            })
            .collect(),
        unmanaged: plan.unmanaged.iter().map(ToString::to_string).collect(),
        summary: plan.summary(),
        warnings: &plan.warnings,
        left_alone: plan
            .left_alone
            .as_ref()
            .map(|left| left.iter().map(ToString::to_string).collect()),
        waiting: &plan.waiting,
        passwords_to: plan.passwords_to.as_ref(),
    };
    crate::render::json::write_pretty(w, &json)
}
