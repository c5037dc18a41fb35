//! The default write style follows real Azure as public recordings of its traffic show it
//! (Microsoft's CLI and PowerShell test recordings, 2021–2025), where it differs from the
//! spec's examples: synchronous `generateCredentials`, `201` + `{"status": "Creating"}`
//! operations, `202` + `Retry-After: 10` deletes polled at `…/operationResults/…`, the shapes
//! of tokens, passwords, connected registries and 404s, and registries with three system scope
//! maps.
//!
//! Assertions about the "in progress" phase are made only while the test can prove, by its own
//! clock, that the operation's delay has not yet passed.

use crate::common;

use std::time::{Duration, Instant};

use acr_emulator::{Options, SystemScopeMaps};
use common::{Arm, REGISTRY, SUB, registry_path, scope_map_id, token_id};
use reqwest::Method;
use serde_json::{Value, json};

const DELAY: Duration = Duration::from_millis(400);

fn azure(configure: impl FnOnce(&mut Options)) -> Arm {
    let mut options = Options {
        async_delay: DELAY,
        ..Options::default()
    };
    configure(&mut options);
    Arm::with_registry(options)
}

fn surely_running(t0: Instant) -> bool {
    t0.elapsed() + Duration::from_millis(50) < DELAY
}

/// Polls `url` until `done` holds for the reply, returning it.
fn poll_until(arm: &Arm, url: &str, done: impl Fn(&common::Reply) -> bool) -> common::Reply {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = arm.send(Method::GET, url, None);
        if done(&reply) {
            return reply;
        }
        assert!(Instant::now() < deadline, "never done: {reply:?}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn token_path(name: &str) -> String {
    format!("{}/tokens/{name}", registry_path())
}

/// A token on `_repositories_pull`, its creation followed to the end.
fn settled_token(arm: &Arm, name: &str) {
    let reply = arm.put(
        &token_path(name),
        &json!({ "properties": { "scopeMapId": scope_map_id("_repositories_pull") } }),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    let url = reply
        .header("azure-asyncoperation")
        .expect("operation")
        .to_owned();
    poll_until(arm, &url, |r| r.body["status"] == "Succeeded");
}

#[test]
fn token_put_and_scope_map_patch_are_operations_with_bare_status_bodies() {
    let arm = azure(|_| {});
    let t0 = Instant::now();
    let reply = arm.put(
        &token_path("ci-token"),
        &json!({ "properties": { "scopeMapId": scope_map_id("_repositories_pull") } }),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(reply.body["properties"]["provisioningState"], "Creating");
    let url = reply
        .header("azure-asyncoperation")
        .expect("operation")
        .to_owned();
    let running = arm.send(Method::GET, &url, None);
    if surely_running(t0) {
        assert_eq!(running.body, json!({ "status": "Creating" }));
    }
    let done = poll_until(&arm, &url, |r| r.body["status"] != "Creating");
    assert_eq!(done.body, json!({ "status": "Succeeded" }));

    arm.scope_map("ci-push", &["repositories/a/content/read"]);
    let map = format!("{}/scopeMaps/ci-push", registry_path());
    poll_until(&arm, &arm.url(&map), |r| {
        r.body["properties"]["provisioningState"] == "Succeeded"
    });
    let t0 = Instant::now();
    let reply = arm.patch(
        &map,
        &json!({ "properties": { "actions": ["repositories/b/content/read"] } }),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(reply.body["properties"]["provisioningState"], "Updating");
    let url = reply
        .header("azure-asyncoperation")
        .expect("operation")
        .to_owned();
    let running = arm.send(Method::GET, &url, None);
    let shown = arm.get(&map);
    if surely_running(t0) {
        assert_eq!(running.body, json!({ "status": "Updating" }));
        assert_eq!(shown.body["properties"]["provisioningState"], "Updating");
        // Real Azure refuses a write to an object with an operation under way.
        let again = arm.patch(&map, &json!({ "properties": { "description": "x" } }));
        assert_eq!(again.status, 409, "{again:?}");
    }
    poll_until(&arm, &url, |r| r.body == json!({ "status": "Succeeded" }));
}

#[test]
fn token_delete_is_polled_at_operation_results() {
    let arm = azure(|_| {});
    settled_token(&arm, "ci-token");
    let t0 = Instant::now();
    let reply = arm.delete(&token_path("ci-token"));
    assert_eq!(reply.status, 202, "{reply:?}");
    assert_eq!(reply.body, Value::Null, "no body");
    assert_eq!(reply.header("retry-after"), Some("10"));
    assert!(
        reply
            .header("x-ms-ratelimit-remaining-subscription-deletes")
            .is_some(),
        "{reply:?}"
    );
    let location = reply.header("location").expect("Location").to_owned();
    let start = format!(
        "{}/subscriptions/{SUB}/providers/Microsoft.ContainerRegistry/locations/WESTUS/operationResults/tokens-",
        arm.base()
    );
    assert!(location.starts_with(&start), "{location}");
    let shown = arm.get(&token_path("ci-token"));
    if surely_running(t0) {
        assert_eq!(shown.body["properties"]["provisioningState"], "Deleting");
        let running = arm.send(Method::GET, &location, None);
        assert_eq!(running.status, 202);
        assert_eq!(running.header("retry-after"), Some("10"));
    }
    let done = poll_until(&arm, &location, |r| r.status != 202);
    assert_eq!(done.status, 200);
    assert_eq!(done.body, Value::Null, "an empty body");
    let gone = arm.get(&token_path("ci-token"));
    assert_eq!(gone.status, 404);
    assert_eq!(gone.body["status"], "Failed", "{:?}", gone.body);
    assert_eq!(gone.body["error"]["code"], "ResourceNotFound");
}

#[test]
fn a_shorter_delete_retry_after_for_tests() {
    let arm = azure(|o| o.delete_retry_after = Duration::from_millis(250));
    settled_token(&arm, "ci-token");
    let reply = arm.delete(&token_path("ci-token"));
    assert_eq!(reply.header("retry-after"), Some("0.250"));
}

#[test]
fn generate_credentials_answers_at_once_in_real_azure_shapes() {
    let arm = azure(|_| {});
    settled_token(&arm, "ci-token");
    let token = arm.get(&token_path("ci-token")).body;
    assert_eq!(
        token["properties"]["credentials"],
        json!({ "passwords": [] }),
        "a token without passwords"
    );
    let reply = arm.post(
        &format!("{}/generateCredentials", registry_path()),
        &json!({ "tokenId": token_id("ci-token"), "name": "password1" }),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let password = &reply.body["passwords"][0];
    assert!(password["value"].as_str().is_some_and(|v| !v.is_empty()));
    assert!(password.get("expiry").is_none(), "{password}");
    let listed =
        arm.get(&token_path("ci-token")).body["properties"]["credentials"]["passwords"][0].clone();
    assert!(listed.get("expiry").is_none(), "no expiry key: {listed}");
    let created = listed["creationTime"].as_str().expect("creationTime");
    // `2025-03-19T20:00:18.3362328+00:00`: seven fractional digits and `+00:00`.
    let (seconds, fraction) = created.split_once('.').expect("a fraction");
    assert_eq!(seconds.len(), "2025-03-19T20:00:18".len(), "{created}");
    assert_eq!(fraction.len(), "3362328+00:00".len(), "{created}");
    assert!(fraction.ends_with("+00:00"), "{created}");
}

#[test]
fn connected_registry_without_client_tokens_has_no_client_token_ids() {
    let arm = azure(|_| {});
    settled_token(&arm, "sync-token");
    let path = format!("{}/connectedRegistries/edge01", registry_path());
    let reply = arm.put(
        &path,
        &json!({ "properties": {
            "mode": "ReadOnly",
            "parent": { "syncProperties": { "tokenId": token_id("sync-token"), "messageTtl": "P2D" } },
        }}),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    let shown = arm.get(&path).body;
    assert!(
        shown["properties"].get("clientTokenIds").is_none(),
        "{shown}"
    );
}

fn system_scope_maps(arm: &Arm) -> Vec<Value> {
    arm.get(&format!("{}/scopeMaps", registry_path())).body["value"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|m| m["properties"]["type"] == "SystemDefined")
        .cloned()
        .collect()
}

#[test]
fn registries_have_five_system_scope_maps_or_three_when_older() {
    let newer = azure(|_| {});
    assert_eq!(system_scope_maps(&newer).len(), 5);
    let older = azure(|o| o.system_scope_maps = SystemScopeMaps::Three);
    let maps = system_scope_maps(&older);
    let names: Vec<&str> = maps.iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "_repositories_admin",
            "_repositories_pull",
            "_repositories_push"
        ]
    );
    for map in &maps {
        assert!(map.get("systemData").is_none(), "{map}");
    }
    // A token bound to one the registry lacks is refused.
    let reply = older.put(
        &token_path("ci-token"),
        &json!({ "properties": { "scopeMapId": scope_map_id("_repositories_pull_metadata_read") } }),
    );
    assert_eq!(reply.status, 404, "{reply:?}");
    assert_eq!(older.registry_state()["name"], REGISTRY);
}

#[test]
fn a_failed_operation_leaves_the_object_failed_until_a_write_succeeds() {
    // Every second operation fails: the token's creation succeeds, its update does not.
    let arm = azure(|o| o.fail_async_every = Some(2));
    settled_token(&arm, "ci-token");
    let reply = arm.patch(
        &token_path("ci-token"),
        &json!({ "properties": { "status": "disabled" } }),
    );
    assert_eq!(reply.status, 201, "{reply:?}");
    let url = reply
        .header("azure-asyncoperation")
        .expect("operation")
        .to_owned();
    let failed = poll_until(&arm, &url, |r| r.body["status"] != "Updating");
    assert_eq!(failed.body["status"], "Failed");
    let token = arm.get(&token_path("ci-token")).body;
    assert_eq!(token["properties"]["provisioningState"], "Failed");
    assert_eq!(token["properties"]["status"], "enabled", "unchanged");
    // The next operation succeeds and settles it.
    let reply = arm.patch(
        &token_path("ci-token"),
        &json!({ "properties": { "status": "disabled" } }),
    );
    let url = reply
        .header("azure-asyncoperation")
        .expect("operation")
        .to_owned();
    poll_until(&arm, &url, |r| r.body["status"] == "Succeeded");
    let token = arm.get(&token_path("ci-token")).body;
    assert_eq!(token["properties"]["provisioningState"], "Succeeded");
    assert_eq!(token["properties"]["status"], "disabled");
}
