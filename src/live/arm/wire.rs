//! ARM's JSON, as much of it as scopeform reads. Unknown fields are ignored; every field that
//! the spec does not mark required is optional.

use chrono::{DateTime, Utc};
use serde::Deserialize;

/// Every list result: `{ "value": [T], "nextLink": string }` (neither required).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ListResult<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default)]
    pub next_link: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Sku {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Registry {
    #[serde(default)]
    pub sku: Sku,
    #[serde(default)]
    pub properties: RegistryProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RegistryProperties {
    #[serde(default)]
    pub admin_user_enabled: bool,
}

#[derive(Debug, Deserialize)]
pub(super) struct ScopeMap {
    pub name: String,
    #[serde(default)]
    pub properties: ScopeMapProperties,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ScopeMapProperties {
    #[serde(default)]
    pub description: Option<String>,
    /// Free-form; the service marks built-in scope maps `SystemDefined`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub actions: Vec<String>,
    /// `Creating`, `Updating`, `Deleting`, `Succeeded`, `Failed` or `Canceled`.
    #[serde(default, rename = "provisioningState")]
    pub provisioning_state: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Token {
    pub name: String,
    #[serde(default)]
    pub properties: TokenProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TokenProperties {
    #[serde(default)]
    pub scope_map_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub credentials: Option<TokenCredentials>,
    /// `Creating`, `Updating`, `Deleting`, `Succeeded`, `Failed` or `Canceled`.
    #[serde(default)]
    pub provisioning_state: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TokenCredentials {
    #[serde(default)]
    pub passwords: Vec<TokenPassword>,
}

/// A password slot as lists show it; a `value` here, if any, is ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TokenPassword {
    pub name: String,
    #[serde(default)]
    pub creation_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expiry: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ConnectedRegistry {
    pub name: String,
    #[serde(default)]
    pub properties: ConnectedRegistryProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ConnectedRegistryProperties {
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub parent: Option<Parent>,
    #[serde(default)]
    pub client_token_ids: Option<Vec<String>>,
    /// `Creating`, `Updating`, `Deleting`, `Succeeded`, `Failed` or `Canceled`.
    #[serde(default)]
    pub provisioning_state: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Parent {
    #[serde(default)]
    pub sync_properties: Option<SyncProperties>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SyncProperties {
    #[serde(default)]
    pub token_id: Option<String>,
}

/// Any object, read only for its `provisioningState`.
#[derive(Debug, Deserialize)]
pub(super) struct ProvisioningStateOnly {
    #[serde(default)]
    pub properties: ProvisioningStateProperties,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ProvisioningStateProperties {
    #[serde(default)]
    pub provisioning_state: Option<String>,
}

/// The common-types `OperationStatusResult` of an `Azure-AsyncOperation` poll. Real Azure
/// sends only `{"status": …}`, with `Creating`, `Updating` or `Deleting` while it runs.
#[derive(Debug, Deserialize)]
pub(super) struct OperationStatus {
    pub status: String,
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

/// `{ "error": { "code", "message" } }`.
#[derive(Debug, Deserialize)]
pub(super) struct ErrorResponse {
    pub error: ErrorDetail,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ErrorDetail {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// The body of `generateCredentials`. Holds password values: no `Debug`.
#[derive(Deserialize)]
pub(super) struct GenerateCredentialsResult {
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub passwords: Vec<GeneratedPasswordWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GeneratedPasswordWire {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub creation_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expiry: Option<DateTime<Utc>>,
}
