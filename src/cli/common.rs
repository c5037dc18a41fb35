//! What every command shares: colour and output streams, output formats.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use anstream::AutoStream;
use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--format` of the commands that print reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

impl From<OutputFormat> for super::workspace::ReportFormat {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Text => Self::Text,
            OutputFormat::Json => Self::Json,
            OutputFormat::Markdown => Self::Markdown,
        }
    }
}

/// The styles of shared messages; all plain when colour is off.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Styles {
    pub error: Style,
    pub warning: Style,
    pub hint: Style,
}

/// The decided settings of one run: where output goes and whether it is coloured. Colour is
/// decided here once, from `--color`, `NO_COLOR`, `CLICOLOR_FORCE` and whether the stream is a
/// terminal: renderers always write their styles, and the streams below keep or strip them.
pub(crate) struct Context {
    color: anstream::ColorChoice,
    pub verbose: bool,
    /// Where output goes instead of the process's streams: a registry of a workspace, run
    /// beside others, writes into buffers that are printed in workspace order.
    capture: Option<Arc<Captured>>,
    /// The registry a captured run is for: its progress lines, printed at once, start with it.
    label: Option<Arc<str>>,
    /// The command's result in one line, for a workspace's summary (set by the commands a
    /// workspace runs).
    pub tally: Option<super::tally::Tally>,
}

/// What a captured run wrote to stdout and to stderr.
#[derive(Debug, Default)]
pub(crate) struct Captured {
    pub stdout: Mutex<Vec<u8>>,
    pub stderr: Mutex<Vec<u8>>,
}

/// A stream of a run: the process's stdout or stderr, or a captured run's buffer.
pub(super) type Stream = AutoStream<Box<dyn Write + Send>>;

/// A line of progress on stderr, escaped, after `label: ` when there is a label.
fn print_progress(label: Option<&str>, line: &str) {
    let line = crate::render::untrusted::terminal(line);
    match label {
        Some(label) => eprintln!("{label}: {line}"),
        None => eprintln!("{line}"),
    }
}

/// A writer appending to one buffer of a `Captured`.
struct Buffered(Arc<Captured>, bool);

impl Write for Buffered {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let buffer = if self.1 {
            &self.0.stderr
        } else {
            &self.0.stdout
        };
        buffer
            .lock()
            .map_err(|_| io::Error::other("output buffer poisoned"))?
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Context {
    pub(crate) fn new(choice: ColorChoice, verbose: bool) -> Self {
        let color = match choice {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            // AutoStream's own detection: terminals only, honouring NO_COLOR and CLICOLOR.
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        };
        Self {
            color,
            verbose,
            capture: None,
            label: None,
            tally: None,
        }
    }

    /// A context like this one whose output goes to `capture`, coloured as this one's would
    /// be on the process's streams, for the run of registry `label`.
    #[must_use]
    pub(crate) fn captured(&self, capture: Arc<Captured>, label: &str) -> Self {
        let color = match self.color {
            anstream::ColorChoice::Auto => AutoStream::choice(&io::stdout()),
            decided => decided,
        };
        Self {
            color,
            verbose: self.verbose,
            capture: Some(capture),
            label: Some(Arc::from(label)),
            tally: None,
        }
    }

    /// Prints a line of progress on stderr now (`--verbose` timings and requests, retry
    /// notices), escaped: lines quote URLs, some of them ARM's. In a workspace's registry run
    /// it starts with the registry's name: the runs go side by side, and only their progress
    /// is printed before they end.
    pub(crate) fn progress(&self, line: &str) {
        print_progress(self.label.as_deref(), line);
    }

    /// `progress`, as a callback the ARM client keeps.
    pub(crate) fn progress_log(&self) -> crate::live::arm::RequestLog {
        let label = self.label.clone();
        Arc::new(move |line: &str| print_progress(label.as_deref(), line))
    }

    /// Standard output; styles written to it are stripped unless colour is on.
    pub(crate) fn stdout(&self) -> Stream {
        match &self.capture {
            None => AutoStream::new(Box::new(io::stdout()), self.auto(&io::stdout())),
            Some(capture) => {
                AutoStream::new(Box::new(Buffered(Arc::clone(capture), false)), self.color)
            }
        }
    }

    pub(crate) fn stderr(&self) -> Stream {
        match &self.capture {
            None => AutoStream::new(Box::new(io::stderr()), self.auto(&io::stderr())),
            Some(capture) => {
                AutoStream::new(Box::new(Buffered(Arc::clone(capture), true)), self.color)
            }
        }
    }

    /// `--color` decided for `stream`: a boxed stream cannot tell whether it is a terminal.
    fn auto<S: anstream::stream::RawStream>(&self, stream: &S) -> anstream::ColorChoice {
        match self.color {
            anstream::ColorChoice::Auto => AutoStream::choice(stream),
            decided => decided,
        }
    }

    /// Whether a person can answer a prompt.
    pub(crate) fn interactive() -> bool {
        io::stdin().is_terminal() && io::stderr().is_terminal()
    }

    /// The styles of messages; whether they reach the terminal is the writer's decision.
    pub(crate) fn styles() -> Styles {
        Styles {
            error: Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            warning: Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            hint: Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
        }
    }
}
