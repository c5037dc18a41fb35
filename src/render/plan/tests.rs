//! Snapshots of one plan holding every kind of change, in each format.

use crate::plan::tests::fixtures::{desired, every_kind, live, plan};
use crate::plan::{Change, ChangeKind, Plan};

fn every_kind_plan() -> Plan {
    let (desired, live) = every_kind();
    plan(&desired, &live)
}

/// The text plan as a pipe gets it without `--color always`: styles stripped by the writer.
fn text(plan: &Plan) -> String {
    crate::render::plain(|w| super::text::render(plan, w))
}

fn markdown(plan: &Plan) -> String {
    let mut out = Vec::new();
    super::markdown::render(plan, &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn json(plan: &Plan) -> serde_json::Value {
    let mut out = Vec::new();
    super::json::render(plan, &mut out).expect("render");
    serde_json::from_slice(&out).expect("json")
}

#[test]
fn the_fixture_has_every_kind() {
    let plan = every_kind_plan();
    for kind in ChangeKind::ALL {
        assert!(plan.summary().count(kind) > 0, "{kind}");
    }
    assert!(!plan.access_changes.is_empty() && !plan.unmanaged.is_empty());
}

#[test]
fn text_every_kind() {
    insta::assert_snapshot!(text(&every_kind_plan()));
}

/// The renderer always writes its styles; the writer decides whether they are kept.
#[test]
fn text_styles_are_the_writers_to_keep() {
    let plan = every_kind_plan();
    let mut styled = Vec::new();
    super::text::render(&plan, &mut styled).expect("render");
    let styled = String::from_utf8(styled).expect("utf-8");
    assert!(styled.contains("\u{1b}[32m"));
    assert!(!text(&plan).contains('\u{1b}'));
    assert_eq!(
        anstream::adapter::strip_str(&styled).to_string(),
        text(&plan)
    );
}

#[test]
fn text_no_changes() {
    let plan = plan(&desired(), &live());
    assert_eq!(
        text(&plan),
        "No changes. The registry matches the configuration.\n"
    );
}

#[test]
fn markdown_every_kind() {
    insta::assert_snapshot!(markdown(&every_kind_plan()));
}

#[test]
fn markdown_no_changes() {
    let plan = plan(&desired(), &live());
    insta::assert_snapshot!(markdown(&plan), @r"
    ## scopeform plan for `myregistry`

    :white_check_mark: **No changes.** The registry matches the configuration.
    ");
}

#[test]
fn json_every_kind() {
    insta::assert_json_snapshot!(json(&every_kind_plan()));
}

/// A plan far over GitHub's comment limit still renders under it, with a note.
#[test]
fn markdown_stays_under_the_comment_limit() {
    let mut plan = every_kind_plan();
    let template: Vec<Change> = plan.changes.clone();
    let access = plan.access_changes.clone();
    for i in 0..3_000 {
        for change in &template {
            plan.changes.push(change.clone());
        }
        if i < 2_000 {
            plan.access_changes.extend(access.iter().cloned());
        }
    }
    let out = markdown(&plan);
    assert!(
        out.len() <= super::markdown::GITHUB_COMMENT_LIMIT,
        "{}",
        out.len()
    );
    assert!(out.contains("more not shown: the comment would exceed GitHub's limit"));
    assert!(out.starts_with("## scopeform plan for `myregistry`\n\n**Plan: "));
}

#[test]
fn markdown_fences_survive_backticks_in_descriptions() {
    let (mut desired, live) = every_kind();
    for scope_map in desired.scope_maps.values_mut() {
        scope_map.description = Some("see ```code```".into());
    }
    let out = markdown(&plan(&desired, &live));
    assert!(out.contains("````diff"));
}

/// `plan --base`: the pull request adds a token and a rule; someone also disabled a token and
/// granted delete on `team-a/*` in the portal.
fn based_plan() -> Plan {
    use crate::testing;
    let base = "
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
  reader:
    scope_map: _repositories_pull
";
    let new = base.replace(
        "      team-a/*: [content/read, content/write]\n",
        "      team-a/*: [content/read, content/write]\n      prod/*: [content/write]\n",
    ) + "  deployer:\n    scope_map: pushers\n";
    let live = testing::live(&serde_json::json!({
        "scope_maps": [
            {"name": "pushers", "actions": ["repositories/team-a/*/content/read",
                "repositories/team-a/*/content/write", "repositories/team-a/*/content/delete"]},
            {"name": "_repositories_pull", "system": true, "actions": ["repositories/*/content/read"]},
        ],
        "tokens": [
            {"name": "ci-runner", "scope_map": "pushers", "status": "enabled"},
            {"name": "reader", "scope_map": "_repositories_pull", "status": "disabled"},
        ],
    }));
    let now = crate::plan::tests::fixtures::now();
    let mut new_plan = crate::plan::diff(&testing::desired(&new), &live, now).expect("plan");
    let base_plan = crate::plan::diff(&testing::desired(base), &live, now).expect("base plan");
    crate::plan::mark_origins(&mut new_plan, &base_plan);
    new_plan
}

#[test]
fn origins_tell_the_pull_request_from_drift() {
    use crate::plan::Origin::{Both, Config, Drift};
    let origins: Vec<(String, crate::plan::Origin)> = based_plan()
        .changes
        .iter()
        .map(|c| (c.address.to_string(), c.origin))
        .collect();
    assert_eq!(
        origins,
        [
            ("scope_map.pushers".to_owned(), Both),
            ("token.reader".to_owned(), Drift),
            ("token.deployer".to_owned(), Config),
        ]
    );
}

#[test]
fn markdown_with_origins() {
    insta::assert_snapshot!(markdown(&based_plan()));
}

#[test]
fn text_with_origins() {
    insta::assert_snapshot!(text(&based_plan()));
}

#[test]
fn json_carries_origins() {
    let json = json(&based_plan());
    let origins: Vec<&str> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["origin"].as_str().expect("origin"))
        .collect();
    assert_eq!(origins, ["both", "drift", "config"]);
}

/// A slot that never held a password is created, and says nothing of an old one; a slot due
/// for rotation while the other slot gets its password waits its turn, and every format says so.
#[test]
fn a_created_slot_and_one_waiting_its_turn() {
    use crate::model::PasswordSlot::{Password1, Password2};
    use crate::model::TokenStatus;
    use crate::plan::tests::fixtures::{DesiredBuilder, LiveBuilder, policy};
    let desired = desired().token("ci-push", "_repositories_push").passwords(
        "ci-push",
        &[
            (Password1, policy(None, Some("30d"), Some("7d"))),
            (Password2, policy(None, Some("30d"), Some("7d"))),
        ],
    );
    let live = live()
        .token("ci-push", "_repositories_push", TokenStatus::Enabled)
        .password("ci-push", Password1, Some("2026-06-05T00:00:00Z"));
    let plan = plan(&desired, &live);
    let text = text(&plan);
    assert!(!text.contains("stops working"), "{text}");
    assert!(
        text.contains("  + password \"ci-push.password2\" {"),
        "{text}"
    );
    assert!(
        text.contains(
            "Password slots waiting their turn (the other slot keeps working):\n  \
             token.ci-push.password1: expires at 2026-06-05T00:00:00Z, within rotate_before (7d); \
             waits its turn: password2 gets a new password in this apply"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Plan: 1 to create, 0 to update, 0 to disable, 0 to delete, 0 to rotate.\n"),
        "{text}"
    );
    let json = json(&plan);
    assert_eq!(json["summary"]["create"], 1);
    assert_eq!(json["summary"]["rotate"], 0);
    assert_eq!(json["changes"][0]["action"], "create");
    assert_eq!(json["waiting"][0]["address"], "token.ci-push.password1");
    let markdown = markdown(&plan);
    assert!(
        markdown.contains("### Password slots waiting their turn"),
        "{markdown}"
    );
    assert!(!markdown.contains("Destructive"), "{markdown}");
}
