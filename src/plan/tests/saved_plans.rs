//! Saved plans: a round trip, stale and foreign registries refused, damaged files explained.

use crate::model::TokenStatus::Enabled;
use crate::model::{BackendLocation, WriteOp};
use crate::plan::saved::{self, NotFresh, SavedPlan, SavedPlanError};
use crate::plan::{Address, ChangeKind};

use super::fixtures::{LiveBuilder, every_kind, plan};

fn saved() -> (SavedPlan, crate::model::Live) {
    let (desired, live) = every_kind();
    let backend = BackendLocation::Arm {
        endpoint: "https://management.azure.com/".to_owned(),
    };
    (
        SavedPlan::new(plan(&desired, &live), &live, backend, None),
        live,
    )
}

/// `plan` edited, with its checksum recomputed (what a writer who knows the format can do),
/// then read back.
fn edited(
    plan: &SavedPlan,
    edit: impl FnOnce(&mut SavedPlan),
) -> Result<SavedPlan, SavedPlanError> {
    let mut edited = plan.clone();
    edit(&mut edited);
    edited.reseal();
    saved::read(&mut bytes(&edited).as_slice())
}

fn index_of(plan: &SavedPlan, address: &str) -> usize {
    plan.plan
        .changes
        .iter()
        .position(|c| c.address.to_string() == address)
        .unwrap_or_else(|| panic!("no change at {address}"))
}

fn bytes(saved: &SavedPlan) -> Vec<u8> {
    let mut out = Vec::new();
    saved::write(saved, &mut out).expect("write");
    out
}

fn read(text: &str) -> Result<SavedPlan, SavedPlanError> {
    saved::read(&mut text.as_bytes())
}

#[test]
fn round_trip() {
    let (plan, live) = saved();
    let back = saved::read(&mut bytes(&plan).as_slice()).expect("read");
    assert_eq!(back, plan);
    assert_eq!(saved::check_fresh(&back, &live), Ok(()));
}

#[test]
fn no_secret_in_the_file() {
    let (plan, _) = saved();
    let text = String::from_utf8(bytes(&plan)).expect("utf-8");
    assert!(!text.contains("value"));
    assert!(text.contains("\"generate_password\""));
}

#[test]
fn changed_objects_make_it_stale() {
    let (plan, live) = saved();
    let changed = live
        .clone()
        .token("reader", "_repositories_pull", Enabled) // moved out of band
        .token("ci-push", "_repositories_pull", Enabled) // created out of band
        .with(|l| l.registry.admin_user_enabled = false);
    let err = saved::check_fresh(&plan, &changed).expect_err("stale");
    assert_eq!(
        err.to_string(),
        "plan is stale: registry.admin_user, token.ci-push, token.reader, token.reader.password1 changed in the registry \
         since the plan was made; run `scopeform plan` again"
    );
    // Objects the plan doesn't touch may change.
    let untouched = live.token("legacy-bot", "readers", Enabled);
    assert_eq!(saved::check_fresh(&plan, &untouched), Ok(()));
}

#[test]
fn another_registry_is_refused() {
    let (plan, live) = saved();
    let other = live.with(|l| l.registry.name = "otherregistry".parse().expect("name"));
    assert_eq!(
        saved::check_fresh(&plan, &other),
        Err(NotFresh::WrongRegistry {
            planned: "sub/rg/myregistry".into(),
            live: "sub/rg/otherregistry".into()
        })
    );
}

