//! `removed` (DESIGN §4): what the configuration names as removed is deleted or disabled, once;
//! what is already gone needs nothing; what scopeform never deletes or disables is an error.

use crate::access::AccessChange;
use crate::model::TokenStatus::{Disabled, Enabled};
use crate::model::{Desired, Live, RemovedAction, UnmanagedTokens};
use crate::plan::{PlanError, diff, left_alone};

use super::fixtures::{DesiredBuilder, LiveBuilder, desired, lines, live, now, plan};

const READ: &str = "repositories/samples/*/content/read";
const WRITE: &str = "repositories/samples/*/content/write";

fn remove_token(name: &'static str, action: RemovedAction) -> impl FnOnce(&mut Desired) {
    move |d| {
        d.removed.tokens.insert(name.parse().expect("name"), action);
    }
}

fn remove_scope_map(name: &'static str) -> impl FnOnce(&mut Desired) {
    move |d| {
        d.removed.scope_maps.insert(name.parse().expect("name"));
    }
}

/// A registry where `old-ci` pushes through `old-pushers`.
fn registry() -> Live {
    live()
        .scope_map("old-pushers", &[READ, WRITE])
        .token("old-ci", "old-pushers", Enabled)
}

#[test]
fn removed_objects_are_deleted_or_disabled_once() {
    let cases: Vec<(&str, Desired, Live, &[&str])> = vec![
        (
            "token and its scope map deleted, the token first",
            desired()
                .with(remove_token("old-ci", RemovedAction::Delete))
                .with(remove_scope_map("old-pushers")),
            registry(),
            &["delete token.old-ci", "delete scope_map.old-pushers"],
        ),
        (
            "token disabled, its scope map kept",
            desired().with(remove_token("old-ci", RemovedAction::Disable)),
            registry(),
            &["disable token.old-ci"],
        ),
        (
            "already disabled: nothing",
            desired().with(remove_token("old-ci", RemovedAction::Disable)),
            live()
                .scope_map("old-pushers", &[READ])
                .token("old-ci", "old-pushers", Disabled),
            &[],
        ),
        (
            "already gone: nothing",
            desired()
                .with(remove_token("old-ci", RemovedAction::Delete))
                .with(remove_scope_map("old-pushers")),
            live(),
            &[],
        ),
        (
            "`removed` wins over `unmanaged` and `ignore`",
            desired()
                .with(remove_token("old-ci", RemovedAction::Disable))
                .with(|d| {
                    d.unmanaged.tokens = UnmanagedTokens::Delete;
                    d.ignore.push("old-*".parse().expect("glob"));
                }),
            registry(),
            &["disable token.old-ci"],
        ),
    ];
    for (name, desired, live, expected) in cases {
        let plan = plan(&desired, &live);
        assert_eq!(lines(&plan), expected, "case: {name}");
        for change in &plan.changes {
            assert_eq!(
                change.note.as_deref(),
                Some("removed from the configuration"),
                "case: {name}"
            );
        }
        // Named under `removed`, so not "not in the configuration".
        let old_ci = crate::plan::Address::Token("old-ci".parse().expect("name"));
        assert!(!plan.unmanaged.contains(&old_ci), "case: {name}");
    }
}

#[test]
fn the_access_changes_show_what_a_removed_entry_takes_away() {
    let desired = desired().with(remove_token("old-ci", RemovedAction::Delete));
    let plan = plan(&desired, &registry());
    assert_eq!(
        plan.access_changes,
        [AccessChange {
            token: "old-ci".parse().expect("name"),
            gained: std::collections::BTreeSet::default(),
            lost: [READ, WRITE]
                .iter()
                .map(|a| a.parse().expect("action"))
                .collect(),
        }]
    );
}

