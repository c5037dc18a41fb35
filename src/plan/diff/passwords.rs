//! Password slots of a token whose `passwords` key is present: rotate what is missing, has the
//! wrong fixed expiry, or is due; remove live slots that are not declared.
//!
//! Without a state file (DESIGN §4) the live expiry is all there is to go by. A fixed `expiry`
//! that has passed or falls within `rotate_before` can't be fixed by rotating (the new password
//! would get the same expiry, and every plan would rotate again), so it is a warning.
//!
//! The one thing the secrets file adds: a rotation an earlier apply started and never saved
//! (`InterruptedRotation`). When the live slot shows it generated a password, nobody has that
//! password, so a declared slot is rotated again whatever its expiry says; one the plan leaves
//! alone is a warning.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::Planner;
use crate::model::{
    InterruptedRotation, LivePassword, LiveToken, PasswordPolicy, PasswordSlot, TokenName, WriteOp,
};
use crate::plan::{Address, ChangeKind, ObjectState, PlanError, timestamp};

/// A new password for one slot.
pub(super) struct Rotation {
    token: TokenName,
    slot: PasswordSlot,
    before: Option<LivePassword>,
    expiry: Option<DateTime<Utc>>,
    reason: String,
}

/// What happens to one token's passwords.
pub(super) struct PasswordPlan {
    pub(super) rotations: Vec<Rotation>,
    /// `Some`: the token update removes every live slot not in the set.
    pub(super) keep: Option<BTreeSet<PasswordSlot>>,
    /// The slots the token has once the plan is applied.
    pub(super) final_slots: BTreeSet<PasswordSlot>,
}

/// What to do with one declared slot.
enum Decision {
    Keep,
    Rotate {
        expiry: Option<DateTime<Utc>>,
        reason: String,
    },
    /// Rotating would not help; the slot is left as it is.
    Warn(String),
}

/// The expiry a new password for `policy` gets, generated at `now`.
fn new_expiry(policy: &PasswordPolicy, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    policy
        .expiry
        .or_else(|| policy.expires_in.map(|lifetime| now + lifetime.to_chrono()))
}

fn decide(policy: &PasswordPolicy, live: Option<&LivePassword>, now: DateTime<Utc>) -> Decision {
    if let Some(fixed) = policy.expiry {
        let live_expiry = live.and_then(|p| p.expiry);
        if fixed <= now {
            return if live.is_some() && live_expiry == Some(fixed) {
                Decision::Warn(format!(
                    "expired at {}, the declared `expiry`; declare a later one to rotate it",
                    timestamp(fixed)
                ))
            } else {
                Decision::Warn(format!(
                    "the declared `expiry` {} has passed, so no password is generated; declare \
                     a later one",
                    timestamp(fixed)
                ))
            };
        }
        return match live {
            None => Decision::Rotate {
                expiry: Some(fixed),
                reason: "declared but missing from the registry".to_owned(),
            },
            Some(_) if live_expiry != Some(fixed) => Decision::Rotate {
                expiry: Some(fixed),
                reason: format!(
                    "expiry {} differs from the declared {}",
                    live_expiry.map_or_else(|| "none".to_owned(), timestamp),
                    timestamp(fixed)
                ),
            },
            Some(_) => match policy.rotate_before {
                Some(margin) if fixed <= now + margin.to_chrono() => Decision::Warn(format!(
                    "expires at {}, within rotate_before ({margin}), but its expiry is fixed; \
                     declare a later `expiry` to rotate it",
                    timestamp(fixed)
                )),
                _ => Decision::Keep,
            },
        };
    }
    let expiry = new_expiry(policy, now);
    let Some(current) = live else {
        return Decision::Rotate {
            expiry,
            reason: "declared but missing from the registry".to_owned(),
        };
    };
    match (current.expiry, policy.rotate_before) {
        (Some(at), _) if at <= now => Decision::Rotate {
            expiry,
            reason: format!("expired at {}", timestamp(at)),
        },
        (Some(at), Some(margin)) if at <= now + margin.to_chrono() => Decision::Rotate {
            expiry,
            reason: format!(
                "expires at {}, within rotate_before ({margin})",
                timestamp(at)
            ),
        },
        _ => Decision::Keep,
    }
}

