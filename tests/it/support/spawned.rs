//! A `scopeform` process to stop, continue and kill at chosen moments, for the tests of what
//! an interrupted apply leaves behind.

use std::process::{Child, Command};
use std::time::Duration;

use super::Run;

/// A `scopeform` process whose output goes to files, so it never blocks on a full pipe
/// (250 progress lines and the plan before them are far more than a pipe holds).
pub struct Spawned {
    child: Child,
    stdout: tempfile::NamedTempFile,
    stderr: tempfile::NamedTempFile,
}

impl Spawned {
    pub fn start(mut command: Command) -> Self {
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

    /// What it has printed on stdout so far.
    pub fn stdout_so_far(&self) -> String {
        std::fs::read_to_string(self.stdout.path()).unwrap_or_default()
    }

    /// Polls until `ready` holds; false when scopeform exited first. `ready` is given what
    /// scopeform printed so far.
    pub fn wait_until(&mut self, mut ready: impl FnMut(&str) -> bool) -> bool {
        loop {
            if ready(&self.stdout_so_far()) {
                return true;
            }
            if self.child.try_wait().expect("poll scopeform").is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Polls until `ready` holds while the process is stopped (SIGSTOP), so that what `ready`
    /// saw cannot change on scopeform's side: it sends, fetches and saves nothing until it is
    /// continued. Returns true with the process still stopped (continue or kill it), false
    /// when scopeform exited first.
    pub fn stop_when(&mut self, mut ready: impl FnMut() -> bool) -> bool {
        loop {
            if self.child.try_wait().expect("poll scopeform").is_some() {
                return false;
            }
            self.signal("-STOP");
            if ready() {
                return true;
            }
            self.signal("-CONT");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {signal} failed");
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then what it had printed. A process that
    /// already exited is only reaped.
    pub fn kill(mut self) -> Run {
        if self.child.try_wait().expect("poll scopeform").is_none() {
            self.child.kill().expect("kill scopeform");
        }
        self.wait()
    }

    pub fn wait(mut self) -> Run {
        let status = self.child.wait().expect("reap scopeform");
        Run {
            code: status.code().unwrap_or(-9),
            stdout: std::fs::read_to_string(self.stdout.path()).unwrap_or_default(),
            stderr: std::fs::read_to_string(self.stderr.path()).unwrap_or_default(),
        }
    }
}

/// A test that fails midway leaves no scopeform behind, stopped or running.
impl Drop for Spawned {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
