//! Audit findings (`scopeform lint`): risky or wasteful access, each with a stable id, a
//! severity the configuration may override, and where it was found. Pure.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

use crate::model::{
    ActionSet, ConnectedRegistryName, Desired, LintCheck, LintLevel, Live,
    MAX_ACTIONS_PER_SCOPE_MAP, PasswordPolicy, RepositoryPattern, Sku, SourceLocation, TokenName,
    TokenStatus, system_scope_map_actions,
};
use crate::plan::Address;
use crate::render::Untrusted;

mod subject;
pub(crate) use subject::Subject;

/// Every check, with its stable id and default severity.
pub(crate) const CHECKS: [(LintCheck, LintLevel, &str); 9] = [
    (
        LintCheck::AdminUserEnabled,
        LintLevel::Warning,
        "the registry's admin user is enabled",
    ),
    (
        LintCheck::PasswordWithoutExpiry,
        LintLevel::Warning,
        "a password never expires",
    ),
    (
        LintCheck::PasswordExpiring,
        LintLevel::Warning,
        "a password has expired or expires within 14 days",
    ),
    (
        LintCheck::RootWildcardWrite,
        LintLevel::Warning,
        "a root `*` rule grants write or delete on every repository",
    ),
    (
        LintCheck::RedundantRule,
        LintLevel::Warning,
        "a rule is fully covered by a wildcard rule of the same scope map",
    ),
    (
        LintCheck::UnusedScopeMap,
        LintLevel::Warning,
        "no token uses the scope map",
    ),
    (
        LintCheck::TokenWithoutPassword,
        LintLevel::Warning,
        "an enabled token has no password",
    ),
    (
        LintCheck::ReadOnlyClientTokenWrites,
        LintLevel::Error,
        "a client token of a ReadOnly connected registry can write or delete",
    ),
    (
        LintCheck::TierLimitExceeded,
        LintLevel::Error,
        "more objects or actions than the registry's tier allows",
    ),
];

/// Where a finding was made: a place in the configuration, or a live object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "in", rename_all = "lowercase")]
pub(crate) enum Location {
    Config {
        file: String,
        line: usize,
        column: usize,
    },
    Live {
        address: Subject,
    },
}

impl Location {
    fn config(location: Option<&SourceLocation>, address: &Subject) -> Self {
        match location {
            Some(l) => Self::Config {
                file: l.file.display().to_string(),
                line: l.line,
                column: l.column,
            },
            None => Self::Live {
                address: address.clone(),
            },
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Self::Live { address } => write!(f, "live {address}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub(crate) struct Finding {
    pub severity: LintLevel,
    pub id: LintCheck,
    pub address: Subject,
    /// Quotes names, patterns and actions from the configuration and the registry: printed
    /// only escaped.
    pub message: Untrusted,
    pub location: Location,
}

/// Collects findings one check at a time, applying severity overrides.
struct Linter<'a> {
    desired: Option<&'a Desired>,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    fn report(&mut self, id: LintCheck, address: &Subject, message: String, location: Location) {
        let default = CHECKS
            .iter()
            .find(|(check, ..)| *check == id)
            .map_or(LintLevel::Warning, |c| c.1);
        let severity = self
            .desired
            .and_then(|d| d.lint_overrides.get(&id).copied())
            .unwrap_or(default);
        if severity != LintLevel::Off {
            self.findings.push(Finding {
                severity,
                id,
                address: address.clone(),
                message: message.into(),
                location,
            });
        }
    }
}

/// How long before its expiry a password is "expiring", when the configuration does not say.
const EXPIRY_WARNING: TimeDelta = TimeDelta::days(14);

impl Linter<'_> {
    /// The warning window of one live slot. A declared slot's own `rotate_before` (the next
    /// apply rotates it from then on); without one, at most half its `expires_in`, so a password
    /// made seconds ago under a short lifetime is not already "expiring".
    fn expiry_warning(
        &self,
        token: &crate::model::TokenName,
        slot: crate::model::PasswordSlot,
    ) -> TimeDelta {
        let policy = self
            .desired
            .and_then(|d| d.tokens.get(token))
            .and_then(|t| t.passwords.as_ref())
            .and_then(|p| p.get(&slot));
        match policy {
            Some(PasswordPolicy {
                rotate_before: Some(margin),
                ..
            }) => margin.to_chrono(),
            Some(PasswordPolicy {
                expires_in: Some(lifetime),
                ..
            }) => EXPIRY_WARNING.min(lifetime.to_chrono() / 2),
            _ => EXPIRY_WARNING,
        }
    }
}

