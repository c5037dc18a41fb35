//! Passwords end to end (issue 14, parts 1 and 2): the two slots of a token take turns, and
//! `--replace` gives a healthy slot a new password. The year of applies is simulated at the
//! plan level (`plan::tests::rotation_in_turns`), where time can be injected; here the real
//! binary shows the same decisions against a snapshot and the emulator.

use crate::support;

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use support::{Emulator, config_dir, scopeform};

const CONFIG: &str = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
tokens:
  team-a-ci:
    scope_map: _repositories_push
    passwords:
      password1: { expires_in: 30d, rotate_before: 7d }
      password2: { expires_in: 30d, rotate_before: 7d }
";

fn timestamp(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A snapshot in which both of `team-a-ci`'s passwords were made 27 days ago and expire in
/// three days: both are due together.
fn due_together() -> Value {
    let created = timestamp(Utc::now() - TimeDelta::days(27));
    let expiry = timestamp(Utc::now() + TimeDelta::days(3));
    json!({
        "format_version": "1",
        "registry": {"subscription": "00000000-0000-0000-0000-000000000000",
                     "resource_group": "myresourcegroup", "name": "myregistry"},
        "scope_maps": [{"name": "_repositories_push", "system": true,
                        "actions": ["repositories/*/content/read", "repositories/*/content/write"]}],
        "tokens": [{"name": "team-a-ci", "scope_map": "_repositories_push", "status": "enabled",
                    "passwords": [
                        {"name": "password1", "creation_time": created, "expiry": expiry},
                        {"name": "password2", "creation_time": created, "expiry": expiry}]}],
        "connected_registries": []
    })
}

#[test]
fn slots_due_together_are_rotated_in_turns() {
    let dir = config_dir(&[("config.yaml", CONFIG)]);
    let state = dir.path().join("live.json");
    std::fs::write(&state, due_together().to_string()).expect("write snapshot");
    let secrets = dir.path().join("secrets.json");
    let config = dir.path().join("config.yaml");

    let plan = scopeform()
        .args(["plan", "--format", "json", "--state"])
        .arg_path(&state)
        .arg_path(&config)
        .run()
        .expect_code(0);
    let plan: Value = serde_json::from_str(&plan.stdout).expect("json");
    assert_eq!(
        plan["changes"].as_array().map(Vec::len),
        Some(1),
        "{plan:#}"
    );
    assert_eq!(plan["changes"][0]["address"], "token.team-a-ci.password1");
    assert_eq!(plan["changes"][0]["action"], "rotate");
    let note = plan["changes"][0]["note"].as_str().expect("note");
    assert!(
        note.contains("within rotate_before (7d); password2 stays and keeps working until"),
        "{note}"
    );
    assert_eq!(plan["waiting"][0]["address"], "token.team-a-ci.password2");

    scopeform()
        .args(["apply", "--auto-approve", "--state"])
        .arg_path(&state)
        .args(["--secrets-out"])
        .arg_path(&secrets)
        .arg_path(&config)
        .run()
        .expect_code(0);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&secrets).expect("secrets")).expect("json");
    assert!(written["team-a-ci"]["password1"].is_object(), "{written:#}");
    assert!(written["team-a-ci"]["password2"].is_null(), "{written:#}");

    // password2 waits its turn: nothing to apply, no drift, and both commands say why.
    let plan = scopeform()
        .args(["plan", "--detailed-exitcode", "--state"])
        .arg_path(&state)
        .arg_path(&config)
        .run()
        .expect_code(0);
    assert!(
        plan.stdout.contains(
            "Password slots waiting their turn (the other slot keeps working):\n  \
             token.team-a-ci.password2: expires at"
        ),
        "{plan}"
    );
    assert!(plan.stdout.contains("No changes."), "{plan}");
    let drift = scopeform()
        .args(["drift", "--state"])
        .arg_path(&state)
        .args(["--secrets"])
        .arg_path(&secrets)
        .arg_path(&config)
        .run()
        .expect_code(0);
    assert!(
        drift.stdout.starts_with(
            "No drift. The registry matches the configuration.\n\nLeft alone on purpose \
             (information, not drift):\n  token.team-a-ci.password2: expires at"
        ),
        "{drift}"
    );
}