impl<'a> Planner<'a> {
    pub(super) fn plan_passwords(
        &mut self,
        token: &TokenName,
        policies: &BTreeMap<PasswordSlot, PasswordPolicy>,
        live: Option<&LiveToken>,
    ) -> Result<PasswordPlan, PlanError> {
        let mut plan = PasswordPlan {
            rotations: Vec::new(),
            keep: None,
            final_slots: BTreeSet::new(),
        };
        for (&slot, policy) in policies {
            let address = Address::Password(token.clone(), slot);
            if let (None, Some(lifetime), Some(margin)) =
                (policy.expiry, policy.expires_in, policy.rotate_before)
                && lifetime.hours() <= margin.hours()
            {
                return Err(PlanError::RotationNeverSettles {
                    address,
                    expires_in: lifetime.to_string(),
                    rotate_before: margin.to_string(),
                });
            }
            let current = live.and_then(|t| t.password(slot));
            let mut decision = decide(policy, current, self.now);
            if let Some(lost) = self.lost_password(token, slot) {
                let reason = format!("{}; rotating it again", lost.describe_lost());
                decision = match decision {
                    Decision::Keep => Decision::Rotate {
                        expiry: new_expiry(policy, self.now),
                        reason,
                    },
                    Decision::Rotate { expiry, .. } => Decision::Rotate { expiry, reason },
                    // Rotating can't help; `lost_passwords_left_alone` says so too.
                    warn @ Decision::Warn(_) => warn,
                };
            }
            match decision {
                Decision::Keep => {
                    plan.final_slots.insert(slot);
                }
                Decision::Rotate { expiry, reason } => {
                    plan.final_slots.insert(slot);
                    plan.rotations.push(Rotation {
                        token: token.clone(),
                        slot,
                        before: current.copied(),
                        expiry,
                        reason,
                    });
                }
                Decision::Warn(message) => {
                    if current.is_some() {
                        plan.final_slots.insert(slot);
                    }
                    self.warnings.push(format!("{address}: {message}"));
                }
            }
        }
        if let Some(live) = live {
            let live_slots: BTreeSet<PasswordSlot> =
                live.passwords.iter().map(|p| p.name).collect();
            if live_slots.iter().any(|slot| !policies.contains_key(slot)) {
                let keep = live_slots
                    .into_iter()
                    .filter(|slot| policies.contains_key(slot))
                    .collect();
                plan.keep = Some(keep);
            }
        }
        Ok(plan)
    }

    /// The interrupted rotation that generated the live password in `slot`, if one did.
    fn lost_password(
        &self,
        token: &TokenName,
        slot: PasswordSlot,
    ) -> Option<&'a InterruptedRotation> {
        self.interrupted
            .iter()
            .find(|r| r.token == *token && r.slot == slot && r.generated(self.live).is_some())
    }

    /// Warns about every password an interrupted rotation generated that the plan neither
    /// rotates again nor removes: it stays in the registry and nobody has it.
    pub(super) fn lost_passwords_left_alone(&mut self) {
        for lost in self.interrupted {
            if lost.generated(self.live).is_none() {
                continue;
            }
            let address = Address::Password(lost.token.clone(), lost.slot);
            let handled = self.changes.iter().any(|c| match &c.op {
                WriteOp::GeneratePassword { token, slot, .. } => {
                    *token == lost.token && *slot == lost.slot
                }
                WriteOp::DeleteToken { name } => *name == lost.token,
                WriteOp::UpdateToken {
                    name,
                    keep_passwords: Some(keep),
                    ..
                } => *name == lost.token && !keep.contains(&lost.slot),
                _ => false,
            });
            if !handled {
                self.warnings.push(format!(
                    "{address}: {}, and this plan does not rotate it again; declare the slot \
                     under the token's `passwords` (with any `expiry` in the future) to have it \
                     rotated",
                    lost.describe_lost()
                ));
            }
        }
    }

    pub(super) fn push_rotations(&mut self, passwords: PasswordPlan) {
        for rotation in passwords.rotations {
            let before = rotation.before.as_ref().map(ObjectState::of_live_password);
            let after = ObjectState::Password {
                creation_time: None,
                expiry: rotation.expiry,
            };
            let op = WriteOp::GeneratePassword {
                token: rotation.token.clone(),
                slot: rotation.slot,
                expiry: rotation.expiry,
            };
            let address = Address::Password(rotation.token, rotation.slot);
            self.push(
                address,
                ChangeKind::Rotate,
                (before, Some(after)),
                Some(rotation.reason),
                op,
            );
        }
    }
}