#[test]
fn what_scopeform_never_deletes_or_disables_is_an_error_when_removed() {
    let sync = live()
        .token("edge01-sync", "_repositories_pull", Enabled)
        .connected("edge01", "edge01-sync", &[]);
    for action in [RemovedAction::Delete, RemovedAction::Disable] {
        assert_eq!(
            diff(
                &desired().with(remove_token("edge01-sync", action)),
                &sync,
                now()
            ),
            Err(PlanError::RemovedSyncToken {
                token: "edge01-sync".parse().expect("name"),
                connected_registry: "edge01".into(),
            })
        );
    }
    // A system scope map the configuration could not know by name (registries learn theirs).
    let system = live().with(|l| {
        let pull = "_repositories_pull".parse().expect("name");
        let mut scope_map = l.scope_maps[&pull].clone();
        scope_map.name = "_repositories_custom".parse().expect("name");
        l.scope_maps.insert(scope_map.name.clone(), scope_map);
    });
    assert_eq!(
        diff(
            &desired().with(remove_scope_map("_repositories_custom")),
            &system,
            now()
        ),
        Err(PlanError::RemovedSystemScopeMap(
            "_repositories_custom".parse().expect("name")
        ))
    );
    // A removed scope map a remaining token still uses.
    assert_eq!(
        diff(
            &desired().with(remove_scope_map("old-pushers")),
            &registry(),
            now()
        ),
        Err(PlanError::RemovedScopeMapInUse {
            scope_map: "old-pushers".parse().expect("name"),
            token: "old-ci".parse().expect("name"),
        })
    );
}

/// Declared tokens are planned before undeclared ones whatever their names (the diff walks
/// both sides together, by name): a declared token's error is the one reported, and a kept
/// scope map names the last token planned that uses it.
#[test]
fn declared_tokens_are_planned_before_undeclared_ones() {
    let sync = live()
        .token("a-sync", "_repositories_pull", Enabled)
        .connected("edge01", "a-sync", &[]);
    assert_eq!(
        diff(
            &desired()
                .token("z-reader", "nowhere")
                .with(remove_token("a-sync", RemovedAction::Delete)),
            &sync,
            now()
        ),
        Err(PlanError::UnknownScopeMap {
            token: "z-reader".parse().expect("name"),
            scope_map: "nowhere".parse().expect("name"),
        })
    );
    let shared = live()
        .scope_map("shared", &[READ])
        .token("a-stranger", "shared", Enabled)
        .token("z-declared", "shared", Enabled);
    assert_eq!(
        diff(
            &desired()
                .token("z-declared", "shared")
                .with(remove_scope_map("shared")),
            &shared,
            now()
        ),
        Err(PlanError::RemovedScopeMapInUse {
            scope_map: "shared".parse().expect("name"),
            token: "a-stranger".parse().expect("name"),
        })
    );
}

#[test]
fn left_alone_lists_what_left_the_configuration_and_stays() {
    let base = desired()
        .scope_map("old-pushers", &[READ, WRITE])
        .token("old-ci", "old-pushers")
        .token("old-bot", "_repositories_pull")
        .token("retired", "_repositories_pull")
        .token("never-live", "_repositories_pull")
        .token("kept-token", "_repositories_pull");
    let now_desired = desired()
        .token("kept-token", "_repositories_pull")
        .with(remove_token("retired", RemovedAction::Delete));
    let registry = registry()
        .token("old-bot", "_repositories_pull", Enabled)
        .token("retired", "_repositories_pull", Enabled)
        .token("kept-token", "_repositories_pull", Enabled);
    let current = plan(&now_desired, &registry);
    assert_eq!(
        left_alone(&base, &now_desired, &registry, &current)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["scope_map.old-pushers", "token.old-bot", "token.old-ci"]
    );
    // Under `unmanaged.tokens: delete` the tokens go, so only the scope map they used stays.
    let deleting = now_desired.with(|d| d.unmanaged.tokens = UnmanagedTokens::Delete);
    let current = plan(&deleting, &registry);
    assert_eq!(
        left_alone(&base, &deleting, &registry, &current)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["scope_map.old-pushers"]
    );
}

#[test]
fn drift_reports_a_removed_object_exactly_when_plan_changes_it() {
    use crate::drift::{DriftKind, RecordedCreations, detect};
    let cases = [
        (
            desired()
                .with(remove_token("old-ci", RemovedAction::Delete))
                .with(remove_scope_map("old-pushers")),
            registry(),
            vec!["scope_map.old-pushers", "token.old-ci"],
        ),
        (
            desired().with(remove_token("old-ci", RemovedAction::Disable)),
            registry(),
            vec!["token.old-ci"],
        ),
        (
            desired().with(remove_token("old-ci", RemovedAction::Disable)),
            live()
                .scope_map("old-pushers", &[READ])
                .token("old-ci", "old-pushers", Disabled),
            vec![],
        ),
        (
            desired().with(remove_token("old-ci", RemovedAction::Delete)),
            live(),
            vec![],
        ),
    ];
    for (desired, live, expected) in cases {
        let drift = detect(&desired, &live, now(), &RecordedCreations::new())
            .expect("drift")
            .drift;
        let removed: Vec<String> = drift
            .iter()
            .filter(|d| d.kind == DriftKind::Removed)
            .map(|d| d.address.to_string())
            .collect();
        assert_eq!(removed, expected);
        let mut changed: Vec<String> = plan(&desired, &live)
            .changes
            .iter()
            .map(|c| c.address.to_string())
            .collect();
        changed.sort();
        assert_eq!(changed, expected);
        // Never also "not in the configuration".
        assert!(
            drift
                .iter()
                .all(|d| d.kind != DriftKind::Unmanaged
                    || !d.address.to_string().ends_with("old-ci"))
        );
    }
}

