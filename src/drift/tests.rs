//! Drift, case by case: a configuration in YAML, a live registry as a snapshot, and the drift
//! `detect` reports, one line per field.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{FieldValue, RecordedCreations, detect};
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
    let report = detect(&desired(yaml), &live(snapshot), now(), recorded).expect("drift");
    for d in report.drift {
        lines.push(format!(
            "{} {}",
            d.address,
            serde_json::to_value(d.kind).expect("kind")
        ));
        lines.extend(d.note.map(|note| format!("  note: {note}")));
        for f in d.fields {
            let json = |v: &FieldValue| serde_json::to_string(v).expect("json");
            lines.push(format!(
                "  {}: {} -> {}",
                f.name,
                json(&f.config),
                json(&f.live)
            ));
            lines.extend(f.note.map(|note| format!("    note: {note}")));
        }
    }
    for info in report.left_alone {
        lines.push(format!("(left alone) {}: {}", info.address, info.reason));
    }
    lines.extend(
        report
            .warnings
            .into_iter()
            .map(|w| format!("(warning) {w}")),
    );
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
    let found = detect(&desired, &live, now(), &RecordedCreations::new())
        .expect("drift")
        .drift;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].address, crate::plan::Address::AdminUser);
    assert_eq!(
        (&found[0].fields[0].config, &found[0].fields[0].live),
        (&FieldValue::Flag(false), &FieldValue::Flag(true))
    );
}

#[test]
fn an_unmanaged_admin_user_is_not_drift() {
    let live = live(&json!({"registry": {"admin_user_enabled": true}}));
    assert!(
        detect(&desired(""), &live, now(), &RecordedCreations::new())
            .expect("drift")
            .in_sync()
    );
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
            "(left alone) token.edge01-sync: not in the configuration, and unmanaged.tokens is ignore",
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
        // scopeform does not create connected registries: nothing `apply` would do.
        [
            "(warning) connected_registry.edge01 is declared but does not exist in the registry; scopeform does not create connected registries (use `az acr connected-registry create`), so its client tokens are not set"
        ]
    );
}

/// Undeclared objects follow `unmanaged`: what the policy keeps as it is (and ignored names,
/// system scope maps) is information; what it removes or disables, drift.
#[test]
fn live_objects_not_declared_follow_the_unmanaged_policy() {
    let mut snapshot = pusher_live(json!({}), json!({}));
    snapshot["scope_maps"].as_array_mut().expect("list").extend([
        json!({"name": "_repositories_pull", "system": true, "actions": ["repositories/*/content/read"]}),
        json!({"name": "legacy-map", "actions": ["repositories/*/content/read"]}),
        json!({"name": "handmade", "actions": ["repositories/*/content/read"]}),
        json!({"name": "unused", "actions": ["repositories/*/content/read"]}),
    ]);
    snapshot["tokens"].as_array_mut().expect("list").extend([
        json!({"name": "legacy-deployer", "scope_map": "legacy-map", "status": "enabled"}),
        json!({"name": "intruder", "scope_map": "handmade", "status": "enabled"}),
        json!({"name": "retired", "scope_map": "handmade", "status": "disabled"}),
    ]);
    let with = |policy: &str| format!("{PUSHER}ignore: [\"legacy-*\"]\nunmanaged: {policy}\n");
    assert_eq!(
        drift(&with("{}"), &snapshot),
        [
            "(left alone) scope_map.handmade: not in the configuration, and unmanaged.scope_maps is ignore",
            "(left alone) scope_map.unused: not in the configuration, and unmanaged.scope_maps is ignore",
            "(left alone) token.intruder: not in the configuration, and unmanaged.tokens is ignore",
            "(left alone) token.retired: not in the configuration, and unmanaged.tokens is ignore",
        ]
    );
    // Issue 13: a token `apply` disabled under `disable` is no longer drift.
    assert_eq!(
        drift(&with("{tokens: disable, scope_maps: delete}"), &snapshot),
        [
            "scope_map.unused \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.scope_maps is delete",
            "token.intruder \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.tokens is disable",
            "(left alone) scope_map.handmade: not in the configuration, and kept: a token still uses it",
            "(left alone) token.retired: not in the configuration, and already disabled as unmanaged.tokens (disable) asks",
            "(warning) scope_map.handmade is not in the configuration but is not deleted: token.retired still uses it",
        ]
    );
    assert_eq!(
        drift(&with("{tokens: delete, scope_maps: delete}"), &snapshot),
        [
            "scope_map.handmade \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.scope_maps is delete",
            "scope_map.unused \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.scope_maps is delete",
            "token.intruder \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.tokens is delete",
            "token.retired \"unmanaged\"",
            "  note: not in the configuration, and unmanaged.tokens is delete",
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
            "  password1.expiry: \"2027-01-01T00:00:00Z\" -> \"2027-06-30T00:00:00Z\"",
            "    note: expiry 2027-06-30T00:00:00Z differs from the declared 2027-01-01T00:00:00Z; no other password slot is declared, so none keeps working meanwhile",
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
            "  password1.expiry: \"2027-01-01T00:00:00Z\" -> null",
            "    note: expiry none differs from the declared 2027-01-01T00:00:00Z; no other password slot is declared, so none keeps working meanwhile",
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
            "  password1.expiry: \"expires within 30d\" -> null",
            "    note: never expires, but the configuration gives its passwords 30d (expires_in); no other password slot is declared, so none keeps working meanwhile",
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
            "  password1.expiry: \"expires within 30d\" -> \"2026-12-31T00:00:00Z\"",
            "    note: expires at 2026-12-31T00:00:00Z, later than a password made now would (30d, expires_in): its expiry was set outside the configuration; no other password slot is declared, so none keeps working meanwhile",
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
        {"name": "password2", "creation_time": "2026-05-04T00:00:00Z", "expiry": "2026-06-03T00:00:00Z"},
    ]));
    let recorded = RecordedCreations::from([
        (
            ("ci-runner".to_owned(), PasswordSlot::Password1),
            at("2026-05-01T00:00:00Z"),
        ),
        (
            ("ci-runner".to_owned(), PasswordSlot::Password2),
            at("2026-05-04T00:00:00Z"),
        ),
    ]);
    // The one difference drift reports that no plan has (see the module's documentation).
    assert_eq!(
        report(&yaml, &live, &recorded),
        [
            "token.ci-runner \"changed\"",
            "  password1.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-20T00:00:00Z\"",
            "    note: created after the password the secrets file holds, which no longer works; `scopeform apply --replace token.ci-runner.password1 --secrets-out FILE` gives the file a working one",
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
        not_in_key_vault: Vec::new(),
    };
    assert_eq!(
        report(&yaml, &live, &recorded),
        [
            "token.ci-runner \"changed\"",
            "  password1.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-20T00:00:05Z\"",
            "    note: password1 of ci-runner was generated by an interrupted apply at 2026-05-20T00:00:00Z and never saved; `apply` with this secrets file rotates it again",
            "  password2.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-21T00:00:00Z\"",
            "    note: created after the password the secrets file holds, which no longer works; `scopeform apply --replace token.ci-runner.password2 --secrets-out FILE` gives the file a working one",
        ]
    );
}

