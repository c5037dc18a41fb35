//! The built-in scope maps a registry has from its creation (observed through aztfexport; see
//! the spec summary): five in registries created since 2024, three (`_repositories_admin`,
//! `_repositories_pull`, `_repositories_push`) in one created in 2023, as recorded from real
//! Azure. They can be referenced but never changed or deleted.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::options::SystemScopeMaps;
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

/// The system scope maps registries created until 2023 have.
const OLDER_REGISTRIES: [&str; 3] = [
    "_repositories_admin",
    "_repositories_pull",
    "_repositories_push",
];

/// The built-in scope maps of a registry created at `at`, keyed by lower-case name.
pub fn system_scope_maps(at: DateTime<Utc>, which: SystemScopeMaps) -> BTreeMap<String, ScopeMap> {
    SYSTEM_SCOPE_MAPS
        .iter()
        .filter(|(name, _, _)| which == SystemScopeMaps::Five || OLDER_REGISTRIES.contains(name))
        .map(|(name, description, actions)| {
            let map = ScopeMap {
                name: (*name).to_owned(),
                description: Some((*description).to_owned()),
                system: true,
                actions: actions.iter().map(|a| (*a).to_owned()).collect(),
                created_at: at,
                modified_at: at,
                failed: false,
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

    #[test]
    fn older_registries_have_three() {
        let three = system_scope_maps(crate::timestamp::now(), SystemScopeMaps::Three);
        let names: Vec<&str> = three.keys().map(String::as_str).collect();
        assert_eq!(names, OLDER_REGISTRIES);
        assert_eq!(
            system_scope_maps(crate::timestamp::now(), SystemScopeMaps::Five).len(),
            5
        );
    }
}
