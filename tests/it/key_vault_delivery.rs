//! Delivery of generated passwords to Azure Key Vault, end to end (issue 14, part 3): the real
//! binary against the emulator, which serves vault `myvault` next to ARM and says, for each
//! version scopeform wrote, whether its value is the slot's live password (`is_current`).
//!
//! Key Vault down before the apply changes nothing; a password that never reached Key Vault
//! (Key Vault down after generation, or scopeform SIGKILLed between generation and the write)
//! is found by the next apply, which says why and rotates it again; `drift --secrets` reports
//! it meanwhile; no password value appears in any output.

use std::time::Duration;

use crate::support::spawned::Spawned;
use crate::support::{
    Emulator, FAKE_TOKEN, REGISTRY, RESOURCE_GROUP, Run, SUBSCRIPTION, config_dir, git,
};
use serde_json::{Value, json};

const VAULT: &str = "myvault";

fn config(extra_secrets: &str) -> String {
    format!(
        "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\n\
         secrets:\n  key_vault: https://{VAULT}.vault.azure.net\n{extra_secrets}\
         tokens:\n  ci-push:\n    scope_map: _repositories_push\n    passwords:\n      password1: {{ expires_in: 30d }}\n"
    )
}

fn emulator() -> Emulator {
    Emulator::with(|options| {
        options.key_vaults.push(VAULT.to_owned());
    })
}

/// As `emulator`, answering every request 100 ms late, so that a test sees the token created
/// well before its password is generated (two round trips later).
fn slow_emulator() -> Emulator {
    Emulator::with(|options| {
        options.key_vaults.push(VAULT.to_owned());
        options.latency = Duration::from_millis(100);
    })
}

fn vault_url(emulator: &Emulator) -> String {
    format!("{}/keyvault/{VAULT}", emulator.url())
}

/// `scopeform` pointed at the emulator for ARM and Key Vault alike.
fn scopeform(emulator: &Emulator) -> crate::support::Scopeform {
    emulator
        .scopeform()
        .env("SCOPEFORM_KEYVAULT_ENDPOINT", vault_url(emulator))
        .env("SCOPEFORM_KEYVAULT_TOKEN", FAKE_TOKEN)
}

fn set_key_vault_down(emulator: &Emulator, down: bool) {
    let client = reqwest::blocking::Client::new();
    let response = client
        .post(format!("{}/_emulator/key-vault", emulator.url()))
        .json(&json!({ "down": down }))
        .send()
        .expect("reach the emulator");
    assert!(response.status().is_success(), "{response:?}");
}

/// The versions of secret `name` in the vault, oldest first.
fn versions(emulator: &Emulator, name: &str) -> Vec<Value> {
    let state = emulator.state();
    let vault = state["vaults"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["name"] == VAULT))
        .cloned()
        .unwrap_or_else(|| panic!("no vault {VAULT} in {state:#}"));
    vault["secrets"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == name))
        .and_then(|s| s["versions"].as_array().cloned())
        .unwrap_or_default()
}

/// The token's live password in `slot`, as the emulator's state shows it.
fn live_password(emulator: &Emulator, token: &str, slot: &str) -> Option<Value> {
    let registry = emulator.registry();
    let token = registry["tokens"]
        .as_array()?
        .iter()
        .find(|t| t["name"] == token)?
        .clone();
    token["passwords"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == slot)
        .cloned()
}

fn token_exists(emulator: &Emulator, token: &str) -> bool {
    emulator.registry()["tokens"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t["name"] == token))
}

/// Every value Key Vault holds for the token's secret, read as a consumer would (Key Vault's
/// own API, with a token), for the check that none was printed.
fn password_values(emulator: &Emulator) -> Vec<String> {
    let secret = format!("acr-{REGISTRY}-ci-push");
    let client = reqwest::blocking::Client::new();
    versions(emulator, &secret)
        .iter()
        .filter_map(|v| {
            let url = format!(
                "{}/secrets/{secret}/{}?api-version=7.5",
                vault_url(emulator),
                v["version"].as_str()?
            );
            let body: Value = client
                .get(url)
                .bearer_auth(FAKE_TOKEN)
                .send()
                .ok()?
                .json()
                .ok()?;
            body["value"].as_str().map(str::to_owned)
        })
        .collect()
}

