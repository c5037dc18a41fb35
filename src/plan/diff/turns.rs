//! Rotation in turns (DESIGN §4): a token has two password slots so that clients can move from
//! one password to the other without a moment in which none works. The rule:
//!
//! 1. A slot that holds no usable password (missing, expired, or lost by an interrupted apply)
//!    gets one at once, and so does a slot named by `--replace`. These never wait.
//! 2. Any other slot that is due (within `rotate_before`, or its expiry disagrees with the
//!    configuration) takes its turn: it gets a new password only when nothing else changes on
//!    the token in this apply, and the other slot's password has been in place for the token's
//!    *handover* time. Otherwise it waits (`Plan::waiting` says until when) and keeps working;
//!    if it expires meanwhile, rule 1 replaces it then, while the other slot still works.
//!    When both are due, the one that expires first goes first (on a tie, `password1`); the
//!    other goes instead only when the first must wait because the other is too fresh.
//! 3. The handover time is half of `expires_in − rotate_before`, the shortest among the token's
//!    `expires_in` slots (one day when it has none): the middle of a password's working life,
//!    so that each slot is rotated halfway between two rotations of the other.
//! 4. Staggering: when both slots' expiries lie within the handover time of each other (two
//!    slots created together, say), the one that expires first is due once it is at least the
//!    handover time old, and rule 2 then rotates it. From then on the two come due about half
//!    a lifetime apart, and each is rotated while the other has half its life left.
//!
//! The other slot's age is its creation time's distance from `now`; when the registry does not
//! report a creation time, it is taken from the expiry and `expires_in`, and when that is
//! unknown too the password counts as old enough.
//!
//! `plan::tests::rotation_in_turns` applies this for a simulated year under several policies
//! and cadences: no apply renews both slots while one still works, one slot is valid at every
//! moment, a slot that works is rotated only once the other has been in place for the handover
//! time, and each apply leaves nothing to do. With `{30d, 7d}` on both slots and daily applies,
//! each slot is rotated every 24 days, 12 days after the other, and never found expired.

use chrono::{DateTime, TimeDelta, Utc};

use super::passwords::{Decision, Need, new_expiry};
use crate::model::{ConfigDuration, LivePassword, PasswordPolicy, PasswordSlot};
use crate::plan::timestamp;

/// The handover time of a token none of whose slots has an `expires_in`.
const DEFAULT_HANDOVER: TimeDelta = TimeDelta::days(1);

/// One declared slot of a token, and what the plan would do with it on its own.
pub(super) struct Slot<'a> {
    pub(super) name: PasswordSlot,
    pub(super) policy: &'a PasswordPolicy,
    pub(super) live: Option<&'a LivePassword>,
    pub(super) decision: Decision,
}

impl Slot<'_> {
    /// Whether it gets a new password in this apply.
    fn renewed(&self) -> bool {
        matches!(self.decision, Decision::Renew { .. })
    }

    fn due(&self) -> bool {
        matches!(
            self.decision,
            Decision::Renew {
                need: Need::Due,
                ..
            }
        )
    }

    /// Whether it holds a password some client can use at `now`.
    fn usable(&self, now: DateTime<Utc>) -> bool {
        let lost_or_empty = matches!(
            self.decision,
            Decision::Renew {
                need: Need::Unusable,
                ..
            }
        );
        !lost_or_empty
            && self
                .live
                .is_some_and(|p| p.expiry.is_none_or(|at| at > now))
    }

    /// How long its live password has been in place, when that can be told.
    fn age(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        let live = self.live?;
        let created = live.creation_time.or_else(|| {
            let lifetime = self.policy.expires_in?.to_chrono();
            live.expiry.map(|at| at - lifetime)
        })?;
        Some(now - created)
    }

    fn lifetime(&self) -> Option<TimeDelta> {
        lifetime(self.policy)
    }

    fn reason_mut(&mut self) -> Option<&mut String> {
        match &mut self.decision {
            Decision::Renew { reason, .. } => Some(reason),
            _ => None,
        }
    }
}

/// The policy's `expires_in`, when it sets the expiry of new passwords.
fn lifetime(policy: &PasswordPolicy) -> Option<TimeDelta> {
    match policy.expiry {
        Some(_) => None,
        None => policy.expires_in.map(ConfigDuration::to_chrono),
    }
}

/// Half of `expires_in − rotate_before`, the shortest among the policies (rule 3).
fn handover(policies: [&PasswordPolicy; 2]) -> TimeDelta {
    policies
        .into_iter()
        .filter_map(|policy| {
            let margin = policy
                .rotate_before
                .map_or(TimeDelta::zero(), ConfigDuration::to_chrono);
            Some((lifetime(policy)? - margin) / 2)
        })
        .min()
        .unwrap_or(DEFAULT_HANDOVER)
}

