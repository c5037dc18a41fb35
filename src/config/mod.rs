//! Reading a configuration: every `*.yaml`, `*.yml` and `*.hcl` file of the given directories
//! (not recursive, sorted) plus the files named directly, each parsed into a raw tree with
//! spans. Validating the trees is `validate`'s, and `loader` sequences the two: this module
//! knows nothing of validation.

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
pub(crate) use hcl::parse as parse_hcl;
#[doc(hidden)]
pub use hcl::readers_agree as hcl_readers_agree;
pub(crate) use workspace::{Workspace, WorkspaceRegistry, load_workspace};
pub(crate) use yaml::parse as parse_yaml;
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

/// Parses every file into its raw tree; the problems found, unsorted.
pub(crate) fn parse_all(sources: &[Arc<SourceFile>]) -> (Vec<raw::Document>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut documents = Vec::new();
    for source in sources {
        let (document, mut found) = parse(source);
        diagnostics.append(&mut found);
        documents.extend(document);
    }
    (documents, diagnostics)
}

/// Parses one file by its name's extension.
pub(crate) fn parse(file: &Arc<SourceFile>) -> (Option<raw::Document>, Vec<Diagnostic>) {
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
