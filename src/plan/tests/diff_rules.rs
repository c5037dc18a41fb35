//! One table per rule of DESIGN §4: the configuration, the registry, and the changes expected.

use crate::model::ConnectedRegistryMode::{ReadOnly, ReadWrite};
use crate::model::PasswordSlot::{Password1, Password2};
use crate::model::TokenStatus::{Disabled, Enabled};
use crate::model::{
    Desired, InterruptedRotation, Live, UnmanagedScopeMaps, UnmanagedTokens, WriteOp,
};
use crate::plan::{Address, ChangeKind, ObjectState, PlanError, diff, diff_recovering};

use super::fixtures::{DesiredBuilder, LiveBuilder, at, desired, lines, live, now, plan, policy};

const READ: &str = "repositories/samples/*/content/read";
const WRITE: &str = "repositories/samples/*/content/write";
const META: &str = "repositories/samples/*/metadata/read";

/// Runs a table: each case plans `desired` against `live` and expects exactly `changes`.
fn check(cases: Vec<(&str, Desired, Live, &[&str])>) {
    for (name, desired, live, expected) in cases {
        assert_eq!(lines(&plan(&desired, &live)), expected, "case: {name}");
    }
}

fn unmanaged_tokens(policy: UnmanagedTokens) -> impl FnOnce(&mut Desired) {
    move |d| d.unmanaged.tokens = policy
}

fn unmanaged_scope_maps(policy: UnmanagedScopeMaps) -> impl FnOnce(&mut Desired) {
    move |d| d.unmanaged.scope_maps = policy
}

fn ignore(glob: &'static str) -> impl FnOnce(&mut Desired) {
    move |d| d.ignore.push(glob.parse().expect("glob"))
}

#[test]
fn scope_maps() {
    check(vec![
        (
            "declared, missing: create",
            desired().scope_map("readers", &[READ]),
            live(),
            &["create scope_map.readers"],
        ),
        (
            "same set: nothing",
            desired().scope_map("readers", &[READ, WRITE]),
            live().scope_map("readers", &[WRITE, READ]),
            &[],
        ),
        (
            "another set: update",
            desired().scope_map("readers", &[READ]),
            live().scope_map("readers", &[READ, WRITE]),
            &["update scope_map.readers"],
        ),
        (
            "description alone: update",
            desired()
                .scope_map("readers", &[READ])
                .described("readers", "Readers"),
            live().scope_map("readers", &[READ]),
            &["update scope_map.readers"],
        ),
        (
            "description not managed: nothing",
            desired().scope_map("readers", &[READ]),
            live().scope_map("readers", &[READ]).with(|l| {
                for s in l.scope_maps.values_mut() {
                    s.description = "anything".into();
                }
            }),
            &[],
        ),
        (
            "unrecognised live action: update",
            desired().scope_map("readers", &[READ]),
            live().scope_map("readers", &[READ]).with(|l| {
                for s in l.scope_maps.values_mut().filter(|s| !s.system) {
                    s.unrecognised_actions
                        .insert("repositories/x/content/execute".into());
                }
            }),
            &["update scope_map.readers"],
        ),
        (
            "implicit scope map: like any other",
            desired()
                .scope_map("ci-push-scope-map", &[WRITE])
                .with(|d| {
                    for s in d.scope_maps.values_mut() {
                        s.implicit_for = Some("ci-push".parse().expect("name"));
                    }
                })
                .token("ci-push", "ci-push-scope-map"),
            live(),
            &["create scope_map.ci-push-scope-map", "create token.ci-push"],
        ),
        (
            "undeclared, ignore: nothing",
            desired(),
            live().scope_map("others", &[READ]),
            &[],
        ),
        (
            "undeclared, delete: delete",
            desired().with(unmanaged_scope_maps(UnmanagedScopeMaps::Delete)),
            live().scope_map("others", &[READ]),
            &["delete scope_map.others"],
        ),
        (
            "undeclared, delete, but an ignored token uses it: kept",
            desired().with(unmanaged_scope_maps(UnmanagedScopeMaps::Delete)),
            live()
                .scope_map("others", &[READ])
                .token("keeper", "others", Enabled),
            &[],
        ),
        (
            "undeclared, delete, glob: nothing",
            desired()
                .with(unmanaged_scope_maps(UnmanagedScopeMaps::Delete))
                .with(ignore("oth*")),
            live().scope_map("others", &[READ]),
            &[],
        ),
        (
            "system scope maps: never",
            desired().with(unmanaged_scope_maps(UnmanagedScopeMaps::Delete)),
            live(),
            &[],
        ),
    ]);
}

