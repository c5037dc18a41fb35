//! The mode of a connected registry, as ARM names it.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum ConnectedRegistryMode {
    ReadWrite,
    ReadOnly,
    Registry,
    Mirror,
}

impl ConnectedRegistryMode {
    pub const ALL: [ConnectedRegistryMode; 4] = [
        Self::ReadWrite,
        Self::ReadOnly,
        Self::Registry,
        Self::Mirror,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadWrite => "ReadWrite",
            Self::ReadOnly => "ReadOnly",
            Self::Registry => "Registry",
            Self::Mirror => "Mirror",
        }
    }

    /// Whether clients of this connected registry may only read (`ReadOnly`, and its older
    /// name `Mirror`).
    pub fn is_read_only(self) -> bool {
        matches!(self, Self::ReadOnly | Self::Mirror)
    }
}

impl FromStr for ConnectedRegistryMode {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|m| m.as_str() == s).ok_or(())
    }
}

impl fmt::Display for ConnectedRegistryMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
