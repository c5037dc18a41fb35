//! Properties over random registries and configurations: a plan applies cleanly in its order,
//! leaves nothing to do, never deletes what must stay, and its access changes are exactly the
//! difference between the registry before and after.

use std::collections::BTreeMap;

use proptest::prelude::*;

use crate::access::{access_changes, live_access};
use crate::model::{
    ConnectedRegistryMode, Desired, Live, PasswordSlot, TokenStatus, UnmanagedScopeMaps,
    UnmanagedTokens, WriteOp,
};

use super::fixtures::{DesiredBuilder, LiveBuilder, desired, live, now, policy};
use crate::plan::diff;

const SCOPE_MAPS: [&str; 4] = ["map-a", "map-b", "map-c", "map-d"];
const SYSTEM: [&str; 2] = ["_repositories_pull", "_repositories_admin"];
const TOKENS: [&str; 5] = ["tok-a", "tok-b", "tok-c", "tok-d", "legacy-e"];
const ACTIONS: [&str; 6] = [
    "repositories/a/content/read",
    "repositories/a/content/write",
    "repositories/b/*/content/read",
    "repositories/b/*/metadata/write",
    "repositories/*/content/delete",
    "gateway/edge01/config/read",
];
const EXPIRIES: [Option<&str>; 5] = [
    None,
    Some("2026-05-01T00:00:00Z"),
    Some("2026-06-03T00:00:00Z"),
    Some("2027-06-30T00:00:00Z"),
    Some("2028-01-01T00:00:00Z"),
];

/// Reads decisions off a tape of random bytes; an exhausted tape reads zeros, so shrinking the
/// tape shrinks the models.
struct Tape(Vec<u8>, usize);

impl Tape {
    fn next(&mut self) -> u8 {
        let byte = self.0.get(self.1).copied().unwrap_or(0);
        self.1 += 1;
        byte
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[usize::from(self.next()) % items.len()]
    }

    fn subset<'a>(&mut self, items: &[&'a str]) -> Vec<&'a str> {
        items.iter().copied().filter(|_| self.chance(50)).collect()
    }
}

fn random_desired(t: &mut Tape) -> Desired {
    let mut d = desired();
    let scope_maps = t.subset(&SCOPE_MAPS);
    for name in &scope_maps {
        d = d.scope_map(name, &t.subset(&ACTIONS));
        if t.chance(50) {
            d = d.described(name, t.pick::<&str>(&["Readers", "Writers"]));
        }
    }
    let mut usable: Vec<&str> = scope_maps.clone();
    usable.extend(SYSTEM);
    let tokens = t.subset(&TOKENS);
    for name in &tokens {
        d = d.token(name, t.pick::<&str>(&usable));
        if t.chance(30) {
            d = d.disabled(name);
        }
        if t.chance(60) {
            let policies = [
                policy(None, None, None),
                policy(None, Some("30d"), Some("7d")),
                policy(None, Some("30d"), None),
                policy(Some("2027-06-30T00:00:00Z"), None, None),
                policy(Some("2026-05-01T00:00:00Z"), None, None),
                policy(Some("2026-06-03T00:00:00Z"), None, Some("7d")),
            ];
            let mut slots = Vec::new();
            for slot in PasswordSlot::ALL {
                if t.chance(50) {
                    slots.push((slot, *t.pick(&policies)));
                }
            }
            d = d.passwords(name, &slots);
        }
    }
    if t.chance(50) {
        let clients = t.subset(&tokens);
        d = d.connected("edge01", ConnectedRegistryMode::ReadOnly, &clients);
    }
    let tokens_policy = *t.pick(&[
        UnmanagedTokens::Ignore,
        UnmanagedTokens::Disable,
        UnmanagedTokens::Delete,
    ]);
    let scope_maps_policy = *t.pick(&[UnmanagedScopeMaps::Ignore, UnmanagedScopeMaps::Delete]);
    let admin = *t.pick(&[None, Some(true), Some(false)]);
    let ignore = t.chance(50);
    d.with(|d| {
        d.unmanaged.tokens = tokens_policy;
        d.unmanaged.scope_maps = scope_maps_policy;
        d.admin_user = admin;
        if ignore {
            d.ignore.push("legacy-*".parse().expect("glob"));
        }
    })
}