#[test]
fn scope_map_update_writes_only_what_differs() {
    let desired = desired()
        .scope_map("readers", &[READ])
        .described("readers", "Readers");
    let p = plan(&desired, &live().scope_map("readers", &[READ]));
    assert_eq!(
        p.changes[0].op,
        WriteOp::UpdateScopeMap {
            name: "readers".parse().unwrap(),
            description: Some("Readers".into()),
            actions: None
        }
    );
    let p = plan(
        &desired,
        &live().scope_map("readers", &[WRITE]).with(|l| {
            for s in l.scope_maps.values_mut() {
                if !s.system {
                    s.description = "Readers".into();
                }
            }
        }),
    );
    assert_eq!(
        p.changes[0].op,
        WriteOp::UpdateScopeMap {
            name: "readers".parse().unwrap(),
            description: None,
            actions: Some(super::fixtures::actions(&[READ]))
        }
    );
}

#[test]
fn unmanaged_objects_are_reported() {
    let p = plan(
        &desired().with(ignore("legacy-*")),
        &live()
            .scope_map("others", &[READ])
            .scope_map("legacy-map", &[READ])
            .token("stranger", "others", Enabled)
            .token("legacy-ci", "others", Enabled),
    );
    let unmanaged: Vec<String> = p.unmanaged.iter().map(ToString::to_string).collect();
    assert_eq!(unmanaged, ["scope_map.others", "token.stranger"]);
    assert!(p.is_empty());
}

#[test]
fn scope_map_kept_for_a_remaining_user_is_a_warning() {
    let p = plan(
        &desired().with(unmanaged_scope_maps(UnmanagedScopeMaps::Delete)),
        &live()
            .scope_map("others", &[READ])
            .token("keeper", "others", Enabled),
    );
    assert_eq!(
        p.warnings,
        [
            "scope_map.others is not in the configuration but is not deleted: token.keeper still uses it"
        ]
    );
    assert_eq!(
        p.unmanaged,
        vec![
            "scope_map.others".parse::<Address>().unwrap(),
            "token.keeper".parse().unwrap()
        ]
    );
}

