//! End to end: `scopeform explain` on DESIGN §1's three-rule wildcard example.

use crate::support;

use support::{config_dir, scopeform};

const WILDCARDS: &str = "registry:
  name: myregistry
rules:
  read-sample:
    \"sample/*\": [content/read]
scope_maps:
  team-a-map:
    include: [read-sample]
    repositories:
      \"sample/teama/*\": [content/write]
      sample/teama/projectb: [content/delete]
tokens:
  team-a:
    scope_map: team-a-map
  old-bot:
    scope_map: team-a-map
    status: disabled
  puller:
    scope_map: _repositories_pull
";

#[test]
fn a_token_on_a_repository_lists_the_rules_that_grant_each_permission() {
    let dir = config_dir(&[("config.yaml", WILDCARDS)]);
    let run = scopeform()
        .args([
            "explain",
            "--token",
            "team-a",
            "--repository",
            "sample/teama/projectb",
        ])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(
        run.stdout,
        "token team-a (enabled), scope map team-a-map

  repository             permissions     granted by
  sample/*               content/read    rule read-sample
  sample/teama/*         content/write   direct
  sample/teama/projectb  content/delete  direct

on sample/teama/projectb: content/read, content/write, content/delete
  sample/* grants content/read (rule read-sample)
  sample/teama/* grants content/write (direct)
  sample/teama/projectb grants content/delete (direct)
"
    );
}

#[test]
fn a_repository_lists_every_token_with_access() {
    let dir = config_dir(&[("config.yaml", WILDCARDS)]);
    let run = scopeform()
        .args(["explain", "--repository", "sample/teama/projectc"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(
        run.stdout,
        "Tokens with access to sample/teama/projectc:

  token    permissions                  via
  old-bot  (disabled)                   team-a-map: sample/* (rule read-sample); sample/teama/* (direct)
  puller   content/read                 _repositories_pull: * (direct)
  team-a   content/read, content/write  team-a-map: sample/* (rule read-sample); sample/teama/* (direct)
"
    );
    let json = scopeform()
        .args(["explain", "--repository", "other/x", "--format", "json"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let tokens: Vec<&str> = parsed["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token"].as_str().unwrap())
        .collect();
    assert_eq!(tokens, ["puller"], "only the root wildcard reaches other/x");
}

#[test]
fn an_unknown_token_is_an_error_with_a_suggestion() {
    let dir = config_dir(&[("config.yaml", WILDCARDS)]);
    let run = scopeform()
        .args(["explain", "--token", "team-b"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert_eq!(
        run.stderr,
        "error: no token `team-b` in the configuration\n  hint: did you mean `team-a`?\n"
    );
}

#[test]
fn explain_needs_a_token_or_a_repository() {
    let dir = config_dir(&[("config.yaml", WILDCARDS)]);
    let run = scopeform().args(["explain"]).arg_path(dir.path()).run();
    assert_eq!(run.code, 64, "{run}");
}

/// Issue 16: with neither flag, the error names both ways to ask, not `--token` alone; and
/// every `--format` flag says what it does.
#[test]
fn explain_without_a_question_names_both_flags_and_formats_are_explained() {
    let run = support::scopeform()
        .args(["explain"])
        .arg_path(support::root().join("examples/quickstart"))
        .run()
        .expect_code(64);
    assert!(
        run.stderr
            .contains("<--token <NAME>|--repository <REPOSITORY>>"),
        "{run}"
    );
    for command in ["plan", "drift", "explain", "diff", "lint", "show"] {
        let help = support::scopeform()
            .args([command, "--help"])
            .run()
            .expect_code(0);
        let line = help
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with("--format"))
            .unwrap_or_default();
        assert!(line.contains("How to print"), "{command}: {}", help.stdout);
    }
}
