//! One unit of work for the executor, and what it writes to.

use std::future::Future;

use super::Expected;
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
    fn write(
        &self,
        op: &WriteOp,
    ) -> impl Future<Output = Result<Option<GeneratedPassword>, String>> + Send;

    /// One token as the registry holds it now; `None` when it does not exist.
    fn read_token(
        &self,
        name: &TokenName,
    ) -> impl Future<Output = Result<Option<LiveToken>, String>> + Send;
}
