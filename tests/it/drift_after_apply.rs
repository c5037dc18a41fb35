//! Issue 13, "done when": `drift` right after a successful `apply` exits 0 for every
//! configuration in `examples/` under every `unmanaged` policy, against the emulator. The
//! registry starts with objects no example declares (a hand-made token and scope map, a token
//! already disabled, an unused scope map, a name the quickstart ignores, and a connected
//! registry with its sync token), so that every policy has something to do or leave alone.

use crate::support;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{Emulator, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, config_dir, root};

const POLICIES: [(&str, &str); 6] = [
    ("ignore", "ignore"),
    ("ignore", "delete"),
    ("disable", "ignore"),
    ("disable", "delete"),
    ("delete", "ignore"),
    ("delete", "delete"),
];

/// What a registry holds before an example is applied, put there by scopeform itself.
const SEED: &str = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
scope_maps:
  handmade-map:
    repositories:
      team-x/*: [content/read, content/write]
  unused-map:
    repositories:
      team-y/*: [content/read]
tokens:
  handmade-token:
    scope_map: handmade-map
  retired-token:
    scope_map: handmade-map
    status: disabled
  legacy-bot:
    scope_map: _repositories_pull
  edge01-sync:
    scope_map: _repositories_pull
";

fn id(kind: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/{kind}/{name}"
    )
}

/// An emulated registry holding the seed, and the connected registry `edge01` the
/// connected-registry example declares (scopeform does not create connected registries).
/// The emulator also serves the vault an example names (`examples/password-expiry` delivers
/// its passwords to `myvault`).
fn seeded() -> Emulator {
    let emulator = Emulator::with(|options| options.key_vaults.push("myvault".to_owned()));
    emulator.apply_config(&[("seed.yaml", SEED)]);
    let (status, body) = emulator.arm(
        "PUT",
        "/connectedRegistries/edge01",
        Some(
            json!({"properties": {"mode": "ReadOnly", "parent": {"syncProperties": {
            "tokenId": id("tokens", "edge01-sync"), "messageTtl": "P2D"}}}}),
        ),
    );
    assert!(matches!(status, 200 | 201), "{status} {body}");
    // The PUT runs as an operation of its own: wait until the registry shows it settled.
    let started = Instant::now();
    while !settled(&emulator.registry(), "edge01") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "edge01 never settled"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    emulator
}

fn settled(registry: &Value, connected_registry: &str) -> bool {
    registry["connected_registries"]
        .as_array()
        .is_some_and(|list| {
            list.iter().any(|c| {
                c["name"] == connected_registry
                    && c.get("provisioning_state").is_none_or(|s| s == "Succeeded")
            })
        })
}

/// The example's YAML files with `unmanaged` set to `policy`: the file that holds the
/// `registry:` block gets the policy, and any `unmanaged:` block of the example is dropped.
fn with_policy(example: &Path, (tokens, scope_maps): (&str, &str)) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(example).expect("example dir") {
        let path = entry.expect("entry").path();
        if !path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read example");
        let mut kept = String::new();
        let mut in_unmanaged = false;
        for line in text.lines() {
            if line.starts_with("unmanaged:") {
                in_unmanaged = true;
                continue;
            }
            if in_unmanaged && line.starts_with(' ') {
                continue;
            }
            in_unmanaged = false;
            kept.push_str(line);
            kept.push('\n');
        }
        if kept.lines().any(|l| l == "registry:") {
            let _ = write!(
                kept,
                "unmanaged:\n  tokens: {tokens}\n  scope_maps: {scope_maps}\n"
            );
        }
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        files.push((name, kept));
    }
    files
}

fn examples() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        // `pipelines/` holds CI workflows, `workspace/` several registries' configurations.
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n != "pipelines" && n != "workspace")
        })
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn drift_right_after_apply_is_in_sync_for_every_example_and_policy() {
    let examples = examples();
    assert!(examples.len() >= 9, "{examples:?}");
    for example in &examples {
        for policy in POLICIES {
            let files = with_policy(example, policy);
            let files: Vec<(&str, &str)> = files
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            let dir = config_dir(&files);
            let secrets = dir.path().join("secrets.json");
            let emulator = seeded();
            let case = format!("{} under unmanaged {policy:?}", example.display());
            let key_vault = format!("{}/keyvault/myvault", emulator.url());
            let apply = emulator
                .scopeform()
                .env("SCOPEFORM_KEYVAULT_ENDPOINT", &key_vault)
                .env("SCOPEFORM_KEYVAULT_TOKEN", support::FAKE_TOKEN)
                .args(["apply", "--auto-approve", "--secrets-out"])
                .arg_path(&secrets)
                .arg_path(dir.path())
                .run();
            assert_eq!(apply.code, 0, "{case}\n{apply}");
            // The secrets file exists once a password was generated; drift then reads it too.
            let mut drift = emulator.scopeform().args(["drift"]);
            if secrets.exists() {
                drift = drift.args(["--secrets"]).arg_path(&secrets);
            }
            let drift = drift.arg_path(dir.path()).run();
            assert_eq!(drift.code, 0, "{case}\n{drift}");
            assert!(
                drift
                    .stdout
                    .starts_with("No drift. The registry matches the configuration.\n"),
                "{case}\n{drift}"
            );
            let plan = emulator
                .scopeform()
                .args(["plan", "--detailed-exitcode"])
                .arg_path(dir.path())
                .run();
            assert_eq!(plan.code, 0, "{case}\n{plan}");
        }
    }
}

/// The HCL form of each example too, under the policy it declares (none: `ignore`).
#[test]
fn drift_right_after_apply_is_in_sync_for_every_hcl_example() {
    for example in examples() {
        let hcl = example.join("config.hcl");
        if !hcl.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&hcl).expect("read");
        let dir = config_dir(&[("config.hcl", &text)]);
        let secrets = dir.path().join("secrets.json");
        let emulator = seeded();
        emulator
            .scopeform()
            .env(
                "SCOPEFORM_KEYVAULT_ENDPOINT",
                format!("{}/keyvault/myvault", emulator.url()),
            )
            .env("SCOPEFORM_KEYVAULT_TOKEN", support::FAKE_TOKEN)
            .args(["apply", "--auto-approve", "--secrets-out"])
            .arg_path(&secrets)
            .arg_path(dir.path())
            .run()
            .expect_code(0);
        emulator
            .scopeform()
            .args(["drift"])
            .arg_path(dir.path())
            .run()
            .expect_code(0);
    }
}
