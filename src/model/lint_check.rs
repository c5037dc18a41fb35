//! The stable id of each `scopeform lint` check, as findings and the configuration's `lint`
//! section name it.

use std::fmt;

/// One lint check. Its id (`as_str`) is stable: configurations and CI filters name it. Checks
/// sort by their id, as reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LintCheck {
    AdminUserEnabled,
    PasswordWithoutExpiry,
    PasswordExpiring,
    RootWildcardWrite,
    RedundantRule,
    UnusedScopeMap,
    TokenWithoutPassword,
    ReadOnlyClientTokenWrites,
    TierLimitExceeded,
}

impl LintCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AdminUserEnabled => "admin-user-enabled",
            Self::PasswordWithoutExpiry => "password-without-expiry",
            Self::PasswordExpiring => "password-expiring",
            Self::RootWildcardWrite => "root-wildcard-write",
            Self::RedundantRule => "redundant-rule",
            Self::UnusedScopeMap => "unused-scope-map",
            Self::TokenWithoutPassword => "token-without-password",
            Self::ReadOnlyClientTokenWrites => "read-only-client-token-writes",
            Self::TierLimitExceeded => "tier-limit-exceeded",
        }
    }
}

impl Ord for LintCheck {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for LintCheck {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for LintCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for LintCheck {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
