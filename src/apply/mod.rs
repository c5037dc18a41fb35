//! Carrying a plan out: a dependency-ordered, bounded-concurrency executor, and the secrets
//! file that records every rotation before it is requested and receives every generated
//! password before the change counts as done. Every write to a token first confirms that the
//! token is still what the plan saw (`Expected`): an apply whose plan went stale leaves it alone
//! rather than undo another apply's work (SECURITY.md names the short window that remains).

mod executor;
mod expected;
mod job;
mod password_sink;
mod secrets_file;

pub use executor::{ApplyEvent, ApplyReport, JobOutcome, execute};
pub use expected::Expected;
pub use job::{Job, WriteFailure, WriteTarget};
pub use password_sink::PasswordSink;
pub use secrets_file::{SecretsFile, SecretsFileError};
