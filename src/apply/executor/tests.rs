use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

use super::*;
use crate::apply::Expected;
use crate::apply::password_sink::SinkError;
use crate::model::{
    LivePassword, LiveToken, PasswordSlot, Secret, TokenName, TokenStatus, WriteOp,
};

/// Records the order of writes and the peak concurrency; fails the ops it is told to. Its
/// registry holds the tokens `read_token` answers with.
struct Recorder {
    log: Mutex<Vec<String>>,
    tokens: Mutex<Vec<LiveToken>>,
    fail: BTreeSet<String>,
    /// Ops that fail in a way that stops the apply.
    stop: BTreeSet<String>,
    current: AtomicUsize,
    peak: AtomicUsize,
}

impl Recorder {
    fn new(fail: &[&str]) -> Arc<Self> {
        Arc::new(Self {
            log: Mutex::new(Vec::new()),
            tokens: Mutex::new(Vec::new()),
            fail: fail.iter().map(|s| (*s).to_owned()).collect(),
            stop: BTreeSet::new(),
            current: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        })
    }
}

fn name_of(op: &WriteOp) -> String {
    match op {
        WriteOp::DeleteScopeMap { name } => name.to_string(),
        WriteOp::DeleteToken { name } => name.to_string(),
        WriteOp::GeneratePassword { token, .. } => format!("{token}.password"),
        other => format!("{other:?}"),
    }
}

impl WriteTarget for Recorder {
    async fn write(
        &self,
        op: &WriteOp,
        _slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, WriteFailure> {
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.current.fetch_sub(1, Ordering::SeqCst);
        let name = name_of(op);
        self.log.lock().unwrap().push(name.clone());
        if self.fail.contains(&name) {
            return Err(format!("{name} refused").into());
        }
        if self.stop.contains(&name) {
            return Err(WriteFailure {
                message: format!("{name} throttled for an hour"),
                stops_apply: true,
                not_sent: false,
                retryable: true,
                code: Some("TooManyRequests".to_owned()),
            });
        }
        Ok(op.generated_password(|| Secret::new("fake-value".into()), None))
    }

    async fn read_token(&self, name: &TokenName) -> Result<Option<LiveToken>, WriteFailure> {
        self.log.lock().unwrap().push(format!("read {name}"));
        if self.fail.contains(&format!("read {name}")) {
            return Err(WriteFailure {
                retryable: true,
                code: Some("ServiceUnavailable".to_owned()),
                ..WriteFailure::from(format!("reading {name} failed"))
            });
        }
        let tokens = self.tokens.lock().unwrap();
        Ok(tokens.iter().find(|t| &t.name == name).cloned())
    }
}

/// A secrets file in memory: logs into the recorder's log, fails what it is told to.
struct Sink {
    target: Arc<Recorder>,
    fail_start: Option<&'static str>,
    fail_save: Option<&'static str>,
    /// Key Vault refuses the password (503), as a sink of its kind says.
    fail_save_in_key_vault: bool,
}

impl Sink {
    fn new(target: &Arc<Recorder>) -> Self {
        Self {
            target: Arc::clone(target),
            fail_start: None,
            fail_save: None,
            fail_save_in_key_vault: false,
        }
    }
}

impl PasswordSink for Sink {
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), SinkError> {
        self.target
            .log
            .lock()
            .unwrap()
            .push(format!("starting {token}.{slot}"));
        self.fail_start.map_or(Ok(()), |e| Err(file_error(e)))
    }

    async fn save(&mut self, password: &GeneratedPassword) -> Result<(), SinkError> {
        self.target
            .log
            .lock()
            .unwrap()
            .push(format!("saved {}.{}", password.token, password.slot));
        if self.fail_save_in_key_vault {
            return Err(SinkError {
                sink: crate::apply::SinkKind::KeyVault,
                message: "Key Vault answered 503 ServiceUnavailable: down".to_owned(),
                code: Some("ServiceUnavailable".to_owned()),
                retryable: true,
            });
        }
        self.fail_save.map_or(Ok(()), |e| Err(file_error(e)))
    }
}

fn file_error(message: &str) -> SinkError {
    SinkError {
        sink: crate::apply::SinkKind::SecretsFile,
        message: message.to_owned(),
        code: None,
        retryable: false,
    }
}

