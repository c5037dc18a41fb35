//! Scope maps: declared ones are created or updated; undeclared ones follow
//! `unmanaged.scope_maps`, unless a remaining token still uses them.

use super::Planner;
use crate::model::{
    DesiredScopeMap, LiveScopeMap, UnmanagedScopeMaps, WriteOp, is_system_scope_map_name,
};
use crate::plan::pair::{Pair, pairs};
use crate::plan::{Address, ChangeKind, ObjectState, PlanError};

/// The desired managed fields, actions sorted as strings.
fn desired_state(scope_map: &DesiredScopeMap) -> ObjectState {
    let mut actions: Vec<String> = scope_map.actions.keys().map(ToString::to_string).collect();
    actions.sort();
    ObjectState::ScopeMap {
        description: scope_map.description.clone(),
        actions,
    }
}

impl Planner<'_> {
    /// Plans every declared scope map, and sets the undeclared ones aside for
    /// `undeclared_scope_maps`.
    pub(super) fn declared_scope_maps(&mut self) -> Result<(), PlanError> {
        let (desired, live) = (self.desired, self.live);
        for pair in pairs(&desired.scope_maps, &live.scope_maps) {
            match pair {
                Pair::Left(scope_map) => self.declared_scope_map(scope_map, None)?,
                Pair::Both(scope_map, live) => self.declared_scope_map(scope_map, Some(live))?,
                Pair::Right(live) => self.undeclared_scope_maps.push(live),
            }
        }
        Ok(())
    }

    fn declared_scope_map(
        &mut self,
        scope_map: &DesiredScopeMap,
        live: Option<&LiveScopeMap>,
    ) -> Result<(), PlanError> {
        let name = &scope_map.name;
        if is_system_scope_map_name(name.as_str()) || live.is_some_and(|l| l.system) {
            return Err(PlanError::SystemScopeMap(name.clone()));
        }
        let Some(live) = live else {
            let op = WriteOp::CreateScopeMap {
                name: name.clone(),
                description: scope_map.description.clone(),
                actions: scope_map.action_set(),
            };
            let states = (None, Some(desired_state(scope_map)));
            let address = Address::ScopeMap(name.clone());
            self.push(address, ChangeKind::Create, states, None, op);
            return Ok(());
        };
        // One that has not settled is written again, whole (`unsettled`).
        let rewrite = super::unsettled::rewrite_note(live.provisioning_state);
        let failed = rewrite.is_some();
        let description = scope_map
            .description
            .as_ref()
            .filter(|d| failed || **d != live.description);
        let actions_differ = failed || !scope_map.same_actions_as(live);
        if description.is_none() && !actions_differ {
            return Ok(());
        }
        let note = if failed {
            rewrite
        } else {
            (!live.unrecognised_actions.is_empty()).then(|| {
                "the registry holds actions scopeform does not recognise; they are replaced"
                    .to_owned()
            })
        };
        let op = WriteOp::UpdateScopeMap {
            name: name.clone(),
            description: description.cloned(),
            actions: actions_differ.then(|| scope_map.action_set()),
        };
        let managed_description = scope_map.description.is_some();
        let states = (
            Some(ObjectState::of_live_scope_map(live, managed_description)),
            Some(desired_state(scope_map)),
        );
        let address = Address::ScopeMap(name.clone());
        self.push(address, ChangeKind::Update, states, note, op);
        self.rewrites_unsettled(live.provisioning_state);
        Ok(())
    }

    /// Needs `final_users`, so it runs after every token has been planned.
    pub(super) fn undeclared_scope_maps(&mut self) -> Result<(), PlanError> {
        for scope_map in std::mem::take(&mut self.undeclared_scope_maps) {
            let name = &scope_map.name;
            if self.desired.removed.scope_maps.contains(name) {
                self.removed_scope_map(scope_map)?;
                continue;
            }
            if scope_map.system || self.desired.is_ignored(name.as_str()) {
                continue;
            }
            let address = Address::ScopeMap(name.clone());
            match self.desired.unmanaged.scope_maps {
                UnmanagedScopeMaps::Ignore => self.unmanaged.push(address),
                UnmanagedScopeMaps::Delete => {
                    if let Some(user) = self.final_user(name) {
                        self.warnings.push(format!(
                            "{address} is not in the configuration but is not deleted: \
                             token.{user} still uses it"
                        ));
                        self.unmanaged.push(address);
                        continue;
                    }
                    let states = (Some(ObjectState::of_live_scope_map(scope_map, true)), None);
                    let note = "not in the configuration, and unmanaged.scope_maps is delete";
                    let op = WriteOp::DeleteScopeMap { name: name.clone() };
                    self.push(
                        address,
                        ChangeKind::Delete,
                        states,
                        Some(note.to_owned()),
                        op,
                    );
                }
            }
        }
        Ok(())
    }
}
