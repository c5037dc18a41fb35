//! Registry service tiers and the limits that come with them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A registry's SKU (`sku.name`; `sku.tier` is always the same value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sku {
    Classic,
    Basic,
    Standard,
    Premium,
}

impl Sku {
    /// How many tokens, and separately how many user-defined scope maps, a registry of this tier
    /// may hold (ACR's "service tier features and limits" table; Classic is retired, treated as
    /// Basic).
    pub fn token_and_scope_map_limit(self) -> usize {
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

impl FromStr for Sku {
    type Err = String;

    /// Case-insensitive, as ARM enums are.
    fn from_str(s: &str) -> Result<Self, String> {
        [Self::Classic, Self::Basic, Self::Standard, Self::Premium]
            .into_iter()
            .find(|sku| sku.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("unknown SKU `{s}`; expected one of Classic, Basic, Standard, Premium")
            })
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
