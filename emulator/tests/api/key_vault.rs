//! Key Vault's secrets API as the emulator serves it under `/keyvault/{vault}`: the bearer
//! challenge, set/get/list/update with Key Vault's bodies and errors, paging, faults, the
//! clock, and the state hook's `is_current` (issue 14, part 4). Requests are shaped as
//! `azure_security_keyvault_secrets` 1.0.1 sends them: api-version `2025-07-01`, a first
//! request without `Authorization` nor body, `secrets/{name}/` for the newest version.

use crate::common;

use acr_emulator::Options;
use common::{Arm, Reply, registry_path};
use reqwest::Method;
use serde_json::{Value, json};

const VAULT: &str = "myvault";
const KV_API: &str = "api-version=2025-07-01";

fn kv_options() -> Options {
    Options {
        key_vaults: vec![VAULT.to_owned()],
        ..common::sync_options()
    }
}

/// The vault URL a client uses: `http://127.0.0.1:PORT/keyvault/myvault`.
fn vault_url(arm: &Arm) -> String {
    format!("{}/keyvault/{VAULT}", arm.base())
}

/// `path` under the vault, with the api-version (unless `path` already has a query).
fn kv_url(arm: &Arm, path: &str) -> String {
    if path.starts_with("http") {
        return path.to_owned();
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{}{path}{separator}{KV_API}", vault_url(arm))
}

fn kv(arm: &Arm, method: Method, path: &str, body: Option<&Value>) -> Reply {
    arm.send(method, &kv_url(arm, path), body)
}

fn set(arm: &Arm, name: &str, body: &Value) -> Reply {
    let reply = kv(arm, Method::PUT, &format!("/secrets/{name}"), Some(body));
    assert_eq!(reply.status, 200, "{reply:?}");
    reply
}

/// The version part of a secret id `…/secrets/{name}/{version}`.
fn version_of(bundle: &Value) -> String {
    let id = bundle["id"].as_str().expect("id");
    id.rsplit('/').next().expect("version").to_owned()
}

fn vault_state(arm: &Arm) -> Value {
    arm.state()["vaults"]
        .as_array()
        .and_then(|v| v.iter().find(|v| v["name"] == VAULT).cloned())
        .expect("the vault is in the state")
}

#[test]
fn a_request_without_token_is_challenged_then_served() {
    let mut arm = Arm::start(kv_options());
    arm.bearer = None;
    // The crate's first request: no Authorization header and no body.
    let reply = kv(&arm, Method::PUT, "/secrets/first", None);
    assert_eq!(reply.status, 401, "{reply:?}");
    assert_eq!(reply.code(), "Unauthorized");
    let challenge = reply.header("www-authenticate").expect("a challenge");
    let host = arm.base().trim_start_matches("http://");
    assert!(
        challenge.starts_with(&format!("Bearer authorization=\"http://{host}/")),
        "{challenge}"
    );
    assert!(
        challenge.contains("resource=\"https://vault.azure.net\""),
        "{challenge}"
    );
    arm.bearer = Some("fake-key-vault-token-for-tests".to_owned());
    let reply = set(&arm, "first", &json!({ "value": "one" }));
    assert_eq!(reply.body["value"], "one");
}

#[test]
fn a_configured_token_is_required_as_for_arm() {
    let mut arm = Arm::start(Options {
        token: Some("fake-arm-token-for-tests".to_owned()),
        ..kv_options()
    });
    arm.bearer = Some("some-other-token".to_owned());
    let reply = kv(&arm, Method::GET, "/secrets", None);
    assert_eq!(reply.status, 401, "{reply:?}");
    assert!(reply.header("www-authenticate").is_some());
    arm.bearer = Some("fake-arm-token-for-tests".to_owned());
    assert_eq!(kv(&arm, Method::GET, "/secrets", None).status, 200);
}

#[test]
fn set_then_get_the_newest_and_list_versions_without_values() {
    let arm = Arm::start(kv_options());
    let tags = json!({ "registry": "myregistry", "token": "ci-token", "slot": "password1" });
    let first = set(
        &arm,
        "acr-myregistry-ci",
        &json!({
            "value": "first-fake-value",
            "contentType": "text/plain",
            "attributes": { "enabled": true, "exp": 1_900_000_000 },
            "tags": tags,
        }),
    )
    .body;
    let version = version_of(&first);
    assert_eq!(version.len(), 32);
    assert!(
        version
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{version}"
    );
    assert_eq!(
        first["id"],
        format!("{}/secrets/acr-myregistry-ci/{version}", vault_url(&arm))
    );
    assert_eq!(first["value"], "first-fake-value");
    assert_eq!(first["contentType"], "text/plain");
    assert_eq!(first["tags"], tags);
    let attributes = &first["attributes"];
    assert_eq!(attributes["enabled"], true);
    assert_eq!(attributes["exp"], 1_900_000_000);
    assert!(attributes["created"].is_i64(), "{attributes}");
    assert_eq!(attributes["created"], attributes["updated"]);
    assert_eq!(attributes["recoveryLevel"], "Recoverable+Purgeable");

    let second = set(
        &arm,
        "acr-myregistry-ci",
        &json!({ "value": "second-fake-value" }),
    )
    .body;
    assert_ne!(version_of(&second), version);
    // The crate asks for the newest version as `secrets/{name}/` (empty version).
    for path in ["/secrets/acr-myregistry-ci/", "/secrets/acr-myregistry-ci"] {
        let newest = kv(&arm, Method::GET, path, None);
        assert_eq!(newest.status, 200, "{newest:?}");
        assert_eq!(newest.body["value"], "second-fake-value");
        assert_eq!(newest.body["id"], second["id"]);
    }
    let old = kv(
        &arm,
        Method::GET,
        &format!("/secrets/acr-myregistry-ci/{version}"),
        None,
    );
    assert_eq!(old.body["value"], "first-fake-value");

    let list = kv(
        &arm,
        Method::GET,
        "/secrets/acr-myregistry-ci/versions",
        None,
    );
    assert_eq!(list.status, 200, "{list:?}");
    let items = list.body["value"].as_array().expect("value");
    assert_eq!(items.len(), 2);
    assert!(list.body["nextLink"].is_null(), "{}", list.body);
    for item in items {
        assert!(item.get("value").is_none(), "a list shows no value: {item}");
        assert!(item["attributes"]["created"].is_i64());
    }
    let ids: Vec<&Value> = items.iter().map(|i| &i["id"]).collect();
    assert!(ids.contains(&&first["id"]) && ids.contains(&&second["id"]));

    let stats = &arm.state()["stats"];
    assert_eq!(
        (&stats["key_vault_requests"], &stats["key_vault_writes"]),
        (&json!(6), &json!(2)),
        "{stats}"
    );
    assert_eq!(
        stats["requests"], 0,
        "ARM's counts are ARM's alone: {stats}"
    );

    let secrets = kv(&arm, Method::GET, "/secrets", None);
    assert_eq!(
        secrets.body["value"][0]["id"],
        format!("{}/secrets/acr-myregistry-ci", vault_url(&arm))
    );
    assert!(secrets.body["value"][0].get("value").is_none());
}

/// Follows `nextLink`s from `path`; returns the ids and the number of pages.
fn all_pages(arm: &Arm, path: &str) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    let mut next = kv_url(arm, path);
    loop {
        let reply = arm.send(Method::GET, &next, None);
        assert_eq!(reply.status, 200, "{reply:?}");
        pages += 1;
        for item in reply.body["value"].as_array().expect("value") {
            ids.push(item["id"].as_str().expect("id").to_owned());
        }
        match reply.body["nextLink"].as_str() {
            Some(link) => link.clone_into(&mut next),
            None => return (ids, pages),
        }
    }
}

