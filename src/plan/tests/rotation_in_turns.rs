//! Rotation in turns (DESIGN §4, issue 14): the two slots of a token are never both given new
//! passwords in one apply unless neither holds a usable one, and their expiries stay staggered.
//! Proved over a simulated year of applies with the time injected: `diff` plans at `now`,
//! `Live::apply` carries the plan out at `now`, and time moves on.

use chrono::{DateTime, TimeDelta, Utc};

use super::fixtures::{DesiredBuilder, LiveBuilder, at, desired, live, policy};
use crate::model::{
    Desired, Live, LivePassword, PasswordPolicy, PasswordSlot, TokenStatus, WriteOp,
};
use crate::plan::{ChangeKind, diff};

use PasswordSlot::{Password1, Password2};

const TOKEN: &str = "team-a-ci";

fn two_slots(first: PasswordPolicy, second: PasswordPolicy) -> Desired {
    desired()
        .token(TOKEN, "_repositories_push")
        .passwords(TOKEN, &[(Password1, first), (Password2, second)])
}

fn password_of(live: &Live, slot: PasswordSlot) -> Option<LivePassword> {
    live.tokens
        .get(&TOKEN.parse().expect("name"))
        .and_then(|t| t.password(slot))
        .copied()
}

/// Whether `slot` holds a password that works at `t`.
fn valid_at(live: &Live, slot: PasswordSlot, t: DateTime<Utc>) -> bool {
    password_of(live, slot).is_some_and(|p| p.expiry.is_none_or(|e| e > t))
}

/// What one simulated year showed.
#[derive(Debug, Default)]
struct Year {
    /// `(when, slot)` of every new password, in order.
    generated: Vec<(DateTime<Utc>, PasswordSlot)>,
    /// Applies that found a declared slot expired (it waited its turn past its expiry).
    found_expired: Vec<(DateTime<Utc>, PasswordSlot)>,
    /// The smallest distance between the two slots' expiries after each apply, from `settled`.
    smallest_gap: Option<TimeDelta>,
}

/// Applies `desired` to `live` at `start`, then every `step` for a year, checking that (1) no
/// apply gives both slots a new password unless neither holds a usable one, (2) a slot that
/// still works is rotated only when the other has been in place for `handover`, (3) one slot
/// stays valid until the next apply, and (4) each apply leaves nothing to do.
fn simulate(
    desired: &Desired,
    mut live: Live,
    start: DateTime<Utc>,
    step: TimeDelta,
    handover: TimeDelta,
) -> Year {
    let mut year = Year::default();
    let mut last_generated: [Option<DateTime<Utc>>; 2] = [None, None];
    let settled = start + TimeDelta::days(90);
    let mut now = start;
    while now < start + TimeDelta::days(365) {
        for slot in PasswordSlot::ALL {
            if password_of(&live, slot).is_some() && !valid_at(&live, slot, now) {
                year.found_expired.push((now, slot));
            }
        }
        let usable_before = PasswordSlot::ALL
            .iter()
            .filter(|&&slot| valid_at(&live, slot, now))
            .count();
        let plan = diff(desired, &live, now).expect("plan");
        let mut generated = Vec::new();
        for change in &plan.changes {
            if let WriteOp::GeneratePassword { slot, .. } = change.op {
                let other = usize::from(slot == Password1);
                if valid_at(&live, slot, now)
                    && let Some(other_since) = last_generated[other]
                {
                    assert!(
                        now - other_since >= handover,
                        "{now}: {slot} rotated while it worked, {} after the other slot's",
                        now - other_since
                    );
                }
                generated.push(slot);
                year.generated.push((now, slot));
            }
            live.apply(&change.op, now).expect("apply");
        }
        for &slot in &generated {
            last_generated[usize::from(slot == Password2)] = Some(now);
        }
        assert!(
            generated.len() < 2 || usable_before == 0,
            "{now}: both slots got new passwords while one still worked: {plan:#?}"
        );
        assert!(
            diff(desired, &live, now).expect("plan").is_empty(),
            "{now}: the apply left something to do"
        );
        let next = now + step;
        assert!(
            PasswordSlot::ALL.iter().any(|&s| valid_at(&live, s, next)),
            "{now}: no slot holds a valid password at the next apply, {next}: {:?} {:?}",
            password_of(&live, Password1),
            password_of(&live, Password2),
        );
        if now >= settled
            && let (Some(a), Some(b)) = (
                password_of(&live, Password1).and_then(|p| p.expiry),
                password_of(&live, Password2).and_then(|p| p.expiry),
            )
        {
            let gap = (a - b).abs();
            year.smallest_gap = Some(year.smallest_gap.map_or(gap, |g| g.min(gap)));
        }
        now = next;
    }
    year
}

