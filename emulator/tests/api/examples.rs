//! Replays Microsoft's request examples of the 2025-11-01 spec (copied from
//! `Azure/azure-rest-api-specs` into `tests/examples/`) against the emulator and checks that
//! the answers have the examples' status codes and shape: the same top-level and `properties`
//! field names, give or take read-only fields an example leaves out.

use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use acr_emulator::Options;
use common::{Arm, REGISTRY, RG, SUB, registry_path, scope_map_id, sync_options, token_id};
use serde_json::{Value, json};

/// Read-only fields (per the spec) that an example may omit and the emulator still returns.
const READ_ONLY: [&str; 9] = [
    "systemData",
    "provisioningState",
    "creationDate",
    "connectionState",
    "statusDetails",
    "activation",
    "version",
    "lastActivityTime",
    "type",
];

/// Loads an example file.
fn example(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/examples")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("example is JSON")
}

/// The example's path, built from its parameters.
fn path_of(example: &Value, collection: &str, name_param: &str) -> String {
    let p = &example["parameters"];
    assert_eq!(p["api-version"], "2025-11-01");
    let mut path = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
        p["subscriptionId"].as_str().expect("subscriptionId"),
        p["resourceGroupName"].as_str().expect("resourceGroupName"),
        p["registryName"].as_str().expect("registryName"),
    );
    if !collection.is_empty() {
        path.push('/');
        path.push_str(collection);
    }
    if let Some(name) = p[name_param].as_str() {
        path.push('/');
        path.push_str(name);
    }
    path
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// Same top-level and `properties` field names, except for read-only fields and `echoed`
/// fields (sent in the request, left out of the example's response) the example omits.
fn assert_same_shape(actual: &Value, expected: &Value, echoed: &[&str]) {
    for (level, a, e) in [
        ("top level", actual, expected),
        ("properties", &actual["properties"], &expected["properties"]),
    ] {
        let (a, e) = (keys(a), keys(e));
        let missing: Vec<_> = e.difference(&a).collect();
        assert!(
            missing.is_empty(),
            "{level}: missing {missing:?} in {actual:#}"
        );
        let extra: Vec<_> = a
            .difference(&e)
            .filter(|k| !READ_ONLY.contains(&k.as_str()) && !echoed.contains(&k.as_str()))
            .collect();
        assert!(
            extra.is_empty(),
            "{level}: unexpected {extra:?} in {actual:#}"
        );
    }
}

/// The example's actions use strings the service rejects (`contentWrite`, `delete`); the
/// emulator enforces the service's grammar, so the replay sends the canonical equivalents.
fn canonical_actions(actions: &Value) -> Value {
    let canonical: Vec<String> = actions
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(Value::as_str)
        .map(|a| {
            a.replace("/contentWrite", "/content/write")
                .replace("/contentRead", "/content/read")
                .replace("/delete", "/content/delete")
        })
        .collect();
    json!(canonical)
}

fn emulator() -> Arm {
    Arm::with_registry(Options {
        registries: vec![common::example_registry("Standard")],
        ..sync_options()
    })
}

#[test]
fn registry_examples() {
    let arm = emulator();
    let get = example("RegistryGet");
    let reply = arm.get(&path_of(&get, "", ""));
    assert_eq!(reply.status, 200);
    let expected = &get["responses"]["200"]["body"];
    assert_same_shape(&reply.body, expected, &[]);
    assert_eq!(reply.body["id"], expected["id"]);
    assert_eq!(reply.body["sku"], expected["sku"]);
    assert_eq!(
        reply.body["properties"]["networkRuleSet"],
        expected["properties"]["networkRuleSet"]
    );

    let list = example("RegistryList");
    let reply = arm.get(&format!(
        "/subscriptions/{}/providers/Microsoft.ContainerRegistry/registries",
        list["parameters"]["subscriptionId"]
            .as_str()
            .expect("subscription")
    ));
    assert_eq!(reply.status, 200);
    assert_same_shape(
        &reply.body["value"][0],
        &list["responses"]["200"]["body"]["value"][0],
        &[],
    );
    assert!(reply.body.get("nextLink").is_none());

    let by_group = example("RegistryListByResourceGroup");
    let p = &by_group["parameters"];
    let reply = arm.get(&format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries",
        p["subscriptionId"].as_str().expect("subscription"),
        p["resourceGroupName"].as_str().expect("resource group"),
    ));
    assert_eq!(reply.status, 200);
    let expected = &by_group["responses"]["200"]["body"]["value"][0];
    assert_same_shape(&reply.body["value"][0], expected, &[]);
}

