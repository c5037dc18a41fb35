//! `removed` end to end, against the emulator: the example in both languages plans the same
//! bytes, `drift` sees what `apply` will revoke, `apply` revokes it, and afterwards both are
//! quiet, including on the next run, when the removed objects are gone.

use crate::support;

use serde_json::json;
use support::{Emulator, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, root};

fn id(kind: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/{kind}/{name}"
    )
}

/// The registry before: `old-ci` pushes through `old-ci-push`, `contractor` pulls.
fn registry() -> Emulator {
    let emulator = Emulator::start();
    let (status, _) = emulator.arm(
        "PUT",
        "/scopeMaps/old-ci-push",
        Some(
            json!({"properties": {"actions": ["repositories/team-a/*/content/read",
            "repositories/team-a/*/content/write"]}}),
        ),
    );
    assert_eq!(status, 201);
    for (token, scope_map) in [
        ("old-ci", "old-ci-push"),
        ("contractor", "_repositories_pull"),
    ] {
        let (status, _) = emulator.arm(
            "PUT",
            &format!("/tokens/{token}"),
            Some(json!({"properties": {"scopeMapId": id("scopeMaps", scope_map), "status": "enabled"}})),
        );
        assert_eq!(status, 201);
    }
    emulator
}

fn names(state: &serde_json::Value, kind: &str) -> Vec<String> {
    state[kind]
        .as_array()
        .expect("list")
        .iter()
        .map(|o| format!("{} {}", o["name"].as_str().unwrap_or(""), o["status"]))
        .collect()
}

#[test]
fn removed_tokens_and_scope_maps_are_revoked_and_then_left_in_peace() {
    let emulator = registry();
    let example = root().join("examples/removed");
    let plan = |file: &str| {
        emulator
            .scopeform()
            .args(["plan", "--format", "json"])
            .arg_path(example.join(file))
            .run()
            .expect_code(0)
    };
    let (yaml, hcl) = (plan("config.yaml"), plan("config.hcl"));
    assert_eq!(yaml.stdout, hcl.stdout, "YAML and HCL plan the same bytes");
    let json: serde_json::Value = serde_json::from_str(&yaml.stdout).expect("json");
    let changes: Vec<String> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| format!("{} {} {}", c["action"], c["address"], c["note"]))
        .collect();
    assert_eq!(
        changes,
        [
            r#""create" "scope_map.team-a-push" null"#,
            r#""disable" "token.contractor" "removed from the configuration""#,
            r#""delete" "token.old-ci" "removed from the configuration""#,
            r#""delete" "scope_map.old-ci-push" "removed from the configuration""#,
            r#""create" "token.ci-team-a" null"#,
        ]
    );
    let lost: Vec<String> = json["access_changes"]
        .as_array()
        .expect("access changes")
        .iter()
        .filter(|a| !a["lost"].as_array().is_some_and(Vec::is_empty))
        .map(|a| format!("{} {}", a["token"], a["lost"]))
        .collect();
    assert_eq!(
        lost,
        [
            r#""contractor" ["repositories/*/content/read"]"#,
            r#""old-ci" ["repositories/team-a/*/content/read","repositories/team-a/*/content/write"]"#,
        ]
    );

    let drift = |code: i32| {
        emulator
            .scopeform()
            .args(["drift"])
            .arg_path(example.join("config.hcl"))
            .run()
            .expect_code(code)
    };
    let before = drift(2);
    assert!(
        before
            .stdout
            .contains("- token.old-ci is under `removed` but still in the registry"),
        "{before}"
    );

    let applied = emulator
        .scopeform()
        .args(["apply", "--auto-approve"])
        .arg_path(example.join("config.yaml"))
        .run()
        .expect_code(0);
    assert!(
        applied
            .stdout
            .contains("Apply complete! 2 created, 0 updated, 1 disabled, 2 deleted, 0 rotated."),
        "{applied}"
    );
    let state = emulator.registry();
    assert_eq!(
        names(&state, "tokens"),
        [r#"ci-team-a "enabled""#, r#"contractor "disabled""#]
    );
    assert!(
        !names(&state, "scope_maps")
            .iter()
            .any(|s| s.starts_with("old-ci-push")),
        "{state}"
    );

    // In sync now; the entries stay in the configuration and do nothing more.
    drift(0);
    for file in ["config.yaml", "config.hcl"] {
        emulator
            .scopeform()
            .args(["plan", "--detailed-exitcode"])
            .arg_path(example.join(file))
            .run()
            .expect_code(0);
    }
}
