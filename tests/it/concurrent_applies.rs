//! Two applies against one registry, the second planned before the first wrote (issue 13,
//! part 3). The second one must not destroy the first one's passwords: just before each token
//! write it confirms the registry still holds what its plan saw, and otherwise reports a
//! conflict, sends nothing for it and exits 1.
//!
//! Deterministic, without sleeps: the second apply runs on a pseudo-terminal (`script`), so it
//! plans, prints its plan and waits at "Do you want to perform these actions?"; the first apply
//! runs to the end meanwhile; then the second is told `yes`.

use crate::support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Emulator, FAKE_TOKEN, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, config_dir};

/// The longest the test waits for the second apply to reach its question or to finish; a bound
/// against a hang, never a timing assertion.
const PATIENCE: Duration = Duration::from_secs(120);

fn config() -> String {
    format!(
        "
registry:
  name: {REGISTRY}
  subscription: {SUBSCRIPTION}
  resource_group: {RESOURCE_GROUP}
tokens:
  ci-push:
    scope_map: _repositories_push
    passwords:
      password1: {{ expires_in: 30d }}
"
    )
}

/// Single-quoted for `sh`.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `scopeform apply` on a pseudo-terminal, its output collected as it comes.
struct OnTerminal {
    child: std::process::Child,
    output: Arc<Mutex<String>>,
}

impl OnTerminal {
    fn start(emulator: &Emulator, dir: &Path, secrets: &Path) -> Self {
        let command = format!(
            "{} apply {} --secrets-out {}",
            quoted(env!("CARGO_BIN_EXE_scopeform")),
            quoted(&dir.display().to_string()),
            quoted(&secrets.display().to_string())
        );
        let mut child = Command::new("script")
            .args(["-qefc", &command, "/dev/null"])
            .env("SCOPEFORM_ARM_ENDPOINT", emulator.url())
            .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
            .env("NO_COLOR", "1")
            .env_remove("AZURE_CLIENT_ID")
            .env_remove("AZURE_FEDERATED_TOKEN_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start script");
        let output = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().expect("stdout");
        let collected = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buffer[..n]).replace('\r', "");
                collected.lock().expect("output").push_str(&text);
            }
        });
        Self { child, output }
    }

    fn output(&self) -> String {
        self.output.lock().expect("output").clone()
    }

    /// Waits until the output contains `text`; false when the process ended first.
    fn wait_for(&mut self, text: &str) -> bool {
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if self.output().contains(text) {
                return true;
            }
            if self.child.try_wait().expect("poll").is_some() {
                return self.output().contains(text);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    fn answer(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin.write_all(line.as_bytes()).expect("answer");
        stdin.flush().expect("flush");
    }

    /// The exit status and everything printed, once it ends (or is killed past `PATIENCE`).
    fn finish(mut self) -> (i32, String) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("poll") {
                // The reader thread may still hold the last bytes.
                std::thread::sleep(Duration::from_millis(50));
                return (status.code().unwrap_or(-1), self.output());
            }
            if started.elapsed() > PATIENCE {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("the apply did not finish\n{}", self.output());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for OnTerminal {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn has_script() -> bool {
    Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn secrets(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|_| "null".into()))
        .expect("secrets JSON")
}

#[test]
fn a_stale_rotation_is_a_conflict_and_never_destroys_the_other_applys_password() {
    if !has_script() {
        eprintln!("skipped: needs the `script` command (util-linux) for a pseudo-terminal");
        return;
    }
    let emulator = Emulator::start();
    let (status, _) = emulator.arm(
        "PUT",
        "/tokens/ci-push",
        Some(json!({"properties": {"scopeMapId": format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/scopeMaps/_repositories_push"
        )}})),
    );
    assert_eq!(status, 201);
    // Real Azure creates it as a long-running operation; both applies plan the settled token.
    emulator.wait_settled("/tokens/ci-push");
    let dir = config_dir(&[("access.yaml", &config())]);
    let files = tempfile::tempdir().expect("temp dir");
    let (first_file, second_file) = (files.path().join("a.json"), files.path().join("b.json"));

    // The second apply plans (password1 is missing: generate it) and waits for its `yes`.
    let mut second = OnTerminal::start(&emulator, dir.path(), &second_file);
    assert!(
        second.wait_for("Only 'yes' will be accepted"),
        "the second apply never asked\n{}",
        second.output()
    );
    assert!(
        second.output().contains("token.ci-push.password1"),
        "{}",
        second.output()
    );

    // Meanwhile the first apply plans the same rotation and carries it out.
    let first = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path())
        .args(["--auto-approve", "--secrets-out"])
        .arg_path(&first_file)
        .run()
        .expect_code(0);
    // The slot held no password: it is created (counted as created), not rotated.
    assert!(first.stdout.contains("1 created"), "{first}");
    let saved = secrets(&first_file)["ci-push"]["password1"]["creation_time"].clone();
    assert!(saved.is_string(), "{first}");

    // Now the second one goes ahead: its plan is stale.
    second.answer("yes\n");
    let (code, output) = second.finish();
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains(
            "conflict: token.ci-push.password1 (create): password1 of token `ci-push` changed in \
             the registry since the plan was made (planned: no password; now: created "
        ),
        "{output}"
    );
    assert!(output.contains("1 in conflict"), "{output}");
    assert!(output.contains("Run `scopeform plan` again"), "{output}");

    // The first apply's password is still the one in the registry, and the second apply
    // recorded nothing: no password of its own, no rotation "in progress" to redo later.
    let registry = emulator.registry();
    let live = registry["tokens"]
        .as_array()
        .and_then(|tokens| tokens.iter().find(|t| t["name"] == "ci-push"))
        .map(|t| t["passwords"][0]["creation_time"].clone())
        .expect("ci-push password1");
    let saved_time: chrono::DateTime<chrono::Utc> =
        saved.as_str().expect("time").parse().expect("time");
    let live_time: chrono::DateTime<chrono::Utc> =
        live.as_str().expect("time").parse().expect("time");
    assert_eq!(saved_time, live_time, "{output}");
    let second_secrets = secrets(&second_file);
    assert!(
        second_secrets.get("ci-push").is_none(),
        "the second apply wrote {second_secrets}"
    );
    // And the registry is as the configuration asks.
    emulator
        .scopeform()
        .args(["drift"])
        .arg_path(dir.path())
        .args(["--secrets"])
        .arg_path(&first_file)
        .run()
        .expect_code(0);
}