/// Issue 14: with `drift --key-vault`, a live password that is not the newest version in Key
/// Vault is drift: a consumer reading Key Vault does not have it.
#[test]
fn a_live_password_key_vault_does_not_have() {
    let yaml = with_passwords("{password1: {expires_in: 30d}}");
    let live = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-20T00:00:00Z", "expiry": "2026-06-19T00:00:00Z"},
    ]));
    let recorded = RecordedCreations {
        not_in_key_vault: vec![crate::drift::NotInKeyVault {
            token: "ci-runner".parse().expect("token name"),
            slot: PasswordSlot::Password1,
            secret: "acr-myregistry-ci-runner".to_owned(),
            in_vault: Some(at("2026-05-01T00:00:00Z")),
        }],
        ..RecordedCreations::default()
    };
    assert_eq!(
        report(&yaml, &live, &recorded),
        [
            "token.ci-runner \"changed\"",
            "  password1.creation_time: \"2026-05-01T00:00:00Z\" -> \"2026-05-20T00:00:00Z\"",
            "    note: not in Key Vault: the newest version of secret `acr-myregistry-ci-runner` for this slot is the password created 2026-05-01T00:00:00Z, so a consumer reading Key Vault does not have this password; `scopeform apply` rotates it again and delivers the new one",
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

/// Issue 13: what `plan` changes about passwords, `drift` reports, and what it leaves alone
/// (a slot waiting its turn) is information.
#[test]
fn password_drift_is_what_plan_changes() {
    let both = with_passwords(
        "{password1: {expires_in: 30d, rotate_before: 7d}, password2: {expires_in: 30d, rotate_before: 7d}}",
    );
    // Both due together: password1 is rotated (drift), password2 waits its turn (information).
    let live = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-05T00:00:00Z", "expiry": "2026-06-04T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-05-05T00:00:00Z", "expiry": "2026-06-04T00:00:00Z"},
    ]));
    assert_eq!(
        drift(&both, &live),
        [
            "token.ci-runner \"changed\"",
            "  password1.expiry: \"expires within 30d, rotated 7d before\" -> \"2026-06-04T00:00:00Z\"",
            "    note: expires at 2026-06-04T00:00:00Z, within rotate_before (7d); password2 stays and keeps working until it expires at 2026-06-04T00:00:00Z",
            "(left alone) token.ci-runner.password2: expires at 2026-06-04T00:00:00Z, within rotate_before (7d); waits its turn: password1 gets a new password in this apply, and password2 keeps working meanwhile; it is rotated once password1 is 11d 12h old (from 2026-06-12T12:00:00Z), or when it expires",
        ]
    );
    // A healthy pair, twelve days apart: nothing.
    let healthy = token_passwords(json!([
        {"name": "password1", "creation_time": "2026-05-25T00:00:00Z", "expiry": "2026-06-24T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-05-13T00:00:00Z", "expiry": "2026-06-12T00:00:00Z"},
    ]));
    assert_eq!(drift(&both, &healthy), Vec::<String>::new());
}

/// Drift fails where plan fails, rather than report what no apply could put right.
#[test]
fn drift_fails_where_plan_fails() {
    let other =
        crate::testing::desired_from(&[("registry.yaml", "registry:\n  name: otherregistry\n")]);
    let error =
        detect(&other, &live(&json!({})), now(), &RecordedCreations::new()).expect_err("no plan");
    assert!(
        error
            .to_string()
            .starts_with("the configuration describes registry `*/*/otherregistry`"),
        "{error}"
    );
}
