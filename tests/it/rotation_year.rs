//! A simulated year of daily `apply` runs against the emulator (issue 14, "rotation in turns"):
//! time is injected in both, the emulator's clock (`POST /_emulator/clock`) and scopeform's
//! (`SCOPEFORM_NOW`), and moved one day per run. Every day: no apply gives both slots of the
//! token a new password, the slot left alone still worked when the other was rotated, at least
//! one slot stays valid until the next run, and the secrets file holds each slot's current
//! password. Over the year each slot is rotated many times, in alternation.
//!
//! Each day is a real process start and a handful of ARM requests (only the one token the
//! rotations are about is configured). Two simulations run: the literal year,
//! `{expires_in: 30d, rotate_before: 7d}` over 365 daily applies
//! (`the_quickstart_policy_over_a_whole_year`: 365 process runs, about 100 s on a shared
//! two-core machine), and a compressed one that fails faster: 10-day passwords rotated 3 days
//! before expiry over 120 daily applies, as many lifetimes (twelve) as the year.

use crate::support;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use support::{Emulator, config_dir};

/// The quickstart's CI token with `policy` (`{ expires_in: …, rotate_before: … }`) on both slots.
fn config(policy: &str) -> String {
    format!(
        "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
tokens:
  team-a-ci:
    scope_map: _repositories_push
    passwords:
      password1: {policy}
      password2: {policy}
"
    )
}

const SLOTS: [&str; 2] = ["password1", "password2"];

fn start() -> DateTime<Utc> {
    "2030-01-01T00:00:00Z".parse().expect("valid time")
}

fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn parse(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("not a time: {value}"))
}

/// A slot as the emulator holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    created: DateTime<Utc>,
    expiry: DateTime<Utc>,
}

/// The token's slots in the emulator, by name.
fn slots(emulator: &Emulator) -> BTreeMap<String, Slot> {
    let registry = emulator.registry();
    let token = registry["tokens"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == "team-a-ci").cloned())
        .expect("the token exists");
    token["passwords"]
        .as_array()
        .expect("passwords")
        .iter()
        .map(|p| {
            let slot = Slot {
                created: parse(&p["creation_time"]),
                expiry: parse(&p["expiry"]),
            };
            (p["name"].as_str().expect("name").to_owned(), slot)
        })
        .collect()
}

fn set_clock(client: &reqwest::blocking::Client, emulator: &Emulator, now: DateTime<Utc>) {
    let response = client
        .post(format!("{}/_emulator/clock", emulator.url()))
        .json(&json!({ "now": timestamp(now) }))
        .send()
        .expect("clock hook");
    assert!(response.status().is_success(), "{response:?}");
}

#[test]
fn daily_applies_rotate_in_turns_and_always_leave_a_working_password() {
    let rotations = simulate("{ expires_in: 10d, rotate_before: 3d }", 120);
    for slot in SLOTS {
        let count = rotations[slot].len();
        assert!(
            count >= 12,
            "{slot} was rotated {count} times: {rotations:?}"
        );
    }
}

#[test]
fn the_quickstart_policy_over_a_whole_year() {
    let rotations = simulate("{ expires_in: 30d, rotate_before: 7d }", 365);
    for slot in SLOTS {
        let count = rotations[slot].len();
        assert!(
            count >= 12,
            "{slot} was rotated {count} times: {rotations:?}"
        );
    }
}

