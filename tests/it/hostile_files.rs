//! Files from a pull request, or planted beside the files scopeform writes, tried as an attacker
//! would: configuration links that point at local secrets, lines long enough to quote a whole
//! file, and lock-file links. Each test runs the real binary (issue 12, points 2 and 8).

use crate::support;

use std::path::Path;

use support::{config_dir, scopeform};

const CONFIG: &str = "registry:\n  name: myregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: myresourcegroup\nscope_maps:\n  ci-pull-map:\n    repositories: {samples/hello: [content/read]}\ntokens:\n  ci-pull:\n    scope_map: ci-pull-map\n";

/// A file outside the configuration that holds something secret on one line, like
/// `/proc/self/environ` or a cached credential.
const LOCAL_SECRET: &str =
    "SCOPEFORM_ARM_TOKEN=fake-local-secret-0000 AZURE_CLIENT_SECRET=fake-local-secret-1111";

fn assert_no_local_secret(run: &support::Run) {
    assert!(
        !run.stdout.contains("fake-local-secret") && !run.stderr.contains("fake-local-secret"),
        "a linked file's content was printed\n{run}"
    );
}

#[cfg(unix)]
#[test]
fn a_configuration_link_to_a_file_outside_is_refused_unread() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("environ");
    std::fs::write(&secret, LOCAL_SECRET).unwrap();
    let dir = config_dir(&[("a.yaml", CONFIG)]);
    std::os::unix::fs::symlink(&secret, dir.path().join("zz.yaml")).unwrap();

    for command in ["validate", "plan"] {
        let run = scopeform()
            .args([command])
            .arg_path(dir.path())
            .run()
            .expect_code(1);
        assert_no_local_secret(&run);
        assert!(
            run.stderr.contains("zz.yaml") && run.stderr.contains("outside"),
            "the link is named and the reason given\n{run}"
        );
    }
}