/// Half of `30d − 7d`.
const HANDOVER: TimeDelta = TimeDelta::hours(276);

fn thirty_seven() -> PasswordPolicy {
    policy(None, Some("30d"), Some("7d"))
}

/// The quickstart's `team-a-ci`: two slots that expire together.
fn expiring_together() -> Live {
    let mut live = live().token(TOKEN, "_repositories_push", TokenStatus::Enabled);
    for slot in PasswordSlot::ALL {
        live = live.password(TOKEN, slot, Some("2026-06-05T09:00:00Z"));
    }
    live
}

#[test]
fn slots_that_come_due_together_are_rotated_one_at_a_time() {
    let now = at("2026-06-01T00:00:00Z");
    let plan = diff(
        &two_slots(thirty_seven(), thirty_seven()),
        &expiring_together(),
        now,
    )
    .expect("plan");
    let rotated: Vec<String> = plan
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind, c.address))
        .collect();
    // The one that expires first goes; on a tie, password1.
    assert_eq!(rotated, ["rotate token.team-a-ci.password1"]);
    assert_eq!(
        plan.changes[0].note.as_deref(),
        Some(
            "expires at 2026-06-05T09:00:00Z, within rotate_before (7d); password2 stays and \
             keeps working until it expires at 2026-06-05T09:00:00Z"
        )
    );
}

#[test]
fn a_year_of_daily_applies_from_a_new_token() {
    let year = simulate(
        &two_slots(thirty_seven(), thirty_seven()),
        live(),
        at("2026-01-01T09:00:00Z"),
        TimeDelta::days(1),
        HANDOVER,
    );
    // Created together; password1 is rotated early at 12 days old, and from then on each slot
    // is rotated 24 days after its last password, 12 days after the other's: never expired.
    assert_eq!(year.found_expired, []);
    let generated: Vec<String> = year.generated[..6]
        .iter()
        .map(|(t, slot)| format!("{} {slot}", t.format("%m-%d")))
        .collect();
    assert_eq!(
        generated,
        [
            "01-01 password1",
            "01-01 password2",
            "01-13 password1",
            "01-25 password2",
            "02-06 password1",
            "02-18 password2"
        ]
    );
    assert_eq!(year.generated.len(), 32);
    assert_eq!(year.smallest_gap, Some(TimeDelta::days(12)));
}

#[test]
fn a_year_of_daily_applies_from_slots_that_expire_together() {
    let year = simulate(
        &two_slots(thirty_seven(), thirty_seven()),
        expiring_together(),
        at("2026-05-29T09:00:00Z"),
        TimeDelta::days(1),
        HANDOVER,
    );
    // password1 goes first; password2 waits its turn and is replaced when it expires, a week
    // later, while password1 works. Then they alternate as from a new token.
    assert_eq!(
        year.found_expired,
        [(at("2026-06-05T09:00:00Z"), Password2)]
    );
    assert_eq!(year.smallest_gap, Some(TimeDelta::days(12)));
}

#[test]
fn a_year_of_applies_under_other_policies_and_cadences() {
    let days = TimeDelta::days;
    let short = || policy(None, Some("7d"), Some("2d"));
    let no_margin = || policy(None, Some("30d"), None);
    let cases = [
        (
            "short lifetimes",
            short(),
            short(),
            days(1),
            TimeDelta::hours(60),
        ),
        (
            "lifetimes differ",
            thirty_seven(),
            policy(None, Some("90d"), Some("14d")),
            days(1),
            HANDOVER,
        ),
        (
            "no rotate_before: replaced once expired",
            no_margin(),
            no_margin(),
            days(1),
            days(15),
        ),
        (
            "every other day",
            thirty_seven(),
            thirty_seven(),
            days(2),
            HANDOVER,
        ),
        (
            "twice a day",
            thirty_seven(),
            thirty_seven(),
            TimeDelta::hours(12),
            HANDOVER,
        ),
        (
            "one slot never expires",
            thirty_seven(),
            policy(None, None, None),
            days(1),
            HANDOVER,
        ),
        (
            "fixed expiry far out",
            thirty_seven(),
            policy(Some("2030-01-01T00:00:00Z"), None, None),
            days(1),
            HANDOVER,
        ),
    ];
    for (case, first, second, step, handover) in cases {
        for (start_live, start) in [
            (live(), at("2026-01-01T09:00:00Z")),
            (expiring_together(), at("2026-05-29T09:00:00Z")),
        ] {
            let desired = two_slots(first, second);
            let year =
                std::panic::catch_unwind(|| simulate(&desired, start_live, start, step, handover));
            assert!(year.is_ok(), "case: {case}");
        }
    }
}

