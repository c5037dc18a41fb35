//! Drift, case by case: a configuration in YAML, a live registry as a snapshot, and the drift
//! `detect` reports, one line per field.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{RecordedCreations, detect};
use crate::model::PasswordSlot;
use crate::testing::{desired, live};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test timestamp")
}

fn now() -> DateTime<Utc> {
    at("2026-06-01T00:00:00Z")
}

/// Each drifted object as `address kind`, then each field as `  name: config -> live`.
fn report(yaml: &str, snapshot: &serde_json::Value, recorded: &RecordedCreations) -> Vec<String> {
    let mut lines = Vec::new();
    for d in detect(&desired(yaml), &live(snapshot), now(), recorded) {
        lines.push(format!(
            "{} {}",
            d.address,
            serde_json::to_value(d.kind).expect("kind")
        ));
        for f in d.fields {
            lines.push(format!("  {}: {} -> {}", f.name, f.config, f.live));
            lines.extend(f.note.map(|note| format!("    note: {note}")));
        }
    }
    lines
}

fn drift(yaml: &str, snapshot: &serde_json::Value) -> Vec<String> {
    report(yaml, snapshot, &RecordedCreations::new())
}

const PUSHER: &str = "
scope_maps:
  pusher:
    description: Push team A
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pusher
";

#[allow(clippy::needless_pass_by_value)] // reads best with `json!` written inline
fn pusher_live(scope_map: serde_json::Value, token: serde_json::Value) -> serde_json::Value {
    let mut scope_map_json = json!({"name": "pusher", "description": "Push team A",
        "actions": ["repositories/team-a/*/content/read", "repositories/team-a/*/content/write"]});
    let mut token_json = json!({"name": "ci-runner", "scope_map": "pusher", "status": "enabled"});
    for (target, edit) in [(&mut scope_map_json, scope_map), (&mut token_json, token)] {
        if let Some(edit) = edit.as_object() {
            for (k, v) in edit {
                target[k] = v.clone();
            }
        }
    }
    json!({"scope_maps": [scope_map_json], "tokens": [token_json]})
}

#[test]
fn in_sync_is_empty() {
    assert_eq!(
        drift(PUSHER, &pusher_live(json!({}), json!({}))),
        Vec::<String>::new()
    );
}

#[test]
fn action_order_and_duplicates_are_not_drift() {
    let live = pusher_live(
        json!({"actions": ["repositories/team-a/*/content/write",
                           "repositories/team-a/*/content/read",
                           "repositories/team-a/*/content/write"]}),
        json!({}),
    );
    assert_eq!(drift(PUSHER, &live), Vec::<String>::new());
}

#[test]
fn an_action_added_out_of_band() {
    let live = pusher_live(
        json!({"actions": ["repositories/team-a/*/content/read",
                           "repositories/team-a/*/content/write",
                           "repositories/team-a/*/content/delete"]}),
        json!({}),
    );
    assert_eq!(
        drift(PUSHER, &live),
        [
            "scope_map.pusher \"changed\"",
            "  actions: [\"repositories/team-a/*/content/read\",\"repositories/team-a/*/content/write\"] -> [\"repositories/team-a/*/content/delete\",\"repositories/team-a/*/content/read\",\"repositories/team-a/*/content/write\"]",
        ]
    );
}

#[test]
fn an_action_removed_out_of_band() {
    let live = pusher_live(
        json!({"actions": ["repositories/team-a/*/content/read"]}),
        json!({}),
    );
    assert_eq!(
        drift(PUSHER, &live),
        [
            "scope_map.pusher \"changed\"",
            "  actions: [\"repositories/team-a/*/content/read\",\"repositories/team-a/*/content/write\"] -> [\"repositories/team-a/*/content/read\"]",
        ]
    );
}

#[test]
fn an_action_scopeform_cannot_parse_is_drift() {
    let mut snapshot = pusher_live(json!({}), json!({}));
    snapshot["scope_maps"][0]["unrecognised_actions"] = json!(["repositories/Team-A/content/read"]);
    assert_eq!(
        drift(PUSHER, &snapshot)[1],
        "  actions: [\"repositories/team-a/*/content/read\",\"repositories/team-a/*/content/write\"] -> [\"repositories/Team-A/content/read\",\"repositories/team-a/*/content/read\",\"repositories/team-a/*/content/write\"]"
    );
}