#[test]
fn tokens() {
    let base = || {
        desired()
            .scope_map("readers", &[READ])
            .scope_map("writers", &[WRITE])
    };
    let base_live = || {
        live()
            .scope_map("readers", &[READ])
            .scope_map("writers", &[WRITE])
    };
    check(vec![
        (
            "declared, missing: create",
            base().token("reader", "readers"),
            base_live(),
            &["create token.reader"],
        ),
        (
            "system scope map: create",
            desired().token("puller", "_repositories_pull"),
            live(),
            &["create token.puller"],
        ),
        (
            "same: nothing",
            base().token("reader", "readers"),
            base_live().token("reader", "readers", Enabled),
            &[],
        ),
        (
            "moved: update",
            base().token("reader", "writers"),
            base_live().token("reader", "readers", Enabled),
            &["update token.reader"],
        ),
        (
            "enabled again: update",
            base().token("reader", "readers"),
            base_live().token("reader", "readers", Disabled),
            &["update token.reader"],
        ),
        (
            "disabled: disable",
            base().token("reader", "readers").disabled("reader"),
            base_live().token("reader", "readers", Enabled),
            &["disable token.reader"],
        ),
        (
            "moved and disabled: disable",
            base().token("reader", "writers").disabled("reader"),
            base_live().token("reader", "readers", Enabled),
            &["disable token.reader"],
        ),
        (
            "created disabled: create",
            base().token("reader", "readers").disabled("reader"),
            base_live(),
            &["create token.reader"],
        ),
        (
            "undeclared, ignore: nothing",
            base(),
            base_live().token("stranger", "readers", Enabled),
            &[],
        ),
        (
            "undeclared, disable: disable",
            base().with(unmanaged_tokens(UnmanagedTokens::Disable)),
            base_live().token("stranger", "readers", Enabled),
            &["disable token.stranger"],
        ),
        (
            "undeclared, disable, already disabled: nothing",
            base().with(unmanaged_tokens(UnmanagedTokens::Disable)),
            base_live().token("stranger", "readers", Disabled),
            &[],
        ),
        (
            "undeclared, delete: delete",
            base().with(unmanaged_tokens(UnmanagedTokens::Delete)),
            base_live().token("stranger", "readers", Enabled),
            &["delete token.stranger"],
        ),
        (
            "undeclared, delete, glob: nothing",
            base()
                .with(unmanaged_tokens(UnmanagedTokens::Delete))
                .with(ignore("str*")),
            base_live().token("stranger", "readers", Enabled),
            &[],
        ),
        (
            "deleted token's passwords: not listed",
            base().with(unmanaged_tokens(UnmanagedTokens::Delete)),
            base_live()
                .token("stranger", "readers", Enabled)
                .password("stranger", Password1, None),
            &["delete token.stranger"],
        ),
        (
            "sync token, delete: disable",
            base().with(unmanaged_tokens(UnmanagedTokens::Delete)),
            base_live()
                .token("edge-sync", "readers", Enabled)
                .connected("edge01", "edge-sync", &[]),
            &["disable token.edge-sync"],
        ),
        (
            "sync token, delete, already disabled: nothing",
            base().with(unmanaged_tokens(UnmanagedTokens::Delete)),
            base_live()
                .token("edge-sync", "readers", Disabled)
                .connected("edge01", "edge-sync", &[]),
            &[],
        ),
    ]);
}

#[test]
fn sync_token_is_disabled_with_a_note() {
    let p = plan(
        &desired().with(unmanaged_tokens(UnmanagedTokens::Delete)),
        &live()
            .token("edge-sync", "_repositories_pull", Enabled)
            .connected("edge01", "edge-sync", &[]),
    );
    let change = &p.changes[0];
    assert_eq!(change.kind, ChangeKind::Disable);
    assert_eq!(
        change.note.as_deref(),
        Some(
            "not in the configuration, and unmanaged.tokens is delete, but it is the sync token of connected_registry.edge01 and can't be deleted: it is disabled instead, which also disables the connected registry"
        )
    );
    assert!(matches!(
        change.op,
        WriteOp::UpdateToken {
            status: Some(Disabled),
            scope_map: None,
            keep_passwords: None,
            ..
        }
    ));
}

