use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::live::arm::Cloud;
use crate::model::{PasswordSlot, TokenStatus};

fn registry() -> RegistryRef {
    RegistryRef {
        subscription: "00000000-0000-0000-0000-000000000000".parse().unwrap(),
        resource_group: "rg".parse().unwrap(),
        name: "myregistry".parse().unwrap(),
    }
}

fn endpoint() -> ArmEndpoint {
    ArmEndpoint::for_cloud(Cloud::AzureCloud)
}

const R: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry";

fn url(path: &str) -> String {
    format!("https://management.azure.com{R}{path}?api-version=2025-11-01")
}

fn op(json: serde_json::Value) -> WriteOp {
    serde_json::from_value(json).unwrap()
}

fn build(json: serde_json::Value) -> (Method, String, Option<serde_json::Value>) {
    let request = write(&endpoint(), &registry(), &op(json));
    (request.method, request.url, request.body)
}

#[test]
fn reads() {
    assert_eq!(get_registry(&endpoint(), &registry()).url, url(""));
    let tokens = list(&endpoint(), &registry(), Collection::Tokens);
    assert_eq!(
        (tokens.method, tokens.url.as_str()),
        (Method::Get, url("/tokens").as_str())
    );
    assert_eq!(tokens.path(), format!("{R}/tokens"));
    assert_eq!(
        list(&endpoint(), &registry(), Collection::ConnectedRegistries).url,
        url("/connectedRegistries")
    );
    let first = list(&endpoint(), &registry(), Collection::Tokens);
    let next = follow(
        &endpoint(),
        "https://management.azure.com/x?$skipToken=5",
        &first,
    )
    .unwrap();
    assert_eq!(next.url, "https://management.azure.com/x?$skipToken=5");
    assert!(follow(&endpoint(), "https://elsewhere.example/x", &first).is_err());
}

#[test]
fn scope_map_writes() {
    assert_eq!(
        build(
            json!({"op": "create_scope_map", "name": "MyScopeMap", "description": "Sample",
            "actions": ["repositories/b/content/read", "repositories/a/content/write"]})
        ),
        (
            Method::Put,
            url("/scopeMaps/MyScopeMap"),
            Some(json!({"properties": {"description": "Sample",
                "actions": ["repositories/a/content/write", "repositories/b/content/read"]}}))
        )
    );
    assert_eq!(
        build(
            json!({"op": "update_scope_map", "name": "MyScopeMap", "description": null,
            "actions": ["gateway/edge01/config/read"]})
        ),
        (
            Method::Patch,
            url("/scopeMaps/MyScopeMap"),
            Some(json!({"properties": {"actions": ["gateway/edge01/config/read"]}}))
        )
    );
    assert_eq!(
        build(json!({"op": "delete_scope_map", "name": "MyScopeMap"})),
        (Method::Delete, url("/scopeMaps/MyScopeMap"), None)
    );
}

#[test]
fn token_writes_never_put_an_existing_token() {
    assert_eq!(
        build(
            json!({"op": "create_token", "name": "ci-push", "scope_map": "_repositories_pull", "status": "enabled"})
        ),
        (
            Method::Put,
            url("/tokens/ci-push"),
            Some(
                json!({"properties": {"scopeMapId": format!("{R}/scopeMaps/_repositories_pull"), "status": "enabled"}})
            )
        )
    );
    // Disable: a PATCH of the status only, so passwords stay.
    assert_eq!(
        build(
            json!({"op": "update_token", "name": "ci-push", "scope_map": null, "status": "disabled", "keep_passwords": null})
        ),
        (
            Method::Patch,
            url("/tokens/ci-push"),
            Some(json!({"properties": {"status": "disabled"}}))
        )
    );
    let keep = WriteOp::UpdateToken {
        name: "ci-push".parse().unwrap(),
        scope_map: Some("other-map".parse().unwrap()),
        status: Some(TokenStatus::Enabled),
        keep_passwords: Some(BTreeSet::from([PasswordSlot::Password2])),
    };
    let request = write(&endpoint(), &registry(), &keep);
    assert_eq!(request.method, Method::Patch);
    assert_eq!(
        request.body,
        Some(json!({"properties": {
            "scopeMapId": format!("{R}/scopeMaps/other-map"),
            "status": "enabled",
            "credentials": {"passwords": [{"name": "password2"}]}
        }}))
    );
    assert_eq!(
        build(json!({"op": "delete_token", "name": "ci-push"})),
        (Method::Delete, url("/tokens/ci-push"), None)
    );
}

#[test]
fn generate_credentials_for_one_slot() {
    assert_eq!(
        build(
            json!({"op": "generate_password", "token": "ci-push", "slot": "password1",
            "expiry": "2027-06-30T00:00:00Z"})
        ),
        (
            Method::Post,
            url("/generateCredentials"),
            Some(
                json!({"tokenId": format!("{R}/tokens/ci-push"), "name": "password1",
                "expiry": "2027-06-30T00:00:00Z"})
            )
        )
    );
    let (_, _, body) = build(
        json!({"op": "generate_password", "token": "ci-push", "slot": "password2", "expiry": null}),
    );
    assert_eq!(
        body,
        Some(json!({"tokenId": format!("{R}/tokens/ci-push"), "name": "password2"}))
    );
}

#[test]
fn registry_and_connected_registry_writes() {
    assert_eq!(
        build(json!({"op": "set_admin_user", "enabled": false})),
        (
            Method::Patch,
            url(""),
            Some(json!({"properties": {"adminUserEnabled": false}}))
        )
    );
    assert_eq!(
        build(
            json!({"op": "set_client_tokens", "connected_registry": "edge01", "client_tokens": ["tok-b", "tok-a"]})
        ),
        (
            Method::Patch,
            url("/connectedRegistries/edge01"),
            Some(
                json!({"properties": {"clientTokenIds": [format!("{R}/tokens/tok-a"), format!("{R}/tokens/tok-b")]}})
            )
        )
    );
}
