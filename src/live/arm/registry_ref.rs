//! Which registry: subscription, resource group and name, and the ARM ids and URL paths under
//! it.

use std::fmt;

use super::path::arm_path;
use super::request::Collection;
use crate::model::{RegistryName, ResourceGroupName, SubscriptionId};

/// The coordinates of one registry, each validated to ARM's grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RegistryRef {
    pub subscription: SubscriptionId,
    pub resource_group: ResourceGroupName,
    pub name: RegistryName,
}

impl RegistryRef {
    fn segments(&self) -> [&str; 8] {
        [
            "subscriptions",
            self.subscription.as_str(),
            "resourceGroups",
            self.resource_group.as_str(),
            "providers",
            "Microsoft.ContainerRegistry",
            "registries",
            self.name.as_str(),
        ]
    }

    /// The registry's ARM id, `/subscriptions/…/registries/NAME`, as request bodies name it
    /// (not encoded: use `path` for a URL).
    pub(crate) fn id(&self) -> String {
        format!("/{}", self.segments().join("/"))
    }

    /// The ARM id of a child object, such as a token's for `scopeMapId` or `tokenId`.
    pub(crate) fn child_id(&self, collection: Collection, name: &str) -> String {
        format!("{}/{}/{name}", self.id(), collection.segment())
    }

    /// The registry's URL path, every segment percent-encoded.
    pub(crate) fn path(&self) -> String {
        arm_path(self.segments())
    }

    /// The URL path of `R/<collection>`, or of `R/<collection>/<name>` with a name.
    pub(crate) fn child_path(&self, collection: Collection, name: Option<&str>) -> String {
        let segments = self.segments();
        arm_path(
            segments
                .iter()
                .copied()
                .chain([collection.segment()])
                .chain(name),
        )
    }

    /// The URL path of an action on the registry, such as `generateCredentials`.
    pub(crate) fn action_path(&self, action: &str) -> String {
        arm_path(self.segments().iter().copied().chain([action]))
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
pub(super) fn name_from_id(id: &str, collection: Collection) -> Option<&str> {
    let id = id.trim_end_matches('/');
    let (rest, name) = id.rsplit_once('/')?;
    let (_, segment) = rest.rsplit_once('/')?;
    (segment.eq_ignore_ascii_case(collection.segment()) && !name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn registry(resource_group: &str) -> RegistryRef {
        RegistryRef {
            subscription: SUB.parse().unwrap(),
            resource_group: resource_group.parse().unwrap(),
            name: "myregistry".parse().unwrap(),
        }
    }

    #[test]
    fn ids() {
        let r = registry("rg");
        assert_eq!(
            r.child_id(Collection::Tokens, "ci-push"),
            format!(
                "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry/tokens/ci-push"
            )
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

    #[test]
    fn paths_are_encoded_ids_are_not() {
        let r = registry("ρ-(1)");
        let base = format!(
            "/subscriptions/{SUB}/resourceGroups/%CF%81-(1)/providers/Microsoft.ContainerRegistry/registries/myregistry"
        );
        assert_eq!(r.path(), base);
        assert_eq!(
            r.child_path(Collection::Tokens, Some("ci-push")),
            format!("{base}/tokens/ci-push")
        );
        assert_eq!(
            r.child_path(Collection::ScopeMaps, None),
            format!("{base}/scopeMaps")
        );
        assert_eq!(
            r.action_path("generateCredentials"),
            format!("{base}/generateCredentials")
        );
        assert!(r.id().contains("/resourceGroups/ρ-(1)/"));
    }
}
