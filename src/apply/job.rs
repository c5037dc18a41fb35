//! One unit of work for the executor, and what it writes to.

use std::future::Future;

use super::Expected;
use crate::live::WriteSlot;
use crate::model::{GeneratedPassword, Live, LiveToken, TokenName, WriteOp};
use crate::plan::{Address, Change, ChangeKind};

/// A write to perform once every job it depends on has succeeded.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The object changed, such as `token.ci-push`.
    pub address: Address,
    /// What is being done, such as `create`.
    pub kind: ChangeKind,
    pub op: WriteOp,
    /// Indices of jobs that must succeed first.
    pub depends_on: Vec<usize>,
    /// What the registry must still hold just before the write is sent (token writes): read
    /// again then, and the write is skipped as a conflict when it differs.
    pub expect: Option<Expected>,
}

impl Job {
    /// The job that carries out `change` of a plan made against `live`.
    pub(crate) fn for_change(change: &Change, live: &Live) -> Self {
        Self {
            address: change.address.clone(),
            kind: change.kind,
            op: change.op.clone(),
            depends_on: change.depends_on.clone(),
            // Confirmed just before the write: another apply may have got there first.
            expect: Expected::of(&change.op, live),
        }
    }
}

/// Something that performs writes: the ARM client or the snapshot file.
pub(crate) trait WriteTarget: Send + Sync + 'static {
    /// Performs `op`, holding `slot` (one of `--parallelism`) except while it only waits.
    fn write(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> impl Future<Output = Result<Option<GeneratedPassword>, WriteFailure>> + Send;

    /// One token as the registry holds it now; `None` when it does not exist.
    fn read_token(
        &self,
        name: &TokenName,
    ) -> impl Future<Output = Result<Option<LiveToken>, WriteFailure>> + Send;
}

/// Why a write failed, and what that means for the writes after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WriteFailure {
    pub message: String,
    /// No further write is to be started: ARM throttled writes for longer than the apply
    /// waits, so each would only wait or be refused.
    pub stops_apply: bool,
    /// The write was never sent (held back by such a stop): its job did not start.
    pub not_sent: bool,
    /// Whether trying again later could succeed (no answer, 429, 5xx).
    pub retryable: bool,
    /// ARM's error code, when it sent one (`AuthorizationFailed`, …).
    pub code: Option<String>,
}

impl From<crate::live::LiveError> for WriteFailure {
    fn from(err: crate::live::LiveError) -> Self {
        Self {
            stops_apply: err.stops_writes(),
            not_sent: err.was_not_sent(),
            retryable: err.is_retryable(),
            code: match &err {
                crate::live::LiveError::Arm { error, .. } => Some(error.code.clone()),
                _ => None,
            },
            message: err.to_string(),
        }
    }
}

impl From<String> for WriteFailure {
    fn from(message: String) -> Self {
        Self {
            message,
            stops_apply: false,
            not_sent: false,
            retryable: false,
            code: None,
        }
    }
}
