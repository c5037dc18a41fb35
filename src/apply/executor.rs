//! Runs jobs in dependency order with at most `parallelism` writes in flight. A write that only
//! waits for its long-running operation's next poll (ARM asks for `Retry-After: 10` on every
//! token delete) hands its slot to the next job meanwhile (`WriteSlot`), so 100 deletes wait
//! their ten seconds side by side.
//!
//! On a failure it starts nothing that depends on the failed job (directly or not), lets the
//! jobs in flight finish, and goes on with the independent ones. When `stop` is raised
//! (Ctrl-C), or a write fails in a way that stops the apply (ARM throttling writes for longer
//! than the apply waits), it starts nothing new and waits for what is in flight. A job that
//! expects the
//! registry to hold something (`Job::expect`, token writes) first reads it again, and is a
//! conflict, never sent, when it differs. A rotation is announced to the `PasswordSink` (the
//! secrets file) after that check and before its request is sent, and the generated password is
//! handed to it before the job counts as succeeded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::{Job, PasswordSink, SinkKind, WriteFailure, WriteTarget};
use crate::live::WriteSlot;
use crate::model::{GeneratedPassword, WriteOp};
use crate::render::Untrusted;

/// Why a job failed, typed: what was said (quoting ARM or Key Vault: printed only escaped),
/// whether trying again could succeed, the service's error code, and which password sink
/// failed when one did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JobFailure {
    pub message: Untrusted,
    pub retryable: bool,
    pub code: Option<String>,
    /// The sink that refused the rotation or the password; `None` for a failed write.
    pub sink: Option<SinkKind>,
}

impl JobFailure {
    /// For a terminal or a log, escaped.
    pub(crate) fn terminal(&self) -> crate::render::untrusted::Terminal<'_> {
        self.message.terminal()
    }
}

impl From<String> for JobFailure {
    fn from(message: String) -> Self {
        Self {
            message: message.into(),
            retryable: false,
            code: None,
            sink: None,
        }
    }
}

impl From<&str> for JobFailure {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

/// How one job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JobOutcome {
    Succeeded,
    /// What went wrong.
    Failed(JobFailure),
    /// Not sent: the registry no longer held what the plan saw (another apply, or someone,
    /// changed it since). Quotes what the registry holds: printed only escaped.
    Conflict(Untrusted),
    /// Not started: a job it depends on failed, or the apply was interrupted or stopped.
    Skipped,
}

/// Progress, for the caller to show.
#[derive(Debug)]
pub(crate) enum ApplyEvent<'a> {
    Started {
        job: &'a Job,
    },
    Finished {
        job: &'a Job,
        outcome: &'a JobOutcome,
        elapsed: Duration,
        done: usize,
        total: usize,
    },
}

/// The outcome of every job, in job order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApplyReport {
    pub outcomes: Vec<JobOutcome>,
    pub interrupted: bool,
    /// Why the apply stopped starting writes before the end, if a write said so (quoting ARM:
    /// printed only escaped).
    pub stopped: Option<Untrusted>,
    /// Bugs met on the way (a write task that panicked), for the caller to report: the
    /// library prints nothing.
    pub internal_errors: Vec<String>,
}

impl ApplyReport {
    pub(crate) fn count(&self, wanted: fn(&JobOutcome) -> bool) -> usize {
        self.outcomes.iter().filter(|o| wanted(o)).count()
    }

    pub(crate) fn succeeded(&self) -> usize {
        self.count(|o| matches!(o, JobOutcome::Succeeded))
    }

    pub(crate) fn failed(&self) -> usize {
        self.count(|o| matches!(o, JobOutcome::Failed(_)))
    }

    pub(crate) fn skipped(&self) -> usize {
        self.count(|o| matches!(o, JobOutcome::Skipped))
    }

