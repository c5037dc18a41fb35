//! The keys each object of the YAML language accepts. The validator checks against these and
//! a test compares them with the JSON Schema, so the two cannot drift apart.

pub(crate) const TOP_LEVEL: &[&str] = &[
    "registry",
    "unmanaged",
    "ignore",
    "rules",
    "scope_maps",
    "tokens",
    "connected_registries",
    "removed",
    "lint",
    "secrets",
];
pub(crate) const REGISTRY: &[&str] = &[
    "name",
    "subscription",
    "resource_group",
    "cloud",
    "admin_user",
];
pub(crate) const SECRETS: &[&str] = &["key_vault", "name"];
pub(crate) const UNMANAGED: &[&str] = &["tokens", "scope_maps"];
pub(crate) const REMOVED: &[&str] = &["tokens", "scope_maps"];
pub(crate) const SCOPE_MAP: &[&str] = &["description", "include", "repositories", "gateways"];
pub(crate) const TOKEN: &[&str] = &["scope_map", "repositories", "status", "passwords"];
pub(crate) const PASSWORDS: &[&str] = &["password1", "password2"];
pub(crate) const PASSWORD: &[&str] = &["expiry", "expires_in", "rotate_before"];
pub(crate) const CONNECTED_REGISTRY: &[&str] = &["mode", "client_tokens"];
