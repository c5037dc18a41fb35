//! The YAML form of the configuration language as Rust types, for the JSON Schema only
//! (`scopeform schema`, `schemas/scopeform.schema.json`). Validation walks the raw tree
//! instead, to report every problem with its place; a test keeps the two in step.

#![allow(
    dead_code,
    reason = "these types exist to derive the JSON schema from; nothing constructs or reads them"
)]

use std::collections::BTreeMap;

use schemars::JsonSchema;

use crate::model::Cloud;

/// A scopeform configuration file. A configuration is every `*.yaml`, `*.yml` and `*.hcl`
/// file of a directory; together they describe one Azure Container Registry.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "scopeform configuration")]
pub(crate) struct ConfigFile {
    /// The registry this configuration describes (exactly one file declares it).
    pub registry: Option<Registry>,
    /// What to do with live tokens and scope maps this configuration does not declare.
    pub unmanaged: Option<Unmanaged>,
    /// Name globs (`*` any run of characters, `?` one) of live objects never touched nor reported.
    pub ignore: Option<Vec<String>>,
    /// Reusable permission sets ("wildcard rules"), included by scope maps.
    pub rules: Option<BTreeMap<String, Repositories>>,
    /// Scope maps: named sets of repository and gateway actions.
    pub scope_maps: Option<BTreeMap<String, ScopeMap>>,
    /// Tokens: credentials bound to one scope map.
    pub tokens: Option<BTreeMap<String, Token>>,
    /// Connected registries whose client tokens are managed here.
    pub connected_registries: Option<BTreeMap<String, ConnectedRegistry>>,
    /// Tokens and scope maps this configuration used to declare, and what to do with them now
    /// (a no-op once the object is gone). A name here must not also be declared.
    pub removed: Option<Removed>,
    /// Severity overrides of `scopeform lint` findings, by finding id.
    #[allow(
        clippy::zero_sized_map_values,
        reason = "LintLevel exists only for its hand-written schema"
    )]
    pub lint: Option<BTreeMap<String, LintLevel>>,
    /// Where `apply` delivers generated passwords: each one a new version of a Key Vault secret.
    pub secrets: Option<Secrets>,
}

/// An Azure Key Vault that receives every password `apply` generates, each as a new version of
/// the token's secret (expiry, content type and tags set; consumers read the newest version).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Secrets {
    /// The vault's URL: `https://NAME.vault.azure.net` (`.vault.azure.cn`,
    /// `.vault.usgovcloudapi.net` in the other clouds).
    #[schemars(regex(
        pattern = r"^https://[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)/?$"
    ))]
    pub key_vault: String,
    /// The secret's name, with `{registry}`, `{token}` and `{slot}` replaced; it must come out
    /// as 1–127 letters, digits and dashes, one per token. Default: `acr-{registry}-{token}`.
    pub name: Option<String>,
}

