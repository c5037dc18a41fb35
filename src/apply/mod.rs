//! Carrying a plan out: a dependency-ordered, bounded-concurrency executor, and the secrets
//! file that records every rotation before it is requested and receives every generated
//! password before the change counts as done. Every write to a token first confirms that the
//! token is still what the plan saw (`Expected`): an apply whose plan went stale leaves it alone
//! rather than undo another apply's work (SECURITY.md names the short window that remains).

mod executor;
mod expected;
mod job;
mod password_sink;
mod safety;
mod secrets_file;

pub(crate) use executor::{ApplyEvent, ApplyReport, JobOutcome, execute};
pub(crate) use expected::Expected;
pub(crate) use job::{Job, WriteFailure, WriteTarget};
pub(crate) use password_sink::{KeyVaultSink, PasswordSink, SinkKind, Sinks, Undelivered};
pub(crate) use safety::{
    check_saved_plan_rotates, check_sinks, generated_passwords, plan_rotates, settle_interrupted,
};
pub(crate) use secrets_file::{SecretsFile, SecretsFileError};