#[test]
fn a_description_changed_out_of_band() {
    let live = pusher_live(json!({"description": "edited in the portal"}), json!({}));
    assert_eq!(
        drift(PUSHER, &live),
        [
            "scope_map.pusher \"changed\"",
            "  description: \"Push team A\" -> \"edited in the portal\"",
        ]
    );
}

#[test]
fn an_undeclared_description_is_not_managed() {
    let yaml = PUSHER.replace("    description: Push team A\n", "");
    let live = pusher_live(json!({"description": "anything"}), json!({}));
    assert_eq!(drift(&yaml, &live), Vec::<String>::new());
}

#[test]
fn a_token_disabled_out_of_band() {
    let live = pusher_live(json!({}), json!({"status": "disabled"}));
    assert_eq!(
        drift(PUSHER, &live),
        [
            "token.ci-runner \"changed\"",
            "  status: \"enabled\" -> \"disabled\""
        ]
    );
}

#[test]
fn a_token_moved_to_another_scope_map() {
    let mut snapshot = pusher_live(json!({}), json!({"scope_map": "_repositories_admin"}));
    snapshot["scope_maps"]
        .as_array_mut()
        .expect("list")
        .push(json!({"name": "_repositories_admin", "system": true,
                     "actions": ["repositories/*/content/write"]}));
    assert_eq!(
        drift(PUSHER, &snapshot),
        [
            "token.ci-runner \"changed\"",
            "  scope_map: \"pusher\" -> \"_repositories_admin\""
        ]
    );
}

#[test]
fn the_admin_user_enabled_out_of_band() {
    let desired = crate::testing::desired_from(&[(
        "registry.yaml",
        "registry:\n  name: myregistry\n  admin_user: disabled\n",
    )]);
    let live = live(&json!({"registry": {"admin_user_enabled": true}}));
    let found = detect(&desired, &live, now(), &RecordedCreations::new());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].address, "registry.admin_user");
    assert_eq!(
        (&found[0].fields[0].config, &found[0].fields[0].live),
        (&json!(false), &json!(true))
    );
}

#[test]
fn an_unmanaged_admin_user_is_not_drift() {
    let live = live(&json!({"registry": {"admin_user_enabled": true}}));
    assert!(detect(&desired(""), &live, now(), &RecordedCreations::new()).is_empty());
}

#[test]
fn client_tokens_changed_out_of_band() {
    let yaml = format!(
        "{PUSHER}  reader:\n    scope_map: _repositories_pull\nconnected_registries:\n  edge01:\n    mode: ReadOnly\n    client_tokens: [reader]\n"
    );
    let mut snapshot = pusher_live(json!({}), json!({}));
    snapshot["scope_maps"]
        .as_array_mut()
        .expect("list")
        .push(json!({"name": "_repositories_pull", "system": true,
                     "actions": ["repositories/*/content/read"]}));
    snapshot["tokens"].as_array_mut().expect("list").extend([
        json!({"name": "reader", "scope_map": "_repositories_pull", "status": "enabled"}),
        json!({"name": "edge01-sync", "scope_map": "_repositories_pull", "status": "enabled"}),
    ]);
    snapshot["connected_registries"] = json!([{"name": "edge01", "mode": "ReadOnly",
        "sync_token": "edge01-sync", "client_tokens": ["ci-runner", "reader"]}]);
    assert_eq!(
        drift(&yaml, &snapshot),
        [
            "connected_registry.edge01 \"changed\"",
            "  client_tokens: [\"reader\"] -> [\"ci-runner\",\"reader\"]",
            "token.edge01-sync \"unmanaged\"",
        ]
    );
}

#[test]
fn declared_objects_missing_live() {
    assert_eq!(
        drift(PUSHER, &json!({})),
        [
            "scope_map.pusher \"missing\"",
            "token.ci-runner \"missing\""
        ]
    );
}

