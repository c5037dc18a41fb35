//! Every check, on the configuration (YAML) and on the live registry (snapshot JSON), with its
//! severity and where it points.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{CHECKS, Finding, LintLevel, lint};
use crate::model::{Desired, Live};
use crate::testing::{desired, live};

fn now() -> DateTime<Utc> {
    "2026-06-01T00:00:00Z".parse().expect("test timestamp")
}

/// One line per finding: `severity[id] address (location): message`.
fn show(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{}[{}] {} ({}): {}",
                f.severity,
                f.id,
                f.address,
                f.location,
                f.message.terminal()
            )
        })
        .collect()
}

fn config_only(yaml: &str) -> Vec<String> {
    show(&lint(Some(&desired(yaml)), None, now()))
}

fn live_only(snapshot: &serde_json::Value) -> Vec<String> {
    show(&lint(None, Some(&live(snapshot)), now()))
}

fn both(desired: &Desired, live: &Live) -> Vec<String> {
    show(&lint(Some(desired), Some(live), now()))
}

const CLEAN: &str = "
scope_maps:
  pullers:
    repositories:
      team-a/*: [content/read, metadata/read]
tokens:
  ci-runner:
    scope_map: pullers
    passwords:
      password1: { expires_in: 30d }
";

#[test]
fn a_clean_configuration_has_no_findings() {
    assert_eq!(config_only(CLEAN), Vec::<String>::new());
}

#[test]
fn check_ids_are_unique_and_kebab_case() {
    let mut ids: Vec<&str> = CHECKS.iter().map(|(id, ..)| id.as_str()).collect();
    assert!(
        ids.iter()
            .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
    );
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), CHECKS.len());
}

#[test]
fn admin_user_enabled_in_the_configuration() {
    let desired = crate::testing::desired_from(&[(
        "registry.yaml",
        "registry:\n  name: myregistry\n  admin_user: enabled\n",
    )]);
    assert_eq!(
        show(&lint(Some(&desired), None, now())),
        [
            "warning[admin-user-enabled] registry.admin_user (registry.yaml:3:3): the configuration enables the admin user; prefer tokens or Entra identities"
        ]
    );
}

#[test]
fn admin_user_enabled_live() {
    assert_eq!(
        live_only(&json!({"registry": {"admin_user_enabled": true}})),
        [
            "warning[admin-user-enabled] registry.admin_user (live registry.admin_user): the admin user of registry `myregistry` is enabled"
        ]
    );
}

#[test]
fn password_without_expiry_in_the_configuration() {
    let yaml = CLEAN.replace("{ expires_in: 30d }", "{ rotate_before: 7d }");
    assert_eq!(
        config_only(&yaml),
        [
            "warning[password-without-expiry] token.ci-runner.password1 (scopeform.yaml:11:3): password1 of token `ci-runner` has no expiry or expires_in"
        ]
    );
}

fn token_with(passwords: &serde_json::Value) -> serde_json::Value {
    json!({
        "scope_maps": [{"name": "pullers", "actions": ["repositories/team-a/*/content/read"]}],
        "tokens": [{"name": "ci-runner", "scope_map": "pullers", "status": "enabled",
                    "passwords": passwords}],
    })
}

#[test]
fn password_without_expiry_live() {
    assert_eq!(
        live_only(&token_with(&json!([{"name": "password2"}]))),
        [
            "warning[password-without-expiry] token.ci-runner.password2 (live token.ci-runner.password2): password2 of token `ci-runner` never expires"
        ]
    );
}

