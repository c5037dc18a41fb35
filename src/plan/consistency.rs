//! Whether a change holds together: its write does exactly what its address, kind, `before` and
//! `after` say, and its `before` is the object as the registry held it.
//!
//! A saved plan is a file, and a file can be edited. The reviewer reads the changes (address,
//! kind, before, after); `apply --plan` performs their writes. Without this check, editing the
//! stored write of "update `scope_map.ci-pull`" into "delete token `prod-push`" made apply
//! delete `prod-push` while reporting `scope_map.ci-pull update: done`. Every write is checked
//! against its change field by field, and a write the change does not describe is refused.
//! The match on `WriteOp` is exhaustive: a new kind of write cannot be added without saying
//! what change it belongs to.

use std::collections::BTreeSet;

use super::{Address, Change, ChangeKind, ObjectState};
use crate::model::{ActionSet, PasswordSlot, WriteOp};

/// Why a change does not hold together.
pub(super) type Inconsistency = String;

impl Change {
    /// `Ok` when the change's write does exactly what the change shows.
    pub fn check_consistent(&self) -> Result<(), Inconsistency> {
        let (kind, before, after) = (self.kind, self.before.as_ref(), self.after.as_ref());
        // An object that has not settled is written again whole: its fields are set to what
        // `after` shows even where `before` shows the same.
        let rewrite = self.unsettled.is_some();
        match (&self.op, &self.address) {
            (
                WriteOp::CreateScopeMap {
                    name,
                    description,
                    actions,
                },
                Address::ScopeMap(at),
            ) if name == at => {
                expect_kind(kind, &[ChangeKind::Create])?;
                expect_absent(before)?;
                let Some(ObjectState::ScopeMap {
                    description: d,
                    actions: a,
                }) = after
                else {
                    return Err(shape("after", "a scope map"));
                };
                same("description", description, d)?;
                same("actions", &strings(actions), a)
            }
            (
                WriteOp::UpdateScopeMap {
                    name,
                    description,
                    actions,
                },
                Address::ScopeMap(at),
            ) if name == at => {
                expect_kind(kind, &[ChangeKind::Update])?;
                let (
                    Some(ObjectState::ScopeMap {
                        description: bd,
                        actions: ba,
                    }),
                    Some(ObjectState::ScopeMap {
                        description: ad,
                        actions: aa,
                    }),
                ) = (before, after)
                else {
                    return Err(shape("before and after", "scope maps"));
                };
                match description {
                    Some(d) => {
                        same("description", &Some(d.clone()), ad)?;
                        differ_unless(rewrite, "description", bd, ad)?;
                    }
                    None if ad.is_some() => same("description", bd, ad)?,
                    None => {}
                }
                match actions {
                    Some(actions) => {
                        same("actions", &strings(actions), aa)?;
                        differ_unless(rewrite, "actions", ba, aa)
                    }
                    None => same("actions", ba, aa),
                }
            }
            (WriteOp::DeleteScopeMap { name }, Address::ScopeMap(at)) if name == at => {
                expect_kind(kind, &[ChangeKind::Delete])?;
                expect_shape(before, "before", "a scope map", |s| {
                    matches!(s, ObjectState::ScopeMap { .. })
                })?;
                expect_absent_after(after)
            }
            (
                WriteOp::CreateToken {
                    name,
                    scope_map,
                    status,
                },
                Address::Token(at),
            ) if name == at => {
                expect_kind(kind, &[ChangeKind::Create])?;
                expect_absent(before)?;
                let Some(ObjectState::Token {
                    scope_map: s,
                    status: st,
                    ..
                }) = after
                else {
                    return Err(shape("after", "a token"));
                };
                same("scope_map", scope_map, s)?;
                same("status", status, st)
            }
            (
                WriteOp::UpdateToken {
                    name,
                    scope_map,
                    status,
                    keep_passwords,
                },
                Address::Token(at),
            ) if name == at => {
                let (
                    Some(ObjectState::Token {
                        scope_map: bs,
                        status: bst,
                        passwords: bp,
                    }),
                    Some(ObjectState::Token {
                        scope_map: as_,
                        status: ast,
                        passwords: ap,
                    }),
                ) = (before, after)
                else {
                    return Err(shape("before and after", "tokens"));
                };
                let disables = *status == Some(crate::model::TokenStatus::Disabled);
                expect_kind(
                    kind,
                    if disables {
                        &[ChangeKind::Disable]
                    } else {
                        &[ChangeKind::Update]
                    },
                )?;
                changed_field("scope_map", scope_map.as_ref(), bs, as_, rewrite)?;
                changed_field("status", status.as_ref(), bst, ast, rewrite)?;
                kept_slots(keep_passwords.as_ref(), bp.as_ref(), ap.as_ref())
            }
            (WriteOp::DeleteToken { name }, Address::Token(at)) if name == at => {
                expect_kind(kind, &[ChangeKind::Delete])?;
                expect_shape(before, "before", "a token", |s| {
                    matches!(s, ObjectState::Token { .. })
                })?;
                expect_absent_after(after)
            }
            (
                WriteOp::GeneratePassword {
                    token,
                    slot,
                    expiry,
                },
                Address::Password(at, at_slot),
            ) if token == at && slot == at_slot => {
                // A slot that has no password yet is created; one that has is rotated.
                expect_kind(
                    kind,
                    if before.is_none() {
                        &[ChangeKind::Create, ChangeKind::Rotate]
                    } else {
                        &[ChangeKind::Rotate]
                    },
                )?;
                expect_shape(before.or(after), "before", "a password", |s| {
                    matches!(s, ObjectState::Password { .. })
                })?;
                let Some(ObjectState::Password {
                    creation_time: None,
                    expiry: e,
                }) = after
                else {
                    return Err(shape("after", "a password yet to be generated"));
                };
                same("expiry", expiry, e)
            }
            (WriteOp::SetAdminUser { enabled }, Address::AdminUser) => {
                expect_kind(kind, &[ChangeKind::Update])?;
                let (
                    Some(ObjectState::AdminUser { enabled: b }),
                    Some(ObjectState::AdminUser { enabled: a }),
                ) = (before, after)
                else {
                    return Err(shape("before and after", "the admin user switch"));
                };
                same("enabled", enabled, a)?;
                differ("enabled", b, a)
            }
            (
                WriteOp::SetClientTokens {
                    connected_registry,
                    client_tokens,
                },
                Address::ConnectedRegistry(at),
            ) if connected_registry == at => {
                expect_kind(kind, &[ChangeKind::Update])?;
                let (
                    Some(ObjectState::ConnectedRegistry { client_tokens: b }),
                    Some(ObjectState::ConnectedRegistry { client_tokens: a }),
                ) = (before, after)
                else {
                    return Err(shape("before and after", "connected registries"));
                };
                same("client_tokens", client_tokens, a)?;
                differ_unless(rewrite, "client_tokens", b, a)
            }
            (op, _) => Err(format!(
                "its write ({}) is not about {}",
                op_name(op),
                self.address
            )),
        }
    }
}