#[test]
fn passwords() {
    let token = || desired().token("ci-push", "_repositories_push");
    let live_token = || live().token("ci-push", "_repositories_push", Enabled);
    let fixed = policy(Some("2027-06-30T00:00:00Z"), None, None);
    check(vec![
        (
            "not managed: live slots stay",
            token(),
            live_token().password("ci-push", Password1, None),
            &[],
        ),
        (
            "{}: live slots removed",
            token().passwords("ci-push", &[]),
            live_token()
                .password("ci-push", Password1, None)
                .password("ci-push", Password2, None),
            &["update token.ci-push"],
        ),
        (
            "{} and none live: nothing",
            token().passwords("ci-push", &[]),
            live_token(),
            &[],
        ),
        (
            "declared, missing: create",
            token().passwords("ci-push", &[(Password1, policy(None, Some("30d"), None))]),
            live_token(),
            &["create token.ci-push.password1"],
        ),
        (
            "new token: create, then create its password",
            token().passwords("ci-push", &[(Password1, policy(None, None, None))]),
            live(),
            &["create token.ci-push", "create token.ci-push.password1"],
        ),
        (
            "fixed expiry, same: nothing",
            token().passwords("ci-push", &[(Password1, fixed)]),
            live_token().password("ci-push", Password1, Some("2027-06-30T00:00:00Z")),
            &[],
        ),
        (
            "fixed expiry, other: rotate",
            token().passwords("ci-push", &[(Password1, fixed)]),
            live_token().password("ci-push", Password1, Some("2027-01-01T00:00:00Z")),
            &["rotate token.ci-push.password1"],
        ),
        (
            "fixed expiry, none live: rotate",
            token().passwords("ci-push", &[(Password1, fixed)]),
            live_token().password("ci-push", Password1, None),
            &["rotate token.ci-push.password1"],
        ),
        (
            "within rotate_before: rotate",
            token().passwords(
                "ci-push",
                &[(Password1, policy(None, Some("30d"), Some("7d")))],
            ),
            live_token().password("ci-push", Password1, Some("2026-06-07T00:00:00Z")),
            &["rotate token.ci-push.password1"],
        ),
        (
            "outside rotate_before: nothing",
            token().passwords(
                "ci-push",
                &[(Password1, policy(None, Some("30d"), Some("7d")))],
            ),
            live_token().password("ci-push", Password1, Some("2026-06-09T00:00:00Z")),
            &[],
        ),
        (
            "expired: rotate",
            token().passwords("ci-push", &[(Password1, policy(None, None, None))]),
            live_token().password("ci-push", Password1, Some("2026-05-31T00:00:00Z")),
            &["rotate token.ci-push.password1"],
        ),
        (
            "expires_in, but no live expiry: rotate",
            token().passwords("ci-push", &[(Password1, policy(None, Some("30d"), None))]),
            live_token().password("ci-push", Password1, None),
            &["rotate token.ci-push.password1"],
        ),
        (
            "expires_in, live expiry further out than now + expires_in: rotate",
            token().passwords("ci-push", &[(Password1, policy(None, Some("30d"), None))]),
            live_token().password("ci-push", Password1, Some("2030-01-01T00:00:00Z")),
            &["rotate token.ci-push.password1"],
        ),
        (
            "expires_in, live expiry at now + expires_in and a little more: nothing",
            token().passwords("ci-push", &[(Password1, policy(None, Some("30d"), None))]),
            live_token().password("ci-push", Password1, Some("2026-07-01T00:59:59Z")),
            &[],
        ),
        (
            "no expires_in, no live expiry: nothing",
            token().passwords("ci-push", &[(Password1, policy(None, None, Some("7d")))]),
            live_token().password("ci-push", Password1, None),
            &[],
        ),
        (
            "undeclared live slot: update removes it",
            token().passwords("ci-push", &[(Password1, policy(None, None, None))]),
            live_token()
                .password("ci-push", Password1, None)
                .password("ci-push", Password2, None),
            &["update token.ci-push"],
        ),
        (
            "missing and undeclared: update, create",
            token().passwords("ci-push", &[(Password1, policy(None, None, None))]),
            live_token().password("ci-push", Password2, None),
            &["update token.ci-push", "create token.ci-push.password1"],
        ),
    ]);
}

#[test]
fn password_changes_carry_expiries_and_reasons() {
    let token = || {
        desired().token("ci-push", "_repositories_push").passwords(
            "ci-push",
            &[
                (Password1, policy(None, Some("30d"), Some("7d"))),
                (Password2, policy(None, Some("30d"), None)),
            ],
        )
    };
    let due = || {
        live()
            .token("ci-push", "_repositories_push", Enabled)
            .password("ci-push", Password1, Some("2026-06-07T00:00:00Z"))
    };
    let p = plan(
        &token(),
        &due().password("ci-push", Password2, Some("2026-06-20T00:00:00Z")),
    );
    let new_expiry = Some(at("2026-07-01T00:00:00Z"));
    assert_eq!(lines(&p), ["rotate token.ci-push.password1"]);
    assert_eq!(
        p.changes[0].note.as_deref(),
        Some(
            "expires at 2026-06-07T00:00:00Z, within rotate_before (7d); password2 stays and \
             keeps working until it expires at 2026-06-20T00:00:00Z"
        )
    );
    assert_eq!(
        p.changes[0].op,
        WriteOp::GeneratePassword {
            token: "ci-push".parse().unwrap(),
            slot: Password1,
            expiry: new_expiry
        }
    );
    assert_eq!(
        p.changes[0].after,
        Some(ObjectState::Password {
            creation_time: None,
            expiry: new_expiry
        })
    );
    assert_eq!(
        p.changes[0].before,
        Some(ObjectState::Password {
            creation_time: Some(at("2026-05-01T00:00:00Z")),
            expiry: Some(at("2026-06-07T00:00:00Z"))
        })
    );

    // With password2 missing, it is created; password1, due, waits its turn and keeps working.
    let p = plan(&token(), &due());
    assert_eq!(lines(&p), ["create token.ci-push.password2"]);
    assert_eq!(
        p.changes[0].note.as_deref(),
        Some("declared but missing from the registry")
    );
    assert_eq!(p.changes[0].before, None);
    assert_eq!(
        p.waiting,
        [crate::plan::Waiting {
            address: "token.ci-push.password1".parse().unwrap(),
            reason: "expires at 2026-06-07T00:00:00Z, within rotate_before (7d); waits its turn: \
                     password2 gets a new password in this apply, and password1 keeps working \
                     meanwhile; it is rotated once password2 is 11d 12h old (from \
                     2026-06-12T12:00:00Z), or when it expires"
                .to_owned()
        }]
    );
}

