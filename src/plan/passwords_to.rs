//! Where a plan's new passwords go, for the reviewer: the Key Vault and each password's secret
//! (`Plan::passwords_to`), and, with `plan --base`, a warning when the pull request moved them.

use super::{Address, Plan};
use crate::model::{PasswordSlot, SecretsDestination, TokenName, WriteOp};

/// The Key Vault a plan's new passwords are written to, and the secret of each.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PasswordsTo {
    pub key_vault: String,
    pub secrets: Vec<PasswordSecret>,
}

/// One new password and the secret it becomes the newest version of.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PasswordSecret {
    pub address: Address,
    pub secret: String,
}

impl Plan {
    /// Every token slot this plan generates a password for, in plan order.
    pub(crate) fn generated_passwords(&self) -> impl Iterator<Item = (&TokenName, PasswordSlot)> {
        self.changes.iter().filter_map(|c| match &c.op {
            WriteOp::GeneratePassword { token, slot, .. } => Some((token, *slot)),
            _ => None,
        })
    }

    /// Says where this plan's new passwords go: to `secrets`' vault when one will be written
    /// (`None` when none is: no `secrets:`, or a snapshot). Nothing when it generates none.
    pub(crate) fn set_passwords_to(&mut self, secrets: Option<&SecretsDestination>) {
        self.passwords_to = secrets.and_then(|to| {
            let secrets: Vec<PasswordSecret> = self
                .generated_passwords()
                .map(|(token, slot)| PasswordSecret {
                    address: Address::Password(token.clone(), slot),
                    secret: to.name.expand(&self.registry.name, token, slot),
                })
                .collect();
            (!secrets.is_empty()).then(|| PasswordsTo {
                key_vault: to.key_vault.to_string(),
                secrets,
            })
        });
    }
}

/// With `plan --base`: a warning when the configuration moved where new passwords go since the
/// base revision. A pull request that points `secrets.key_vault` elsewhere has every later
/// password written where someone else may read it, so the reviewer is told, whether or not
/// this plan writes one.
pub(crate) fn moved_since_base(
    base: Option<&SecretsDestination>,
    now: Option<&SecretsDestination>,
) -> Option<String> {
    let (was, is) = (base.map(|s| &s.key_vault), now.map(|s| &s.key_vault));
    match (was, is) {
        (Some(was), Some(is)) if was != is => Some(format!(
            "the Key Vault new passwords go to changed since base: it was {was}, it is {is}"
        )),
        (None, Some(is)) => Some(format!(
            "new passwords go to Key Vault {is}, since base (they went to the secrets file)"
        )),
        (Some(was), None) => Some(format!(
            "new passwords no longer go to Key Vault {was} since base: they go to the secrets \
             file `apply --secrets-out` names"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(url: &str) -> SecretsDestination {
        SecretsDestination {
            key_vault: url.parse().expect("vault url"),
            name: crate::model::SecretNameTemplate::default(),
        }
    }

    #[test]
    fn a_moved_vault_is_a_warning_whichever_way_it_moved() {
        let a = vault("https://vault-a.vault.azure.net");
        let b = vault("https://vault-b.vault.azure.net");
        assert_eq!(moved_since_base(Some(&a), Some(&a)), None);
        assert_eq!(moved_since_base(None, None), None);
        let moved = moved_since_base(Some(&a), Some(&b)).expect("moved");
        assert!(moved.contains(
            "it was https://vault-a.vault.azure.net, it is https://vault-b.vault.azure.net"
        ));
        let added = moved_since_base(None, Some(&b)).expect("added");
        assert!(
            added.contains("Key Vault https://vault-b.vault.azure.net"),
            "{added}"
        );
        let dropped = moved_since_base(Some(&a), None).expect("dropped");
        assert!(dropped.contains("no longer go to Key Vault https://vault-a.vault.azure.net"));
    }

    #[test]
    fn a_plan_that_generates_no_password_says_nothing_of_a_vault() {
        use crate::plan::tests::fixtures::{desired, every_kind, live, plan};
        let to = vault("https://vault-a.vault.azure.net");
        let mut quiet = plan(&desired(), &live());
        quiet.set_passwords_to(Some(&to));
        assert_eq!(quiet.passwords_to, None);

        let (desired, live) = every_kind();
        let mut rotating = plan(&desired, &live);
        rotating.set_passwords_to(None);
        assert_eq!(rotating.passwords_to, None);
        rotating.set_passwords_to(Some(&to));
        let said = rotating
            .passwords_to
            .clone()
            .expect("passwords go to the vault");
        assert_eq!(said.key_vault, "https://vault-a.vault.azure.net");
        let generated: Vec<String> = rotating
            .generated_passwords()
            .map(|(token, slot)| format!("token.{token}.{slot}"))
            .collect();
        let shown: Vec<String> = said.secrets.iter().map(|s| s.address.to_string()).collect();
        assert!(!generated.is_empty());
        assert_eq!(shown, generated);
        assert!(said.secrets.iter().all(|s| s.secret.starts_with("acr-")));
    }
}
