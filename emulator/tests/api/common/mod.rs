//! Shared helpers of the emulator's integration tests: a blocking ARM client bound to one
//! spawned emulator, and builders for the ids and bodies the tests send.

use std::time::Duration;

use acr_emulator::{Handle, Options, RegistrySpec};
use reqwest::Method;
use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// The coordinates the spec examples use.
pub const SUB: &str = "00000000-0000-0000-0000-000000000000";
pub const RG: &str = "myResourceGroup";
pub const REGISTRY: &str = "myRegistry";
pub const API: &str = "api-version=2025-11-01";

/// `R` of the spec: the path of the example registry.
pub fn registry_path() -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}"
    )
}

pub fn scope_map_id(name: &str) -> String {
    format!("{}/scopeMaps/{name}", registry_path())
}

pub fn token_id(name: &str) -> String {
    format!("{}/tokens/{name}", registry_path())
}

/// One response, its body parsed (JSON `null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The ARM error code of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or("<no error code>")
    }
}

/// An emulator plus a client that talks to it with a bearer token.
pub struct Arm {
    // Declared first so it is dropped first: the emulator then shuts down with no client
    // connection left open.
    client: Client,
    pub emulator: Handle,
    pub bearer: Option<String>,
}

impl Arm {
    pub fn start(options: Options) -> Self {
        let emulator = acr_emulator::spawn(options).expect("emulator starts");
        let client = Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client");
        Self {
            client,
            emulator,
            bearer: Some("test-token".to_owned()),
        }
    }

    /// An emulator holding the examples' registry (`myRegistry`, Premium unless `options`
    /// already lists registries).
    pub fn with_registry(mut options: Options) -> Self {
        if options.registries.is_empty() {
            options.registries = vec![example_registry("Premium")];
        }
        Self::start(options)
    }

    pub fn base(&self) -> &str {
        self.emulator.url()
    }

    /// `path` (absolute path, or a full URL as in `nextLink`) with the api-version added.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            return path.to_owned();
        }
        let separator = if path.contains('?') { '&' } else { '?' };
        format!("{}{path}{separator}{API}", self.base())
    }

    pub fn send(&self, method: Method, url: &str, body: Option<&Value>) -> Reply {
        let mut request = self.client.request(method, url);
        if let Some(bearer) = &self.bearer {
            request = request.bearer_auth(bearer);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().expect("request is answered");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, &self.url(path), None)
    }

    pub fn put(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PUT, &self.url(path), Some(body))
    }

    pub fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::PATCH, &self.url(path), Some(body))
    }

    pub fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, &self.url(path), None)
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(Method::POST, &self.url(path), Some(body))
    }

    /// The `/_emulator/state` hook.
    pub fn state(&self) -> Value {
        self.client
            .get(format!("{}/_emulator/state", self.base()))
            .send()
            .expect("state hook")
            .json()
            .expect("state JSON")
    }

    /// The example registry's entry in the state hook.
    pub fn registry_state(&self) -> Value {
        self.state()["registries"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["name"] == REGISTRY).cloned())
            .expect("the example registry is in the state")
    }

    /// Creates (or replaces) a user scope map; panics unless the service accepts it.
    pub fn scope_map(&self, name: &str, actions: &[&str]) {
        let reply = self.put(
            &format!("{}/scopeMaps/{name}", registry_path()),
            &json!({ "properties": { "actions": actions } }),
        );
        assert!(matches!(reply.status, 200 | 201), "{reply:?}");
    }

    /// Creates (or replaces) a token on `scope_map`; panics unless the service accepts it.
    pub fn token(&self, name: &str, scope_map: &str) {
        let reply = self.put(
            &format!("{}/tokens/{name}", registry_path()),
            &json!({ "properties": { "scopeMapId": scope_map_id(scope_map) } }),
        );
        assert!(matches!(reply.status, 200 | 201), "{reply:?}");
    }

    /// Generates passwords (`slot` or both) and returns the result body.
    pub fn generate(&self, token: &str, slot: Option<&str>, expiry: Option<&str>) -> Value {
        let mut body = json!({ "tokenId": token_id(token) });
        if let Some(slot) = slot {
            body["name"] = json!(slot);
        }
        if let Some(expiry) = expiry {
            body["expiry"] = json!(expiry);
        }
        let reply = self.post(&format!("{}/generateCredentials", registry_path()), &body);
        assert_eq!(reply.status, 200, "{reply:?}");
        reply.body
    }
}

/// Options of an emulator that answers every write at once, for tests about what a write
/// does rather than how it is answered (`tests/real_azure.rs` covers the default style).
pub fn sync_options() -> Options {
    Options {
        writes: acr_emulator::WriteStyle::Sync,
        ..Options::default()
    }
}

pub fn example_registry(sku: &str) -> RegistrySpec {
    format!("{SUB}/{RG}/{REGISTRY}:{sku}")
        .parse()
        .expect("valid registry spec")
}

/// Names of a token's password slots as GET shows them.
pub fn password_names(token: &Value) -> Vec<String> {
    token["properties"]["credentials"]["passwords"]
        .as_array()
        .map(|p| {
            p.iter()
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
