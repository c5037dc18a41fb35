//! `plan --base REV` and `diff git:REV:PATH` in a temporary git repository.

use crate::support;

use support::{git, scopeform};

const BASE: &str = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
  reader:
    scope_map: _repositories_pull
";

/// The pull request: a new rule on `pushers` and a new token.
fn changed() -> String {
    BASE.replace(
        "      team-a/*: [content/read, content/write]\n",
        "      team-a/*: [content/read, content/write]\n      prod/*: [content/write]\n",
    ) + "  deployer:\n    scope_map: pushers\n"
}

/// The registry: the base configuration, except that someone granted delete on `team-a/*` and
/// disabled `reader`.
const LIVE: &str = r#"{"format_version": "1",
 "registry": {"subscription": "00000000-0000-0000-0000-000000000000",
              "resource_group": "myresourcegroup", "name": "myregistry", "sku": "Premium"},
 "scope_maps": [
   {"name": "pushers", "actions": ["repositories/team-a/*/content/read",
      "repositories/team-a/*/content/write", "repositories/team-a/*/content/delete"]},
   {"name": "_repositories_pull", "system": true, "actions": ["repositories/*/content/read"]}],
 "tokens": [
   {"name": "ci-runner", "scope_map": "pushers", "status": "enabled"},
   {"name": "reader", "scope_map": "_repositories_pull", "status": "disabled"}]}"#;

/// A repository whose `config/` held `BASE` at tag `base` and holds `changed()` now
/// (committed), with a live snapshot outside the configuration directory.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.name", "Test"]);
    git(root, &["config", "user.email", "test@example.com"]);
    std::fs::create_dir(root.join("config")).expect("mkdir");
    std::fs::write(root.join("config/access.yaml"), BASE).expect("write");
    std::fs::write(root.join("config/notes.txt"), "not configuration").expect("write");
    std::fs::write(root.join("live.json"), LIVE).expect("write");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["tag", "base"]);
    std::fs::write(root.join("config/access.yaml"), changed()).expect("write");
    git(root, &["commit", "-q", "-am", "pull request"]);
    dir
}

#[test]
fn plan_base_marks_config_drift_and_both() {
    let repo = repository();
    let run = scopeform()
        .current_dir(repo.path())
        .args([
            "plan",
            "config",
            "--state",
            "live.json",
            "--base",
            "base",
            "--format",
            "json",
        ])
        .run()
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let origins: Vec<(String, String)> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            (
                c["address"].as_str().expect("address").to_owned(),
                c["origin"].as_str().expect("origin").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("scope_map.pushers", "both"),
        ("token.reader", "drift"),
        ("token.deployer", "config"),
    ]
    .map(|(a, o)| (a.to_owned(), o.to_owned()));
    assert_eq!(origins, expected, "{run}");

    let run = scopeform()
        .current_dir(repo.path())
        .args(["plan", "config", "--state", "live.json", "--base", "base"])
        .run()
        .expect_code(0);
    let pr = run
        .stdout
        .find("This configuration change will perform the following actions:")
        .expect("pull request group");
    let drift = run
        .stdout
        .find("The registry has drifted from the base configuration; applying also puts back:")
        .expect("drift group");
    assert!(pr < drift, "{run}");
    assert!(
        run.stdout[drift..].contains("token.reader will be updated"),
        "{run}"
    );

    // Without --base every change is the configuration's.
    let run = scopeform()
        .current_dir(repo.path())
        .args(["plan", "config", "--state", "live.json", "--format", "json"])
        .run()
        .expect_code(0);
    assert!(!run.stdout.contains("\"drift\""), "{run}");
}

/// Issue 16.2: a git error keeps its kind to the exit status: `git::PATH` is a usage error
/// (64, never 2) with its hint; an unknown revision is the user's to fix (1), with its own.
#[test]
fn a_git_path_without_a_revision_is_a_usage_error() {
    let repo = repository();
    let run = scopeform()
        .current_dir(repo.path())
        .args(["diff", "git::config", "config"])
        .run()
        .expect_code(64);
    assert_eq!(
        run.stderr,
        "error: `git::config` names no revision\n  hint: write `git:REV:PATH`, such as `git:main:config`\n",
        "{run}"
    );
    let run = scopeform()
        .current_dir(repo.path())
        .args(["diff", "git:no-such-rev:config", "config"])
        .run()
        .expect_code(1);
    assert_eq!(
        run.stderr,
        "error: unknown git revision `no-such-rev`\n  hint: name a commit, branch or tag, such as `origin/main`\n",
        "{run}"
    );
}

#[test]
fn plan_base_with_an_unknown_revision_fails() {
    let repo = repository();
    let run = scopeform()
        .current_dir(repo.path())
        .args([
            "plan",
            "config",
            "--state",
            "live.json",
            "--base",
            "no-such-rev",
        ])
        .run()
        .expect_code(1);
    assert!(
        run.stderr.contains("unknown git revision `no-such-rev`"),
        "{run}"
    );
}