#[test]
fn password_expired_or_expiring_within_14_days() {
    let findings = live_only(&token_with(&json!([
        {"name": "password1", "expiry": "2026-05-31T00:00:00Z"},
        {"name": "password2", "expiry": "2026-06-15T00:00:00Z"},
    ])));
    assert_eq!(
        findings,
        [
            "warning[password-expiring] token.ci-runner.password1 (live token.ci-runner.password1): password1 of token `ci-runner` expired at 2026-05-31T00:00:00Z",
            "warning[password-expiring] token.ci-runner.password2 (live token.ci-runner.password2): password2 of token `ci-runner` expires at 2026-06-15T00:00:00Z",
        ]
    );
    let later = token_with(&json!([{"name": "password1", "expiry": "2026-06-16T00:00:00Z"}]));
    assert_eq!(live_only(&later), Vec::<String>::new());
}

/// Issue 16: a password made seconds ago under `expires_in: 7d` was "expiring" (a fixed 14-day
/// threshold). A declared slot is expiring within its own `rotate_before`, when the next apply
/// rotates it.
#[test]
fn a_declared_slot_is_expiring_within_its_rotate_before() {
    let yaml = CLEAN.replace(
        "{ expires_in: 30d }",
        "{ expires_in: 7d, rotate_before: 2d }\n      password2: { expires_in: 7d }",
    );
    let desired = desired(&yaml);
    let fresh = live(&token_with(&json!([
        {"name": "password1", "creation_time": "2026-06-01T00:00:00Z", "expiry": "2026-06-08T00:00:00Z"},
        {"name": "password2", "creation_time": "2026-06-01T00:00:00Z", "expiry": "2026-06-08T00:00:00Z"},
    ])));
    assert_eq!(both(&desired, &fresh), Vec::<String>::new());
    let due = live(&token_with(&json!([
        {"name": "password1", "creation_time": "2026-05-27T00:00:00Z", "expiry": "2026-06-02T00:00:00Z"},
    ])));
    assert_eq!(
        both(&desired, &due),
        [
            "warning[password-expiring] token.ci-runner.password1 (live token.ci-runner.password1): password1 of token `ci-runner` expires at 2026-06-02T00:00:00Z"
        ]
    );
}

#[test]
fn root_wildcard_with_write_or_delete() {
    let yaml = CLEAN.replace(
        "team-a/*: [content/read, metadata/read]",
        "\"*\": [content/read, content/delete]",
    );
    assert_eq!(
        config_only(&yaml),
        [
            "warning[root-wildcard-write] scope_map.pullers (scopeform.yaml:7:3): `repositories/*/content/delete` grants content/delete on every repository"
        ]
    );
}

#[test]
fn a_rule_covered_by_a_wildcard_of_the_same_scope_map() {
    let yaml = CLEAN.replace(
        "team-a/*: [content/read, metadata/read]",
        "team-a/*: [content/read]\n      team-a/app: [content/read, content/write]\n      team-a/sub/*: [content/read]",
    );
    assert_eq!(
        config_only(&yaml),
        [
            "warning[redundant-rule] scope_map.pullers (scopeform.yaml:7:3): `repositories/team-a/app/content/read` is already granted by `repositories/team-a/*/content/read`",
            "warning[redundant-rule] scope_map.pullers (scopeform.yaml:7:3): `repositories/team-a/sub/*/content/read` is already granted by `repositories/team-a/*/content/read`",
        ]
    );
}

#[test]
fn a_scope_map_no_token_uses() {
    let yaml = format!("{CLEAN}  # nothing\n").replace(
        "tokens:",
        "  spare-map:\n    repositories:\n      other/*: [content/read]\ntokens:",
    );
    assert_eq!(
        config_only(&yaml),
        [
            "warning[unused-scope-map] scope_map.spare-map (scopeform.yaml:10:3): no token uses scope map `spare-map`"
        ]
    );
    let snapshot = json!({"scope_maps": [
        {"name": "spare-map", "actions": ["repositories/other/*/content/read"]},
        {"name": "_repositories_pull", "system": true, "actions": ["repositories/*/content/read"]},
    ]});
    assert_eq!(
        live_only(&snapshot),
        [
            "warning[unused-scope-map] scope_map.spare-map (live scope_map.spare-map): no token uses scope map `spare-map`"
        ]
    );
}

