//! `--target`: only the named objects, a token's password slots and scope map, and what they
//! depend on; everything else is left out and the plan says so.

use crate::plan::target::{TargetError, parse_targets, restrict};
use crate::plan::{Address, Plan};

use super::fixtures::{every_kind, now, plan};

fn addresses(plan: &Plan) -> Vec<String> {
    plan.changes.iter().map(|c| c.address.to_string()).collect()
}

fn targeted(targets: &[&str]) -> Result<Plan, TargetError> {
    let (desired, live) = every_kind();
    let targets: Vec<String> = targets.iter().map(|t| (*t).to_owned()).collect();
    let addresses = parse_targets(&targets, &desired, &live)?;
    restrict(plan(&desired, &live), &addresses, &desired, &live, now())
}

#[test]
fn a_token_brings_its_scope_map_and_its_passwords() {
    let full = {
        let (desired, live) = every_kind();
        plan(&desired, &live)
    };
    let narrowed = targeted(&["token.ci-push"]).expect("plan");
    assert_eq!(
        addresses(&narrowed),
        [
            "scope_map.ci-push-scope-map",
            "token.ci-push",
            "token.ci-push.password1"
        ]
    );
    assert!(addresses(&full).len() > addresses(&narrowed).len());
    // Dependencies point into the narrowed plan, and come first.
    for (index, change) in narrowed.changes.iter().enumerate() {
        assert!(change.depends_on.iter().all(|&d| d < index), "{change:?}");
    }
    assert_eq!(narrowed.changes[1].depends_on, [0]);
    // Access changes are those of the narrowed plan only.
    let tokens: Vec<String> = narrowed
        .access_changes
        .iter()
        .map(|a| a.token.to_string())
        .collect();
    assert_eq!(tokens, ["ci-push"]);
    assert!(
        narrowed.warnings.last().is_some_and(
            |w| w.starts_with("targeting is in effect: this plan covers only token.ci-push")
        ),
        "{:?}",
        narrowed.warnings
    );
}

#[test]
fn an_object_without_changes_narrows_to_nothing() {
    // An ignored live token exists, so it may be named; nothing changes it.
    let narrowed = targeted(&["token.legacy-bot"]).expect("plan");
    assert!(narrowed.is_empty(), "{:?}", addresses(&narrowed));
    let narrowed = targeted(&["registry.admin_user"]).expect("plan");
    assert_eq!(addresses(&narrowed), ["registry.admin_user"]);
}

#[test]
fn an_unknown_address_names_the_nearest_one() {
    let err = targeted(&["token.ci-pushh"]).expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "--target token.ci-pushh: no such object in the configuration or the registry; did you \
         mean `token.ci-push`?"
    );
    assert!(matches!(
        targeted(&["not-an-address"]),
        Err(TargetError::Unknown { .. })
    ));
}

#[test]
fn no_target_leaves_the_plan_alone() {
    let (desired, live) = every_kind();
    let full = plan(&desired, &live);
    let same = restrict(full.clone(), &[] as &[Address], &desired, &live, now()).expect("plan");
    assert_eq!(same, full);
}