/// Runs `apply` once a day for `days` days with `policy` on both slots, checking every day's
/// outcome; returns the days on which each slot got a new password (day 0 included), having
/// checked that the slots took turns.
fn simulate(policy: &str, days: i64) -> BTreeMap<&'static str, Vec<i64>> {
    let emulator = Emulator::with(|options| options.clock = Some(start()));
    let client = reqwest::blocking::Client::new();
    let config = config(policy);
    let dir = config_dir(&[("config.yaml", config.as_str())]);
    let secrets = dir.path().join("secrets.json");
    let mut rotated_on: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
    let mut previous: Option<BTreeMap<String, Slot>> = None;
    for day in 0..days {
        let now = start() + TimeDelta::days(day);
        if day > 0 {
            set_clock(&client, &emulator, now);
        }
        let run = emulator
            .scopeform()
            .env("SCOPEFORM_NOW", timestamp(now))
            .args(["apply", "--auto-approve", "--secrets-out"])
            .arg_path(&secrets)
            .arg_path(dir.path())
            .run()
            .expect_code(0);
        let current = slots(&emulator);
        assert_eq!(current.len(), 2, "day {day}: {current:?}\n{run}");
        let changed: Vec<&str> = SLOTS
            .into_iter()
            .filter(|slot| previous.as_ref().map(|p| p.get(*slot)) != Some(current.get(*slot)))
            .collect();
        match &previous {
            None => assert_eq!(changed, SLOTS, "day 0 creates both slots"),
            Some(before) => {
                assert!(
                    changed.len() <= 1,
                    "day {day}: both slots were rotated in one apply\n{run}"
                );
                // The slot rotated is the one that expires first.
                if let [rotated] = changed.as_slice() {
                    let other = SLOTS.into_iter().find(|s| s != rotated).expect("two slots");
                    assert!(
                        before[*rotated].expiry <= before[other].expiry,
                        "day {day}: {rotated} was rotated but {other} expires first: {before:?}"
                    );
                }
                // While one slot was being rotated, the other one worked.
                for slot in SLOTS.into_iter().filter(|s| !changed.contains(s)) {
                    if !changed.is_empty() {
                        assert!(
                            before[slot].expiry > now,
                            "day {day}: {slot} had expired while {changed:?} was rotated\n{run}"
                        );
                    }
                }
                assert!(
                    before.values().any(|s| s.expiry > now),
                    "day {day}: no slot was valid when the apply started: {before:?}"
                );
            }
        }
        for slot in changed.iter().copied() {
            rotated_on.entry(slot).or_default().push(day);
            assert!(
                run.stdout.contains(&format!("token.team-a-ci.{slot}")),
                "day {day}: the apply says what it rotates\n{run}"
            );
        }
        // Valid until the next run, at least.
        let next = now + TimeDelta::days(1);
        assert!(
            current.values().any(|s| s.expiry >= next),
            "day {day}: no slot lasts until the next apply: {current:?}"
        );
        // The secrets file holds each slot's current password.
        let written: Value = serde_json::from_str(
            &std::fs::read_to_string(&secrets).expect("the secrets file exists"),
        )
        .expect("secrets JSON");
        for slot in SLOTS {
            let recorded = &written["team-a-ci"][slot];
            assert!(recorded["value"].is_string(), "day {day}: {slot}");
            assert_eq!(
                parse(&recorded["creation_time"]),
                current[slot].created,
                "day {day}: the secrets file holds {slot}'s current password"
            );
        }
        previous = Some(current);
    }

    // The slots took turns: between two rotations of one slot, the other was rotated once.
    let mut all: Vec<(i64, &str)> = rotated_on
        .iter()
        .flat_map(|(slot, days)| days.iter().map(move |d| (*d, *slot)))
        .filter(|(day, _)| *day > 0)
        .collect();
    all.sort_unstable();
    for pair in all.windows(2) {
        assert_ne!(pair[0].1, pair[1].1, "the slots alternate: {all:?}");
    }
    rotated_on
}

/// `SCOPEFORM_NOW` is a test hook: every run it is set says so on stderr, a value that is not a
/// time is a usage error that does not repeat it, and `--help` does not offer it.
#[test]
fn scopeform_now_is_announced_checked_and_hidden() {
    let dir = config_dir(&[(
        "config.yaml",
        &config("{ expires_in: 10d, rotate_before: 3d }"),
    )]);
    let state = dir.path().join("live.json");
    std::fs::write(
        &state,
        json!({
            "format_version": "1",
            "registry": {"subscription": "00000000-0000-0000-0000-000000000000",
                         "resource_group": "myresourcegroup", "name": "myregistry"},
            "scope_maps": [{"name": "_repositories_push", "system": true,
                            "actions": ["repositories/*/content/read", "repositories/*/content/write"]}],
            "tokens": [],
            "connected_registries": []
        })
        .to_string(),
    )
    .expect("write snapshot");
    let plan = support::scopeform()
        .env("SCOPEFORM_NOW", "2031-02-03T04:05:06Z")
        .args(["plan", "--state"])
        .arg_path(&state)
        .arg_path(dir.path().join("config.yaml"))
        .run()
        .expect_code(0);
    assert!(
        plan.stderr.contains(
            "warning: SCOPEFORM_NOW is set: taking 2031-02-03T04:05:06Z as the current time"
        ),
        "{plan}"
    );
    assert!(
        plan.stdout.contains("2031-02-13T04:05:06Z"),
        "the new passwords expire 10 days after the injected time\n{plan}"
    );
    let refused = support::scopeform()
        .env("SCOPEFORM_NOW", "next tuesday\u{1b}[31m")
        .args(["plan", "--state"])
        .arg_path(&state)
        .arg_path(dir.path().join("config.yaml"))
        .run()
        .expect_code(64);
    assert!(
        refused
            .stderr
            .contains("SCOPEFORM_NOW is not an RFC 3339 time"),
        "{refused}"
    );
    assert!(!refused.stderr.contains("tuesday"), "{refused}");
    for command in ["plan", "apply", "drift", "lint"] {
        let help = support::scopeform()
            .args([command, "--help"])
            .run()
            .expect_code(0);
        assert!(!help.stdout.contains("SCOPEFORM_NOW"), "{help}");
    }
}