#[test]
fn a_declared_connected_registry_missing_live() {
    let yaml = format!(
        "{PUSHER}connected_registries:\n  edge01:\n    mode: ReadWrite\n    client_tokens: [ci-runner]\n"
    );
    assert_eq!(
        drift(&yaml, &pusher_live(json!({}), json!({}))),
        ["connected_registry.edge01 \"missing\""]
    );
}

#[test]
fn live_objects_not_declared_are_unmanaged_unless_ignored_or_system() {
    let yaml = format!("{PUSHER}ignore: [\"legacy-*\"]\n");
    let mut snapshot = pusher_live(json!({}), json!({}));
    snapshot["scope_maps"].as_array_mut().expect("list").extend([
        json!({"name": "_repositories_pull", "system": true, "actions": ["repositories/*/content/read"]}),
        json!({"name": "legacy-map", "actions": ["repositories/*/content/read"]}),
        json!({"name": "handmade", "actions": ["repositories/*/content/read"]}),
    ]);
    snapshot["tokens"].as_array_mut().expect("list").extend([
        json!({"name": "legacy-deployer", "scope_map": "legacy-map", "status": "enabled"}),
        json!({"name": "intruder", "scope_map": "handmade", "status": "enabled"}),
    ]);
    assert_eq!(
        drift(&yaml, &snapshot),
        [
            "scope_map.handmade \"unmanaged\"",
            "token.intruder \"unmanaged\""
        ]
    );
}

// Passwords. The configuration only speaks of slots when `passwords` is present.

fn with_passwords(passwords: &str) -> String {
    format!("{PUSHER}    passwords: {passwords}\n")
}

#[allow(clippy::needless_pass_by_value)] // reads best with `json!` written inline
fn token_passwords(passwords: serde_json::Value) -> serde_json::Value {
    pusher_live(json!({}), json!({"passwords": passwords}))
}

#[test]
fn passwords_are_not_managed_without_the_key() {
    let live = token_passwords(json!([{"name": "password1"}, {"name": "password2"}]));
    assert_eq!(drift(PUSHER, &live), Vec::<String>::new());
}

#[test]
fn a_password_added_out_of_band() {
    let yaml = with_passwords("{password1: {expires_in: 30d}}");
    let live = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-20T00:00:00Z", "expiry": "2026-06-19T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-05-30T00:00:00Z"},
    ]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password2: \"absent\" -> \"present\""
        ]
    );
}

#[test]
fn a_password_removed_out_of_band() {
    let yaml = with_passwords("{password1: {expires_in: 30d}, password2: {expires_in: 30d}}");
    let live = token_passwords(json!([
        {"name": "password2", "creation_time": "2026-05-20T00:00:00Z", "expiry": "2026-06-19T00:00:00Z"},
    ]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1: \"present\" -> \"absent\""
        ]
    );
}

#[test]
fn no_passwords_wanted_but_one_is_live() {
    let live = token_passwords(json!([{"name": "password1"}]));
    assert_eq!(
        drift(&with_passwords("{}"), &live),
        [
            "token.ci-runner \"changed\"",
            "  password1: \"absent\" -> \"present\""
        ]
    );
}

#[test]
fn an_expiry_that_differs_from_the_declared_one() {
    let yaml = with_passwords("{password1: {expiry: \"2027-01-01T00:00:00Z\"}}");
    let live = token_passwords(json!([
        {"name": "password1", "expiry": "2027-06-30T00:00:00Z"},
    ]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1.expiry: \"2027-01-01T00:00:00Z\" -> \"2027-06-30T00:00:00Z\""
        ]
    );
    let same = token_passwords(json!([{"name": "password1", "expiry": "2027-01-01T00:00:00Z"}]));
    assert_eq!(drift(&yaml, &same), Vec::<String>::new());
}

#[test]
fn a_declared_expiry_with_no_live_expiry() {
    let yaml = with_passwords("{password1: {expiry: \"2027-01-01T00:00:00Z\"}}");
    let live = token_passwords(json!([{"name": "password1"}]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1.expiry: \"2027-01-01T00:00:00Z\" -> null"
        ]
    );
}

#[test]
fn an_expires_in_slot_without_expiry() {
    let yaml = with_passwords("{password1: {expires_in: 30d}}");
    let live = token_passwords(json!([{"name": "password1"}]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1.expiry: \"expires within 30d\" -> null"
        ]
    );
}

