//! Names the commit scopeform is built from, for `scopeform --version`.
//!
//! In order: `SCOPEFORM_BUILD_COMMIT` (set by a build that knows better), the git checkout this
//! crate is the root of, then the `.cargo_vcs_info.json` that `cargo package` writes into a
//! crate tarball. Without any of them (a tarball packaged outside git) the commit is
//! "unknown commit". A git repository that merely encloses the crate (a home directory kept in
//! git, a registry cache) is not asked: its commit is not the crate's.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-env-changed=SCOPEFORM_BUILD_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("SCOPEFORM_BUILD_COMMIT")
        .ok()
        .filter(|commit| !commit.trim().is_empty())
        .map(|commit| short(commit.trim()))
        .or_else(|| git_commit(&manifest_dir))
        .or_else(|| packaged_commit(&manifest_dir))
        .unwrap_or_else(|| "unknown commit".to_owned());
    println!("cargo::rustc-env=SCOPEFORM_COMMIT={commit}");
}

fn short(commit: &str) -> String {
    commit.chars().take(12).collect()
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .filter(|out| !out.is_empty())
}

fn git_commit(manifest_dir: &Path) -> Option<String> {
    let toplevel = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| a.canonicalize().ok() == b.canonicalize().ok();
    if !same(Path::new(&toplevel), manifest_dir) {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it points at (a commit) and
    // packed-refs (a branch packed by git gc).
    for path in ["HEAD", "packed-refs"] {
        if let Some(path) = git(manifest_dir, &["rev-parse", "--git-path", path]) {
            println!(
                "cargo::rerun-if-changed={}",
                manifest_dir.join(path).display()
            );
        }
    }
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"])
        && let Some(path) = git(manifest_dir, &["rev-parse", "--git-path", &branch])
    {
        println!(
            "cargo::rerun-if-changed={}",
            manifest_dir.join(path).display()
        );
    }
    git(manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

/// `cargo package` records the commit it packaged in `.cargo_vcs_info.json`:
/// `{"git": {"sha1": "…"}, "path_in_vcs": ""}`.
fn packaged_commit(manifest_dir: &Path) -> Option<String> {
    let path = manifest_dir.join(".cargo_vcs_info.json");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find("\"sha1\"")? + "\"sha1\"".len();
    let sha1: String = text[start..]
        .trim_start_matches(|c: char| c == ':' || c == '"' || c.is_whitespace())
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (sha1.len() >= 12).then(|| short(&sha1))
}