/// What the registry held, as a fingerprint (every field) and as a change's `before` (the
/// managed fields): `Ok` when `before` is `fingerprint` seen through what is managed.
pub(super) fn before_matches(
    before: Option<&ObjectState>,
    fingerprint: Option<&ObjectState>,
) -> Result<(), Inconsistency> {
    let held = match (before, fingerprint) {
        (None, None) => true,
        (
            Some(ObjectState::ScopeMap {
                description,
                actions,
            }),
            Some(ObjectState::ScopeMap {
                description: d,
                actions: a,
            }),
        ) => actions == a && (description.is_none() || description == d),
        (
            Some(ObjectState::Token {
                scope_map,
                status,
                passwords,
            }),
            Some(ObjectState::Token {
                scope_map: s,
                status: st,
                passwords: p,
            }),
        ) => scope_map == s && status == st && (passwords.is_none() || passwords == p),
        (Some(before), Some(fingerprint)) => before == fingerprint,
        _ => false,
    };
    if held {
        Ok(())
    } else {
        Err("its `before` is not what the registry held when the plan was made".to_owned())
    }
}

fn strings(actions: &ActionSet) -> Vec<String> {
    let mut strings: Vec<String> = actions.iter().map(ToString::to_string).collect();
    strings.sort();
    strings
}

