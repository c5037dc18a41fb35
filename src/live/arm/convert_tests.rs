use serde_json::json;

use super::*;

const R: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry";

fn registry() -> RegistryRef {
    RegistryRef {
        subscription: "00000000-0000-0000-0000-000000000000".parse().unwrap(),
        resource_group: "rg".parse().unwrap(),
        name: "myregistry".parse().unwrap(),
    }
}

fn listing(value: &serde_json::Value) -> RegistryListing {
    RegistryListing {
        registry: serde_json::from_value(value["registry"].clone()).unwrap(),
        scope_maps: serde_json::from_value(value["scope_maps"].clone()).unwrap(),
        tokens: serde_json::from_value(value["tokens"].clone()).unwrap(),
        connected_registries: serde_json::from_value(value["connected_registries"].clone())
            .unwrap(),
    }
}

#[test]
fn builds_live_from_arm_objects() {
    let live = build_live(
        &registry(),
        listing(&json!({
            "registry": {"sku": {"name": "Standard", "tier": "Standard"}, "properties": {"adminUserEnabled": true, "loginServer": "x"}},
            "scope_maps": [
                {"name": "_repositories_pull", "properties": {"type": "SystemDefined", "actions": ["repositories/*/content/read"]}},
                {"name": "MyScopeMap", "properties": {"type": "UserDefined", "description": "d",
                    "actions": ["repositories/samples/*/content/read", "gateway/edge01/config/read",
                                "repositories/myrepository/contentWrite"]}},
                {"name": "sync-map", "properties": {"actions": []}}
            ],
            "tokens": [
                {"name": "MyToken", "properties": {"scopeMapId": format!("{R}/scopeMaps/myscopemap"), "status": "disabled",
                    "credentials": {"passwords": [
                        {"name": "password2", "creationTime": "2025-01-01T00:00:00Z", "expiry": "2026-01-01T00:00:00Z"},
                        {"name": "password1", "creationTime": "2025-02-01T00:00:00Z"}]}}},
                {"name": "sync-token", "properties": {"scopeMapId": format!("{R}/scopeMaps/sync-map")}}
            ],
            "connected_registries": [
                {"name": "edge01", "properties": {"mode": "ReadOnly",
                    "parent": {"syncProperties": {"tokenId": format!("{R}/tokens/sync-token"), "messageTtl": "P2D"}},
                    "clientTokenIds": [format!("{R}/tokens/mytoken")]}}
            ]
        })),
    )
    .unwrap();
    assert_eq!(live.registry.sku, Sku::Standard);
    assert!(live.registry.admin_user_enabled);

    let pull = &live.scope_maps[&"_repositories_pull".parse().unwrap()];
    assert!(pull.system);
    let map = &live.scope_maps[&"MyScopeMap".parse().unwrap()];
    assert!(!map.system);
    assert_eq!(map.description, "d");
    let actions: Vec<String> = map.actions.iter().map(ToString::to_string).collect();
    assert_eq!(
        actions,
        [
            "repositories/samples/*/content/read",
            "gateway/edge01/config/read"
        ]
    );
    assert_eq!(
        map.unrecognised_actions.iter().collect::<Vec<_>>(),
        ["repositories/myrepository/contentWrite"]
    );

    let token = &live.tokens[&"MyToken".parse().unwrap()];
    // The id said `myscopemap`; the listed name's case wins.
    assert_eq!(token.scope_map.as_str(), "MyScopeMap");
    assert_eq!(token.status, TokenStatus::Disabled);
    assert_eq!(token.passwords.len(), 2);
    assert_eq!(token.passwords[0].name, PasswordSlot::Password1);
    assert_eq!(token.passwords[0].expiry, None);
    assert_eq!(
        token.passwords[1].expiry.map(|e| e.to_rfc3339()),
        Some("2026-01-01T00:00:00+00:00".to_owned())
    );
    assert_eq!(
        live.tokens[&"sync-token".parse().unwrap()].status,
        TokenStatus::Enabled
    );

    let edge = &live.connected_registries[&"edge01".parse().unwrap()];
    assert_eq!(edge.mode, crate::model::ConnectedRegistryMode::ReadOnly);
    assert_eq!(edge.sync_token.as_str(), "sync-token");
    assert_eq!(
        edge.client_tokens
            .iter()
            .map(TokenName::as_str)
            .collect::<Vec<_>>(),
        ["MyToken"]
    );
}