#[test]
fn scope_map_examples() {
    let arm = emulator();
    let create = example("ScopeMapCreate");
    let mut body = create["parameters"]["scopeMapCreateParameters"].clone();
    body["properties"]["actions"] = canonical_actions(&body["properties"]["actions"]);
    let path = path_of(&create, "scopeMaps", "scopeMapName");
    let reply = arm.put(&path, &body);
    assert_eq!(reply.status, 201, "{reply:?}");
    // The example's response leaves out the `description` its request sets.
    assert_same_shape(
        &reply.body,
        &create["responses"]["200"]["body"],
        &["description"],
    );
    assert_eq!(
        reply.body["properties"]["actions"],
        body["properties"]["actions"]
    );
    assert_eq!(reply.body["properties"]["type"], "UserDefined");
    // A second PUT replaces: 200.
    assert_eq!(arm.put(&path, &body).status, 200);

    let get = example("ScopeMapGet");
    let reply = arm.get(&path_of(&get, "scopeMaps", "scopeMapName"));
    assert_eq!(reply.status, 200);
    assert_same_shape(
        &reply.body,
        &get["responses"]["200"]["body"],
        &["description"],
    );
    assert_eq!(reply.body["id"], get["responses"]["200"]["body"]["id"]);

    let list = example("ScopeMapList");
    let reply = arm.get(&path_of(&list, "scopeMaps", ""));
    assert_eq!(reply.status, 200);
    let values = reply.body["value"].as_array().expect("value");
    // The five system scope maps come first (`_` sorts before letters), then myScopeMap.
    assert_eq!(values.len(), 6);
    let mine = values
        .iter()
        .find(|v| v["name"] == "myScopeMap")
        .expect("listed");
    assert_same_shape(
        mine,
        &list["responses"]["200"]["body"]["value"][0],
        &["description"],
    );

    let update = example("ScopeMapUpdate");
    let mut body = update["parameters"]["scopeMapUpdateParameters"].clone();
    body["properties"]["actions"] = canonical_actions(&body["properties"]["actions"]);
    let reply = arm.patch(&path_of(&update, "scopeMaps", "scopeMapName"), &body);
    assert_eq!(reply.status, 200);
    assert_same_shape(
        &reply.body,
        &update["responses"]["200"]["body"],
        &["description"],
    );
    assert_eq!(
        reply.body["properties"]["actions"],
        body["properties"]["actions"]
    );

    let delete = example("ScopeMapDelete");
    let path = path_of(&delete, "scopeMaps", "scopeMapName");
    let reply = arm.delete(&path);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, Value::Null);
    assert_eq!(
        arm.delete(&path).status,
        204,
        "deleting what is gone is 204"
    );
    assert_eq!(arm.get(&path).status, 404);
}