#[test]
fn lists_are_paged_with_next_links_and_maxresults() {
    let arm = Arm::start(kv_options());
    for i in 0..5 {
        set(&arm, "paged", &json!({ "value": format!("v{i}") }));
        set(&arm, &format!("secret-{i}"), &json!({ "value": "x" }));
    }
    let (ids, pages) = all_pages(&arm, "/secrets/paged/versions?maxresults=2");
    assert_eq!((ids.len(), pages), (5, 3), "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 5);
    let (ids, pages) = all_pages(&arm, "/secrets?maxresults=4");
    assert_eq!((ids.len(), pages), (6, 2), "{ids:?}");
    for bad in ["0", "26", "many"] {
        let reply = kv(
            &arm,
            Method::GET,
            &format!("/secrets/paged/versions?maxresults={bad}"),
            None,
        );
        assert_eq!((reply.status, reply.code()), (400, "BadParameter"), "{bad}");
    }
}

#[test]
fn the_page_size_option_pages_key_vault_too() {
    let arm = Arm::start(Options {
        page_size: 1,
        ..kv_options()
    });
    for i in 0..3 {
        set(&arm, "paged", &json!({ "value": format!("v{i}") }));
    }
    let (ids, pages) = all_pages(&arm, "/secrets/paged/versions");
    assert_eq!((ids.len(), pages), (3, 3));
}

#[test]
fn bad_names_unknown_vaults_secrets_and_versions_have_key_vault_errors() {
    let arm = Arm::start(kv_options());
    let long = "a".repeat(128);
    for bad in ["bad_name", "bad.name", long.as_str()] {
        let reply = kv(
            &arm,
            Method::PUT,
            &format!("/secrets/{bad}"),
            Some(&json!({ "value": "x" })),
        );
        assert_eq!((reply.status, reply.code()), (400, "BadParameter"), "{bad}");
        assert!(
            reply.body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(bad))
        );
    }
    set(&arm, &"a".repeat(127), &json!({ "value": "x" }));

    let reply = arm.send(
        Method::GET,
        &format!("{}/keyvault/othervault/secrets?{KV_API}", arm.base()),
        None,
    );
    assert_eq!(reply.status, 404, "{reply:?}");
    assert!(reply.body["error"]["message"].is_string());

    let reply = kv(&arm, Method::GET, "/secrets/missing/", None);
    assert_eq!((reply.status, reply.code()), (404, "SecretNotFound"));
    set(&arm, "present", &json!({ "value": "x" }));
    let reply = kv(
        &arm,
        Method::GET,
        "/secrets/present/0123456789abcdef0123456789abcdef",
        None,
    );
    assert_eq!((reply.status, reply.code()), (404, "SecretNotFound"));
    let reply = kv(&arm, Method::GET, "/secrets/missing/versions", None);
    assert_eq!((reply.status, reply.code()), (404, "SecretNotFound"));

    let reply = kv(&arm, Method::PUT, "/secrets/novalue", Some(&json!({})));
    assert_eq!((reply.status, reply.code()), (400, "BadParameter"));

    for version in ["7.5", "7.6"] {
        let reply = arm.send(
            Method::GET,
            &format!("{}/secrets?api-version={version}", vault_url(&arm)),
            None,
        );
        assert_eq!(reply.status, 200, "{version}");
    }
    let reply = arm.send(
        Method::GET,
        &format!("{}/secrets?api-version=2025-11-01", vault_url(&arm)),
        None,
    );
    assert_eq!((reply.status, reply.code()), (400, "BadParameter"));
}

