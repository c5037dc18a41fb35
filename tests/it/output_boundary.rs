//! What scopeform prints passes one escaping boundary and one colour decision, end to end:
//! registry text planted through the emulator's ARM API (issue 12.4), ARM error messages from a
//! server that refuses every write, `--color` in a pipe (issue 16.1), and error messages that
//! say each thing once (issue 16).

use crate::support;

use serde_json::json;
use support::{Emulator, REGISTRY, RESOURCE_GROUP, SUBSCRIPTION, config_dir, scopeform};

/// Every trick of issue 12.4 in one string: a Markdown fence and folded section closed early, a
/// mention, an image and a link, a workflow command at the start of a line, a screen clear, an
/// OSC 8 hyperlink, an OSC 52 clipboard write, a C1 CSI, bidi overrides, a carriage return and
/// HTML.
const HOSTILE: &str = "ok\n```\n</details>\n\n@someone ![x](http://evil.example/x.png) \
    [click](http://evil.example)\n::error::pwned\u{1b}[2J\u{1b}]8;;http://evil.example\u{7}link\
    \u{1b}]8;;\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202E}txt.exe\u{2066}\r<img src=x>&amp;";

const CONFIG: &str = "
registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
scope_maps:
  pushers:
    description: plain
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
";

/// Panics unless `out` shows the hostile text (escaped) with none of it active.
#[track_caller]
fn assert_inert(out: &str, markdown: bool) {
    assert!(
        out.contains("pwned"),
        "the hostile text is not shown:\n{out}"
    );
    for active in [
        "ok\n",
        "\u{1b}[2J",
        "\u{1b}]",
        "\u{7}",
        "\u{9b}",
        "\u{202E}",
        "\u{2066}",
        "\r",
    ] {
        assert!(!out.contains(active), "{active:?} came through:\n{out}");
    }
    assert!(
        !out.lines().any(|l| l.starts_with("::")),
        "a workflow command:\n{out}"
    );
    if markdown {
        // Escaped, the hostile text stays on the line it started on: no fence or section of
        // its own, and what follows `</details>` is not on a line of its own.
        assert!(
            !out.lines()
                .any(|l| l.starts_with("</details>") && l != "</details>"),
            "{out}"
        );
        assert!(!out.lines().any(|l| l.starts_with("@someone")), "{out}");
    }
}

#[test]
fn drift_prints_a_hostile_description_inert_in_every_format() {
    let emulator = Emulator::start();
    let dir = emulator.apply_config(&[("scopeform.yaml", CONFIG)]);
    // Someone with write access to the registry edits the description.
    let (status, body) = emulator.arm(
        "PATCH",
        "/scopeMaps/pushers",
        Some(json!({"properties": {"description": HOSTILE}})),
    );
    // Real Azure answers a PATCH 201 and finishes it as an operation; `arm` follows it.
    assert!((200..300).contains(&status), "{body}");

    for (format, markdown) in [("text", false), ("markdown", true), ("json", false)] {
        let run = emulator
            .scopeform()
            .args(["drift", "--format", format])
            .arg_path(dir.path())
            .run()
            .expect_code(2);
        assert_inert(&run.stdout, markdown);
        if format == "json" {
            // Escaped for people, the same text for programs.
            let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
            assert_eq!(json["drift"][0]["fields"][0]["live"], HOSTILE, "{run}");
        }
    }
    // `export` writes it into a configuration that reads back the same text.
    for format in ["yaml", "hcl"] {
        let run = emulator
            .scopeform()
            .args(["export", "--format", format])
            .args(["--subscription", SUBSCRIPTION])
            .args(["--resource-group", RESOURCE_GROUP, "--registry", REGISTRY])
            .run()
            .expect_code(0);
        assert_inert(&run.stdout, false);
    }
    // `plan` shows the same text on its way back, inert too.
    for (format, markdown) in [("text", false), ("markdown", true), ("json", false)] {
        let run = emulator
            .scopeform()
            .args(["plan", "--format", format])
            .arg_path(dir.path())
            .run()
            .expect_code(0);
        assert_inert(&run.stdout, markdown);
    }
}

#[test]
fn apply_prints_a_hostile_arm_error_inert() {
    let emulator = Emulator::with(|options| options.refuse_writes = Some(HOSTILE.to_owned()));
    let dir = config_dir(&[("scopeform.yaml", CONFIG)]);
    let run = emulator
        .scopeform()
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(
        run.stdout.contains("scope_map.pushers create: FAILED: "),
        "{run}"
    );
    assert!(
        run.stdout
            .contains("  failed:  scope_map.pushers (create): "),
        "{run}"
    );
    assert_inert(&run.stdout, false);
    assert_inert(&format!("{}pwned", run.stderr), false);
}

fn plan_with_color(emulator: &Emulator, dir: &std::path::Path, env: &[(&str, &str)]) -> String {
    let mut command = emulator.scopeform().args(["plan"]).arg_path(dir);
    for (key, value) in env {
        command = command.env(key, value);
    }
    command.run().expect_code(0).stdout
}

/// Issue 16.1: `plan --color always | grep -c $'\x1b'` found no colour codes.
#[test]
fn color_is_decided_once_from_the_flag_the_environment_and_the_terminal() {
    let emulator = Emulator::start();
    let dir = config_dir(&[("scopeform.yaml", CONFIG)]);
    let path = dir.path();
    let has_color = |out: &str| out.contains("\u{1b}[");
    // Standard output is a pipe here: no colour unless asked for.
    assert!(!has_color(&plan_with_color(
        &emulator,
        path,
        &[("NO_COLOR", "")]
    )));
    // The flag is the operator's explicit choice: it wins over NO_COLOR (set by the test
    // support), as ripgrep's does.
    let always = emulator
        .scopeform()
        .args(["plan", "--color", "always"])
        .arg_path(path)
        .run()
        .expect_code(0);
    assert!(has_color(&always.stdout), "{always}");
    let never = emulator
        .scopeform()
        .args(["plan", "--color", "never"])
        .arg_path(path)
        .env("CLICOLOR_FORCE", "1")
        .run()
        .expect_code(0);
    assert!(!has_color(&never.stdout), "{never}");
    // `auto`: NO_COLOR (set by the test support) wins; CLICOLOR_FORCE forces colour in a pipe.
    assert!(!has_color(&plan_with_color(&emulator, path, &[])));
    assert!(has_color(&plan_with_color(
        &emulator,
        path,
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")]
    )));
    // Colour changes nothing but the styles.
    let plain = plan_with_color(&emulator, path, &[]);
    let stripped: String = {
        let mut out = String::new();
        let mut chars = always.stdout.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                for c in chars.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    assert_eq!(stripped, plain);
}

/// Issue 16: `cannot read snapshot …: No such file or directory (os error 2): No such file or
/// directory (os error 2)`.
#[test]
fn a_missing_snapshot_is_reported_once() {
    let dir = config_dir(&[("scopeform.yaml", CONFIG)]);
    let run = scopeform()
        .args(["plan", "--state"])
        .arg_path(dir.path().join("missing.json"))
        .arg_path(dir.path())
        .run()
        .expect_code(1);
    assert!(run.stderr.contains("cannot read snapshot"), "{run}");
    assert_eq!(run.stderr.matches("os error 2").count(), 1, "{run}");
}
