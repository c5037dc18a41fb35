//! The service's rules: names, scope map actions, references between objects, system scope
//! maps, tier limits, and the 409s of deleting what is still in use.

use crate::common;

use acr_emulator::Options;
use common::{Arm, registry_path, scope_map_id, sync_options, token_id};
use serde_json::json;

fn arm() -> Arm {
    Arm::with_registry(sync_options())
}

fn scope_map_body(actions: &[&str]) -> serde_json::Value {
    json!({ "properties": { "actions": actions } })
}

#[test]
fn names_follow_the_spec_patterns() {
    let arm = arm();
    arm.scope_map("readers", &["repositories/*/content/read"]);
    let r = registry_path();
    let cases = [
        (format!("{r}/tokens/tok"), "too short"),
        (
            format!("{r}/tokens/my_token"),
            "token names have no underscore",
        ),
        (format!("{r}/tokens/{}", "a".repeat(51)), "too long"),
        (format!("{r}/tokens/bad.name"), "dot"),
    ];
    for (path, why) in &cases {
        let reply = arm.put(
            path,
            &json!({ "properties": { "scopeMapId": scope_map_id("readers") } }),
        );
        assert_eq!(reply.status, 400, "{why}: {reply:?}");
        assert_eq!(reply.code(), "InvalidResourceName");
    }
    arm.token("ci-push-01", "readers");
    arm.scope_map("my_scope-map", &["repositories/*/content/read"]);
    let reply = arm.put(
        &format!("{r}/scopeMaps/my.map"),
        &scope_map_body(&["repositories/*/content/read"]),
    );
    assert_eq!(reply.status, 400);
    let reply = arm.put(
        "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/my-registry",
        &json!({ "location": "westus", "sku": { "name": "Basic" } }),
    );
    assert_eq!(reply.status, 400, "registry names are alphanumeric");
}

#[test]
fn scope_map_actions_follow_the_service_grammar() {
    let arm = arm();
    let path = format!("{}/scopeMaps/checked", registry_path());
    let valid = [
        "repositories/*/content/read",
        "repositories/samples/*/content/write",
        "repositories/samples/teama/*/metadata/read",
        "repositories/samples/hello-world/content/delete",
        "repositories/a.b__c/metadata/write",
        "gateway/edge01/config/read",
        "gateway/edge01/message/write",
    ];
    for action in valid {
        let reply = arm.put(&path, &scope_map_body(&[action]));
        assert!(matches!(reply.status, 200 | 201), "{action}: {reply:?}");
    }
    let invalid = [
        "repositories/sample/*/teama/content/read",
        "repositories/sample/teama*/content/read",
        "repositories/a/*/b/*/content/read",
        "repositories/**/content/read",
        "repositories/Samples/content/read",
        "repositories/samples/Content/Read",
        "repositories/myrepository/contentWrite",
        "repositories/myrepository/delete",
        "repositories/samples/config/read",
        "gateway/edge01/content/read",
        "gateway/Edge01/config/read",
        "registry/x/content/read",
        "",
    ];
    for action in invalid {
        let reply = arm.put(&path, &scope_map_body(&[action]));
        assert_eq!(reply.status, 400, "{action}: {reply:?}");
        assert_eq!(reply.code(), "InvalidScopeMapActions");
    }
    let reply = arm.put(
        &path,
        &json!({ "properties": { "description": "no actions" } }),
    );
    assert_eq!(reply.status, 400, "actions are required");
    assert_eq!(
        arm.put(&path, &scope_map_body(&[])).status,
        400,
        "actions must not be empty"
    );
    let many: Vec<String> = (0..501)
        .map(|i| format!("repositories/r{i}/content/read"))
        .collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        arm.put(&path, &scope_map_body(&many)).status,
        400,
        "at most 500 actions"
    );
    assert!(matches!(
        arm.put(&path, &scope_map_body(&many[..500])).status,
        200 | 201
    ));
    let reply = arm.patch(&path, &scope_map_body(&["repositories/A/content/read"]));
    assert_eq!(reply.status, 400, "PATCH checks actions too");
    let reply = arm.put(
        &path,
        &json!({ "properties": { "actions": "repositories/*/content/read" } }),
    );
    assert_eq!(reply.status, 400, "actions is a list");
    assert_eq!(reply.code(), "InvalidRequestContent");
}

