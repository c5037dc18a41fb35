//! What `apply` refuses before it changes anything, decided here rather than in the command:
//! a plan that generates passwords with nowhere to put them.

use std::fmt;

use super::Sinks;
use crate::model::WriteOp;
use crate::plan::Plan;

/// How many passwords the plan generates: rotations and created slots alike.
pub fn generated_passwords(plan: &Plan) -> usize {
    plan.changes
        .iter()
        .filter(|c| matches!(c.op, WriteOp::GeneratePassword { .. }))
        .count()
}

/// Why an apply is refused before anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// New passwords (rotations, or created slots) and no sink: each would be lost.
    NoSink {
        passwords: usize,
        /// Applying a saved plan, which does not carry the configuration's `secrets`.
        saved_plan: bool,
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
        }
    }
}

impl Refused {
    pub fn hint(&self) -> String {
        match self {
            Self::NoSink {
                saved_plan: true, ..
            } => "pass `--secrets-out FILE` (a saved plan does not deliver to Key Vault: run \
                  `scopeform apply PATH…` to have the configuration's `secrets` used)"
                .to_owned(),
            Self::NoSink { .. } => "pass `--secrets-out FILE` (mode 0600), or name a vault in \
                                    the configuration: `secrets: {key_vault: https://NAME.vault.azure.net}`"
                .to_owned(),
        }
    }
}

/// Checks that every password the plan generates has somewhere to go.
pub fn check_sinks(plan: &Plan, sinks: &Sinks, saved_plan: bool) -> Result<(), Refused> {
    let passwords = generated_passwords(plan);
    if passwords > 0 && sinks.is_empty() {
        return Err(Refused::NoSink {
            passwords,
            saved_plan,
        });
    }
    Ok(())
}
