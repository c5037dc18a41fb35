//! A workspace end to end (issue 17, part 2): three registries on one emulator, their
//! configurations sharing `common/`, run with `--workspace` (or found in the current
//! directory): validate, lint, plan, apply, drift, `--only`, the combined exit status, the
//! JSON shape and the one Markdown comment.

use crate::support;

use std::path::Path;

use support::{Emulator, RESOURCE_GROUP, SUBSCRIPTION, config_dir};

const REGISTRIES: [(&str, &str); 3] = [
    ("dev", "devregistry"),
    ("staging", "stagingregistry"),
    ("prod", "prodregistry"),
];

const COMMON: &str = "rules:
  read-everything:
    \"*\": [content/read, metadata/read]
scope_maps:
  ci-pull:
    description: Pull any image
    include: [read-everything]
";

fn registry_yaml(name: &str, token: &str) -> String {
    format!(
        "registry:
  name: {name}
  subscription: {SUBSCRIPTION}
  resource_group: {RESOURCE_GROUP}
tokens:
  {token}:
    scope_map: ci-pull
"
    )
}

/// One emulator serving the three registries (and none of `missingregistry`).
fn emulator() -> Emulator {
    Emulator::with(|options| {
        for (_, registry) in REGISTRIES {
            options.registries.push(
                format!("{SUBSCRIPTION}/{RESOURCE_GROUP}/{registry}")
                    .parse()
                    .expect("registry spec"),
            );
        }
    })
}

/// A workspace directory: `common/`, `registries/NAME/` and the workspace file.
fn workspace() -> tempfile::TempDir {
    let dir = config_dir(&[(
        "scopeform.workspace.yaml",
        "registries:\n  dev: [common/, registries/dev/]\n  staging: [common/, registries/staging/]\n  prod: [common/, registries/prod/]\n",
    )]);
    write(dir.path(), "common/rules.yaml", COMMON);
    for (name, registry) in REGISTRIES {
        write(
            dir.path(),
            &format!("registries/{name}/registry.yaml"),
            &registry_yaml(registry, &format!("{name}-runner")),
        );
    }
    dir
}