#[test]
fn a_disabled_version_is_forbidden_to_read() {
    let arm = Arm::start(kv_options());
    let first = set(&arm, "rotating", &json!({ "value": "old" })).body;
    let version = version_of(&first);
    set(&arm, "rotating", &json!({ "value": "new" }));
    let update = kv(
        &arm,
        Method::PATCH,
        &format!("/secrets/rotating/{version}"),
        Some(&json!({ "attributes": { "enabled": false }, "tags": { "state": "retired" } })),
    );
    assert_eq!(update.status, 200, "{update:?}");
    assert_eq!(update.body["attributes"]["enabled"], false);
    assert_eq!(update.body["tags"]["state"], "retired");
    assert!(update.body.get("value").is_none());

    let reply = kv(
        &arm,
        Method::GET,
        &format!("/secrets/rotating/{version}"),
        None,
    );
    assert_eq!(
        (reply.status, reply.code()),
        (403, "Forbidden"),
        "{reply:?}"
    );
    assert_eq!(
        reply.body["error"]["message"],
        "Operation get is not allowed on a disabled secret."
    );
    // The newest version is still readable; disabling it makes the secret unreadable.
    assert_eq!(
        kv(&arm, Method::GET, "/secrets/rotating/", None).body["value"],
        "new"
    );
    let update = kv(
        &arm,
        Method::PATCH,
        "/secrets/rotating/",
        Some(&json!({ "attributes": { "enabled": false } })),
    );
    assert_eq!(update.status, 200);
    assert_eq!(kv(&arm, Method::GET, "/secrets/rotating", None).status, 403);
    // Listed all the same.
    let list = kv(&arm, Method::GET, "/secrets/rotating/versions", None);
    assert_eq!(list.body["value"].as_array().map(Vec::len), Some(2));
}

