//! The `acr-emulator` binary: its first stdout line, its refusal of non-loopback addresses, a
//! restart from the state file after being killed, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_acr-emulator");

/// A started emulator process, killed (by its own handle) if the test ends early.
struct Emulator {
    child: Child,
    url: String,
}

impl Emulator {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(BINARY)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("first line");
        let url = first
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        Self { child, url }
    }

    fn state(&self) -> Value {
        reqwest::blocking::get(format!("{}/_emulator/state", self.url))
            .expect("state hook")
            .json()
            .expect("JSON")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn temp_state_file() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!(
        "acr-emulator-bin-{}-{nanos}.json",
        std::process::id()
    ))
}

#[test]
fn first_line_names_the_url() {
    let emulator = Emulator::start(&[
        "--listen",
        "127.0.0.1:0",
        "--registry",
        "sub/rg/myregistry:Basic",
    ]);
    let port = emulator
        .url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|p| p.parse::<u16>().ok())
        .expect("http://127.0.0.1:PORT");
    assert_ne!(port, 0);
    let state = emulator.state();
    assert_eq!(state["registries"][0]["name"], "myregistry");
    assert_eq!(state["registries"][0]["sku"], "Basic");
}

#[test]
fn the_real_azure_switches() {
    let emulator = Emulator::start(&[
        "--registry",
        "sub/rg/myregistry",
        "--system-scope-maps",
        "3",
        "--delete-retry-after-ms",
        "1500",
    ]);
    let state = emulator.state();
    let names: Vec<&str> = state["registries"][0]["scope_maps"]
        .as_array()
        .expect("scope maps")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "_repositories_admin",
            "_repositories_pull",
            "_repositories_push"
        ]
    );
    let token = format!(
        "{}/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/tokens/ci-token?api-version=2025-11-01",
        emulator.url
    );
    let client = reqwest::blocking::Client::new();
    let reply = client
        .put(&token)
        .bearer_auth("t")
        .json(&serde_json::json!({ "properties": {
            "scopeMapId": "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/scopeMaps/_repositories_pull"
        }}))
        .send()
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 201);
    assert!(reply.headers().contains_key("azure-asyncoperation"));
    std::thread::sleep(std::time::Duration::from_millis(100));
    let reply = client
        .delete(&token)
        .bearer_auth("t")
        .send()
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 202);
    assert_eq!(
        reply
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1.500")
    );
    for bad in [["--writes", "eventually"], ["--system-scope-maps", "4"]] {
        let output = Command::new(BINARY).args(bad).output().expect("runs");
        assert!(!output.status.success(), "{bad:?}");
    }
}

#[test]
fn refuses_non_loopback_without_allow_remote() {
    let output = Command::new(BINARY)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--allow-remote"), "{stderr}");
}

#[test]
fn killed_emulator_restarts_from_its_state_file() {
    let file = temp_state_file();
    let path = file.to_str().expect("utf-8 path");
    // Written at once: the test is about the state file, not about operations under way.
    let args = [
        "--registry",
        "sub/rg/myregistry",
        "--state-file",
        path,
        "--writes",
        "sync",
    ];
    let token_path = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/tokens/ci-token";
    {
        let emulator = Emulator::start(&args);
        let reply = reqwest::blocking::Client::new()
            .put(format!("{}{token_path}?api-version=2025-11-01", emulator.url))
            .bearer_auth("t")
            .json(&serde_json::json!({ "properties": {
                "scopeMapId": "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/scopeMaps/_repositories_pull"
            }}))
            .send()
            .expect("answered");
        assert_eq!(reply.status().as_u16(), 201);
        // Dropping kills the process (SIGKILL): no chance to save on the way out.
    }
    let emulator = Emulator::start(&args);
    let state = emulator.state();
    assert_eq!(state["registries"][0]["tokens"][0]["name"], "ci-token");
    drop(emulator);
    let _ = std::fs::remove_file(&file);
}

#[cfg(unix)]
#[test]
fn exits_cleanly_on_sigterm() {
    let mut emulator = Emulator::start(&[]);
    let pid = emulator.child.id().to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = emulator.child.wait().expect("exits");
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn the_key_vault_and_clock_switches() {
    let emulator = Emulator::start(&[
        "--key-vault",
        "my-vault",
        "--key-vault-down",
        "--clock",
        "2030-01-01T00:00:00Z",
    ]);
    let state = emulator.state();
    assert_eq!(state["vaults"][0]["name"], "my-vault");
    assert_eq!(state["key_vault_down"], true);
    assert!(
        state["now"]
            .as_str()
            .is_some_and(|now| now.starts_with("2030-01-01T00:0")),
        "{state}"
    );
    let client = reqwest::blocking::Client::new();
    let secrets = format!(
        "{}/keyvault/my-vault/secrets?api-version=2025-07-01",
        emulator.url
    );
    let reply = client
        .get(&secrets)
        .bearer_auth("t")
        .send()
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 503);
    let reply = client
        .post(format!("{}/_emulator/key-vault", emulator.url))
        .json(&serde_json::json!({ "down": false }))
        .send()
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 200);
    let reply = client
        .get(&secrets)
        .bearer_auth("t")
        .send()
        .expect("answered");
    assert_eq!(reply.status().as_u16(), 200);

    let help = Command::new(BINARY).arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--key-vault <NAME>",
        "--key-vault-fail-every",
        "--key-vault-down",
        "--clock",
    ] {
        assert!(help.contains(flag), "--help documents {flag}:\n{help}");
    }
    for bad in [
        ["--key-vault", "1vault"],
        ["--key-vault", "my_vault"],
        ["--clock", "tomorrow"],
    ] {
        let output = Command::new(BINARY).args(bad).output().expect("runs");
        assert!(!output.status.success(), "{bad:?}");
    }
}
