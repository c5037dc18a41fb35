//! The address of one planned change: `scope_map.NAME`, `token.NAME`, `token.NAME.password1`,
//! `registry.admin_user` or `connected_registry.NAME` (DESIGN §4).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::model::{ConnectedRegistryName, PasswordSlot, ScopeMapName, TokenName};

/// What a change is about. `Display` and `FromStr` use the user-facing form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    AdminUser,
    ScopeMap(ScopeMapName),
    Token(TokenName),
    Password(TokenName, PasswordSlot),
    ConnectedRegistry(ConnectedRegistryName),
}

/// Why a string is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an address; expected scope_map.NAME, token.NAME, token.NAME.password1, \
     token.NAME.password2, registry.admin_user or connected_registry.NAME"
)]
pub struct AddressError(pub String);

impl Address {
    /// The token this address belongs to, for token and password addresses.
    pub fn token(&self) -> Option<&TokenName> {
        match self {
            Self::Token(token) | Self::Password(token, _) => Some(token),
            _ => None,
        }
    }

    /// The sort key: object kind first, and a token's passwords right after the token.
    fn key(&self) -> (u8, &str, Option<PasswordSlot>) {
        match self {
            Self::AdminUser => (0, "", None),
            Self::ScopeMap(name) => (1, name.as_str(), None),
            Self::Token(name) => (2, name.as_str(), None),
            Self::Password(name, slot) => (2, name.as_str(), Some(*slot)),
            Self::ConnectedRegistry(name) => (3, name.as_str(), None),
        }
    }
}

impl Ord for Address {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Address {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AdminUser => f.write_str("registry.admin_user"),
            Self::ScopeMap(name) => write!(f, "scope_map.{name}"),
            Self::Token(name) => write!(f, "token.{name}"),
            Self::Password(name, slot) => write!(f, "token.{name}.{slot}"),
            Self::ConnectedRegistry(name) => write!(f, "connected_registry.{name}"),
        }
    }
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(s: &str) -> Result<Self, AddressError> {
        let error = || AddressError(s.to_owned());
        if s == "registry.admin_user" {
            return Ok(Self::AdminUser);
        }
        let (kind, rest) = s.split_once('.').ok_or_else(error)?;
        match kind {
            "scope_map" => rest.parse().map(Self::ScopeMap).map_err(|_| error()),
            "connected_registry" => rest
                .parse()
                .map(Self::ConnectedRegistry)
                .map_err(|_| error()),
            // Token names have no `.`, so a second `.` can only start a password slot.
            "token" => match rest.split_once('.') {
                None => rest.parse().map(Self::Token).map_err(|_| error()),
                Some((token, slot)) => {
                    let token = token.parse().map_err(|_| error())?;
                    let slot = slot.parse().map_err(|()| error())?;
                    Ok(Self::Password(token, slot))
                }
            },
            _ => Err(error()),
        }
    }
}

impl serde::Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "registry.admin_user",
            "scope_map.MyScopeMap",
            "scope_map._repositories_pull",
            "token.ci-push",
            "token.ci-push.password1",
            "token.ci-push.password2",
            "connected_registry.edge01",
        ] {
            let address: Address = s.parse().unwrap();
            assert_eq!(address.to_string(), s);
        }
    }

    #[test]
    fn rejects() {
        for s in [
            "",
            "token",
            "token.",
            "token.ab",
            "token.ci-push.password3",
            "registry.other",
            "scope_map.a.b",
            "tokens.ci-push",
            "connected_registry.edge-01",
        ] {
            assert!(s.parse::<Address>().is_err(), "{s}");
        }
    }

    #[test]
    fn passwords_sort_after_their_token() {
        let mut addresses: Vec<Address> = [
            "token.ci-push.password1",
            "connected_registry.edge01",
            "token.ci-pusher",
            "token.ci-push",
            "scope_map.zzzzz",
            "registry.admin_user",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        addresses.sort();
        let sorted: Vec<String> = addresses.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            [
                "registry.admin_user",
                "scope_map.zzzzz",
                "token.ci-push",
                "token.ci-push.password1",
                "token.ci-pusher",
                "connected_registry.edge01",
            ]
        );
    }
}