/// Runs scopeform against `emulator` in `dir`, as a pipeline runs it in its checkout.
fn run_in<'a>(emulator: &'a Emulator, dir: &'a Path) -> impl Fn(&[&str]) -> support::Run + 'a {
    move |args| emulator.scopeform().current_dir(dir).args(args).run()
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn tokens_of(emulator: &Emulator, registry: &str) -> Vec<String> {
    let state = emulator.state();
    let registry = state["registries"]
        .as_array()
        .expect("registries")
        .iter()
        .find(|r| r["name"] == registry)
        .cloned()
        .expect("registry");
    registry["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn a_workspace_plans_applies_and_checks_every_registry_with_one_report() {
    let emulator = emulator();
    let dir = workspace();
    let run = run_in(&emulator, dir.path());

    let validate = run(&["validate"]).expect_code(0);
    for (name, _) in REGISTRIES {
        assert!(
            validate
                .stdout
                .contains(&format!("=== registry {name} ===")),
            "{validate}"
        );
    }
    assert!(
        validate
            .stdout
            .contains("  staging  valid: 0 errors, 0 warnings"),
        "{validate}"
    );

    // Found in the current directory, no PATH given; every registry planned, in workspace order.
    let plan = run(&["plan", "--detailed-exitcode"]).expect_code(2);
    let dev = plan.stdout.find("=== registry dev ===").expect("dev");
    let staging = plan
        .stdout
        .find("=== registry staging ===")
        .expect("staging");
    let prod = plan.stdout.find("=== registry prod ===").expect("prod");
    assert!(dev < staging && staging < prod, "{plan}");
    let create_two = "Plan: 2 to create, 0 to update, 0 to disable, 0 to delete, 0 to rotate.";
    assert!(
        plan.stdout.contains(&format!("scopeform plan, workspace scopeform.workspace.yaml:\n  dev      {create_two}\n  staging  {create_two}\n  prod     {create_two}\n")),
        "{plan}"
    );
    assert!(
        plan.stdout.contains("Total: 6 to create, 0 to update, 0 to disable, 0 to delete, 0 to rotate; 3 of 3 with changes (dev, staging, prod)"),
        "{plan}"
    );

    // `--only` applies just one, the others stay untouched.
    run(&["apply", "--auto-approve", "--only", "dev"]).expect_code(0);
    assert_eq!(tokens_of(&emulator, "devregistry"), ["dev-runner"]);
    assert!(tokens_of(&emulator, "prodregistry").is_empty());

    let apply = run(&[
        "apply",
        "--auto-approve",
        "--workspace",
        "scopeform.workspace.yaml",
    ])
    .expect_code(0);
    assert!(apply.stdout.contains("  dev      No changes.\n"), "{apply}");
    assert!(
        apply.stdout.contains(
            "  prod     Applied: 2 created, 0 updated, 0 disabled, 0 deleted, 0 rotated.\n"
        ),
        "{apply}"
    );
    for (name, registry) in REGISTRIES {
        assert_eq!(tokens_of(&emulator, registry), [format!("{name}-runner")]);
    }
    let plan = run(&["plan", "--detailed-exitcode"]).expect_code(0);
    assert!(plan.stdout.contains("  staging  No changes.\n"), "{plan}");
    run(&["drift"]).expect_code(0);
    let lint = run(&["lint", "--format", "github"]).expect_code(0);
    assert!(
        lint.stdout.starts_with("::group::registry dev\n") && lint.stdout.contains("::endgroup::"),
        "{lint}"
    );

    // A pull request that only changes `common/` plans every registry that uses it.
    write(
        dir.path(),
        "common/rules.yaml",
        &COMMON.replace("Pull any image", "Pull any image (changed)"),
    );
    let plan = run(&["plan", "--detailed-exitcode"]).expect_code(2);
    assert!(
        plan.stdout
            .contains("3 of 3 with changes (dev, staging, prod)"),
        "{plan}"
    );
    let drift = run(&["drift"]).expect_code(2);
    assert!(
        drift.stdout.contains("  prod     Drift: 1 difference.\n"),
        "{drift}"
    );
}

#[test]
fn the_most_severe_registry_decides_the_exit_status() {
    let emulator = emulator();
    let dir = workspace();
    // staging names a registry the emulator does not have: an error; dev and prod have changes.
    write(
        dir.path(),
        "registries/staging/registry.yaml",
        &registry_yaml("missingregistry", "staging-runner"),
    );
    let run = run_in(&emulator, dir.path());
    let plan = run(&["plan", "--detailed-exitcode"]).expect_code(1);
    assert!(plan.stdout.contains("  staging  failed: "), "{plan}");
    assert!(
        plan.stdout
            .contains("2 of 3 with changes (dev, prod); 1 of 3 failed (staging)"),
        "{plan}"
    );
    // The failure is told on stderr under the registry's name; the others' plans are whole.
    assert!(plan.stderr.starts_with("registry staging:\n"), "{plan}");
    assert!(plan.stdout.contains("Plan: 2 to create"), "{plan}");
    // Without staging, changes win over no changes.
    run(&["plan", "--detailed-exitcode", "--only", "dev,prod"]).expect_code(2);

    // An apply that fails in one registry still applies the others, and says which did not.
    let apply = run(&["apply", "--auto-approve"]).expect_code(1);
    assert!(apply.stdout.contains("  staging  failed: "), "{apply}");
    assert_eq!(tokens_of(&emulator, "prodregistry"), ["prod-runner"]);
    assert_eq!(tokens_of(&emulator, "devregistry"), ["dev-runner"]);

    let unknown = run(&["plan", "--only", "qa"]).expect_code(64);
    assert!(
        unknown
            .stderr
            .contains("has no registry `qa`; it has dev, staging, prod"),
        "{unknown}"
    );
    let explicit = run(&["plan", "registries/dev", "--only", "dev"]).expect_code(64);
    assert!(explicit.stderr.contains("`--only`"), "{explicit}");
}

#[test]
fn json_holds_each_registry_report_unchanged_and_markdown_is_one_comment() {
    let emulator = emulator();
    let dir = workspace();
    let run = run_in(&emulator, dir.path());
    let combined = run(&["plan", "--format", "json", "--detailed-exitcode"]).expect_code(2);
    let combined: serde_json::Value = serde_json::from_str(&combined.stdout).expect("json");
    assert_eq!(combined["format_version"], "1");
    assert_eq!(combined["command"], "plan");
    assert_eq!(combined["workspace"], "scopeform.workspace.yaml");
    let registries = combined["registries"].as_array().expect("registries");
    let names: Vec<_> = registries.iter().map(|r| r["name"].clone()).collect();
    assert_eq!(names, ["dev", "staging", "prod"]);
    assert_eq!(registries[0]["status"], "changes");
    assert_eq!(registries[0]["exit_code"], 2);
    assert_eq!(registries[0]["counts"]["to create"], 2);
    assert_eq!(registries[0]["error"], serde_json::Value::Null);
    // The single-registry report, exactly as `plan` alone prints it.
    let alone = run(&["plan", "--format", "json", "common", "registries/prod"]).expect_code(0);
    let alone: serde_json::Value = serde_json::from_str(&alone.stdout).expect("json");
    assert_eq!(registries[2]["report"], alone);
    assert_eq!(combined["total"]["exit_code"], 2);
    assert_eq!(combined["total"]["counts"]["to create"], 6);
    assert_eq!(
        combined["total"]["with_changes"],
        serde_json::json!(["dev", "staging", "prod"])
    );

    let markdown = run(&["plan", "--format", "markdown"]).expect_code(0);
    assert!(
        markdown
            .stdout
            .starts_with("## scopeform plan: 3 registries of workspace `scopeform.workspace.yaml`\n\n| registry | result |\n|---|---|\n| `dev` | Plan: 2 to create"),
        "{markdown}"
    );
    assert_eq!(
        markdown.stdout.matches("\n---\n\n**Registry `").count(),
        3,
        "{markdown}"
    );

    // The HCL form says the same.
    std::fs::remove_file(dir.path().join("scopeform.workspace.yaml")).expect("rm");
    write(
        dir.path(),
        "scopeform.workspace.hcl",
        "registry \"dev\" {\n  paths = [\"common/\", \"registries/dev/\"]\n}\nregistry \"staging\" {\n  paths = [\"common/\", \"registries/staging/\"]\n}\nregistry \"prod\" {\n  paths = [\"common/\", \"registries/prod/\"]\n}\n",
    );
    let hcl = run(&["plan", "--format", "json", "--detailed-exitcode"]).expect_code(2);
    let hcl: serde_json::Value = serde_json::from_str(&hcl.stdout).expect("json");
    assert_eq!(hcl["registries"], combined["registries"]);
}

#[test]
fn a_workspace_against_snapshots_reads_one_per_registry() {
    let dir = workspace();
    let states = dir.path().join("states");
    std::fs::create_dir(&states).expect("mkdir");
    let run = |args: &[&str]| {
        support::scopeform()
            .current_dir(dir.path())
            .args(args)
            .run()
    };
    // No snapshot for dev yet: that registry fails, alone.
    let plan = run(&["plan", "--state", "states"]).expect_code(1);
    assert!(
        plan.stdout
            .contains("  dev      failed: cannot read snapshot"),
        "{plan}"
    );
    let not_a_dir = run(&["plan", "--state", "scopeform.workspace.yaml"]).expect_code(64);
    assert!(
        not_a_dir.stderr.contains("names a directory"),
        "{not_a_dir}"
    );
    let coordinates = run(&["plan", "--registry", "devregistry"]).expect_code(64);
    assert!(
        coordinates.stderr.contains("name one registry"),
        "{coordinates}"
    );

    // A broken workspace file: every problem, with its place, through the diagnostic renderer.
    write(
        dir.path(),
        "bad.yaml",
        "registries:\n  dev: [common/]\n  prdo/x: [../elsewhere/]\nonly: [dev]\n",
    );
    let bad = run(&["validate", "--workspace", "bad.yaml"]).expect_code(1);
    for expected in [
        "error: `prdo/x` is not a valid registry name in a workspace",
        " --> bad.yaml:3:3",
        "error: `../elsewhere/` leads out of the workspace's directory",
        " --> bad.yaml:3:12",
        "error: unknown key `only`",
        " --> bad.yaml:4:1",
        "error: the workspace file bad.yaml is invalid (3 errors)",
    ] {
        assert!(bad.stderr.contains(expected), "{expected}\n{bad}");
    }
}

/// `plan --base REV` reads each registry's paths as they were at REV: a change to `common/`
/// is the configuration's in every registry, a registry's own drift is drift, and a registry
/// added since REV is all configuration.
#[test]
fn plan_base_marks_origins_per_registry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let git = |args: &[&str]| support::git(root, args);
    let common = "scope_maps:\n  pullers:\n    repositories:\n      \"*\": [content/read]\n";
    let registry = |name: &str, token: &str| {
        format!(
            "registry:\n  name: {name}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\ntokens:\n  {token}:\n    scope_map: pullers\n"
        )
    };
    let live = |name: &str, token: &str, status: &str| {
        format!(
            r#"{{"format_version": "1", "registry": {{"subscription": "{SUBSCRIPTION}", "resource_group": "{RESOURCE_GROUP}", "name": "{name}"}},
 "scope_maps": [{{"name": "pullers", "actions": ["repositories/*/content/read"]}}],
 "tokens": [{{"name": "{token}", "scope_map": "pullers", "status": "{status}"}}]}}"#
        )
    };
    write(root, "common/pull.yaml", common);
    write(
        root,
        "registries/dev/registry.yaml",
        &registry("devregistry", "dev-ci"),
    );
    write(
        root,
        "registries/prod/registry.yaml",
        &registry("prodregistry", "prod-ci"),
    );
    write(
        root,
        "scopeform.workspace.yaml",
        "registries:\n  dev: [common/, registries/dev/]\n  prod: [common/, registries/prod/]\n",
    );
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-qm",
        "base",
    ]);
    git(&["tag", "base"]);
    // The pull request: `common/` grants more, and a third registry joins.
    write(
        root,
        "common/pull.yaml",
        &common.replace("[content/read]", "[content/read, metadata/read]"),
    );
    write(
        root,
        "registries/qa/registry.yaml",
        &registry("qaregistry", "qa-ci"),
    );
    write(
        root,
        "scopeform.workspace.yaml",
        "registries:\n  dev: [common/, registries/dev/]\n  prod: [common/, registries/prod/]\n  qa: [common/, registries/qa/]\n",
    );
    // The registries: prod's token was disabled by hand (drift); qa is empty.
    write(
        root,
        "states/dev.json",
        &live("devregistry", "dev-ci", "enabled"),
    );
    write(
        root,
        "states/prod.json",
        &live("prodregistry", "prod-ci", "disabled"),
    );
    write(
        root,
        "states/qa.json",
        &format!(
            r#"{{"format_version": "1", "registry": {{"subscription": "{SUBSCRIPTION}", "resource_group": "{RESOURCE_GROUP}", "name": "qaregistry"}}, "scope_maps": [], "tokens": []}}"#
        ),
    );
    let plan = support::scopeform()
        .current_dir(root)
        .args([
            "plan", "--base", "base", "--state", "states", "--format", "json",
        ])
        .run()
        .expect_code(0);
    assert!(
        plan.stderr
            .contains("registry qa:\nThe configuration did not exist at base"),
        "{plan}"
    );
    let plan: serde_json::Value = serde_json::from_str(&plan.stdout).expect("json");
    let origins = |index: usize| -> Vec<String> {
        plan["registries"][index]["report"]["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c["address"].as_str().unwrap_or(""),
                    c["action"].as_str().unwrap_or(""),
                    c["origin"].as_str().unwrap_or("")
                )
            })
            .collect()
    };
    assert_eq!(origins(0), ["scope_map.pullers update config"]);
    assert_eq!(
        origins(1),
        [
            "scope_map.pullers update config",
            "token.prod-ci update drift"
        ]
    );
    assert_eq!(
        origins(2),
        [
            "scope_map.pullers create config",
            "token.qa-ci create config"
        ]
    );
}