#[test]
fn replace_rotates_a_healthy_slot_and_the_other_waits() {
    let desired = desired().token("ci-push", "_repositories_push").passwords(
        "ci-push",
        &[
            (Password1, policy(None, Some("30d"), Some("7d"))),
            (Password2, policy(None, Some("30d"), Some("7d"))),
        ],
    );
    let live = live()
        .token("ci-push", "_repositories_push", Enabled)
        .password("ci-push", Password1, Some("2026-06-20T00:00:00Z"))
        .password("ci-push", Password2, Some("2026-06-05T00:00:00Z"));
    let replace = |addresses: &[&str]| {
        let addresses: Vec<Address> = addresses.iter().map(|a| a.parse().unwrap()).collect();
        let options = crate::plan::Options {
            interrupted: &[],
            replace: &addresses,
        };
        crate::plan::diff_with(&desired, &live, now(), options).unwrap()
    };
    // Without --replace, password2 is due and rotated.
    assert_eq!(lines(&replace(&[])), ["rotate token.ci-push.password2"]);
    let p = replace(&["token.ci-push.password1"]);
    assert_eq!(lines(&p), ["rotate token.ci-push.password1"]);
    assert_eq!(
        p.changes[0].note.as_deref(),
        Some(
            "replaced on request; password2 stays and keeps working until it expires at \
             2026-06-05T00:00:00Z"
        )
    );
    assert_eq!(p.waiting.len(), 1, "{:?}", p.waiting);
    // Both on request: both, whatever their turn.
    assert_eq!(
        lines(&replace(&[
            "token.ci-push.password1",
            "token.ci-push.password2"
        ])),
        [
            "rotate token.ci-push.password1",
            "rotate token.ci-push.password2"
        ]
    );
}

/// A case name, the configuration, the registry, what the secrets file says was interrupted,
/// the changes expected and the note of the rotation, if any.
type RecoveryCase = (
    &'static str,
    Desired,
    Live,
    InterruptedRotation,
    &'static [&'static str],
    Option<&'static str>,
);

