//! Saved plans: a round trip, stale and foreign registries refused, damaged files explained.

use crate::model::TokenStatus::Enabled;
use crate::plan::saved::{self, NotFresh, SavedPlan, SavedPlanError};

use super::fixtures::{LiveBuilder, every_kind, plan};

fn saved() -> (SavedPlan, crate::model::Live) {
    let (desired, live) = every_kind();
    (SavedPlan::new(plan(&desired, &live), &live), live)
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
            &good.replace("\"format_version\":\"1\"", "\"format_version\":\"9\""),
            "the saved plan has format_version \"9\"; this scopeform reads version \"1\"; make the plan again with this version",
        ),
        (
            &good.replace("\"depends_on\":[1]", "\"depends_on\":[99]"),
            "the saved plan is damaged: change 8 (token.ci-push) depends on change 99, which does not come before it",
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
