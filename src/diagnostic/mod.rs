//! Problems found in the user's files: a severity, a message, where, and how to fix it.
//!
//! Every check reports a `Diagnostic`; `render` is the one place that turns them into text, in
//! the style of rustc and just, so all messages look alike.

mod printable;
mod render;
mod source_file;
mod suggest;

pub(crate) use printable::{is_escaped, printable};
pub use render::render_all;
pub use source_file::SourceFile;
pub(crate) use source_file::Span;
pub(crate) use suggest::did_you_mean;

/// How bad a problem is: errors make the configuration invalid, warnings don't.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
        }
    }
}

/// A secondary message, such as "first declared here", optionally pointing at its own place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub span: Option<Span>,
}

/// One problem in the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// The offending key or value; `None` for problems of the configuration as a whole.
    pub span: Option<Span>,
    /// How to fix it, such as "did you mean `scope_map`?".
    pub help: Option<String>,
    pub notes: Vec<Note>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message, span)
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_note(mut self, message: impl Into<String>, span: Option<Span>) -> Self {
        self.notes.push(Note {
            message: message.into(),
            span,
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
