use std::path::Path;

use super::*;
use crate::live::parse_snapshot;

const LIVE: &str = r#"{
  "format_version": "1",
  "registry": {"subscription": "00000000-0000-0000-0000-000000000000", "resource_group": "myresourcegroup",
               "name": "myregistry", "sku": "Premium", "admin_user_enabled": false},
  "scope_maps": [
    {"name": "_repositories_pull", "actions": ["repositories/*/content/read"], "system": true},
    {"name": "MyScopeMap", "description": "Sample scope map",
     "actions": ["repositories/samples/hello-world/content/write", "repositories/samples/hello-world/content/read",
                 "repositories/samples/*/metadata/read", "repositories/samples/*/content/read",
                 "gateway/edge01/config/read", "gateway/edge01/message/read"],
     "unrecognised_actions": ["repositories/x/contentRead"]},
    {"name": "edge01-sync-map", "description": "sync: edge01 #1", "actions": ["repositories/*/content/read"]}
  ],
  "tokens": [
    {"name": "MyToken", "scope_map": "MyScopeMap", "status": "enabled",
     "passwords": [{"name": "password1", "creation_time": "2025-01-01T00:00:00Z", "expiry": "2027-06-30T00:00:00Z"},
                   {"name": "password2"}]},
    {"name": "edge01-sync", "scope_map": "edge01-sync-map", "status": "enabled"},
    {"name": "false", "scope_map": "_repositories_pull", "status": "disabled"}
  ],
  "connected_registries": [
    {"name": "edge01", "mode": "ReadOnly", "sync_token": "edge01-sync", "client_tokens": ["MyToken", "false"]}
  ]
}"#;

fn live() -> Live {
    parse_snapshot(LIVE.as_bytes(), Path::new("live.json")).unwrap()
}

#[test]
fn yaml() {
    let export = export(&live(), ExportFormat::Yaml);
    assert_eq!(
        export.text,
        r#"registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
  admin_user: disabled

scope_maps:
  MyScopeMap:
    description: Sample scope map
    repositories:
      "samples/*": [content/read, metadata/read]
      samples/hello-world: [content/read, content/write]
    gateways:
      edge01: [config/read, message/read]
  edge01-sync-map:
    description: "sync: edge01 #1"
    repositories:
      "*": [content/read]

tokens:
  MyToken:
    scope_map: MyScopeMap
    status: enabled
    passwords:
      password1: { expiry: "2027-06-30T00:00:00Z" }
      password2: {}
  edge01-sync:
    scope_map: edge01-sync-map
    status: enabled
  "false":
    scope_map: _repositories_pull
    status: disabled

connected_registries:
  edge01:
    mode: ReadOnly
    client_tokens: [MyToken, "false"]
"#
    );
    assert_eq!(
        export.warnings,
        [
            "scope map `MyScopeMap`: action `repositories/x/contentRead` is not in ACR's grammar and is left out"
        ]
    );
}

#[test]
fn hcl() {
    let export = export(&live(), ExportFormat::Hcl);
    assert_eq!(
        export.text,
        r#"registry {
  name           = "myregistry"
  subscription   = "00000000-0000-0000-0000-000000000000"
  resource_group = "myresourcegroup"
  admin_user     = "disabled"
}

scope_map "MyScopeMap" {
  description  = "Sample scope map"
  repositories = {
    "samples/*"           = ["content/read", "metadata/read"]
    "samples/hello-world" = ["content/read", "content/write"]
  }
  gateways     = { "edge01" = ["config/read", "message/read"] }
}

scope_map "edge01-sync-map" {
  description  = "sync: edge01 #1"
  repositories = { "*" = ["content/read"] }
}

token "MyToken" {
  scope_map = "MyScopeMap"
  status    = "enabled"
  password "password1" {
    expiry = "2027-06-30T00:00:00Z"
  }
  password "password2" {}
}

token "edge01-sync" {
  scope_map = "edge01-sync-map"
  status    = "enabled"
}

token "false" {
  scope_map = "_repositories_pull"
  status    = "disabled"
}

connected_registry "edge01" {
  mode          = "ReadOnly"
  client_tokens = ["MyToken", "false"]
}
"#
    );
}

#[test]
fn yaml_scalars() {
    use super::yaml::scalar;
    for (input, expected) in [
        ("samples/hello-world", "samples/hello-world"),
        ("samples/*", "\"samples/*\""),
        ("*", "\"*\""),
        ("yes", "\"yes\""),
        ("12345", "\"12345\""),
        ("1e10", "\"1e10\""),
        ("a: b", "\"a: b\""),
        ("", "\"\""),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        (
            "0c0a0b0c-0000-0000-0000-000000000000",
            "0c0a0b0c-0000-0000-0000-000000000000",
        ),
    ] {
        assert_eq!(scalar(input), expected, "{input}");
    }
    assert_eq!(super::hcl::string("${x} %{y}"), "\"$${x} %%{y}\"");
}
