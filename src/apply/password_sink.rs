//! Where the executor reports password rotations: told before a password is requested, given
//! the password once it arrives. Both must be durable before they return.
//!
//! Two sinks exist, either or both in one apply (`Sinks`): the secrets file
//! (`--secrets-out FILE`) and a Key Vault (`secrets.key_vault`). They keep the same promises
//! in the way each can:
//!
//! - *Recorded before it is requested.* The secrets file writes `rotations_in_progress` first.
//!   Key Vault needs no marker, and gets none: a version written before the password exists
//!   would be the newest version, which consumers read. Key Vault is its own record instead:
//!   each version is tagged with its password's creation time, so the next apply finds any live
//!   password that is not the newest version delivered for its slot by comparing the two
//!   (`KeyVaultSink::undelivered`); what "recorded before" guards against (a password nobody
//!   has) is found without it. Before any write, `apply` checks that Key Vault answers and
//!   lets scopeform list every secret it will write (`KeyVaultSink::check`).
//! - *Saved before it counts as done.* The password goes to the file first, then to Key Vault;
//!   a failure of either fails the job, and says which, with its code and whether trying again
//!   could help.

use std::fmt;
use std::future::Future;

use chrono::{DateTime, Utc};

use super::SecretsFile;
use crate::live::key_vault::{KeyVault, KeyVaultError, SecretVersion, newest_for};
use crate::model::{
    GeneratedPassword, InterruptedRotation, Live, PasswordSlot, RegistryName, SecretNameTemplate,
    TokenName,
};

/// How many secrets' versions are listed at once before an apply: enough to hide most of the
/// round trips of a registry of hundreds of tokens, well below Key Vault's throttling limits.
const LISTED_AT_ONCE: usize = 8;

/// Which sink failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SinkKind {
    SecretsFile,
    KeyVault,
    /// No sink was given at all.
    None,
}

impl fmt::Display for SinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::SecretsFile => "the secrets file",
            Self::KeyVault => "Key Vault",
            Self::None => "no secrets destination",
        })
    }
}

/// Why a sink refused a rotation or a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct SinkError {
    pub sink: SinkKind,
    /// What went wrong; may quote Key Vault (never a password value): printed only escaped.
    pub message: String,
    /// Key Vault's error code, when it sent one.
    pub code: Option<String>,
    /// Whether trying again later could succeed.
    pub retryable: bool,
}

impl SinkError {
    fn none() -> Self {
        Self {
            sink: SinkKind::None,
            message: "no secrets file and no Key Vault".to_owned(),
            code: None,
            retryable: false,
        }
    }
}

impl From<KeyVaultError> for SinkError {
    fn from(err: KeyVaultError) -> Self {
        Self {
            sink: SinkKind::KeyVault,
            message: err.message,
            code: err.code,
            retryable: err.retryable,
        }
    }
}

impl From<super::SecretsFileError> for SinkError {
    fn from(err: super::SecretsFileError) -> Self {
        Self {
            sink: SinkKind::SecretsFile,
            message: err.to_string(),
            code: None,
            retryable: false,
        }
    }
}

pub(crate) trait PasswordSink {
    /// Records that a password for `slot` of `token` is about to be requested. An error fails
    /// the job before anything is sent.
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), SinkError>;

    /// Saves a generated password. An error fails the job: a password is never reported done
    /// without being saved.
    fn save(&mut self, password: &GeneratedPassword)
    -> impl Future<Output = Result<(), SinkError>>;
}

impl PasswordSink for SecretsFile {
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), SinkError> {
        Ok(self.start_rotation(token, slot, Utc::now())?)
    }

    async fn save(&mut self, password: &GeneratedPassword) -> Result<(), SinkError> {
        Ok(self.record(password)?)
    }
}

/// A Key Vault as a sink: the vault, and which secret each token slot's passwords go to.
#[derive(Debug)]
pub(crate) struct KeyVaultSink {
    vault: KeyVault,
    registry: RegistryName,
    names: SecretNameTemplate,
}

impl KeyVaultSink {
    pub(crate) fn new(vault: KeyVault, registry: RegistryName, names: SecretNameTemplate) -> Self {
        Self {
            vault,
            registry,
            names,
        }
    }

    pub(crate) fn secret_name(&self, token: &TokenName, slot: PasswordSlot) -> String {
        self.names.expand(&self.registry, token, slot)
    }

    pub(crate) fn endpoint(&self) -> &str {
        self.vault.endpoint()
    }

    /// The versions of the secret of every slot in `slots`, each secret listed once. Used
    /// before anything changes: a Key Vault that does not answer, or does not let scopeform
    /// list a secret it is about to write, stops the apply there.
    pub(crate) async fn versions_of(
        &self,
        slots: &[(TokenName, PasswordSlot)],
    ) -> Result<Delivered, SinkError> {
        use futures_util::{StreamExt, TryStreamExt};
        let names: std::collections::BTreeSet<String> = slots
            .iter()
            .map(|(token, slot)| self.secret_name(token, *slot))
            .collect();
        // Several at once, in order, so the first failure reported is the first secret's.
        let by_secret = futures_util::stream::iter(names)
            .map(|name| async move {
                let versions = self.vault.versions(&name).await?;
                Ok::<_, SinkError>((name, versions))
            })
            .buffered(LISTED_AT_ONCE)
            .try_collect()
            .await?;
        Ok(Delivered { by_secret })
    }