fn assert_no_password_in(emulator: &Emulator, runs: &[&Run]) {
    let values = password_values(emulator);
    assert!(!values.is_empty(), "the emulator shows no password value");
    for run in runs {
        for value in &values {
            assert!(
                !run.stdout.contains(value.as_str()) && !run.stderr.contains(value.as_str()),
                "a password value was printed\n{run}"
            );
        }
    }
}

#[test]
fn each_password_is_delivered_as_the_newest_version_and_is_the_live_one() {
    let emulator = emulator();
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let apply = scopeform(&emulator)
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(
        apply
            .stdout
            .contains("New passwords were written to Key Vault"),
        "{apply}"
    );
    let secret = format!("acr-{REGISTRY}-ci-push");
    let versions = versions(&emulator, &secret);
    assert_eq!(versions.len(), 1, "{versions:#?}");
    let version = &versions[0];
    assert_eq!(version["is_current"], true, "{version:#}");
    assert_eq!(
        version["content_type"],
        "application/vnd.scopeform.acr-token-password"
    );
    assert_eq!(version["tags"]["registry"], REGISTRY);
    assert_eq!(version["tags"]["token"], "ci-push");
    assert_eq!(version["tags"]["slot"], "password1");
    let live = live_password(&emulator, "ci-push", "password1").expect("password1");
    let created: chrono::DateTime<chrono::Utc> = version["tags"]["created"]
        .as_str()
        .expect("created tag")
        .parse()
        .expect("RFC 3339");
    let live_created: chrono::DateTime<chrono::Utc> = live["creation_time"]
        .as_str()
        .expect("creation_time")
        .parse()
        .expect("RFC 3339");
    assert_eq!(created, live_created);
    assert!(!version["expires"].is_null(), "{version:#}");

    // Nothing more to do, and drift finds every live password in Key Vault.
    scopeform(&emulator)
        .args(["plan", "--detailed-exitcode"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    let drift = scopeform(&emulator)
        .args(["drift", "--key-vault"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);

    // A forced rotation is a new version; the newest is the live password.
    let replace = scopeform(&emulator)
        .args([
            "apply",
            "--auto-approve",
            "--replace",
            "token.ci-push.password1",
        ])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    let versions = self::versions(&emulator, &secret);
    assert_eq!(versions.len(), 2, "{versions:#?}");
    assert_eq!(versions[0]["is_current"], false);
    assert_eq!(versions[1]["is_current"], true);
    assert_no_password_in(&emulator, &[&apply, &drift, &replace]);
}

#[test]
fn a_saved_plan_delivers_to_the_key_vault_its_configuration_named() {
    let emulator = emulator();
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let plan_file = dir.path().join("reviewed.plan");
    scopeform(&emulator)
        .args(["plan", "--out"])
        .arg_path(&plan_file)
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    // Applied without the configuration, and without a secrets file.
    let apply = scopeform(&emulator)
        .args(["apply", "--auto-approve", "--plan"])
        .arg_path(&plan_file)
        .run()
        .expect_code(0);
    let versions = versions(&emulator, &format!("acr-{REGISTRY}-ci-push"));
    assert_eq!(versions.len(), 1, "{versions:#?}");
    assert_eq!(versions[0]["is_current"], true, "{:#}", versions[0]);
    assert_no_password_in(&emulator, &[&apply]);

    // Key Vault failing before a saved plan's rotation stops it as it stops any apply.
    scopeform(&emulator)
        .args(["plan", "--replace", "token.ci-push.password1", "--out"])
        .arg_path(&plan_file)
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    set_key_vault_down(&emulator, true);
    let refused = scopeform(&emulator)
        .args(["apply", "--auto-approve", "--plan"])
        .arg_path(&plan_file)
        .run();
    assert_ne!(refused.code, 0, "{refused}");
    assert!(refused.stderr.contains("nothing was changed"), "{refused}");
    set_key_vault_down(&emulator, false);
    let versions = self::versions(&emulator, &format!("acr-{REGISTRY}-ci-push"));
    assert_eq!(
        versions.len(),
        1,
        "the refused apply rotated: {versions:#?}"
    );
    assert_eq!(versions[0]["is_current"], true);
}

#[test]
fn key_vault_down_before_the_apply_changes_nothing() {
    let emulator = emulator();
    set_key_vault_down(&emulator, true);
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let run = scopeform(&emulator)
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run();
    assert_ne!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("Key Vault cannot be used")
            && run.stderr.contains("nothing was changed"),
        "{run}"
    );
    assert!(run.stderr.contains("503"), "{run}");
    assert!(
        !token_exists(&emulator, "ci-push"),
        "the apply changed the registry"
    );
}

#[test]
fn a_password_key_vault_refused_after_generation_is_rotated_again_by_the_next_apply() {
    let emulator = slow_emulator();
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let mut apply = Spawned::start(
        scopeform(&emulator)
            .args(["apply", "--auto-approve"])
            .arg_path(dir.path())
            .into_command(),
    );
    // Key Vault was checked before the token was created: it goes down now, before the
    // password is generated (the emulator answers slowly, so the password is not there yet).
    assert!(
        apply.stop_when(|| token_exists(&emulator, "ci-push")),
        "apply exited before creating the token"
    );
    assert!(live_password(&emulator, "ci-push", "password1").is_none());
    set_key_vault_down(&emulator, true);
    apply.resume();
    let first = apply.wait();
    assert_ne!(first.code, 0, "{first}");
    assert!(
        first.stdout.contains("could not be saved to Key Vault")
            && first.stdout.contains("rotates it again"),
        "{first}"
    );
    let lost = live_password(&emulator, "ci-push", "password1").expect("generated");
    let secret = format!("acr-{REGISTRY}-ci-push");
    assert!(versions(&emulator, &secret).is_empty());

    // drift --secrets reports what a consumer reading Key Vault lacks.
    set_key_vault_down(&emulator, false);
    let drift = scopeform(&emulator)
        .args(["drift", "--key-vault"])
        .arg_path(dir.path())
        .run();
    assert_eq!(drift.code, 2, "{drift}");
    assert!(drift.stdout.contains("not in Key Vault"), "{drift}");

    let second = scopeform(&emulator)
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(
        second.stderr.contains("password1 of ci-push (created ")
            && second.stderr.contains("never reached Key Vault secret")
            && second.stderr.contains("rotating it again"),
        "{second}"
    );
    let now = live_password(&emulator, "ci-push", "password1").expect("password1");
    assert_ne!(now["creation_time"], lost["creation_time"]);
    let versions = versions(&emulator, &secret);
    assert_eq!(versions.len(), 1, "{versions:#?}");
    assert_eq!(versions[0]["is_current"], true);
    assert_no_password_in(&emulator, &[&first, &drift, &second]);
}

#[test]
fn a_password_generated_by_an_apply_killed_before_the_key_vault_write_is_rotated_again() {
    let emulator = slow_emulator();
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let mut apply = Spawned::start(
        scopeform(&emulator)
            .args(["apply", "--auto-approve"])
            .arg_path(dir.path())
            .into_command(),
    );
    assert!(
        apply.stop_when(|| token_exists(&emulator, "ci-push")),
        "apply exited before creating the token"
    );
    // Key Vault down: the write after generation cannot get through, so the kill below
    // lands between generation and a Key Vault write that never happened.
    set_key_vault_down(&emulator, true);
    apply.resume();
    assert!(
        apply.stop_when(|| live_password(&emulator, "ci-push", "password1").is_some()),
        "apply exited before generating the password"
    );
    let killed = apply.kill();
    set_key_vault_down(&emulator, false);
    let secret = format!("acr-{REGISTRY}-ci-push");
    assert!(versions(&emulator, &secret).is_empty());

    let again = scopeform(&emulator)
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    assert!(
        again.stderr.contains("never reached Key Vault secret")
            && again.stderr.contains("rotating it again"),
        "{again}"
    );
    let versions = versions(&emulator, &secret);
    assert_eq!(versions.len(), 1, "{versions:#?}");
    assert_eq!(versions[0]["is_current"], true);
    assert_no_password_in(&emulator, &[&killed, &again]);
}

/// Key Vault's error body quoting the value it was sent: scopeform's output does not.
#[test]
fn a_plain_http_key_vault_endpoint_off_loopback_is_refused() {
    let emulator = emulator();
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let run = emulator
        .scopeform()
        .env(
            "SCOPEFORM_KEYVAULT_ENDPOINT",
            "http://example.com/keyvault/myvault",
        )
        .env("SCOPEFORM_KEYVAULT_TOKEN", FAKE_TOKEN)
        .args(["apply", "--auto-approve"])
        .arg_path(dir.path())
        .run();
    assert_ne!(run.code, 0, "{run}");
    assert!(run.stderr.contains("plain http"), "{run}");
    assert!(!token_exists(&emulator, "ci-push"));
}

/// A snapshot is offline: its made-up passwords never go to the vault the configuration names
/// (that would be the real one), so such an apply needs a secrets file.
#[test]
fn a_snapshot_apply_delivers_nothing_to_the_configurations_vault() {
    let dir = config_dir(&[("config.yaml", &config(""))]);
    let state = dir.path().join("live.json");
    let empty = json!({
        "format_version": "1",
        "registry": {"subscription": SUBSCRIPTION, "resource_group": RESOURCE_GROUP, "name": REGISTRY},
        "scope_maps": [{"name": "_repositories_push", "system": true,
                        "actions": ["repositories/*/content/read", "repositories/*/content/write"]}],
        "tokens": [],
        "connected_registries": []
    });
    std::fs::write(&state, empty.to_string()).expect("write snapshot");
    let run = crate::support::scopeform()
        .args(["apply", "--auto-approve", "--state"])
        .arg_path(&state)
        .arg_path(dir.path().join("config.yaml"))
        .run();
    assert_ne!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("no secrets file was given and no Key Vault is used; nothing was changed"),
        "{run}"
    );
}

/// Before anything changes, the versions of every token's secret are listed: several at once
/// (at most eight), not one after another, so a registry of hundreds of tokens is not minutes
/// of round trips before the first write. Seen on the emulator's count of Key Vault requests in
/// flight, with each answer 100 ms late; `drift --key-vault` lists them and writes nothing.
#[test]
fn the_secrets_of_many_tokens_are_listed_several_at_once() {
    let emulator = slow_emulator();
    let token =
        "    scope_map: _repositories_pull\n    passwords:\n      password1: { expires_in: 30d }\n";
    let tokens: String = (0..12)
        .map(|i| format!("  ci-{i:02}:\n{token}"))
        .collect::<Vec<_>>()
        .concat();
    let text = format!(
        "registry:\n  name: {REGISTRY}\n  subscription: {SUBSCRIPTION}\n  resource_group: {RESOURCE_GROUP}\n\
         secrets:\n  key_vault: https://{VAULT}.vault.azure.net\ntokens:\n{tokens}"
    );
    let dir = config_dir(&[("config.yaml", &text)]);
    scopeform(&emulator)
        .args(["drift", "--key-vault"])
        .arg_path(dir.path())
        .run()
        .expect_code(2);
    let stats = &emulator.state()["stats"];
    let most = stats["max_concurrent_key_vault_requests"]
        .as_u64()
        .expect("stat");
    assert!((2..=8).contains(&most), "{stats:#}");
    assert_eq!(stats["key_vault_writes"], 0, "{stats:#}");
}

/// A plan says where its new passwords go: the vault and each password's secret, in every
/// format, so that a reviewer reads it. A pull request that moves `secrets.key_vault` is the
/// way to have the next passwords written where someone else reads them: with `plan --base`
/// the plan warns that the vault changed, and from what.
#[test]
fn the_plan_shows_where_new_passwords_go_and_a_vault_the_pull_request_changed() {
    let emulator = emulator();
    let repo = tempfile::tempdir().expect("temp dir");
    let root = repo.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.name", "Test"]);
    git(root, &["config", "user.email", "test@example.com"]);
    std::fs::create_dir(root.join("config")).expect("mkdir");
    std::fs::write(root.join("config/config.yaml"), config("")).expect("write");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "base"]);
    git(root, &["tag", "base"]);

    let plan = scopeform(&emulator)
        .current_dir(root)
        .args(["plan", "config"])
        .run()
        .expect_code(0);
    let secret = format!("acr-{REGISTRY}-ci-push");
    assert!(
        plan.stdout.contains(&format!(
            "New passwords go to Key Vault https://{VAULT}.vault.azure.net:\n  \
             token.ci-push.password1 -> secret {secret}\n"
        )),
        "{plan}"
    );
    let markdown = scopeform(&emulator)
        .current_dir(root)
        .args(["plan", "config", "--format", "markdown"])
        .run()
        .expect_code(0);
    assert!(
        markdown.stdout.contains(&format!(
            "New passwords go to Key Vault `https://{VAULT}.vault.azure.net`"
        )),
        "{markdown}"
    );
    assert!(
        markdown
            .stdout
            .contains(&format!("`token.ci-push.password1` → secret `{secret}`")),
        "{markdown}"
    );
    let json = scopeform(&emulator)
        .current_dir(root)
        .args(["plan", "config", "--format", "json"])
        .run()
        .expect_code(0);
    let json: Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(
        json["passwords_to"],
        json!({
            "key_vault": format!("https://{VAULT}.vault.azure.net"),
            "secrets": [{"address": "token.ci-push.password1", "secret": secret}],
        })
    );

    // The pull request moves the vault.
    let moved = config("").replace(
        &format!("https://{VAULT}.vault.azure.net"),
        "https://elsewhere.vault.azure.net",
    );
    std::fs::write(root.join("config/config.yaml"), moved).expect("write");
    let plan = scopeform(&emulator)
        .current_dir(root)
        .args(["plan", "config", "--base", "base"])
        .run()
        .expect_code(0);
    assert!(
        plan.stdout.contains(&format!(
            "Warning: the Key Vault new passwords go to changed since base: it was \
             https://{VAULT}.vault.azure.net, it is https://elsewhere.vault.azure.net"
        )),
        "{plan}"
    );
    let json = scopeform(&emulator)
        .current_dir(root)
        .args(["plan", "config", "--base", "base", "--format", "json"])
        .run()
        .expect_code(0);
    let json: Value = serde_json::from_str(&json.stdout).expect("json");
    assert!(
        json["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("changed since base"))),
        "{json:#}"
    );
    // Against a snapshot nothing goes to the vault (without `--keyvault-endpoint`), and the
    // plan says nothing of it.
    let snapshot = root.join("live.json");
    scopeform(&emulator)
        .args(["snapshot", "--out"])
        .arg_path(&snapshot)
        .arg_path(root.join("config"))
        .run()
        .expect_code(0);
    let offline = crate::support::scopeform()
        .current_dir(root)
        .args(["plan", "config", "--state", "live.json"])
        .run()
        .expect_code(0);
    assert!(!offline.stdout.contains("Key Vault"), "{offline}");
}

