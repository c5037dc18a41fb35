//! What an export says, decided once for both languages: which objects, grouped how.

use crate::model::{ActionTarget, Live, LivePassword, ScopeAction};

/// A scope map's actions grouped by target, in the model's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScopeMapView {
    pub name: String,
    pub description: Option<String>,
    /// `repository pattern → permissions`.
    pub repositories: Vec<(String, Vec<&'static str>)>,
    /// `connected registry → permissions`.
    pub gateways: Vec<(String, Vec<&'static str>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenView {
    pub name: String,
    pub scope_map: String,
    pub status: &'static str,
    /// Empty: passwords are left unmanaged.
    pub passwords: Vec<(&'static str, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConnectedRegistryView {
    pub name: String,
    pub mode: &'static str,
    pub client_tokens: Vec<String>,
}

/// Everything an export writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportView {
    pub name: String,
    pub subscription: String,
    pub resource_group: String,
    pub admin_user: &'static str,
    pub scope_maps: Vec<ScopeMapView>,
    pub tokens: Vec<TokenView>,
    pub connected_registries: Vec<ConnectedRegistryView>,
    pub warnings: Vec<String>,
    /// Whether the `registry` block is written (`export --only` of a few objects leaves it out).
    pub with_registry: bool,
}

fn group(
    actions: &[&ScopeAction],
    key: impl Fn(&ScopeAction) -> Option<String>,
) -> Vec<(String, Vec<&'static str>)> {
    let mut groups: Vec<(String, Vec<&'static str>)> = Vec::new();
    for action in actions {
        let Some(target) = key(action) else { continue };
        match groups.last_mut() {
            Some((last, permissions)) if *last == target => {
                permissions.push(action.permission.as_str());
            }
            _ => groups.push((target, vec![action.permission.as_str()])),
        }
    }
    groups
}

fn expiry(password: &LivePassword) -> Option<String> {
    password
        .expiry
        .map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

impl ExportView {
    pub(crate) fn new(live: &Live) -> Self {
        let mut warnings = Vec::new();
        let scope_maps = live
            .scope_maps
            .values()
            // System scope maps are referenced, never declared.
            .filter(|m| !m.system)
            .map(|m| {
                for action in &m.unrecognised_actions {
                    warnings.push(format!(
                        "scope map `{}`: action `{action}` is not in ACR's grammar and is left out",
                        m.name
                    ));
                }
                let actions: Vec<&ScopeAction> = m.actions.iter().collect();
                ScopeMapView {
                    name: m.name.to_string(),
                    description: Some(m.description.clone()).filter(|d| !d.is_empty()),
                    repositories: group(&actions, |a| {
                        a.repository_pattern().map(ToString::to_string)
                    }),
                    gateways: group(&actions, |a| match &a.target {
                        ActionTarget::Gateway(name) => Some(name.clone()),
                        ActionTarget::Repository(_) => None,
                    }),
                }
            })
            .collect();
        let tokens = live
            .tokens
            .values()
            .map(|t| TokenView {
                name: t.name.to_string(),
                scope_map: t.scope_map.to_string(),
                status: t.status.as_str(),
                passwords: t
                    .passwords
                    .iter()
                    .map(|p| (p.name.as_str(), expiry(p)))
                    .collect(),
            })
            .collect();
        let connected_registries = live
            .connected_registries
            .values()
            .map(|cr| ConnectedRegistryView {
                name: cr.name.to_string(),
                mode: cr.mode.as_str(),
                client_tokens: cr.client_tokens.iter().map(ToString::to_string).collect(),
            })
            .collect();
        Self {
            name: live.registry.name.to_string(),
            subscription: live.registry.subscription.clone(),
            resource_group: live.registry.resource_group.clone(),
            admin_user: if live.registry.admin_user_enabled {
                "enabled"
            } else {
                "disabled"
            },
            scope_maps,
            tokens,
            connected_registries,
            warnings,
            with_registry: true,
        }
    }
}
