//! Execution order and `depends_on` (DESIGN §4): what waits for what, and nothing else.

use crate::model::PasswordSlot::Password1;
use crate::model::TokenStatus::{Disabled, Enabled};
use crate::model::{ConnectedRegistryMode, UnmanagedScopeMaps, UnmanagedTokens};
use crate::plan::Plan;

use super::fixtures::{DesiredBuilder, LiveBuilder, desired, every_kind, live, plan, policy};

const READ: &str = "repositories/samples/*/content/read";
const WRITE: &str = "repositories/samples/*/content/write";

/// Each change as `address <- dependency addresses`.
fn graph(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| {
            let deps: Vec<String> = c
                .depends_on
                .iter()
                .map(|&i| plan.changes[i].address.to_string())
                .collect();
            if deps.is_empty() {
                c.address.to_string()
            } else {
                format!("{} <- {}", c.address, deps.join(", "))
            }
        })
        .collect()
}

fn check(name: &str, plan: &Plan, expected: &[&str]) {
    assert_eq!(graph(plan), expected, "case: {name}");
}

#[test]
fn scope_map_before_the_tokens_that_use_it() {
    let p = plan(
        &desired()
            .scope_map("readers", &[READ])
            .scope_map("writers", &[WRITE])
            .token("new-reader", "readers")
            .token("mover", "writers")
            .token("waker", "readers"),
        &live()
            .scope_map("writers", &[READ])
            .scope_map("readers", &[WRITE])
            .token("mover", "readers", Enabled)
            .token("waker", "readers", Disabled),
    );
    check(
        "create, move, enable",
        &p,
        &[
            "scope_map.readers",
            "scope_map.writers",
            "token.mover <- scope_map.writers",
            "token.new-reader <- scope_map.readers",
            "token.waker <- scope_map.readers",
        ],
    );
}

#[test]
fn disabling_waits_for_nothing() {
    let p = plan(
        &desired()
            .scope_map("readers", &[READ])
            .token("sleeper", "readers")
            .disabled("sleeper"),
        &live()
            .scope_map("readers", &[WRITE])
            .token("sleeper", "readers", Enabled),
    );
    check("disable", &p, &["scope_map.readers", "token.sleeper"]);
}

#[test]
fn tokens_leave_a_scope_map_before_it_is_deleted() {
    let p = plan(
        &desired()
            .scope_map("writers", &[WRITE])
            .token("mover", "writers")
            .with(|d| {
                d.unmanaged.tokens = UnmanagedTokens::Delete;
                d.unmanaged.scope_maps = UnmanagedScopeMaps::Delete;
            }),
        &live()
            .scope_map("writers", &[WRITE])
            .scope_map("old-map", &[READ])
            .scope_map("unused", &[READ])
            .token("mover", "old-map", Enabled)
            .token("leaver", "old-map", Enabled),
    );
    check(
        "move and delete",
        &p,
        &[
            "scope_map.unused",
            "token.leaver",
            "token.mover",
            "scope_map.old-map <- token.leaver, token.mover",
        ],
    );
}

#[test]
fn passwords_after_their_token() {
    let p = plan(
        &desired()
            .token("fresh", "_repositories_pull")
            .passwords("fresh", &[(Password1, policy(None, None, None))])
            .token("steady", "_repositories_pull")
            .passwords("steady", &[(Password1, policy(None, None, None))]),
        &live().token("steady", "_repositories_pull", Enabled),
    );
    check(
        "rotations",
        &p,
        &[
            "token.fresh",
            "token.steady.password1",
            "token.fresh.password1 <- token.fresh",
        ],
    );
}

#[test]
fn client_tokens_after_creates_and_before_deletes() {
    let p = plan(
        &desired()
            .token("newcomer", "_repositories_pull")
            .connected("edge01", ConnectedRegistryMode::ReadOnly, &["newcomer"])
            .with(|d| d.unmanaged.tokens = UnmanagedTokens::Delete),
        &live()
            .token("edge-sync", "_repositories_pull", Enabled)
            .token("departed", "_repositories_pull", Enabled)
            .connected("edge01", "edge-sync", &["departed"]),
    );
    check(
        "client tokens",
        &p,
        &[
            "token.edge-sync",
            "token.newcomer",
            "connected_registry.edge01 <- token.newcomer",
            "token.departed <- connected_registry.edge01",
        ],
    );
}

#[test]
fn every_change_waits_only_for_earlier_ones() {
    let (desired, live) = every_kind();
    let p = plan(&desired, &live);
    for (i, change) in p.changes.iter().enumerate() {
        assert!(
            change.depends_on.iter().all(|&d| d < i),
            "{}",
            change.address
        );
    }
}

#[test]
fn independent_changes_sort_by_address() {
    let p = plan(
        &desired()
            .scope_map("zeta-map", &[READ])
            .scope_map("alpha-map", &[READ])
            .token("zulu-token", "_repositories_pull")
            .token("alpha-token", "_repositories_pull")
            .with(|d| d.admin_user = Some(true)),
        &live(),
    );
    check(
        "independent",
        &p,
        &[
            "registry.admin_user",
            "scope_map.alpha-map",
            "scope_map.zeta-map",
            "token.alpha-token",
            "token.zulu-token",
        ],
    );
}
