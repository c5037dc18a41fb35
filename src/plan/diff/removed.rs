//! Objects named under `removed`: a live token is deleted or disabled, a live scope map
//! deleted, each with the note "removed from the configuration"; one already gone (or a token
//! already disabled, for `disable`) needs nothing. What DESIGN §4 never deletes or disables (a
//! sync token, a system scope map) is an error here, since the configuration asks for it.

use super::Planner;
use crate::model::{LiveScopeMap, LiveToken, RemovedAction, TokenStatus, WriteOp};
use crate::plan::{Address, ChangeKind, ObjectState, PlanError};

/// The note of every change a `removed` entry makes.
pub(super) const NOTE: &str = "removed from the configuration";

impl<'a> Planner<'a> {
    pub(super) fn removed_token(
        &mut self,
        token: &'a LiveToken,
        action: RemovedAction,
    ) -> Result<(), PlanError> {
        if let Some(connected_registry) = self.sync_tokens.get(&token.name) {
            return Err(PlanError::RemovedSyncToken {
                token: token.name.clone(),
                connected_registry: (*connected_registry).to_owned(),
            });
        }
        let address = Address::Token(token.name.clone());
        let before = ObjectState::of_live_token(token, false);
        match action {
            RemovedAction::Delete => {
                let op = WriteOp::DeleteToken {
                    name: token.name.clone(),
                };
                let states = (Some(before), None);
                self.push(
                    address,
                    ChangeKind::Delete,
                    states,
                    Some(NOTE.to_owned()),
                    op,
                );
            }
            RemovedAction::Disable => {
                // A disabled token keeps its scope map.
                self.uses(&token.scope_map, &token.name);
                if token.status == TokenStatus::Disabled {
                    return Ok(());
                }
                let after = ObjectState::Token {
                    scope_map: token.scope_map.clone(),
                    status: TokenStatus::Disabled,
                    passwords: None,
                };
                let op = WriteOp::UpdateToken {
                    name: token.name.clone(),
                    scope_map: None,
                    status: Some(TokenStatus::Disabled),
                    keep_passwords: None,
                };
                let states = (Some(before), Some(after));
                self.push(
                    address,
                    ChangeKind::Disable,
                    states,
                    Some(NOTE.to_owned()),
                    op,
                );
            }
        }
        Ok(())
    }

    /// Needs `final_users`, so it runs after every token has been planned.
    pub(super) fn removed_scope_map(&mut self, scope_map: &LiveScopeMap) -> Result<(), PlanError> {
        let name = &scope_map.name;
        if scope_map.system {
            return Err(PlanError::RemovedSystemScopeMap(name.clone()));
        }
        if let Some(user) = self.final_user(name) {
            return Err(PlanError::RemovedScopeMapInUse {
                scope_map: name.clone(),
                token: user.clone(),
            });
        }
        let states = (Some(ObjectState::of_live_scope_map(scope_map, true)), None);
        let op = WriteOp::DeleteScopeMap { name: name.clone() };
        let address = Address::ScopeMap(name.clone());
        self.push(
            address,
            ChangeKind::Delete,
            states,
            Some(NOTE.to_owned()),
            op,
        );
        Ok(())
    }
}