fn op_name(op: &WriteOp) -> &'static str {
    match op {
        WriteOp::CreateScopeMap { .. } => "create a scope map",
        WriteOp::UpdateScopeMap { .. } => "update a scope map",
        WriteOp::DeleteScopeMap { .. } => "delete a scope map",
        WriteOp::CreateToken { .. } => "create a token",
        WriteOp::UpdateToken { .. } => "update a token",
        WriteOp::DeleteToken { .. } => "delete a token",
        WriteOp::GeneratePassword { .. } => "generate a password",
        WriteOp::SetAdminUser { .. } => "switch the admin user",
        WriteOp::SetClientTokens { .. } => "set client tokens",
    }
}

fn expect_kind(kind: ChangeKind, allowed: &[ChangeKind]) -> Result<(), Inconsistency> {
    if allowed.contains(&kind) {
        Ok(())
    } else {
        Err(format!("its write does not {kind}"))
    }
}

fn expect_absent(before: Option<&ObjectState>) -> Result<(), Inconsistency> {
    match before {
        None => Ok(()),
        Some(_) => Err("it creates an object that already existed".to_owned()),
    }
}

fn expect_absent_after(after: Option<&ObjectState>) -> Result<(), Inconsistency> {
    match after {
        None => Ok(()),
        Some(_) => Err("it deletes an object but shows it afterwards".to_owned()),
    }
}

fn expect_shape(
    state: Option<&ObjectState>,
    which: &str,
    what: &str,
    is: impl Fn(&ObjectState) -> bool,
) -> Result<(), Inconsistency> {
    match state {
        Some(state) if is(state) => Ok(()),
        _ => Err(shape(which, what)),
    }
}

fn shape(which: &str, what: &str) -> Inconsistency {
    format!("its `{which}` is not {what}")
}

fn same<T: PartialEq>(field: &str, written: &T, shown: &T) -> Result<(), Inconsistency> {
    if written == shown {
        Ok(())
    } else {
        Err(format!(
            "its write sets `{field}` to something other than `after` shows"
        ))
    }
}

fn differ<T: PartialEq>(field: &str, before: &T, after: &T) -> Result<(), Inconsistency> {
    if before == after {
        Err(format!(
            "its write changes `{field}`, which `before` and `after` show unchanged"
        ))
    } else {
        Ok(())
    }
}

/// `differ`, except in a rewrite of an object that has not settled.
fn differ_unless<T: PartialEq>(
    rewrite: bool,
    field: &str,
    before: &T,
    after: &T,
) -> Result<(), Inconsistency> {
    if rewrite {
        Ok(())
    } else {
        differ(field, before, after)
    }
}

/// A field an update writes (`Some`) must change from `before` to `after`; a field it leaves
/// (`None`) must not.
fn changed_field<T: PartialEq>(
    field: &str,
    written: Option<&T>,
    before: &T,
    after: &T,
    rewrite: bool,
) -> Result<(), Inconsistency> {
    match written {
        Some(value) if rewrite => same(field, value, after),
        Some(value) => {
            same(field, value, after)?;
            differ(field, before, after)
        }
        None if before == after => Ok(()),
        None => Err(format!(
            "`{field}` changes from `before` to `after` but its write leaves it"
        )),
    }
}

/// The slots an update keeps (`Some`: every other live slot is removed) must be exactly the live
/// slots that `after` still shows; with none named, no live slot may disappear.
fn kept_slots(
    keep: Option<&BTreeSet<PasswordSlot>>,
    before: Option<&BTreeSet<PasswordSlot>>,
    after: Option<&BTreeSet<PasswordSlot>>,
) -> Result<(), Inconsistency> {
    match (keep, before, after) {
        (None, None, _) => Ok(()),
        (None, Some(before), Some(after)) if before.is_subset(after) => Ok(()),
        (Some(keep), Some(before), Some(after)) => {
            let expected: BTreeSet<PasswordSlot> = before.intersection(after).copied().collect();
            if *keep == expected && expected != *before {
                Ok(())
            } else {
                Err("the password slots its write keeps are not those `after` shows".to_owned())
            }
        }
        _ => Err("the password slots its write keeps are not those `after` shows".to_owned()),
    }
}
