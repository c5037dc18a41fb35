//! What the configuration means and what the registry holds, as validated types.
//!
//! Everything here is already checked: a `TokenName` is a valid token name, a `ScopeAction` is
//! a well-formed lower-case ARM action. Downstream code never re-validates.

mod action_map;
mod action_set;
mod backend_location;
mod cloud;
mod connected_registry_mode;
mod desired;
mod duration;
mod excerpt;
mod grant_sources;
mod interrupted_rotation;
mod lint_check;
mod lint_level;
mod live;
mod live_apply;
mod name;
mod name_glob;
mod password_slot;
mod permission;
mod provisioning_state;
mod repository_pattern;
mod resource_group_name;
mod scope_action;
mod secret;
mod secrets_destination;
mod sku;
mod subscription_id;
mod system_scope_map;
mod token_status;
mod write_op;

pub use action_map::ActionMap;
pub use action_set::ActionSet;
pub use backend_location::BackendLocation;
pub use cloud::Cloud;
pub use connected_registry_mode::ConnectedRegistryMode;
pub use desired::{
    Desired, DesiredConnectedRegistry, DesiredScopeMap, DesiredToken, GrantSource, PasswordPolicy,
    RegistryCoordinates, Removed, RemovedAction, SourceLocation, UnmanagedPolicy,
    UnmanagedScopeMaps, UnmanagedTokens,
};
pub use duration::ConfigDuration;
pub use excerpt::excerpt;
pub use grant_sources::GrantSources;
pub use interrupted_rotation::InterruptedRotation;
pub use lint_check::LintCheck;
pub use lint_level::LintLevel;
pub use live::{Live, LiveConnectedRegistry, LivePassword, LiveRegistry, LiveScopeMap, LiveToken};
pub use live_apply::LiveApplyError;
pub use name::{ConnectedRegistryName, RegistryName, RuleName, ScopeMapName, TokenName};
pub use name_glob::NameGlob;
pub use password_slot::PasswordSlot;
pub use permission::{Permission, PermissionDomain};
pub use provisioning_state::ProvisioningState;
pub use repository_pattern::{RepositoryError, RepositoryPattern, validate_repository_name};
pub use resource_group_name::ResourceGroupName;
pub use scope_action::{ActionTarget, ScopeAction};
pub use secret::Secret;
pub use secrets_destination::{
    SecretNameTemplate, SecretsDestination, VaultUrl, check_secret_name,
};
pub use sku::{MAX_ACTIONS_PER_SCOPE_MAP, Sku};
pub use subscription_id::SubscriptionId;
pub use system_scope_map::{SYSTEM_SCOPE_MAPS, is_system_scope_map_name, system_scope_map_actions};
pub use token_status::TokenStatus;
pub use write_op::{GeneratedPassword, WriteOp};
