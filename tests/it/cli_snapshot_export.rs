//! `scopeform snapshot` and `scopeform export` as a user runs them, against the emulator.

use crate::support;

use support::{Emulator, FAKE_TOKEN, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, scopeform};

fn coordinates() -> Vec<&'static str> {
    vec![
        "--subscription",
        SUBSCRIPTION,
        "--resource-group",
        RESOURCE_GROUP,
        "--registry",
        REGISTRY,
    ]
}

/// A registry with a scope map, a token with a password, and a disabled token.
fn populated() -> Emulator {
    let emulator = Emulator::with(|o| o.page_size = 2);
    let (status, _) = emulator.arm(
        "PUT",
        "/scopeMaps/MyScopeMap",
        Some(serde_json::json!({"properties": {"description": "Sample scope map", "actions": [
            "repositories/samples/hello-world/content/write", "repositories/samples/hello-world/content/read",
            "repositories/samples/*/content/read"]}})),
    );
    assert_eq!(status, 201);
    let id = |kind: &str, name: &str| {
        format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/{kind}/{name}"
        )
    };
    let (status, _) = emulator.arm(
        "PUT",
        "/tokens/MyToken",
        Some(serde_json::json!({"properties": {"scopeMapId": id("scopeMaps", "MyScopeMap"), "status": "enabled"}})),
    );
    assert_eq!(status, 201);
    let (status, _) = emulator.arm(
        "POST",
        "/generateCredentials",
        Some(serde_json::json!({"tokenId": id("tokens", "MyToken"), "name": "password1", "expiry": "2030-01-01T00:00:00Z"})),
    );
    assert_eq!(status, 200);
    let (status, _) = emulator.arm(
        "PUT",
        "/tokens/ci-pull",
        Some(serde_json::json!({"properties": {"scopeMapId": id("scopeMaps", "_repositories_pull"), "status": "disabled"}})),
    );
    assert_eq!(status, 201);
    emulator
}

#[test]
fn snapshot_then_export_from_the_snapshot() {
    let emulator = populated();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("live.json");
    let run = emulator
        .scopeform()
        .args(["snapshot", "--out", out.to_str().unwrap()])
        .args(coordinates())
        .run()
        .expect_code(0);
    assert_eq!(run.stdout, "");
    let snapshot: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(snapshot["format_version"], "1");
    assert_eq!(snapshot["registry"]["name"], REGISTRY);
    assert_eq!(snapshot["tokens"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot["scope_maps"].as_array().unwrap().len(), 6);
    assert_eq!(snapshot["tokens"][0]["name"], "MyToken");
    assert_eq!(
        snapshot["tokens"][0]["passwords"][0]["expiry"],
        "2030-01-01T00:00:00Z"
    );

    // export reads the snapshot just as it reads ARM.
    let from_snapshot = scopeform()
        .args(["export", "--state", out.to_str().unwrap()])
        .run()
        .expect_code(0);
    let from_arm = emulator
        .scopeform()
        .args(["export"])
        .args(coordinates())
        .run()
        .expect_code(0);
    assert_eq!(from_snapshot.stdout, from_arm.stdout);
    assert_eq!(
        from_arm.stdout,
        format!(
            r#"registry:
  name: {REGISTRY}
  subscription: {SUBSCRIPTION}
  resource_group: {RESOURCE_GROUP}
  admin_user: disabled

scope_maps:
  MyScopeMap:
    description: Sample scope map
    repositories:
      "samples/*": [content/read]
      samples/hello-world: [content/read, content/write]

tokens:
  MyToken:
    scope_map: MyScopeMap
    status: enabled
    passwords:
      password1: {{ expiry: "2030-01-01T00:00:00Z" }}
  ci-pull:
    scope_map: _repositories_pull
    status: disabled
"#
        )
    );
}

#[test]
fn export_hcl_to_a_file() {
    let emulator = populated();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("registry.hcl");
    emulator
        .scopeform()
        .args(["export", "--format", "hcl", "--out", out.to_str().unwrap()])
        .args(coordinates())
        .run()
        .expect_code(0);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("registry {\n  name           = \"myregistry\"\n"),
        "{text}"
    );
    assert!(text.contains("token \"ci-pull\" {\n  scope_map = \"_repositories_pull\"\n  status    = \"disabled\"\n}\n"), "{text}");
    assert!(
        text.contains("  password \"password1\" {\n    expiry = \"2030-01-01T00:00:00Z\"\n  }\n"),
        "{text}"
    );
}

#[test]
fn verbose_never_prints_the_bearer_token() {
    let emulator = populated();
    let run = emulator
        .scopeform()
        .args(["export", "--verbose"])
        .args(coordinates())
        .run()
        .expect_code(0);
    assert!(run.stderr.contains("ARM GET /subscriptions/"), "{run}");
    assert!(!run.stderr.contains(FAKE_TOKEN), "{run}");
    assert!(!run.stdout.contains(FAKE_TOKEN), "{run}");
}