/// Lints a configuration, the live registry, or both.
pub(crate) fn lint(
    desired: Option<&Desired>,
    live: Option<&Live>,
    now: DateTime<Utc>,
) -> Vec<Finding> {
    let mut linter = Linter {
        desired,
        findings: Vec::new(),
    };
    if let Some(desired) = desired {
        lint_desired(&mut linter, desired);
    }
    if let Some(live) = live {
        lint_live(&mut linter, live, now, desired);
    }
    let mut findings = linter.findings;
    findings.sort();
    findings.dedup_by(|a, b| a.id == b.id && a.address == b.address && a.message == b.message);
    findings
}

fn lint_desired(linter: &mut Linter<'_>, desired: &Desired) {
    if desired.admin_user == Some(true) {
        linter.report(
            LintCheck::AdminUserEnabled,
            &Address::AdminUser.into(),
            "the configuration enables the admin user; prefer tokens or Entra identities".into(),
            Location::config(
                desired.registry.admin_user_location.as_ref(),
                &Address::AdminUser.into(),
            ),
        );
    }
    let used: BTreeSet<_> = desired.tokens.values().map(|t| &t.scope_map).collect();
    for scope_map in desired.scope_maps.values() {
        let address = Subject::from(Address::ScopeMap(scope_map.name.clone()));
        let location = Location::config(scope_map.location.as_ref(), &address);
        let actions = scope_map.action_set();
        rule_findings(linter, &address, &actions, &location);
        if !used.contains(&scope_map.name) {
            linter.report(
                LintCheck::UnusedScopeMap,
                &address,
                format!("no token uses scope map `{}`", scope_map.name),
                location.clone(),
            );
        }
        if actions.len() > MAX_ACTIONS_PER_SCOPE_MAP {
            linter.report(
                LintCheck::TierLimitExceeded,
                &address,
                format!(
                    "{} actions; a scope map holds at most {MAX_ACTIONS_PER_SCOPE_MAP}",
                    actions.len()
                ),
                location,
            );
        }
    }
    for token in desired.tokens.values() {
        let address = Subject::from(Address::Token(token.name.clone()));
        let location = Location::config(token.location.as_ref(), &address);
        if let Some(passwords) = &token.passwords {
            for (slot, policy) in passwords {
                if policy.expiry.is_none() && policy.expires_in.is_none() {
                    linter.report(
                        LintCheck::PasswordWithoutExpiry,
                        &Address::Password(token.name.clone(), *slot).into(),
                        format!(
                            "{slot} of token `{}` has no expiry or expires_in",
                            token.name
                        ),
                        location.clone(),
                    );
                }
            }
            if passwords.is_empty() && token.status == TokenStatus::Enabled {
                linter.report(
                    LintCheck::TokenWithoutPassword,
                    &address,
                    format!("token `{}` is enabled but declares no password", token.name),
                    location.clone(),
                );
            }
        }
    }
    for cr in desired
        .connected_registries
        .values()
        .filter(|cr| cr.mode.is_read_only())
    {
        for client in &cr.client_tokens {
            let Some(token) = desired.tokens.get(client) else {
                continue;
            };
            let actions = desired
                .scope_maps
                .get(&token.scope_map)
                .map(crate::model::DesiredScopeMap::action_set)
                .or_else(|| system_scope_map_actions(token.scope_map.as_str()))
                .unwrap_or_default();
            let address = Subject::from(Address::ConnectedRegistry(cr.name.clone()));
            let location = Location::config(cr.location.as_ref(), &address);
            read_only_writes(linter, &cr.name, client, &actions, &address, location);
        }
    }
}

/// Root wildcards that write, and rules made redundant by a wildcard of the same scope map.
fn rule_findings(
    linter: &mut Linter<'_>,
    address: &Subject,
    actions: &ActionSet,
    location: &Location,
) {
    for action in actions {
        let Some(pattern) = action.repository_pattern() else {
            continue;
        };
        if *pattern == RepositoryPattern::Root && action.permission.is_write() {
            linter.report(
                LintCheck::RootWildcardWrite,
                address,
                format!(
                    "`{action}` grants {} on every repository",
                    action.permission
                ),
                location.clone(),
            );
        }
        let covering = actions.iter().find(|other| {
            other.permission == action.permission
                && other
                    .repository_pattern()
                    .is_some_and(|o| o.is_wildcard() && o != pattern && pattern.is_covered_by(o))
        });
        if let Some(covering) = covering {
            linter.report(
                LintCheck::RedundantRule,
                address,
                format!("`{action}` is already granted by `{covering}`"),
                location.clone(),
            );
        }
    }
}

