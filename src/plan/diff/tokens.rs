//! Tokens: declared ones are created, updated or disabled; undeclared ones follow
//! `unmanaged.tokens`, except that a sync token is never deleted.

use super::Planner;
use super::passwords::PasswordPlan;
use crate::model::{DesiredToken, LiveToken, TokenStatus, UnmanagedTokens, WriteOp};
use crate::plan::pair::{Pair, pairs};
use crate::plan::{Address, ChangeKind, ObjectState, PlanError};

/// The managed fields of `token` once the plan is applied.
fn desired_state(token: &DesiredToken, passwords: Option<&PasswordPlan>) -> ObjectState {
    ObjectState::Token {
        scope_map: token.scope_map.clone(),
        status: token.status,
        passwords: passwords.map(|p| p.final_slots.clone()),
    }
}

impl<'a> Planner<'a> {
    pub(super) fn tokens(&mut self) -> Result<(), PlanError> {
        let (desired, live) = (self.desired, self.live);
        // Undeclared tokens are planned once every declared one is: a declared token's error
        // is the one reported, and `final_users` names the last token planned.
        let mut undeclared = Vec::new();
        for pair in pairs(&desired.tokens, &live.tokens) {
            match pair {
                Pair::Left(token) => self.declared_token(token, None)?,
                Pair::Both(token, current) => self.declared_token(token, Some(current))?,
                Pair::Right(token) => undeclared.push(token),
            }
        }
        for token in undeclared {
            match desired.removed.tokens.get(&token.name) {
                Some(&action) => self.removed_token(token, action)?,
                None => self.undeclared_token(token),
            }
        }
        Ok(())
    }

    fn declared_token(
        &mut self,
        token: &'a DesiredToken,
        live_token: Option<&'a LiveToken>,
    ) -> Result<(), PlanError> {
        let (desired, live) = (self.desired, self.live);
        if !desired.scope_maps.contains_key(&token.scope_map)
            && !live.scope_maps.contains_key(&token.scope_map)
        {
            return Err(PlanError::UnknownScopeMap {
                token: token.name.clone(),
                scope_map: token.scope_map.clone(),
            });
        }
        self.uses(&token.scope_map, &token.name);
        let passwords = match &token.passwords {
            Some(policies) => Some(self.plan_passwords(&token.name, policies, live_token)?),
            None => None,
        };
        match live_token {
            None => {
                let after = desired_state(token, passwords.as_ref());
                let op = WriteOp::CreateToken {
                    name: token.name.clone(),
                    scope_map: token.scope_map.clone(),
                    status: token.status,
                };
                let address = Address::Token(token.name.clone());
                self.push(address, ChangeKind::Create, (None, Some(after)), None, op);
            }
            Some(current) => self.update_token(token, current, passwords.as_ref()),
        }
        if let Some(passwords) = passwords {
            self.push_rotations(passwords);
        }
        Ok(())
    }

    /// Updates a declared token that exists, when anything differs (most don't: nothing is
    /// built for them).
    fn update_token(
        &mut self,
        token: &DesiredToken,
        current: &LiveToken,
        passwords: Option<&PasswordPlan>,
    ) {
        // One that has not settled is written again (`unsettled`).
        let note = super::unsettled::rewrite_note(current.provisioning_state);
        let failed = note.is_some();
        let scope_map =
            (failed || current.scope_map != token.scope_map).then(|| token.scope_map.clone());
        let status = (failed || current.status != token.status).then_some(token.status);
        let keep_passwords = passwords.and_then(|p| p.keep.as_ref());
        if scope_map.is_none() && status.is_none() && keep_passwords.is_none() {
            return;
        }
        let kind = if status == Some(TokenStatus::Disabled) && current.status != token.status {
            ChangeKind::Disable
        } else {
            ChangeKind::Update
        };
        let before = ObjectState::of_live_token(current, token.passwords.is_some());
        let after = desired_state(token, passwords);
        let op = WriteOp::UpdateToken {
            name: token.name.clone(),
            scope_map,
            status,
            keep_passwords: keep_passwords.cloned(),
        };
        let address = Address::Token(token.name.clone());
        self.push(address, kind, (Some(before), Some(after)), note, op);
        self.rewrites_unsettled(current.provisioning_state);
    }

    fn undeclared_token(&mut self, token: &'a LiveToken) {
        if self.desired.is_ignored(token.name.as_str()) {
            self.uses(&token.scope_map, &token.name);
            return;
        }
        let address = Address::Token(token.name.clone());
        let sync_of = self.sync_tokens.get(&token.name).copied();
        let note = match (self.desired.unmanaged.tokens, sync_of) {
            (UnmanagedTokens::Ignore, _) => None,
            (UnmanagedTokens::Disable, _) => {
                Some("not in the configuration, and unmanaged.tokens is disable".to_owned())
            }
            (UnmanagedTokens::Delete, Some(connected_registry)) => Some(format!(
                "not in the configuration, and unmanaged.tokens is delete, but it is the sync token \
                 of connected_registry.{connected_registry} and can't be deleted: it is disabled \
                 instead, which also disables the connected registry"
            )),
            (UnmanagedTokens::Delete, None) => {
                let note = "not in the configuration, and unmanaged.tokens is delete";
                let before = ObjectState::of_live_token(token, false);
                let op = WriteOp::DeleteToken {
                    name: token.name.clone(),
                };
                self.push(
                    address,
                    ChangeKind::Delete,
                    (Some(before), None),
                    Some(note.to_owned()),
                    op,
                );
                return;
            }
        };
        // The token stays, disabled or not, and keeps its scope map.
        self.uses(&token.scope_map, &token.name);
        match note {
            Some(note) if token.status == TokenStatus::Enabled => {
                let before = ObjectState::of_live_token(token, false);
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
                self.push(
                    address,
                    ChangeKind::Disable,
                    (Some(before), Some(after)),
                    Some(note),
                    op,
                );
            }
            _ => self.unmanaged.push(address),
        }
    }
}
