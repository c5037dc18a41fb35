//! End-to-end test support: an emulated registry on a loopback port, and the real `scopeform`
//! binary run against it, with stdout, stderr and exit status captured together.

pub mod hostile;
pub mod spawned;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
pub const RESOURCE_GROUP: &str = "myresourcegroup";
pub const REGISTRY: &str = "myregistry";
/// An obviously fake bearer token; tests check it never reaches output.
pub const FAKE_TOKEN: &str = "fake-bearer-token-for-tests-0000";

/// A running emulator with one Premium registry.
pub struct Emulator {
    handle: acr_emulator::Handle,
}

impl Emulator {
    pub fn start() -> Self {
        Self::with(|_| {})
    }

    pub fn with(configure: impl FnOnce(&mut acr_emulator::Options)) -> Self {
        let mut options = acr_emulator::Options::default();
        options.registries.push(
            format!("{SUBSCRIPTION}/{RESOURCE_GROUP}/{REGISTRY}")
                .parse()
                .expect("registry spec"),
        );
        options.token = Some(FAKE_TOKEN.to_owned());
        // Real Azure answers deletes with `Retry-After: 10`; tests that are not about that wait
        // as long as the emulator's operations take.
        options.delete_retry_after = std::time::Duration::ZERO;
        configure(&mut options);
        Self {
            handle: acr_emulator::spawn(options).expect("start the emulator"),
        }
    }

    pub fn url(&self) -> &str {
        self.handle.url()
    }

    /// `GET /_emulator/state`: the emulator's whole state.
    pub fn state(&self) -> serde_json::Value {
        reqwest::blocking::get(format!("{}/_emulator/state", self.url()))
            .and_then(reqwest::blocking::Response::json)
            .expect("read emulator state")
    }

    /// The emulated registry's part of the state.
    pub fn registry(&self) -> serde_json::Value {
        self.state()["registries"][0].clone()
    }

    /// An ARM request straight to the emulator, as someone working behind the configuration's
    /// back would make with `az`, which also waits for a long-running operation to end (real
    /// Azure answers most writes before they are done).
    pub fn arm(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let (status, headers, body) = self.arm_request(method, path, body);
        let operation = headers
            .get("azure-asyncoperation")
            .or_else(|| (status == 202).then(|| headers.get("location")).flatten())
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(url) = operation {
            Self::wait_for_operation(&url);
        }
        (status, body)
    }

    /// Like `arm`, without waiting for the operation it starts.
    pub fn arm_nowait(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let (status, _, body) = self.arm_request(method, path, body);
        (status, body)
    }

    /// Polls an operation (either kind) until it has ended, for at most 10 s.
    fn wait_for_operation(url: &str) {
        let client = reqwest::blocking::Client::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let response = client
                .get(url)
                .bearer_auth(FAKE_TOKEN)
                .send()
                .expect("poll");
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().unwrap_or(serde_json::Value::Null);
            let running = status == 202
                || matches!(
                    body["status"].as_str(),
                    Some("Creating" | "Updating" | "Deleting" | "InProgress")
                );
            if !running {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{url} never ended");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    fn arm_request(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
        let url = format!(
            "{}/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}{path}?api-version=2025-11-01",
            self.url()
        );
        let client = reqwest::blocking::Client::new();
        let mut request = client
            .request(method.parse().expect("method"), url)
            .bearer_auth(FAKE_TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().expect("ARM request");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().unwrap_or_default();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Waits (at most 10 s) until the object at `path` is settled or gone: real Azure
    /// answers most writes before they are done.
    pub fn wait_settled(&self, path: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (status, body) = self.arm("GET", path, None);
            let state = &body["properties"]["provisioningState"];
            if status == 404
                || !matches!(state.as_str(), Some("Creating" | "Updating" | "Deleting"))
            {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "{path} never settled");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Applies `files` as a whole configuration, unattended, and expects it to succeed: the
    /// registry a test starts from. Returns the configuration's directory.
    pub fn apply_config(&self, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = config_dir(files);
        self.scopeform()
            .args(["apply", "--auto-approve"])
            .arg_path(dir.path())
            .run()
            .expect_code(0);
        dir
    }

    /// `scopeform` pointed at this emulator with the fake token.
    pub fn scopeform(&self) -> Scopeform {
        scopeform()
            .env("SCOPEFORM_ARM_ENDPOINT", self.url())
            .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
    }
}

/// A `scopeform` invocation being built.
pub struct Scopeform {
    command: Command,
}

pub fn scopeform() -> Scopeform {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scopeform"));
    // A clean environment: no ambient Azure credentials, no colour.
    for var in [
        "SCOPEFORM_ARM_TOKEN",
        "SCOPEFORM_ARM_ENDPOINT",
        "SCOPEFORM_KEYVAULT_TOKEN",
        "SCOPEFORM_KEYVAULT_ENDPOINT",
        "SCOPEFORM_CLOUD",
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_FEDERATED_TOKEN_FILE",
        "CLICOLOR_FORCE",
    ] {
        command.env_remove(var);
    }
    command.env("NO_COLOR", "1").stdin(Stdio::null());
    Scopeform { command }
}

impl Scopeform {
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn arg_path(mut self, path: impl AsRef<Path>) -> Self {
        self.command.arg(path.as_ref());
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// The command as built, for a test that runs it its own way.
    pub fn into_command(self) -> Command {
        self.command
    }

    pub fn run(mut self) -> Run {
        let output = self.command.output().expect("run scopeform");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// What a run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the exit status is `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(self.code, code, "unexpected exit status\n{self}");
        self
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The repository root, for paths to `examples/`.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `files` into a fresh temporary directory.
pub fn config_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write config");
    }
    dir
}

/// Runs `git ARGS` in `dir`, away from the user's and the system's git configuration; panics if
/// it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_SYSTEM", "/dev/null")
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?}");
}
