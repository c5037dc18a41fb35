//! The keys each object of the YAML language accepts. The validator checks against these and
//! a test compares them with the JSON Schema, so the two cannot drift apart.

pub const TOP_LEVEL: &[&str] = &[
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
pub const REGISTRY: &[&str] = &[
    "name",
    "subscription",
    "resource_group",
    "cloud",
    "admin_user",
];
pub const SECRETS: &[&str] = &["key_vault", "name"];
pub const UNMANAGED: &[&str] = &["tokens", "scope_maps"];
pub const REMOVED: &[&str] = &["tokens", "scope_maps"];
pub const SCOPE_MAP: &[&str] = &["description", "include", "repositories", "gateways"];
pub const TOKEN: &[&str] = &["scope_map", "repositories", "status", "passwords"];
pub const PASSWORDS: &[&str] = &["password1", "password2"];
pub const PASSWORD: &[&str] = &["expiry", "expires_in", "rotate_before"];
pub const CONNECTED_REGISTRY: &[&str] = &["mode", "client_tokens"];