#[cfg(unix)]
#[test]
fn proc_self_environ_linked_into_the_configuration_is_refused() {
    let dir = config_dir(&[("a.yaml", CONFIG)]);
    std::os::unix::fs::symlink("/proc/self/environ", dir.path().join("zz.yaml")).unwrap();
    let run = scopeform()
        .env(
            "SCOPEFORM_ARM_TOKEN",
            "fake-local-secret-from-the-environment",
        )
        .args(["validate"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert_no_local_secret(&run);
    assert!(run.stderr.contains("zz.yaml"), "{run}");
}

#[cfg(unix)]
#[test]
fn a_named_file_that_links_outside_its_directory_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("token.yaml");
    std::fs::write(&secret, LOCAL_SECRET).unwrap();
    let dir = config_dir(&[("a.yaml", CONFIG)]);
    std::os::unix::fs::symlink(&secret, dir.path().join("b.yaml")).unwrap();
    let run = scopeform()
        .args(["validate"])
        .arg_path(dir.path().join("a.yaml"))
        .arg_path(dir.path().join("b.yaml"))
        .run()
        .expect_code(1);
    assert_no_local_secret(&run);
    assert!(run.stderr.contains("b.yaml"), "{run}");
}

#[cfg(unix)]
#[test]
fn a_link_that_stays_inside_the_configuration_is_read() {
    let dir = config_dir(&[]);
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(dir.path().join("shared/registry.yaml"), CONFIG).unwrap();
    std::os::unix::fs::symlink("shared/registry.yaml", dir.path().join("a.yaml")).unwrap();
    scopeform()
        .args(["validate"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_directory_named_like_a_configuration_file_is_refused_unread() {
    let dir = config_dir(&[("a.yaml", CONFIG)]);
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Opening a FIFO for reading blocks until a writer comes: refusing it unread also means
    // scopeform does not hang. The test harness would time out if it did.
    let run = scopeform()
        .args(["validate"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(
        run.stderr.contains("pipe.yaml") && run.stderr.contains("not a regular file"),
        "{run}"
    );
    let run = scopeform()
        .args(["validate"])
        .arg_path(&fifo)
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("not a regular file"), "{run}");
}

/// What stderr quotes of a source line is a window around the caret, whatever the line's
/// length: a one-line file holding secrets and a syntax error shows a few dozen characters.
#[test]
fn a_diagnostic_quotes_a_bounded_window_of_a_long_line() {
    let long_line = format!(
        "{}: [\n",
        (0..400)
            .map(|i| format!("fake-local-secret-{i:04}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let dir = config_dir(&[("a.yaml", &long_line)]);
    let run = scopeform()
        .args(["validate"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    let quoted = run.stderr.matches("fake-local-secret").count();
    assert!(quoted <= 8, "{quoted} secrets quoted\n{run}");
    assert!(
        run.stderr.lines().all(|line| line.chars().count() <= 200),
        "{run}"
    );
    assert!(run.stderr.contains('…'), "the cut is marked\n{run}");
}

#[cfg(unix)]
fn planted_lock(dir: &Path, file: &str) -> std::path::PathBuf {
    let target = dir.join("planted-target");
    std::os::unix::fs::symlink(&target, dir.join(format!("{file}.lock"))).unwrap();
    target
}

#[cfg(unix)]
#[test]
fn a_planted_lock_link_is_not_followed() {
    let dir = config_dir(&[("a.yaml", CONFIG)]);
    let state = dir.path().join("live.json");
    std::fs::copy(
        support::root().join("examples/quickstart/live.json"),
        &state,
    )
    .unwrap();
    let target = planted_lock(dir.path(), "live.json");
    let run = scopeform()
        .args(["apply", "--auto-approve", "--state"])
        .arg_path(&state)
        .arg_path(dir.path().join("a.yaml"))
        .run()
        .expect_code(1);
    assert!(!target.exists(), "the lock link was followed\n{run}");
    assert!(run.stderr.contains("live.json.lock"), "{run}");

    let secrets = dir.path().join("secrets.json");
    let target = planted_lock(dir.path(), "secrets.json");
    let run = scopeform()
        .args(["apply", "--auto-approve", "--secrets-out"])
        .arg_path(&secrets)
        .args(["--state"])
        .arg_path(dir.path().join("other.json"))
        .arg_path(dir.path().join("a.yaml"))
        .run()
        .expect_code(1);
    assert!(!target.exists(), "the lock link was followed\n{run}");
    assert!(run.stderr.contains("secrets.json.lock"), "{run}");
}

/// The registry of the saved-plan tests: `ci-pull` and `prod-push` exist, and the configuration
/// widens `ci-pull`'s scope map.
const SAVED_PLAN_CONFIG: &str = "registry:\n  name: myregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: myresourcegroup\nscope_maps:\n  ci-pull-map:\n    repositories: {samples/hello: [content/read, metadata/read]}\n  prod-push-map:\n    repositories: {prod/app: [content/read, content/write]}\ntokens:\n  ci-pull:\n    scope_map: ci-pull-map\n  prod-push:\n    scope_map: prod-push-map\n";

fn registry_with_prod_push() -> (support::Emulator, tempfile::TempDir) {
    let emulator = support::Emulator::start();
    let dir = emulator.apply_config(&[("a.yaml", SAVED_PLAN_CONFIG)]);
    // Someone narrowed ci-pull's scope map since: the plan updates it.
    let (status, _) = emulator.arm(
        "PATCH",
        "/scopeMaps/ci-pull-map",
        Some(serde_json::json!({"properties": {"actions": ["repositories/samples/hello/content/read"]}})),
    );
    assert!((200..300).contains(&status), "{status}");
    (emulator, dir)
}

/// `plan --out plan.json` of the test configuration against the emulator.
fn save_plan(emulator: &support::Emulator, dir: &tempfile::TempDir) -> std::path::PathBuf {
    let plan_file = dir.path().join("plan.json");
    emulator
        .scopeform()
        .args(["plan", "--out"])
        .arg_path(&plan_file)
        .arg_path(dir.path().join("a.yaml"))
        .run()
        .expect_code(0);
    plan_file
}

/// `apply --plan FILE` against the emulator.
fn apply_saved(emulator: &support::Emulator, plan_file: &Path, code: i32) -> support::Run {
    emulator
        .scopeform()
        .args(["apply", "--plan"])
        .arg_path(plan_file)
        .run()
        .expect_code(code)
}

fn has_token(emulator: &support::Emulator, name: &str) -> bool {
    emulator.registry()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["name"] == name)
}

/// Issue 12, point 3: the stored write of "update scope_map.ci-pull-map" edited into "delete
/// token prod-push" made `apply --plan` delete prod-push while reporting the update done.
#[test]
fn an_edited_saved_plan_is_refused_and_changes_nothing() {
    let (emulator, dir) = registry_with_prod_push();
    let plan_file = save_plan(&emulator, &dir);
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_file).unwrap()).unwrap();
    let changes = saved["plan"]["changes"].as_array_mut().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["address"], "scope_map.ci-pull-map");
    changes[0]["op"] = serde_json::json!({"op": "delete_token", "name": "prod-push"});
    std::fs::write(&plan_file, serde_json::to_vec(&saved).unwrap()).unwrap();

    let run = apply_saved(&emulator, &plan_file, 1);
    assert!(run.stderr.contains("checksum does not match"), "{run}");
    assert!(!run.stdout.contains("done"), "{run}");
    assert!(
        has_token(&emulator, "prod-push"),
        "prod-push was deleted\n{run}"
    );
}

#[test]
fn apply_of_a_saved_plan_shows_the_changes_before_making_them() {
    let (emulator, dir) = registry_with_prod_push();
    let plan_file = save_plan(&emulator, &dir);
    let run = apply_saved(&emulator, &plan_file, 0);
    let shown = run
        .stdout
        .find("# scope_map.ci-pull-map will be updated")
        .unwrap_or_else(|| panic!("{run}"));
    let done = run
        .stdout
        .find("scope_map.ci-pull-map update: done")
        .unwrap_or_else(|| panic!("{run}"));
    assert!(shown < done, "{run}");
    assert!(
        run.stdout.contains("Plan: 0 to create, 1 to update"),
        "{run}"
    );
}

/// Issue 13, part 5: a plan made against a snapshot is not applied to the live registry, nor
/// the other way round; the refusal names the command that would work.
#[test]
fn a_saved_plan_is_applied_only_where_it_was_made() {
    let (emulator, dir) = registry_with_prod_push();
    let snapshot = dir.path().join("live.json");
    emulator
        .scopeform()
        .args(["snapshot", "--out"])
        .arg_path(&snapshot)
        .args([
            "--subscription",
            support::SUBSCRIPTION,
            "--resource-group",
            support::RESOURCE_GROUP,
            "--registry",
            support::REGISTRY,
        ])
        .run()
        .expect_code(0);
    let plan_file = dir.path().join("plan.json");
    scopeform()
        .args(["plan", "--out"])
        .arg_path(&plan_file)
        .args(["--state"])
        .arg_path(&snapshot)
        .arg_path(dir.path().join("a.yaml"))
        .run()
        .expect_code(0);
    let run = emulator
        .scopeform()
        .args(["apply", "--plan"])
        .arg_path(&plan_file)
        .run()
        .expect_code(1);
    assert!(
        run.stderr
            .contains("the plan was made against the snapshot")
            && run.stderr.contains("--state"),
        "{run}"
    );
    let before = emulator.registry();
    // Where it was made, it applies.
    scopeform()
        .args(["apply", "--plan"])
        .arg_path(&plan_file)
        .args(["--state"])
        .arg_path(&snapshot)
        .run()
        .expect_code(0);
    assert_eq!(
        emulator.registry(),
        before,
        "the live registry was not touched"
    );

    // And a plan of the live registry is not applied to a snapshot.
    let plan_file = save_plan(&emulator, &dir);
    let run = scopeform()
        .args(["apply", "--plan"])
        .arg_path(&plan_file)
        .args(["--state"])
        .arg_path(&snapshot)
        .run()
        .expect_code(1);
    assert!(
        run.stderr
            .contains("the plan was made against the live registry at")
            && run.stderr.contains("--arm-endpoint"),
        "{run}"
    );
}

/// A pull request can point `registry:` at another registry the pipeline's credential reads;
/// a pipeline that pins the registry with flags plans the one it pinned, whatever the
/// configuration says (SECURITY.md, the pull-request pipeline).
#[test]
fn flags_pin_the_registry_a_pull_request_cannot_move() {
    let emulator = support::Emulator::start();
    let hostile = SAVED_PLAN_CONFIG.replace("name: myregistry", "name: someoneelses");
    let dir = config_dir(&[("a.yaml", &hostile)]);
    let unpinned = emulator
        .scopeform()
        .args(["plan"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(unpinned.stderr.contains("someoneelses"), "{unpinned}");
    let pinned = emulator
        .scopeform()
        .args(["plan", "--subscription", support::SUBSCRIPTION])
        .args(["--resource-group", support::RESOURCE_GROUP])
        .args(["--registry", support::REGISTRY])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(pinned.stdout.contains("registry myregistry"), "{pinned}");
    assert!(!pinned.stdout.contains("someoneelses"), "{pinned}");
}
