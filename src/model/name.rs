//! Validated names of registry objects, one newtype each so they can never be mixed up. Names
//! are `CompactString`s: a Premium registry holds 100,000 objects, each named several times over
//! on both sides of a plan, and a name of up to 24 bytes needs no allocation of its own.

use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;

/// Why a string is not a valid name of some kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("{kind} name `{name}` is {len} characters long; it must be {min} to {max}")]
    Length {
        kind: &'static str,
        name: String,
        len: usize,
        min: usize,
        max: usize,
    },
    #[error("{kind} name `{name}` contains `{found}`; only {allowed} are allowed")]
    Character {
        kind: &'static str,
        name: String,
        found: char,
        allowed: &'static str,
    },
}

/// Checks `name` against ACR's rule for one kind of object: a length range and a character set.
fn check(
    kind: &'static str,
    name: &str,
    (min, max): (usize, usize),
    allowed: &'static str,
    extra: &[char],
) -> Result<(), NameError> {
    // Byte by byte: every allowed character is ASCII, so the first byte that is not allowed
    // starts the first character that is not (a snapshot and a configuration hold 300,000
    // names between them).
    let allowed_byte = |b: u8| b.is_ascii_alphanumeric() || extra.contains(&char::from(b));
    if let Some(at) = name.bytes().position(|b| !allowed_byte(b)) {
        return Err(NameError::Character {
            kind,
            name: name.to_owned(),
            found: name[at..].chars().next().unwrap_or_default(),
            allowed,
        });
    }
    // All ASCII, then.
    let len = name.len();
    if !(min..=max).contains(&len) {
        return Err(NameError::Length {
            kind,
            name: name.to_owned(),
            len,
            min,
            max,
        });
    }
    Ok(())
}

macro_rules! name_type {
    ($(#[$doc:meta])* $type:ident, $kind:literal, $range:expr, $allowed:literal, $extra:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $type(CompactString);

        impl $type {
            /// The kind of object this names, as said in messages.
            pub const KIND: &'static str = $kind;

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $type {
            type Err = NameError;

            fn from_str(s: &str) -> Result<Self, NameError> {
                check($kind, s, $range, $allowed, $extra).map(|()| Self(s.into()))
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // `pad` honours width and alignment, so names line up in tables.
                f.pad(&self.0)
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

name_type!(
    /// A token name: 5–50 letters, digits and `-` (ARM's `^[a-zA-Z0-9-]*$`, no `_`).
    TokenName, "token", (5, 50), "letters, digits and `-`", &['-']
);
name_type!(
    /// A scope map name: 5–50 letters, digits, `-` and `_`.
    ScopeMapName, "scope map", (5, 50), "letters, digits, `-` and `_`", &['-', '_']
);
name_type!(
    /// A registry name: 5–50 letters and digits.
    RegistryName, "registry", (5, 50), "letters and digits", &[]
);
name_type!(
    /// A connected registry name: 5–50 letters and digits.
    ConnectedRegistryName, "connected registry", (5, 50), "letters and digits", &[]
);
name_type!(
    /// The name of a reusable permission set (`rules:` in YAML, `rule "…"` in HCL).
    RuleName, "rule", (1, 100), "letters, digits, `-`, `_` and `.`", &['-', '_', '.']
);

impl ScopeMapName {
    /// The scope map `az acr token create --repository` makes for a token: `<token>-scope-map`.
    pub fn implicit_for(token: &TokenName) -> Result<Self, NameError> {
        format!("{token}-scope-map").parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_names() {
        assert!("ci-push".parse::<TokenName>().is_ok());
        assert!("abcd".parse::<TokenName>().is_err());
        assert!("a".repeat(50).parse::<TokenName>().is_ok());
        assert!("a".repeat(51).parse::<TokenName>().is_err());
        let err = "ci_push".parse::<TokenName>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "token name `ci_push` contains `_`; only letters, digits and `-` are allowed"
        );
    }

    #[test]
    fn scope_map_names_allow_underscore() {
        assert!("_repositories_pull".parse::<ScopeMapName>().is_ok());
        assert!("my.map".parse::<ScopeMapName>().is_err());
    }

    #[test]
    fn registry_names_are_alphanumeric() {
        assert!("myregistry".parse::<RegistryName>().is_ok());
        assert!("my-registry".parse::<RegistryName>().is_err());
        assert!("edge01".parse::<ConnectedRegistryName>().is_ok());
    }

    #[test]
    fn implicit_scope_map_name() {
        let token: TokenName = "MyToken".parse().unwrap();
        assert_eq!(
            ScopeMapName::implicit_for(&token).unwrap().as_str(),
            "MyToken-scope-map"
        );
        let long: TokenName = "a".repeat(45).parse().unwrap();
        assert!(ScopeMapName::implicit_for(&long).is_err());
    }
}
