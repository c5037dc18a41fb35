//! Why a change is in the plan: the configuration changed, the registry drifted, or both.

use std::fmt;

/// Only `plan --base REV` can tell drift from configuration changes; without it every change
/// is `Config`.
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
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Config,
    Drift,
    Both,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Drift => "drift",
            Self::Both => "both",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