    /// What `versions_of` found, keyed back by slot.
    pub(crate) fn delivered<'a>(
        &self,
        delivered: &'a Delivered,
        token: &TokenName,
        slot: PasswordSlot,
    ) -> Option<&'a SecretVersion> {
        let versions = delivered.by_secret.get(&self.secret_name(token, slot))?;
        newest_for(versions, &self.registry, token.as_str(), slot)
    }

    /// The live password slots among `slots` whose password is not the newest version
    /// delivered for that slot (creation time against the version's `created` tag): a
    /// consumer reading Key Vault does not have them. As the lost rotations of the secrets
    /// file, they are rotated again; when both slots of one token are undelivered and
    /// `one_per_token` (apply) is set, only the one that expires first is returned, so that the other (whatever holds it) keeps working while
    /// Key Vault's consumers pick up the new one (the next apply delivers the other).
    pub(crate) fn undelivered(
        &self,
        delivered: &Delivered,
        slots: &[(TokenName, PasswordSlot)],
        live: &Live,
        one_per_token: bool,
    ) -> Vec<Undelivered> {
        let mut found: Vec<Undelivered> = Vec::new();
        for (token, slot) in slots {
            let Some(password) = live.tokens.get(token).and_then(|t| t.password(*slot)) else {
                continue;
            };
            let newest = self.delivered(delivered, token, *slot);
            let in_vault = newest.and_then(SecretVersion::password_created);
            if password.creation_time.is_some() && password.creation_time == in_vault {
                continue;
            }
            let candidate = Undelivered {
                token: token.clone(),
                slot: *slot,
                live_created: password.creation_time,
                expiry: password.expiry,
                in_vault,
                secret: self.secret_name(token, *slot),
            };
            if !one_per_token {
                found.push(candidate);
                continue;
            }
            match found.iter_mut().find(|u| u.token == *token) {
                Some(other) => {
                    if candidate.expiry < other.expiry {
                        *other = candidate;
                    }
                }
                None => found.push(candidate),
            }
        }
        found
    }
}

/// The versions listed per secret, before the apply.
#[derive(Debug)]
pub(crate) struct Delivered {
    by_secret: std::collections::BTreeMap<String, Vec<SecretVersion>>,
}

/// A live password a consumer reading Key Vault does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Undelivered {
    pub token: TokenName,
    pub slot: PasswordSlot,
    pub live_created: Option<DateTime<Utc>>,
    pub expiry: Option<DateTime<Utc>>,
    /// The creation time the newest version for the slot records, if there is one.
    pub in_vault: Option<DateTime<Utc>>,
    pub secret: String,
}

impl Undelivered {
    /// Why it is rotated again, in plain words.
    pub(crate) fn describe(&self) -> String {
        let live = self.live_created.map_or_else(
            || "of unknown creation time".to_owned(),
            |t| format!("created {}", crate::plan::timestamp(t)),
        );
        let vault = match self.in_vault {
            Some(t) => format!(
                "the newest version there is the password created {}",
                crate::plan::timestamp(t)
            ),
            None => "it holds no version for this slot".to_owned(),
        };
        format!(
            "{} of {} ({live}) never reached Key Vault secret `{}` ({vault})",
            self.slot, self.token, self.secret
        )
    }

    /// As the plan takes lost passwords: an interrupted rotation that generated the live
    /// password (started when it was created; the version Key Vault holds is the "saved" one).
    pub(crate) fn as_interrupted(&self) -> Option<InterruptedRotation> {
        Some(InterruptedRotation {
            token: self.token.clone(),
            slot: self.slot,
            started: self.live_created?,
            saved_creation_time: self.in_vault,
        })
    }
}

/// Every sink of one apply: a rotation is recorded in each that records, and a password is
/// saved to each, file first.
#[derive(Debug, Default)]
pub(crate) struct Sinks {
    pub file: Option<SecretsFile>,
    pub vault: Option<KeyVaultSink>,
}

impl Sinks {
    pub(crate) fn is_empty(&self) -> bool {
        self.file.is_none() && self.vault.is_none()
    }
}

impl PasswordSink for Sinks {
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), SinkError> {
        if self.is_empty() {
            return Err(SinkError::none());
        }
        match &mut self.file {
            Some(file) => file.starting(token, slot),
            None => Ok(()),
        }
    }

    async fn save(&mut self, password: &GeneratedPassword) -> Result<(), SinkError> {
        if self.is_empty() {
            return Err(SinkError::none());
        }
        if let Some(file) = &mut self.file {
            file.save(password).await?;
        }
        if let Some(sink) = &self.vault {
            let secret = sink.secret_name(&password.token, password.slot);
            sink.vault.store(&secret, &sink.registry, password).await?;
        }
        Ok(())
    }
}