    pub(crate) fn conflicts(&self) -> usize {
        self.count(|o| matches!(o, JobOutcome::Conflict(_)))
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.succeeded() == self.outcomes.len()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Waiting,
    Running,
    Done,
}

/// What a task of the executor finished: a check of what a job expects, or its write.
enum Step {
    /// `Ok(Some(conflict))`: the registry no longer holds what the plan saw. The slot goes on
    /// to the write.
    Checked(usize, Result<Option<String>, WriteFailure>, WriteSlot),
    /// The slot comes back with the result, and is let go only once the loop has read it: a
    /// write that stops the apply must be seen before its slot can start another.
    Wrote(
        usize,
        Result<Option<GeneratedPassword>, WriteFailure>,
        WriteSlot,
    ),
}

/// Executes `jobs` against `target`. `passwords` must record each rotation before it is sent
/// and persist each password durably; if either fails the job fails, so no password is ever
/// requested unannounced or reported done without being saved.
pub(crate) async fn execute<T: WriteTarget>(
    jobs: &[Job],
    target: Arc<T>,
    parallelism: usize,
    stop: Arc<AtomicBool>,
    passwords: &mut impl PasswordSink,
    mut on_event: impl FnMut(ApplyEvent<'_>),
) -> ApplyReport {
    let parallelism = parallelism.max(1);
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    let mut waiting_on: Vec<usize> = jobs.iter().map(|j| j.depends_on.len()).collect();
    for (index, job) in jobs.iter().enumerate() {
        for &dependency in &job.depends_on {
            dependents[dependency].push(index);
        }
    }
    let mut outcomes: Vec<Option<JobOutcome>> = vec![None; jobs.len()];
    let mut state = vec![State::Waiting; jobs.len()];
    let mut started = vec![Instant::now(); jobs.len()];
    // Ready jobs are started in job order, which the plan made deterministic.
    let mut ready: std::collections::BTreeSet<usize> =
        (0..jobs.len()).filter(|&i| waiting_on[i] == 0).collect();
    let mut in_flight: JoinSet<Step> = JoinSet::new();
    let mut done = 0;
    let mut interrupted = false;
    let mut internal_errors = Vec::new();
    let mut stopped: Option<Untrusted> = None;
    let slots = Arc::new(Semaphore::new(parallelism));

    loop {
        if stop.load(Ordering::SeqCst) {
            interrupted = true;
        }
        while !interrupted && stopped.is_none() && !ready.is_empty() {
            let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
                break;
            };
            let Some(index) = ready.pop_first() else {
                break;
            };
            let slot = WriteSlot::held(Arc::clone(&slots), permit);
            state[index] = State::Running;
            started[index] = Instant::now();
            on_event(ApplyEvent::Started { job: &jobs[index] });
            match &jobs[index].expect {
                Some(expected) => {
                    let (target, expected) = (Arc::clone(&target), expected.clone());
                    in_flight.spawn(async move {
                        let now = target.read_token(expected.token()).await;
                        let conflict = now.map(|now| expected.conflict(now.as_ref()));
                        Step::Checked(index, conflict, slot)
                    });
                }
                None => spawn_write(
                    &mut in_flight,
                    &jobs[index],
                    index,
                    &target,
                    passwords,
                    slot,
                ),
            }
        }
        let joined = if interrupted || stopped.is_some() || ready.is_empty() {
            in_flight.join_next().await
        } else {
            // Jobs are ready but every slot is taken: start one as soon as a write finishes
            // or lets its slot go while it waits.
            tokio::select! {
                // A finished write is read before its freed slot starts another.
                biased;
                joined = in_flight.join_next() => joined,
                permit = Arc::clone(&slots).acquire_owned() => {
                    drop(permit);
                    continue;
                }
            }
        };
        let Some(joined) = joined else {
            break;
        };
        let (index, outcome) = match joined {
            // Confirmed: the write goes out now, in the place (and the slot) the check held.
            Ok(Step::Checked(index, Ok(None), slot)) if !interrupted && stopped.is_none() => {
                spawn_write(
                    &mut in_flight,
                    &jobs[index],
                    index,
                    &target,
                    passwords,
                    slot,
                );
                continue;
            }
            Ok(Step::Checked(index, Ok(None), _)) => (index, JobOutcome::Skipped),
            Ok(Step::Checked(index, Ok(Some(conflict)), _)) => {
                (index, JobOutcome::Conflict(conflict.into()))
            }
            Ok(Step::Checked(index, Err(err), _)) => (
                index,
                JobOutcome::Failed(JobFailure {
                    retryable: err.retryable,
                    code: err.code.clone(),
                    ..format!(
                        "could not confirm that the registry still holds what the plan saw, so \
                         nothing was sent: {}",
                        err.message
                    )
                    .into()
                }),
            ),
            Ok(Step::Wrote(index, result, slot)) => {
                let outcome = wrote(result, passwords, &mut stopped).await;
                // Let go only now that a write that stops the apply has been seen.
                drop(slot);
                (index, outcome)
            }
            // A panicking write is a bug; the job it ran cannot be identified, so stop cleanly.
            Err(err) => {
                interrupted = true;
                internal_errors.push(format!("a write task failed: {err}"));
                continue;
            }
        };
        state[index] = State::Done;
        done += 1;
        if outcome == JobOutcome::Succeeded {
            for &dependent in &dependents[index] {
                waiting_on[dependent] -= 1;
                if waiting_on[dependent] == 0 && state[dependent] == State::Waiting {
                    ready.insert(dependent);
                }
            }
        }
        on_event(ApplyEvent::Finished {
            job: &jobs[index],
            outcome: &outcome,
            elapsed: started[index].elapsed(),
            done,
            total: jobs.len(),
        });
        outcomes[index] = Some(outcome);
    }
    ApplyReport {
        outcomes: outcomes
            .into_iter()
            .map(|o| o.unwrap_or(JobOutcome::Skipped))
            .collect(),
        interrupted,
        stopped,
        internal_errors,
    }
}

/// The outcome of a write that was sent (or failed to be); a failure that stops the apply is
/// noted in `stopped`.
async fn wrote(
    result: Result<Option<GeneratedPassword>, WriteFailure>,
    passwords: &mut impl PasswordSink,
    stopped: &mut Option<Untrusted>,
) -> JobOutcome {
    match result {
        Ok(Some(password)) => match passwords.save(&password).await {
            Ok(()) => JobOutcome::Succeeded,
            Err(err) => JobOutcome::Failed(JobFailure {
                message: format!(
                    "the password was generated but could not be saved to {}: {err}{}",
                    err.sink,
                    if err.sink == SinkKind::KeyVault {
                        "; the next apply finds it missing there and rotates it again"
                    } else {
                        ""
                    }
                )
                .into(),
                retryable: err.retryable,
                code: err.code,
                sink: Some(err.sink),
            }),
        },
        Ok(None) => JobOutcome::Succeeded,
        Err(failure) => {
            if failure.stops_apply && stopped.is_none() {
                *stopped = Some(failure.message.clone().into());
            }
            if failure.not_sent {
                JobOutcome::Skipped
            } else {
                JobOutcome::Failed(JobFailure {
                    message: failure.message.into(),
                    retryable: failure.retryable,
                    code: failure.code,
                    sink: None,
                })
            }
        }
    }
}

/// Sends the write of job `index`; a rotation is recorded in the secrets file first, and is not
/// sent when that fails.
fn spawn_write<T: WriteTarget>(
    in_flight: &mut JoinSet<Step>,
    job: &Job,
    index: usize,
    target: &Arc<T>,
    passwords: &mut impl PasswordSink,
    mut write_slot: WriteSlot,
) {
    if let WriteOp::GeneratePassword { token, slot, .. } = &job.op
        && let Err(err) = passwords.starting(token, *slot)
    {
        // Nothing was sent: the job fails as if the write had, and the loop goes on.
        let failure = WriteFailure {
            message: format!(
                "the rotation could not be recorded in {}, so it was not requested: {err}",
                err.sink
            ),
            stops_apply: false,
            not_sent: false,
            retryable: err.retryable,
            code: err.code,
        };
        in_flight.spawn(async move { Step::Wrote(index, Err(failure), write_slot) });
        return;
    }
    let target = Arc::clone(target);
    let op = job.op.clone();
    in_flight.spawn(async move {
        let result = target.write(&op, &mut write_slot).await;
        Step::Wrote(index, result, write_slot)
    });
}

#[cfg(test)]
mod tests;
