//! What release archives carry besides the binary: `share/` holds the shell completions and
//! man pages that the binary itself generates, checked in so that every target's archive gets
//! them without running a binary built for another machine. They must be what this binary
//! prints: after a change to the command line, regenerate them with
//!
//!     SCOPEFORM_BLESS=1 cargo test --test it release_files
//!
//! and also `--version`: it names the version and the commit built from.

use crate::support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::CommandFactory;
use support::{root, scopeform};

const SHELLS: [(&str, &str); 4] = [
    ("bash", "completions/scopeform.bash"),
    ("zsh", "completions/_scopeform"),
    ("fish", "completions/scopeform.fish"),
    ("powershell", "completions/_scopeform.ps1"),
];

/// Every file `share/` should hold, by path under `share/`, with its content.
fn expected_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for (shell, path) in SHELLS {
        let run = scopeform().args(["completions", shell]).run();
        assert_eq!(run.code, 0, "{run}");
        files.insert(path.to_owned(), run.stdout);
    }
    let run = scopeform().args(["man"]).run();
    assert_eq!(run.code, 0, "{run}");
    files.insert("man/man1/scopeform.1".to_owned(), run.stdout);
    let cli = scopeform::Cli::command();
    for command in cli.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = command.get_name();
        let run = scopeform().args(["man", name]).run();
        assert_eq!(run.code, 0, "{run}");
        assert!(run.stdout.contains(&format!("scopeform\\-{name}")), "{run}");
        files.insert(format!("man/man1/scopeform-{name}.1"), run.stdout);
    }
    files
}

fn files_under(dir: &std::path::Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

#[test]
fn share_holds_the_completions_and_man_pages_the_binary_generates() {
    let share: PathBuf = root().join("share");
    let expected = expected_files();
    if std::env::var_os("SCOPEFORM_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&share);
        for (path, content) in &expected {
            let path = share.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
    }
    let actual = files_under(&share);
    let stale: Vec<&String> = expected
        .iter()
        .filter(|(path, content)| actual.get(*path) != Some(content))
        .map(|(path, _)| path)
        .chain(actual.keys().filter(|path| !expected.contains_key(*path)))
        .collect();
    assert!(
        stale.is_empty(),
        "share/ is out of date ({stale:?}): run `SCOPEFORM_BLESS=1 cargo test --test it release_files`"
    );
}

#[test]
fn version_names_the_version_and_a_commit() {
    let run = scopeform().args(["--version"]).run();
    assert_eq!(run.code, 0, "{run}");
    let version = run.stdout.trim();
    let rest = version
        .strip_prefix(&format!("scopeform {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or_else(|| panic!("{version}"));
    // Built from this git checkout: the commit, 12 hex digits (from a tarball: "unknown commit").
    let is_commit = rest.len() == 12 && rest.chars().all(|c| c.is_ascii_hexdigit());
    assert!(is_commit || rest == "unknown commit", "{version}");
    if root().join(".git").exists() && std::env::var_os("SCOPEFORM_BUILD_COMMIT").is_none() {
        assert!(is_commit, "built in a git checkout, yet: {version}");
    }
}
