//! Fault injection, end to end: the real binary applies a plan of a few hundred changes against
//! the ARM emulator while writes fail, are throttled, are slow, end `Failed`, while the emulator
//! is killed and restarted, and while scopeform itself is killed. In every case re-running
//! `apply` (a bounded number of times) converges: a final `plan --detailed-exitcode` exits 0,
//! no object was created twice (the emulator counts creations, across restarts too), and every
//! password an apply reported `done` is in the secrets file.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::{Emulator, FAKE_TOKEN, REGISTRY, RESOURCE_GROUP, Run, SUBSCRIPTION, config_dir};

/// The size of the plan: scope maps, tokens (one per map), and how many of those tokens have a
/// managed `password1` (one rotation each) and also a `password2`.
#[derive(Clone, Copy)]
struct Size {
    objects: usize,
    with_password1: usize,
    with_password2: usize,
}

impl Size {
    /// 100 scope maps, 100 tokens, 50 rotations: 250 changes.
    const FULL: Size = Size {
        objects: 100,
        with_password1: 40,
        with_password2: 10,
    };

    fn changes(self) -> usize {
        2 * self.objects + self.with_password1 + self.with_password2
    }
}

fn configuration(size: Size) -> String {
    let mut text = format!(
        "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\nscope_maps:\n"
    );
    for i in 0..size.objects {
        let _ = write!(
            text,
            "  map-{i:03}:\n    repositories:\n      team{i}/*: [content/read, metadata/read]\n      team{i}/app: [content/write]\n"
        );
    }
    text.push_str("tokens:\n");
    for i in 0..size.objects {
        let _ = write!(text, "  token-{i:03}:\n    scope_map: map-{i:03}\n");
        if i < size.with_password1 {
            text.push_str(
                "    passwords:\n      password1: { expires_in: 30d, rotate_before: 7d }\n",
            );
            if i < size.with_password2 {
                text.push_str("      password2: { expires_in: 60d }\n");
            }
        }
    }
    text
}

/// A configuration directory and the secrets file next to it.
struct Workspace {
    dir: tempfile::TempDir,
    secrets: PathBuf,
    size: Size,
}

impl Workspace {
    fn new(size: Size) -> Self {
        let dir = config_dir(&[("config.yaml", &configuration(size))]);
        let secrets = dir.path().join("secrets.json");
        Self { dir, secrets, size }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.yaml")
    }
}

/// `scopeform` pointed at `url` with the fake token.
fn scopeform_at(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scopeform"));
    for var in [
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_FEDERATED_TOKEN_FILE",
        "CLICOLOR_FORCE",
    ] {
        command.env_remove(var);
    }
    command
        .env("NO_COLOR", "1")
        .env("SCOPEFORM_ARM_ENDPOINT", url)
        .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
        .stdin(Stdio::null());
    command
}

fn apply_command(url: &str, ws: &Workspace, parallelism: u16) -> Command {
    let mut command = scopeform_at(url);
    command
        .arg("apply")
        .arg(ws.config())
        .args(["--auto-approve", "--parallelism", &parallelism.to_string()])
        .arg("--secrets-out")
        .arg(&ws.secrets);
    command
}

fn run(mut command: Command) -> Run {
    let output = command.output().expect("run scopeform");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `(token, slot)` of every `[n/total] token.T.passwordN rotate: done` progress line.
fn rotations_done(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("] ")?;
            let (address, status) = rest.split_once(' ')?;
            if !status.starts_with("rotate: done") {
                return None;
            }
            let rest = address.strip_prefix("token.")?;
            let (token, slot) = rest.rsplit_once('.')?;
            Some((token.to_owned(), slot.to_owned()))
        })
        .collect()
}

/// What a scenario went through, for the assertion messages.
#[derive(Default)]
struct Log {
    runs: Vec<String>,
    done: BTreeSet<(String, String)>,
}

impl Log {
    fn record(&mut self, label: &str, run: &Run) {
        self.done.extend(rotations_done(&run.stdout));
        let tail: Vec<&str> = run.stdout.lines().rev().take(3).collect();
        self.runs.push(format!(
            "{label}: exit {} ({} rotations done so far) … {}\n{}",
            run.code,
            self.done.len(),
            tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
            run.stderr.lines().take(5).collect::<Vec<_>>().join("\n"),
        ));
    }
}

impl std::fmt::Display for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for run in &self.runs {
            writeln!(f, "{run}")?;
        }
        Ok(())
    }
}

