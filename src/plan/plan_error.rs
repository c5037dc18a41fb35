//! Why no plan could be made. Each variant names the object at fault.

use crate::model::{ConnectedRegistryName, ScopeMapName, TokenName};

use super::Address;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The configuration describes another registry than the one that was read.
    #[error(
        "the configuration describes registry `{configured}` but the registry read is `{live}`; \
         refusing to plan one against the other"
    )]
    WrongRegistry { configured: String, live: String },
    /// A declared scope map has the name of one of ACR's system scope maps, which can never be
    /// changed.
    #[error(
        "scope map `{0}` is a system scope map and cannot be managed; reference it from a token instead"
    )]
    SystemScopeMap(ScopeMapName),
    /// A declared token uses a scope map that neither the configuration nor the registry has.
    #[error(
        "token `{token}` uses scope map `{scope_map}`, which is neither declared nor in the registry"
    )]
    UnknownScopeMap {
        token: TokenName,
        scope_map: ScopeMapName,
    },
    /// A declared token uses a system scope map this registry does not have: registries
    /// created until 2023 have three (`_repositories_admin`, `_repositories_pull`,
    /// `_repositories_push`), newer ones five.
    #[error(
        "token `{token}` uses system scope map `{scope_map}`, which this registry does not have; \
         its system scope maps are {}",
        present.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingSystemScopeMap {
        token: TokenName,
        scope_map: ScopeMapName,
        present: Vec<ScopeMapName>,
    },
    /// A declared connected registry lists a client token that is neither declared nor live.
    #[error(
        "connected registry `{connected_registry}` lists client token `{token}`, which is neither declared nor in the registry"
    )]
    UnknownClientToken {
        connected_registry: ConnectedRegistryName,
        token: TokenName,
    },
    /// A password policy whose new passwords would already be due for rotation: every plan
    /// would rotate again.
    #[error(
        "{address}: `expires_in` ({expires_in}) must be longer than `rotate_before` ({rotate_before}), \
         or every plan rotates the password again"
    )]
    RotationNeverSettles {
        address: Address,
        expires_in: String,
        rotate_before: String,
    },
    /// A token named under `removed` is the sync token of a connected registry: deleting it is
    /// refused by ACR, and disabling it takes the connected registry offline (DESIGN §4).
    #[error(
        "token `{token}` is under `removed`, but it is the sync token of connected registry \
         `{connected_registry}`: scopeform never deletes or disables a sync token; take it out of \
         `removed`"
    )]
    RemovedSyncToken {
        token: TokenName,
        connected_registry: String,
    },
    /// A scope map named under `removed` is one of the registry's system scope maps.
    #[error(
        "scope map `{0}` is under `removed`, but it is a system scope map, which is never deleted; \
         take it out of `removed`"
    )]
    RemovedSystemScopeMap(ScopeMapName),
    /// A scope map named under `removed` is still used by a token that stays.
    #[error(
        "scope map `{scope_map}` is under `removed`, but token `{token}` still uses it and stays; \
         remove the token too (under `removed`) or keep the scope map"
    )]
    RemovedScopeMapInUse {
        scope_map: ScopeMapName,
        token: TokenName,
    },
    /// Applying the plan in memory failed: a bug in the planner, never the user's fault.
    #[error("internal error: the plan cannot be applied in order at {address}: {reason}")]
    Inconsistent { address: Address, reason: String },
}