#[test]
fn system_scope_maps_exist_and_cannot_change() {
    let arm = arm();
    let maps = arm.registry_state()["scope_maps"].clone();
    let names: Vec<&str> = maps
        .as_array()
        .expect("maps")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "_repositories_admin",
            "_repositories_pull",
            "_repositories_pull_metadata_read",
            "_repositories_push",
            "_repositories_push_metadata_write"
        ]
    );
    let pull = arm.get(&format!("{}/scopeMaps/_repositories_pull", registry_path()));
    assert_eq!(pull.body["properties"]["type"], "SystemDefined");
    assert_eq!(
        pull.body["properties"]["actions"],
        json!(["repositories/*/content/read"])
    );
    let path = format!("{}/scopeMaps/_repositories_push", registry_path());
    let reply = arm.put(&path, &scope_map_body(&["repositories/*/content/read"]));
    assert_eq!((reply.status, reply.code()), (400, "OperationNotAllowed"));
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "description": "mine now" } }),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(arm.delete(&path).status, 400);
    // Tokens may use them.
    arm.token("puller", "_repositories_pull");
}

#[test]
fn tokens_need_an_existing_scope_map_of_the_same_registry() {
    let arm = arm();
    let path = format!("{}/tokens/orphan", registry_path());
    let reply = arm.put(
        &path,
        &json!({ "properties": { "scopeMapId": scope_map_id("missing") } }),
    );
    assert_eq!((reply.status, reply.code()), (404, "ResourceNotFound"));
    let reply = arm.put(&path, &json!({ "properties": {} }));
    assert_eq!(reply.status, 400, "scopeMapId is required");
    let foreign = "/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerRegistry/registries/other/scopeMaps/_repositories_pull";
    let reply = arm.put(&path, &json!({ "properties": { "scopeMapId": foreign } }));
    assert_eq!(reply.status, 400, "{reply:?}");
    arm.token("puller", "_repositories_pull");
    let reply = arm.patch(
        &format!("{}/tokens/puller", registry_path()),
        &json!({ "properties": { "scopeMapId": scope_map_id("missing") } }),
    );
    assert_eq!(reply.status, 404);
    let reply = arm.patch(
        &format!("{}/tokens/puller", registry_path()),
        &json!({ "properties": { "status": "paused" } }),
    );
    assert_eq!(reply.status, 400);
}

