//! The five built-in scope maps every registry has from its creation (observed through
//! aztfexport; see the spec summary). They can be referenced but never changed or deleted.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::state::ScopeMap;

/// The built-in scope maps' names (all lower case already).
pub const NAMES: [&str; 5] = [
    "_repositories_admin",
    "_repositories_pull",
    "_repositories_pull_metadata_read",
    "_repositories_push",
    "_repositories_push_metadata_write",
];

/// `(name, description, actions)` of each built-in scope map.
const SYSTEM_SCOPE_MAPS: [(&str, &str, &[&str]); 5] = [
    (
        "_repositories_admin",
        "Can perform all read, write and delete operations on the registry",
        &[
            "repositories/*/metadata/read",
            "repositories/*/metadata/write",
            "repositories/*/content/read",
            "repositories/*/content/write",
            "repositories/*/content/delete",
        ],
    ),
    (
        "_repositories_pull",
        "Can pull any repository of the registry",
        &["repositories/*/content/read"],
    ),
    (
        "_repositories_pull_metadata_read",
        "Can perform all read operations on the registry",
        &[
            "repositories/*/content/read",
            "repositories/*/metadata/read",
        ],
    ),
    (
        "_repositories_push",
        "Can push to any repository of the registry",
        &[
            "repositories/*/content/read",
            "repositories/*/content/write",
        ],
    ),
    (
        "_repositories_push_metadata_write",
        "Can perform all read and write operations on the registry",
        &[
            "repositories/*/metadata/read",
            "repositories/*/metadata/write",
            "repositories/*/content/read",
            "repositories/*/content/write",
        ],
    ),
];

/// The built-in scope maps of a registry created at `at`, keyed by lower-case name.
pub fn system_scope_maps(at: DateTime<Utc>) -> BTreeMap<String, ScopeMap> {
    SYSTEM_SCOPE_MAPS
        .iter()
        .map(|(name, description, actions)| {
            let map = ScopeMap {
                name: (*name).to_owned(),
                description: Some((*description).to_owned()),
                system: true,
                actions: actions.iter().map(|a| (*a).to_owned()).collect(),
                created_at: at,
                modified_at: at,
            };
            (name.to_ascii_lowercase(), map)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_table() {
        let table: Vec<&str> = SYSTEM_SCOPE_MAPS.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(table, NAMES);
    }
}