#[test]
fn token_examples() {
    let arm = emulator();
    arm.scope_map("myScopeMap", &["repositories/myrepository/content/read"]);
    arm.scope_map(
        "myNewScopeMap",
        &["repositories/myrepository/content/write"],
    );

    let create = example("TokenCreate");
    let body = &create["parameters"]["tokenCreateParameters"];
    let path = path_of(&create, "tokens", "tokenName");
    let reply = arm.put(&path, body);
    assert_eq!(reply.status, 201, "{reply:?}");
    let expected = &create["responses"]["200"]["body"];
    assert_same_shape(&reply.body, expected, &[]);
    assert_eq!(
        reply.body["properties"]["scopeMapId"],
        expected["properties"]["scopeMapId"]
    );
    assert_eq!(reply.body["properties"]["status"], "disabled");

    let get = example("TokenGet");
    let reply = arm.get(&path_of(&get, "tokens", "tokenName"));
    assert_eq!(reply.status, 200);
    // The example's token has no credentials; this one kept TokenCreate's certificate.
    assert_same_shape(
        &reply.body,
        &get["responses"]["200"]["body"],
        &["credentials"],
    );

    let list = example("TokenList");
    let reply = arm.get(&path_of(&list, "tokens", ""));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["value"].as_array().map(Vec::len), Some(1));
    assert_same_shape(
        &reply.body["value"][0],
        &list["responses"]["200"]["body"]["value"][0],
        &["credentials"],
    );

    let update = example("TokenUpdate");
    let reply = arm.patch(
        &path_of(&update, "tokens", "tokenName"),
        &update["parameters"]["tokenUpdateParameters"],
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let expected = &update["responses"]["200"]["body"];
    assert_same_shape(&reply.body, expected, &[]);
    assert_eq!(
        reply.body["properties"]["scopeMapId"],
        expected["properties"]["scopeMapId"]
    );

    let generate = example("RegistryGenerateCredentials");
    let reply = arm.post(
        &format!("{}/generateCredentials", path_of(&generate, "", "")),
        &generate["parameters"]["generateCredentialsParameters"],
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let expected = &generate["responses"]["200"]["body"];
    assert_eq!(keys(&reply.body), keys(expected));
    assert_eq!(reply.body["username"], expected["username"]);
    let passwords = reply.body["passwords"].as_array().expect("passwords");
    let expected_passwords = expected["passwords"].as_array().expect("passwords");
    assert_eq!(passwords.len(), expected_passwords.len());
    for (actual, wanted) in passwords.iter().zip(expected_passwords) {
        let extra: BTreeSet<String> = keys(actual).difference(&keys(wanted)).cloned().collect();
        assert_eq!(extra, BTreeSet::from(["creationTime".to_owned()]));
        assert_eq!(actual["name"], wanted["name"]);
        assert_eq!(
            actual["expiry"], wanted["expiry"],
            "expiry echoed in ARM's format"
        );
        assert!(actual["value"].as_str().is_some_and(|v| v.len() >= 32));
    }

    let delete = example("TokenDelete");
    let path = path_of(&delete, "tokens", "tokenName");
    assert_eq!(arm.delete(&path).status, 200);
    assert_eq!(arm.delete(&path).status, 204);
}

#[test]
fn connected_registry_examples() {
    let arm = emulator();
    arm.scope_map("syncScopeMap", &["gateway/myconnectedregistry/config/read"]);
    for token in ["syncToken", "client1Token", "client2Token"] {
        arm.token(token, "syncScopeMap");
    }

    let create = example("ConnectedRegistryCreate");
    let body = &create["parameters"]["connectedRegistryCreateParameters"];
    let path = path_of(&create, "connectedRegistries", "connectedRegistryName");
    let reply = arm.put(&path, body);
    assert_eq!(reply.status, 201, "{reply:?}");
    let expected = &create["responses"]["200"]["body"];
    assert_same_shape(&reply.body, expected, &[]);
    for field in [
        "mode",
        "parent",
        "clientTokenIds",
        "logging",
        "notificationsList",
        "garbageCollection",
        "activation",
    ] {
        assert_eq!(
            reply.body["properties"][field], expected["properties"][field],
            "{field}"
        );
    }

    let get = example("ConnectedRegistryGet");
    let reply = arm.get(&path_of(
        &get,
        "connectedRegistries",
        "connectedRegistryName",
    ));
    assert_eq!(reply.status, 200);
    assert_same_shape(&reply.body, &get["responses"]["200"]["body"], &[]);
    assert_eq!(reply.body["id"], get["responses"]["200"]["body"]["id"]);

    let list = example("ConnectedRegistryList");
    let reply = arm.get(&path_of(&list, "connectedRegistries", ""));
    assert_eq!(reply.status, 200);
    assert_same_shape(
        &reply.body["value"][0],
        &list["responses"]["200"]["body"]["value"][0],
        &[],
    );

    // The example addresses its update to `myScopeMap` but answers for `myConnectedRegistry`;
    // the replay uses the connected registry it created.
    let update = example("ConnectedRegistryUpdate");
    let reply = arm.patch(
        &path,
        &update["parameters"]["connectedRegistryUpdateParameters"],
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    let expected = &update["responses"]["200"]["body"];
    assert_same_shape(&reply.body, expected, &[]);
    for field in ["parent", "clientTokenIds", "logging"] {
        assert_eq!(
            reply.body["properties"][field], expected["properties"][field],
            "{field}"
        );
    }

    let deactivate = example("ConnectedRegistryDeactivate");
    let reply = arm.post(
        &format!(
            "{}/deactivate",
            path_of(&deactivate, "connectedRegistries", "connectedRegistryName")
        ),
        &json!({}),
    );
    assert_eq!(reply.status, 200);

    let delete = example("ConnectedRegistryDelete");
    let path = path_of(&delete, "connectedRegistries", "connectedRegistryName");
    assert_eq!(arm.delete(&path).status, 200);
    assert_eq!(arm.delete(&path).status, 204);
}

#[test]
fn example_coordinates_match_the_helpers() {
    // The helpers other test files use build the same ids as the examples.
    let get = example("TokenGet");
    assert_eq!(get["responses"]["200"]["body"]["id"], token_id("myToken"));
    assert_eq!(
        get["responses"]["200"]["body"]["properties"]["scopeMapId"],
        scope_map_id("myScopeMap")
    );
    assert!(registry_path().contains(&format!("/subscriptions/{SUB}/resourceGroups/{RG}/")));
    assert!(registry_path().ends_with(REGISTRY));
}
