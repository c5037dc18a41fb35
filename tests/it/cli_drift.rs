//! `scopeform drift` end to end: apply a configuration to the emulator, change the registry
//! behind its back through the ARM API (as someone with `az` would), check that `drift`
//! reports each change with the right kind, then that `apply` puts everything back.

use crate::support;

use serde_json::{Value, json};
use support::{Emulator, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, config_dir};

const CONFIG: &str = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
unmanaged:
  tokens: delete
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
  pullers:
    repositories:
      \"*\": [content/read]
  deployers:
    repositories:
      prod/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
    passwords:
      password1: { expires_in: 30d, rotate_before: 2d }
  deployer:
    scope_map: deployers
  reader:
    scope_map: pullers
";

fn id(kind: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/{kind}/{name}"
    )
}

/// `(address, kind, field names)` of each reported drift.
fn reported(json: &Value) -> Vec<(String, String, Vec<String>)> {
    json["drift"]
        .as_array()
        .expect("drift list")
        .iter()
        .map(|d| {
            let fields = d["fields"]
                .as_array()
                .expect("fields always present")
                .iter()
                .map(|f| {
                    assert!(f.get("config").is_some() && f.get("live").is_some(), "{f}");
                    f["name"].as_str().expect("name").to_owned()
                })
                .collect();
            (
                d["address"].as_str().expect("address").to_owned(),
                d["kind"].as_str().expect("kind").to_owned(),
                fields,
            )
        })
        .collect()
}

fn owned(address: &str, kind: &str, fields: &[&str]) -> (String, String, Vec<String>) {
    (
        address.to_owned(),
        kind.to_owned(),
        fields.iter().map(|f| (*f).to_owned()).collect(),
    )
}

#[test]
fn drift_reports_out_of_band_changes_and_apply_restores_the_configuration() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("scopeform.yaml", CONFIG)]);
    let secrets = dir.path().join("secrets.json");
    let config = dir.path().join("scopeform.yaml");
    let apply = || {
        emulator
            .scopeform()
            .args(["apply", "--auto-approve", "--secrets-out"])
            .args([&secrets])
            .args([&config])
            .run()
            .expect_code(0)
    };
    apply();
    emulator
        .scopeform()
        .args(["drift", "--secrets"])
        .args([&secrets])
        .args([&config])
        .run()
        .expect_code(0);

    // Someone grants delete on team-a/* in the portal.
    let (status, _) = emulator.arm(
        "PATCH",
        "/scopeMaps/pushers",
        Some(json!({"properties": {"actions": [
            "repositories/team-a/*/content/read", "repositories/team-a/*/content/write",
            "repositories/team-a/*/content/delete"]}})),
    );
    // Real Azure answers a scope map PATCH with 201 and an operation.
    assert_eq!(status, 201);
    // …creates a token of their own…
    let (status, _) = emulator.arm(
        "PUT",
        "/tokens/intruder",
        Some(
            json!({"properties": {"scopeMapId": id("scopeMaps", "pullers"), "status": "enabled"}}),
        ),
    );
    assert!(matches!(status, 200 | 201), "{status}");
    // …disables a token…
    let (status, _) = emulator.arm(
        "PATCH",
        "/tokens/reader",
        Some(json!({"properties": {"status": "disabled"}})),
    );
    assert_eq!(status, 201);
    // …rotates a password (a second later, so its creation time is later than the recorded
    // one), giving it an expiry within `rotate_before`…
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let expiry = (chrono::Utc::now() + chrono::TimeDelta::days(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (status, _) = emulator.arm(
        "POST",
        "/generateCredentials",
        Some(json!({"tokenId": id("tokens", "ci-runner"), "name": "password1", "expiry": expiry})),
    );
    assert_eq!(status, 200);
    // …and deletes a scope map after moving its token away.
    let (status, _) = emulator.arm(
        "PATCH",
        "/tokens/deployer",
        Some(json!({"properties": {"scopeMapId": id("scopeMaps", "pullers")}})),
    );
    assert_eq!(status, 201);
    emulator.wait_settled("/tokens/deployer");
    let (status, _) = emulator.arm("DELETE", "/scopeMaps/deployers", None);
    assert!(matches!(status, 200 | 202 | 204), "{status}");
    for path in [
        "/scopeMaps/pushers",
        "/tokens/intruder",
        "/tokens/reader",
        "/scopeMaps/deployers",
    ] {
        emulator.wait_settled(path);
    }

    let run = emulator
        .scopeform()
        .args(["drift", "--format", "json", "--secrets"])
        .args([&secrets])
        .args([&config])
        .run()
        .expect_code(2);
    let json: Value = serde_json::from_str(&run.stdout).expect("json output");
    assert_eq!(json["format_version"], "1");
    assert_eq!(json["in_sync"], false);
    assert_eq!(
        reported(&json),
        [
            owned("scope_map.deployers", "missing", &[]),
            owned("scope_map.pushers", "changed", &["actions"]),
            // Within rotate_before, so `apply` rotates it: drift, as in the plan.
            owned(
                "token.ci-runner",
                "changed",
                &["password1.expiry", "password1.creation_time"],
            ),
            owned("token.deployer", "changed", &["scope_map"]),
            owned("token.intruder", "unmanaged", &[]),
            owned("token.reader", "changed", &["status"]),
        ]
    );
    let pushers = &json["drift"][1]["fields"][0];
    assert_eq!(
        pushers["live"],
        json!([
            "repositories/team-a/*/content/delete",
            "repositories/team-a/*/content/read",
            "repositories/team-a/*/content/write"
        ])
    );
    assert_eq!(json["drift"][5]["fields"][0]["config"], "enabled");
    assert_eq!(json["drift"][5]["fields"][0]["live"], "disabled");

    // Without the secrets file the out-of-band rotation is invisible (the registry keeps no
    // history); the new password's short expiry still is.
    let run = emulator
        .scopeform()
        .args(["drift"])
        .args([&config])
        .run()
        .expect_code(2);
    assert!(!run.stdout.contains("creation_time"), "{run}");
    assert!(
        run.stdout
            .contains("~ token.reader differs from the configuration"),
        "{run}"
    );
    assert!(
        run.stdout
            .ends_with("Drift: 4 changed, 1 missing, 1 unmanaged.\n"),
        "{run}"
    );

    let markdown = emulator
        .scopeform()
        .args(["drift", "--format", "markdown"])
        .args([&config])
        .run()
        .expect_code(2);
    assert!(
        markdown.stdout.contains("| `token.intruder` | unmanaged |"),
        "{markdown}"
    );

    apply();
    let run = emulator
        .scopeform()
        .args(["drift", "--secrets"])
        .args([&secrets])
        .args([&config])
        .run()
        .expect_code(0);
    assert_eq!(
        run.stdout,
        "No drift. The registry matches the configuration.\n"
    );
}

#[test]
fn drift_names_a_missing_secrets_file() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("scopeform.yaml", CONFIG)]);
    let run = emulator
        .scopeform()
        .args(["drift", "--secrets", "no-such-secrets.json"])
        .args([dir.path()])
        .run()
        .expect_code(1);
    assert!(
        run.stderr
            .contains("secrets file no-such-secrets.json does not exist"),
        "{run}"
    );
}
