//! Which registry: subscription, resource group and name, and the ARM ids under it.

use std::fmt;

use super::request::Collection;
use crate::model::RegistryName;

/// The coordinates of one registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRef {
    pub subscription: String,
    pub resource_group: String,
    pub name: RegistryName,
}

impl RegistryRef {
    /// The registry's ARM id: `/subscriptions/…/registries/NAME`.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
            self.subscription, self.resource_group, self.name
        )
    }

    /// The ARM id of a child object, such as a token's for `scopeMapId` or `tokenId`.
    pub fn child_id(&self, collection: Collection, name: &str) -> String {
        format!("{}/{}/{name}", self.id(), collection.segment())
    }
}

impl fmt::Display for RegistryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}",
            self.subscription, self.resource_group, self.name
        )
    }
}

/// The object name at the end of an ARM id (`…/tokens/NAME`), if the id names a child of
/// `collection` (compared case-insensitively, as ARM does).
pub fn name_from_id(id: &str, collection: Collection) -> Option<&str> {
    let id = id.trim_end_matches('/');
    let (rest, name) = id.rsplit_once('/')?;
    let (_, segment) = rest.rsplit_once('/')?;
    (segment.eq_ignore_ascii_case(collection.segment()) && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let r = RegistryRef {
            subscription: "sub".into(),
            resource_group: "rg".into(),
            name: "myregistry".parse().unwrap(),
        };
        assert_eq!(
            r.child_id(Collection::Tokens, "ci-push"),
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/tokens/ci-push"
        );
        assert_eq!(
            name_from_id(
                &r.child_id(Collection::ScopeMaps, "m_1"),
                Collection::ScopeMaps
            ),
            Some("m_1")
        );
        assert_eq!(
            name_from_id("/x/registries/r/SCOPEMAPS/abc", Collection::ScopeMaps),
            Some("abc")
        );
        assert_eq!(
            name_from_id("/x/registries/r/tokens/abc", Collection::ScopeMaps),
            None
        );
        assert_eq!(name_from_id("abc", Collection::Tokens), None);
    }
}