#[test]
fn replace_gives_a_healthy_slot_a_new_password() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("config.yaml", CONFIG)]);
    let secrets = dir.path().join("secrets.json");
    // Creating a slot generates a password: without a secrets file, nothing is changed.
    let refused = emulator
        .scopeform()
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(
        refused.stderr.contains(
            "the plan generates 2 passwords but no secrets file was given and no Key Vault is used; nothing was changed"
        ),
        "{refused}"
    );
    assert_eq!(emulator.registry()["tokens"], json!([]));
    // A new token: both slots are created, and counted as created.
    let created = emulator
        .scopeform()
        .args(["apply", "--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(
        created
            .stdout
            .contains("Apply complete! 3 created, 0 updated, 0 disabled, 0 deleted, 0 rotated."),
        "{created}"
    );
    let password = |slot: &str| {
        let registry = emulator.registry();
        let token = registry["tokens"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["name"] == "team-a-ci").cloned())
            .expect("token");
        token["passwords"]
            .as_array()
            .and_then(|p| p.iter().find(|p| p["name"] == slot).cloned())
            .expect("slot")
    };
    let before = (password("password1"), password("password2"));

    let plan = emulator
        .scopeform()
        .args([
            "plan",
            "--detailed-exitcode",
            "--replace",
            "token.team-a-ci.password2",
        ])
        .arg_path(dir.path())
        .run()
        .expect_code(2);
    assert!(
        plan.stdout.contains(
            "  # token.team-a-ci.password2 will be rotated (a new password is generated)\n  \
             # (replaced on request; password1 stays and keeps working until it expires at"
        ),
        "{plan}"
    );
    assert!(
        plan.stdout
            .ends_with("Plan: 0 to create, 0 to update, 0 to disable, 0 to delete, 1 to rotate.\n"),
        "{plan}"
    );

    std::thread::sleep(std::time::Duration::from_millis(1100));
    emulator
        .scopeform()
        .args([
            "apply",
            "--auto-approve",
            "--replace",
            "token.team-a-ci.password2",
        ])
        .args(["--secrets-out"])
        .arg_path(&secrets)
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(password("password1"), before.0);
    assert_ne!(
        password("password2")["creation_time"],
        before.1["creation_time"],
        "{:#}",
        password("password2")
    );
    emulator
        .scopeform()
        .args(["drift", "--secrets"])
        .arg_path(&secrets)
        .arg_path(dir.path())
        .run()
        .expect_code(0);
}

#[test]
fn replace_names_only_declared_slots() {
    let dir = config_dir(&[("config.yaml", CONFIG)]);
    let state = dir.path().join("live.json");
    std::fs::write(&state, due_together().to_string()).expect("write snapshot");
    let run = scopeform()
        .args(["plan", "--replace", "token.team-a-cj.password1", "--state"])
        .arg_path(&state)
        .arg_path(dir.path().join("config.yaml"))
        .run()
        .expect_code(64);
    assert!(
        run.stderr.contains(
            "--replace `token.team-a-cj.password1` is not a password slot the configuration \
             declares; it declares token.team-a-ci.password1, token.team-a-ci.password2"
        ),
        "{run}"
    );
    // Not an address at all: refused while parsing the command line.
    scopeform()
        .args(["plan", "--replace", "token.team-a-ci.password3"])
        .arg_path(dir.path())
        .run()
        .expect_code(64);
    // A saved plan already says what it replaces.
    scopeform()
        .args([
            "apply",
            "--plan",
            "saved.json",
            "--replace",
            "token.team-a-ci.password1",
        ])
        .run()
        .expect_code(64);
}

/// Issue 13: a password given a far expiry by hand, or none, under a declared `expires_in` is
/// drift, and `plan` and `apply` put it right; then both are quiet.
#[test]
fn an_expiry_set_by_hand_is_drift_that_apply_puts_right() {
    let emulator = Emulator::start();
    let config = CONFIG.replace(
        "      password2: { expires_in: 30d, rotate_before: 7d }\n",
        "",
    );
    let dir = config_dir(&[("config.yaml", &config)]);
    let secrets = dir.path().join("secrets.json");
    let apply = || {
        emulator
            .scopeform()
            .args(["apply", "--auto-approve", "--secrets-out"])
            .arg_path(&secrets)
            .arg_path(dir.path())
            .run()
            .expect_code(0)
    };
    apply();
    let token_id = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}/tokens/team-a-ci",
        support::SUBSCRIPTION,
        support::RESOURCE_GROUP,
        support::REGISTRY
    );
    for (expiry, reason) in [
        (
            Some("2030-01-01T00:00:00Z"),
            "its expiry was set outside the configuration",
        ),
        (
            None,
            "never expires, but the configuration gives its passwords 30d",
        ),
    ] {
        let mut body = json!({"tokenId": token_id, "name": "password1"});
        if let Some(expiry) = expiry {
            body["expiry"] = json!(expiry);
        }
        let (status, _) = emulator.arm("POST", "/generateCredentials", Some(body));
        assert_eq!(status, 200);
        let plan = emulator
            .scopeform()
            .args(["plan", "--detailed-exitcode"])
            .arg_path(dir.path())
            .run()
            .expect_code(2);
        assert!(plan.stdout.contains(reason), "{plan}");
        let drift = emulator
            .scopeform()
            .args(["drift"])
            .arg_path(dir.path())
            .run()
            .expect_code(2);
        assert!(drift.stdout.contains(reason), "{drift}");
        apply();
        emulator
            .scopeform()
            .args(["drift", "--secrets"])
            .arg_path(&secrets)
            .arg_path(dir.path())
            .run()
            .expect_code(0);
    }
}
