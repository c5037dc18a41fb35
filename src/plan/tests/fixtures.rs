//! Small, readable builders for desired and live states, shared by the plan and render tests.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::model::{
    ActionSet, ConnectedRegistryMode, Desired, DesiredConnectedRegistry, DesiredScopeMap,
    DesiredToken, GrantSource, GrantSources, Live, LiveConnectedRegistry, LivePassword,
    LiveRegistry, LiveScopeMap, LiveToken, PasswordPolicy, PasswordSlot, RegistryCoordinates,
    SYSTEM_SCOPE_MAPS, Sku, TokenStatus, UnmanagedPolicy, system_scope_map_actions,
};
use crate::plan::{Plan, diff};

/// The time every test plans at.
pub(crate) fn now() -> DateTime<Utc> {
    at("2026-06-01T00:00:00Z")
}

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("test timestamp")
}

pub(crate) fn actions(list: &[&str]) -> ActionSet {
    list.iter()
        .map(|s| s.parse().expect("test action"))
        .collect()
}

pub(crate) fn desired() -> Desired {
    Desired {
        registry: RegistryCoordinates {
            name: "myregistry".parse().expect("name"),
            // Not a GUID, so left to the live registry's (`sub`).
            subscription: None,
            resource_group: Some("rg".parse().expect("resource group")),
            cloud: None,
            admin_user_location: None,
        },
        admin_user: None,
        unmanaged: UnmanagedPolicy::default(),
        ignore: Vec::new(),
        scope_maps: BTreeMap::new(),
        tokens: BTreeMap::new(),
        connected_registries: BTreeMap::new(),
        removed: crate::model::Removed::default(),
        lint_overrides: BTreeMap::new(),
        secrets: None,
    }
}

/// A registry with ACR's five system scope maps and nothing else.
pub(crate) fn live() -> Live {
    let scope_maps = SYSTEM_SCOPE_MAPS
        .iter()
        .map(|(name, _)| {
            let scope_map = LiveScopeMap {
                name: name.parse().expect("system name"),
                description: String::new(),
                actions: system_scope_map_actions(name).unwrap_or_default(),
                unrecognised_actions: BTreeSet::new(),
                system: true,
                provisioning_state: crate::model::ProvisioningState::Succeeded,
            };
            (scope_map.name.clone(), scope_map)
        })
        .collect();
    Live {
        registry: LiveRegistry {
            subscription: "sub".into(),
            resource_group: "rg".into(),
            name: "myregistry".parse().expect("name"),
            sku: Sku::Premium,
            admin_user_enabled: false,
        },
        scope_maps,
        tokens: BTreeMap::new(),
        connected_registries: BTreeMap::new(),
    }
}

pub(crate) fn policy(
    expiry: Option<&str>,
    expires_in: Option<&str>,
    rotate_before: Option<&str>,
) -> PasswordPolicy {
    PasswordPolicy {
        expiry: expiry.map(at),
        expires_in: expires_in.map(|d| d.parse().expect("duration")),
        rotate_before: rotate_before.map(|d| d.parse().expect("duration")),
    }
}

pub(crate) trait DesiredBuilder: Sized {
    fn scope_map(self, name: &str, list: &[&str]) -> Self;
    fn described(self, name: &str, description: &str) -> Self;
    fn token(self, name: &str, scope_map: &str) -> Self;
    fn disabled(self, token: &str) -> Self;
    fn passwords(self, token: &str, slots: &[(PasswordSlot, PasswordPolicy)]) -> Self;
    fn connected(self, name: &str, mode: ConnectedRegistryMode, client_tokens: &[&str]) -> Self;
    fn with(self, edit: impl FnOnce(&mut Desired)) -> Self;
}

impl DesiredBuilder for Desired {
    fn scope_map(mut self, name: &str, list: &[&str]) -> Self {
        let scope_map = DesiredScopeMap {
            name: name.parse().expect("scope map name"),
            description: None,
            actions: actions(list)
                .into_iter()
                .map(|a| (a, GrantSources::from(GrantSource::Direct)))
                .collect(),
            implicit_for: None,
            location: None,
        };
        self.scope_maps.insert(scope_map.name.clone(), scope_map);
        self
    }

    fn described(mut self, name: &str, description: &str) -> Self {
        let key = name.parse().expect("scope map name");
        if let Some(scope_map) = self.scope_maps.get_mut(&key) {
            scope_map.description = Some(description.to_owned());
        }
        self
    }

    fn token(mut self, name: &str, scope_map: &str) -> Self {
        let token = DesiredToken {
            name: name.parse().expect("token name"),
            scope_map: scope_map.parse().expect("scope map name"),
            status: TokenStatus::Enabled,
            passwords: None,
            location: None,
        };
        self.tokens.insert(token.name.clone(), token);
        self
    }

    fn disabled(mut self, token: &str) -> Self {
        if let Some(token) = self.tokens.get_mut(&token.parse().expect("token name")) {
            token.status = TokenStatus::Disabled;
        }
        self
    }

    fn passwords(mut self, token: &str, slots: &[(PasswordSlot, PasswordPolicy)]) -> Self {
        if let Some(token) = self.tokens.get_mut(&token.parse().expect("token name")) {
            token.passwords = Some(slots.iter().copied().collect());
        }
        self
    }

    fn connected(
        mut self,
        name: &str,
        mode: ConnectedRegistryMode,
        client_tokens: &[&str],
    ) -> Self {
        let cr = DesiredConnectedRegistry {
            name: name.parse().expect("connected registry name"),
            mode,
            client_tokens: client_tokens
                .iter()
                .map(|t| t.parse().expect("token name"))
                .collect(),
            location: None,
        };
        self.connected_registries.insert(cr.name.clone(), cr);
        self
    }

