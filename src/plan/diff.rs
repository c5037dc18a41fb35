//! `diff`: the changes that make the live registry match the configuration.

mod passwords;
mod removed;
mod scope_maps;
mod system_scope_maps;
mod tokens;
mod turns;
mod unsettled;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{
    Address, Change, ChangeKind, ObjectState, Origin, Plan, PlanError, PlanRegistry, Waiting,
};
use super::{order, simulate};
use crate::model::{
    Desired, InterruptedRotation, Live, LiveScopeMap, ResourceGroupName, ScopeMapName,
    SubscriptionId, TokenName, UnmanagedScopeMaps, WriteOp,
};

/// What a plan takes besides the configuration, the registry and the time.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options<'a> {
    /// Rotations earlier applies started and never saved (from the secrets file): a declared
    /// password one of them generated is rotated again, and the change's note says so.
    pub interrupted: &'a [InterruptedRotation],
    /// Password slots to rotate even when healthy (`--replace`), as Terraform's `-replace`.
    pub replace: &'a [Address],
}

/// Plans the changes that make `live` match `desired`, as of `now`. Pure.
pub fn diff(desired: &Desired, live: &Live, now: DateTime<Utc>) -> Result<Plan, PlanError> {
    diff_with(desired, live, now, Options::default())
}

/// Like `diff`, and rotates again every declared password that one of `interrupted` (from the
/// secrets file) generated and never saved, saying so in the change's note. Pure.
pub(crate) fn diff_recovering(
    desired: &Desired,
    live: &Live,
    now: DateTime<Utc>,
    interrupted: &[InterruptedRotation],
) -> Result<Plan, PlanError> {
    diff_with(
        desired,
        live,
        now,
        Options {
            interrupted,
            replace: &[],
        },
    )
}

/// `diff` with `options`. Pure.
pub(crate) fn diff_with(
    desired: &Desired,
    live: &Live,
    now: DateTime<Utc>,
    options: Options<'_>,
) -> Result<Plan, PlanError> {
    check_registry(desired, live)?;
    system_scope_maps::check(desired, live)?;
    let unsettled = unsettled::warnings(desired, live);
    let live = &*unsettled::settled_view(live);
    let mut planner = Planner::new(desired, live, now, options);
    planner.warnings.extend(unsettled);
    planner.admin_user();
    planner.declared_scope_maps()?;
    planner.tokens()?;
    planner.lost_passwords_left_alone();
    // Last among objects: whether a scope map may go depends on where every token ends up.
    planner.undeclared_scope_maps()?;
    planner.connected_registries()?;
    let Planner {
        changes,
        mut unmanaged,
        warnings,
        waiting,
        ..
    } = planner;
    let changes = order::order(changes, live)?;
    let access_changes = simulate::access_changes(live, &changes, now)?;
    unmanaged.sort();
    Ok(Plan {
        registry: PlanRegistry {
            subscription: live.registry.subscription.clone(),
            resource_group: live.registry.resource_group.clone(),
            name: live.registry.name.clone(),
        },
        planned_at: now,
        changes,
        access_changes,
        unmanaged,
        warnings,
        left_alone: None,
        waiting,
        passwords_to: None,
    })
}

/// Refuses to plan a configuration for one registry against another: applying such a plan
/// would delete or rewrite a stranger's access. Azure names compare case-insensitively.
fn check_registry(desired: &Desired, live: &Live) -> Result<(), PlanError> {
    let wanted = &desired.registry;
    let actual = &live.registry;
    let same = |a: Option<&str>, b: &str| a.is_none_or(|a| a.eq_ignore_ascii_case(b));
    let subscription = wanted.subscription.as_ref().map(SubscriptionId::as_str);
    let resource_group = wanted
        .resource_group
        .as_ref()
        .map(ResourceGroupName::as_str);
    if same(Some(wanted.name.as_str()), actual.name.as_str())
        && same(subscription, &actual.subscription)
        && same(resource_group, &actual.resource_group)
    {
        return Ok(());
    }
    let or_any = |s: Option<&str>| s.unwrap_or("*").to_owned();
    Err(PlanError::WrongRegistry {
        configured: format!(
            "{}/{}/{}",
            or_any(subscription),
            or_any(resource_group),
            wanted.name
        ),
        live: format!(
            "{}/{}/{}",
            actual.subscription, actual.resource_group, actual.name
        ),
    })
}

/// The state of one planning run: the inputs, and what has been decided so far.
struct Planner<'a> {
    desired: &'a Desired,
    live: &'a Live,
    now: DateTime<Utc>,
    /// Rotations earlier applies started and never saved.
    interrupted: &'a [InterruptedRotation],
    /// Password slots to rotate even when healthy.
    replace: &'a [Address],
    changes: Vec<Change>,
    unmanaged: Vec<Address>,
    warnings: Vec<String>,
    waiting: Vec<Waiting>,
    /// Every scope map some token will use once the plan is applied, with one such token (the
    /// last planned). Only a scope map that may be deleted asks: `None` when none may be (at
    /// Premium scale, 50,000 inserts that nothing would read).
    final_users: Option<HashMap<&'a ScopeMapName, &'a TokenName>>,
    /// The live scope maps the configuration does not declare, in name order: what happens to
    /// them depends on where every token ends up, so they are decided last.
    undeclared_scope_maps: Vec<&'a LiveScopeMap>,
    /// The sync tokens of the live connected registries, with their connected registry.
    sync_tokens: HashMap<&'a TokenName, &'a str>,
}

