//! What a command reports back, and the exit status each result maps to.

use std::io::{self, Write};
use std::process::ExitCode;

use super::Context;
use super::git_config::GitError;
use super::show::PlanFileError;
use crate::access::explain::ExplainError;
use crate::apply::SecretsFileError;
use crate::live::{LiveError, SnapshotError};
use crate::plan::saved::{NotFresh, SavedPlanError};
use crate::plan::target::TargetError;
use crate::plan::{AddressError, PlanError, UnknownReplace};
use crate::render::untrusted::terminal;

/// What kind of failure stopped a command; the kind alone decides the exit status
/// (`ErrorKind::exit_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// Something the user can put right outside the command line: a file that cannot be read,
    /// a request the registry refused, a stale plan (exit 1).
    User,
    /// The command line asks for something impossible: conflicting flags, an unknown
    /// `--target` (exit 64, never 2, which means "changes").
    Usage,
    /// A configuration, snapshot or saved plan that scopeform read is invalid (exit 1).
    Config,
    /// A failure that is scopeform's own: a task that panicked, a runtime that did not start
    /// (exit 1).
    Internal,
    /// Standard output was closed (`scopeform plan | head`): not a failure (exit 0).
    BrokenPipe,
}

impl ErrorKind {
    /// The one place an error's exit status is decided.
    fn exit_code(self) -> ExitCode {
        match self {
            Self::BrokenPipe => ExitCode::SUCCESS,
            Self::User | Self::Config | Self::Internal => ExitCode::FAILURE,
            Self::Usage => ExitCode::from(USAGE),
        }
    }
}

/// Exit status for usage errors: never 2, which means "changes".
pub(super) const USAGE: u8 = 64;

/// How a command ended, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Done; nothing to report (exit 0).
    Success,
    /// Changes, drift or differences were found (exit 2 where the command says so).
    Changes,
    /// The command ran but found problems it reported itself, such as an invalid
    /// configuration (exit 1).
    Failed,
}

impl Outcome {
    fn exit_code(self) -> ExitCode {
        match self {
            Self::Success => ExitCode::SUCCESS,
            Self::Changes => ExitCode::from(2),
            Self::Failed => ExitCode::FAILURE,
        }
    }
}

/// An error that stops a command: its kind, a message, the causes the message does not
/// already quote, the lines under it, and hints on how to fix it.
///
/// Each error type of the library becomes one through its own `From` below, which picks its
/// kind. The message, causes, lines and hints may quote what scopeform did not write (names
/// from files, ARM's answers): they are printed in one place, `print_error`, each escaped; the
/// layout around them (one line each, indented) is scopeform's.
#[derive(Debug)]
pub(crate) struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
    /// What caused the error, outermost first, each told after the message (`: cause`).
    pub causes: Vec<String>,
    /// Lines printed under the message, such as each credential tried and what it said.
    pub details: Vec<String>,
    pub hints: Vec<String>,
}