fn random_live(t: &mut Tape) -> Live {
    let mut l = live();
    let scope_maps = t.subset(&SCOPE_MAPS);
    for name in &scope_maps {
        l = l.scope_map(name, &t.subset(&ACTIONS));
    }
    if t.chance(20)
        && let Some(name) = scope_maps.first()
    {
        let name = name.parse().expect("name");
        l = l.with(|l| {
            if let Some(s) = l.scope_maps.get_mut(&name) {
                s.unrecognised_actions
                    .insert("repositories/x/content/execute".into());
                s.description = "Readers".into();
            }
        });
    }
    let mut usable: Vec<&str> = scope_maps.clone();
    usable.extend(SYSTEM);
    let tokens = t.subset(&TOKENS);
    for name in &tokens {
        let status = *t.pick(&[TokenStatus::Enabled, TokenStatus::Disabled]);
        l = l.token(name, t.pick::<&str>(&usable), status);
        for slot in PasswordSlot::ALL {
            if t.chance(50) {
                l = l.password(name, slot, *t.pick(&EXPIRIES));
                // Some passwords are fresh: their other slot must wait its turn.
                if t.chance(30) {
                    let token = name.parse().expect("name");
                    l = l.with(|l| {
                        if let Some(p) = l
                            .tokens
                            .get_mut(&token)
                            .and_then(|t| t.passwords.iter_mut().find(|p| p.name == slot))
                        {
                            p.creation_time = Some(now() - chrono::TimeDelta::days(2));
                        }
                    });
                }
            }
        }
    }
    if t.chance(60)
        && let Some(sync) = tokens.first()
    {
        let clients = t.subset(&tokens[1..]);
        l = l.connected("edge01", sync, &clients);
    }
    l.with(|l| l.registry.admin_user_enabled = t.chance(50))
}