fn rotate(token: &str, depends_on: &[usize]) -> Job {
    Job {
        address: crate::plan::Address::Password(
            token.parse().expect("token"),
            PasswordSlot::Password1,
        ),
        kind: crate::plan::ChangeKind::Rotate,
        op: WriteOp::GeneratePassword {
            token: token.parse().unwrap(),
            slot: PasswordSlot::Password1,
            expiry: None,
        },
        depends_on: depends_on.to_vec(),
        expect: None,
    }
}

fn delete(name: &str, depends_on: &[usize]) -> Job {
    Job {
        address: crate::plan::Address::Token(name.parse().expect("token")),
        kind: crate::plan::ChangeKind::Delete,
        op: WriteOp::DeleteToken {
            name: name.parse().unwrap(),
        },
        depends_on: depends_on.to_vec(),
        expect: None,
    }
}

fn run(jobs: &[Job], target: &Arc<Recorder>, parallelism: usize) -> ApplyReport {
    run_with(jobs, target, parallelism, &mut Sink::new(target))
}

fn run_with(
    jobs: &[Job],
    target: &Arc<Recorder>,
    parallelism: usize,
    sink: &mut Sink,
) -> ApplyReport {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(execute(
        jobs,
        Arc::clone(target),
        parallelism,
        Arc::new(AtomicBool::new(false)),
        sink,
        |_| {},
    ))
}

#[test]
fn dependencies_run_first() {
    let jobs = [
        delete("third", &[1]),
        delete("second", &[2]),
        delete("first", &[]),
    ];
    let target = Recorder::new(&[]);
    let report = run(&jobs, &target, 10);
    assert!(report.is_complete());
    assert_eq!(*target.log.lock().unwrap(), ["first", "second", "third"]);
}

#[test]
fn parallelism_is_bounded_and_used() {
    let jobs: Vec<Job> = (0..20)
        .map(|i| delete(&format!("token{i:02}"), &[]))
        .collect();
    let target = Recorder::new(&[]);
    let report = run(&jobs, &target, 4);
    assert_eq!(report.succeeded(), 20);
    assert_eq!(target.peak.load(Ordering::SeqCst), 4);
}

#[test]
fn a_failure_skips_its_dependents_only() {
    let jobs = [
        delete("base1", &[]),
        delete("child1", &[0]),
        delete("grandchild", &[1]),
        delete("other", &[]),
    ];
    let target = Recorder::new(&["base1"]);
    let report = run(&jobs, &target, 2);
    assert_eq!(
        report.outcomes,
        [
            JobOutcome::Failed("base1 refused".into()),
            JobOutcome::Skipped,
            JobOutcome::Skipped,
            JobOutcome::Succeeded
        ]
    );
}

#[test]
fn a_rotation_is_recorded_before_it_is_requested_and_saved_after() {
    let target = Recorder::new(&[]);
    let report = run(&[rotate("ci-token", &[])], &target, 1);
    assert!(report.is_complete());
    assert_eq!(
        *target.log.lock().unwrap(),
        [
            "starting ci-token.password1",
            "ci-token.password",
            "saved ci-token.password1"
        ]
    );
}

#[test]
fn an_unsaved_password_fails_its_job() {
    let target = Recorder::new(&[]);
    let mut sink = Sink {
        fail_save: Some("disk full"),
        ..Sink::new(&target)
    };
    let report = run_with(&[rotate("ci-token", &[])], &target, 1, &mut sink);
    assert_eq!(
        report.outcomes,
        [JobOutcome::Failed(JobFailure {
            sink: Some(crate::apply::SinkKind::SecretsFile),
            ..JobFailure::from(
                "the password was generated but could not be saved to the secrets file: disk full"
            )
        })]
    );
}

/// Issue 16: a failed job says, typed, which sink failed, whether trying again could help, and
/// the service's code; for Key Vault, that the next apply puts it right.
#[test]
fn a_password_key_vault_refuses_fails_its_job_with_the_sink_and_code() {
    let target = Recorder::new(&[]);
    let mut sink = Sink {
        fail_save_in_key_vault: true,
        ..Sink::new(&target)
    };
    let report = run_with(&[rotate("ci-token", &[])], &target, 1, &mut sink);
    assert_eq!(
        report.outcomes,
        [JobOutcome::Failed(JobFailure {
            message: "the password was generated but could not be saved to Key Vault: Key Vault \
                      answered 503 ServiceUnavailable: down; the next apply finds it missing \
                      there and rotates it again"
                .into(),
            retryable: true,
            code: Some("ServiceUnavailable".to_owned()),
            sink: Some(crate::apply::SinkKind::KeyVault),
        })]
    );
}

