//! The desired state of one registry: what the configuration means once validated, with
//! includes and inline rules expanded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{
    ActionMap, ActionSet, Cloud, ConfigDuration, ConnectedRegistryMode, ConnectedRegistryName,
    LintCheck, LintLevel, LiveScopeMap, NameGlob, PasswordSlot, RegistryName, ResourceGroupName,
    RuleName, ScopeMapName, SecretsDestination, SubscriptionId, TokenName, TokenStatus,
};

/// Where something was declared, for messages and lint findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceLocation {
    pub file: Arc<PathBuf>,
    pub line: usize,
    pub column: usize,
}

/// Which registry the configuration describes. Subscription and resource group may come from
/// the command line instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryCoordinates {
    pub name: RegistryName,
    pub subscription: Option<SubscriptionId>,
    pub resource_group: Option<ResourceGroupName>,
    /// `registry.cloud`, or `None` when the configuration does not say. It never chooses where
    /// requests go: the operator does (`--cloud`), and a configuration that says otherwise is
    /// refused.
    pub cloud: Option<Cloud>,
    /// Where `admin_user` is written, for lint findings about it.
    pub admin_user_location: Option<SourceLocation>,
}

/// What to do with live tokens the configuration does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnmanagedTokens {
    #[default]
    Ignore,
    Disable,
    Delete,
}

/// What to do with live user scope maps the configuration does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnmanagedScopeMaps {
    #[default]
    Ignore,
    Delete,
}

/// What a `removed` entry does to a token the configuration used to declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovedAction {
    Delete,
    Disable,
}

impl RemovedAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Disable => "disable",
        }
    }
}

/// Objects the configuration used to declare and now names under `removed`, with what to do
/// with each: without a state file this is how a removal revokes access (DESIGN §4). A scope
/// map cannot be disabled, so a removed scope map is deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Removed {
    pub tokens: BTreeMap<TokenName, RemovedAction>,
    pub scope_maps: BTreeSet<ScopeMapName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UnmanagedPolicy {
    pub tokens: UnmanagedTokens,
    pub scope_maps: UnmanagedScopeMaps,
}

/// Why a scope map grants an action: written in its own `repositories`/`gateways`, or brought
/// in by an included rule or scope map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GrantSource {
    Direct,
    Rule(RuleName),
    /// Brought in by including another scope map (`include: [other-scope-map]`).
    ScopeMap(ScopeMapName),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredScopeMap {
    pub name: ScopeMapName,
    /// `None`: the description is not managed and whatever is live stays.
    pub description: Option<String>,
    /// The expanded, de-duplicated action set, keyed by action, with where each came from.
    pub actions: ActionMap,
    /// Set for the implicit `<token>-scope-map` of a token declared with inline repositories.
    pub implicit_for: Option<TokenName>,
    pub location: Option<SourceLocation>,
}

impl DesiredScopeMap {
    pub fn action_set(&self) -> ActionSet {
        self.actions.keys().cloned().collect()
    }

    /// Whether the live scope map holds exactly these actions and nothing unparsable. Both
    /// sides are sorted sets, so this is one linear walk without allocating.
    pub fn same_actions_as(&self, live: &LiveScopeMap) -> bool {
        live.unrecognised_actions.is_empty() && self.actions.keys().eq(live.actions.iter())
    }
}

/// The wanted lifecycle of one password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PasswordPolicy {
    /// A fixed expiry; a live slot with another expiry is rotated.
    pub expiry: Option<DateTime<Utc>>,
    /// The lifetime of a newly generated password.
    pub expires_in: Option<ConfigDuration>,
    /// Rotate when the live password expires within this long.
    pub rotate_before: Option<ConfigDuration>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredToken {
    pub name: TokenName,
    /// A declared scope map, the token's implicit one, or a system scope map.
    pub scope_map: ScopeMapName,
    pub status: TokenStatus,
    /// `None`: passwords are not managed. `Some(empty)`: no password is wanted.
    pub passwords: Option<BTreeMap<PasswordSlot, PasswordPolicy>>,
    pub location: Option<SourceLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredConnectedRegistry {
    pub name: ConnectedRegistryName,
    pub mode: ConnectedRegistryMode,
    pub client_tokens: BTreeSet<TokenName>,
    pub location: Option<SourceLocation>,
}

/// Everything one configuration asks of one registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    pub registry: RegistryCoordinates,
    /// `None`: the admin user switch is not managed.
    pub admin_user: Option<bool>,
    pub unmanaged: UnmanagedPolicy,
    pub ignore: Vec<NameGlob>,
    pub scope_maps: BTreeMap<ScopeMapName, DesiredScopeMap>,
    pub tokens: BTreeMap<TokenName, DesiredToken>,
    pub connected_registries: BTreeMap<ConnectedRegistryName, DesiredConnectedRegistry>,
    /// Objects named under `removed`: never also declared.
    pub removed: Removed,
    /// Lint severity overrides (`lint: {id: error}`), kept raw for the linter.
    pub lint_overrides: BTreeMap<LintCheck, LintLevel>,
    /// `secrets`: the Key Vault that receives generated passwords, if any.
    pub secrets: Option<SecretsDestination>,
}

impl Desired {
    /// A configuration of `registry` that declares nothing: what a path that did not exist yet
    /// at a git revision stands for.
    pub fn empty(registry: RegistryCoordinates) -> Self {
        Self {
            registry,
            admin_user: None,
            unmanaged: UnmanagedPolicy::default(),
            ignore: Vec::new(),
            scope_maps: BTreeMap::new(),
            tokens: BTreeMap::new(),
            connected_registries: BTreeMap::new(),
            removed: Removed::default(),
            lint_overrides: BTreeMap::new(),
            secrets: None,
        }
    }

    /// Whether a live object name matches one of the `ignore` globs.
    pub fn is_ignored(&self, name: &str) -> bool {
        self.ignore.iter().any(|glob| glob.matches(name))
    }

    /// Every token slot whose password the configuration manages (`passwords:`).
    pub fn managed_password_slots(&self) -> Vec<(TokenName, PasswordSlot)> {
        self.tokens
            .values()
            .filter_map(|t| Some((t, t.passwords.as_ref()?)))
            .flat_map(|(t, policies)| policies.keys().map(|slot| (t.name.clone(), *slot)))
            .collect()
    }
}
