//! Token passwords: generateCredentials, what GET shows of them (never the value), and the
//! traps scopeform relies on: PUT without `credentials` wipes them, PATCH keeps listed slots.

use crate::common;

use common::{Arm, password_names, registry_path, scope_map_id, sync_options, token_id};
use serde_json::{Value, json};

fn token_path(name: &str) -> String {
    format!("{}/tokens/{name}", registry_path())
}

/// An emulator with `ci-token` on `_repositories_pull` holding both passwords.
fn with_two_passwords() -> Arm {
    let arm = Arm::with_registry(sync_options());
    arm.token("ci-token", "_repositories_pull");
    arm.generate("ci-token", None, Some("2030-01-01T00:00:00Z"));
    assert_eq!(
        password_names(&arm.get(&token_path("ci-token")).body),
        ["password1", "password2"]
    );
    arm
}

#[test]
fn generate_credentials_returns_values_once() {
    let arm = Arm::with_registry(sync_options());
    arm.token("ci-token", "_repositories_pull");
    let result = arm.generate("ci-token", Some("password2"), Some("2031-02-03T04:05:06Z"));
    assert_eq!(result["username"], "ci-token");
    let passwords = result["passwords"].as_array().expect("passwords");
    assert_eq!(passwords.len(), 1, "only the named slot: {result}");
    assert_eq!(passwords[0]["name"], "password2");
    assert_eq!(passwords[0]["expiry"], "2031-02-03T04:05:06Z");
    let value = passwords[0]["value"].as_str().expect("value");
    assert_eq!(value.len(), 44);
    assert!(
        value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    assert!(passwords[0]["creationTime"].is_string());

    let token = arm.get(&token_path("ci-token")).body;
    let shown = &token["properties"]["credentials"]["passwords"];
    assert_eq!(shown.as_array().map(Vec::len), Some(1));
    assert_eq!(shown[0]["name"], "password2");
    assert_eq!(shown[0]["expiry"], "2031-02-03T04:05:06Z");
    assert_eq!(shown[0]["creationTime"], passwords[0]["creationTime"]);
    assert!(shown[0].get("value").is_none(), "GET never returns a value");
    let list = arm.get(&format!("{}/tokens", registry_path())).body;
    assert!(!list.to_string().contains(value), "nor does the list");
    assert!(
        !arm.state().to_string().contains(value),
        "nor the state hook"
    );

    // A second generation of the same slot gives a new value; no expiry means none recorded.
    let again = arm.generate("ci-token", Some("password2"), None);
    assert_ne!(again["passwords"][0]["value"], passwords[0]["value"]);
    assert!(again["passwords"][0].get("expiry").is_none());
    let state = arm.registry_state();
    assert_eq!(state["tokens"][0]["passwords"][0]["expiry"], Value::Null);
    assert_eq!(state["tokens"][0]["passwords"][0]["name"], "password2");

    // Both slots when no name is given.
    let both = arm.generate("ci-token", None, None);
    assert_eq!(both["passwords"].as_array().map(Vec::len), Some(2));
}

#[test]
fn generate_credentials_checks_its_input() {
    let arm = Arm::with_registry(sync_options());
    arm.token("ci-token", "_repositories_pull");
    let path = format!("{}/generateCredentials", registry_path());
    let cases = [
        (json!({}), 400, "tokenId is required"),
        (
            json!({ "tokenId": token_id("ci-token"), "name": "password3" }),
            400,
            "two slots only",
        ),
        (
            json!({ "tokenId": token_id("ci-token"), "expiry": "next year" }),
            400,
            "expiry is a date-time",
        ),
        (
            json!({ "tokenId": "ci-token" }),
            400,
            "tokenId is an ARM id",
        ),
        (
            json!({ "tokenId": token_id("no-such-token") }),
            404,
            "the token must exist",
        ),
    ];
    for (body, status, why) in cases {
        let reply = arm.post(&path, &body);
        assert_eq!(reply.status, status, "{why}: {reply:?}");
        assert!(reply.body["error"]["code"].is_string(), "{why}");
    }
}

#[test]
fn put_without_credentials_wipes_passwords() {
    let arm = with_two_passwords();
    let reply = arm.put(
        &token_path("ci-token"),
        &json!({ "properties": { "scopeMapId": scope_map_id("_repositories_pull"), "status": "disabled" } }),
    );
    assert_eq!(reply.status, 200);
    // As real Azure shows a token without passwords.
    assert_eq!(
        reply.body["properties"]["credentials"],
        json!({ "passwords": [] }),
        "{}",
        reply.body
    );
    assert_eq!(
        password_names(&arm.get(&token_path("ci-token")).body),
        Vec::<String>::new()
    );
    assert_eq!(arm.registry_state()["tokens"][0]["passwords"], json!([]));
    assert_eq!(arm.registry_state()["tokens"][0]["status"], "disabled");
}

#[test]
fn put_with_credentials_keeps_the_listed_slots() {
    let arm = with_two_passwords();
    let reply = arm.put(
        &token_path("ci-token"),
        &json!({ "properties": {
            "scopeMapId": scope_map_id("_repositories_pull"),
            "credentials": { "passwords": [{ "name": "password2" }] }
        }}),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(password_names(&reply.body), ["password2"]);
}

#[test]
fn patch_keeps_only_listed_slots_and_leaves_them_alone_otherwise() {
    let arm = with_two_passwords();
    let path = token_path("ci-token");
    let before = arm.get(&path).body["properties"]["credentials"].clone();

    // No credentials: passwords untouched, status and scope map updated.
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "status": "disabled", "scopeMapId": scope_map_id("_repositories_push") } }),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["properties"]["credentials"], before);
    assert_eq!(reply.body["properties"]["status"], "disabled");
    assert_eq!(
        reply.body["properties"]["scopeMapId"],
        scope_map_id("_repositories_push")
    );

    // Credentials without passwords (certificates only): passwords untouched.
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "credentials": { "certificates": [] } } }),
    );
    assert_eq!(password_names(&reply.body), ["password1", "password2"]);

    // Listed slots stay, with their metadata; the others go.
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "credentials": { "passwords": [{ "name": "password1" }] } } }),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(password_names(&reply.body), ["password1"]);
    assert_eq!(
        reply.body["properties"]["credentials"]["passwords"][0], before["passwords"][0],
        "creation time and expiry are kept"
    );
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "credentials": { "passwords": [] } } }),
    );
    assert_eq!(password_names(&reply.body), Vec::<String>::new());
    let state = arm.registry_state();
    assert_eq!(state["tokens"][0]["passwords"], json!([]));
    assert_eq!(state["tokens"][0]["scope_map"], "_repositories_push");

    let reply = arm.patch(
        &path,
        &json!({ "properties": { "credentials": { "passwords": [{ "name": "password9" }] } } }),
    );
    assert_eq!(reply.status, 400);
    let reply = arm.patch(
        &token_path("missing-token"),
        &json!({ "properties": { "status": "enabled" } }),
    );
    assert_eq!(reply.status, 404);
}