fn models() -> impl Strategy<Value = (Desired, Live)> {
    proptest::collection::vec(any::<u8>(), 0..200).prop_map(|bytes| {
        let mut tape = Tape(bytes, 0);
        let desired = random_desired(&mut tape);
        let live = random_live(&mut tape);
        (desired, live)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn applying_the_plan_leaves_nothing_to_do((desired, live) in models()) {
        let plan = diff(&desired, &live, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Every change the diff makes passes the check a saved plan is held to.
        for change in &plan.changes {
            change.check_consistent().map_err(|e| TestCaseError::fail(format!("{}: {e}", change.address)))?;
        }
        let mut applied = live.clone();
        for (i, change) in plan.changes.iter().enumerate() {
            prop_assert!(change.depends_on.iter().all(|&d| d < i), "{} waits for a later change", change.address);
            // Every op in full, scope map deletes included: the registry refuses to delete a
            // scope map a token uses, or a sync token.
            applied.apply(&change.op, now()).map_err(|e| TestCaseError::fail(format!("{}: {e}", change.address)))?;
        }
        let again = diff(&desired, &applied, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let left: Vec<String> = again.changes.iter().map(|c| format!("{} {}", c.kind, c.address)).collect();
        prop_assert!(again.is_empty(), "left to do: {left:?}");
        let expected = access_changes(&live_access(&live), &live_access(&applied));
        prop_assert_eq!(&plan.access_changes, &expected);
    }

    /// DESIGN §4, "drift and plan agree": `drift` reports a difference exactly when `plan` has
    /// a change, and once the plan is applied neither finds anything.
    #[test]
    fn drift_reports_exactly_what_plan_changes((desired, live) in models()) {
        let recorded = crate::drift::RecordedCreations::new();
        let plan = diff(&desired, &live, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let drift = crate::drift::detect(&desired, &live, now(), &recorded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let changes: Vec<String> = plan.changes.iter().map(|c| format!("{} {}", c.kind, c.address)).collect();
        prop_assert_eq!(drift.in_sync(), plan.is_empty(), "plan: {:?}\ndrift: {:#?}", changes, drift);
        let mut applied = live.clone();
        for change in &plan.changes {
            applied.apply(&change.op, now()).map_err(|e| TestCaseError::fail(format!("{}: {e}", change.address)))?;
        }
        let drift = crate::drift::detect(&desired, &applied, now(), &recorded).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(drift.in_sync(), "drift after apply: {drift:#?}");
    }

    /// Rotation in turns: one apply never gives both slots of a token a new password while
    /// one of them still works.
    #[test]
    fn password_slots_take_turns((desired, live) in models()) {
        let plan = diff(&desired, &live, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for token in live.tokens.values() {
            let renewed = plan.changes.iter().filter(|c| matches!(&c.op, WriteOp::GeneratePassword { token: t, .. } if *t == token.name)).count();
            let working = token.passwords.iter().filter(|p| p.expiry.is_none_or(|e| e > now())).count();
            prop_assert!(renewed < 2 || working == 0, "token.{}: {renewed} new passwords, {working} working", token.name);
        }
    }

    #[test]
    fn never_deletes_system_scope_maps_or_sync_tokens((desired, live) in models()) {
        let plan = diff(&desired, &live, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for change in &plan.changes {
            match &change.op {
                WriteOp::DeleteScopeMap { name } => {
                    prop_assert!(live.scope_maps.get(name).is_some_and(|s| !s.system), "{name}");
                }
                WriteOp::DeleteToken { name } => prop_assert!(!live.is_sync_token(name), "{name}"),
                WriteOp::UpdateScopeMap { name, .. } => {
                    prop_assert!(live.scope_maps.get(name).is_some_and(|s| !s.system), "{name}");
                }
                _ => {}
            }
        }
    }

    /// A scope map is deleted only after every token that used it has moved away or gone.
    #[test]
    fn scope_maps_outlive_their_tokens((desired, live) in models()) {
        let plan = diff(&desired, &live, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut position = BTreeMap::new();
        for (i, change) in plan.changes.iter().enumerate() {
            position.insert(change.address.clone(), i);
        }
        for (i, change) in plan.changes.iter().enumerate() {
            let WriteOp::DeleteScopeMap { name } = &change.op else { continue };
            for token in live.tokens.values().filter(|t| &t.scope_map == name) {
                let leaves = position.get(&crate::plan::Address::Token(token.name.clone()));
                let leaves = leaves.filter(|&&j| matches!(
                    plan.changes[j].op,
                    WriteOp::DeleteToken { .. } | WriteOp::UpdateToken { scope_map: Some(_), .. }
                ));
                prop_assert!(leaves.is_some_and(|&j| change.depends_on.contains(&j) && j < i),
                    "{} deleted while token.{} uses it", change.address, token.name);
            }
        }
    }
}

/// DESIGN §8's size: 50,000 tokens and 50,000 scope maps of ten rules, a tenth of them changed.
/// Run with `cargo test --release --lib plan::tests::properties::premium_scale -- --ignored`.
#[test]
#[ignore = "timing; run in release"]
fn premium_scale() {
    use crate::model::{LiveScopeMap, LiveToken};
    let count = 50_000;
    let rules = |i: usize, changed: bool| -> Vec<String> {
        (0..10)
            .map(|r| {
                let verb = if changed && r == 0 {
                    "content/write"
                } else {
                    "content/read"
                };
                format!("repositories/team{i}/repo{r}/{verb}")
            })
            .collect()
    };
    let mut d = desired();
    let mut l = live();
    for i in 0..count {
        let map = format!("map{i:05}");
        let token = format!("token{i:05}");
        let declared = rules(i, false);
        let declared: Vec<&str> = declared.iter().map(String::as_str).collect();
        d = d.scope_map(&map, &declared).token(&token, &map);
        let actual = rules(i, i % 10 == 0);
        let scope_map = LiveScopeMap {
            name: map.parse().expect("name"),
            description: String::new(),
            actions: actual.iter().map(|a| a.parse().expect("action")).collect(),
            unrecognised_actions: std::collections::BTreeSet::new(),
            system: false,
            provisioning_state: crate::model::ProvisioningState::Succeeded,
        };
        l.scope_maps.insert(scope_map.name.clone(), scope_map);
        let live_token = LiveToken {
            name: token.parse().expect("name"),
            scope_map: map.parse().expect("name"),
            status: TokenStatus::Enabled,
            passwords: Vec::new(),
            provisioning_state: crate::model::ProvisioningState::Succeeded,
        };
        l.tokens.insert(live_token.name.clone(), live_token);
    }
    let start = std::time::Instant::now();
    let plan = diff(&d, &l, now()).expect("plan");
    let elapsed = start.elapsed();
    assert_eq!(plan.changes.len(), count / 10);
    assert_eq!(plan.access_changes.len(), count / 10);
    eprintln!("diff of {count} tokens and scope maps: {elapsed:?}");
}