#[test]
fn an_enabled_token_with_no_password() {
    let yaml = CLEAN.replace("\n      password1: { expires_in: 30d }", " {}");
    assert_eq!(
        config_only(&yaml),
        [
            "warning[token-without-password] token.ci-runner (scopeform.yaml:11:3): token `ci-runner` is enabled but declares no password"
        ]
    );
    assert_eq!(
        config_only(&format!("{yaml}    status: disabled\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        live_only(&token_with(&json!([]))),
        [
            "warning[token-without-password] token.ci-runner (live token.ci-runner): token `ci-runner` is enabled but has no password"
        ]
    );
}

#[test]
fn a_sync_token_needs_no_password() {
    let mut snapshot = token_with(&json!([]));
    snapshot["connected_registries"] = json!([{"name": "edge01", "mode": "ReadWrite",
        "sync_token": "ci-runner", "client_tokens": []}]);
    assert_eq!(live_only(&snapshot), Vec::<String>::new());
}

#[test]
fn a_read_only_connected_registry_whose_client_token_writes() {
    // `validate` already rejects this in a configuration; the registry can still hold it.
    let snapshot = json!({
        "scope_maps": [{"name": "pushers", "actions": ["repositories/team-a/*/content/read",
                                                         "repositories/team-a/*/content/write"]}],
        "tokens": [
            {"name": "edge-client", "scope_map": "pushers", "status": "enabled",
             "passwords": [{"name": "password1", "expiry": "2026-12-01T00:00:00Z"}]},
            {"name": "edge01-sync", "scope_map": "pushers", "status": "enabled"},
        ],
        "connected_registries": [{"name": "edge01", "mode": "ReadOnly",
            "sync_token": "edge01-sync", "client_tokens": ["edge-client"]}],
    });
    assert_eq!(
        live_only(&snapshot),
        [
            "error[read-only-client-token-writes] connected_registry.edge01 (live connected_registry.edge01): client token `edge-client` of ReadOnly connected registry `edge01` can repositories/team-a/*/content/write"
        ]
    );
}

#[test]
fn tier_limits_from_the_registry_sku() {
    let tokens: Vec<serde_json::Value> = (0..101)
        .map(|i| {
            json!({"name": format!("token{i:03}"), "scope_map": "_repositories_pull",
                         "status": "disabled"})
        })
        .collect();
    let snapshot = json!({
        "registry": {"sku": "Basic"},
        "scope_maps": [{"name": "_repositories_pull", "system": true,
                        "actions": ["repositories/*/content/read"]}],
        "tokens": tokens,
    });
    assert_eq!(
        live_only(&snapshot),
        [
            "error[tier-limit-exceeded] registry.myregistry (live registry.myregistry): 101 tokens; the Basic tier allows 100"
        ]
    );
}

#[test]
fn too_many_actions_in_a_declared_scope_map() {
    // `validate` rejects this too; the linter still reports it for a desired state built otherwise.
    let mut desired = desired(CLEAN);
    let scope_map = desired.scope_maps.values_mut().next().expect("pullers");
    for i in 0..501 {
        let action = format!("repositories/repo{i}/content/read")
            .parse()
            .expect("action");
        scope_map
            .actions
            .add(action, crate::model::GrantSource::Direct);
    }
    let findings = show(&lint(Some(&desired), None, now()));
    assert_eq!(
        findings,
        [
            "error[tier-limit-exceeded] scope_map.pullers (scopeform.yaml:7:3): 503 actions; a scope map holds at most 500"
        ]
    );
}

#[test]
fn severities_can_be_raised_lowered_and_turned_off() {
    let yaml = format!(
        "{}lint:\n  password-without-expiry: error\n  unused-scope-map: \"off\"\n",
        CLEAN.replace("{ expires_in: 30d }", "{}").replace(
            "tokens:",
            "  spare-map:\n    repositories:\n      other/*: [content/read]\ntokens:"
        )
    );
    assert_eq!(
        config_only(&yaml),
        [
            "error[password-without-expiry] token.ci-runner.password1 (scopeform.yaml:14:3): password1 of token `ci-runner` has no expiry or expires_in"
        ]
    );
    let snapshot = json!({"scope_maps": [
        {"name": "spare-map", "actions": ["repositories/other/*/content/read"]},
    ]});
    // Overrides apply to live findings too.
    assert_eq!(both(&desired(&yaml), &live(&snapshot)).len(), 1);
}

#[test]
fn config_and_live_findings_point_at_their_own_place() {
    let yaml = CLEAN.replace("{ expires_in: 30d }", "{}");
    let snapshot = token_with(&json!([{"name": "password1"}]));
    assert_eq!(
        both(&desired(&yaml), &live(&snapshot)),
        [
            "warning[password-without-expiry] token.ci-runner.password1 (scopeform.yaml:11:3): password1 of token `ci-runner` has no expiry or expires_in",
            "warning[password-without-expiry] token.ci-runner.password1 (live token.ci-runner.password1): password1 of token `ci-runner` never expires",
        ]
    );
}

#[test]
fn ignored_live_objects_are_not_linted() {
    let yaml = format!("{CLEAN}ignore: [\"legacy-*\"]\n");
    let snapshot = json!({
        "scope_maps": [
            {"name": "pullers", "actions": ["repositories/team-a/*/content/read", "repositories/team-a/*/metadata/read"]},
            {"name": "legacy-map", "actions": ["repositories/*/content/write"]},
        ],
        "tokens": [
            {"name": "ci-runner", "scope_map": "pullers", "status": "enabled",
             "passwords": [{"name": "password1", "expiry": "2026-06-20T00:00:00Z"}]},
            {"name": "legacy-deployer", "scope_map": "legacy-map", "status": "enabled"},
        ],
    });
    assert_eq!(
        both(&desired(&yaml), &live(&snapshot)),
        Vec::<String>::new()
    );
}

#[test]
fn every_check_has_a_test_here() {
    let source = include_str!("tests.rs");
    for (id, ..) in CHECKS {
        assert!(source.contains(&format!("[{id}]")), "no test shows `{id}`");
    }
}

#[test]
fn error_severity_is_what_fails_the_command() {
    assert!(LintLevel::Error < LintLevel::Warning);
}

#[test]
fn an_unknown_check_id_in_the_configuration_is_an_error() {
    let loaded = crate::loader::load_sources(vec![(
        "lint.yaml".into(),
        "registry:\n  name: myregistry\nlint:\n  password-without-expiri: error\n".into(),
    )]);
    assert!(loaded.has_errors());
    let diagnostic = &loaded.diagnostics[0];
    assert_eq!(diagnostic.message, "unknown key `password-without-expiri`");
    assert_eq!(
        diagnostic.help.as_deref(),
        Some("did you mean `password-without-expiry`?")
    );
}

/// Issue 16.3: a finding's address is the plan's `Address` (or the registry), written as the
/// plan writes it, in text and JSON alike.
#[test]
fn a_finding_names_its_object_by_address() {
    use super::Subject;
    use crate::plan::Address;
    let slot: Subject = Address::Password(
        "ci-push".parse().expect("name"),
        crate::model::PasswordSlot::Password2,
    )
    .into();
    let registry = Subject::Registry("myregistry".parse().expect("name"));
    assert_eq!(slot.to_string(), "token.ci-push.password2");
    assert_eq!(
        serde_json::to_string(&[&registry, &slot]).expect("json"),
        r#"["registry.myregistry","token.ci-push.password2"]"#
    );
    // Listed as written: `registry.…` before `scope_map.…`, as reports always have.
    assert!(registry < Subject::from(Address::ScopeMap("apps1".parse().expect("name"))));
}