#[test]
fn an_expires_in_slot_expiring_further_out_than_now_plus_expires_in() {
    let yaml = with_passwords("{password1: {expires_in: 30d}}");
    // now + 30d is 2026-07-01: a password valid until 2026-12-31 was not made by this configuration.
    let live = token_passwords(json!([{"name": "password1", "expiry": "2026-12-31T00:00:00Z"}]));
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1.expiry: \"expires within 30d\" -> \"2026-12-31T00:00:00Z\""
        ]
    );
    let at_the_limit =
        token_passwords(json!([{"name": "password1", "expiry": "2026-07-01T00:00:00Z"}]));
    assert_eq!(drift(&yaml, &at_the_limit), Vec::<String>::new());
}

#[test]
fn a_password_created_after_the_recorded_one() {
    let yaml = with_passwords("{password1: {expires_in: 30d}, password2: {expires_in: 30d}}");
    let live = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-20T00:00:00Z", "expiry": "2026-06-19T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-05-10T00:00:00Z", "expiry": "2026-06-09T00:00:00Z"},
    ]));
    let recorded = RecordedCreations::from([
        (
            ("ci-runner".to_owned(), PasswordSlot::Password1),
            at("2026-05-01T00:00:00Z"),
        ),
        (
            ("ci-runner".to_owned(), PasswordSlot::Password2),
            at("2026-05-10T00:00:00Z"),
        ),
    ]);
    assert_eq!(
        report(&yaml, &live, &recorded),
        [
            "token.ci-runner \"changed\"",
            "  password1.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-20T00:00:00Z\""
        ]
    );
    // Without a secrets file there is nothing to compare with.
    assert_eq!(drift(&yaml, &live), Vec::<String>::new());
}

/// A password an interrupted apply generated and never saved is scopeform's own, lost: drift
/// says so, rather than blame someone else.
#[test]
fn a_password_an_interrupted_apply_lost() {
    let yaml = with_passwords("{password1: {expires_in: 30d}, password2: {expires_in: 30d}}");
    let live = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-20T00:00:05Z", "expiry": "2026-06-19T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-05-21T00:00:00Z", "expiry": "2026-06-20T00:00:00Z"},
    ]));
    let rotation = |slot, started| crate::model::InterruptedRotation {
        token: "ci-runner".parse().expect("token name"),
        slot,
        started: at(started),
        saved_creation_time: Some(at("2026-05-01T00:00:00Z")),
    };
    let recorded = RecordedCreations {
        creations: [
            (
                ("ci-runner".to_owned(), PasswordSlot::Password1),
                at("2026-05-01T00:00:00Z"),
            ),
            (
                ("ci-runner".to_owned(), PasswordSlot::Password2),
                at("2026-05-01T00:00:00Z"),
            ),
        ]
        .into(),
        interrupted: vec![
            rotation(PasswordSlot::Password1, "2026-05-20T00:00:00Z"),
            // Started after the live password2 was created: that one is someone else's.
            rotation(PasswordSlot::Password2, "2026-05-25T00:00:00Z"),
        ],
    };
    assert_eq!(
        report(&yaml, &live, &recorded),
        [
            "token.ci-runner \"changed\"",
            "  password1.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-20T00:00:05Z\"",
            "    note: password1 of ci-runner was generated by an interrupted apply at 2026-05-20T00:00:00Z and never saved; `apply` with this secrets file rotates it again",
            "  password2.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-21T00:00:00Z\"",
        ]
    );
}

#[test]
fn several_fields_of_one_token_are_one_drift() {
    let yaml = with_passwords("{password1: {expires_in: 30d}}");
    let live = pusher_live(
        json!({}),
        json!({"status": "disabled", "passwords": [{"name": "password2"}]}),
    );
    assert_eq!(
        drift(&yaml, &live),
        [
            "token.ci-runner \"changed\"",
            "  status: \"enabled\" -> \"disabled\"",
            "  password1: \"present\" -> \"absent\"",
            "  password2: \"absent\" -> \"present\"",
        ]
    );
}
