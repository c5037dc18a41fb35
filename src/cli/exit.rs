//! What a command reports back, and the exit status each result maps to.

use std::io::{self, Write};
use std::process::ExitCode;

use super::Context;
use crate::live::LiveError;
use crate::render::untrusted::terminal;

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

/// An error that stops a command: a message, the lines under it, and hints on how to fix it.
///
/// The message, the lines and the hints may quote what scopeform did not write (names from
/// files, ARM's answers): they are printed in one place, `print_error`, each escaped; the
/// layout around them (one line each, indented) is scopeform's.
#[derive(Debug)]
pub struct CommandError {
    pub message: String,
    /// Lines printed under the message, such as each credential tried and what it said.
    pub details: Vec<String>,
    pub hints: Vec<String>,
    /// Usage errors found after parsing (conflicting flags) exit 64.
    pub usage: bool,
    /// Standard output was closed (`scopeform plan | head`): not a failure.
    broken_pipe: bool,
}

impl CommandError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: Vec::new(),
            hints: Vec::new(),
            usage: false,
            broken_pipe: false,
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

/// Any error: its message, then each of its causes the message does not already quote (thiserror
/// messages often include their source, `cannot read snapshot x: {source}`, and also return it
/// as the source). An I/O error anywhere in the chain that is a broken pipe makes it one.
impl<E: std::error::Error + 'static> From<E> for CommandError {
    fn from(err: E) -> Self {
        let err: &(dyn std::error::Error + 'static) = &err;
        if let Some(LiveError::NoCredential { tried }) = err.downcast_ref::<LiveError>() {
            return Self {
                details: tried.clone(),
                ..Self::new("no Azure credential worked; tried:")
            };
        }
        let is_broken_pipe = |e: &(dyn std::error::Error + 'static)| {
            e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        };
        let mut message = err.to_string();
        let mut broken_pipe = is_broken_pipe(err);
        let mut next = err.source();
        while let Some(cause) = next {
            broken_pipe |= is_broken_pipe(cause);
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            next = cause.source();
        }
        Self {
            broken_pipe,
            ..Self::new(message)
        }
    }
}

/// Prints a failure and picks the exit status.
pub fn finish(result: Result<Outcome, CommandError>, ctx: &mut Context) -> ExitCode {
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Changes) => ExitCode::from(2),
        Ok(Outcome::Failed) => ExitCode::FAILURE,
        Err(err) if err.broken_pipe => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = ctx.stderr();
            let _ = print_error(&mut stderr, &err, Context::styles());
            if err.usage {
                ExitCode::from(USAGE)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn print_error(
    w: &mut impl Write,
    err: &CommandError,
    styles: super::common::Styles,
) -> io::Result<()> {
    let (error, hint_style) = (styles.error, styles.hint);
    writeln!(w, "{error}error{error:#}: {}", terminal(&err.message))?;
    for line in &err.details {
        writeln!(w, "  {}", terminal(line))?;
    }
    for hint in &err.hints {
        writeln!(w, "  {hint_style}hint{hint_style:#}: {}", terminal(hint))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::live::SnapshotError;
    use crate::render::untrusted::{HOSTILE, active_parts};

    fn printed(err: &CommandError) -> String {
        let mut out = anstream::StripStream::new(Vec::new());
        print_error(&mut out, err, Context::styles()).expect("print");
        String::from_utf8(out.into_inner()).expect("utf-8")
    }

    /// Issue 16: the credentials error printed its own line breaks as `\u{a}`.
    #[test]
    fn the_credentials_error_keeps_its_lines() {
        let err = CommandError::from(LiveError::NoCredential {
            tried: vec![
                "SCOPEFORM_ARM_TOKEN: not set".to_owned(),
                "managed identity: no answer within 5s".to_owned(),
                format!("Azure CLI (az login): {HOSTILE}"),
            ],
        });
        let out = printed(&err);
        assert!(
            out.starts_with(
                "error: no Azure credential worked; tried:\n  SCOPEFORM_ARM_TOKEN: not set\n  \
                 managed identity: no answer within 5s\n  Azure CLI (az login): ok\\u{a}```"
            ),
            "{out}"
        );
        assert_eq!(out.lines().count(), 4, "{out}");
        assert_eq!(active_parts(&out, false), Vec::<&str>::new(), "{out}");
    }

    /// Issue 16: `cannot read snapshot …: No such file or directory (os error 2): No such file
    /// or directory (os error 2)`.
    #[derive(Debug, thiserror::Error)]
    #[error("cannot save")]
    struct Save(#[source] io::Error);

    #[test]
    fn a_cause_the_message_quotes_is_not_repeated() {
        let err = CommandError::from(SnapshotError::Read {
            path: PathBuf::from("live.json"),
            source: io::Error::from(io::ErrorKind::NotFound),
        });
        assert_eq!(
            err.message,
            "cannot read snapshot live.json: entity not found"
        );
        // A cause the message does not quote is still told.
        let err = CommandError::from(Save(io::Error::other("disk full")));
        assert_eq!(err.message, "cannot save: disk full");
    }

    #[test]
    fn a_broken_pipe_is_known_by_its_kind() {
        assert!(CommandError::from(io::Error::from(io::ErrorKind::BrokenPipe)).broken_pipe);
        assert!(!CommandError::new("Broken pipe in the message only").broken_pipe);
    }

    /// Issue 12.4: whatever an error quotes is printed inert, hints included.
    #[test]
    fn an_error_quoting_hostile_text_prints_it_inert() {
        let err = CommandError::new(format!(
            "PUT /scopeMaps/x: ARM answered 400 BadRequest: {HOSTILE}"
        ))
        .with_hint(HOSTILE);
        let out = printed(&err);
        assert_eq!(out.lines().count(), 2, "{out}");
        assert_eq!(active_parts(&out, false), Vec::<&str>::new(), "{out}");
    }
}
