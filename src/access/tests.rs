use super::*;
use crate::model::{LiveRegistry, LiveScopeMap, LiveToken, Permission, Sku};

fn actions(list: &[&str]) -> ActionSet {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

fn perms(list: &[Permission]) -> BTreeSet<Permission> {
    list.iter().copied().collect()
}

/// DESIGN §1's example, which must hold exactly.
fn three_rules() -> ActionSet {
    actions(&[
        "repositories/sample/*/content/read",
        "repositories/sample/teama/*/content/write",
        "repositories/sample/teama/projectb/content/delete",
    ])
}

#[test]
fn permissions_are_the_union_of_matching_rules() {
    use Permission::{ContentDelete, ContentRead, ContentWrite};
    let rules = three_rules();
    let cases: [(&str, &[Permission]); 7] = [
        (
            "sample/teama/projectb",
            &[ContentRead, ContentWrite, ContentDelete],
        ),
        ("sample/teama/projectc", &[ContentRead, ContentWrite]),
        ("sample/teama/projectb/sub", &[ContentRead, ContentWrite]),
        ("sample/other", &[ContentRead]),
        ("sample", &[]),
        ("other/x", &[]),
        ("samplex/teama/projectb", &[]),
    ];
    for (repository, expected) in cases {
        assert_eq!(
            permissions_on(&rules, repository),
            perms(expected),
            "{repository}"
        );
    }
}

#[test]
fn root_wildcard_matches_everything() {
    let rules = actions(&[
        "repositories/*/content/read",
        "repositories/a/b/metadata/read",
    ]);
    assert_eq!(
        permissions_on(&rules, "anything"),
        perms(&[Permission::ContentRead])
    );
    assert_eq!(
        permissions_on(&rules, "a/b"),
        perms(&[Permission::ContentRead, Permission::MetadataRead])
    );
}

#[test]
fn gateway_actions_never_grant_repository_access() {
    let rules = actions(&["gateway/edge01/config/read"]);
    assert!(permissions_on(&rules, "edge01").is_empty());
}

fn live(tokens: &[(&str, &str, TokenStatus)], scope_maps: &[(&str, &[&str])]) -> Live {
    Live {
        registry: LiveRegistry {
            subscription: "sub".into(),
            resource_group: "rg".into(),
            name: "myregistry".parse().unwrap(),
            sku: Sku::Premium,
            admin_user_enabled: false,
        },
        scope_maps: scope_maps
            .iter()
            .map(|(name, list)| {
                let scope_map = LiveScopeMap {
                    name: name.parse().unwrap(),
                    description: String::new(),
                    actions: actions(list),
                    unrecognised_actions: BTreeSet::new(),
                    system: false,
                    provisioning_state: crate::model::ProvisioningState::Succeeded,
                };
                (scope_map.name.clone(), scope_map)
            })
            .collect(),
        tokens: tokens
            .iter()
            .map(|(name, scope_map, status)| {
                let token = LiveToken {
                    name: name.parse().unwrap(),
                    scope_map: scope_map.parse().unwrap(),
                    status: *status,
                    passwords: Vec::new(),
                    provisioning_state: crate::model::ProvisioningState::Succeeded,
                };
                (token.name.clone(), token)
            })
            .collect(),
        connected_registries: BTreeMap::new(),
    }
}

#[test]
fn access_changes_count_disabling_and_deleting_as_loss() {
    let before = live_access(&live(
        &[
            ("keeper", "maps1", TokenStatus::Enabled),
            ("disabled", "maps1", TokenStatus::Enabled),
            ("deleted", "maps1", TokenStatus::Enabled),
            ("moved", "maps1", TokenStatus::Enabled),
        ],
        &[
            ("maps1", &["repositories/a/content/read"]),
            (
                "maps2",
                &[
                    "repositories/a/content/read",
                    "repositories/b/content/write",
                ],
            ),
        ],
    ));
    let after = live_access(&live(
        &[
            ("keeper", "maps1", TokenStatus::Enabled),
            ("disabled", "maps1", TokenStatus::Disabled),
            ("moved", "maps2", TokenStatus::Enabled),
            ("created", "maps2", TokenStatus::Enabled),
        ],
        &[
            ("maps1", &["repositories/a/content/read"]),
            (
                "maps2",
                &[
                    "repositories/a/content/read",
                    "repositories/b/content/write",
                ],
            ),
        ],
    ));
    let changes: Vec<(String, Vec<String>, Vec<String>)> = access_changes(&before, &after)
        .into_iter()
        .map(|c| {
            let names = |set: BTreeSet<ScopeAction>| set.iter().map(ToString::to_string).collect();
            (c.token.to_string(), names(c.gained), names(c.lost))
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        changes,
        [
            (
                "created".to_owned(),
                s(&[
                    "repositories/a/content/read",
                    "repositories/b/content/write"
                ]),
                s(&[])
            ),
            (
                "deleted".to_owned(),
                s(&[]),
                s(&["repositories/a/content/read"])
            ),
            (
                "disabled".to_owned(),
                s(&[]),
                s(&["repositories/a/content/read"])
            ),
            (
                "moved".to_owned(),
                s(&["repositories/b/content/write"]),
                s(&[])
            ),
        ]
    );
}
