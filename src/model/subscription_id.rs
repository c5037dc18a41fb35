//! An Azure subscription id: the GUID ARM puts in every path, such as
//! `00000000-0000-0000-0000-000000000000`.

use std::fmt;
use std::str::FromStr;

use super::excerpt;

/// A subscription id, checked to be a GUID (8-4-4-4-12 hexadecimal digits) so that it can only
/// ever be one segment of an ARM path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubscriptionId(String);

/// Why a string is not a subscription id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("subscription `{}` is not a subscription ID", excerpt(.0))]
pub struct SubscriptionIdError(String);

impl SubscriptionId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for SubscriptionId {
    type Err = SubscriptionIdError;

    fn from_str(s: &str) -> Result<Self, SubscriptionIdError> {
        let is_guid = s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        if is_guid {
            Ok(Self(s.to_owned()))
        } else {
            Err(SubscriptionIdError(s.to_owned()))
        }
    }
}

impl fmt::Display for SubscriptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_guids() {
        for ok in [
            "00000000-0000-0000-0000-000000000000",
            "0f1E2d3C-4b5A-6978-8a9B-0c1D2e3F4a5b",
        ] {
            assert!(ok.parse::<SubscriptionId>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "sub",
            "00000000-0000-0000-0000-00000000000",
            "00000000-0000-0000-0000-0000000000000",
            "00000000_0000-0000-0000-000000000000",
            "0000000g-0000-0000-0000-000000000000",
            "{00000000-0000-0000-0000-000000000000}",
            "00000000-0000-0000-0000-000000000/../",
            "../../../subscriptions/00000000-0000-0000-0000-000000000000",
        ] {
            assert!(bad.parse::<SubscriptionId>().is_err(), "{bad}");
        }
    }
}