/// `plan --key-vault` plans what `apply` would: a live password Key Vault lacks is rotated
/// again, and a plan saved with it delivers one (`apply --plan` alone checks only the slots
/// the plan generates, so a plan saved without it leaves the password undelivered). Here the
/// password was made before `secrets` named the vault.
#[test]
fn plan_key_vault_plans_the_rotation_apply_would_and_a_saved_plan_delivers_it() {
    let emulator = emulator();
    let secrets_file = tempfile::tempdir().expect("temp dir");
    let before = config("").replace(
        &format!("secrets:\n  key_vault: https://{VAULT}.vault.azure.net\n"),
        "",
    );
    let dir = config_dir(&[("config.yaml", &before)]);
    scopeform(&emulator)
        .args(["apply", "--auto-approve", "--secrets-out"])
        .arg_path(secrets_file.path().join("secrets.json"))
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    std::fs::write(dir.path().join("config.yaml"), config("")).expect("write");

    scopeform(&emulator)
        .args(["plan", "--detailed-exitcode"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    let saved = secrets_file.path().join("plan.bin");
    let plan = scopeform(&emulator)
        .args(["plan", "--key-vault", "--detailed-exitcode", "--out"])
        .arg_path(&saved)
        .arg_path(dir.path())
        .run()
        .expect_code(2);
    assert!(
        plan.stdout
            .contains("token.ci-push.password1 will be rotated"),
        "{plan}"
    );
    assert!(
        plan.stderr.contains("password1 of ci-push (created ")
            && plan.stderr.contains("never reached Key Vault secret")
            && plan.stderr.contains("rotating it again"),
        "{plan}"
    );
    let apply = scopeform(&emulator)
        .args(["apply", "--plan"])
        .arg_path(&saved)
        .run()
        .expect_code(0);
    let versions = versions(&emulator, &format!("acr-{REGISTRY}-ci-push"));
    assert_eq!(versions.len(), 1, "{versions:#?}");
    assert_eq!(versions[0]["is_current"], true);
    scopeform(&emulator)
        .args(["drift", "--key-vault"])
        .arg_path(dir.path())
        .run()
        .expect_code(0);
    // Without a vault to compare with, `--key-vault` is a usage error.
    let no_vault = config_dir(&[("config.yaml", &before)]);
    scopeform(&emulator)
        .args(["plan", "--key-vault"])
        .arg_path(no_vault.path())
        .run()
        .expect_code(64);
    assert_no_password_in(&emulator, &[&plan, &apply]);
}
