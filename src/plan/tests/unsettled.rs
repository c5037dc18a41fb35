//! Objects whose `provisioningState` is not `Succeeded`, and system scope maps learned from the
//! registry (real Azure, as recorded).

use crate::model::ProvisioningState::{self, Creating, Deleting, Failed, Updating};
use crate::model::TokenStatus::Enabled;
use crate::model::{Live, UnmanagedTokens};
use crate::plan::{PlanError, diff};

use super::fixtures::{DesiredBuilder, LiveBuilder, desired, lines, live, now, plan};

const READ: &str = "repositories/samples/*/content/read";

fn state_of(name: &'static str, state: ProvisioningState) -> impl FnOnce(&mut Live) {
    move |l| {
        if let Some(s) = l.scope_maps.get_mut(&name.parse().expect("name")) {
            s.provisioning_state = state;
        }
        if let Some(t) = l.tokens.get_mut(&name.parse().expect("name")) {
            t.provisioning_state = state;
        }
    }
}

#[test]
fn declared_objects_that_have_not_settled_are_written_again() {
    let cases = [
        ("readers", Updating, "update scope_map.readers"),
        ("readers", Creating, "update scope_map.readers"),
        ("readers", Failed, "update scope_map.readers"),
        ("ci-push", Failed, "update token.ci-push"),
        ("ci-push", Updating, "update token.ci-push"),
    ];
    for (name, state, expected) in cases {
        let desired = desired()
            .scope_map("readers", &[READ])
            .token("ci-push", "readers");
        let live = live()
            .scope_map("readers", &[READ])
            .token("ci-push", "readers", Enabled)
            .with(state_of(name, state));
        let plan = plan(&desired, &live);
        assert_eq!(lines(&plan), [expected], "{name} {state}");
        let note = plan.changes[0].note.clone().unwrap_or_default();
        assert!(note.contains(state.as_str()), "{note}");
    }
}

#[test]
fn objects_being_deleted_are_planned_as_gone() {
    let desired = desired()
        .scope_map("readers", &[READ])
        .token("ci-push", "readers");
    let live = live()
        .scope_map("readers", &[READ])
        .token("ci-push", "readers", Enabled)
        .with(state_of("ci-push", Deleting));
    assert_eq!(lines(&plan(&desired, &live)), ["create token.ci-push"]);
    // Not declared: already going, nothing to delete, and the plan says so.
    let desired = crate::plan::tests::fixtures::desired()
        .scope_map("readers", &[READ])
        .with(|d| d.unmanaged.tokens = UnmanagedTokens::Delete);
    let plan = plan(&desired, &live);
    assert!(lines(&plan).is_empty(), "{:?}", lines(&plan));
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("token.ci-push is being deleted")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn undeclared_objects_that_have_not_settled_are_reported() {
    let desired = desired();
    let live = live()
        .scope_map("readers", &[READ])
        .with(state_of("readers", Updating));
    let plan = plan(&desired, &live);
    assert_eq!(
        plan.warnings,
        [
            "scope_map.readers is not settled in the registry (provisioningState Updating): apply \
          waits for it to settle before writing to it"
        ]
    );
}

#[test]
fn system_scope_maps_come_from_the_registry() {
    // A registry of 2023: three system scope maps.
    let older = live().with(|l| {
        l.scope_maps.retain(|name, _| {
            matches!(
                name.as_str(),
                "_repositories_admin" | "_repositories_pull" | "_repositories_push"
            )
        });
    });
    let desired = desired().token("reader", "_repositories_pull_metadata_read");
    let error = diff(&desired, &older, now()).expect_err("lacks it");
    assert!(matches!(error, PlanError::MissingSystemScopeMap { .. }));
    assert_eq!(
        error.to_string(),
        "token `reader` uses system scope map `_repositories_pull_metadata_read`, which this \
         registry does not have; its system scope maps are `_repositories_admin`, \
         `_repositories_pull`, `_repositories_push`"
    );
    let desired = crate::plan::tests::fixtures::desired().token("reader", "_repositories_pull");
    assert_eq!(lines(&plan(&desired, &older)), ["create token.reader"]);
    // A newer registry has all five.
    let desired =
        crate::plan::tests::fixtures::desired().token("reader", "_repositories_pull_metadata_read");
    assert_eq!(lines(&plan(&desired, &live())), ["create token.reader"]);
}

/// A saved plan's rewrite of an object that has not settled holds together (apply --plan
/// checks every write against its change), and only as such a rewrite.
#[test]
fn rewrites_hold_together_only_as_rewrites() {
    let desired = desired().scope_map("readers", &[READ]);
    let live = live()
        .scope_map("readers", &[READ])
        .with(state_of("readers", Failed));
    let mut change = plan(&desired, &live).changes.remove(0);
    assert_eq!(change.unsettled, Some(Failed));
    assert_eq!(change.check_consistent(), Ok(()));
    change.unsettled = None;
    assert_eq!(
        change.check_consistent(),
        Err("its write changes `actions`, which `before` and `after` show unchanged".to_owned())
    );
}

/// A scope map being deleted is planned as gone and created again; a token that still names it
/// gains everything the new one grants, and the access diff auditors read must say so, whether
/// or not the token itself is written. (It said so only when the token got a password too.)
#[test]
fn a_token_whose_scope_map_is_created_again_shows_the_access_it_gains() {
    const WRITE: &str = "repositories/samples/*/content/write";
    let desired = desired()
        .scope_map("writers", &[READ, WRITE])
        .token("ci-push", "writers");
    let live = live()
        .scope_map("writers", &[READ])
        .token("ci-push", "writers", Enabled)
        .with(state_of("writers", Deleting));
    let plan = plan(&desired, &live);
    assert_eq!(lines(&plan), ["create scope_map.writers"]);
    let gained: Vec<(String, Vec<String>)> = plan
        .access_changes
        .iter()
        .map(|c| {
            (
                c.token.to_string(),
                c.gained.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(
        gained,
        [(
            "ci-push".to_owned(),
            vec![READ.to_owned(), WRITE.to_owned()]
        )]
    );
}
