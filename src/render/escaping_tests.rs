//! Issue 12.4: every renderer, in every format, given registry and configuration text holding
//! every trick of `HOSTILE` (a fence and `</details>` closed early, a mention, an image, a link,
//! `::error::` at the start of a line, ESC and OSC sequences, a C1 CSI, bidi controls), lets
//! none of it through active.

use std::fmt::Write as _;

use serde_json::json;

use super::untrusted::{HOSTILE, active_parts};
use crate::drift::{DriftReport, RecordedCreations, detect};
use crate::lint::{Finding, Location};
use crate::model::LintLevel;
use crate::model::{Desired, Live};
use crate::plan::Plan;
use crate::testing::{desired, live};

/// `text` as a YAML double-quoted scalar: every character that is not printable ASCII escaped.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// A configuration whose descriptions hold `HOSTILE`, and a registry whose scope map holds it
/// as its description and as an action string scopeform does not recognise.
fn hostile_inputs() -> (Desired, Live) {
    let desired = desired(&format!(
        "
scope_maps:
  pushers:
    description: plain
    repositories:
      team-a/*: [content/read]
  newcomers:
    description: {}
    repositories:
      team-b/*: [content/read]
tokens:
  ci-runner:
    scope_map: pushers
",
        yaml_quoted(HOSTILE)
    ));
    let live = live(&json!({
        "scope_maps": [{"name": "pushers", "description": HOSTILE,
            "actions": ["repositories/team-a/*/content/read"],
            "unrecognised_actions": [HOSTILE]}],
        "tokens": [{"name": "ci-runner", "scope_map": "pushers", "status": "enabled"}],
    }));
    (desired, live)
}

fn hostile_plan() -> Plan {
    let (desired, live) = hostile_inputs();
    crate::plan::tests::fixtures::plan(&desired, &live)
}

fn hostile_drift() -> DriftReport {
    let (desired, live) = hostile_inputs();
    let now = "2026-06-01T00:00:00Z".parse().expect("time");
    detect(&desired, &live, now, &RecordedCreations::new()).expect("drift")
}

fn rendered(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

/// Asserts `out` holds the hostile text (escaped) and lets none of it through active.
fn assert_inert(out: &str, markdown: bool) {
    assert!(
        out.contains("pwned"),
        "the hostile text is not shown at all:\n{out}"
    );
    assert_eq!(active_parts(out, markdown), Vec::<&str>::new(), "\n{out}");
}

#[test]
fn plan_text() {
    assert_inert(
        &rendered(|w| super::plan::text::render(&hostile_plan(), w)),
        false,
    );
}

#[test]
fn plan_markdown() {
    assert_inert(
        &rendered(|w| super::plan::markdown::render(&hostile_plan(), w)),
        true,
    );
}

#[test]
fn plan_json() {
    assert_inert(
        &rendered(|w| super::plan::json::render(&hostile_plan(), w)),
        false,
    );
}

#[test]
fn drift_text() {
    assert_inert(
        &rendered(|w| super::drift::text(&hostile_drift(), w)),
        false,
    );
}

#[test]
fn drift_markdown() {
    assert_inert(
        &rendered(|w| super::drift::markdown(&hostile_drift(), w)),
        true,
    );
}

#[test]
fn drift_json() {
    assert_inert(
        &rendered(|w| super::drift::json(&hostile_drift(), w)),
        false,
    );
}

fn hostile_findings() -> Vec<Finding> {
    vec![Finding {
        severity: LintLevel::Warning,
        id: crate::model::LintCheck::RedundantRule,
        // A finding's address holds validated names only: the hostile text is elsewhere.
        address: crate::plan::Address::ScopeMap("deployers".parse().expect("name")).into(),
        message: format!("a message quoting `a | ![x](u) | b` and {HOSTILE} | c").into(),
        location: Location::Config {
            file: format!("cfg/{HOSTILE}.yaml"),
            line: 1,
            column: 1,
        },
    }]
}

#[test]
fn lint_text() {
    assert_inert(
        &rendered(|w| super::lint::text(&hostile_findings(), w)),
        false,
    );
}

#[test]
fn lint_markdown() {
    assert_inert(
        &rendered(|w| super::lint::markdown(&hostile_findings(), w)),
        true,
    );
}

#[test]
fn lint_json() {
    assert_inert(
        &rendered(|w| super::lint::json(&hostile_findings(), w)),
        false,
    );
}

/// `explain --repository` echoes the repository it was given.
#[test]
fn explain_repository_text_and_json() {
    let (desired, _) = hostile_inputs();
    let reports = crate::access::explain::explain_repository(&desired, HOSTILE);
    assert_inert(
        &rendered(|w| super::explain::repository_text(HOSTILE, &reports, w)),
        false,
    );
    assert_inert(
        &rendered(|w| super::explain::repository_json(HOSTILE, &reports, w)),
        false,
    );
}

/// `lint --format github` writes workflow commands on purpose: one line per finding, and
/// nothing of the hostile text starts another or reaches the log raw.
#[test]
fn lint_github_annotations() {
    let out = rendered(|w| super::annotations::findings(&hostile_findings(), w));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("::warning "), "{out}");
    let without_the_command = out.replacen("::warning ", "", 1).replace("::", "");
    assert_eq!(
        active_parts(&without_the_command, false),
        Vec::<&str>::new(),
        "{out}"
    );
}
