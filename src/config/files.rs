//! Which files a configuration is made of, and reading them without reading anything else.
//!
//! A configuration often comes from a pull request, and scopeform runs beside credentials. A
//! file named `zz.yaml` that is a symbolic link to `/proc/self/environ` or to a cached token
//! would otherwise be read, fail to parse, and have its one line quoted in the syntax error.
//! So a configuration file must be a regular file, and a link must resolve inside one of the
//! directories given (for a file named directly, its own directory). Anything else is refused
//! by name before it is opened: a FIFO or a device is not even opened, since opening one can
//! block or have effects.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Whether a file name is one of the configuration's languages.
fn is_config_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "hcl")
    )
}

/// A configuration file that may be read: the path as the user gave or listed it (for
/// messages), and the path to open, which names no link.
#[derive(Debug)]
pub(crate) struct ConfigFile {
    pub shown: PathBuf,
    open: PathBuf,
}

/// The configuration files of `paths` (directories, not recursive, and files named directly),
/// in order, with a diagnostic for each path or file refused.
pub(crate) fn discover(paths: &[PathBuf]) -> (Vec<ConfigFile>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // Every directory a configuration file may resolve into, links followed.
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|path| {
            let dir = if path.is_dir() {
                path.as_path()
            } else {
                path.parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
            };
            fs::canonicalize(dir).ok()
        })
        .collect();
    let mut files = Vec::new();
    for path in paths {
        match listed(path) {
            Ok(found) if found.is_empty() => diagnostics.push(
                Diagnostic::error(
                    format!("no configuration files in `{}`", path.display()),
                    None,
                )
                .with_help("a configuration is made of `*.yaml`, `*.yml` and `*.hcl` files"),
            ),
            Ok(found) => {
                for candidate in found {
                    match admit(candidate, &roots) {
                        Ok(file) => files.push(file),
                        Err(diagnostic) => diagnostics.push(diagnostic),
                    }
                }
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (files, diagnostics)
}

/// The candidate files a path stands for: itself, or a directory's configuration-named entries.
fn listed(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let cannot_read = |err: io::Error| {
        Diagnostic::error(format!("cannot read `{}`: {err}", path.display()), None)
    };
    let metadata = fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = fs::read_dir(path)
        .map_err(cannot_read)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| is_config_file(p))
        // The workspace file beside a configuration is not part of it.
        .filter(|p| !super::workspace::is_workspace_file(p))
        .collect();
    files.sort();
    Ok(files)
}

/// `candidate` if it is a regular file, or a link to one inside `roots`; refused otherwise.
fn admit(candidate: PathBuf, roots: &[PathBuf]) -> Result<ConfigFile, Diagnostic> {
    let refuse = |why: &str| {
        Diagnostic::error(
            format!(
                "`{}` {why}; refused without reading it",
                super::display(&candidate)
            ),
            None,
        )
        .with_help(
            "a configuration file must be a regular file, or a symbolic link to one inside the \
             directories given",
        )
    };
    let metadata = fs::symlink_metadata(&candidate).map_err(|err| {
        Diagnostic::error(
            format!("cannot read `{}`: {err}", super::display(&candidate)),
            None,
        )
    })?;
    if metadata.file_type().is_symlink() {
        let Ok(target) = fs::canonicalize(&candidate) else {
            return Err(refuse("is a symbolic link that does not resolve"));
        };
        if !roots.iter().any(|root| target.starts_with(root)) {
            return Err(refuse(
                "is a symbolic link to a file outside the configuration's directories",
            ));
        }
        if !fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            return Err(refuse(
                "is a symbolic link to something that is not a regular file",
            ));
        }
        return Ok(ConfigFile {
            shown: candidate,
            open: target,
        });
    }
    if !metadata.is_file() {
        return Err(refuse("is not a regular file"));
    }
    Ok(ConfigFile {
        open: candidate.clone(),
        shown: candidate,
    })
}

impl ConfigFile {
    /// The file's name as messages show it.
    pub(crate) fn name(&self) -> String {
        super::display(&self.shown)
    }

    /// The file itself, no link on the way: where a rewrite of the file goes (`fmt` writes
    /// through a link inside the configuration, and keeps the link).
    pub(crate) fn target(&self) -> &Path {
        &self.open
    }

    /// The file's bytes, opened without following a link and checked again to be a regular
    /// file once open, so a file swapped for a link or a FIFO since `discover` is not read.
    pub(crate) fn read(&self) -> io::Result<Vec<u8>> {
        let mut options = fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            libc::O_NOFOLLOW | libc::O_NONBLOCK,
        );
        let mut file = options.open(&self.open)?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}