#[test]
fn passwords_an_interrupted_apply_generated_are_rotated_again() {
    // The live fixture's passwords were created on 2026-05-01.
    let interrupted = |token: &str, slot, started: &str| InterruptedRotation {
        token: token.parse().unwrap(),
        slot,
        started: at(started),
        saved_creation_time: None,
    };
    let before_creation = "2026-04-30T23:59:59Z";
    // Over a minute after: more than this machine's clock may be ahead of ARM's.
    let after_creation = "2026-05-01T00:01:01Z";
    let managed = |slots: &[crate::model::PasswordSlot]| {
        let policies: Vec<_> = slots
            .iter()
            .map(|&slot| (slot, policy(None, Some("30d"), Some("7d"))))
            .collect();
        desired()
            .token("ci-push", "_repositories_push")
            .passwords("ci-push", &policies)
    };
    let live_token = || {
        live()
            .token("ci-push", "_repositories_push", Enabled)
            .password("ci-push", Password1, Some("2026-06-30T00:00:00Z"))
    };
    let lost_note = "password1 of ci-push was generated by an interrupted apply at \
                     2026-04-30T23:59:59Z and never saved; rotating it again";
    let cases: Vec<RecoveryCase> = vec![
        (
            "generated at or after the start: rotated again, and why",
            managed(&[Password1]),
            live_token(),
            interrupted("ci-push", Password1, before_creation),
            &["rotate token.ci-push.password1"],
            Some(lost_note),
        ),
        (
            "created before the start: the request never took effect, nothing to do",
            managed(&[Password1]),
            live_token(),
            interrupted("ci-push", Password1, after_creation),
            &[],
            None,
        ),
        (
            "the password the secrets file holds: never taken for a lost one",
            managed(&[Password1]),
            live_token(),
            InterruptedRotation {
                saved_creation_time: Some(at("2026-05-01T00:00:00Z")),
                ..interrupted("ci-push", Password1, before_creation)
            },
            &[],
            None,
        ),
        (
            "missing: the request never took effect, the usual creation",
            managed(&[Password1, Password2]),
            live_token(),
            interrupted("ci-push", Password2, before_creation),
            &["create token.ci-push.password2"],
            Some("declared but missing from the registry"),
        ),
        (
            "due anyway: one rotation, the interrupted apply is the reason given",
            managed(&[Password1]),
            live()
                .token("ci-push", "_repositories_push", Enabled)
                .password("ci-push", Password1, Some("2026-06-02T00:00:00Z")),
            interrupted("ci-push", Password1, before_creation),
            &["rotate token.ci-push.password1"],
            Some(lost_note),
        ),
        (
            "slot no longer declared: removed with the token update",
            managed(&[]),
            live_token(),
            interrupted("ci-push", Password1, before_creation),
            &["update token.ci-push"],
            None,
        ),
    ];
    for (case, desired, live, rotation, expected, note) in cases {
        let p = diff_recovering(&desired, &live, now(), &[rotation]).unwrap();
        assert_eq!(lines(&p), expected, "case: {case}");
        let rotate = p
            .changes
            .iter()
            .find(|c| c.address.to_string().contains("password"));
        assert_eq!(rotate.and_then(|c| c.note.as_deref()), note, "case: {case}");
        assert_eq!(p.warnings, Vec::<String>::new(), "case: {case}");
    }
    // The new password gets the expiry the policy gives any new one.
    let p = diff_recovering(
        &managed(&[Password1]),
        &live_token(),
        now(),
        &[interrupted("ci-push", Password1, before_creation)],
    )
    .unwrap();
    assert_eq!(
        p.changes[0].op,
        WriteOp::GeneratePassword {
            token: "ci-push".parse().unwrap(),
            slot: Password1,
            expiry: Some(at("2026-07-01T00:00:00Z")),
        }
    );
    // Without the secrets file's word, the same registry needs nothing.
    assert!(plan(&managed(&[Password1]), &live_token()).is_empty());
}

#[test]
fn a_lost_password_the_plan_leaves_alone_is_a_warning() {
    const WARNING: &str = "token.ci-push.password1: password1 of ci-push was generated by an \
                   interrupted apply at 2026-04-30T00:00:00Z and never saved, and this plan does \
                   not rotate it again; declare the slot under the token's `passwords` (with any \
                   `expiry` in the future) to have it rotated";
    let lost = [InterruptedRotation {
        token: "ci-push".parse().unwrap(),
        slot: Password1,
        started: at("2026-04-30T00:00:00Z"),
        saved_creation_time: None,
    }];
    let live_token = || {
        live()
            .token("ci-push", "_repositories_push", Enabled)
            .password("ci-push", Password1, None)
    };
    let cases: Vec<(&str, Desired, &[&str])> = vec![
        (
            "passwords not managed",
            desired().token("ci-push", "_repositories_push"),
            &[WARNING],
        ),
        ("token not declared, left alone", desired(), &[WARNING]),
        (
            "token not declared, deleted",
            desired().with(unmanaged_tokens(UnmanagedTokens::Delete)),
            &[],
        ),
    ];
    for (case, desired, expected) in cases {
        let p = diff_recovering(&desired, &live_token(), now(), &lost).unwrap();
        assert_eq!(p.warnings, expected, "case: {case}");
        assert!(
            !p.changes.iter().any(|c| c.kind == ChangeKind::Rotate),
            "case: {case}"
        );
    }
}

