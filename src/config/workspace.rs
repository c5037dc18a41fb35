//! A workspace file: the configurations of several registries, each a list of paths relative
//! to the file's directory, so that shared rules live in one directory and each registry adds
//! its own.
//!
//! ```yaml
//! registries:
//!   dev:  [common/, registries/dev/]
//!   prod: [common/, registries/prod/]
//! ```
//!
//! In HCL, `registry "dev" { paths = ["common/", "registries/dev/"] }`. The file comes from the
//! repository, so from pull requests: it is read as configuration files are (a regular file, a
//! link only inside its directory), and a path that leaves the file's directory (absolute, `..`
//! past the top, a link out) is refused, so a pull request cannot make scopeform read and quote
//! files elsewhere on the runner.

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::raw::{Node, NodeKind};
use super::{display, files, not_utf8};
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};

/// The names a workspace file is found by in the current directory, in the order looked for.
pub(crate) const WORKSPACE_FILE_NAMES: [&str; 3] = [
    "scopeform.workspace.yaml",
    "scopeform.workspace.yml",
    "scopeform.workspace.hcl",
];

/// Whether `path` is named as a workspace file is: such a file in a configuration directory is
/// not one of the configuration's files.
pub(crate) fn is_workspace_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| WORKSPACE_FILE_NAMES.contains(&name))
}

/// A registry's name in a workspace: 1 to 63 letters, digits, `-` and `_`. It appears in
/// output, in PR comments and in file names (`--state DIR` reads `DIR/NAME.json`), so nothing
/// else is allowed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct WorkspaceName(String);

impl WorkspaceName {
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let valid = (1..=63).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a valid registry name in a workspace: use 1 to 63 letters, digits, `-` and `_`"
            ))
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkspaceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One registry of a workspace: its name and its configuration's paths, joined to the
/// workspace file's directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkspaceRegistry {
    pub name: WorkspaceName,
    pub paths: Vec<PathBuf>,
}

/// A workspace file, read and checked: its registries in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Workspace {
    pub file: PathBuf,
    pub registries: Vec<WorkspaceRegistry>,
}

