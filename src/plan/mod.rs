//! Plans: what must change in the live registry for it to match the configuration.
//!
//! `diff` is pure: it takes the desired state, the live state and the time, and returns the
//! changes in an order that can be executed (each change lists the earlier changes it waits
//! for), the access every token gains and loses, and what it saw but left alone. It never reads
//! the clock, the environment or the network, so tests can pin every decision.
//!
//! Decisions worth knowing (DESIGN §4 is the contract):
//! - Objects the configuration declares are managed even when an `ignore` glob matches them;
//!   `ignore` applies to live objects the configuration does not declare.
//! - A token is deleted because it is named under `removed` (explicitly), or because it is
//!   undeclared under `unmanaged.tokens: delete`. A sync token in the second position is
//!   disabled instead, with a note (which also disables its connected registry); in the first
//!   it is an error, as is a system scope map under `removed`.
//! - An undeclared scope map that a remaining token still uses is never deleted, whatever
//!   `unmanaged.scope_maps` says: it is listed as unmanaged with a warning.
//! - scopeform does not create connected registries: a declared one missing live is a warning.
//! - A password with a fixed `expiry` that has passed, or that falls within `rotate_before`,
//!   cannot be helped by rotating (the new password would get the same expiry): a warning.
//! - The two password slots of a token take turns (`diff/turns.rs`): one apply gives at most one
//!   of them a new password while the other still works, and a due slot can wait its turn
//!   (`Plan::waiting`).

mod address;
mod change;
mod change_kind;
mod consistency;
mod diff;
mod left_alone;
mod object_state;
mod order;
mod origin;
mod pair;
mod passwords_to;
mod plan_error;
mod replace;
pub(crate) mod saved;
mod simulate;
mod summary;
pub(crate) mod target;
mod waiting;

#[cfg(test)]
pub(crate) mod tests;

use chrono::{DateTime, Utc};

pub(crate) use address::{Address, AddressError};
pub(crate) use change::Change;
pub(crate) use change_kind::ChangeKind;
pub use diff::diff;
pub(crate) use diff::{Options, diff_recovering, diff_with};
pub(crate) use left_alone::left_alone;
pub(crate) use object_state::ObjectState;
pub(crate) use origin::{Origin, mark_origins};
pub(crate) use passwords_to::{PasswordsTo, moved_since_base};
pub(crate) use plan_error::PlanError;
pub(crate) use replace::{UnknownReplace, check_replace};
pub(crate) use summary::Summary;
pub(crate) use waiting::Waiting;

use crate::access::AccessChange;
use crate::model::RegistryName;

/// Which registry a plan is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanRegistry {
    pub subscription: String,
    pub resource_group: String,
    pub name: RegistryName,
}

/// Every change needed, in execution order, with what the changes do to access.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub registry: PlanRegistry,
    /// The `now` the plan was made with: rotations' expiries are counted from it.
    pub planned_at: DateTime<Utc>,
    /// A valid execution order: every `depends_on` index is smaller than the change's own.
    pub changes: Vec<Change>,
    /// Per token whose effective access changes, what it gains and loses.
    #[serde(with = "simulate::access_changes_serde")]
    pub access_changes: Vec<AccessChange>,
    /// Live objects the configuration does not declare and the plan leaves alone (ignored
    /// globs and system scope maps are not listed).
    pub unmanaged: Vec<Address>,
    /// Things the plan cannot fix that the user should know.
    pub warnings: Vec<String>,
    /// With `plan --base REV` (`None` without): what the configuration declared at `REV` and no
    /// longer does, is not under `removed`, and stays in the registry untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_alone: Option<Vec<Address>>,
    /// Password slots due for a new password that wait their turn, so that the token's other
    /// slot keeps working. Absent from plans saved before it existed.
    #[serde(default)]
    pub waiting: Vec<Waiting>,
    /// Where the new passwords go, when a Key Vault will be written: set by the command that
    /// shows the plan (`set_passwords_to`), which knows; not kept in saved plans, which keep
    /// the configuration's `secrets` beside the plan.
    #[serde(skip)]
    pub passwords_to: Option<PasswordsTo>,
}

/// A time as plans show it: `2027-06-30T00:00:00Z`.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Plan {
    pub fn summary(&self) -> Summary {
        Summary::of(&self.changes)
    }

    /// Whether applying would write nothing. Unmanaged objects, waiting rotations and warnings
    /// don't count.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
