//! ARM resource ids: building them from stored names and reading names back out of the ids a
//! request refers to (`scopeMapId`, `tokenId`, `clientTokenIds`).

use crate::arm_error::ArmError;

pub const PROVIDER: &str = "Microsoft.ContainerRegistry";
pub const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

/// A registry as a request path names it; names compare case-insensitively, as in ARM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

impl RegistryRef {
    /// The case-insensitive key registries are stored under.
    pub fn key(&self) -> String {
        registry_key(&self.subscription, &self.resource_group, &self.name)
    }

    /// `/subscriptions/…/registries/{name}` with the casing given.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{PROVIDER}/registries/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

/// The case-insensitive key of a registry.
pub fn registry_key(subscription: &str, resource_group: &str, name: &str) -> String {
    format!("{subscription}/{resource_group}/{name}").to_ascii_lowercase()
}

/// The three kinds of objects that live under a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChildKind {
    ScopeMaps,
    Tokens,
    ConnectedRegistries,
}

impl ChildKind {
    /// Recognises the path segment, case-insensitively.
    pub fn from_segment(segment: &str) -> Option<Self> {
        [Self::ScopeMaps, Self::Tokens, Self::ConnectedRegistries]
            .into_iter()
            .find(|kind| kind.segment().eq_ignore_ascii_case(segment))
    }

    pub fn segment(self) -> &'static str {
        match self {
            Self::ScopeMaps => "scopeMaps",
            Self::Tokens => "tokens",
            Self::ConnectedRegistries => "connectedRegistries",
        }
    }

    /// The resource `type`.
    pub fn resource_type(self) -> &'static str {
        match self {
            Self::ScopeMaps => "Microsoft.ContainerRegistry/registries/scopeMaps",
            Self::Tokens => "Microsoft.ContainerRegistry/registries/tokens",
            Self::ConnectedRegistries => {
                "Microsoft.ContainerRegistry/registries/connectedRegistries"
            }
        }
    }

    /// The prefix of operation names (`tokens-<guid>`), as in the spec examples.
    pub fn operation_prefix(self) -> &'static str {
        match self {
            Self::ScopeMaps => "scopemaps",
            Self::Tokens => "tokens",
            Self::ConnectedRegistries => "connectedregistries",
        }
    }

    /// What a property holding such an id is called, for error messages.
    fn label(self) -> &'static str {
        match self {
            Self::ScopeMaps => "scope map",
            Self::Tokens => "token",
            Self::ConnectedRegistries => "connected registry",
        }
    }
}

/// The id of a child object of `registry`.
pub fn child_id(registry: &RegistryRef, kind: ChildKind, name: &str) -> String {
    format!("{}/{}/{name}", registry.id(), kind.segment())
}

/// Reads the child name out of `id`, which must point into `registry` (compared
/// case-insensitively). `property` names the request field, for the 400.
pub fn parse_child_id(
    registry: &RegistryRef,
    kind: ChildKind,
    id: &str,
    property: &str,
) -> Result<String, ArmError> {
    let invalid = |why: &str| {
        ArmError::bad_request(
            "InvalidResourceId",
            format!(
                "The {property} '{id}' is not a valid {} id of registry '{}': {why}.",
                kind.label(),
                registry.name
            ),
        )
    };
    let prefix = format!("{}/{}/", registry.id(), kind.segment());
    let head = id.get(..prefix.len()).ok_or_else(|| invalid("too short"))?;
    if !head.eq_ignore_ascii_case(&prefix) {
        return Err(invalid(&format!("expected an id starting with '{prefix}'")));
    }
    let name = &id[prefix.len()..];
    let name = name.strip_suffix('/').unwrap_or(name);
    if name.is_empty() || name.contains('/') {
        return Err(invalid("expected exactly one name after the collection"));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> RegistryRef {
        RegistryRef {
            subscription: "sub".to_owned(),
            resource_group: "rg".to_owned(),
            name: "myRegistry".to_owned(),
        }
    }

    #[test]
    fn parses_ids_case_insensitively() {
        let id = "/SUBSCRIPTIONS/sub/resourcegroups/RG/providers/microsoft.containerregistry/registries/MYREGISTRY/scopemaps/myMap";
        let name = parse_child_id(&registry(), ChildKind::ScopeMaps, id, "scopeMapId");
        assert_eq!(name, Ok("myMap".to_owned()));
    }

    #[test]
    fn rejects_foreign_or_malformed_ids() {
        let r = registry();
        for id in [
            "myMap",
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/other/scopeMaps/myMap",
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myRegistry/tokens/myMap",
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myRegistry/scopeMaps/a/b",
        ] {
            assert!(
                parse_child_id(&r, ChildKind::ScopeMaps, id, "scopeMapId").is_err(),
                "{id}"
            );
        }
    }
}