/// Reads the workspace file at `path`; every problem at once, with `file:line:column`.
pub(crate) fn load_workspace(path: &Path) -> Result<Workspace, Vec<Diagnostic>> {
    let (found, mut diagnostics) = files::discover(&[path.to_path_buf()]);
    let Some(file) = found.into_iter().next() else {
        return Err(diagnostics);
    };
    let name = display(&file.shown);
    let bytes = file.read().map_err(|err| {
        vec![Diagnostic::error(
            format!("cannot read `{name}`: {err}"),
            None,
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|err| vec![not_utf8(&name, &err)])?;
    let source = SourceFile::new(name, text);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let registries = parse(&source, dir).inspect_err(|found| diagnostics.extend_from_slice(found));
    match registries {
        Ok(registries) if diagnostics.is_empty() => Ok(Workspace {
            file: path.to_path_buf(),
            registries,
        }),
        _ => Err(diagnostics),
    }
}

/// Parses a workspace file's text (YAML, or HCL by its `.hcl` name) whose paths are relative
/// to `dir`.
pub(crate) fn parse(
    source: &Arc<SourceFile>,
    dir: &Path,
) -> Result<Vec<WorkspaceRegistry>, Vec<Diagnostic>> {
    let (root, mut diagnostics) =
        if super::raw::Language::of(&source.name) == super::raw::Language::Hcl {
            super::hcl::parse_workspace(source)
        } else {
            super::parse(source)
        };
    let Some(root) = root else {
        return Err(diagnostics);
    };
    let registries = Reader {
        dir,
        diagnostics: &mut diagnostics,
    }
    .root(&root, source);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(registries)
    }
}

struct Reader<'a> {
    dir: &'a Path,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn root(&mut self, root: &Node, source: &Arc<SourceFile>) -> Vec<WorkspaceRegistry> {
        let NodeKind::Map(entries) = &root.kind else {
            self.diagnostics.push(Diagnostic::error(
                format!("expected a mapping, found {}", root.kind.describe()),
                Some(root.span.clone()),
            ));
            return Vec::new();
        };
        let mut registries = None;
        for entry in entries {
            if entry.key == "registries" {
                if registries.is_some() {
                    self.diagnostics.push(Diagnostic::error(
                        "duplicate key `registries`",
                        Some(entry.key_span.clone()),
                    ));
                }
                registries = Some(&entry.value);
            } else {
                let help = did_you_mean(&entry.key, ["registries"])
                    .unwrap_or_else(|| "a workspace file has only `registries`".to_owned());
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("unknown key `{}`", entry.key),
                        Some(entry.key_span.clone()),
                    )
                    .with_help(help),
                );
            }
        }
        let Some(registries) = registries else {
            self.diagnostics.push(
                Diagnostic::error(
                    "the workspace names no registries",
                    Some(source.span_at(1, 1, 1)),
                )
                .with_help("write `registries: { dev: [common/, registries/dev/] }`"),
            );
            return Vec::new();
        };
        self.registries(registries)
    }

    fn registries(&mut self, node: &Node) -> Vec<WorkspaceRegistry> {
        let NodeKind::Map(entries) = &node.kind else {
            self.expected("a mapping of registry names to lists of paths", node);
            return Vec::new();
        };
        if entries.is_empty() {
            self.diagnostics.push(Diagnostic::error(
                "the workspace names no registries",
                Some(node.span.clone()),
            ));
        }
        let mut registries: Vec<WorkspaceRegistry> = Vec::new();
        let mut seen: Vec<(&str, &crate::diagnostic::Span)> = Vec::new();
        for entry in entries {
            if let Some((_, first)) = seen.iter().find(|(key, _)| *key == entry.key) {
                self.diagnostics.push(
                    Diagnostic::error(
                        format!("registry `{}` is named twice", entry.key),
                        Some(entry.key_span.clone()),
                    )
                    .with_note("first named here", Some((*first).clone())),
                );
                continue;
            }
            seen.push((&entry.key, &entry.key_span));
            let name = match WorkspaceName::parse(&entry.key) {
                Ok(name) => Some(name),
                Err(message) => {
                    self.diagnostics
                        .push(Diagnostic::error(message, Some(entry.key_span.clone())));
                    None
                }
            };
            let paths = self.paths(&entry.value);
            if let Some(name) = name {
                registries.push(WorkspaceRegistry { name, paths });
            }
        }
        registries
    }

    fn paths(&mut self, node: &Node) -> Vec<PathBuf> {
        let items = match &node.kind {
            NodeKind::List(items) => items,
            NodeKind::Invalid => return Vec::new(),
            _ => {
                self.expected("a list of paths", node);
                return Vec::new();
            }
        };
        if items.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    "a registry needs at least one path",
                    Some(node.span.clone()),
                )
                .with_help("list its configuration's directories and files"),
            );
        }
        let mut paths = Vec::new();
        for item in items {
            match &item.kind {
                NodeKind::String(text) if !text.is_empty() => match self.inside(text) {
                    Ok(path) => paths.push(path),
                    Err(message) => self.diagnostics.push(
                        Diagnostic::error(message, Some(item.span.clone())).with_help(
                            "a workspace's paths are relative to its file's directory and stay inside it",
                        ),
                    ),
                },
                NodeKind::Invalid => {}
                _ => self.expected("a path (a non-empty string)", item),
            }
        }
        paths
    }

    /// `text` joined to the workspace's directory, unless it leads out of it: absolute, `..`
    /// past the top, or (where it exists) a link that resolves outside.
    fn inside(&self, text: &str) -> Result<PathBuf, String> {
        let path = Path::new(text);
        let mut depth = 0_usize;
        for component in path.components() {
            match component {
                Component::Prefix(_) | Component::RootDir => {
                    return Err(format!("`{text}` is an absolute path"));
                }
                Component::ParentDir => {
                    depth = depth.checked_sub(1).ok_or_else(|| {
                        format!("`{text}` leads out of the workspace's directory")
                    })?;
                }
                Component::Normal(_) => depth += 1,
                Component::CurDir => {}
            }
        }
        let joined = if self.dir == Path::new(".") {
            path.to_path_buf()
        } else {
            self.dir.join(path)
        };
        if let (Ok(top), Ok(resolved)) = (
            std::fs::canonicalize(self.dir),
            std::fs::canonicalize(&joined),
        ) && !resolved.starts_with(&top)
        {
            return Err(format!(
                "`{text}` resolves outside the workspace's directory (through a symbolic link)"
            ));
        }
        Ok(joined)
    }

    fn expected(&mut self, what: &str, node: &Node) {
        self.diagnostics.push(Diagnostic::error(
            format!("expected {what}, found {}", node.kind.describe()),
            Some(node.span.clone()),
        ));
    }
}

#[cfg(test)]
mod tests;
