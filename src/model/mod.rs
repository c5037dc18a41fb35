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

pub(crate) use action_map::ActionMap;
pub(crate) use action_set::ActionSet;
pub(crate) use backend_location::BackendLocation;
pub(crate) use cloud::Cloud;
pub(crate) use connected_registry_mode::ConnectedRegistryMode;
pub(crate) use desired::{
    Desired, DesiredConnectedRegistry, DesiredScopeMap, DesiredToken, GrantSource, PasswordPolicy,
    RegistryCoordinates, Removed, RemovedAction, SourceLocation, UnmanagedPolicy,
    UnmanagedScopeMaps, UnmanagedTokens,
};
pub(crate) use duration::ConfigDuration;
pub(crate) use excerpt::excerpt;
pub(crate) use grant_sources::GrantSources;
pub(crate) use interrupted_rotation::InterruptedRotation;
pub(crate) use lint_check::LintCheck;
pub(crate) use lint_level::LintLevel;
pub(crate) use live::{
    Live, LiveConnectedRegistry, LivePassword, LiveRegistry, LiveScopeMap, LiveToken,
};
pub(crate) use live_apply::LiveApplyError;
pub(crate) use name::{ConnectedRegistryName, RegistryName, RuleName, ScopeMapName, TokenName};
pub(crate) use name_glob::NameGlob;
pub(crate) use password_slot::PasswordSlot;
pub(crate) use permission::{Permission, PermissionDomain};
pub(crate) use provisioning_state::ProvisioningState;
pub(crate) use repository_pattern::{RepositoryError, RepositoryPattern, validate_repository_name};
pub(crate) use resource_group_name::ResourceGroupName;
pub(crate) use scope_action::{ActionTarget, ScopeAction};
pub(crate) use secret::Secret;
pub(crate) use secrets_destination::{
    SecretNameTemplate, SecretsDestination, VaultUrl, check_secret_name,
};
pub(crate) use sku::{MAX_ACTIONS_PER_SCOPE_MAP, Sku};
pub(crate) use subscription_id::SubscriptionId;
pub(crate) use system_scope_map::{
    SYSTEM_SCOPE_MAPS, is_system_scope_map_name, system_scope_map_actions,
};
pub(crate) use token_status::TokenStatus;
pub(crate) use write_op::{GeneratedPassword, WriteOp};