#[test]
fn errors_are_clear() {
    let emulator = Emulator::start();
    // No coordinates (and no configuration in the current directory): a usage error.
    let empty = tempfile::tempdir().unwrap();
    let run = emulator
        .scopeform()
        .current_dir(empty.path())
        .args(["export"])
        .run()
        .expect_code(64);
    assert!(run.stderr.contains("pass `--subscription`"), "{run}");
    // A registry that does not exist: ARM's code and message.
    let run = emulator
        .scopeform()
        .args([
            "snapshot",
            "--out",
            "-",
            "--subscription",
            SUBSCRIPTION,
            "--resource-group",
            RESOURCE_GROUP,
            "--registry",
            "otherregistry",
        ])
        .run()
        .expect_code(1);
    assert!(
        run.stderr.contains("ARM answered 404 ResourceNotFound"),
        "{run}"
    );
    // The wrong token: 401, not retried forever.
    let run = emulator
        .scopeform()
        .env("SCOPEFORM_ARM_TOKEN", "wrong-token")
        .args(["export"])
        .args(coordinates())
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("401"), "{run}");
    // Plain http off loopback is refused before anything is sent.
    let run = scopeform()
        .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
        .args(["export", "--arm-endpoint", "http://example.com"])
        .args(coordinates())
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("plain http"), "{run}");
    // A malformed snapshot: file:line:column.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("live.json");
    std::fs::write(&bad, "{\n  \"format_version\": \"1\",\n  oops\n}\n").unwrap();
    let run = scopeform()
        .args(["export", "--state", bad.to_str().unwrap()])
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("live.json:3:3:"), "{run}");
}

/// Inside a configuration directory, `snapshot` and `export` take the registry's coordinates
/// from the configuration, as every other command does; flags still override them.
#[test]
fn snapshot_and_export_take_the_coordinates_from_the_configuration() {
    let emulator = populated();
    let config = support::config_dir(&[(
        "registry.yaml",
        &format!(
            "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\n"
        ),
    )]);
    let expected = emulator
        .scopeform()
        .args(["export"])
        .args(coordinates())
        .run()
        .expect_code(0);
    // A path, and the current directory.
    let by_path = emulator
        .scopeform()
        .args(["export"])
        .arg_path(config.path())
        .run()
        .expect_code(0);
    assert_eq!(by_path.stdout, expected.stdout);
    let here = emulator
        .scopeform()
        .current_dir(config.path())
        .args(["snapshot", "--out", "-"])
        .run()
        .expect_code(0);
    let snapshot: serde_json::Value = serde_json::from_str(&here.stdout).expect("snapshot");
    assert_eq!(
        snapshot["tokens"].as_array().map(Vec::len),
        Some(2),
        "{here}"
    );
    // A flag overrides the configuration: this registry does not exist.
    let run = emulator
        .scopeform()
        .args(["snapshot", "--out", "-", "--registry", "otherregistry"])
        .arg_path(config.path())
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("404"), "{run}");
    // Outside a configuration directory, the flags are still needed.
    let empty = tempfile::tempdir().expect("temp dir");
    let run = emulator
        .scopeform()
        .current_dir(empty.path())
        .args(["export"])
        .run()
        .expect_code(64);
    assert!(run.stderr.contains("pass `--subscription`"), "{run}");
}

/// Issue 17: `export --only` writes just the objects named, a token with its scope map, so
/// existing tokens can be adopted one at a time; with `registry.admin_user` the result
/// validates on its own. An address the registry lacks is a usage error naming the nearest.
#[test]
fn export_only_writes_just_the_objects_named() {
    let live = support::root().join("examples/quickstart/live.json");
    for format in ["yaml", "hcl"] {
        let run = support::scopeform()
            .args([
                "export",
                "--format",
                format,
                "--only",
                "token.team-a-ci",
                "--state",
            ])
            .arg_path(&live)
            .run()
            .expect_code(0);
        assert!(run.stdout.contains("team-a-ci"), "{run}");
        assert!(run.stdout.contains("ci-push-team-a"), "{run}");
        assert!(!run.stdout.contains("release-bot"), "{run}");
        assert!(!run.stdout.contains("registry"), "{run}");

        let run = support::scopeform()
            .args([
                "export",
                "--format",
                format,
                "--only",
                "token.team-a-ci",
                "registry.admin_user",
                "--state",
            ])
            .arg_path(&live)
            .run()
            .expect_code(0);
        let dir = support::config_dir(&[(&format!("adopted.{format}"), &run.stdout)]);
        support::scopeform()
            .args(["validate"])
            .arg_path(dir.path())
            .run()
            .expect_code(0);
    }
    let run = support::scopeform()
        .args(["export", "--only", "token.team-a-cx", "--state"])
        .arg_path(&live)
        .run()
        .expect_code(64);
    assert!(
        run.stderr.contains("did you mean `token.team-a-ci`?"),
        "{run}"
    );
}