#[test]
fn unreadable_files_are_explained() {
    let (plan, _) = saved();
    let good = String::from_utf8(bytes(&plan)).expect("utf-8");
    let cases = [
        (
            "{",
            "the saved plan is not valid JSON: EOF while parsing an object at line 1 column 1",
        ),
        (
            "{\"format_version\": \"1\", \"registry\": {}}",
            "this is not a scopeform saved plan (write one with `scopeform plan --out FILE`)",
        ),
        (
            &good.replace("\"format_version\":\"3\"", "\"format_version\":\"9\""),
            "the saved plan has format_version \"9\"; this scopeform reads version \"3\"; make the plan again with this version",
        ),
        (
            &good.replace("\"depends_on\":[1]", "\"depends_on\":[99]"),
            "the saved plan was changed after `scopeform plan` wrote it (its checksum does not match); nothing was changed: make the plan again",
        ),
        (
            &good.replace("\"kind\":\"delete\"", "\"kind\":\"explode\""),
            "the saved plan is damaged: unknown variant `explode`, expected one of `create`, `update`, `disable`, `delete`, `rotate`",
        ),
    ];
    for (text, message) in cases {
        let err = read(text).expect_err(message);
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn a_key_vault_in_a_saved_plan_is_checked_like_the_configurations() {
    let (plan, _) = saved();
    let good = String::from_utf8(bytes(&plan)).expect("utf-8");
    assert!(good.contains("\"secrets\":null"), "{good}");
    let elsewhere = good.replace(
        "\"secrets\":null",
        "\"secrets\":{\"key_vault\":\"https://collector.example.com\",\"name\":\"acr-{token}\"}",
    );
    let err = read(&elsewhere).expect_err("not a vault").to_string();
    assert!(
        err.starts_with(
            "the saved plan is damaged: `collector.example.com` is not a Key Vault host"
        ),
        "{err}"
    );
}

#[test]
fn an_edited_write_is_refused_even_with_a_recomputed_checksum() {
    let (plan, _) = saved();
    let at = index_of(&plan, "scope_map.readers");
    assert_eq!(plan.plan.changes[at].kind, ChangeKind::Update);
    // The attack: the write of "update scope_map.readers" becomes a token deletion.
    let swap = |p: &mut SavedPlan| {
        p.plan.changes[at].op = WriteOp::DeleteToken {
            name: "prod-push".parse().expect("name"),
        };
    };
    let mut unsealed = plan.clone();
    swap(&mut unsealed);
    assert!(matches!(
        saved::read(&mut bytes(&unsealed).as_slice()),
        Err(SavedPlanError::Checksum)
    ));
    let err = edited(&plan, swap).expect_err("refused");
    assert_eq!(
        err.to_string(),
        format!(
            "the saved plan does not hold together: change {at} (scope_map.readers): its write \
             (delete a token) is not about scope_map.readers; nothing was changed: make the plan again"
        )
    );
}

type Edit = Box<dyn FnOnce(&mut SavedPlan)>;

#[test]
fn every_way_a_change_can_disagree_with_its_write_is_refused() {
    let (plan, _) = saved();
    let readers = index_of(&plan, "scope_map.readers");
    let ci_push = index_of(&plan, "token.ci-push");
    let old_deployer = index_of(&plan, "token.old-deployer");
    let password = index_of(&plan, "token.ci-push.password1");
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(move |p| {
                if let WriteOp::UpdateScopeMap { actions, .. } = &mut p.plan.changes[readers].op {
                    *actions = Some(
                        ["repositories/*/content/delete".parse().expect("action")]
                            .into_iter()
                            .collect(),
                    );
                }
            }),
            "its write sets `actions` to something other than `after` shows",
        ),
        (
            Box::new(move |p| p.plan.changes[readers].kind = ChangeKind::Delete),
            "its write does not delete",
        ),
        (
            Box::new(move |p| {
                p.plan.changes[ci_push].op = WriteOp::CreateToken {
                    name: "ci-push".parse().expect("name"),
                    scope_map: "_repositories_admin".parse().expect("name"),
                    status: Enabled,
                };
            }),
            "its write sets `scope_map` to something other than `after` shows",
        ),
        (
            Box::new(move |p| {
                if let WriteOp::UpdateToken { status, .. } = &mut p.plan.changes[old_deployer].op {
                    *status = None;
                }
            }),
            "its write does not disable",
        ),
        (
            Box::new(move |p| {
                if let WriteOp::GeneratePassword { expiry, .. } = &mut p.plan.changes[password].op {
                    *expiry = None;
                }
            }),
            "its write sets `expiry` to something other than `after` shows",
        ),
        (
            Box::new(move |p| {
                let change = p.plan.changes[readers].clone();
                p.plan.changes.push(change);
            }),
            "the address is planned twice",
        ),
        (
            Box::new(move |p| {
                let address = Address::ScopeMap("readers".parse().expect("name"));
                if let Some(Some(crate::plan::ObjectState::ScopeMap { actions, .. })) =
                    p.fingerprints.get_mut(&address)
                {
                    actions.push("repositories/x/content/read".to_owned());
                }
            }),
            "its `before` is not what the registry held when the plan was made",
        ),
        (
            Box::new(move |p| p.plan.changes[ci_push].depends_on = vec![99]),
            "it depends on change 99, which does not come before it",
        ),
    ];
    for (edit, reason) in cases {
        let err = edited(&plan, edit).expect_err(reason);
        assert!(
            err.to_string().contains(reason),
            "{err}\nexpected: {reason}"
        );
    }
}

#[test]
fn plans_the_diff_makes_hold_together() {
    let (plan, _) = saved();
    for change in &plan.plan.changes {
        change
            .check_consistent()
            .unwrap_or_else(|e| panic!("{}: {e}", change.address));
    }
}