mod properties {
    use proptest::prelude::*;

    use super::{READ, WRITE};
    use crate::drift::{DriftKind, RecordedCreations, detect};
    use crate::model::TokenStatus::{Disabled, Enabled};
    use crate::model::{Desired, Live, RemovedAction};
    use crate::plan::tests::fixtures::{DesiredBuilder, LiveBuilder, desired, live, now};
    use crate::plan::{PlanError, diff};

    const TOKENS: [&str; 4] = ["tok-a", "tok-b", "tok-c", "tok-d"];
    const SCOPE_MAPS: [&str; 3] = ["map-a", "map-b", "map-c"];

    /// A registry of some of the tokens and scope maps; a configuration that declares some
    /// and removes some of the others (never both: validation refuses that).
    fn models() -> impl Strategy<Value = (Desired, Live)> {
        proptest::collection::vec(0u8..=255, 16).prop_map(|bytes| {
            let mut bytes = bytes.into_iter();
            let mut next = move || bytes.next().unwrap_or(0);
            let mut l = live();
            for name in SCOPE_MAPS {
                if next() % 2 == 0 {
                    l = l.scope_map(name, &[READ, WRITE]);
                }
            }
            let mut usable: Vec<&str> = SCOPE_MAPS
                .into_iter()
                .filter(|name| l.scope_maps.keys().any(|n| n.as_str() == *name))
                .collect();
            usable.push("_repositories_pull");
            let mut d = desired();
            for name in TOKENS {
                let roll = next();
                if roll % 3 != 0 {
                    let scope_map = usable[usize::from(next()) % usable.len()];
                    let status = if roll % 2 == 0 { Enabled } else { Disabled };
                    l = l.token(name, scope_map, status);
                }
                match next() % 4 {
                    0 => d = d.token(name, "_repositories_pull"),
                    1 => d = d.with(super::remove_token(name, RemovedAction::Delete)),
                    2 => d = d.with(super::remove_token(name, RemovedAction::Disable)),
                    _ => {}
                }
            }
            for name in SCOPE_MAPS {
                if next() % 2 == 0 {
                    d = d.with(super::remove_scope_map(name));
                }
            }
            (d, l)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Plan and drift agree on removed objects, and one apply settles them for good.
        #[test]
        fn one_apply_settles_what_is_removed((desired, live) in models()) {
            let plan = match diff(&desired, &live, now()) {
                // A removed scope map a remaining token uses is refused, never half done.
                Err(PlanError::RemovedScopeMapInUse { .. }) => return Ok(()),
                other => other.map_err(|e| TestCaseError::fail(e.to_string()))?,
            };
            let removed_drift = |d: &Desired, l: &Live| -> Vec<String> {
                let mut found: Vec<String> = detect(d, l, now(), &RecordedCreations::new())
                    .expect("drift")
                    .drift
                    .into_iter()
                    .filter(|x| x.kind == DriftKind::Removed)
                    .map(|x| x.address.to_string())
                    .collect();
                found.sort();
                found
            };
            let mut removed_changes: Vec<String> = plan
                .changes
                .iter()
                .filter(|c| c.note.as_deref() == Some("removed from the configuration"))
                .map(|c| c.address.to_string())
                .collect();
            removed_changes.sort();
            prop_assert_eq!(removed_drift(&desired, &live), removed_changes);
            let mut applied = live.clone();
            for change in &plan.changes {
                applied.apply(&change.op, now()).map_err(|e| TestCaseError::fail(format!("{}: {e}", change.address)))?;
            }
            let again = diff(&desired, &applied, now()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(again.is_empty());
            prop_assert!(removed_drift(&desired, &applied).is_empty());
        }
    }
}
