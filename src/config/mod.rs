//! Reading a configuration: every `*.yaml`, `*.yml` and `*.hcl` file of the given directories
//! (not recursive, sorted) plus the files named directly, each parsed into a raw tree with
//! spans, then validated into the desired state.

mod files;
mod hcl;
pub mod raw;
pub mod schema;
mod yaml;

#[cfg(test)]
mod no_panic_tests;
#[cfg(test)]
mod schema_tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::model::Desired;
use crate::validate;

pub use hcl::parse as parse_hcl;
#[doc(hidden)]
pub use hcl::readers_agree as hcl_readers_agree;
pub use yaml::parse as parse_yaml;
#[doc(hidden)]
pub use yaml::readers_agree as yaml_readers_agree;

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
pub fn load(paths: &[PathBuf]) -> Loaded {
    let started = Instant::now();
    let (files, mut diagnostics) = files::discover(paths);
    let mut sources = Vec::new();
    for file in files {
        let name = display(&file.shown);
        match file.read() {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => sources.push((name, text)),
                Err(err) => diagnostics.push(not_utf8(&name, &err)),
            },
            Err(err) => diagnostics.push(Diagnostic::error(
                format!("cannot read `{name}`: {err}"),
                None,
            )),
        }
    }
    // A file that could not be read would make everything it declares look missing: check
    // the others' syntax only.
    if diagnostics.iter().any(Diagnostic::is_error) {
        for (name, text) in sources {
            diagnostics.extend(parse(&SourceFile::new(name, text)).1);
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

/// Whether `dir` is a directory holding configuration files.
pub fn has_configuration_files(dir: &Path) -> bool {
    dir.is_dir() && !files::discover(&[dir.to_path_buf()]).0.is_empty()
}

/// Where a file stops being UTF-8, pointed at like any other error in it.
fn not_utf8(name: &str, err: &std::string::FromUtf8Error) -> Diagnostic {
    let offset = err.utf8_error().valid_up_to();
    let byte = err.as_bytes().get(offset).copied().unwrap_or_default();
    let file = SourceFile::new(name, String::from_utf8_lossy(err.as_bytes()).into_owned());
    let (line, column) = file.position(offset);
    Diagnostic::error(
        format!("`{name}` is not UTF-8 text (byte 0x{byte:02x})"),
        Some(file.span_at(line, column, 1)),
    )
    .with_help("configuration files must be UTF-8; re-save the file with that encoding")
}

/// A path as the user should read it: `./tokens.yaml` is `tokens.yaml`.
fn display(path: &Path) -> String {
    let path = path.strip_prefix(".").unwrap_or(path);
    path.display().to_string()
}

/// Loads a configuration from in-memory files, `(display name, text)` pairs: the name says
/// the language (`.hcl` is HCL, anything else YAML) and appears in diagnostics.
pub fn load_sources(sources: Vec<(String, String)>) -> Loaded {
    let sources: Vec<Arc<SourceFile>> = sources
        .into_iter()
        .map(|(name, text)| SourceFile::new(name, text))
        .collect();
    let started = Instant::now();
    let mut diagnostics = Vec::new();
    let mut documents = Vec::new();
    for source in &sources {
        let (document, mut found) = parse(source);
        diagnostics.append(&mut found);
        documents.extend(document);
    }
    // A file that could not be parsed would make everything it declares look missing.
    if diagnostics.iter().any(Diagnostic::is_error) {
        validate::sort(&mut diagnostics);
        return Loaded {
            sources,
            diagnostics,
            desired: None,
            timings: Timings {
                parse: started.elapsed(),
                ..Timings::default()
            },
        };
    }
    let parse = started.elapsed();
    let validated = validate::validate(documents);
    Loaded {
        sources,
        diagnostics: validated.diagnostics,
        desired: validated.desired,
        timings: Timings {
            read: Duration::ZERO,
            parse,
            validate: started.elapsed().saturating_sub(parse),
        },
    }
}

/// Parses one file by its name's extension.
pub fn parse(file: &Arc<SourceFile>) -> (Option<raw::Document>, Vec<Diagnostic>) {
    if Path::new(&file.name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("hcl"))
    {
        parse_hcl(file)
    } else {
        match parse_yaml(file) {
            Ok(document) => (Some(document), Vec::new()),
            Err(diagnostic) => (None, vec![diagnostic]),
        }
    }
}
