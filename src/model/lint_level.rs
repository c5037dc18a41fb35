//! How much a lint finding matters: its check's default, or what the configuration's `lint`
//! section sets.

use std::fmt;

/// A finding's severity, or `off` for a check the configuration turned off. Errors sort first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LintLevel {
    Error,
    Warning,
    Off,
}

impl LintLevel {
    pub const ALL: [LintLevel; 3] = [Self::Error, Self::Warning, Self::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Off => "off",
        }
    }
}

impl fmt::Display for LintLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