impl<'a> Planner<'a> {
    fn new(desired: &'a Desired, live: &'a Live, now: DateTime<Utc>, options: Options<'a>) -> Self {
        let sync_tokens = live
            .connected_registries
            .values()
            .map(|cr| (&cr.sync_token, cr.name.as_str()))
            .collect();
        let scope_maps_may_go = desired.unmanaged.scope_maps == UnmanagedScopeMaps::Delete
            || !desired.removed.scope_maps.is_empty();
        Self {
            desired,
            live,
            now,
            interrupted: options.interrupted,
            replace: options.replace,
            changes: Vec::new(),
            unmanaged: Vec::new(),
            warnings: Vec::new(),
            waiting: Vec::new(),
            final_users: scope_maps_may_go.then(HashMap::new),
            undeclared_scope_maps: Vec::new(),
            sync_tokens,
        }
    }

    /// Records that `token` uses `scope_map` once the plan is applied.
    fn uses(&mut self, scope_map: &'a ScopeMapName, token: &'a TokenName) {
        if let Some(users) = &mut self.final_users {
            users.insert(scope_map, token);
        }
    }

    /// A token that uses `scope_map` once the plan is applied, if any. Asked only about a scope
    /// map that may be deleted, so `final_users` is recorded.
    fn final_user(&self, scope_map: &ScopeMapName) -> Option<&'a TokenName> {
        let users = self.final_users.as_ref();
        debug_assert!(
            users.is_some(),
            "final_users is recorded when a scope map may go"
        );
        users?.get(scope_map).copied()
    }

    fn push(
        &mut self,
        address: Address,
        kind: ChangeKind,
        (before, after): (Option<ObjectState>, Option<ObjectState>),
        note: Option<String>,
        op: WriteOp,
    ) {
        self.changes.push(Change {
            address,
            kind,
            origin: Origin::Config,
            before,
            after,
            note,
            op,
            unsettled: None,
            depends_on: Vec::new(),
        });
    }

    /// Marks the change just pushed as a rewrite of an object that has not settled.
    fn rewrites_unsettled(&mut self, state: crate::model::ProvisioningState) {
        if let Some(change) = self.changes.last_mut()
            && !state.is_succeeded()
        {
            change.unsettled = Some(state);
        }
    }

    fn admin_user(&mut self) {
        let live = self.live.registry.admin_user_enabled;
        if let Some(wanted) = self.desired.admin_user
            && wanted != live
        {
            self.push(
                Address::AdminUser,
                ChangeKind::Update,
                (
                    Some(ObjectState::AdminUser { enabled: live }),
                    Some(ObjectState::AdminUser { enabled: wanted }),
                ),
                None,
                WriteOp::SetAdminUser { enabled: wanted },
            );
        }
    }

    /// Client tokens of declared connected registries. scopeform never creates, deletes or
    /// re-modes a connected registry: those differences are warnings.
    fn connected_registries(&mut self) -> Result<(), PlanError> {
        let (desired, live) = (self.desired, self.live);
        let declared_or_live = |token: &TokenName| {
            desired.tokens.contains_key(token) || live.tokens.contains_key(token)
        };
        for cr in desired.connected_registries.values() {
            let address = Address::ConnectedRegistry(cr.name.clone());
            if let Some(token) = cr.client_tokens.iter().find(|t| !declared_or_live(t)) {
                return Err(PlanError::UnknownClientToken {
                    connected_registry: cr.name.clone(),
                    token: token.clone(),
                });
            }
            let Some(live) = self.live.connected_registries.get(&cr.name) else {
                self.warnings.push(format!(
                    "{address} is declared but does not exist in the registry; scopeform does not \
                     create connected registries (use `az acr connected-registry create`), so its \
                     client tokens are not set"
                ));
                continue;
            };
            if live.mode != cr.mode {
                self.warnings.push(format!(
                    "{address} is in mode {} but declared {}; scopeform does not change the mode \
                     of a connected registry",
                    live.mode, cr.mode
                ));
            }
            // One that has not settled is written again (`unsettled`).
            let rewrite = unsettled::rewrite_note(live.provisioning_state);
            if live.client_tokens != cr.client_tokens || rewrite.is_some() {
                self.push(
                    address,
                    ChangeKind::Update,
                    (
                        Some(ObjectState::ConnectedRegistry {
                            client_tokens: live.client_tokens.clone(),
                        }),
                        Some(ObjectState::ConnectedRegistry {
                            client_tokens: cr.client_tokens.clone(),
                        }),
                    ),
                    rewrite,
                    WriteOp::SetClientTokens {
                        connected_registry: cr.name.clone(),
                        client_tokens: cr.client_tokens.clone(),
                    },
                );
                self.rewrites_unsettled(live.provisioning_state);
            }
        }
        Ok(())
    }
}
