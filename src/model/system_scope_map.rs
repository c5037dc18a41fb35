//! The five scope maps ACR creates in every registry. They can be referenced by tokens but are
//! never modified or deleted.

use super::{ActionSet, Permission, RepositoryPattern, ScopeAction};

/// The system scope maps and the permissions each grants on `repositories/*`.
pub(crate) const SYSTEM_SCOPE_MAPS: [(&str, &[Permission]); 5] = {
    use Permission::{ContentDelete, ContentRead, ContentWrite, MetadataRead, MetadataWrite};
    [
        (
            "_repositories_admin",
            &[
                MetadataRead,
                MetadataWrite,
                ContentRead,
                ContentWrite,
                ContentDelete,
            ],
        ),
        ("_repositories_pull", &[ContentRead]),
        (
            "_repositories_pull_metadata_read",
            &[ContentRead, MetadataRead],
        ),
        ("_repositories_push", &[ContentRead, ContentWrite]),
        (
            "_repositories_push_metadata_write",
            &[MetadataRead, MetadataWrite, ContentRead, ContentWrite],
        ),
    ]
};

/// Whether a name is reserved for system scope maps (`_repositories_…`).
pub(crate) fn is_system_scope_map_name(name: &str) -> bool {
    name.starts_with("_repositories_")
}

/// The documented actions of a system scope map, or `None` for any other name.
pub(crate) fn system_scope_map_actions(name: &str) -> Option<ActionSet> {
    SYSTEM_SCOPE_MAPS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, permissions)| {
            permissions
                .iter()
                .map(|&p| ScopeAction::repository(RepositoryPattern::Root, p))
                .collect()
        })
}