#[test]
fn a_rotation_that_cannot_be_recorded_is_not_requested() {
    let target = Recorder::new(&[]);
    let mut sink = Sink {
        fail_start: Some("disk full"),
        ..Sink::new(&target)
    };
    let jobs = [
        rotate("ci-token", &[]),
        delete("after", &[0]),
        delete("other", &[]),
    ];
    let report = run_with(&jobs, &target, 1, &mut sink);
    assert_eq!(
        report.outcomes,
        [
            JobOutcome::Failed(
                "the rotation could not be recorded in the secrets file, so it was not requested: disk full"
                    .into()
            ),
            JobOutcome::Skipped,
            JobOutcome::Succeeded,
        ]
    );
    assert_eq!(
        *target.log.lock().unwrap(),
        ["starting ci-token.password1", "other"]
    );
}

#[test]
fn a_raised_stop_starts_nothing() {
    let jobs = [delete("first", &[]), delete("second", &[])];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let target = Recorder::new(&[]);
    let report = runtime.block_on(execute(
        &jobs,
        Arc::clone(&target),
        1,
        Arc::new(AtomicBool::new(true)),
        &mut Sink::new(&target),
        |_| {},
    ));
    assert!(report.interrupted);
    assert_eq!(report.skipped(), 2);
}

/// `ci-token` with `password1` created at `created`.
fn token_with_password(created: &str) -> LiveToken {
    LiveToken {
        name: "ci-token".parse().unwrap(),
        scope_map: "_repositories_push".parse().unwrap(),
        status: TokenStatus::Enabled,
        passwords: vec![LivePassword {
            name: PasswordSlot::Password1,
            creation_time: Some(created.parse().unwrap()),
            expiry: None,
        }],
        provisioning_state: crate::model::ProvisioningState::Succeeded,
    }
}

#[test]
fn a_rotation_whose_slot_changed_since_the_plan_is_a_conflict_and_never_sent() {
    // The plan saw password1 created on May 1st; another apply rotated it since.
    let planned = token_with_password("2026-05-01T00:00:00Z");
    let target = Recorder::new(&[]);
    target
        .tokens
        .lock()
        .unwrap()
        .push(token_with_password("2026-05-20T10:00:00Z"));
    let mut job = rotate("ci-token", &[]);
    job.expect = Some(Expected::Password {
        token: planned.name.clone(),
        slot: PasswordSlot::Password1,
        was: planned.passwords.first().copied(),
    });
    let jobs = [job, delete("after", &[0]), delete("other", &[])];
    let report = run(&jobs, &target, 1);
    assert_eq!(
        report.outcomes,
        [
            JobOutcome::Conflict(
                "password1 of token `ci-token` changed in the registry since the plan was made \
                 (planned: created 2026-05-01T00:00:00Z; now: created 2026-05-20T10:00:00Z); \
                 another apply may have rotated it"
                    .into()
            ),
            JobOutcome::Skipped,
            JobOutcome::Succeeded,
        ]
    );
    assert_eq!(report.conflicts(), 1);
    // Checked, then neither recorded in the secrets file nor requested.
    assert_eq!(*target.log.lock().unwrap(), ["read ci-token", "other"]);
}

#[test]
fn a_confirmed_rotation_is_checked_then_recorded_then_requested() {
    let planned = token_with_password("2026-05-01T00:00:00Z");
    let target = Recorder::new(&[]);
    target.tokens.lock().unwrap().push(planned.clone());
    let mut job = rotate("ci-token", &[]);
    job.expect = Some(Expected::Password {
        token: planned.name.clone(),
        slot: PasswordSlot::Password1,
        was: planned.passwords.first().copied(),
    });
    let report = run(&[job], &target, 1);
    assert!(report.is_complete());
    assert_eq!(
        *target.log.lock().unwrap(),
        [
            "read ci-token",
            "starting ci-token.password1",
            "ci-token.password",
            "saved ci-token.password1"
        ]
    );
}