#[test]
fn key_vault_down_answers_503_while_arm_works_and_the_hook_brings_it_back() {
    let arm = Arm::with_registry(Options {
        key_vault_down: true,
        ..kv_options()
    });
    let reply = kv(
        &arm,
        Method::PUT,
        "/secrets/x",
        Some(&json!({ "value": "x" })),
    );
    assert_eq!(reply.status, 503, "{reply:?}");
    assert_eq!(reply.code(), "ServiceUnavailable");
    assert_eq!(arm.get(&registry_path()).status, 200, "ARM works");
    assert_eq!(arm.state()["key_vault_down"], true);

    let hook = format!("{}/_emulator/key-vault", arm.base());
    let up = arm.send(Method::POST, &hook, Some(&json!({ "down": false })));
    assert_eq!((up.status, &up.body), (200, &json!({ "down": false })));
    set(&arm, "x", &json!({ "value": "x" }));
    let down = arm.send(Method::POST, &hook, Some(&json!({ "down": true })));
    assert_eq!(down.body, json!({ "down": true }));
    assert_eq!(kv(&arm, Method::GET, "/secrets/x", None).status, 503);
    assert_eq!(arm.send(Method::GET, &hook, None).body["down"], true);
}

#[test]
fn key_vault_fail_every_fails_only_key_vault_requests() {
    let arm = Arm::with_registry(Options {
        key_vault_fail_every: Some(2),
        ..kv_options()
    });
    let statuses: Vec<u16> = (0..4)
        .map(|_| {
            kv(
                &arm,
                Method::PUT,
                "/secrets/x",
                Some(&json!({ "value": "x" })),
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [200, 500, 200, 500]);
    let reply = kv(&arm, Method::GET, "/secrets/x", None);
    assert_eq!(reply.status, 200);
    let reply = kv(&arm, Method::GET, "/secrets/x", None);
    assert_eq!((reply.status, reply.code()), (500, "InternalServerError"));
    // ARM is not affected.
    for _ in 0..3 {
        arm.scope_map("pull-map", &["repositories/app/content/read"]);
    }
    // Nor are challenges counted.
    let mut anonymous = Arm::start(Options {
        key_vault_fail_every: Some(2),
        ..kv_options()
    });
    anonymous.bearer = None;
    assert_eq!(kv(&anonymous, Method::GET, "/secrets", None).status, 401);
    anonymous.bearer = Some("fake".to_owned());
    assert_eq!(kv(&anonymous, Method::GET, "/secrets", None).status, 200);
}

#[test]
fn fail_every_and_throttling_apply_to_key_vault_writes_as_to_arm() {
    let arm = Arm::start(Options {
        fail_every: Some(2),
        ..kv_options()
    });
    let statuses: Vec<u16> = (0..4)
        .map(|_| {
            kv(
                &arm,
                Method::PUT,
                "/secrets/x",
                Some(&json!({ "value": "x" })),
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [200, 500, 200, 500]);

    let arm = Arm::start(Options {
        throttle_writes: Some("1:0.001".parse().expect("valid")),
        ..kv_options()
    });
    set(&arm, "x", &json!({ "value": "x" }));
    let reply = kv(
        &arm,
        Method::PUT,
        "/secrets/x",
        Some(&json!({ "value": "x" })),
    );
    assert_eq!(
        (reply.status, reply.code()),
        (429, "Throttled"),
        "{reply:?}"
    );
    assert!(reply.header("retry-after").is_some());
    assert_eq!(
        kv(&arm, Method::GET, "/secrets/x", None).status,
        200,
        "reads pass"
    );
}

#[test]
fn the_state_says_whether_a_secret_holds_the_slots_current_password() {
    let arm = Arm::with_registry(kv_options());
    arm.scope_map("pull-map", &["repositories/app/content/read"]);
    arm.token("ci-token", "pull-map");
    let generated = arm.generate("ci-token", Some("password1"), None);
    let password = generated["passwords"][0]["value"]
        .as_str()
        .expect("value")
        .to_owned();
    let tags = json!({ "registry": common::REGISTRY, "token": "ci-token", "slot": "password1" });
    set(
        &arm,
        "acr-myregistry-ci",
        &json!({ "value": password, "contentType": "application/x-acr-token-password", "tags": tags }),
    );
    set(&arm, "unrelated", &json!({ "value": password }));
    let state_text = arm.state().to_string();
    assert!(
        !state_text.contains(&password),
        "the state hook never shows a value"
    );
    let vault = vault_state(&arm);
    let secrets = vault["secrets"].as_array().expect("secrets");
    let tagged = &secrets[0];
    assert_eq!(tagged["name"], "acr-myregistry-ci");
    let version = &tagged["versions"][0];
    assert_eq!(version["is_current"], true, "{vault}");
    assert_eq!(version["tags"], tags);
    assert_eq!(version["content_type"], "application/x-acr-token-password");
    assert_eq!(version["enabled"], true);
    assert!(version["created"].is_string());
    assert!(
        secrets[1]["versions"][0].get("is_current").is_none(),
        "untagged versions name no slot: {vault}"
    );

    arm.generate("ci-token", Some("password2"), None);
    assert_eq!(
        vault_state(&arm)["secrets"][0]["versions"][0]["is_current"],
        true,
        "rotating the other slot changes nothing"
    );
    arm.generate("ci-token", Some("password1"), None);
    assert_eq!(
        vault_state(&arm)["secrets"][0]["versions"][0]["is_current"],
        false,
        "a rotation of the slot makes the stored value stale"
    );
}

#[test]
fn the_clock_starts_where_told_moves_forward_only_and_dates_everything() {
    let start = "2030-01-01T00:00:00Z";
    let arm = Arm::with_registry(Options {
        clock: Some(start.parse().expect("valid")),
        ..kv_options()
    });
    let start_secs = 1_893_456_000_i64;
    let created = set(&arm, "x", &json!({ "value": "x" })).body["attributes"]["created"]
        .as_i64()
        .expect("created");
    assert!(
        (start_secs..start_secs + 60).contains(&created),
        "{created}"
    );

    let hook = format!("{}/_emulator/clock", arm.base());
    let moved = arm.send(
        Method::POST,
        &hook,
        Some(&json!({ "now": "2030-07-01T12:00:00Z" })),
    );
    assert_eq!(moved.status, 200, "{moved:?}");
    assert_eq!(moved.body["now"], "2030-07-01T12:00:00Z");
    arm.scope_map("pull-map", &["repositories/app/content/read"]);
    arm.token("ci-token", "pull-map");
    let generated = arm.generate("ci-token", Some("password1"), None);
    let creation = generated["passwords"][0]["creationTime"]
        .as_str()
        .expect("creationTime");
    assert!(creation.starts_with("2030-07-01T12:00:"), "{creation}");

    let back = arm.send(
        Method::POST,
        &hook,
        Some(&json!({ "now": "2030-03-01T00:00:00Z" })),
    );
    assert_eq!(back.status, 409, "{back:?}");
    let bad = arm.send(Method::POST, &hook, Some(&json!({ "now": "tomorrow" })));
    assert_eq!(bad.status, 400);
    let now = arm.send(Method::GET, &hook, None).body["now"]
        .as_str()
        .expect("now")
        .to_owned();
    assert!(now.starts_with("2030-07-01T12:0"), "{now}");
    assert!(
        arm.state()["now"]
            .as_str()
            .is_some_and(|n| n.starts_with("2030-07-01"))
    );
}

#[test]
fn vault_contents_survive_a_restart_with_the_state_file() {
    let dir = std::env::temp_dir().join(format!("acr-emulator-kv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let options = || Options {
        state_file: Some(file.clone()),
        ..kv_options()
    };
    let first = {
        let arm = Arm::start(options());
        set(
            &arm,
            "kept",
            &json!({ "value": "kept-fake-value", "tags": { "a": "b" } }),
        )
        .body
    };
    let arm = Arm::start(options());
    let reply = kv(&arm, Method::GET, "/secrets/kept/", None);
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body["value"], "kept-fake-value");
    assert_eq!(version_of(&reply.body), version_of(&first));
    drop(arm);
    let _ = std::fs::remove_dir_all(&dir);
}
