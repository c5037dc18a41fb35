//! A resource group's name, to ARM's grammar: 1–90 letters, digits, `_`, `-`, `.`, `(` and
//! `)`, not ending in `.`.
//!
//! ARM's own pattern is `^[-\w._()]+$`, where `\w` takes letters and digits of every script, so
//! a resource group named in Greek or Japanese exists. They are accepted here too (they are
//! percent-encoded in URLs like every path segment); whitespace, control and formatting
//! characters (bidi marks among them), `/`, `?`, `#`, `%` and every other punctuation are not.

use std::fmt;
use std::str::FromStr;

use super::excerpt;

const MAX_LEN: usize = 90;

/// A resource group name that can only ever be one segment of an ARM path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceGroupName(String);

/// Why a string is not a resource group name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourceGroupNameError {
    #[error("resource group name `{}` is {len} characters long; it must be 1 to {MAX_LEN}", excerpt(.name))]
    Length { name: String, len: usize },
    #[error(
        "resource group name `{}` contains `{}`; only letters, digits, `_`, `-`, `.`, `(` and `)` are allowed",
        excerpt(.name),
        .found.escape_debug()
    )]
    Character { name: String, found: char },
    #[error("resource group name `{}` ends with `.`, which ARM does not allow", excerpt(.0))]
    EndsWithPeriod(String),
}

impl ResourceGroupName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ResourceGroupName {
    type Err = ResourceGroupNameError;

    fn from_str(s: &str) -> Result<Self, ResourceGroupNameError> {
        if let Some(found) = s
            .chars()
            .find(|c| !c.is_alphanumeric() && !matches!(c, '_' | '-' | '.' | '(' | ')'))
        {
            return Err(ResourceGroupNameError::Character {
                name: s.to_owned(),
                found,
            });
        }
        let len = s.chars().count();
        if !(1..=MAX_LEN).contains(&len) {
            return Err(ResourceGroupNameError::Length {
                name: s.to_owned(),
                len,
            });
        }
        if s.ends_with('.') {
            return Err(ResourceGroupNameError::EndsWithPeriod(s.to_owned()));
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Display for ResourceGroupName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_grammar() {
        for ok in [
            "rg",
            "r",
            "my_resource-group.(prod)",
            "Team.(prod)_rg-1",
            "ορθό-όνομα",
            "日本語",
            &"r".repeat(90),
        ] {
            assert!(ok.parse::<ResourceGroupName>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "rg.",
            "..",
            ".",
            "rg/other",
            "rg?api-version=1",
            "rg#x",
            "rg%2F",
            "rg name",
            "rg\u{202e}",
            "rg\n",
            "../../../subscriptions/x/resourceGroups/x/providers/Microsoft.KeyVault/vaults/kv?api-version=2023-07-01&x=",
            &"r".repeat(91),
        ] {
            assert!(bad.parse::<ResourceGroupName>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn messages_quote_a_bounded_excerpt() {
        let err = "a/b".parse::<ResourceGroupName>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "resource group name `a/b` contains `/`; only letters, digits, `_`, `-`, `.`, `(` and `)` are allowed"
        );
        let long = format!("{}/", "x".repeat(500));
        assert!(
            long.parse::<ResourceGroupName>()
                .unwrap_err()
                .to_string()
                .len()
                < 200
        );
        assert_eq!(
            "rg.".parse::<ResourceGroupName>().unwrap_err().to_string(),
            "resource group name `rg.` ends with `.`, which ARM does not allow"
        );
    }
}
