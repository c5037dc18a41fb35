//! What every command shares: colour and output streams, output formats.

use std::io::{self, IsTerminal};

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--format` of the commands that print reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

/// The styles of shared messages; all plain when colour is off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Styles {
    pub error: Style,
    pub warning: Style,
    pub hint: Style,
}

/// The decided settings of one run: where output goes and whether it is coloured. Colour is
/// decided here once, from `--color`, `NO_COLOR`, `CLICOLOR_FORCE` and whether the stream is a
/// terminal: renderers always write their styles, and the streams below keep or strip them.
pub struct Context {
    color: anstream::ColorChoice,
    pub verbose: bool,
}

impl Context {
    pub fn new(choice: ColorChoice, verbose: bool) -> Self {
        let color = match choice {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            // AutoStream's own detection: terminals only, honouring NO_COLOR and CLICOLOR.
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        };
        Self { color, verbose }
    }

    /// Standard output; styles written to it are stripped unless colour is on.
    pub fn stdout(&self) -> AutoStream<io::Stdout> {
        AutoStream::new(io::stdout(), self.color)
    }

    pub fn stderr(&self) -> AutoStream<io::Stderr> {
        AutoStream::new(io::stderr(), self.color)
    }

    /// Whether a person can answer a prompt.
    pub fn interactive() -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// The styles of messages; whether they reach the terminal is the writer's decision.
    pub fn styles() -> Styles {
        Styles {
            error: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            warning: Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            hint: Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
        }
    }
}