#[test]
fn removed_slot_keeps_declared_live_ones() {
    let p = plan(
        &desired()
            .token("ci-push", "_repositories_push")
            .passwords("ci-push", &[(Password1, policy(None, None, None))]),
        &live()
            .token("ci-push", "_repositories_push", Enabled)
            .password("ci-push", Password1, None)
            .password("ci-push", Password2, None),
    );
    assert_eq!(
        p.changes[0].op,
        WriteOp::UpdateToken {
            name: "ci-push".parse().unwrap(),
            scope_map: None,
            status: None,
            keep_passwords: Some([Password1].into()),
        }
    );
}

#[test]
fn fixed_expiries_that_rotation_cannot_fix_are_warnings() {
    let cases = [
        (
            policy(Some("2026-05-01T00:00:00Z"), None, None),
            None,
            "token.ci-push.password1: the declared `expiry` 2026-05-01T00:00:00Z has passed, so no password is generated; declare a later one",
        ),
        (
            policy(Some("2026-05-01T00:00:00Z"), None, None),
            Some("2026-05-01T00:00:00Z"),
            "token.ci-push.password1: expired at 2026-05-01T00:00:00Z, the declared `expiry`; declare a later one to rotate it",
        ),
        (
            policy(Some("2026-06-03T00:00:00Z"), None, Some("7d")),
            Some("2026-06-03T00:00:00Z"),
            "token.ci-push.password1: expires at 2026-06-03T00:00:00Z, within rotate_before (7d), but its expiry is fixed; declare a later `expiry` to rotate it",
        ),
    ];
    for (policy, live_expiry, warning) in cases {
        let mut live = live().token("ci-push", "_repositories_push", Enabled);
        if let Some(expiry) = live_expiry {
            live = live.password("ci-push", Password1, Some(expiry));
        }
        let p = plan(
            &desired()
                .token("ci-push", "_repositories_push")
                .passwords("ci-push", &[(Password1, policy)]),
            &live,
        );
        assert!(p.is_empty(), "{warning}");
        assert_eq!(p.warnings, [warning]);
    }
}

#[test]
fn admin_user() {
    let live_enabled = || live().with(|l| l.registry.admin_user_enabled = true);
    check(vec![
        ("not managed: nothing", desired(), live_enabled(), &[]),
        (
            "same: nothing",
            desired().with(|d| d.admin_user = Some(true)),
            live_enabled(),
            &[],
        ),
        (
            "differs: update",
            desired().with(|d| d.admin_user = Some(false)),
            live_enabled(),
            &["update registry.admin_user"],
        ),
    ]);
}

#[test]
fn connected_registries() {
    let base = || desired().token("reader", "_repositories_pull");
    let base_live = || {
        live().token("reader", "_repositories_pull", Enabled).token(
            "edge-sync",
            "_repositories_pull",
            Enabled,
        )
    };
    check(vec![
        (
            "same client tokens: nothing",
            base().connected("edge01", ReadOnly, &["reader"]),
            base_live().connected("edge01", "edge-sync", &["reader"]),
            &[],
        ),
        (
            "other client tokens: update",
            base().connected("edge01", ReadOnly, &["reader"]),
            base_live().connected("edge01", "edge-sync", &[]),
            &["update connected_registry.edge01"],
        ),
        (
            "not declared: nothing",
            base(),
            base_live().connected("edge01", "edge-sync", &[]),
            &[],
        ),
        (
            "missing live: nothing (warning)",
            base().connected("edge01", ReadOnly, &["reader"]),
            base_live(),
            &[],
        ),
    ]);
    let p = plan(
        &base().connected("edge01", ReadWrite, &[]),
        &base_live().connected("edge01", "edge-sync", &[]),
    );
    assert_eq!(
        p.warnings,
        [
            "connected_registry.edge01 is in mode ReadOnly but declared ReadWrite; scopeform does not change the mode of a connected registry"
        ]
    );
    let p = plan(&base().connected("edge02", ReadOnly, &[]), &base_live());
    assert_eq!(
        p.warnings,
        [
            "connected_registry.edge02 is declared but does not exist in the registry; scopeform does not create connected registries (use `az acr connected-registry create`), so its client tokens are not set"
        ]
    );
}

