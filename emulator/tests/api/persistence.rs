//! `state_file`: the whole state survives a restart; password values never reach the file.

use crate::common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use acr_emulator::Options;
use common::{Arm, registry_path, sync_options, token_id};
use serde_json::{Value, json};

/// A fresh path in the temporary directory, removed on drop.
pub struct TempPath(pub PathBuf);

impl TempPath {
    pub fn new(label: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self(std::env::temp_dir().join(format!(
            "acr-emulator-{label}-{}-{nanos}.json",
            std::process::id()
        )))
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn options(file: &TempPath) -> Options {
    Options {
        state_file: Some(file.0.clone()),
        registries: vec![common::example_registry("Standard")],
        ..sync_options()
    }
}

/// The state hook without its request statistics.
fn registries(arm: &Arm) -> Value {
    arm.state()["registries"].clone()
}

#[test]
fn state_survives_a_restart() {
    let file = TempPath::new("restart");
    let (before, value) = {
        let arm = Arm::with_registry(options(&file));
        arm.scope_map(
            "sync-map",
            &["gateway/edge01/config/read", "repositories/a/content/read"],
        );
        arm.token("sync-token", "sync-map");
        arm.token("client-token", "_repositories_pull");
        let generated = arm.generate(
            "client-token",
            Some("password1"),
            Some("2030-05-06T07:08:09Z"),
        );
        let reply = arm.put(
            &format!("{}/connectedRegistries/edge01", registry_path()),
            &json!({ "properties": {
                "mode": "ReadOnly",
                "parent": { "syncProperties": { "tokenId": token_id("sync-token"), "messageTtl": "P1D" } },
                "clientTokenIds": [token_id("client-token")],
            }}),
        );
        assert_eq!(reply.status, 201);
        let patched = arm.patch(
            &registry_path(),
            &json!({ "properties": { "adminUserEnabled": true } }),
        );
        assert_eq!(patched.status, 200);
        let value = generated["passwords"][0]["value"]
            .as_str()
            .expect("value")
            .to_owned();
        (registries(&arm), value)
    };
    let saved = std::fs::read_to_string(&file.0).expect("state file written");
    assert!(!saved.contains(&value), "password values are never stored");

    // The same --registry again does not reset the loaded registry.
    let arm = Arm::with_registry(options(&file));
    assert_eq!(registries(&arm), before);
    let registry = &before[0];
    assert_eq!(registry["admin_user_enabled"], true);
    assert_eq!(registry["tokens"][0]["name"], "client-token");
    assert_eq!(
        registry["tokens"][0]["passwords"][0]["expiry"],
        "2030-05-06T07:08:09Z"
    );
    assert_eq!(
        registry["connected_registries"][0]["client_tokens"],
        json!(["client-token"])
    );
    let token = arm.get(&format!("{}/tokens/client-token", registry_path()));
    assert_eq!(token.status, 200);
}

#[test]
fn completed_operations_are_saved_without_further_requests() {
    let file = TempPath::new("async");
    {
        let arm = Arm::with_registry(Options {
            writes: acr_emulator::WriteStyle::SpecAsync,
            async_delay: Duration::from_millis(50),
            ..options(&file)
        });
        assert_eq!(
            arm.put(
                &format!("{}/scopeMaps/late-map", registry_path()),
                &json!({ "properties": { "actions": ["repositories/*/content/read"] } }),
            )
            .status,
            201
        );
        // No request comes in; the operation's own timer commits and saves.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !std::fs::read_to_string(&file.0).is_ok_and(|s| s.contains("late-map")) {
            assert!(
                Instant::now() < deadline,
                "the completed operation was never saved"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let arm = Arm::start(options(&file));
    assert_eq!(
        arm.get(&format!("{}/scopeMaps/late-map", registry_path()))
            .status,
        200
    );
}

#[test]
fn a_corrupt_state_file_is_an_error() {
    let file = TempPath::new("corrupt");
    std::fs::write(&file.0, "not json").expect("write");
    let error = acr_emulator::spawn(options(&file)).expect_err("refuses to start");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
}
