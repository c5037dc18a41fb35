//! The reports of `scopeform explain`: a token's effective permissions and the rules behind
//! them, or every token with access to a repository. Pure: built from the desired state.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    ActionMap, Desired, GrantSource, GrantSources, Permission, RepositoryPattern, ScopeMapName,
    TokenName, TokenStatus, system_scope_map_actions,
};

/// One rule of a scope map: a pattern, the permissions it grants, and why it is there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct RuleGrant {
    pub repository: String,
    pub permissions: Vec<Permission>,
    /// `direct`, or the names of the included rules that bring it in.
    pub sources: Vec<String>,
}

/// A token's grants, rule by rule.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct TokenReport {
    pub token: TokenName,
    pub status: TokenStatus,
    pub scope_map: ScopeMapName,
    pub system_scope_map: bool,
    pub rules: Vec<RuleGrant>,
    pub gateways: Vec<RuleGrant>,
    /// With `--repository`: the permissions on that repository (none if disabled).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<RepositoryGrant>,
}

/// The effective permissions on one repository and the rules that grant them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct RepositoryGrant {
    pub repository: String,
    pub permissions: Vec<Permission>,
    /// Rule patterns that match the repository.
    pub matched_rules: Vec<RuleGrant>,
}

/// Why `explain` could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExplainError {
    #[error("no token `{token}` in the configuration")]
    UnknownToken {
        token: String,
        suggestion: Option<String>,
    },
}

type Sources = GrantSources;

/// The actions of the token's scope map with their sources; system scope maps are `direct`.
fn scope_map_actions(desired: &Desired, scope_map: &ScopeMapName) -> (ActionMap, bool) {
    match desired.scope_maps.get(scope_map) {
        Some(declared) => (declared.actions.clone(), false),
        None => {
            let actions = system_scope_map_actions(scope_map.as_str()).unwrap_or_default();
            let direct = || GrantSources::from(GrantSource::Direct);
            (actions.into_iter().map(|a| (a, direct())).collect(), true)
        }
    }
}

fn source_names(sources: &Sources) -> Vec<String> {
    sources
        .iter()
        .map(|s| match s {
            GrantSource::Direct => "direct".to_owned(),
            GrantSource::Rule(rule) => format!("rule {rule}"),
            GrantSource::ScopeMap(scope_map) => format!("scope map {scope_map}"),
        })
        .collect()
}

/// Groups actions by target: one `RuleGrant` per pattern (or gateway).
fn group(actions: &ActionMap, repositories: bool) -> Vec<RuleGrant> {
    let mut grouped: BTreeMap<String, (BTreeSet<Permission>, Sources)> = BTreeMap::new();
    let mut order: BTreeMap<String, Option<RepositoryPattern>> = BTreeMap::new();
    for (action, sources) in actions {
        let key = match (action.repository_pattern(), repositories) {
            (Some(pattern), true) => {
                order.insert(pattern.to_string(), Some(pattern.clone()));
                pattern.to_string()
            }
            (None, false) => {
                let text = action.to_string();
                text.rsplitn(3, '/').nth(2).unwrap_or_default().to_owned()
            }
            _ => continue,
        };
        let entry = grouped.entry(key).or_default();
        entry.0.insert(action.permission);
        entry.1.extend(sources.iter().cloned());
    }
    grouped
        .into_iter()
        .map(|(repository, (permissions, sources))| RuleGrant {
            repository,
            permissions: permissions.into_iter().collect(),
            sources: source_names(&sources),
        })
        .collect()
}

/// Explains one token, optionally on one repository.
pub(crate) fn explain_token(
    desired: &Desired,
    token: &str,
    repository: Option<&str>,
) -> Result<TokenReport, ExplainError> {
    let Some(declared) = desired.tokens.values().find(|t| t.name.as_str() == token) else {
        let suggestion = desired
            .tokens
            .keys()
            .map(|name| (strsim::levenshtein(name.as_str(), token), name))
            .filter(|(distance, _)| *distance <= 3)
            .min()
            .map(|(_, name)| name.to_string());
        return Err(ExplainError::UnknownToken {
            token: token.to_owned(),
            suggestion,
        });
    };
    let (actions, system_scope_map) = scope_map_actions(desired, &declared.scope_map);
    let repository = repository.map(|repository| {
        let matching: ActionMap = actions
            .iter()
            .filter(|(a, _)| {
                a.repository_pattern()
                    .is_some_and(|p| p.matches(repository))
            })
            .map(|(a, s)| (a.clone(), s.clone()))
            .collect();
        let permissions = match declared.status {
            TokenStatus::Enabled => matching
                .keys()
                .map(|a| a.permission)
                .collect::<BTreeSet<_>>(),
            TokenStatus::Disabled => BTreeSet::new(),
        };
        RepositoryGrant {
            repository: repository.to_owned(),
            permissions: permissions.into_iter().collect(),
            matched_rules: group(&matching, true),
        }
    });
    Ok(TokenReport {
        token: declared.name.clone(),
        status: declared.status,
        scope_map: declared.scope_map.clone(),
        system_scope_map,
        rules: group(&actions, true),
        gateways: group(&actions, false),
        repository,
    })
}

/// One token's access to the repository asked about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct RepositoryAccessReport {
    pub token: TokenName,
    pub status: TokenStatus,
    pub scope_map: ScopeMapName,
    /// Effective permissions: none while the token is disabled.
    pub permissions: Vec<Permission>,
    pub matched_rules: Vec<RuleGrant>,
}

/// Every declared token with a rule matching `repository`; disabled ones are listed, marked,
/// with no effective permissions.
pub(crate) fn explain_repository(
    desired: &Desired,
    repository: &str,
) -> Vec<RepositoryAccessReport> {
    desired
        .tokens
        .values()
        .filter_map(|token| {
            let report = explain_token(desired, token.name.as_str(), Some(repository)).ok()?;
            let grant = report.repository?;
            (!grant.matched_rules.is_empty()).then_some(RepositoryAccessReport {
                token: report.token,
                status: report.status,
                scope_map: report.scope_map,
                permissions: grant.permissions,
                matched_rules: grant.matched_rules,
            })
        })
        .collect()
}
