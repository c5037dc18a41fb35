//! End to end against the emulator answering as real Azure does (its default): deletes told
//! `Retry-After` wait side by side, objects that have not settled are waited for or written
//! again, and system scope maps are learned from the registry.

use crate::support;

use std::time::Duration;

use acr_emulator::SystemScopeMaps;
use serde_json::{Value, json};
use support::{Emulator, RESOURCE_GROUP, SUBSCRIPTION, config_dir};

const REGISTRY_BLOCK: &str = "registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
";

fn id(kind: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/myregistry/{kind}/{name}"
    )
}

fn names(registry: &Value, kind: &str) -> Vec<String> {
    registry[kind]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

fn apply(emulator: &Emulator, config: &str, extra: &[&str]) -> support::Run {
    let dir = config_dir(&[("config.yaml", &format!("{REGISTRY_BLOCK}{config}"))]);
    emulator
        .scopeform()
        .args(["apply", "--auto-approve"])
        .args(extra)
        .arg_path(dir.path())
        .run()
}

fn plan(emulator: &Emulator, config: &str) -> support::Run {
    let dir = config_dir(&[("config.yaml", &format!("{REGISTRY_BLOCK}{config}"))]);
    emulator
        .scopeform()
        .args(["plan"])
        .arg_path(dir.path())
        .run()
}

/// ARM asks every delete to wait (`Retry-After`, 10 s in real Azure; 1 s here). Twelve deletes
/// at `--parallelism 2` must wait side by side: the emulator sees more of them open at once
/// (started, their end not yet polled) than there are slots.
#[test]
fn deletes_told_to_wait_do_not_hold_a_parallelism_slot() {
    // The tokens are made by an emulator writing at once, so that no operation is open when
    // the apply starts; the one under test starts from its state file.
    let dir = tempfile::tempdir().expect("temp dir");
    let state_file = dir.path().join("state.json");
    {
        let seed = Emulator::with(|o| {
            o.writes = acr_emulator::WriteStyle::Sync;
            o.state_file = Some(state_file.clone());
        });
        for i in 0..12 {
            let body = json!({"properties": {"scopeMapId": id("scopeMaps", "_repositories_pull")}});
            let (status, _) = seed.arm("PUT", &format!("/tokens/old-token-{i:02}"), Some(body));
            assert_eq!(status, 201);
        }
    }
    let emulator = Emulator::with(|o| {
        o.state_file = Some(state_file.clone());
        o.delete_retry_after = Duration::from_secs(1);
    });
    assert_eq!(names(&emulator.registry(), "tokens").len(), 12);
    let run = apply(
        &emulator,
        "unmanaged:\n  tokens: delete\n",
        &["--parallelism", "2"],
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("Apply complete!"), "{run}");
    let state = emulator.state();
    assert!(
        names(&state["registries"][0], "tokens").is_empty(),
        "{state}"
    );
    let open = state["stats"]["max_open_operations"]
        .as_u64()
        .expect("stat");
    assert!(
        open > 2,
        "at most {open} deletes were under way at once with --parallelism 2: each held its slot while it waited"
    );
}

#[test]
fn a_token_on_a_system_scope_map_the_registry_lacks_is_a_plan_error() {
    let emulator = Emulator::with(|o| o.system_scope_maps = SystemScopeMaps::Three);
    let run = plan(
        &emulator,
        "tokens:\n  reader:\n    scope_map: _repositories_pull_metadata_read\n",
    );
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains(
            "token `reader` uses system scope map `_repositories_pull_metadata_read`, which this registry does not have; \
             its system scope maps are `_repositories_admin`, `_repositories_pull`, `_repositories_push`"
        ),
        "{run}"
    );
    // The three it has work as ever.
    let run = apply(
        &emulator,
        "tokens:\n  reader:\n    scope_map: _repositories_pull\n",
        &[],
    );
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(names(&emulator.registry(), "tokens"), ["reader"]);
}

const PUSHERS: &str = "scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
";

