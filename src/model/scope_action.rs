//! One entry of a scope map's `actions` list, parsed: `repositories/samples/*/content/read`
//! is a `content/read` permission on the repository pattern `samples/*`.

use std::fmt;
use std::str::FromStr;

use super::{
    ConnectedRegistryName, Permission, PermissionDomain, RepositoryError, RepositoryPattern,
};

/// What an action applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActionTarget {
    Repository(RepositoryPattern),
    /// A connected registry's gateway; ARM wants the name in lower case.
    Gateway(String),
}

/// A validated scope map action. `Display` gives the exact string ARM stores.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeAction {
    pub target: ActionTarget,
    pub permission: Permission,
}

/// Why a string is not a valid scope map action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeActionError {
    #[error("action `{0}` must start with `repositories/` or `gateway/`")]
    Prefix(String),
    #[error("`{found}` is not a {domain} action; expected one of {expected}")]
    Permission {
        found: String,
        domain: &'static str,
        expected: String,
    },
    #[error(transparent)]
    Repository(#[from] RepositoryError),
    #[error("gateway target `{0}` is not a valid connected registry name")]
    Gateway(String),
    #[error("actions are lower case; use `{0}`")]
    UpperCase(String),
}

impl ScopeAction {
    pub fn repository(pattern: RepositoryPattern, permission: Permission) -> Self {
        Self {
            target: ActionTarget::Repository(pattern),
            permission,
        }
    }

    pub fn gateway(connected_registry: &ConnectedRegistryName, permission: Permission) -> Self {
        let name = connected_registry.as_str().to_ascii_lowercase();
        Self {
            target: ActionTarget::Gateway(name),
            permission,
        }
    }

    /// The repository pattern, for repository actions.
    pub fn repository_pattern(&self) -> Option<&RepositoryPattern> {
        match &self.target {
            ActionTarget::Repository(pattern) => Some(pattern),
            ActionTarget::Gateway(_) => None,
        }
    }

    /// Parses the permission part of a rule (`content/read`) for a target of `domain`.
    pub fn parse_permission(
        s: &str,
        domain: PermissionDomain,
    ) -> Result<Permission, ScopeActionError> {
        match s.parse::<Permission>() {
            Ok(p) if p.domain() == domain => Ok(p),
            _ => Err(ScopeActionError::Permission {
                found: s.to_owned(),
                domain: match domain {
                    PermissionDomain::Repository => "repository",
                    PermissionDomain::Gateway => "gateway",
                },
                expected: Permission::names_in(domain).join(", "),
            }),
        }
    }
}

impl FromStr for ScopeAction {
    type Err = ScopeActionError;

    fn from_str(s: &str) -> Result<Self, ScopeActionError> {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ScopeActionError::UpperCase(s.to_ascii_lowercase()));
        }
        // The permission is always the last two path segments: `…/content/read`. A snapshot
        // holds a million actions, so nothing here allocates unless it fails.
        let split = |rest| -> Result<(&str, &str), ScopeActionError> {
            // Byte by byte from the end: the permission is a dozen bytes, and `rfind`'s
            // char searcher cost about 400 instructions per action.
            let slash = |text: &str| text.bytes().rposition(|b| b == b'/');
            let verb_at = slash(rest).ok_or_else(|| ScopeActionError::Prefix(s.to_owned()))?;
            let noun_at =
                slash(&rest[..verb_at]).ok_or_else(|| ScopeActionError::Prefix(s.to_owned()))?;
            Ok((&rest[..noun_at], &rest[noun_at + 1..]))
        };
        if let Some(rest) = s.strip_prefix("repositories/") {
            let (target, permission) = split(rest)?;
            let permission = Self::parse_permission(permission, PermissionDomain::Repository)?;
            return Ok(Self::repository(target.parse()?, permission));
        }
        if let Some(rest) = s.strip_prefix("gateway/") {
            let (target, permission) = split(rest)?;
            let permission = Self::parse_permission(permission, PermissionDomain::Gateway)?;
            let name: ConnectedRegistryName = target
                .parse()
                .map_err(|_| ScopeActionError::Gateway(target.to_owned()))?;
            return Ok(Self::gateway(&name, permission));
        }
        Err(ScopeActionError::Prefix(s.to_owned()))
    }
}

impl fmt::Display for ScopeAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            ActionTarget::Repository(pattern) => {
                write!(f, "repositories/{pattern}/{}", self.permission)
            }
            ActionTarget::Gateway(name) => write!(f, "gateway/{name}/{}", self.permission),
        }
    }
}

impl serde::Serialize for ScopeAction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for ScopeAction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Parsed from the deserializer's own buffer: no allocation per action.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = ScopeAction;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scope map action")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ScopeAction, E> {
                s.parse().map_err(E::custom)
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/*/metadata/write",
            "repositories/*/content/delete",
            "gateway/edge01/config/read",
            "gateway/edge01/message/write",
        ] {
            let action: ScopeAction = s.parse().unwrap();
            assert_eq!(action.to_string(), s);
        }
    }

    #[test]
    fn rejects() {
        let cases = [
            (
                "repositories/samples/content/execute",
                "`content/execute` is not a repository action; expected one of content/read, content/write, content/delete, metadata/read, metadata/write",
            ),
            (
                "repositories/Samples/content/read",
                "actions are lower case; use `repositories/samples/content/read`",
            ),
            (
                "repositories/samples/push",
                "action `repositories/samples/push` must start with `repositories/` or `gateway/`",
            ),
            (
                "registry/x/content/read",
                "action `registry/x/content/read` must start with `repositories/` or `gateway/`",
            ),
            (
                "repositories/sample/*/teama/content/read",
                "`*` may appear only once, as the whole last path segment (`samples/*` or `*`)",
            ),
            (
                "gateway/edge01/content/read",
                "`content/read` is not a gateway action; expected one of config/read, config/write, message/read, message/write",
            ),
        ];
        for (input, message) in cases {
            assert_eq!(
                input.parse::<ScopeAction>().unwrap_err().to_string(),
                message,
                "{input}"
            );
        }
    }

    #[test]
    fn ordering_groups_by_target() {
        let mut actions: Vec<ScopeAction> = [
            "repositories/b/content/read",
            "repositories/a/content/write",
            "repositories/a/content/read",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        actions.sort();
        let sorted: Vec<String> = actions.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            [
                "repositories/a/content/read",
                "repositories/a/content/write",
                "repositories/b/content/read"
            ]
        );
    }
}