/// The pull request that adds the configuration: there is no base to tell drift from.
#[test]
fn plan_base_before_the_configuration_existed() {
    let repo = repository();
    let root = repo.path();
    git(root, &["checkout", "-q", "--orphan", "empty"]);
    git(root, &["rm", "-rq", "--cached", "."]);
    std::fs::write(root.join("README"), "nothing yet").expect("write");
    git(root, &["add", "README"]);
    git(root, &["commit", "-q", "-m", "empty"]);
    git(root, &["tag", "before"]);
    git(root, &["checkout", "-q", "-f", "main"]);
    let plan = |base: Option<&str>| {
        let mut args = vec!["plan", "config", "--state", "live.json", "--format", "json"];
        args.extend(base.map(|rev| ["--base", rev]).into_iter().flatten());
        scopeform().current_dir(root).args(args).run()
    };
    let based = plan(Some("before")).expect_code(0);
    assert!(
        based.stderr.contains(
            "The configuration did not exist at before: every change comes from adding it."
        ),
        "{based}"
    );
    let unmarked = plan(None).expect_code(0);
    assert_eq!(based.stdout, unmarked.stdout);
}

#[test]
fn diff_between_a_revision_and_the_working_tree() {
    let repo = repository();
    let run = scopeform()
        .current_dir(repo.path())
        .args(["diff", "git:base:config", "config"])
        .run()
        .expect_code(2);
    assert_eq!(
        run.stdout,
        "\
Gains push or delete:
  prod/*: ci-runner (push), deployer (push)
  team-a/*: deployer (push)

Tokens:
  token.ci-runner: access changed, scope map pushers
      + repositories/prod/*/content/write
  token.deployer: added, scope map pushers
      + repositories/prod/*/content/write
      + repositories/team-a/*/content/read
      + repositories/team-a/*/content/write

Access diff: 1 token(s) added, 0 removed, 0 enabled, 0 disabled, 1 with changed access.
"
    );
    // A file at a revision, against the same file at another: no difference.
    scopeform()
        .current_dir(repo.path())
        .args(["diff", "git:HEAD:config/access.yaml", "config/access.yaml"])
        .run()
        .expect_code(0);
    // Invalid configuration at a revision: its diagnostics name the revision.
    let run = scopeform()
        .current_dir(repo.path())
        .args(["diff", "git:base:live.json", "config", "--format", "json"])
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("base:live.json"), "{run}");
}

/// `diff git:REV:PATH NEW` where PATH did not exist at REV: an empty configuration, as
/// `plan --base` takes it, not git's own error.
#[test]
fn diff_against_a_revision_before_the_configuration_existed() {
    let repo = repository();
    let root = repo.path();
    // `more/` is added in this commit: it did not exist at HEAD~1.
    std::fs::create_dir(root.join("more")).expect("mkdir");
    std::fs::write(root.join("more/access.yaml"), BASE).expect("write");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "more"]);
    let run = scopeform()
        .current_dir(root)
        .args(["diff", "git:HEAD~1:more", "more"])
        .run()
        .expect_code(2);
    assert_eq!(
        run.stderr, "`more` did not exist at HEAD~1: comparing with an empty configuration.\n",
        "{run}"
    );
    assert!(run.stdout.contains("token.ci-runner: added"), "{run}");
    assert!(run.stdout.contains("token.reader: added"), "{run}");
    // And the other way round: everything is removed.
    let run = scopeform()
        .current_dir(root)
        .args(["diff", "more", "git:HEAD~1:more", "--format", "json"])
        .run()
        .expect_code(2);
    assert!(run.stdout.contains("\"removed\""), "{run}");
}

/// A token and a scope map deleted from the configuration in a pull request, neither under
/// `removed`: `plan --base` says they stay, with their access, in text, Markdown and JSON.
#[test]
fn plan_base_lists_what_left_the_configuration_and_stays() {
    let repo = repository();
    let root = repo.path();
    // The pull request drops `ci-runner` (and with it every user of `pushers`, which it drops
    // too) and names `reader` under `removed`.
    let pull_request = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
removed:
  tokens:
    reader: delete
";
    std::fs::write(root.join("config/access.yaml"), pull_request).expect("write");
    let plan = |format: &str| {
        scopeform()
            .current_dir(root)
            .args(["plan", "config", "--state", "live.json", "--base", "base"])
            .args(["--format", format])
            .run()
            .expect_code(0)
    };
    let json: serde_json::Value = serde_json::from_str(&plan("json").stdout).expect("json");
    assert_eq!(
        json["left_alone"],
        serde_json::json!(["scope_map.pushers", "token.ci-runner"])
    );
    let changes: Vec<&str> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["address"].as_str().expect("address"))
        .collect();
    assert_eq!(changes, ["token.reader"]);

    let text = plan("text").stdout;
    assert!(
        text.contains(
            "Left in the registry: no longer in the configuration since the base revision, but \
             not under `removed`, so they keep their access:\n  scope_map.pushers\n  \
             token.ci-runner\nName them under `removed` to delete or disable them.\n"
        ),
        "{text}"
    );
    let markdown = plan("markdown").stdout;
    let destructive = markdown
        .find("### :warning: Destructive changes")
        .expect("destructive heading");
    let left = markdown
        .find("- **left in the registry** `token.ci-runner`")
        .expect("left alone item");
    assert!(destructive < left, "{markdown}");
    assert!(markdown.contains("- **delete** `token.reader` — removed from the configuration"));

    // Without --base there is no such list.
    let run = scopeform()
        .current_dir(root)
        .args(["plan", "config", "--state", "live.json", "--format", "json"])
        .run()
        .expect_code(0);
    assert!(!run.stdout.contains("left_alone"), "{run}");
}
