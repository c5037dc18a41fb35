//! End to end: the real binary plans and applies against the ARM emulator over loopback HTTP,
//! walking ACR's documented token sequence and checking the emulator's state after each step.

use crate::support;

use std::fmt::Write as _;

use serde_json::{Value, json};
use support::{Emulator, FAKE_TOKEN, config_dir, root, scopeform};

const REGISTRY_BLOCK: &str = "registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
unmanaged:
  tokens: delete
  scope_maps: delete
";

/// The emulator's view of one scope map's actions, or of one token, by name.
fn scope_map_actions(registry: &Value, name: &str) -> Vec<String> {
    let scope_map = registry["scope_maps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name);
    let mut actions: Vec<String> = scope_map
        .map(|s| {
            s["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default();
    actions.sort();
    actions
}

fn token(registry: &Value, name: &str) -> Option<Value> {
    registry["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .cloned()
}

/// Writes `body` as the whole configuration, applies it, and checks a second plan is empty.
fn apply_step(emulator: &Emulator, body: &str) {
    let dir = config_dir(&[("config.yaml", &format!("{REGISTRY_BLOCK}{body}"))]);
    let run = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .args(["--auto-approve"])
        .run();
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("Apply complete!"), "{run}");
    let replan = emulator
        .scopeform()
        .args(["plan", "--detailed-exitcode"])
        .arg_path(dir.path())
        .run();
    assert_eq!(
        replan.code, 0,
        "a plan right after apply must be empty\n{replan}"
    );
    assert!(replan.stdout.contains("No changes."), "{replan}");
}

#[test]
fn acr_documented_token_sequence() {
    let emulator = Emulator::start();
    // 1. A token with content read/write on samples/hello-world.
    apply_step(
        &emulator,
        "scope_maps:
  MyScopeMap:
    repositories:
      samples/hello-world: [content/write, content/read]
tokens:
  MyToken:
    scope_map: MyScopeMap
",
    );
    let registry = emulator.registry();
    assert_eq!(
        scope_map_actions(&registry, "MyScopeMap"),
        [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/content/write"
        ]
    );
    assert_eq!(token(&registry, "MyToken").unwrap()["status"], "enabled");

    // 2. Add samples/nginx write/read; drop hello-world write.
    apply_step(
        &emulator,
        "scope_maps:
  MyScopeMap:
    repositories:
      samples/hello-world: [content/read]
      samples/nginx: [content/write, content/read]
tokens:
  MyToken:
    scope_map: MyScopeMap
",
    );
    assert_eq!(
        scope_map_actions(&emulator.registry(), "MyScopeMap"),
        [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/read",
            "repositories/samples/nginx/content/write"
        ]
    );

    // 3 and 4. content/delete on nginx, metadata/read on hello-world.
    apply_step(
        &emulator,
        "scope_maps:
  MyScopeMap:
    repositories:
      samples/hello-world: [content/read, metadata/read]
      samples/nginx: [content/write, content/read, content/delete]
tokens:
  MyToken:
    scope_map: MyScopeMap
",
    );
    assert_eq!(
        scope_map_actions(&emulator.registry(), "MyScopeMap"),
        [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/metadata/read",
            "repositories/samples/nginx/content/delete",
            "repositories/samples/nginx/content/read",
            "repositories/samples/nginx/content/write"
        ]
    );

    // 5. Point the token at another scope map; the old one, now undeclared, is deleted after.
    apply_step(
        &emulator,
        "scope_maps:
  OtherScopeMap:
    repositories:
      samples/*: [content/read]
tokens:
  MyToken:
    scope_map: OtherScopeMap
",
    );
    let registry = emulator.registry();
    assert_eq!(
        token(&registry, "MyToken").unwrap()["scope_map"],
        "OtherScopeMap"
    );
    assert!(
        scope_map_actions(&registry, "MyScopeMap").is_empty(),
        "old scope map deleted"
    );

    // 6. Disable it.
    apply_step(
        &emulator,
        "scope_maps:
  OtherScopeMap:
    repositories:
      samples/*: [content/read]
tokens:
  MyToken:
    scope_map: OtherScopeMap
    status: disabled
",
    );
    assert_eq!(
        token(&emulator.registry(), "MyToken").unwrap()["status"],
        "disabled"
    );

    // 7. Delete it (undeclared under `unmanaged.tokens: delete`), and its scope map with it.
    apply_step(&emulator, "scope_maps: {}\ntokens: {}\n");
    let registry = emulator.registry();
    assert!(token(&registry, "MyToken").is_none());
    assert!(scope_map_actions(&registry, "OtherScopeMap").is_empty());
}

const ROTATING: &str = "registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
tokens:
  ci-push:
    scope_map: _repositories_push
    passwords:
      password1: { expires_in: 30d, rotate_before: 7d }
";

#[test]
fn rotation_writes_the_secrets_file_and_nothing_secret_elsewhere() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("config.yaml", ROTATING)]);
    let secrets = dir.path().join("out").join("secrets.json");

    // Without a secrets file nothing is changed.
    let refused = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .args(["--auto-approve"])
        .run()
        .expect_code(1);
    assert!(
        refused
            .stderr
            .contains("no secrets file was given and no Key Vault is used; nothing was changed"),
        "{refused}"
    );
    assert!(token(&emulator.registry(), "ci-push").is_none());

    std::fs::create_dir(dir.path().join("out")).unwrap();
    let run = emulator
        .scopeform()
        .args(["--verbose", "apply"])
        .arg_path(dir.path())
        .args(["--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&secrets).unwrap()).unwrap();
    let value = written["ci-push"]["password1"]["value"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(written["ci-push"]["username"], "ci-push");
    assert!(value.len() >= 20, "a real password was recorded");
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains(&value), "password leaked:\n{run}");
        assert!(!text.contains(FAKE_TOKEN), "bearer token leaked:\n{run}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let password = &token(&emulator.registry(), "ci-push").unwrap()["passwords"][0];
    assert_eq!(password["name"], "password1");
    assert!(password["expiry"].is_string(), "expires_in sets an expiry");
}

#[test]
fn a_saved_plan_is_refused_once_the_registry_changed() {
    let emulator = Emulator::start();
    let dir = config_dir(&[(
        "config.yaml",
        &format!(
            "{REGISTRY_BLOCK}scope_maps:
  readers:
    repositories:
      samples/*: [content/read]
tokens:
  reader:
    scope_map: readers
"
        ),
    )]);
    let plan_file = dir.path().join("plan.json");
    emulator
        .scopeform()
        .args(["plan"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--out"])
        .arg_path(&plan_file)
        .run()
        .expect_code(0);
    let saved = std::fs::read_to_string(&plan_file).unwrap();
    assert!(saved.contains("\"format_version\":\"3\""), "{saved}");

    // Someone creates the scope map behind the configuration's back.
    let (status, _) = emulator.arm(
        "PUT",
        "/scopeMaps/readers",
        Some(json!({"properties": {"actions": ["repositories/other/content/read"]}})),
    );
    assert!(status == 200 || status == 201, "{status}");
    let stale = emulator
        .scopeform()
        .args(["apply", "--plan"])
        .arg_path(&plan_file)
        .run()
        .expect_code(1);
    // Said once: it was `plan is stale: plan is stale: …` (issue 16).
    assert_eq!(stale.stderr.matches("plan is stale").count(), 1, "{stale}");
    assert!(
        token(&emulator.registry(), "reader").is_none(),
        "nothing applied"
    );

    // A fresh plan applies without asking (the saved plan is the approval).
    emulator
        .scopeform()
        .args(["plan"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--out"])
        .arg_path(&plan_file)
        .run()
        .expect_code(0);
    emulator
        .scopeform()
        .args(["apply", "--plan"])
        .arg_path(&plan_file)
        .run()
        .expect_code(0);
    assert_eq!(
        token(&emulator.registry(), "reader").unwrap()["scope_map"],
        "readers"
    );
}

/// Many independent changes, so faults land in the middle of the work.
fn many_objects(count: usize) -> String {
    let mut body = String::from("scope_maps:\n");
    for i in 0..count {
        let _ = write!(
            body,
            "  map-{i:03}:\n    repositories:\n      team{i}/*: [content/read]\n"
        );
    }
    body.push_str("tokens:\n");
    for i in 0..count {
        let _ = write!(body, "  token-{i:03}:\n    scope_map: map-{i:03}\n");
    }
    format!("{REGISTRY_BLOCK}{body}")
}

#[test]
fn apply_converges_under_async_operations_and_injected_failures() {
    let emulator = Emulator::with(|options| {
        options.writes = acr_emulator::WriteStyle::SpecAsync;
        options.async_delay = std::time::Duration::from_millis(5);
        options.fail_every = Some(7);
        options.page_size = 10;
    });
    let dir = config_dir(&[("config.yaml", &many_objects(30))]);
    // The client retries injected 500s, so one apply is enough; a second must find nothing.
    let first = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .args(["--auto-approve"])
        .run();
    assert_eq!(first.code, 0, "{first}");
    let registry = emulator.registry();
    assert_eq!(registry["tokens"].as_array().unwrap().len(), 30);
    let replan = emulator
        .scopeform()
        .args(["plan", "--detailed-exitcode"])
        .arg_path(dir.path())
        .run();
    assert_eq!(replan.code, 0, "{replan}");
    assert!(
        emulator.state()["stats"]["failed_injected"]
            .as_u64()
            .unwrap()
            > 0,
        "faults were injected"
    );
}

#[test]
fn apply_refuses_to_run_unattended_without_auto_approve() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("config.yaml", &many_objects(1))]);
    let run = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .run()
        .expect_code(64);
    assert!(
        run.stderr
            .contains("apply needs --auto-approve when it is not run on a terminal"),
        "{run}"
    );
    assert!(token(&emulator.registry(), "token-000").is_none());
}

#[test]
fn the_readme_example_plans_against_the_shipped_snapshot() {
    let run = scopeform()
        .current_dir(root())
        .args([
            "plan",
            "examples/quickstart",
            "--state",
            "examples/quickstart/live.json",
        ])
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("Plan: "), "{run}");
    assert!(
        run.stdout.contains("# token.release-bot will be created"),
        "{run}"
    );
    let json = scopeform()
        .current_dir(root())
        .args([
            "plan",
            "examples/quickstart",
            "--state",
            "examples/quickstart/live.json",
            "--format",
            "json",
            "--detailed-exitcode",
        ])
        .run()
        .expect_code(2);
    let plan: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(plan["format_version"], "1");
    assert_eq!(plan["registry"]["name"], "myregistry");
}

#[test]
fn apply_against_a_snapshot_updates_it_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("live.json");
    std::fs::copy(root().join("examples/quickstart/live.json"), &state).unwrap();
    let secrets = dir.path().join("secrets.json");
    let config = root().join("examples/quickstart");
    let run = scopeform()
        .args(["apply"])
        .arg_path(&config)
        .args(["--state"])
        .arg_path(&state)
        .args(["--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("Apply complete!"), "{run}");
    let replan = scopeform()
        .args(["plan", "--detailed-exitcode"])
        .arg_path(&config)
        .args(["--state"])
        .arg_path(&state)
        .run();
    assert_eq!(replan.code, 0, "{replan}");
    let snapshot = std::fs::read_to_string(&state).unwrap();
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&secrets).unwrap()).unwrap();
    let value = written["release-bot"]["password1"]["value"]
        .as_str()
        .unwrap();
    assert!(
        !snapshot.contains(value),
        "the snapshot holds no password value"
    );
    let snapshot: Value = serde_json::from_str(&snapshot).unwrap();
    assert_eq!(snapshot["registry"]["admin_user_enabled"], false);
}

/// Two applies with one secrets file would each write back what they read: the second waits
/// its turn instead (here the test holds the lock, as a running apply would).
#[test]
fn apply_refuses_a_secrets_file_another_apply_holds() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("live.json");
    std::fs::copy(root().join("examples/quickstart/live.json"), &state).unwrap();
    let before = std::fs::read(&state).unwrap();
    let secrets = dir.path().join("secrets.json");
    let lock = std::fs::File::create(dir.path().join("secrets.json.lock")).unwrap();
    lock.try_lock().expect("the test takes the lock");
    let run = scopeform()
        .args(["apply"])
        .arg_path(root().join("examples/quickstart"))
        .args(["--state"])
        .arg_path(&state)
        .args(["--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(1);
    assert!(
        run.stderr
            .contains("is in use by another `scopeform apply`"),
        "{run}"
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "nothing was applied"
    );
    assert!(!secrets.exists());
}

/// Two applies against one snapshot would each write back the registry they read: the second
/// is refused before it changes anything (the test holds the lock, as a running apply would).
#[test]
fn apply_refuses_a_snapshot_another_apply_holds() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("live.json");
    std::fs::copy(root().join("examples/quickstart/live.json"), &state).unwrap();
    let before = std::fs::read(&state).unwrap();
    let lock = std::fs::File::create(dir.path().join("live.json.lock")).unwrap();
    lock.try_lock().expect("the test takes the lock");
    let apply = || {
        scopeform()
            .args(["apply"])
            .arg_path(root().join("examples/quickstart"))
            .args(["--state"])
            .arg_path(&state)
            .args(["--auto-approve", "--secrets-out"])
            .arg_path(dir.path().join("secrets.json"))
            .run()
    };
    let refused = apply().expect_code(1);
    assert!(
        refused
            .stderr
            .contains("is in use by another `scopeform apply`"),
        "{refused}"
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "nothing was applied"
    );
    // Plans only read: they take no lock.
    scopeform()
        .args(["plan"])
        .arg_path(root().join("examples/quickstart"))
        .args(["--state"])
        .arg_path(&state)
        .run()
        .expect_code(0);
    drop(lock);
    apply().expect_code(0);
}

#[test]
fn an_exported_configuration_plans_no_changes() {
    let emulator = Emulator::start();
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets.json");
    emulator
        .scopeform()
        .args(["apply"])
        .arg_path(root().join("examples/quickstart"))
        .args(["--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    for format in ["yaml", "hcl"] {
        let exported = dir.path().join(format!("exported.{format}"));
        let coordinates = [
            "--subscription",
            support::SUBSCRIPTION,
            "--resource-group",
            support::RESOURCE_GROUP,
            "--registry",
            support::REGISTRY,
        ];
        emulator
            .scopeform()
            .args(["export", "--format", format, "--out"])
            .arg_path(&exported)
            .args(coordinates)
            .run()
            .expect_code(0);
        let plan = emulator
            .scopeform()
            .args(["plan", "--detailed-exitcode"])
            .arg_path(&exported)
            .run();
        assert_eq!(
            plan.code,
            0,
            "{format}:\n{plan}\n{}",
            std::fs::read_to_string(&exported).unwrap()
        );
    }
}

#[test]
fn snapshot_and_export_read_every_page_under_async_operations_and_faults() {
    let emulator = Emulator::with(|options| {
        options.writes = acr_emulator::WriteStyle::SpecAsync;
        options.async_delay = std::time::Duration::from_millis(2);
        options.fail_every = Some(5);
        options.page_size = 4;
    });
    let dir = config_dir(&[("config.yaml", &many_objects(25))]);
    emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .args(["--auto-approve"])
        .run()
        .expect_code(0);
    let coordinates = [
        "--subscription",
        support::SUBSCRIPTION,
        "--resource-group",
        support::RESOURCE_GROUP,
        "--registry",
        support::REGISTRY,
    ];
    let snapshot = dir.path().join("snapshot.json");
    emulator
        .scopeform()
        .args(["snapshot", "--out"])
        .arg_path(&snapshot)
        .args(coordinates)
        .run()
        .expect_code(0);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&snapshot).unwrap()).unwrap();
    assert_eq!(
        saved["tokens"].as_array().unwrap().len(),
        25,
        "every page of tokens was read"
    );
    assert_eq!(
        saved["scope_maps"].as_array().unwrap().len(),
        25 + 5,
        "user and system scope maps"
    );
    // The snapshot plans exactly as the live registry does: no changes.
    let plan = scopeform()
        .args(["plan", "--detailed-exitcode"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--state"])
        .arg_path(&snapshot)
        .run();
    assert_eq!(plan.code, 0, "{plan}");
    let exported = dir.path().join("exported.yaml");
    emulator
        .scopeform()
        .args(["export", "--out"])
        .arg_path(&exported)
        .args(coordinates)
        .run()
        .expect_code(0);
    let replan = emulator
        .scopeform()
        .args(["plan", "--detailed-exitcode"])
        .arg_path(&exported)
        .run();
    assert_eq!(replan.code, 0, "{replan}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = scopeform()
            .args(["completions", shell])
            .run()
            .expect_code(0);
        assert!(run.stdout.contains("scopeform"), "{shell}: {run}");
    }
    scopeform()
        .args(["completions", "tcsh"])
        .run()
        .expect_code(64);
}

/// `show` prints a saved plan exactly as `plan` printed it, in every format, with no registry
/// and no credentials; a file that fails apply's checks fails here too.
#[test]
fn show_prints_a_saved_plan_without_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let plan_file = dir.path().join("plan.json");
    let quickstart = root().join("examples/quickstart");
    for format in ["text", "markdown", "json"] {
        let planned = scopeform()
            .args(["plan", "--format", format, "--out"])
            .arg_path(&plan_file)
            .args(["--state"])
            .arg_path(quickstart.join("live.json"))
            .arg_path(&quickstart)
            .run()
            .expect_code(0);
        let shown = scopeform()
            .args(["show", "--format", format])
            .arg_path(&plan_file)
            .run()
            .expect_code(0);
        assert_eq!(shown.stdout, planned.stdout, "{format}");
        assert_eq!(shown.stderr, "");
    }
    let text = std::fs::read_to_string(&plan_file).unwrap();
    std::fs::write(&plan_file, text.replace("team-a-ci", "team-b-ci")).unwrap();
    let refused = scopeform()
        .args(["show"])
        .arg_path(&plan_file)
        .run()
        .expect_code(1);
    assert!(
        refused.stderr.contains("checksum does not match"),
        "{refused}"
    );
}

/// `apply --target` creates only the named token and the scope map it needs; a later plain
/// apply does the rest. An unknown address is a usage error naming the nearest one.
#[test]
fn apply_with_a_target_changes_only_that_object_and_what_it_needs() {
    let emulator = Emulator::start();
    let dir = config_dir(&[(
        "config.yaml",
        &format!(
            "{REGISTRY_BLOCK}scope_maps:
  readers:
    repositories:
      samples/*: [content/read]
  writers:
    repositories:
      samples/*: [content/write]
tokens:
  reader:
    scope_map: readers
  writer:
    scope_map: writers
"
        ),
    )]);
    let run = emulator
        .scopeform()
        .args(["apply", "--auto-approve", "--target", "token.reader"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(run.stdout.contains("targeting is in effect"), "{run}");
    let registry = emulator.registry();
    assert!(token(&registry, "reader").is_some(), "{run}");
    assert!(token(&registry, "writer").is_none(), "{run}");
    assert!(scope_map_actions(&registry, "writers").is_empty(), "{run}");

    let unknown = emulator
        .scopeform()
        .args(["plan", "--target", "token.writr"])
        .arg_path(dir.path())
        .run()
        .expect_code(64);
    assert!(
        unknown.stderr.contains("did you mean `token.writer`?"),
        "{unknown}"
    );
    apply_step(
        &emulator,
        &std::fs::read_to_string(dir.path().join("config.yaml")).unwrap()[REGISTRY_BLOCK.len()..],
    );
}