impl CommandError {
    /// Something the user can put right (exit 1).
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::User, message)
    }

    pub(crate) fn of_kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            causes: Vec::new(),
            details: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// A usage error found after parsing, such as conflicting flags (exit 64).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::Usage, message)
    }

    /// An invalid configuration or input file (exit 1).
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::Config, message)
    }

    /// A failure of scopeform itself, told by the error that caused it (exit 1).
    pub(crate) fn internal(err: &(dyn std::error::Error + 'static)) -> Self {
        Self::from_chain(ErrorKind::Internal, err)
    }

    #[must_use]
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// An error of `kind` telling `err`: its message, then each of its causes the message does
    /// not already quote (thiserror messages often include their source, `cannot read snapshot
    /// x: {source}`, and also return it as the source). An I/O error anywhere in the chain that
    /// is a broken pipe makes it one, whatever `kind` says.
    fn from_chain(kind: ErrorKind, err: &(dyn std::error::Error + 'static)) -> Self {
        let is_broken_pipe = |e: &(dyn std::error::Error + 'static)| {
            e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
        };
        let mut error = Self::of_kind(kind, err.to_string());
        let mut broken_pipe = is_broken_pipe(err);
        let mut next = err.source();
        while let Some(cause) = next {
            broken_pipe |= is_broken_pipe(cause);
            let text = cause.to_string();
            if !error.message.contains(&text) && !error.causes.iter().any(|c| c.contains(&text)) {
                error.causes.push(text);
            }
            next = cause.source();
        }
        if broken_pipe {
            error.kind = ErrorKind::BrokenPipe;
        }
        error
    }
}

impl From<io::Error> for CommandError {
    fn from(err: io::Error) -> Self {
        Self::from_chain(ErrorKind::User, &err)
    }
}

impl From<LiveError> for CommandError {
    fn from(err: LiveError) -> Self {
        match err {
            LiveError::NoCredential { tried } => Self {
                details: tried,
                ..Self::new("no Azure credential worked; tried:")
            },
            LiveError::Snapshot(err) => err.into(),
            err => Self::from_chain(ErrorKind::User, &err),
        }
    }
}

impl From<SnapshotError> for CommandError {
    fn from(err: SnapshotError) -> Self {
        let kind = match err {
            SnapshotError::Malformed { .. }
            | SnapshotError::Version { .. }
            | SnapshotError::Invalid { .. } => ErrorKind::Config,
            SnapshotError::Read { .. }
            | SnapshotError::Write { .. }
            | SnapshotError::Locked { .. } => ErrorKind::User,
        };
        Self::from_chain(kind, &err)
    }
}

impl From<SavedPlanError> for CommandError {
    fn from(err: SavedPlanError) -> Self {
        Self::from_chain(ErrorKind::Config, &err)
    }
}

impl From<PlanError> for CommandError {
    fn from(err: PlanError) -> Self {
        Self::from_chain(ErrorKind::User, &err)
    }
}

impl From<NotFresh> for CommandError {
    fn from(err: NotFresh) -> Self {
        Self::from_chain(ErrorKind::User, &err)
    }
}

impl From<SecretsFileError> for CommandError {
    fn from(err: SecretsFileError) -> Self {
        Self::from_chain(ErrorKind::User, &err)
    }
}

impl From<GitError> for CommandError {
    fn from(err: GitError) -> Self {
        match &err {
            GitError::NoRevision { .. } => Self::from_chain(ErrorKind::Usage, &err)
                .with_hint("write `git:REV:PATH`, such as `git:main:config`"),
            GitError::UnknownRevision { .. } => Self::from_chain(ErrorKind::User, &err)
                .with_hint("name a commit, branch or tag, such as `origin/main`"),
            _ => Self::from_chain(ErrorKind::User, &err),
        }
    }
}

impl From<ExplainError> for CommandError {
    fn from(err: ExplainError) -> Self {
        let ExplainError::UnknownToken { suggestion, .. } = &err;
        let hint = suggestion
            .as_ref()
            .map(|suggestion| format!("did you mean `{suggestion}`?"));
        let error = Self::from_chain(ErrorKind::User, &err);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

/// Addresses come from the command line (`--only`, `--target`).
impl From<AddressError> for CommandError {
    fn from(err: AddressError) -> Self {
        Self::from_chain(ErrorKind::Usage, &err)
    }
}

impl From<TargetError> for CommandError {
    fn from(err: TargetError) -> Self {
        match err {
            TargetError::Plan(err) => err.into(),
            unknown @ TargetError::Unknown { .. } => Self::from_chain(ErrorKind::Usage, &unknown),
        }
    }
}

/// `--replace` names a password slot the configuration does not have.
impl From<UnknownReplace> for CommandError {
    fn from(err: UnknownReplace) -> Self {
        Self::from_chain(ErrorKind::Usage, &err)
    }
}

impl From<PlanFileError> for CommandError {
    fn from(err: PlanFileError) -> Self {
        let kind = match err {
            PlanFileError::Open { .. } => ErrorKind::User,
            PlanFileError::Invalid { .. } => ErrorKind::Config,
        };
        Self::from_chain(kind, &err)
    }
}

/// Prints a failure and picks the exit status.
pub(super) fn finish(result: Result<Outcome, CommandError>, ctx: &mut Context) -> ExitCode {
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            if err.kind != ErrorKind::BrokenPipe {
                let mut stderr = ctx.stderr();
                let _ = print_error(&mut stderr, &err, Context::styles());
            }
            err.kind.exit_code()
        }
    }
}

pub(super) fn print_error(
    w: &mut impl Write,
    err: &CommandError,
    styles: super::common::Styles,
) -> io::Result<()> {
    let (error, hint_style) = (styles.error, styles.hint);
    write!(w, "{error}error{error:#}: {}", terminal(&err.message))?;
    for cause in &err.causes {
        write!(w, ": {}", terminal(cause))?;
    }
    writeln!(w)?;
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
        assert_eq!(err.causes, Vec::<String>::new());
        // A cause the message does not quote is still told, after it.
        let err = CommandError::from_chain(ErrorKind::User, &Save(io::Error::other("disk full")));
        assert_eq!(
            (err.message.as_str(), &err.causes[..]),
            ("cannot save", &["disk full".to_owned()][..])
        );
        assert_eq!(printed(&err), "error: cannot save: disk full\n");
    }

    #[test]
    fn a_broken_pipe_is_known_by_its_kind() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(CommandError::from(pipe()).kind, ErrorKind::BrokenPipe);
        // Anywhere in the chain.
        assert_eq!(
            CommandError::from_chain(ErrorKind::Config, &Save(pipe())).kind,
            ErrorKind::BrokenPipe
        );
        assert_eq!(
            CommandError::new("Broken pipe in the message only").kind,
            ErrorKind::User
        );
    }

    /// DESIGN §3: usage errors exit 64, never 2; a broken pipe is not an error; everything
    /// else exits 1. One table, one place.
    #[test]
    fn each_kind_has_its_exit_status() {
        for (kind, status) in [
            (ErrorKind::User, ExitCode::FAILURE),
            (ErrorKind::Config, ExitCode::FAILURE),
            (ErrorKind::Internal, ExitCode::FAILURE),
            (ErrorKind::Usage, ExitCode::from(64)),
            (ErrorKind::BrokenPipe, ExitCode::SUCCESS),
        ] {
            assert_eq!(kind.exit_code(), status, "{kind:?}");
        }
        assert_eq!(Outcome::Changes.exit_code(), ExitCode::from(2));
    }

    /// Each library error picks its kind once, in its `From`.
    #[test]
    fn library_errors_pick_their_kind() {
        let malformed = SnapshotError::Malformed {
            path: PathBuf::from("live.json"),
            line: 1,
            column: 2,
            message: "expected value".to_owned(),
        };
        assert_eq!(CommandError::from(malformed).kind, ErrorKind::Config);
        let missing = SnapshotError::Read {
            path: PathBuf::from("live.json"),
            source: io::Error::from(io::ErrorKind::NotFound),
        };
        // Through `LiveError` as directly.
        let err = CommandError::from(LiveError::Snapshot(missing));
        assert_eq!(err.kind, ErrorKind::User);
        assert_eq!(
            err.message,
            "cannot read snapshot live.json: entity not found"
        );
        assert_eq!(
            CommandError::from(SavedPlanError::Checksum).kind,
            ErrorKind::Config
        );
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