/// SECURITY.md, the pull-request pipeline: a pull request can point a workspace registry's
/// configuration at another registry the pipeline's credential reads. `--pin NAME=SUB/RG/REG`
/// (repeatable) pins each registry, as `--subscription`/`--resource-group`/`--registry` pin a
/// single configuration: the plan is made for the pinned registry, and with any pin given a
/// registry without one (a pull request can add registries too) is refused before anything is
/// read.
#[test]
fn pins_hold_each_registry_where_a_pull_request_cannot_move_it() {
    let emulator = Emulator::with(|options| {
        for registry in REGISTRIES.iter().map(|(_, r)| *r).chain(["otherregistry"]) {
            options.registries.push(
                format!("{SUBSCRIPTION}/{RESOURCE_GROUP}/{registry}")
                    .parse()
                    .expect("registry spec"),
            );
        }
    });
    // Another team's registry, readable by the same credential.
    let other = config_dir(&[(
        "a.yaml",
        &format!("{}{COMMON}", registry_yaml("otherregistry", "their-deploy")),
    )]);
    emulator
        .scopeform()
        .args(["apply", "--auto-approve"])
        .arg_path(other.path())
        .run()
        .expect_code(0);

    let dir = workspace();
    // The pull request moves prod to that registry.
    write(
        dir.path(),
        "registries/prod/registry.yaml",
        &registry_yaml("otherregistry", "prod-runner"),
    );
    let run = run_in(&emulator, dir.path());
    let unpinned = run(&["plan"]).expect_code(0);
    assert!(unpinned.stdout.contains("their-deploy"), "{unpinned}");

    let pin =
        |name: &str, registry: &str| format!("{name}={SUBSCRIPTION}/{RESOURCE_GROUP}/{registry}");
    let pins: Vec<String> = REGISTRIES
        .iter()
        .flat_map(|(name, registry)| ["--pin".to_owned(), pin(name, registry)])
        .collect();
    let pins: Vec<&str> = pins.iter().map(String::as_str).collect();
    let pinned = run(&[&["plan"], pins.as_slice()].concat()).expect_code(0);
    assert!(!pinned.stdout.contains("their-deploy"), "{pinned}");
    assert!(!pinned.stdout.contains("otherregistry"), "{pinned}");
    assert!(pinned.stdout.contains("prodregistry"), "{pinned}");
    for (name, _) in REGISTRIES {
        assert!(
            pinned
                .stdout
                .contains(&format!("# token.{name}-runner will be created")),
            "{pinned}"
        );
    }

    // The pull request adds a registry of its own: with pins, an unpinned one is refused.
    write(
        dir.path(),
        "scopeform.workspace.yaml",
        "registries:\n  dev: [common/, registries/dev/]\n  staging: [common/, registries/staging/]\n  prod: [common/, registries/prod/]\n  theirs: [common/, registries/prod/]\n",
    );
    let added = run(&[&["plan"], pins.as_slice()].concat()).expect_code(64);
    assert!(
        added
            .stderr
            .contains("registry `theirs` of the workspace has no `--pin`"),
        "{added}"
    );
    assert!(added.stdout.is_empty(), "{added}");
    // `--only` leaves it out; a pin for a registry the workspace lacks is a usage error.
    run(&[&["plan", "--only", "dev,prod"], pins.as_slice()].concat()).expect_code(0);
    let unknown = run(&["plan", "--pin", &pin("prdo", "prodregistry")]).expect_code(64);
    assert!(
        unknown.stderr.contains("`--pin prdo=…`: the workspace"),
        "{unknown}"
    );
    assert!(unknown.stderr.contains("did you mean `prod`?"), "{unknown}");
    let malformed = run(&["plan", "--pin", "prod=prodregistry"]).expect_code(64);
    assert!(
        malformed
            .stderr
            .contains("NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY"),
        "{malformed}"
    );
    let single = emulator
        .scopeform()
        .args(["plan", "--pin", &pin("prod", "prodregistry")])
        .arg_path(other.path())
        .run()
        .expect_code(64);
    assert!(
        single
            .stderr
            .contains("`--pin` pins a workspace's registries"),
        "{single}"
    );
}