/// Re-runs `apply` until it exits 0, at most `max_runs` times; returns how many runs it took.
fn apply_until_done(url: &str, ws: &Workspace, parallelism: u16, max_runs: usize, log: &mut Log) {
    for attempt in 1..=max_runs {
        let result = run(apply_command(url, ws, parallelism));
        log.record(&format!("re-run {attempt}"), &result);
        if result.code == 0 {
            return;
        }
        assert_eq!(result.code, 1, "apply failed oddly\n{result}\n{log}");
        assert!(!result.stderr.contains("panicked"), "{result}");
    }
    panic!("apply did not converge in {max_runs} runs\n{log}");
}

fn emulator_state(url: &str) -> Value {
    reqwest::blocking::get(format!("{url}/_emulator/state"))
        .and_then(reqwest::blocking::Response::json)
        .expect("read emulator state")
}

/// Whether a password the live registry holds must also be in the secrets file: true unless
/// scopeform itself was killed, which may happen after ARM generated a password and before the
/// secrets file received it (such a password was never reported done; see SECURITY.md).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LivePasswords {
    AllSaved,
    MayBeUnsaved,
}

/// The invariants every scenario ends with.
fn assert_converged(url: &str, ws: &Workspace, log: &Log, live_passwords: LivePasswords) {
    let replan = run({
        let mut command = scopeform_at(url);
        command
            .args(["plan", "--detailed-exitcode"])
            .arg(ws.config());
        command
    });
    assert_eq!(
        replan.code, 0,
        "the final plan is not empty\n{replan}\n{log}"
    );
    assert!(replan.stdout.contains("No changes."), "{replan}");

    let state = emulator_state(url);
    let registry = &state["registries"][0];
    let tokens = registry["tokens"].as_array().expect("tokens");
    let user_maps = registry["scope_maps"]
        .as_array()
        .expect("scope maps")
        .iter()
        .filter(|m| m["type"] == "UserDefined")
        .count();
    assert_eq!(tokens.len(), ws.size.objects, "{log}");
    assert_eq!(user_maps, ws.size.objects, "{log}");
    let creations: BTreeMap<String, u64> =
        serde_json::from_value(registry["creations"].clone()).expect("creations");
    assert_eq!(creations.len(), 2 * ws.size.objects, "{creations:?}");
    let twice: Vec<_> = creations.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "created more than once: {twice:?}\n{log}");

    let secrets: Value = match std::fs::read_to_string(&ws.secrets) {
        Ok(text) => serde_json::from_str(&text).expect("the secrets file is JSON"),
        Err(e) => panic!("no secrets file: {e}\n{log}"),
    };
    assert!(!log.done.is_empty(), "no rotation was reported done\n{log}");
    for (token, slot) in &log.done {
        let value = secrets[token][slot]["value"].as_str().unwrap_or_default();
        assert!(
            value.len() >= 20,
            "{token}.{slot} was reported done but is not in the secrets file\n{log}"
        );
    }
    // Every live password is one the secrets file holds (same creation time), unless the
    // scenario killed scopeform itself.
    let mut unsaved = Vec::new();
    for token in tokens {
        let name = token["name"].as_str().expect("name");
        for password in token["passwords"].as_array().expect("passwords") {
            let slot = password["name"].as_str().expect("slot");
            let stored = &secrets[name][slot];
            let saved = stored["value"].as_str().is_some_and(|v| !v.is_empty())
                && times_equal(&stored["creation_time"], &password["creation_time"]);
            if !saved {
                unsaved.push(format!("{name}.{slot}"));
            }
        }
    }
    match live_passwords {
        LivePasswords::AllSaved => assert!(
            unsaved.is_empty(),
            "live passwords missing from the secrets file: {unsaved:?}\n{log}"
        ),
        LivePasswords::MayBeUnsaved if !unsaved.is_empty() => {
            eprintln!(
                "generated while scopeform was being killed, never reported done: {unsaved:?}"
            );
        }
        LivePasswords::MayBeUnsaved => {}
    }
    let expected = ws.size.with_password1 + ws.size.with_password2;
    let live_count: usize = tokens
        .iter()
        .map(|t| t["passwords"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(live_count, expected, "{log}");
    // Shown with `--nocapture`: how each scenario went.
    eprintln!("{log}");
}

fn times_equal(a: &Value, b: &Value) -> bool {
    let parse = |v: &Value| {
        v.as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    };
    matches!((parse(a), parse(b)), (Some(a), Some(b)) if a == b)
}

/// One scenario against an in-process emulator: a first apply, re-runs until done, checks.
fn scenario(
    configure: impl FnOnce(&mut acr_emulator::Options),
    size: Size,
    parallelism: u16,
    max_runs: usize,
) -> (Emulator, Log) {
    let emulator = Emulator::with(configure);
    let ws = Workspace::new(size);
    let mut log = Log::default();
    apply_until_done(emulator.url(), &ws, parallelism, max_runs, &mut log);
    assert_converged(emulator.url(), &ws, &log, LivePasswords::AllSaved);
    (emulator, log)
}

fn stats(emulator: &Emulator, name: &str) -> u64 {
    emulator.state()["stats"][name].as_u64().expect("stat")
}

#[test]
fn every_third_write_fails_with_500() {
    // The client retries 500s; the faults are injected before the write is done, so a retried
    // write is never done twice.
    let (emulator, log) = scenario(|o| o.fail_every = Some(3), Size::FULL, 16, 3);
    assert!(stats(&emulator, "failed_injected") >= 80, "{log}");
}

#[test]
fn writes_are_throttled_to_a_bucket_of_10_refilled_at_5_per_second() {
    // At 5 writes/s a full-size plan would take 50 s; a smaller one shows the same thing.
    let size = Size {
        objects: 12,
        with_password1: 6,
        with_password2: 2,
    };
    let (emulator, log) = scenario(
        |o| o.throttle_writes = Some("10:5".parse().expect("throttle")),
        size,
        10,
        1,
    );
    assert_eq!(
        log.runs.len(),
        1,
        "no write may fail under throttling\n{log}"
    );
    assert!(stats(&emulator, "throttled") > 0, "{log}");
    assert!(size.changes() > 10);
}

#[test]
fn every_response_takes_200_ms() {
    let (_emulator, log) = scenario(
        |o| o.latency = Duration::from_millis(200),
        Size::FULL,
        100,
        1,
    );
    assert_eq!(log.runs.len(), 1, "{log}");
}

#[test]
fn asynchronous_operations_that_end_failed() {
    let (emulator, log) = scenario(
        |o| {
            o.async_ops = true;
            o.async_delay = Duration::from_millis(5);
            o.fail_async_every = Some(5);
        },
        Size::FULL,
        32,
        8,
    );
    assert!(
        log.runs.len() > 1,
        "operations failed, so a re-run was needed\n{log}"
    );
    assert!(stats(&emulator, "requests") > 0);
}

// --- The emulator as a separate process, killed with SIGKILL and restarted ---------------

/// Set (to `ADDR STATE_FILE LATENCY_MS ASYNC_DELAY_MS`, the last 0 for synchronous writes) in
/// the environment of the child that serves.
const CHILD_ENV: &str = "SCOPEFORM_FAULTS_EMULATOR_CHILD";

/// Not a test of its own: the body of the emulator child process, which is this test binary
/// run again with `CHILD_ENV` set. The library's server runs here exactly as in the
/// `acr-emulator` binary; cargo only builds that binary for the emulator's own tests.
#[test]
fn emulator_child_process() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.rsplitn(4, ' ');
    let async_delay: u64 = parts
        .next()
        .and_then(|l| l.parse().ok())
        .expect("async delay");
    let latency: u64 = parts.next().and_then(|l| l.parse().ok()).expect("latency");
    let state_file = PathBuf::from(parts.next().expect("state file"));
    let addr: SocketAddr = parts.next().and_then(|a| a.parse().ok()).expect("addr");
    let mut options = acr_emulator::Options::default();
    options.registries.push(
        format!("{SUBSCRIPTION}/{RESOURCE_GROUP}/{REGISTRY}")
            .parse()
            .expect("registry"),
    );
    options.token = Some(FAKE_TOKEN.to_owned());
    options.state_file = Some(state_file);
    options.latency = Duration::from_millis(latency);
    if async_delay > 0 {
        options.async_ops = true;
        options.async_delay = Duration::from_millis(async_delay);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                println!("cannot listen: {e}");
                std::process::exit(3);
            }
        };
        println!(
            "listening on http://{}",
            listener.local_addr().expect("addr")
        );
        let _ = acr_emulator::serve(listener, options).await;
    });
}

