//! What a command reports back, and the exit status each result maps to.

use std::io::{self, Write};
use std::process::ExitCode;

use super::Context;

/// Exit status for usage errors: never 2, which means "changes".
pub const USAGE: u8 = 64;

/// How a command ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done; nothing to report (exit 0).
    Success,
    /// Changes, drift or differences were found (exit 2 where the command says so).
    Changes,
    /// The command ran but found problems it reported itself, such as an invalid
    /// configuration (exit 1).
    Failed,
}

/// An error that stops a command: a message, and hints on how to fix it.
#[derive(Debug)]
pub struct CommandError {
    pub message: String,
    pub hints: Vec<String>,
    /// Usage errors found after parsing (conflicting flags) exit 64.
    pub usage: bool,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hints: Vec::new(),
            usage: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            usage: true,
            ..Self::new(message)
        }
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

impl<E: std::error::Error> From<E> for CommandError {
    fn from(err: E) -> Self {
        let mut message = err.to_string();
        let mut source = err.source();
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        Self::new(message)
    }
}

/// Prints a failure and picks the exit status.
pub fn finish(result: Result<Outcome, CommandError>, ctx: &mut Context) -> ExitCode {
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Changes) => ExitCode::from(2),
        Ok(Outcome::Failed) => ExitCode::FAILURE,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = ctx.stderr();
            let _ = print_error(&mut stderr, &err, ctx.styles());
            if err.usage {
                ExitCode::from(USAGE)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn is_broken_pipe(err: &CommandError) -> bool {
    err.message.contains("Broken pipe") || err.message.contains("broken pipe")
}

fn print_error(
    w: &mut impl Write,
    err: &CommandError,
    styles: super::common::Styles,
) -> io::Result<()> {
    let error = styles.error;
    // Messages quote names from files and answers from ARM: escape control characters.
    let message = crate::diagnostic::printable(&err.message);
    writeln!(w, "{error}error{error:#}: {message}")?;
    for hint in &err.hints {
        let hint = crate::diagnostic::printable(hint);
        let hint_style = styles.hint;
        writeln!(w, "  {hint_style}hint{hint_style:#}: {hint}")?;
    }
    Ok(())
}
