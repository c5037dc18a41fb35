//! The verbs a scope map action grants: `content/read` on a repository, `message/write` on a
//! connected registry's gateway, and so on.

use std::fmt;
use std::str::FromStr;

/// What kind of target a permission applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PermissionDomain {
    Repository,
    Gateway,
}

/// One verb of ACR's scope map grammar. The order is the order of display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    ContentRead,
    ContentWrite,
    ContentDelete,
    MetadataRead,
    MetadataWrite,
    ConfigRead,
    ConfigWrite,
    MessageRead,
    MessageWrite,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Self::ContentRead,
        Self::ContentWrite,
        Self::ContentDelete,
        Self::MetadataRead,
        Self::MetadataWrite,
        Self::ConfigRead,
        Self::ConfigWrite,
        Self::MessageRead,
        Self::MessageWrite,
    ];

    /// The exact string ARM uses, such as `content/read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ContentRead => "content/read",
            Self::ContentWrite => "content/write",
            Self::ContentDelete => "content/delete",
            Self::MetadataRead => "metadata/read",
            Self::MetadataWrite => "metadata/write",
            Self::ConfigRead => "config/read",
            Self::ConfigWrite => "config/write",
            Self::MessageRead => "message/read",
            Self::MessageWrite => "message/write",
        }
    }

    pub fn domain(self) -> PermissionDomain {
        match self {
            Self::ContentRead
            | Self::ContentWrite
            | Self::ContentDelete
            | Self::MetadataRead
            | Self::MetadataWrite => PermissionDomain::Repository,
            Self::ConfigRead | Self::ConfigWrite | Self::MessageRead | Self::MessageWrite => {
                PermissionDomain::Gateway
            }
        }
    }

    /// Whether the permission changes something (push, delete, write metadata or config).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Self::ContentRead | Self::MetadataRead | Self::ConfigRead | Self::MessageRead
        )
    }

    /// Every valid permission string of one domain, for "expected one of" messages.
    pub fn names_in(domain: PermissionDomain) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|p| p.domain() == domain)
            .map(|p| p.as_str())
            .collect()
    }
}

impl FromStr for Permission {
    type Err = ();

    /// Parses the exact, lower-case ARM string; `Content/Read` is not `content/read`.
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Permission {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_case() {
        for p in Permission::ALL {
            assert_eq!(p.as_str().parse::<Permission>(), Ok(p));
        }
        assert!("Content/Read".parse::<Permission>().is_err());
        assert!("push".parse::<Permission>().is_err());
        assert!(Permission::ContentDelete.is_write());
        assert!(!Permission::MetadataRead.is_write());
    }
}
