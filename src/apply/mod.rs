//! Carrying a plan out: a dependency-ordered, bounded-concurrency executor, and the secrets
//! file that receives every generated password before the change counts as done.

mod executor;
mod job;
mod secrets_file;

pub use executor::{ApplyEvent, ApplyReport, JobOutcome, execute};
pub use job::{Job, WriteTarget};
pub use secrets_file::{SecretsFile, SecretsFileError};