/// `--verbose` with a workspace: the registries run side by side, so each line of progress
/// (timings, requests, retry notices) is printed as it happens with the registry's name in
/// front, never as an unattributed line interleaved with another registry's.
#[test]
fn verbose_lines_say_which_registry_they_are_from() {
    let emulator = emulator();
    let dir = workspace();
    let plan = emulator
        .scopeform()
        .current_dir(dir.path())
        .args(["plan", "--verbose", "--jobs", "3"])
        .run()
        .expect_code(0);
    let progress: Vec<&str> = plan
        .stderr
        .lines()
        .filter(|line| line.contains(" ms") || line.contains("GET "))
        .collect();
    assert!(progress.len() >= 3 * 4, "{plan}");
    for line in &progress {
        assert!(
            REGISTRIES
                .iter()
                .any(|(name, _)| line.starts_with(&format!("{name}: "))),
            "{line}\n{plan}"
        );
    }
    for (name, _) in REGISTRIES {
        assert!(
            progress
                .iter()
                .any(|l| l.starts_with(&format!("{name}: configuration: read "))),
            "{plan}"
        );
    }
}

/// Terraform's plan-then-apply over a workspace: `plan --out DIR` saves each registry's plan
/// as `DIR/NAME.plan`, and `apply --plan DIR` carries each one out, in workspace order, as
/// `apply --plan FILE` does for one registry (a registry whose plan is missing fails alone).
#[test]
fn a_workspace_saves_one_plan_per_registry_and_applies_them() {
    let emulator = emulator();
    let dir = workspace();
    let run = run_in(&emulator, dir.path());
    let not_a_dir = run(&["plan", "--out", "plans"]).expect_code(64);
    assert!(
        not_a_dir.stderr.contains("names a directory"),
        "{not_a_dir}"
    );
    std::fs::create_dir(dir.path().join("plans")).expect("mkdir");
    let plan = run(&["plan", "--out", "plans"]).expect_code(0);
    for (name, _) in REGISTRIES {
        assert!(
            dir.path().join(format!("plans/{name}.plan")).is_file(),
            "{plan}"
        );
    }
    let show = run(&["show", "plans/staging.plan"]).expect_code(0);
    assert!(
        show.stdout.contains("token.staging-runner will be created"),
        "{show}"
    );
    // Nothing is written until the plans are applied.
    for (_, registry) in REGISTRIES {
        assert!(tokens_of(&emulator, registry).is_empty());
    }
    std::fs::remove_file(dir.path().join("plans/staging.plan")).expect("rm");
    let apply = run(&["apply", "--plan", "plans", "--auto-approve"]).expect_code(1);
    assert!(apply.stdout.contains("=== registry prod ==="), "{apply}");
    assert!(
        apply.stdout.contains("  staging  failed: cannot read plan"),
        "{apply}"
    );
    assert_eq!(tokens_of(&emulator, "devregistry"), ["dev-runner"]);
    assert!(tokens_of(&emulator, "stagingregistry").is_empty());
    assert_eq!(tokens_of(&emulator, "prodregistry"), ["prod-runner"]);
    // A directory of plans without a workspace to say which registries: a usage error.
    let lost = run_in(&emulator, &dir.path().join("plans"))(&["apply", "--plan", "."]);
    let lost = lost.expect_code(64);
    assert!(
        lost.stderr
            .contains("`--plan .` is a directory: the plans of a workspace"),
        "{lost}"
    );
}
