//! Reading a configuration as it was at a git revision (`git:REV:PATH` in `diff`, `plan --base
//! REV`): the files come from `git show`, never from the working tree. The only module that runs
//! git.

use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Why a configuration could not be read from git.
#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    /// `git:` or `git::PATH`: a usage error.
    #[error("`{arg}` names no revision")]
    NoRevision { arg: String },
    #[error("unknown git revision `{rev}`")]
    UnknownRevision { rev: String },
    #[error("no configuration files in `{}` at {rev}", .path.display())]
    NoConfigurationFiles { path: PathBuf, rev: String },
    #[error("`{}` at {rev} is a {kind}, not a file or directory", .path.display())]
    NotFileOrDirectory {
        path: PathBuf,
        rev: String,
        kind: String,
    },
    #[error("`{}` is not in a git repository", .path.display())]
    NotInRepository { path: PathBuf },
    #[error("cannot run git: {0}")]
    CannotRun(#[source] std::io::Error),
    #[error("git {args} failed: {stderr}")]
    Failed { args: String, stderr: String },
    #[error("git {args} printed invalid UTF-8")]
    NotUtf8 { args: String },
}

/// A configuration path at a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GitPath {
    pub rev: String,
    pub path: PathBuf,
}

impl GitPath {
    /// Parses `git:REV:PATH` (`git:REV` alone means the current directory); `None` for a plain
    /// path.
    pub(super) fn parse(arg: &str) -> Option<Result<Self, GitError>> {
        let rest = arg.strip_prefix("git:")?;
        let (rev, path) = rest.split_once(':').unwrap_or((rest, "."));
        if rev.is_empty() {
            return Some(Err(GitError::NoRevision {
                arg: arg.to_owned(),
            }));
        }
        let path = if path.is_empty() { "." } else { path };
        Some(Ok(Self {
            rev: rev.to_owned(),
            path: PathBuf::from(path),
        }))
    }

    /// Whether the path existed at the revision; an error when the revision is unknown.
    pub(super) fn existed(&self) -> Result<bool, GitError> {
        let (dir, relative) = self.git_dir_and_relative()?;
        let commit = format!("{}^{{commit}}", self.rev);
        if git(&dir, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
            return Err(GitError::UnknownRevision {
                rev: self.rev.clone(),
            });
        }
        let object = format!("{}:./{}", self.rev, relative);
        Ok(git(&dir, &["cat-file", "-e", &object]).is_ok())
    }

    /// The configuration files this path stood for at the revision, as `(display name, text)`:
    /// the file itself, or the `*.yaml`, `*.yml` and `*.hcl` files of the directory (not
    /// recursive), as `config::read` would read them from disk.
    pub(super) fn sources(&self) -> Result<Vec<(String, String)>, GitError> {
        let (dir, relative) = self.git_dir_and_relative()?;
        let object = format!("{}:./{}", self.rev, relative);
        let kind = git(&dir, &["cat-file", "-t", &object])?;
        let display = |name: &str| {
            let joined = if relative.is_empty() {
                name.to_owned()
            } else if name.is_empty() {
                relative.clone()
            } else {
                format!("{relative}/{name}")
            };
            format!("{}:{joined}", self.rev)
        };
        match kind.trim() {
            "blob" => Ok(vec![(display(""), git(&dir, &["show", &object])?)]),
            "tree" => {
                let listing = git(&dir, &["ls-tree", &object])?;
                let mut sources = Vec::new();
                for line in listing.lines() {
                    // `<mode> <type> <hash>\t<name>`
                    let Some((meta, name)) = line.split_once('\t') else {
                        continue;
                    };
                    let is_config = [".yaml", ".yml", ".hcl"].iter().any(|e| name.ends_with(e))
                        && !crate::config::workspace::is_workspace_file(Path::new(name));
                    if meta.split_whitespace().nth(1) == Some("blob") && is_config {
                        let file = format!("{object}/{name}").replace(":.//", ":./");
                        sources.push((display(name), git(&dir, &["show", &file])?));
                    }
                }
                if sources.is_empty() {
                    return Err(GitError::NoConfigurationFiles {
                        path: self.path.clone(),
                        rev: self.rev.clone(),
                    });
                }
                sources.sort();
                Ok(sources)
            }
            other => Err(GitError::NotFileOrDirectory {
                path: self.path.clone(),
                rev: self.rev.clone(),
                kind: other.to_owned(),
            }),
        }
    }

    /// Where to run git and the path relative to there: relative paths from the current
    /// directory; absolute ones from their nearest existing ancestor (the path itself may be
    /// gone from the working tree).
    fn git_dir_and_relative(&self) -> Result<(PathBuf, String), GitError> {
        if self.path.is_relative() {
            return Ok((PathBuf::from("."), normal(&self.path)));
        }
        let mut dir = self.path.as_path();
        while !dir.is_dir() {
            dir = dir.parent().ok_or_else(|| GitError::NotInRepository {
                path: self.path.clone(),
            })?;
        }
        let rest = self.path.strip_prefix(dir).unwrap_or(Path::new(""));
        Ok((dir.to_path_buf(), normal(rest)))
    }
}

/// `a/./b/` as `a/b`, `.` as the empty string, with `/` separators as git wants.
fn normal(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs `git ARGS` in `dir` and returns its stdout; its stderr becomes the error.
fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(GitError::CannotRun)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: stderr.trim().to_owned(),
        });
    }
    String::from_utf8(output.stdout).map_err(|_| GitError::NotUtf8 {
        args: args.join(" "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_git_paths() {
        let parsed = |s: &str| GitPath::parse(s).map(|r| r.map_err(|e| e.to_string()));
        assert_eq!(parsed("config"), None);
        assert_eq!(
            parsed("git:main:config/prod"),
            Some(Ok(GitPath {
                rev: "main".into(),
                path: "config/prod".into()
            }))
        );
        assert_eq!(
            parsed("git:HEAD~1"),
            Some(Ok(GitPath {
                rev: "HEAD~1".into(),
                path: ".".into()
            }))
        );
        assert_eq!(
            parsed("git::x"),
            Some(Err("`git::x` names no revision".into()))
        );
    }

    #[test]
    fn normalises_paths_for_git() {
        assert_eq!(normal(Path::new(".")), "");
        assert_eq!(normal(Path::new("./a/./b/")), "a/b");
    }
}
