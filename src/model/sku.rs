//! The registry's service tier, which sets its limits.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Sku {
    Classic,
    Basic,
    Standard,
    #[default]
    Premium,
}

impl Sku {
    /// The most tokens, and separately the most user scope maps, the tier allows.
    pub fn object_limit(self) -> usize {
        match self {
            Self::Classic | Self::Basic => 100,
            Self::Standard => 500,
            Self::Premium => 50_000,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Classic => "Classic",
            Self::Basic => "Basic",
            Self::Standard => "Standard",
            Self::Premium => "Premium",
        }
    }
}

/// The most repository-action entries one scope map may hold, on every tier.
pub(crate) const MAX_ACTIONS_PER_SCOPE_MAP: usize = 500;

impl FromStr for Sku {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        [Self::Classic, Self::Basic, Self::Standard, Self::Premium]
            .into_iter()
            .find(|sku| sku.as_str().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
