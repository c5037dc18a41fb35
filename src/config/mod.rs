//! Reading a configuration: every `*.yaml`, `*.yml` and `*.hcl` file of the given directories
//! (not recursive, sorted) plus the files named directly, each parsed into raw trees with
//! spans and handed to a sink piece by piece (`raw::Piece`). Validating them is `validate`'s,
//! and `loader` sequences the two: this module knows nothing of validation.

mod files;
mod hcl;
pub(crate) mod raw;
pub(crate) mod schema;
pub(crate) mod workspace;
mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};

pub(crate) use files::discover;
#[doc(hidden)]
pub use hcl::readers_agree as hcl_readers_agree;
pub(crate) use workspace::{Workspace, WorkspaceName, WorkspaceRegistry, load_workspace};
#[doc(hidden)]
pub use yaml::readers_agree as yaml_readers_agree;

/// The configuration files of `paths` (directories and files) read from disk, as `(display
/// name, text)` pairs, and every problem met reading them (a missing file, one that is not
/// UTF-8).
pub(crate) fn read(paths: &[PathBuf]) -> (Vec<(String, String)>, Vec<Diagnostic>) {
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
    (sources, diagnostics)
}

/// Whether `dir` is a directory holding configuration files.
pub(crate) fn has_configuration_files(dir: &Path) -> bool {
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

/// Parses one file by its name's extension, handing its top level to a sink made by
/// `new_sink`, one piece at a time (`raw::Piece`). A fast reader that gives up midway drops
/// the sink it was filling and the conforming reader starts again with a new one, so a sink
/// sees each file's pieces once. No sink when the file has a syntax error; the problems found,
/// unsorted.
pub(crate) fn parse_into<S: raw::Sink>(
    file: &Arc<SourceFile>,
    mut new_sink: impl FnMut() -> S,
) -> (Option<S>, Vec<Diagnostic>) {
    match raw::Language::of(&file.name) {
        raw::Language::Hcl => hcl::parse(file, &mut new_sink),
        raw::Language::Yaml => match yaml::parse(file, &mut new_sink) {
            Ok(sink) => (Some(sink), Vec::new()),
            Err(diagnostic) => (None, vec![diagnostic]),
        },
    }
}

/// Parses one file into its whole tree.
pub(crate) fn parse(file: &Arc<SourceFile>) -> (Option<raw::Node>, Vec<Diagnostic>) {
    let (assembler, diagnostics) = parse_into(file, raw::Assembler::default);
    let root = assembler.map(|assembler| assembler.root(file.span_at(1, 1, 1)));
    (root, diagnostics)
}
