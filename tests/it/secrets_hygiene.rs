//! Secrets hygiene, end to end: with `--verbose`, a known bearer token and freshly generated
//! passwords, neither reaches stdout, stderr, a saved plan, a snapshot or an export; the
//! secrets file is created 0600 and nothing in its directory is ever readable by others; plain
//! `http://` is refused off loopback; TLS failures are errors, reported at once.

use crate::support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;
use support::{
    Emulator, FAKE_TOKEN, REGISTRY, RESOURCE_GROUP, Run, SUBSCRIPTION, config_dir, root, scopeform,
};

fn registry_block() -> String {
    format!(
        "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\n"
    )
}

/// Scope maps and `tokens` tokens, each with both password slots managed.
fn rotating_config(tokens: usize) -> String {
    let mut text = registry_block();
    text.push_str("scope_maps:\n  pushers:\n    repositories:\n      \"apps/*\": [content/read, content/write]\ntokens:\n");
    for i in 0..tokens {
        let _ = write!(
            text,
            "  ci-{i:03}:\n    scope_map: pushers\n    passwords:\n      password1: {{ expires_in: 30d }}\n      password2: {{ expiry: \"2030-01-01T00:00:00Z\" }}\n"
        );
    }
    text
}

/// Every password value in a secrets file.
fn passwords_in(secrets: &Path) -> Vec<String> {
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(secrets).expect("secrets file"))
            .expect("secrets JSON");
    let mut values = Vec::new();
    for token in written.as_object().expect("object").values() {
        for slot in ["password1", "password2"] {
            if let Some(value) = token[slot]["value"].as_str() {
                values.push(value.to_owned());
            }
        }
    }
    values
}

/// Asserts that no secret appears in any of `texts` (named for the message).
fn assert_clean(secrets: &[String], texts: &[(String, String)]) {
    assert!(!secrets.is_empty());
    for (name, text) in texts {
        for secret in secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret ({}…) leaked into {name}:\n{text}",
                &secret[..4]
            );
        }
        assert!(
            !text.contains("Bearer ") && !text.to_ascii_lowercase().contains("authorization:"),
            "an Authorization header leaked into {name}:\n{text}"
        );
    }
}

fn outputs(label: &str, run: &Run) -> [(String, String); 2] {
    [
        (format!("{label} stdout"), run.stdout.clone()),
        (format!("{label} stderr"), run.stderr.clone()),
    ]
}

