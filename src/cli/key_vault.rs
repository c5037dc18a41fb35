//! Key Vault read before an apply, by `plan --key-vault` and by `drift --key-vault`: the live
//! passwords a consumer reading it lacks (which plans rotate again, as lost rotations are), and
//! the words that say so.

use std::io::Write;

use super::{CommandError, Context, KeyVaultArgs, LiveArgs};
use crate::apply::{KeyVaultSink, Undelivered};
use crate::model::{Desired, Live, PasswordSlot, TokenName};
use crate::plan::{Address, Plan};

/// The configuration's Key Vault, for `--key-vault` (plan, drift): a usage error when there is
/// none to compare with.
pub(super) fn to_compare_with(
    args: &KeyVaultArgs,
    desired: &Desired,
    live: &LiveArgs,
) -> Result<KeyVaultSink, CommandError> {
    args.sink(desired, live)?.ok_or_else(|| {
        CommandError::usage(
            "--key-vault: no Key Vault to compare with (the configuration names none in \
             `secrets.key_vault`, or `--state` is used without `--keyvault-endpoint`)",
        )
    })
}

/// What the vault is read for, which decides what its failure says and which slots count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReadFor {
    /// `apply`: the vault will be written; its failure stops the apply with nothing changed.
    Apply,
    /// `plan --key-vault`: the vault is only read.
    Plan,
    /// `drift --key-vault`: every slot Key Vault lacks is drift, both of a token included.
    Drift,
}

/// Lists the versions of every secret `slots` go to, several at once, and returns the live
/// passwords among them that are not the newest version delivered for their slot. For a plan
/// (apply's, or `plan`'s), one per token: the other slot keeps working meanwhile. A vault that
/// does not answer or refuses is an error.
pub(super) fn undelivered(
    sink: &KeyVaultSink,
    slots: &[(TokenName, PasswordSlot)],
    live: &Live,
    runtime: &tokio::runtime::Runtime,
    read_for: ReadFor,
) -> Result<Vec<Undelivered>, CommandError> {
    let delivered = runtime
        .block_on(sink.versions_of(slots))
        .map_err(|err| match read_for {
            ReadFor::Apply => CommandError::new(format!(
                "Key Vault cannot be used: {err}; nothing was changed"
            ))
            .with_hint(
                "scopeform needs to list and set the secrets (`secrets/list` and \
                 `secrets/set`); check the vault's URL, network access and the identity's \
                 permissions",
            ),
            ReadFor::Plan => CommandError::new(format!("Key Vault cannot be read: {err}"))
                .with_hint(
                    "`--key-vault` needs to list the secrets' versions (`secrets/list`, no \
                     values); check the vault's URL, network access and the identity's \
                     permissions, or plan without `--key-vault`",
                ),
            ReadFor::Drift => CommandError::new(format!("Key Vault cannot be read: {err}")),
        })?;
    let one_per_token = read_for != ReadFor::Drift;
    Ok(sink.undelivered(&delivered, slots, live, one_per_token))
}

/// Says on stderr which live passwords never reached Key Vault and are rotated again.
pub(super) fn tell_redelivering(
    plan: &Plan,
    undelivered: &[Undelivered],
    ctx: &Context,
) -> Result<(), CommandError> {
    let mut stderr = ctx.stderr();
    for u in undelivered {
        let address = Address::Password(u.token.clone(), u.slot);
        if plan.changes.iter().any(|c| c.address == address) {
            writeln!(stderr, "{}; rotating it again.", u.describe())?;
        }
    }
    Ok(())
}