#[test]
fn a_delete_of_a_token_changed_since_the_plan_is_a_conflict() {
    let target = Recorder::new(&[]);
    let mut changed = token_with_password("2026-05-01T00:00:00Z");
    changed.status = TokenStatus::Disabled;
    target.tokens.lock().unwrap().push(changed);
    let mut job = delete("ci-token", &[]);
    job.expect = Some(Expected::Token {
        name: "ci-token".parse().unwrap(),
        was: Some(token_with_password("2026-05-01T00:00:00Z")),
    });
    let report = run(&[job], &target, 1);
    assert!(matches!(&report.outcomes[..], [JobOutcome::Conflict(_)]));
    assert_eq!(*target.log.lock().unwrap(), ["read ci-token"]);
}

#[test]
fn a_confirming_read_that_fails_keeps_its_code_and_sends_nothing() {
    let target = Recorder::new(&["read ci-token"]);
    target
        .tokens
        .lock()
        .unwrap()
        .push(token_with_password("2026-05-01T00:00:00Z"));
    let mut job = delete("ci-token", &[]);
    job.expect = Some(Expected::Token {
        name: "ci-token".parse().unwrap(),
        was: Some(token_with_password("2026-05-01T00:00:00Z")),
    });
    let report = run(&[job], &target, 1);
    assert_eq!(
        report.outcomes,
        [JobOutcome::Failed(JobFailure {
            retryable: true,
            code: Some("ServiceUnavailable".to_owned()),
            ..JobFailure::from(
                "could not confirm that the registry still holds what the plan saw, so nothing \
                 was sent: reading ci-token failed"
            )
        })]
    );
    assert_eq!(*target.log.lock().unwrap(), ["read ci-token"]);
}

#[test]
fn a_write_that_stops_the_apply_lets_nothing_new_start() {
    let recorder = Recorder {
        log: Mutex::new(Vec::new()),
        tokens: Mutex::new(Vec::new()),
        fail: BTreeSet::new(),
        stop: BTreeSet::from(["second".to_owned()]),
        current: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
    };
    let target = Arc::new(recorder);
    let jobs = [
        delete("first", &[]),
        delete("second", &[]),
        delete("third", &[]),
        delete("fourth", &[]),
    ];
    let report = run(&jobs, &target, 1);
    assert_eq!(
        report.outcomes,
        [
            JobOutcome::Succeeded,
            // Typed: ARM's code and that a later apply could succeed come with it.
            JobOutcome::Failed(JobFailure {
                retryable: true,
                code: Some("TooManyRequests".to_owned()),
                ..JobFailure::from("second throttled for an hour")
            }),
            JobOutcome::Skipped,
            JobOutcome::Skipped,
        ]
    );
    assert_eq!(report.stopped, Some("second throttled for an hour".into()));
    assert_eq!(*target.log.lock().unwrap(), ["first", "second"]);
}

/// Writes that send a request, wait for their operation's next poll, and poll it.
#[derive(Default)]
struct Waiter {
    /// Writes started and not finished, now and at most.
    open: AtomicUsize,
    peak_open: AtomicUsize,
    /// Requests under way, now and at most.
    sending: AtomicUsize,
    peak_sending: AtomicUsize,
}

impl Waiter {
    async fn request(&self) {
        let now = self.sending.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_sending.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(2)).await;
        self.sending.fetch_sub(1, Ordering::SeqCst);
    }
}

impl WriteTarget for Waiter {
    async fn write(
        &self,
        _op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, WriteFailure> {
        let now = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_open.fetch_max(now, Ordering::SeqCst);
        self.request().await;
        // `Retry-After`: the slot is free meanwhile.
        slot.idle(Duration::from_millis(200)).await;
        self.request().await;
        self.open.fetch_sub(1, Ordering::SeqCst);
        Ok(None)
    }

    async fn read_token(&self, _name: &TokenName) -> Result<Option<LiveToken>, WriteFailure> {
        Ok(None)
    }
}

#[test]
fn writes_waiting_to_poll_give_their_slot_to_others() {
    let jobs: Vec<Job> = (0..10)
        .map(|i| delete(&format!("token{i:02}"), &[]))
        .collect();
    let target = Arc::new(Waiter::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime.block_on(execute(
        &jobs,
        Arc::clone(&target),
        2,
        Arc::new(AtomicBool::new(false)),
        &mut Sink::new(&Recorder::new(&[])),
        |_| {},
    ));
    assert!(report.is_complete());
    assert!(target.peak_sending.load(Ordering::SeqCst) <= 2);
    assert!(
        target.peak_open.load(Ordering::SeqCst) > 2,
        "{} writes open at most",
        target.peak_open.load(Ordering::SeqCst)
    );
}