/// A duration as `11d 12h`, `3h 30m` or `0m`.
pub(super) fn span(d: TimeDelta) -> String {
    let minutes = d.num_minutes().max(0);
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let parts: Vec<String> = [(days, 'd'), (hours, 'h'), (minutes, 'm')]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() {
        "0m".to_owned()
    } else {
        parts.join(" ")
    }
}

/// Decides which of one token's declared slots get a new password now, and which wait their
/// turn; says in each rotation's reason which slot keeps working meanwhile.
pub(super) fn take_turns(slots: &mut [Slot<'_>], now: DateTime<Utc>) {
    if let [only] = slots {
        if only.usable(now)
            && let Some(reason) = only.reason_mut()
        {
            reason
                .push_str("; no other password slot is declared, so none keeps working meanwhile");
        }
        return;
    }
    let [first, second] = slots else {
        return;
    };
    let handover = handover([first.policy, second.policy]);
    stagger(first, second, handover, now);
    let pair = [first, second];
    // Rule 2, the slot that expires first first.
    let mut order = [0, 1];
    order.sort_by_key(|&i| {
        let expiry = pair[i].live.and_then(|p| p.expiry);
        (expiry.is_none(), expiry)
    });
    // What gets a new password in this apply whatever happens: rule 1.
    let mut going = [0, 1].map(|i| pair[i].renewed() && !pair[i].due());
    for i in order {
        if !pair[i].due() {
            continue;
        }
        let other = &pair[1 - i];
        match must_wait(pair[i].name, other, going[1 - i], handover, now) {
            Some(why) => {
                if let Decision::Renew { reason, .. } = &pair[i].decision {
                    pair[i].decision = Decision::Wait(format!("{reason}; waits its turn: {why}"));
                }
            }
            None => going[i] = true,
        }
    }
    for i in [0, 1] {
        if pair[i].live.is_none() || !pair[i].renewed() {
            continue;
        }
        let stays = stays(pair[1 - i], now);
        if let Some(reason) = pair[i].reason_mut() {
            reason.push_str("; ");
            reason.push_str(&stays);
        }
    }
}

/// Why `slot`, due, must wait for `other`, if it must.
fn must_wait(
    slot: PasswordSlot,
    other: &Slot<'_>,
    other_going: bool,
    handover: TimeDelta,
    now: DateTime<Utc>,
) -> Option<String> {
    let o = other.name;
    if other_going {
        return Some(format!(
            "{o} gets a new password in this apply, and {slot} keeps working meanwhile; it is \
             rotated once {o} is {} old (from {}), or when it expires",
            span(handover),
            timestamp(now + handover)
        ));
    }
    if !other.usable(now) {
        return None;
    }
    let age = other.age(now)?;
    (age < handover).then(|| {
        format!(
            "{o} is only {} old, and {slot} keeps working meanwhile; it is rotated once {o} is \
             {} old (from {}), or when it expires",
            span(age),
            span(handover),
            timestamp(now - age + handover)
        )
    })
}

/// What the rotation's note says about the other slot.
fn stays(other: &Slot<'_>, now: DateTime<Utc>) -> String {
    let o = other.name;
    if other.renewed() {
        return format!("{o} gets a new password in this apply too");
    }
    if !other.usable(now) {
        return format!("{o} holds no usable password, so none keeps working meanwhile");
    }
    match other.live.and_then(|p| p.expiry) {
        Some(at) => format!(
            "{o} stays and keeps working until it expires at {}",
            timestamp(at)
        ),
        None => format!("{o} stays and keeps working (it never expires)"),
    }
}

/// Rule 4: the first to expire of two `expires_in` slots whose expiries lie within the handover
/// time of each other is due once it is that old.
fn stagger<'a>(
    first: &mut Slot<'a>,
    second: &mut Slot<'a>,
    handover: TimeDelta,
    now: DateTime<Utc>,
) {
    let healthy = |s: &Slot<'_>| {
        matches!(s.decision, Decision::Keep) && s.usable(now) && s.lifetime().is_some()
    };
    if !healthy(first) || !healthy(second) {
        return;
    }
    let (Some(a), Some(b)) = (
        first.live.and_then(|p| p.expiry),
        second.live.and_then(|p| p.expiry),
    ) else {
        return;
    };
    if (a - b).abs() >= handover {
        return;
    }
    let (early, other_expiry, other) = if b < a {
        (second, a, first.name)
    } else {
        (first, b, second.name)
    };
    if early.age(now).is_some_and(|age| age < handover) {
        return;
    }
    let expiry = early.live.and_then(|p| p.expiry).unwrap_or(now);
    early.decision = Decision::Renew {
        expiry: new_expiry(early.policy, now),
        reason: format!(
            "expires at {}, within {} of {other}'s expiry ({}): rotated early so that the two \
             slots do not come due together",
            timestamp(expiry),
            span(handover),
            timestamp(other_expiry)
        ),
        need: Need::Due,
    };
}
