//! The service's name rules for registries, scope maps, tokens and connected registries
//! (the path parameter patterns of the 2025-11-01 spec, all with length 5 to 50).

use crate::arm_error::ArmError;

/// Which kind of object a name belongs to; each has its own character set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// `^[a-zA-Z0-9]*$`
    Registry,
    /// `^[a-zA-Z0-9-_]*$`
    ScopeMap,
    /// `^[a-zA-Z0-9-]*$` (no underscore)
    Token,
    /// `^[a-zA-Z0-9]*$`
    ConnectedRegistry,
}

impl NameKind {
    fn label(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::ScopeMap => "scope map",
            Self::Token => "token",
            Self::ConnectedRegistry => "connected registry",
        }
    }

    fn allows(self, c: char) -> bool {
        c.is_ascii_alphanumeric()
            || match self {
                Self::Registry | Self::ConnectedRegistry => false,
                Self::ScopeMap => c == '-' || c == '_',
                Self::Token => c == '-',
            }
    }

    fn pattern(self) -> &'static str {
        match self {
            Self::Registry | Self::ConnectedRegistry => "^[a-zA-Z0-9]{5,50}$",
            Self::ScopeMap => "^[a-zA-Z0-9-_]{5,50}$",
            Self::Token => "^[a-zA-Z0-9-]{5,50}$",
        }
    }

    /// Checks `name`; the error is the 400 the service answers.
    pub fn check(self, name: &str) -> Result<(), ArmError> {
        let length = name.chars().count();
        if (5..=50).contains(&length) && name.chars().all(|c| self.allows(c)) {
            return Ok(());
        }
        Err(ArmError::bad_request(
            "InvalidResourceName",
            format!(
                "The {} name '{name}' is invalid. It must match the pattern '{}': 5 to 50 characters.",
                self.label(),
                self.pattern()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::NameKind;

    #[test]
    fn names_follow_the_spec_patterns() {
        let cases = [
            (NameKind::Token, "my-token", true),
            (NameKind::Token, "my_token", false),
            (NameKind::Token, "tok", false),
            (NameKind::ScopeMap, "_repositories_pull", true),
            (NameKind::ScopeMap, "my-scope_map", true),
            (NameKind::ScopeMap, "my.scope", false),
            (NameKind::Registry, "myRegistry", true),
            (NameKind::Registry, "my-registry", false),
            (NameKind::ConnectedRegistry, "edge01", true),
            (NameKind::ConnectedRegistry, "edge_01", false),
            (NameKind::Token, &"a".repeat(50), true),
            (NameKind::Token, &"a".repeat(51), false),
        ];
        for (kind, name, ok) in cases {
            assert_eq!(kind.check(name).is_ok(), ok, "{kind:?} {name}");
        }
    }
}