#[test]
fn system_by_name_even_without_type() {
    let live = build_live(
        &registry(),
        listing(&json!({
            "registry": {"sku": {"name": "Premium"}},
            "scope_maps": [{"name": "_repositories_admin", "properties": {"actions": []}}],
            "tokens": [], "connected_registries": []
        })),
    )
    .unwrap();
    assert!(live.scope_maps[&"_repositories_admin".parse().unwrap()].system);
}

#[test]
fn unrepresentable_objects_are_errors() {
    let base = |tokens: serde_json::Value| {
        listing(
            &json!({"registry": {}, "scope_maps": [], "tokens": tokens, "connected_registries": []}),
        )
    };
    let err = build_live(
        &registry(),
        base(json!([{"name": "t_bad", "properties": {}}])),
    )
    .unwrap_err();
    assert!(err.contains("token name `t_bad`"), "{err}");
    let err = build_live(
        &registry(),
        base(json!([{"name": "tok-a", "properties": {}}])),
    )
    .unwrap_err();
    assert_eq!(err, "token `tok-a` has no scope map");
    let err = build_live(
        &registry(),
        base(json!([{"name": "tok-a", "properties": {"scopeMapId": format!("{R}/scopeMaps/abcde"), "status": "paused"}}])),
    )
    .unwrap_err();
    assert_eq!(err, "token `tok-a` has an unknown status `paused`");
}

/// Shapes recorded from real Azure: a registry of 2023 with three system scope maps (no
/// `systemData`), a token without passwords (`"passwords": []`), a password's `creationTime`
/// with seven fractional digits and `+00:00` and no `expiry` key, a connected registry without
/// `clientTokenIds`, and provisioning states that have not settled.
#[test]
fn reads_what_real_azure_sends() {
    let live = build_live(
        &registry(),
        listing(&json!({
            "registry": {"sku": {"name": "Premium"}, "properties": {}},
            "scope_maps": [
                {"id": format!("{R}/scopeMaps/_repositories_admin"), "name": "_repositories_admin", "type": "Microsoft.ContainerRegistry/registries/scopeMaps",
                    "properties": {"type": "SystemDefined", "provisioningState": "Succeeded", "actions": ["repositories/*/content/delete"]}},
                {"name": "_repositories_pull", "properties": {"type": "SystemDefined", "actions": ["repositories/*/content/read"]}},
                {"name": "_repositories_push", "properties": {"type": "SystemDefined", "actions": ["repositories/*/content/write"]}},
                {"name": "pushers", "properties": {"type": "UserDefined", "provisioningState": "Updating", "actions": []}}
            ],
            "tokens": [
                {"name": "fresh", "properties": {"scopeMapId": format!("{R}/scopeMaps/_repositories_pull"),
                    "provisioningState": "Creating", "credentials": {"passwords": []}}},
                {"name": "rotated", "properties": {"scopeMapId": format!("{R}/scopeMaps/pushers"), "provisioningState": "Failed",
                    "credentials": {"certificates": [], "passwords": [
                        {"name": "password1", "creationTime": "2025-03-19T20:00:18.3362328+00:00"}]}}}
            ],
            "connected_registries": [
                {"name": "edge01", "properties": {"mode": "ReadOnly", "provisioningState": "Succeeded",
                    "parent": {"syncProperties": {"tokenId": format!("{R}/tokens/fresh"), "messageTtl": "P2D"}}}}
            ]
        })),
    )
    .unwrap();
    let system: Vec<&str> = live
        .scope_maps
        .values()
        .filter(|s| s.system)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        system,
        [
            "_repositories_admin",
            "_repositories_pull",
            "_repositories_push"
        ]
    );
    let pushers = &live.scope_maps[&"pushers".parse().unwrap()];
    assert_eq!(pushers.provisioning_state, ProvisioningState::Updating);
    let fresh = &live.tokens[&"fresh".parse().unwrap()];
    assert!(fresh.passwords.is_empty());
    assert_eq!(fresh.provisioning_state, ProvisioningState::Creating);
    let rotated = &live.tokens[&"rotated".parse().unwrap()];
    assert_eq!(rotated.provisioning_state, ProvisioningState::Failed);
    let password = rotated.passwords[0];
    assert_eq!(
        password.creation_time.map(|t| t.to_rfc3339()),
        Some("2025-03-19T20:00:18.336232800+00:00".to_owned())
    );
    assert_eq!(password.expiry, None);
    let edge = &live.connected_registries[&"edge01".parse().unwrap()];
    assert!(edge.client_tokens.is_empty());
    assert!(edge.provisioning_state.is_succeeded());
}