    fn with(mut self, edit: impl FnOnce(&mut Desired)) -> Self {
        edit(&mut self);
        self
    }
}

pub(crate) trait LiveBuilder: Sized {
    fn scope_map(self, name: &str, list: &[&str]) -> Self;
    fn token(self, name: &str, scope_map: &str, status: TokenStatus) -> Self;
    /// A password in `slot`, created a month before `now`, expiring at `expiry`.
    fn password(self, token: &str, slot: PasswordSlot, expiry: Option<&str>) -> Self;
    fn connected(self, name: &str, sync_token: &str, client_tokens: &[&str]) -> Self;
    fn with(self, edit: impl FnOnce(&mut Live)) -> Self;
}

impl LiveBuilder for Live {
    fn scope_map(mut self, name: &str, list: &[&str]) -> Self {
        let scope_map = LiveScopeMap {
            name: name.parse().expect("scope map name"),
            description: String::new(),
            actions: actions(list),
            unrecognised_actions: BTreeSet::new(),
            system: false,
            provisioning_state: crate::model::ProvisioningState::Succeeded,
        };
        self.scope_maps.insert(scope_map.name.clone(), scope_map);
        self
    }

    fn token(mut self, name: &str, scope_map: &str, status: TokenStatus) -> Self {
        let token = LiveToken {
            name: name.parse().expect("token name"),
            scope_map: scope_map.parse().expect("scope map name"),
            status,
            passwords: Vec::new(),
            provisioning_state: crate::model::ProvisioningState::Succeeded,
        };
        self.tokens.insert(token.name.clone(), token);
        self
    }

    fn password(mut self, token: &str, slot: PasswordSlot, expiry: Option<&str>) -> Self {
        if let Some(token) = self.tokens.get_mut(&token.parse().expect("token name")) {
            token.passwords.push(LivePassword {
                name: slot,
                creation_time: Some(at("2026-05-01T00:00:00Z")),
                expiry: expiry.map(at),
            });
            token.passwords.sort_by_key(|p| p.name);
        }
        self
    }

    fn connected(mut self, name: &str, sync_token: &str, client_tokens: &[&str]) -> Self {
        let cr = LiveConnectedRegistry {
            name: name.parse().expect("connected registry name"),
            mode: ConnectedRegistryMode::ReadOnly,
            sync_token: sync_token.parse().expect("token name"),
            client_tokens: client_tokens
                .iter()
                .map(|t| t.parse().expect("token name"))
                .collect(),
            provisioning_state: crate::model::ProvisioningState::Succeeded,
        };
        self.connected_registries.insert(cr.name.clone(), cr);
        self
    }

    fn with(mut self, edit: impl FnOnce(&mut Live)) -> Self {
        edit(&mut self);
        self
    }
}

pub(crate) fn plan(desired: &Desired, live: &Live) -> Plan {
    match diff(desired, live, now()) {
        Ok(plan) => plan,
        Err(e) => panic!("diff failed: {e}"),
    }
}

/// The changes as `kind address`, one string each, in plan order.
pub(crate) fn lines(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| format!("{} {}", c.kind, c.address))
        .collect()
}

/// One plan containing every kind of change, for the renderer snapshots.
pub(crate) fn every_kind() -> (Desired, Live) {
    use crate::model::{UnmanagedScopeMaps, UnmanagedTokens};
    use PasswordSlot::{Password1, Password2};
    let desired = desired()
        .scope_map(
            "ci-push-scope-map",
            &[
                "repositories/ci/*/content/read",
                "repositories/ci/*/content/write",
            ],
        )
        .scope_map(
            "readers",
            &[
                "repositories/samples/*/content/read",
                "repositories/samples/*/metadata/read",
                "repositories/prod/*/content/read",
            ],
        )
        .described("readers", "Read access to samples and prod")
        .token("ci-push", "ci-push-scope-map")
        .passwords(
            "ci-push",
            &[(Password1, policy(None, Some("30d"), Some("7d")))],
        )
        .token("reader", "readers")
        .passwords(
            "reader",
            &[(Password1, policy(None, Some("90d"), Some("7d")))],
        )
        .token("old-deployer", "readers")
        .disabled("old-deployer")
        .connected("edge01", ConnectedRegistryMode::ReadOnly, &["reader"])
        .with(|d| {
            d.admin_user = Some(false);
            d.unmanaged.tokens = UnmanagedTokens::Delete;
            d.unmanaged.scope_maps = UnmanagedScopeMaps::Ignore;
            d.ignore = vec!["legacy-*".parse().expect("glob")];
        });
    let live = live()
        .scope_map(
            "readers",
            &[
                "repositories/samples/*/content/read",
                "repositories/prod/*/content/write",
                "repositories/prod/*/content/read",
            ],
        )
        .scope_map("team-b-scope", &["repositories/team-b/*/content/read"])
        .token("reader", "readers", TokenStatus::Enabled)
        .password("reader", Password1, Some("2026-06-05T00:00:00Z"))
        .password("reader", Password2, None)
        .token("old-deployer", "readers", TokenStatus::Enabled)
        .token("contractor", "team-b-scope", TokenStatus::Enabled)
        .token("legacy-bot", "_repositories_pull", TokenStatus::Enabled)
        .token("edge01-sync", "_repositories_pull", TokenStatus::Enabled)
        .connected("edge01", "edge01-sync", &[])
        .with(|l| {
            l.registry.admin_user_enabled = true;
            if let Some(s) = l.scope_maps.get_mut(&"readers".parse().expect("name")) {
                s.description = "Read access to samples".into();
            }
        });
    (desired, live)
}
