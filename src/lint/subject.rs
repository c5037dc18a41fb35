//! What a lint finding is about: one object, named by the plan's address, or the registry as a
//! whole (a tier limit).

use std::cmp::Ordering;
use std::fmt;

use crate::model::RegistryName;
use crate::plan::Address;

/// The object of a finding. `Display` is the form reports show: `token.ci`, `registry.NAME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Subject {
    Object(Address),
    Registry(RegistryName),
}

impl From<Address> for Subject {
    fn from(address: Address) -> Self {
        Self::Object(address)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Object(address) => address.fmt(f),
            Self::Registry(name) => write!(f, "registry.{name}"),
        }
    }
}

/// As written, so findings list as they always have (`connected_registry.…` first).
impl Ord for Subject {
    fn cmp(&self, other: &Self) -> Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl PartialOrd for Subject {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