#[test]
fn missing_objects_are_404_in_arm_words() {
    let arm = arm();
    let other = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/nothere";
    for path in [
        other.to_owned(),
        format!("{other}/tokens"),
        format!("{other}/tokens/sometoken"),
        format!("{}/tokens/sometoken", registry_path()),
        format!("{}/scopeMaps/somemap", registry_path()),
        format!("{}/connectedRegistries/edge01", registry_path()),
    ] {
        let reply = arm.get(&path);
        assert_eq!(
            (reply.status, reply.code()),
            (404, "ResourceNotFound"),
            "{path}"
        );
        assert!(
            reply.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    let reply = arm.patch(
        &format!("{}/tokens/sometoken", registry_path()),
        &json!({ "properties": {} }),
    );
    assert_eq!(reply.status, 404);
    let reply = arm.post(
        &format!("{}/generateCredentials", registry_path()),
        &json!({ "tokenId": token_id("sometoken") }),
    );
    assert_eq!(reply.status, 404);
}

#[test]
fn names_are_case_insensitive_and_keep_their_casing() {
    let arm = arm();
    arm.scope_map("MyScopeMap", &["repositories/*/content/read"]);
    arm.token("MyToken", "myscopemap");
    let reply = arm.get(&format!(
        "{}/TOKENS/mytoken",
        registry_path().to_uppercase()
    ));
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body["name"], "MyToken");
    assert_eq!(
        reply.body["properties"]["scopeMapId"],
        scope_map_id("MyScopeMap")
    );
    // A PUT under another casing replaces the same token and keeps the original name.
    let reply = arm.put(
        &format!("{}/tokens/MYTOKEN", registry_path()),
        &json!({ "properties": { "scopeMapId": scope_map_id("MYSCOPEMAP") } }),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["name"], "MyToken");
    assert_eq!(arm.registry_state()["tokens"][0]["scope_map"], "MyScopeMap");
}

#[test]
fn deleting_what_is_in_use_is_a_conflict() {
    let arm = arm();
    arm.scope_map("syncmap", &["gateway/edge01/config/read"]);
    arm.token("sync-token", "syncmap");
    arm.token("client-token", "syncmap");
    let map = format!("{}/scopeMaps/syncmap", registry_path());
    let reply = arm.delete(&map);
    assert_eq!((reply.status, reply.code()), (409, "Conflict"));

    let cr = format!("{}/connectedRegistries/edge01", registry_path());
    let body = json!({ "properties": {
        "mode": "ReadOnly",
        "parent": { "syncProperties": { "tokenId": token_id("sync-token"), "messageTtl": "P1D" } },
        "clientTokenIds": [token_id("client-token")],
    }});
    assert_eq!(arm.put(&cr, &body).status, 201);
    let reply = arm.delete(&format!("{}/tokens/sync-token", registry_path()));
    assert_eq!(
        reply.status, 409,
        "the sync token of an existing connected registry"
    );
    // A client token can go; it leaves the connected registry's client list.
    assert_eq!(
        arm.delete(&format!("{}/tokens/client-token", registry_path()))
            .status,
        200
    );
    // Real Azure leaves the key out when no client token is left.
    let properties = arm.get(&cr).body["properties"].clone();
    assert!(properties.get("clientTokenIds").is_none(), "{properties}");
    assert_eq!(arm.delete(&cr).status, 200);
    assert_eq!(
        arm.delete(&format!("{}/tokens/sync-token", registry_path()))
            .status,
        200
    );
    assert_eq!(arm.delete(&map).status, 200);
}

#[test]
fn connected_registries_need_mode_sync_token_and_ttl() {
    let arm = arm();
    arm.scope_map("syncmap", &["gateway/edge01/config/read"]);
    arm.token("sync-token", "syncmap");
    let path = format!("{}/connectedRegistries/edge01", registry_path());
    let sync = json!({ "tokenId": token_id("sync-token"), "messageTtl": "P1D" });
    let cases = [
        (
            json!({ "properties": { "parent": { "syncProperties": sync } } }),
            400,
            "mode",
        ),
        (
            json!({ "properties": { "mode": "Sideways", "parent": { "syncProperties": sync } } }),
            400,
            "unknown mode",
        ),
        (
            json!({ "properties": { "mode": "ReadOnly" } }),
            400,
            "parent",
        ),
        (
            json!({ "properties": { "mode": "ReadOnly", "parent": { "syncProperties": { "messageTtl": "P1D" } } } }),
            400,
            "tokenId",
        ),
        (
            json!({ "properties": { "mode": "ReadOnly", "parent": { "syncProperties": { "tokenId": token_id("sync-token") } } } }),
            400,
            "messageTtl",
        ),
        (
            json!({ "properties": { "mode": "ReadOnly", "parent": { "syncProperties": { "tokenId": token_id("nobody"), "messageTtl": "P1D" } } } }),
            404,
            "sync token must exist",
        ),
        (
            json!({ "properties": { "mode": "ReadOnly", "parent": { "syncProperties": sync }, "clientTokenIds": [token_id("nobody")] } }),
            404,
            "client tokens must exist",
        ),
    ];
    for (body, status, why) in cases {
        let reply = arm.put(&path, &body);
        assert_eq!(reply.status, status, "{why}: {reply:?}");
    }
    let bad_name = format!("{}/connectedRegistries/edge-01", registry_path());
    let ok = json!({ "properties": { "mode": "ReadOnly", "parent": { "syncProperties": sync } } });
    assert_eq!(arm.put(&bad_name, &ok).status, 400);
    assert_eq!(arm.put(&path, &ok).status, 201);
    assert_eq!(
        arm.patch(&path, &json!({ "properties": { "mode": "ReadWrite" } }))
            .status,
        400
    );
    arm.token("client-a", "syncmap");
    let reply = arm.patch(
        &path,
        &json!({ "properties": { "clientTokenIds": [token_id("client-a")], "logging": { "logLevel": "Debug" } } }),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.body["properties"]["logging"]["logLevel"], "Debug");
    let state = arm.registry_state();
    let cr = &state["connected_registries"][0];
    assert_eq!(cr["sync_token"], "sync-token");
    assert_eq!(cr["client_tokens"], json!(["client-a"]));
    assert_eq!(cr["mode"], "ReadOnly");
}

#[test]
fn tier_limits_apply_to_tokens_and_user_scope_maps() {
    let arm = Arm::with_registry(Options {
        registries: vec![common::example_registry("Basic")],
        ..sync_options()
    });
    for i in 0..100 {
        arm.scope_map(&format!("map-{i:03}"), &["repositories/*/content/read"]);
    }
    let reply = arm.put(
        &format!("{}/scopeMaps/map-100", registry_path()),
        &scope_map_body(&["repositories/*/content/read"]),
    );
    assert_eq!(
        (reply.status, reply.code()),
        (400, "QuotaExceeded"),
        "system maps don't count"
    );
    // Replacing an existing one is not a create.
    arm.scope_map("map-000", &["repositories/*/content/write"]);
    for i in 0..100 {
        arm.token(&format!("token-{i:03}"), "map-000");
    }
    let reply = arm.put(
        &format!("{}/tokens/token-100", registry_path()),
        &json!({ "properties": { "scopeMapId": scope_map_id("map-000") } }),
    );
    assert_eq!((reply.status, reply.code()), (400, "QuotaExceeded"));
}

#[test]
fn registries_can_be_created_and_patched() {
    let arm = Arm::start(sync_options());
    let path = "/subscriptions/s1/resourceGroups/g1/providers/Microsoft.ContainerRegistry/registries/newregistry";
    let reply = arm.put(path, &json!({ "sku": { "name": "Standard" } }));
    assert_eq!(reply.status, 400, "location is required");
    let reply = arm.put(path, &json!({ "location": "westus" }));
    assert_eq!(reply.status, 400, "sku is required");
    let body = json!({ "location": "westus", "sku": { "name": "Standard" } });
    let reply = arm.put(path, &body);
    assert_eq!(reply.status, 201, "{reply:?}");
    assert_eq!(
        reply.body["properties"]["loginServer"],
        "newregistry.azurecr.io"
    );
    assert_eq!(reply.body["properties"]["adminUserEnabled"], false);
    assert_eq!(arm.put(path, &body).status, 200, "existing registry");
    let moved = json!({ "location": "eastus", "sku": { "name": "Standard" } });
    assert_eq!(arm.put(path, &moved).status, 400, "location cannot change");
    let reply = arm.patch(
        path,
        &json!({ "properties": { "adminUserEnabled": true }, "tags": { "team": "a" } }),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["properties"]["adminUserEnabled"], true);
    assert_eq!(reply.body["tags"], json!({ "team": "a" }));
    let reply = arm.patch(path, &json!({ "sku": { "name": "Premium" } }));
    assert_eq!(
        reply.body["sku"],
        json!({ "name": "Premium", "tier": "Premium" })
    );
    let state = arm.state();
    assert_eq!(state["registries"][0]["admin_user_enabled"], true);
    assert_eq!(state["registries"][0]["sku"], "Premium");
    assert_eq!(
        state["registries"][0]["scope_maps"]
            .as_array()
            .map(Vec::len),
        Some(5)
    );
    let reply = arm.get("/subscriptions/s1/providers/Microsoft.ContainerRegistry/registries");
    assert_eq!(reply.body["value"].as_array().map(Vec::len), Some(1));
    let reply = arm.get("/subscriptions/other/providers/Microsoft.ContainerRegistry/registries");
    assert_eq!(reply.body["value"], json!([]));
    assert_eq!(arm.delete(path).status, 200);
    assert_eq!(arm.delete(path).status, 204);
}

#[test]
fn malformed_bodies_are_invalid_request_content() {
    let arm = arm();
    let path = format!("{}/scopeMaps/broken", registry_path());
    let url = arm.url(&path);
    let client = reqwest::blocking::Client::new();
    for body in ["", "{", "[]", "{\"properties\": 5}"] {
        let response = client
            .put(&url)
            .bearer_auth("t")
            .body(body)
            .send()
            .expect("answered");
        assert_eq!(response.status().as_u16(), 400, "{body:?}");
        let error: serde_json::Value = response.json().expect("ARM error body");
        assert_eq!(error["error"]["code"], "InvalidRequestContent", "{body:?}");
    }
}
