//! `scopeform validate` and `scopeform schema`, run as the real binary: exit code, stdout and
//! stderr together.

use std::path::Path;
use std::process::Command;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn scopeform(args: &[&str], dir: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_scopeform"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn valid_configuration() {
    let run = scopeform(&["validate", "examples/quickstart"], repo());
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stdout,
        "configuration is valid: 4 scope maps, 4 tokens, 0 connected registries\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn path_defaults_to_the_current_directory() {
    let run = scopeform(&["validate"], &repo().join("examples/quickstart"));
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.starts_with("configuration is valid"));
}

#[test]
fn warnings_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "registry: {name: myregistry}\nscope_maps:\n  lonely-map:\n    repositories: {a: [content/read]}\n",
    )
    .unwrap();
    let run = scopeform(&["--color", "never", "validate"], dir.path());
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stdout,
        "configuration is valid: 1 scope map, 0 tokens, 0 connected registries (1 warning)\n"
    );
    assert_eq!(
        run.stderr,
        "\
warning: scope map `lonely-map` is not used by any token
 --> a.yaml:3:3
  |
3 |   lonely-map:
  |   ^^^^^^^^^^

"
    );
}

#[test]
fn invalid_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tokens.yaml"),
        "registry: {name: myregistry}\ntokens:\n  ci-push:\n    scope_mapp: ci\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not configuration").unwrap();
    let run = scopeform(&["--color", "never", "validate", "."], dir.path());
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "\
error: unknown key `scope_mapp`
 --> tokens.yaml:4:5
  |
4 |     scope_mapp: ci
  |     ^^^^^^^^^^
  = help: did you mean `scope_map`?

configuration is invalid: 1 error
"
    );
}

#[test]
fn colour_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "tokens: [\n").unwrap();
    let run = scopeform(&["--color", "always", "validate"], dir.path());
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("\u{1b}["), "{}", run.stderr);
}

#[test]
fn missing_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = scopeform(&["--color", "never", "validate", "nowhere"], dir.path());
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with("error: cannot read `nowhere`: "),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_error_exits_64() {
    let run = scopeform(&["validate", "--no-such-flag"], repo());
    assert_eq!(run.code, Some(64));
}

#[test]
fn schema_prints_the_checked_in_schema() {
    let run = scopeform(&["schema"], repo());
    assert_eq!(run.code, Some(0));
    let checked_in = std::fs::read_to_string(repo().join("schemas/scopeform.schema.json")).unwrap();
    assert_eq!(run.stdout, checked_in);
}

/// Issue 16: the quickstart is what a newcomer copies first; it must not trip its own audit.
#[test]
fn the_quickstart_lints_clean() {
    let run = scopeform(&["lint", "examples/quickstart"], repo());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "No findings.\n");
}

/// Issue 17: `validate --format json` gives every diagnostic with its place and hint;
/// `--format github` one Actions annotation per problem, which text from the file cannot break
/// out of; `lint --format github` the same for findings.
#[test]
fn validate_and_lint_speak_json_and_github_annotations() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "registry: {name: myregistry}\ntokens:\n  ci-push:\n    scope_mapp: x\n    \"\\n::error::pwned\": 1\n",
    )
    .unwrap();
    let run = scopeform(&["validate", "--format", "json", "."], dir.path());
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["errors"], 2);
    let first = &report["diagnostics"][0];
    assert_eq!(first["file"], "a.yaml");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 5);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["help"], "did you mean `scope_map`?");
    assert_eq!(run.stderr, "");

    let run = scopeform(&["validate", "--format", "github", "."], dir.path());
    assert_eq!(run.code, Some(1));
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error file=a.yaml,line=")),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\n::error::pwned"), "{}", run.stdout);
    assert_eq!(run.stderr, "configuration is invalid: 2 errors\n");

    let run = scopeform(
        &[
            "lint",
            "--format",
            "github",
            "examples/quickstart",
            "--state",
            "examples/quickstart/live.json",
        ],
        repo(),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::warning title=scopeform lint%3A ")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("password-expiring"), "{}", run.stdout);
}
