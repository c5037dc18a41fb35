//! One unit of work for the executor, and what it writes to.

use std::future::Future;

use super::Expected;
use crate::live::WriteSlot;
use crate::model::{GeneratedPassword, LiveToken, TokenName, WriteOp};

/// A write to perform once every job it depends on has succeeded.
#[derive(Debug, Clone)]
pub struct Job {
    /// How the change is named to the user, such as `token.ci-push`.
    pub label: String,
    /// What is being done, such as `create`.
    pub action: String,
    pub op: WriteOp,
    /// Indices of jobs that must succeed first.
    pub depends_on: Vec<usize>,
    /// What the registry must still hold just before the write is sent (token writes): read
    /// again then, and the write is skipped as a conflict when it differs.
    pub expect: Option<Expected>,
}

/// Something that performs writes: the ARM client or the snapshot file.
pub trait WriteTarget: Send + Sync + 'static {
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
    ) -> impl Future<Output = Result<Option<LiveToken>, String>> + Send;
}

/// Why a write failed, and what that means for the writes after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailure {
    pub message: String,
    /// No further write is to be started: ARM throttled writes for longer than the apply
    /// waits, so each would only wait or be refused.
    pub stops_apply: bool,
    /// The write was never sent (held back by such a stop): its job did not start.
    pub not_sent: bool,
}

impl From<String> for WriteFailure {
    fn from(message: String) -> Self {
        Self {
            message,
            stops_apply: false,
            not_sent: false,
        }
    }
}
