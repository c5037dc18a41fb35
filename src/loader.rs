//! Loading a configuration: `config` reads the files and hands each one's top level over piece
//! by piece, `validate` checks the pieces and builds the desired state. This module sequences
//! the two (the reading on a second thread), so that neither knows of the other.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::{Duration, Instant};

use crate::config;
use crate::config::raw::{Language, Piece, Sink};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::model::Desired;
use crate::validate;

/// A loaded configuration: the files read, every problem found, and, when there is no error,
/// the desired state.
#[derive(Debug)]
pub struct Loaded {
    pub sources: Vec<Arc<SourceFile>>,
    pub diagnostics: Vec<Diagnostic>,
    pub desired: Option<Desired>,
    /// How long each step took, for `--verbose`.
    pub timings: Timings,
}

/// The time spent reading the files, parsing them, checking each object (on another thread,
/// while the files are parsed) and resolving the references between objects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read: Duration,
    pub parse: Duration,
    pub check: Duration,
    pub resolve: Duration,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| !d.is_error()).count()
    }
}

/// Loads the configuration made of `paths` (directories and files) from disk.
pub(crate) fn load(paths: &[PathBuf]) -> Loaded {
    let started = Instant::now();
    let (sources, mut diagnostics) = config::read(paths);
    // A file that could not be read would make everything it declares look missing: check
    // the others' syntax only.
    if diagnostics.iter().any(Diagnostic::is_error) {
        for (name, text) in sources {
            diagnostics.extend(config::parse(&SourceFile::new(name, text)).1);
        }
        return Loaded {
            sources: Vec::new(),
            diagnostics,
            desired: None,
            timings: Timings::default(),
        };
    }
    let read = started.elapsed();
    let mut loaded = load_sources(sources);
    loaded.timings.read = read;
    diagnostics.append(&mut loaded.diagnostics);
    loaded.diagnostics = diagnostics;
    if loaded.has_errors() {
        loaded.desired = None;
    }
    loaded
}

/// Loads a configuration from in-memory files, `(display name, text)` pairs: the name says
/// the language (`.hcl` is HCL, anything else YAML) and appears in diagnostics.
///
/// The files are read on a second thread, which hands each top-level piece (each named object
/// of a large section) over as soon as it is read; this thread checks it meanwhile and drops
/// its tree. So the raw trees never exist whole, and a Premium-sized configuration is read and
/// checked on two cores at once.
pub fn load_sources(sources: Vec<(String, String)>) -> Loaded {
    let sources: Vec<Arc<SourceFile>> = sources
        .into_iter()
        .map(|(name, text)| SourceFile::new(name, text))
        .collect();
    load_with(sources, read_all)
}

/// What reads the files on the second thread and sends their pieces: `read_all`, or a test's.
type Reader = fn(&[Arc<SourceFile>], &SyncSender<Message>) -> (Vec<Diagnostic>, Duration);

fn load_with(sources: Vec<Arc<SourceFile>>, read: Reader) -> Loaded {
    let (validation, mut diagnostics, mut timings) = std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel(QUEUED_BATCHES);
        let sources = &sources;
        // The readers recurse as deep as a file nests (serde-saphyr stops at its own limit),
        // so the reading thread gets a main thread's stack, not a spawned thread's 2 MiB.
        let reader = std::thread::Builder::new()
            .name("read configuration".to_owned())
            .stack_size(READER_STACK)
            // The thread owns the sender: when it ends, even by a panic, the checker's `recv`
            // fails instead of waiting forever, and the panic is raised again below.
            .spawn_scoped(scope, move || read(sources, &sender))
            .expect("a thread to read the configuration");
        let (validation, check) = check_all(sources, &receiver);
        // And the other way round: a reader still sending finds no one to block on.
        drop(receiver);
        let (diagnostics, parse) = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let timings = Timings {
            parse,
            check,
            ..Timings::default()
        };
        (validation, diagnostics, timings)
    });
    // A file that could not be parsed would make everything it declares look missing.
    if diagnostics.iter().any(Diagnostic::is_error) {
        validate::sort(&mut diagnostics);
        return Loaded {
            sources,
            diagnostics,
            desired: None,
            timings,
        };
    }
    let started = Instant::now();
    let validated = validation.finish();
    timings.resolve = started.elapsed();
    diagnostics.extend(validated.diagnostics);
    validate::sort(&mut diagnostics);
    Loaded {
        sources,
        diagnostics,
        desired: validated.desired,
        timings,
    }
}

/// The stack of the thread that reads the files: the size of a main thread's on Linux.
const READER_STACK: usize = 8 << 20;