fn lint_live(linter: &mut Linter<'_>, live: &Live, now: DateTime<Utc>, desired: Option<&Desired>) {
    let ignored = |name: &str| desired.is_some_and(|d| d.is_ignored(name));
    if live.registry.admin_user_enabled {
        linter.report(
            LintCheck::AdminUserEnabled,
            &Address::AdminUser.into(),
            format!(
                "the admin user of registry `{}` is enabled",
                live.registry.name
            ),
            Location::Live {
                address: Address::AdminUser.into(),
            },
        );
    }
    let sku: Sku = live.registry.sku;
    let user_scope_maps = live.scope_maps.values().filter(|s| !s.system).count();
    for (count, what) in [
        (live.tokens.len(), "tokens"),
        (user_scope_maps, "scope maps"),
    ] {
        if count > sku.object_limit() {
            linter.report(
                LintCheck::TierLimitExceeded,
                &Subject::Registry(live.registry.name.clone()),
                format!(
                    "{count} {what}; the {sku} tier allows {}",
                    sku.object_limit()
                ),
                Location::Live {
                    address: Subject::Registry(live.registry.name.clone()),
                },
            );
        }
    }
    let used: BTreeSet<_> = live.tokens.values().map(|t| &t.scope_map).collect();
    for scope_map in live
        .scope_maps
        .values()
        .filter(|s| !s.system && !ignored(s.name.as_str()))
    {
        let address = Subject::from(Address::ScopeMap(scope_map.name.clone()));
        let location = Location::Live {
            address: address.clone(),
        };
        rule_findings(linter, &address, &scope_map.actions, &location);
        if !used.contains(&scope_map.name) {
            linter.report(
                LintCheck::UnusedScopeMap,
                &address,
                format!("no token uses scope map `{}`", scope_map.name),
                location,
            );
        }
    }
    for token in live.tokens.values().filter(|t| !ignored(t.name.as_str())) {
        let address = Subject::from(Address::Token(token.name.clone()));
        if token.status == TokenStatus::Enabled
            && token.passwords.is_empty()
            && !live.is_sync_token(&token.name)
        {
            linter.report(
                LintCheck::TokenWithoutPassword,
                &address,
                format!("token `{}` is enabled but has no password", token.name),
                Location::Live {
                    address: address.clone(),
                },
            );
        }
        for password in &token.passwords {
            let slot_address = Subject::from(Address::Password(token.name.clone(), password.name));
            let location = Location::Live {
                address: slot_address.clone(),
            };
            match password.expiry {
                None => linter.report(
                    LintCheck::PasswordWithoutExpiry,
                    &slot_address,
                    format!("{} of token `{}` never expires", password.name, token.name),
                    location,
                ),
                Some(expiry) if expiry <= now => linter.report(
                    LintCheck::PasswordExpiring,
                    &slot_address,
                    format!(
                        "{} of token `{}` expired at {}",
                        password.name,
                        token.name,
                        expiry.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                    location,
                ),
                Some(expiry)
                    if expiry - now <= linter.expiry_warning(&token.name, password.name) =>
                {
                    linter.report(
                        LintCheck::PasswordExpiring,
                        &slot_address,
                        format!(
                            "{} of token `{}` expires at {}",
                            password.name,
                            token.name,
                            expiry.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        ),
                        location,
                    );
                }
                Some(_) => {}
            }
        }
    }
    for cr in live
        .connected_registries
        .values()
        .filter(|cr| cr.mode.is_read_only())
    {
        for client in &cr.client_tokens {
            let Some(token) = live.tokens.get(client) else {
                continue;
            };
            let Some(scope_map) = live.scope_maps.get(&token.scope_map) else {
                continue;
            };
            let address = Subject::from(Address::ConnectedRegistry(cr.name.clone()));
            let location = Location::Live {
                address: address.clone(),
            };
            read_only_writes(
                linter,
                &cr.name,
                client,
                &scope_map.actions,
                &address,
                location,
            );
        }
    }
}

#[cfg(test)]
mod tests;

/// A client token of a ReadOnly connected registry may only read; reports what else it can do.
fn read_only_writes(
    linter: &mut Linter<'_>,
    connected_registry: &ConnectedRegistryName,
    client: &TokenName,
    actions: &ActionSet,
    address: &Subject,
    location: Location,
) {
    let writes: Vec<String> = actions
        .iter()
        .filter(|a| a.permission.is_write())
        .map(ToString::to_string)
        .collect();
    if !writes.is_empty() {
        linter.report(
            LintCheck::ReadOnlyClientTokenWrites,
            address,
            format!(
                "client token `{client}` of ReadOnly connected registry `{connected_registry}` can {}",
                writes.join(", ")
            ),
            location,
        );
    }
}