#[test]
fn an_empty_slot_is_created_not_rotated() {
    let plan = diff(
        &two_slots(thirty_seven(), thirty_seven()),
        &live().token(TOKEN, "_repositories_push", TokenStatus::Enabled),
        at("2026-06-01T00:00:00Z"),
    )
    .expect("plan");
    let kinds: Vec<(ChangeKind, String)> = plan
        .changes
        .iter()
        .map(|c| (c.kind, c.address.to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::Create, "token.team-a-ci.password1".to_owned()),
            (ChangeKind::Create, "token.team-a-ci.password2".to_owned()),
        ]
    );
    let summary = plan.summary();
    assert_eq!((summary.create, summary.rotate), (2, 0));
}

/// The rule of `diff/turns.rs`, case by case, at 2026-06-01T00:00Z with `{30d, 7d}` on both
/// slots (handover 11d 12h). Each slot is `(created, expires)`, or `None` when empty.
#[test]
fn the_rule_case_by_case() {
    type SlotAt = Option<(&'static str, &'static str)>;
    /// A case name, the two slots, the changes expected and the slots that wait.
    type Case = (
        &'static str,
        SlotAt,
        SlotAt,
        &'static [&'static str],
        &'static [&'static str],
    );
    let cases: [Case; 8] = [
        (
            "healthy and twelve days apart: nothing",
            Some(("2026-05-25T00:00:00Z", "2026-06-24T00:00:00Z")),
            Some(("2026-05-13T00:00:00Z", "2026-06-12T00:00:00Z")),
            &[],
            &[],
        ),
        (
            "created together 12 days ago: the first is rotated early, to stagger them",
            Some(("2026-05-20T00:00:00Z", "2026-06-19T00:00:00Z")),
            Some(("2026-05-20T00:00:00Z", "2026-06-19T00:00:00Z")),
            &["rotate token.team-a-ci.password1"],
            &[],
        ),
        (
            "created together 5 days ago: not yet",
            Some(("2026-05-27T00:00:00Z", "2026-06-26T00:00:00Z")),
            Some(("2026-05-27T00:00:00Z", "2026-06-26T00:00:00Z")),
            &[],
            &[],
        ),
        (
            "due, the other only 2 days old: waits",
            Some(("2026-05-05T00:00:00Z", "2026-06-04T00:00:00Z")),
            Some(("2026-05-30T00:00:00Z", "2026-06-29T00:00:00Z")),
            &[],
            &["token.team-a-ci.password1"],
        ),
        (
            "expired, the other only 2 days old: replaced at once",
            Some(("2026-04-30T00:00:00Z", "2026-05-30T00:00:00Z")),
            Some(("2026-05-30T00:00:00Z", "2026-06-29T00:00:00Z")),
            &["rotate token.team-a-ci.password1"],
            &[],
        ),
        (
            "due, the other expired: the expired one goes, the due one waits",
            Some(("2026-05-05T00:00:00Z", "2026-06-04T00:00:00Z")),
            Some(("2026-04-20T00:00:00Z", "2026-05-20T00:00:00Z")),
            &["rotate token.team-a-ci.password2"],
            &["token.team-a-ci.password1"],
        ),
        (
            "both expired: both at once",
            Some(("2026-04-20T00:00:00Z", "2026-05-20T00:00:00Z")),
            Some(("2026-04-25T00:00:00Z", "2026-05-25T00:00:00Z")),
            &[
                "rotate token.team-a-ci.password1",
                "rotate token.team-a-ci.password2",
            ],
            &[],
        ),
        (
            "one empty, the other expired: both at once",
            None,
            Some(("2026-04-25T00:00:00Z", "2026-05-25T00:00:00Z")),
            &[
                "create token.team-a-ci.password1",
                "rotate token.team-a-ci.password2",
            ],
            &[],
        ),
    ];
    for (case, first, second, changes, waiting) in cases {
        let mut live = live().token(TOKEN, "_repositories_push", TokenStatus::Enabled);
        for (slot, held) in [(Password1, first), (Password2, second)] {
            if let Some((created, expires)) = held {
                live = live.password(TOKEN, slot, Some(expires)).with(|l| {
                    let token = l
                        .tokens
                        .get_mut(&TOKEN.parse().expect("name"))
                        .expect("token");
                    let password = token.passwords.iter_mut().find(|p| p.name == slot);
                    password.expect("slot").creation_time = Some(at(created));
                });
            }
        }
        let plan = diff(
            &two_slots(thirty_seven(), thirty_seven()),
            &live,
            at("2026-06-01T00:00:00Z"),
        )
        .expect("plan");
        let found: Vec<String> = plan
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind, c.address))
            .collect();
        assert_eq!(found, changes, "case: {case}");
        let found: Vec<String> = plan.waiting.iter().map(|w| w.address.to_string()).collect();
        assert_eq!(found, waiting, "case: {case}");
    }
}
