//! Loading a configuration: `config` reads the files and parses them into raw trees, `validate`
//! turns the trees into the desired state. This module sequences the two, so that neither
//! knows of the other.

use std::path::PathBuf;
use std::sync::Arc;
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

/// The time spent reading the files, parsing them and validating what they say.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub read: Duration,
    pub parse: Duration,
    pub validate: Duration,
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
/// Each file is read and validated together: its reader hands each top-level piece (each
/// named object of a large section) to validation as soon as it is read, so the raw trees
/// never exist whole.
pub fn load_sources(sources: Vec<(String, String)>) -> Loaded {
    let sources: Vec<Arc<SourceFile>> = sources
        .into_iter()
        .map(|(name, text)| SourceFile::new(name, text))
        .collect();
    let started = Instant::now();
    let mut validation = validate::Validation::default();
    let mut diagnostics = Vec::new();
    let mut checking = Duration::ZERO;
    for source in &sources {
        let language = if config::is_hcl(source) {
            Language::Hcl
        } else {
            Language::Yaml
        };
        let (file, mut found) = config::parse_into(source, || Timed {
            sink: validation.file(language),
            spent: Duration::ZERO,
        });
        diagnostics.append(&mut found);
        if let Some(file) = file {
            checking += file.spent;
            let found = file.sink.finish();
            validation.add(found);
        }
    }
    let read_all = started.elapsed();
    let parse = read_all.saturating_sub(checking);
    // A file that could not be parsed would make everything it declares look missing.
    if diagnostics.iter().any(Diagnostic::is_error) {
        validate::sort(&mut diagnostics);
        return Loaded {
            sources,
            diagnostics,
            desired: None,
            timings: Timings {
                parse,
                ..Timings::default()
            },
        };
    }
    let validated = validation.finish();
    diagnostics.extend(validated.diagnostics);
    validate::sort(&mut diagnostics);
    Loaded {
        sources,
        diagnostics,
        desired: validated.desired,
        timings: Timings {
            read: Duration::ZERO,
            parse,
            validate: started.elapsed().saturating_sub(parse),
        },
    }
}

/// A sink that counts the time spent in it: validation's share of reading a file, which
/// happens piece by piece between the reader's steps.
struct Timed<S> {
    sink: S,
    spent: Duration,
}

impl<S: Sink> Sink for Timed<S> {
    fn accept(&mut self, piece: Piece) {
        let started = Instant::now();
        self.sink.accept(piece);
        self.spent += started.elapsed();
    }
}

#[cfg(test)]
mod no_panic_tests;
#[cfg(test)]
mod schema_tests;

#[cfg(test)]
mod tests {
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