#[test]
fn errors() {
    let cases: Vec<(&str, Desired, Live, PlanError)> = vec![
        (
            "another registry",
            desired(),
            live().with(|l| l.registry.name = "otherregistry".parse().unwrap()),
            PlanError::WrongRegistry {
                configured: "*/rg/myregistry".into(),
                live: "sub/rg/otherregistry".into(),
            },
        ),
        (
            "another resource group",
            desired(),
            live().with(|l| l.registry.resource_group = "rg2".into()),
            PlanError::WrongRegistry {
                configured: "*/rg/myregistry".into(),
                live: "sub/rg2/myregistry".into(),
            },
        ),
        (
            "system scope map declared",
            desired().scope_map("_repositories_pull", &[READ]),
            live(),
            PlanError::SystemScopeMap("_repositories_pull".parse().unwrap()),
        ),
        (
            "unknown scope map",
            desired().token("reader", "nowhere"),
            live(),
            PlanError::UnknownScopeMap {
                token: "reader".parse().unwrap(),
                scope_map: "nowhere".parse().unwrap(),
            },
        ),
        (
            "unknown client token",
            desired().connected("edge01", ReadOnly, &["nobody"]),
            live(),
            PlanError::UnknownClientToken {
                connected_registry: "edge01".parse().unwrap(),
                token: "nobody".parse().unwrap(),
            },
        ),
        (
            "rotation never settles",
            desired().token("reader", "_repositories_pull").passwords(
                "reader",
                &[(Password1, policy(None, Some("7d"), Some("1w")))],
            ),
            live(),
            PlanError::RotationNeverSettles {
                address: "token.reader.password1".parse().unwrap(),
                expires_in: "7d".into(),
                rotate_before: "1w".into(),
            },
        ),
    ];
    for (name, desired, live, expected) in cases {
        assert_eq!(diff(&desired, &live, now()), Err(expected), "case: {name}");
    }
}

#[test]
fn registry_names_compare_case_insensitively() {
    let p = diff(
        &desired(),
        &live().with(|l| l.registry.name = "MyRegistry".parse().unwrap()),
        now(),
    );
    assert!(p.is_ok());
}

#[test]
fn managed_fields_only() {
    let p = plan(
        &desired()
            .scope_map("readers", &[READ, META])
            .token("reader", "readers"),
        &live()
            .scope_map("readers", &[READ])
            .token("reader", "readers", Disabled)
            .password("reader", Password1, None),
    );
    let states: Vec<_> = p
        .changes
        .iter()
        .map(|c| (c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        states,
        [
            (
                Some(ObjectState::ScopeMap {
                    description: None,
                    actions: vec![READ.into()]
                }),
                Some(ObjectState::ScopeMap {
                    description: None,
                    actions: vec![READ.into(), META.into()]
                }),
            ),
            (
                Some(ObjectState::Token {
                    scope_map: "readers".parse().unwrap(),
                    status: Disabled,
                    passwords: None
                }),
                Some(ObjectState::Token {
                    scope_map: "readers".parse().unwrap(),
                    status: Enabled,
                    passwords: None
                }),
            ),
        ]
    );
}

#[test]
fn access_changes() {
    let p = plan(
        &desired()
            .scope_map("readers", &[READ, META])
            .token("reader", "readers")
            .token("writer", "readers")
            .disabled("writer"),
        &live()
            .scope_map("readers", &[READ, WRITE])
            .token("reader", "readers", Enabled)
            .token("writer", "readers", Enabled)
            .token("stranger", "readers", Enabled),
    );
    let access: Vec<(String, Vec<String>, Vec<String>)> = p
        .access_changes
        .iter()
        .map(|a| {
            (
                a.token.to_string(),
                a.gained.iter().map(ToString::to_string).collect(),
                a.lost.iter().map(ToString::to_string).collect(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        access,
        [
            ("reader".to_owned(), s(&[META]), s(&[WRITE])),
            // Undeclared and left alone, but it uses the updated scope map.
            ("stranger".to_owned(), s(&[META]), s(&[WRITE])),
            ("writer".to_owned(), s(&[]), s(&[READ, WRITE])),
        ]
    );
}