/// An emulator child process.
struct EmulatorProcess {
    child: Child,
    url: String,
    addr: SocketAddr,
}

impl EmulatorProcess {
    /// Starts one on `addr` (port 0: any); `None` when it cannot listen there.
    fn start(addr: SocketAddr, state_file: &Path, latency_ms: u64) -> Option<Self> {
        Self::start_with(addr, state_file, latency_ms, 0)
    }

    /// Like `start`, with writes answered as operations that take `async_delay_ms`.
    fn start_with(
        addr: SocketAddr,
        state_file: &Path,
        latency_ms: u64,
        async_delay_ms: u64,
    ) -> Option<Self> {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["emulator_child_process", "--exact", "--nocapture"])
            .env(
                CHILD_ENV,
                format!(
                    "{addr} {} {latency_ms} {async_delay_ms}",
                    state_file.display()
                ),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator process");
        let stdout = child.stdout.take().expect("stdout");
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("read the emulator's stdout");
            if let Some(url) = line.strip_prefix("listening on ") {
                let addr = url
                    .trim_start_matches("http://")
                    .parse()
                    .expect("listening address");
                return Some(Self {
                    child,
                    url: url.to_owned(),
                    addr,
                });
            }
            if line.starts_with("cannot listen") {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        None
    }

    /// SIGKILL: no grace, no final save beyond the ones already made after each write.
    fn kill(mut self) {
        self.child.kill().expect("kill the emulator");
        self.child.wait().expect("reap the emulator");
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `scopeform` process whose output goes to files, so it never blocks on a full pipe
/// (250 progress lines and the plan before them are far more than a pipe holds).
struct Spawned {
    child: Child,
    stdout: tempfile::NamedTempFile,
    stderr: tempfile::NamedTempFile,
}

impl Spawned {
    fn start(mut command: Command) -> Self {
        let stdout = tempfile::NamedTempFile::new().expect("stdout file");
        let stderr = tempfile::NamedTempFile::new().expect("stderr file");
        let child = command
            .stdout(stdout.reopen().expect("stdout"))
            .stderr(stderr.reopen().expect("stderr"))
            .spawn()
            .expect("start scopeform");
        Self {
            child,
            stdout,
            stderr,
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then what it had printed.
    fn kill(mut self) -> Run {
        self.child.kill().expect("kill scopeform");
        self.wait()
    }

    fn wait(mut self) -> Run {
        let status = self.child.wait().expect("reap scopeform");
        Run {
            code: status.code().unwrap_or(-9),
            stdout: std::fs::read_to_string(self.stdout.path()).unwrap_or_default(),
            stderr: std::fs::read_to_string(self.stderr.path()).unwrap_or_default(),
        }
    }
}

#[test]
fn the_emulator_is_killed_and_restarted_mid_apply() {
    let ws = Workspace::new(Size::FULL);
    let state_file = ws.dir.path().join("emulator-state.json");
    let any_port: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let emulator = EmulatorProcess::start(any_port, &state_file, 20).expect("emulator");
    let (url, addr) = (emulator.url.clone(), emulator.addr);
    let mut log = Log::default();

    // Four writes in flight at 20 ms each: the apply takes over a second; kill at 500 ms.
    let child = Spawned::start(apply_command(&url, &ws, 4));
    std::thread::sleep(Duration::from_millis(500));
    emulator.kill();
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state_file).expect("state"))
        .expect("state JSON");
    assert!(
        saved["registries"]
            .as_object()
            .is_some_and(|r| !r.is_empty()),
        "the emulator had saved its state"
    );
    std::thread::sleep(Duration::from_millis(300));
    // The same port, so the apply in flight reconnects on its retries. Should the port have
    // been taken meanwhile, the restarted emulator gets another one and the re-runs below
    // point at it; the apply in flight then fails, which the re-runs must also survive.
    let restarted = EmulatorProcess::start(addr, &state_file, 0)
        .or_else(|| EmulatorProcess::start(any_port, &state_file, 0))
        .expect("restart the emulator");
    let interrupted = child.wait();
    log.record("apply across the restart", &interrupted);
    assert!(
        interrupted.code == 0 || interrupted.code == 1,
        "{interrupted}"
    );
    if restarted.addr == addr {
        assert_eq!(
            interrupted.code, 0,
            "the apply retried its way through the restart\n{interrupted}"
        );
    }
    apply_until_done(&restarted.url, &ws, 16, 3, &mut log);
    assert_converged(&restarted.url, &ws, &log, LivePasswords::AllSaved);
    restarted.kill();
}

#[test]
fn the_emulator_is_killed_with_operations_in_flight() {
    // A restarted emulator has forgotten the operations under way: their polls answer 404 and
    // their changes were never made. The apply in flight fails those jobs; re-runs finish.
    let ws = Workspace::new(Size::FULL);
    let state_file = ws.dir.path().join("emulator-state.json");
    let any_port: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let emulator = EmulatorProcess::start_with(any_port, &state_file, 0, 100).expect("emulator");
    let addr = emulator.addr;
    let mut log = Log::default();
    let child = Spawned::start(apply_command(&emulator.url, &ws, 8));
    std::thread::sleep(Duration::from_millis(700));
    emulator.kill();
    std::thread::sleep(Duration::from_millis(200));
    let restarted = EmulatorProcess::start_with(addr, &state_file, 0, 100)
        .or_else(|| EmulatorProcess::start_with(any_port, &state_file, 0, 100))
        .expect("restart the emulator");
    let interrupted = child.wait();
    log.record("apply across the restart", &interrupted);
    assert!(
        interrupted.code == 0 || interrupted.code == 1,
        "{interrupted}"
    );
    apply_until_done(&restarted.url, &ws, 32, 4, &mut log);
    assert_converged(&restarted.url, &ws, &log, LivePasswords::AllSaved);
    restarted.kill();
}

#[test]
fn scopeform_is_killed_mid_apply() {
    let emulator = Emulator::with(|o| o.latency = Duration::from_millis(10));
    let ws = Workspace::new(Size::FULL);
    let mut log = Log::default();
    // Kill points: during the first reads, among the scope maps, among tokens and rotations.
    for (round, kill_after_ms) in [60, 300, 700, 500].into_iter().enumerate() {
        let child = Spawned::start(apply_command(emulator.url(), &ws, 4));
        std::thread::sleep(Duration::from_millis(kill_after_ms));
        let killed = child.kill();
        log.record(
            &format!("killed after {kill_after_ms} ms (round {round})"),
            &killed,
        );
        // Whatever a killed apply reported done must already be in the secrets file.
        if !rotations_done(&killed.stdout).is_empty() {
            let secrets: Value =
                serde_json::from_str(&std::fs::read_to_string(&ws.secrets).expect("secrets"))
                    .expect("secrets JSON");
            for (token, slot) in rotations_done(&killed.stdout) {
                assert!(
                    secrets[&token][&slot]["value"].is_string(),
                    "{token}.{slot} reported done before it was saved\n{log}"
                );
            }
        }
    }
    apply_until_done(emulator.url(), &ws, 16, 3, &mut log);
    assert_converged(emulator.url(), &ws, &log, LivePasswords::MayBeUnsaved);
    // The secrets file never had a sibling temporary left readable by others.
    assert_private_directory(ws.dir.path());
}

/// No file in `dir` other than the configuration is readable by group or others.
fn assert_private_directory(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in std::fs::read_dir(dir).expect("read dir") {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == "config.yaml" {
                continue;
            }
            let mode = entry.metadata().expect("metadata").permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{name} has mode {mode:o}");
        }
    }
}

/// Regression: a `generateCredentials` operation that ended `Failed` answers every `Location`
/// poll with its 500; scopeform retried those polls for over a minute per password.
#[test]
fn a_failed_password_operation_fails_fast_and_a_re_run_finishes_it() {
    let emulator = Emulator::with(|o| {
        o.async_ops = true;
        o.async_delay = Duration::from_millis(5);
        // The token's creation is operation 1 and succeeds; the password's is 2 and fails.
        o.fail_async_every = Some(2);
    });
    let dir = config_dir(&[(
        "config.yaml",
        &format!(
            "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\ntokens:\n  ci-push:\n    scope_map: _repositories_push\n    passwords:\n      password1: {{ expires_in: 30d }}\n"
        ),
    )]);
    let ws = Workspace {
        secrets: dir.path().join("secrets.json"),
        dir,
        size: Size {
            objects: 0,
            with_password1: 0,
            with_password2: 0,
        },
    };
    let failed = run(apply_command(emulator.url(), &ws, 4));
    assert_eq!(failed.code, 1, "{failed}");
    assert!(
        failed
            .stdout
            .contains("token.ci-push.password1 rotate: FAILED: gave up after 3 attempts"),
        "{failed}"
    );
    let finished = run(apply_command(emulator.url(), &ws, 4));
    assert_eq!(finished.code, 0, "{finished}");
    assert_eq!(rotations_done(&finished.stdout).len(), 1, "{finished}");
}
