//! What `apply` refuses before it changes anything, decided here rather than in the command:
//! a plan that generates passwords with nowhere to put them, and a saved plan that leaves in
//! place a password an interrupted apply generated and nobody has. Also which interrupted
//! rotations the secrets file still lists are lost passwords and which never took effect.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{SecretsFile, SecretsFileError, Sinks};
use crate::model::{InterruptedRotation, Live, WriteOp};
use crate::plan::{Address, ChangeKind, Plan};

/// How many passwords the plan generates: rotations and created slots alike.
pub(crate) fn generated_passwords(plan: &Plan) -> usize {
    plan.changes
        .iter()
        .filter(|c| matches!(c.op, WriteOp::GeneratePassword { .. }))
        .count()
}

/// Why an apply is refused before anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// New passwords (rotations, or created slots) and no sink: each would be lost.
    NoSink {
        passwords: usize,
        /// Applying a saved plan (whose configuration named no Key Vault).
        saved_plan: bool,
    },
    /// A saved plan (made without the secrets file: `plan` does not read it) that does not
    /// rotate again passwords interrupted applies generated and nobody saved.
    SavedPlanLeavesLost {
        /// `describe_lost` of each.
        lost: Vec<String>,
        secrets: PathBuf,
    },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSink { passwords, .. } => write!(
                f,
                "the plan generates {passwords} password{} but no secrets file was given and no \
                 Key Vault is used; nothing was changed",
                if *passwords == 1 { "" } else { "s" },
            ),
            Self::SavedPlanLeavesLost { lost, .. } => write!(
                f,
                "{}; the saved plan does not rotate {} again, so nothing was changed",
                lost.join("; "),
                if lost.len() == 1 { "it" } else { "them" }
            ),
        }
    }
}

impl Refused {
    pub(crate) fn hint(&self) -> String {
        match self {
            Self::NoSink {
                saved_plan: true, ..
            } => "pass `--secrets-out FILE`, or save the plan from a configuration with `secrets:` \
                  (a saved plan delivers to the Key Vault its configuration named)"
                .to_owned(),
            Self::SavedPlanLeavesLost { lost, secrets } => format!(
                "save the plan with `scopeform plan PATH… --secrets {secrets} --out FILE`, or run \
                 `scopeform apply PATH… --secrets-out {secrets}`: either plan rotates {them} again \
                 and shows why before anything changes",
                secrets = secrets.display(),
                them = if lost.len() == 1 { "it" } else { "them" }
            ),
            Self::NoSink { .. } => "pass `--secrets-out FILE` (mode 0600), or name a vault in \
                                    the configuration: `secrets: {key_vault: https://NAME.vault.azure.net}`"
                .to_owned(),
        }
    }
}

/// Checks that every password the plan generates has somewhere to go.
pub(crate) fn check_sinks(plan: &Plan, sinks: &Sinks, saved_plan: bool) -> Result<(), Refused> {
    let passwords = generated_passwords(plan);
    if passwords > 0 && sinks.is_empty() {
        return Err(Refused::NoSink {
            passwords,
            saved_plan,
        });
    }
    Ok(())
}

/// The interrupted rotations of the secrets file, sorted out against the registry.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    /// Rotations that generated a password nobody saved: rotated again.
    pub lost: Vec<InterruptedRotation>,
    /// Rotations that never took effect (the live slot holds no password created since they
    /// started): forgotten, in the file too.
    pub forgotten: Vec<InterruptedRotation>,
}

/// Sorts out `interrupted` against `live` and forgets, in the file, those that never took
/// effect.
pub(crate) fn settle_interrupted(
    file: &mut SecretsFile,
    interrupted: &[InterruptedRotation],
    live: &Live,
) -> Result<Settled, SecretsFileError> {
    let (lost, forgotten): (Vec<_>, Vec<_>) = interrupted
        .iter()
        .cloned()
        .partition(|r| r.generated(live).is_some());
    file.forget_rotations(&forgotten)?;
    Ok(Settled { lost, forgotten })
}

/// Whether `plan` rotates the slot of `rotation` again.
pub(crate) fn plan_rotates(plan: &Plan, rotation: &InterruptedRotation) -> bool {
    let address = Address::Password(rotation.token.clone(), rotation.slot);
    plan.changes
        .iter()
        .any(|c| c.kind == ChangeKind::Rotate && c.address == address)
}

/// A saved plan was made without the secrets file, so it may leave a password an interrupted
/// apply generated, and nobody has, in place: refused, since the plan the user reviewed must
/// show every rotation.
pub(crate) fn check_saved_plan_rotates(
    plan: &Plan,
    lost: &[InterruptedRotation],
    secrets: &Path,
) -> Result<(), Refused> {
    let missing: Vec<String> = lost
        .iter()
        .filter(|r| !plan_rotates(plan, r))
        .map(InterruptedRotation::describe_lost)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(Refused::SavedPlanLeavesLost {
        lost: missing,
        secrets: secrets.to_owned(),
    })
}