/// Which registry: its name, and where it lives (which the command line may override).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Registry {
    /// The registry's name: 5–50 letters and digits.
    #[schemars(regex(pattern = r"^[a-zA-Z0-9]{5,50}$"))]
    pub name: String,
    /// The subscription ID (a GUID).
    pub subscription: Option<String>,
    /// The resource group holding the registry.
    pub resource_group: Option<String>,
    /// The Azure cloud the registry is in. A check, not a choice: it must match the cloud the
    /// operator chose (`--cloud` or `SCOPEFORM_CLOUD`, `AzureCloud` by default).
    pub cloud: Option<Cloud>,
    /// The registry's admin user switch; omitted = not managed.
    pub admin_user: Option<Switch>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Switch {
    Enabled,
    Disabled,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Unmanaged {
    /// Live tokens not declared here: `ignore` (default), `disable` or `delete`.
    pub tokens: Option<UnmanagedTokens>,
    /// Live user scope maps not declared here: `ignore` (default) or `delete`.
    pub scope_maps: Option<UnmanagedScopeMaps>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum UnmanagedTokens {
    Ignore,
    Disable,
    Delete,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum UnmanagedScopeMaps {
    Ignore,
    Delete,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Removed {
    /// Removed tokens: `delete` or `disable` (a disabled token keeps its passwords but grants
    /// nothing).
    pub tokens: Option<BTreeMap<String, RemovedToken>>,
    /// Removed scope maps: `delete` (a scope map cannot be disabled).
    // A map to a one-word enum: the schema describes `{name: delete}`; nothing is stored.
    #[allow(clippy::zero_sized_map_values)]
    pub scope_maps: Option<BTreeMap<String, RemovedScopeMap>>,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RemovedToken {
    Delete,
    Disable,
}

#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RemovedScopeMap {
    Delete,
}

/// Repository patterns (`samples/hello-world`, `samples/*`, or `*`) and the actions granted
/// on them. Permissions add up across every rule that matches a repository.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub(crate) struct Repositories(pub BTreeMap<String, Vec<RepositoryAction>>);

#[derive(JsonSchema)]
pub(crate) enum RepositoryAction {
    /// Pull.
    #[serde(rename = "content/read")]
    ContentRead,
    /// Push (together with `content/read`).
    #[serde(rename = "content/write")]
    ContentWrite,
    /// Delete repositories and manifests.
    #[serde(rename = "content/delete")]
    ContentDelete,
    /// List tags and manifests.
    #[serde(rename = "metadata/read")]
    MetadataRead,
    /// Enable or disable read, write and delete operations.
    #[serde(rename = "metadata/write")]
    MetadataWrite,
}

#[derive(JsonSchema)]
pub(crate) enum GatewayAction {
    #[serde(rename = "config/read")]
    ConfigRead,
    #[serde(rename = "config/write")]
    ConfigWrite,
    #[serde(rename = "message/read")]
    MessageRead,
    #[serde(rename = "message/write")]
    MessageWrite,
}

/// A scope map: its own rules plus every rule and scope map it includes.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScopeMap {
    /// Shown in the portal; omitted = not managed.
    pub description: Option<String>,
    /// Names of rules (`rules:`) or other scope maps whose actions this one adds.
    pub include: Option<Vec<String>>,
    /// Repository rules of this scope map.
    pub repositories: Option<Repositories>,
    /// Connected registry gateway actions, keyed by connected registry name.
    pub gateways: Option<BTreeMap<String, Vec<GatewayAction>>>,
}

/// A token: either `scope_map` or inline `repositories` (which make `<token>-scope-map`).
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Token {
    /// A declared scope map, or a system one such as `_repositories_pull`.
    pub scope_map: Option<String>,
    /// Inline rules: the token gets the implicit scope map `<token>-scope-map`.
    pub repositories: Option<Repositories>,
    /// `enabled` (default) or `disabled`.
    pub status: Option<Switch>,
    /// The password slots wanted. Omitted = passwords not managed; `{}` = no passwords.
    pub passwords: Option<Passwords>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Passwords {
    pub password1: Option<Password>,
    pub password2: Option<Password>,
}

/// One password slot's lifecycle. Durations are `<n>h`, `<n>d` or `<n>w`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Password {
    /// A fixed expiry (RFC 3339); a live password with another expiry is rotated.
    pub expiry: Option<String>,
    /// The lifetime of each newly generated password, such as `90d`.
    #[schemars(regex(pattern = r"^[0-9]+[hdw]$"))]
    pub expires_in: Option<String>,
    /// Rotate when the live password expires within this long, such as `14d`.
    #[schemars(regex(pattern = r"^[0-9]+[hdw]$"))]
    pub rotate_before: Option<String>,
}

#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConnectedRegistry {
    /// The connected registry's mode; `ReadOnly` (or `Mirror`) accepts only read-only client tokens.
    pub mode: Mode,
    /// Names of the declared tokens its clients use.
    pub client_tokens: Option<Vec<String>>,
}

#[derive(JsonSchema)]
pub(crate) enum Mode {
    ReadWrite,
    ReadOnly,
    Registry,
    Mirror,
}

/// A check's level: `error`, `warning` or `off`; `false` (what YAML reads an unquoted `off` as)
/// is `off`.
pub(crate) struct LintLevel;

impl JsonSchema for LintLevel {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LintLevel".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A check's level: `error`, `warning` or `off`; `false` (what YAML reads an unquoted `off` as) is `off`.",
            "enum": ["error", "warning", "off", false]
        })
    }
}

/// A scopeform workspace file (`scopeform.workspace.yaml`): several registries'
/// configurations, so that `plan`, `apply`, `drift`, `lint` and `validate` run on each and give
/// one report.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "scopeform workspace")]
pub(crate) struct WorkspaceFile {
    /// Each registry by name (1–63 letters, digits, `-` and `_`), with its configuration's
    /// directories and files, relative to this file's directory and inside it.
    #[schemars(extend("propertyNames" = {"pattern": "^[A-Za-z0-9_-]{1,63}$"}, "minProperties" = 1))]
    pub registries: BTreeMap<String, WorkspacePaths>,
}

/// A registry's configuration: at least one path.
#[derive(JsonSchema)]
#[schemars(extend("minItems" = 1))]
pub(crate) struct WorkspacePaths(pub Vec<WorkspacePath>);

/// A directory or file, relative to the workspace file's directory.
#[derive(JsonSchema)]
#[schemars(extend("minLength" = 1))]
pub(crate) struct WorkspacePath(pub String);

/// The JSON Schema of the workspace file (`schemas/scopeform.workspace.schema.json`).
pub(crate) fn workspace_json_schema() -> String {
    let schema = schemars::schema_for!(WorkspaceFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The JSON Schema of the YAML form, as printed by `scopeform schema`.
pub(crate) fn json_schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