/// Pieces are sent in batches of this many, at most this many batches ahead of the checker:
/// a few thousand objects' trees in flight.
const BATCH: usize = 64;
const QUEUED_BATCHES: usize = 32;

/// What the reading thread tells the checking one.
enum Message {
    /// A reader starts on the next file, or starts it again (a fast reader gave up midway:
    /// what it sent of the file is to be dropped).
    Start,
    Pieces(Vec<Piece>),
    /// The file is read: `true` when it has no syntax error.
    Done(bool),
}

/// Reads every file, sending its pieces; the problems the readers found, and the time spent.
fn read_all(
    sources: &[Arc<SourceFile>],
    sender: &SyncSender<Message>,
) -> (Vec<Diagnostic>, Duration) {
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    for source in sources {
        let (sink, mut found) = config::parse_into(source, || {
            // A send fails only when the checker is gone (it panicked): reading on is harmless.
            let _ = sender.send(Message::Start);
            Batches {
                sender,
                batch: Vec::with_capacity(BATCH),
            }
        });
        diagnostics.append(&mut found);
        let read = sink.map(Batches::flush).is_some();
        let _ = sender.send(Message::Done(read));
    }
    (diagnostics, started.elapsed())
}

/// A sink that sends pieces on in batches.
struct Batches<'s> {
    sender: &'s SyncSender<Message>,
    batch: Vec<Piece>,
}

impl Batches<'_> {
    fn flush(mut self) {
        if !self.batch.is_empty() {
            let _ = self
                .sender
                .send(Message::Pieces(std::mem::take(&mut self.batch)));
        }
    }
}

impl Sink for Batches<'_> {
    fn accept(&mut self, piece: Piece) {
        self.batch.push(piece);
        if self.batch.len() == BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            let _ = self.sender.send(Message::Pieces(full));
        }
    }
}

/// Checks every file's pieces as they arrive; the time spent checking.
fn check_all(
    sources: &[Arc<SourceFile>],
    receiver: &Receiver<Message>,
) -> (validate::Validation, Duration) {
    let mut validation = validate::Validation::default();
    let mut spent = Duration::ZERO;
    for source in sources {
        let language = Language::of(&source.name);
        let found = {
            let mut checker = None;
            loop {
                // The reader stops sending only when it panicked; the caller re-raises that.
                let Ok(message) = receiver.recv() else {
                    return (validation, spent);
                };
                match message {
                    Message::Start => checker = Some(validation.file(language)),
                    Message::Pieces(pieces) => {
                        let started = Instant::now();
                        if let Some(checker) = &mut checker {
                            for piece in pieces {
                                checker.accept(piece);
                            }
                        }
                        spent += started.elapsed();
                    }
                    Message::Done(read) => break checker.filter(|_| read),
                }
            }
            .map(validate::FileChecker::finish)
        };
        if let Some(found) = found {
            validation.add(found);
        }
    }
    (validation, spent)
}

#[cfg(test)]
mod no_panic_tests;
#[cfg(test)]
mod schema_tests;

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::mpsc::{self, SyncSender};
    use std::time::Duration;

    use super::{Message, load_with};
    use crate::diagnostic::{Diagnostic, SourceFile};

    /// A reader that dies (a bug) after starting a file must not leave the checker waiting for
    /// the rest: the load panics as the reader did. (It hung while the sender outlived the
    /// reading thread.) The watchdog only bounds a hang; it measures nothing.
    #[test]
    fn a_reader_that_panics_panics_the_load_instead_of_hanging_it() {
        fn dies(
            _: &[Arc<SourceFile>],
            sender: &SyncSender<Message>,
        ) -> (Vec<Diagnostic>, Duration) {
            let _ = sender.send(Message::Start);
            panic!("a reader bug");
        }
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let sources = vec![SourceFile::new("a.yaml", "tokens: {}\n")];
            let result = std::panic::catch_unwind(|| load_with(sources, dies));
            let _ = done.send(result.is_err());
        });
        assert_eq!(finished.recv_timeout(Duration::from_secs(120)), Ok(true));
    }

    use std::path::Path;

    /// Issue 16.4: `config` reads and parses, `validate` checks; neither calls the other's way
    /// round (`validate` reads `config::raw`, nothing more), so the loader is where they meet.
    #[test]
    fn config_never_calls_validate() {
        fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("read src/config") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("read a source file");
                    found.push((path.display().to_string(), text));
                }
            }
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/config");
        let mut found = Vec::new();
        sources(&dir, &mut found);
        assert!(found.len() > 5, "{found:?}");
        for (path, text) in found {
            assert!(
                !text.contains("crate::validate") && !text.contains("validate::"),
                "{path} calls validate"
            );
        }
    }
}