#[test]
fn nothing_secret_reaches_output_plans_snapshots_or_exports() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("config.yaml", &rotating_config(3))]);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out dir");
    let secrets = out.join("secrets.json");
    let plan_file = dir.path().join("plan.json");
    let snapshot = dir.path().join("snapshot.json");
    let config = dir.path().join("config.yaml");
    let mut texts = Vec::new();

    let plan = emulator
        .scopeform()
        .args(["--verbose", "plan"])
        .arg_path(&config)
        .args(["--out"])
        .arg_path(&plan_file)
        .run()
        .expect_code(0);
    texts.extend(outputs("plan --out", &plan));
    let apply = emulator
        .scopeform()
        .args(["--verbose", "apply", "--plan"])
        .arg_path(&plan_file)
        .args(["--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    texts.extend(outputs("apply --plan", &apply));
    assert!(
        apply.stderr.contains("ARM POST"),
        "verbose logs requests\n{apply}"
    );
    // Rotate once more through a plain apply, so there are old and new values to look for.
    let mut passwords = passwords_in(&secrets);
    assert_eq!(passwords.len(), 6);
    for run in [
        emulator
            .scopeform()
            .args(["--verbose", "drift"])
            .arg_path(&config)
            .args(["--secrets"])
            .arg_path(&secrets)
            .run(),
        emulator
            .scopeform()
            .args(["--verbose", "plan", "--format", "json"])
            .arg_path(&config)
            .run()
            .expect_code(0),
        emulator
            .scopeform()
            .args(["--verbose", "snapshot", "--out"])
            .arg_path(&snapshot)
            .args(["--registry", REGISTRY, "--subscription", SUBSCRIPTION])
            .args(["--resource-group", RESOURCE_GROUP])
            .run()
            .expect_code(0),
        emulator
            .scopeform()
            .args(["--verbose", "export"])
            .args(["--registry", REGISTRY, "--subscription", SUBSCRIPTION])
            .args(["--resource-group", RESOURCE_GROUP])
            .run()
            .expect_code(0),
        emulator
            .scopeform()
            .args(["--verbose", "export", "--format", "hcl"])
            .args(["--registry", REGISTRY, "--subscription", SUBSCRIPTION])
            .args(["--resource-group", RESOURCE_GROUP])
            .run()
            .expect_code(0),
    ] {
        texts.extend(outputs("a later command", &run));
    }
    for file in [&plan_file, &snapshot] {
        texts.push((
            file.display().to_string(),
            std::fs::read_to_string(file).expect("written"),
        ));
    }
    passwords.push(FAKE_TOKEN.to_owned());
    assert_clean(&passwords, &texts);
}

#[test]
fn a_refused_token_is_not_echoed() {
    let emulator = Emulator::with(|o| o.token = Some("the-token-the-emulator-wants".to_owned()));
    let dir = config_dir(&[("config.yaml", &rotating_config(1))]);
    let run = emulator
        .scopeform()
        .args(["--verbose", "plan"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("401"), "{run}");
    assert_clean(&[FAKE_TOKEN.to_owned()], &outputs("plan", &run));
}

#[test]
fn applying_to_a_snapshot_keeps_the_new_passwords_out_of_it() {
    let dir = config_dir(&[("config.yaml", &rotating_config(2))]);
    let snapshot = dir.path().join("live.json");
    std::fs::copy(root().join("examples/quickstart/live.json"), &snapshot).expect("copy");
    let secrets = dir.path().join("secrets.json");
    let run = scopeform()
        .args(["--verbose", "apply"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--auto-approve", "--state"])
        .arg_path(&snapshot)
        .args(["--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    let passwords = passwords_in(&secrets);
    assert_eq!(passwords.len(), 4, "{run}");
    let mut texts = outputs("apply --state", &run).to_vec();
    texts.push((
        "the snapshot".to_owned(),
        std::fs::read_to_string(&snapshot).expect("snapshot"),
    ));
    assert_clean(&passwords, &texts);
}

/// Watches `dir` until told to stop; returns every `(name, mode)` seen readable by others.
fn watch_modes(
    dir: PathBuf,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    std::thread::spawn(move || {
        use std::os::unix::fs::PermissionsExt;
        let mut looks = 0;
        let mut wide = Vec::new();
        while !stop.load(Ordering::SeqCst) {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                // A file renamed away between the listing and the stat is simply gone.
                if let Ok(meta) = entry.metadata() {
                    looks += 1;
                    let mode = meta.permissions().mode() & 0o777;
                    if mode & 0o077 != 0 {
                        wide.push(format!("{} {mode:o}", entry.file_name().to_string_lossy()));
                    }
                }
            }
        }
        (looks, wide)
    })
}

#[test]
fn the_secrets_file_is_never_readable_by_others() {
    let emulator = Emulator::with(|o| o.latency = Duration::from_millis(5));
    let dir = config_dir(&[("config.yaml", &rotating_config(20))]);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out dir");
    let secrets = out.join("secrets.json");
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_modes(out.clone(), Arc::clone(&stop));
    let run = emulator
        .scopeform()
        .args(["apply"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--auto-approve", "--parallelism", "4", "--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    stop.store(true, Ordering::SeqCst);
    let (looks, wide) = watcher.join().expect("watcher");
    assert!(looks > 0, "the watcher saw the directory's files\n{run}");
    assert!(
        wide.is_empty(),
        "readable by others at some point: {wide:?}"
    );
    assert_eq!(passwords_in(&secrets).len(), 40);
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    // The lock stays, empty: removing a lock file races with the next apply taking it.
    assert_eq!(
        names,
        ["secrets.json", "secrets.json.lock"],
        "no temporary file is left behind"
    );
    assert_eq!(
        std::fs::metadata(out.join("secrets.json.lock"))
            .expect("lock")
            .len(),
        0
    );
}

#[test]
fn a_world_readable_secrets_file_is_replaced_by_a_private_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = config_dir(&[("config.yaml", &rotating_config(1))]);
    let snapshot = dir.path().join("live.json");
    std::fs::copy(root().join("examples/quickstart/live.json"), &snapshot).expect("copy");
    let secrets = dir.path().join("secrets.json");
    std::fs::write(&secrets, "{}\n").expect("write");
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    scopeform()
        .args(["apply"])
        .arg_path(dir.path().join("config.yaml"))
        .args(["--auto-approve", "--state"])
        .arg_path(&snapshot)
        .args(["--secrets-out"])
        .arg_path(&secrets)
        .run()
        .expect_code(0);
    let mode = std::fs::metadata(&secrets)
        .expect("stat")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn plain_http_is_refused_off_loopback() {
    let dir = config_dir(&[("config.yaml", &rotating_config(1))]);
    for endpoint in [
        "http://example.invalid",
        "http://10.0.0.1:8080",
        "http://localhost.example.com",
        "http://[::ffff:10.0.0.1]",
    ] {
        let run = scopeform()
            .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
            .args(["plan"])
            .arg_path(dir.path())
            .args(["--arm-endpoint", endpoint])
            .run()
            .expect_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: ARM endpoint `{endpoint}` uses plain http on a host that is not loopback; use https (http is allowed only for 127.0.0.0/8, ::1 and localhost)\n"
            ),
            "{run}"
        );
    }
}

#[test]
fn https_to_a_plain_http_listener_fails_with_a_tls_error_at_once() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("config.yaml", &rotating_config(1))]);
    let https = emulator.url().replace("http://", "https://");
    let run = scopeform()
        .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
        .args(["plan"])
        .arg_path(dir.path())
        .args(["--arm-endpoint", &https])
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("received corrupt message"), "{run}");
    // Not retried: a TLS failure is no transient fault.
    assert!(!run.stderr.contains("gave up after"), "{run}");
    assert_eq!(emulator.state()["stats"]["requests"], 0);
}

/// A self-signed certificate is refused. Needs the `openssl` command; skipped without it.
#[test]
fn a_self_signed_certificate_is_refused() {
    let Some(server) = OpensslServer::start() else {
        eprintln!("skipped: no `openssl` command");
        return;
    };
    let dir = config_dir(&[("config.yaml", &rotating_config(1))]);
    let run = scopeform()
        .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
        .args(["plan"])
        .arg_path(dir.path())
        .args([
            "--arm-endpoint",
            &format!("https://127.0.0.1:{}", server.port),
        ])
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("invalid peer certificate"), "{run}");
    assert!(!run.stderr.contains("gave up after"), "{run}");
}

/// `openssl s_server` with a fresh self-signed certificate on a free loopback port.
struct OpensslServer {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl OpensslServer {
    fn start() -> Option<Self> {
        use std::process::{Command, Stdio};
        let dir = tempfile::tempdir().ok()?;
        let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
        let made = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=127.0.0.1", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if !made.success() {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("openssl")
            .args([
                "s_server",
                "-www",
                "-accept",
                &format!("127.0.0.1:{port}"),
                "-cert",
            ])
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        // Wait until it accepts connections.
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(Self {
                    child,
                    port,
                    _dir: dir,
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