fn pushers_actions(emulator: &Emulator) -> Value {
    let registry = emulator.registry();
    let map = registry["scope_maps"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|m| m["name"] == "pushers")
        .cloned()
        .expect("pushers");
    map["actions"].clone()
}

/// A scope map someone else is updating is waited for: without the wait, apply's own update
/// would meet real Azure's 409 for a write to an object with an operation under way.
#[test]
fn apply_waits_for_an_object_that_is_being_updated() {
    let emulator = Emulator::with(|o| o.async_delay = Duration::from_secs(3));
    let run = apply(&emulator, PUSHERS, &[]);
    assert_eq!(run.code, 0, "{run}");
    // Someone changes it in the portal; the operation runs for three seconds.
    let (status, _) = emulator.arm_nowait(
        "PATCH",
        "/scopeMaps/pushers",
        Some(json!({"properties": {"actions": ["repositories/team-b/*/content/read"]}})),
    );
    assert_eq!(status, 201);
    let run = apply(&emulator, PUSHERS, &[]);
    assert_eq!(run.code, 0, "{run}");
    // Seen while it ran (the usual case, unless this machine took three seconds to start
    // scopeform): the plan wrote it again whatever it showed, once settled.
    if run.stdout.contains("Updating") {
        assert!(
            run.stdout.contains("(not settled in the registry (provisioningState Updating): apply waits for it to settle, then writes it)"),
            "{run}"
        );
    }
    emulator.wait_settled("/scopeMaps/pushers");
    assert_eq!(
        pushers_actions(&emulator),
        json!([
            "repositories/team-a/*/content/read",
            "repositories/team-a/*/content/write"
        ])
    );
}

/// An object whose last operation failed is written again, even when its properties already
/// look right.
#[test]
fn a_failed_object_is_written_again() {
    // Every second operation fails: apply's creation succeeds, the portal's update fails.
    let emulator = Emulator::with(|o| o.fail_async_every = Some(2));
    let run = apply(&emulator, PUSHERS, &[]);
    assert_eq!(run.code, 0, "{run}");
    let (status, _) = emulator.arm(
        "PATCH",
        "/scopeMaps/pushers",
        Some(json!({"properties": {"description": "tried in the portal"}})),
    );
    assert_eq!(status, 201);
    emulator.wait_settled("/scopeMaps/pushers");
    let (_, shown) = emulator.arm("GET", "/scopeMaps/pushers", None);
    assert_eq!(shown["properties"]["provisioningState"], "Failed");
    // Drift and plan agree: it is reported, and planned.
    let dir = config_dir(&[("config.yaml", &format!("{REGISTRY_BLOCK}{PUSHERS}"))]);
    let drift = emulator
        .scopeform()
        .args(["drift"])
        .arg_path(dir.path())
        .run();
    assert_eq!(drift.code, 2, "{drift}");
    assert!(drift.stdout.contains("provisioning_state"), "{drift}");
    let run = plan(&emulator, PUSHERS);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("# scope_map.pushers will be updated in-place"),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("its last operation in the registry ended Failed; written again"),
        "{run}"
    );
    // Saved and applied as saved: the rewrite passes apply --plan's checks.
    let saved = dir.path().join("repair.plan");
    let run = emulator
        .scopeform()
        .args(["plan", "--out"])
        .arg_path(&saved)
        .arg_path(dir.path())
        .run();
    assert_eq!(run.code, 0, "{run}");
    let run = emulator
        .scopeform()
        .args(["apply", "--plan"])
        .arg_path(&saved)
        .run();
    assert_eq!(run.code, 0, "{run}");
    let (_, shown) = emulator.arm("GET", "/scopeMaps/pushers", None);
    assert_eq!(shown["properties"]["provisioningState"], "Succeeded");
    let run = plan(&emulator, PUSHERS);
    assert!(run.stdout.contains("No changes."), "{run}");
    let drift = emulator
        .scopeform()
        .args(["drift"])
        .arg_path(dir.path())
        .run();
    assert_eq!(drift.code, 0, "{drift}");
}
