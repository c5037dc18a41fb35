//! `--async`: writes become long-running operations. PUT/PATCH answer 201 and an
//! `Azure-AsyncOperation` to poll; DELETE and generateCredentials answer 202 and a `Location`.
//! The change shows once the operation has completed.
//!
//! Assertions about the "in progress" phase are made only while the test can prove, by its own
//! clock, that the operation's delay has not yet passed, so a slow machine cannot make them
//! flaky.

use crate::common;

use std::time::{Duration, Instant};

use acr_emulator::Options;
use common::{Arm, Reply, registry_path, scope_map_id, token_id};
use reqwest::Method;
use serde_json::{Value, json};

const DELAY: Duration = Duration::from_millis(400);

fn async_arm(fail_async_every: Option<u64>) -> Arm {
    Arm::with_registry(Options {
        writes: acr_emulator::WriteStyle::SpecAsync,
        async_delay: DELAY,
        fail_async_every,
        ..Options::default()
    })
}

/// Whether the operation started at `t0` is certainly still running.
fn surely_running(t0: Instant) -> bool {
    t0.elapsed() + Duration::from_millis(50) < DELAY
}

fn poll(arm: &Arm, url: &str) -> Reply {
    arm.send(Method::GET, url, None)
}

/// Polls an `Azure-AsyncOperation` URL until its status is terminal.
fn wait_for_status(arm: &Arm, url: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = poll(arm, url);
        assert_eq!(reply.status, 200, "{reply:?}");
        if reply.body["status"] != "InProgress" {
            return reply.body;
        }
        assert!(Instant::now() < deadline, "operation never finished");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Polls a `Location` URL until it stops answering 202.
fn wait_for_location(arm: &Arm, url: &str) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = poll(arm, url);
        if reply.status != 202 {
            return reply;
        }
        assert!(Instant::now() < deadline, "operation never finished");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The operation URL's shape in the spec examples, on the emulator's base URL.
fn assert_operation_url(arm: &Arm, url: &str, resource_path: &str, prefix: &str) {
    let start = format!("{}{resource_path}/operationStatuses/{prefix}-", arm.base());
    let rest = url
        .strip_prefix(&start)
        .unwrap_or_else(|| panic!("{url} should start with {start}"));
    let uuid = rest
        .strip_suffix("?api-version=2025-11-01")
        .expect("api-version suffix");
    assert_eq!(uuid.len(), 36, "{uuid}");
}

#[test]
fn token_create_update_delete_as_operations() {
    let arm = async_arm(None);
    let path = format!("{}/tokens/myToken", registry_path());

    // Create.
    let t0 = Instant::now();
    let body = json!({ "properties": { "scopeMapId": scope_map_id("_repositories_pull") } });
    let reply = arm.put(&path, &body);
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(reply.body["properties"]["provisioningState"], "Creating");
    assert_eq!(reply.header("retry-after"), Some("0"));
    let operation = reply
        .header("azure-asyncoperation")
        .expect("Azure-AsyncOperation")
        .to_owned();
    assert_operation_url(&arm, &operation, &path, "tokens");
    let seen = arm.get(&path);
    if surely_running(t0) {
        assert_eq!(seen.status, 200, "a token being created can be read");
        assert_eq!(seen.body["properties"]["provisioningState"], "Creating");
        assert_eq!(
            arm.registry_state()["tokens"],
            json!([]),
            "not committed yet"
        );
    }
    let status = wait_status_if_running(&arm, &operation, t0);
    assert_eq!(status["status"], "Succeeded");
    assert!(status["endTime"].is_string());
    assert_eq!(
        status["name"].as_str().map(|n| n.starts_with("tokens-")),
        Some(true)
    );
    let reply = arm.get(&path);
    assert_eq!(reply.body["properties"]["provisioningState"], "Succeeded");
    assert_eq!(arm.registry_state()["tokens"][0]["name"], "myToken");

    // Update: reads show the old values, `Updating`, until the operation completes.
    let t0 = Instant::now();
    let reply = arm.patch(&path, &json!({ "properties": { "status": "disabled" } }));
    assert_eq!(reply.status, 201);
    assert_eq!(reply.body["properties"]["provisioningState"], "Updating");
    assert_eq!(reply.body["properties"]["status"], "disabled");
    let operation = reply
        .header("azure-asyncoperation")
        .expect("header")
        .to_owned();
    let during = arm.get(&path);
    let state_during = arm.registry_state();
    // Checked after both reads: if the delay had passed by now, either may be stale.
    if surely_running(t0) {
        assert_eq!(during.body["properties"]["provisioningState"], "Updating");
        assert_eq!(during.body["properties"]["status"], "enabled");
        assert_eq!(state_during["tokens"][0]["status"], "enabled");
    }
    assert_eq!(wait_for_status(&arm, &operation)["status"], "Succeeded");
    assert_eq!(arm.get(&path).body["properties"]["status"], "disabled");

    // Delete: 202 with Location, then 204 from the Location once done.
    let t0 = Instant::now();
    let reply = arm.delete(&path);
    assert_eq!(reply.status, 202);
    assert_eq!(reply.body, Value::Null);
    let location = reply.header("location").expect("Location").to_owned();
    assert_operation_url(&arm, &location, &path, "tokens");
    let first = poll(&arm, &location);
    if surely_running(t0) {
        assert_eq!(first.status, 202);
        assert_eq!(
            arm.get(&path).body["properties"]["provisioningState"],
            "Deleting"
        );
    }
    assert_eq!(wait_for_location(&arm, &location).status, 204);
    assert_eq!(arm.get(&path).status, 404);
    // Nothing to delete: 204 at once, no operation.
    assert_eq!(arm.delete(&path).status, 204);
}

/// Polls once while the operation is surely running (it must say InProgress), then waits.
fn wait_status_if_running(arm: &Arm, url: &str, t0: Instant) -> Value {
    let first = poll(arm, url);
    assert_eq!(first.status, 200);
    if surely_running(t0) {
        assert_eq!(first.body["status"], "InProgress", "{:?}", first.body);
        assert!(first.body["startTime"].is_string());
        assert!(first.body.get("endTime").is_none());
    }
    wait_for_status(arm, url)
}

#[test]
fn generate_credentials_result_comes_from_the_location() {
    let arm = async_arm(None);
    arm.token("ci-token", "_repositories_pull");
    // The token create was itself an operation; wait for it through the state hook.
    wait_until(|| {
        arm.registry_state()["tokens"]
            .as_array()
            .is_some_and(|t| t.len() == 1)
    });
    let t0 = Instant::now();
    let reply = arm.post(
        &format!("{}/generateCredentials", registry_path()),
        &json!({ "tokenId": token_id("ci-token"), "name": "password1" }),
    );
    assert_eq!(reply.status, 202, "{reply:?}");
    let location = reply.header("location").expect("Location").to_owned();
    assert_operation_url(&arm, &location, &registry_path(), "registries");
    let first = poll(&arm, &location);
    if surely_running(t0) {
        assert_eq!(first.status, 202);
        assert!(first.header("retry-after").is_some());
    }
    let done = wait_for_location(&arm, &location);
    assert_eq!(done.status, 200);
    assert_eq!(done.body["username"], "ci-token");
    assert_eq!(done.body["passwords"][0]["name"], "password1");
    assert!(done.body["passwords"][0]["value"].is_string());
    assert_eq!(
        arm.registry_state()["tokens"][0]["passwords"][0]["name"],
        "password1"
    );
}

#[test]
fn every_nth_operation_fails_without_applying_its_change() {
    let arm = async_arm(Some(2));
    let maps = format!("{}/scopeMaps", registry_path());
    let first = arm.put(
        &format!("{maps}/first-map"),
        &json!({ "properties": { "actions": ["repositories/*/content/read"] } }),
    );
    let second = arm.put(
        &format!("{maps}/second-map"),
        &json!({ "properties": { "actions": ["repositories/*/content/read"] } }),
    );
    assert_eq!((first.status, second.status), (201, 201));
    let url = |r: &Reply| r.header("azure-asyncoperation").expect("header").to_owned();
    assert_operation_url(
        &arm,
        &url(&first),
        &format!("{maps}/first-map"),
        "scopemaps",
    );
    assert_eq!(wait_for_status(&arm, &url(&first))["status"], "Succeeded");
    let failed = wait_for_status(&arm, &url(&second));
    assert_eq!(failed["status"], "Failed");
    assert!(failed["error"]["code"].is_string());
    assert!(failed["error"]["message"].is_string());
    assert_eq!(arm.get(&format!("{maps}/first-map")).status, 200);
    assert_eq!(
        arm.get(&format!("{maps}/second-map")).status,
        404,
        "a failed create leaves nothing"
    );
    let names: Vec<String> = arm.registry_state()["scope_maps"]
        .as_array()
        .expect("maps")
        .iter()
        .filter_map(|m| m["name"].as_str().map(str::to_owned))
        .collect();
    assert!(names.contains(&"first-map".to_owned()) && !names.contains(&"second-map".to_owned()));
}

#[test]
fn invalid_writes_fail_at_once_and_retry_after_rounds_up() {
    let arm = Arm::with_registry(Options {
        writes: acr_emulator::WriteStyle::SpecAsync,
        async_delay: Duration::from_millis(1500),
        ..Options::default()
    });
    let reply = arm.put(
        &format!("{}/scopeMaps/bad-map", registry_path()),
        &json!({ "properties": { "actions": ["repositories/Bad/content/read"] } }),
    );
    assert_eq!(reply.status, 400, "validation is synchronous");
    let reply = arm.put(
        &format!("{}/scopeMaps/good-map", registry_path()),
        &json!({ "properties": { "actions": ["repositories/*/content/read"] } }),
    );
    assert_eq!(reply.status, 201);
    assert_eq!(reply.header("retry-after"), Some("2"));
    // The new scope map is listed (as Creating) while the operation runs.
    let list = arm.get(&format!("{}/scopeMaps", registry_path()));
    let listed = list.body["value"]
        .as_array()
        .expect("value")
        .iter()
        .any(|m| m["name"] == "good-map");
    assert!(listed, "{}", list.body);
}

fn wait_until(mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "condition never held");
        std::thread::sleep(Duration::from_millis(25));
    }
}
