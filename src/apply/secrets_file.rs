//! The secrets file of `apply --secrets-out FILE`: where generated passwords go, and the only
//! place their values are ever written.
//!
//! Shape: `{"TOKEN": {"username": "TOKEN", "password1": {"value": "…", "expiry": "…",
//! "creation_time": "…"}, "rotations_in_progress": {"password2": {"started": "…"}}}}`. Each
//! change is merged into what the file already holds and written through a temporary file
//! created with mode 0600 in the same directory, flushed to disk, then renamed over the file: a
//! reader sees the old file or the new one, never half of one, and the file is never readable
//! by others, not even for a moment.
//!
//! An apply holds an exclusive lock on `FILE.lock` (created beside the file, and left there)
//! from before it reads the file until it exits: a second apply with the same file would
//! otherwise write back what it read at its start, and the first one's passwords would be gone.
//!
//! `rotations_in_progress` is written before `generateCredentials` is sent and cleared by the
//! write that saves the password, so a rotation an apply never saw through is still there on
//! the next run (see `InterruptedRotation`). Files written before it existed load unchanged.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use crate::live::{FileLock, FileLockError, lock_beside};
use crate::model::{GeneratedPassword, InterruptedRotation, PasswordSlot, TokenName};

#[derive(Debug, thiserror::Error)]
pub(crate) enum SecretsFileError {
    #[error("cannot read secrets file {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "secrets file {path} is not a scopeform secrets file ({message}); refusing to overwrite it"
    )]
    Malformed { path: PathBuf, message: String },
    #[error("cannot write secrets file {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "secrets file {path} is in use by another `scopeform apply` (it holds {lock}); run one apply at a time with a secrets file"
    )]
    Locked { path: PathBuf, lock: PathBuf },
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct StoredPassword {
    value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expiry: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    creation_time: Option<DateTime<Utc>>,
}

/// A rotation started and not yet saved.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredRotation {
    started: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoredToken {
    username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password1: Option<StoredPassword>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password2: Option<StoredPassword>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    rotations_in_progress: BTreeMap<PasswordSlot, StoredRotation>,
}

impl StoredToken {
    fn password(&self, slot: PasswordSlot) -> Option<&StoredPassword> {
        match slot {
            PasswordSlot::Password1 => self.password1.as_ref(),
            PasswordSlot::Password2 => self.password2.as_ref(),
        }
    }

    fn holds_nothing(&self) -> bool {
        self.password1.is_none()
            && self.password2.is_none()
            && self.rotations_in_progress.is_empty()
    }
}

/// An open secrets file: its current content, kept in memory, and where it lives.
#[derive(Debug)]
pub(crate) struct SecretsFile {
    path: PathBuf,
    tokens: BTreeMap<String, StoredToken>,
    /// The lock of an apply's file (on `FILE.lock`); it goes with the file.
    _lock: Option<FileLock>,
}

impl SecretsFile {
    /// Opens (or prepares to create) the file, checking up front that it can be merged into,
    /// so an apply refuses before it changes anything.
    pub(crate) fn open(path: &Path) -> Result<Self, SecretsFileError> {
        Self::read(path, None)
    }

    /// Reads the file, keeping `lock` (held) with it.
    fn read(path: &Path, lock: Option<FileLock>) -> Result<Self, SecretsFileError> {
        let tokens = match fs::read_to_string(path) {
            Ok(text) if text.trim().is_empty() => BTreeMap::new(),
            Ok(text) => serde_json::from_str(&text).map_err(|err| SecretsFileError::Malformed {
                path: path.to_owned(),
                message: err.to_string(),
            })?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(source) => {
                return Err(SecretsFileError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let file = Self {
            path: path.to_owned(),
            tokens,
            _lock: lock,
        };
        file.check_directory()?;
        Ok(file)
    }

    /// Opens the file to write to it, as `open` does, holding its lock until dropped: a file
    /// another apply holds is refused.
    pub(crate) fn open_exclusive(path: &Path) -> Result<Self, SecretsFileError> {
        let lock = lock_beside(path).map_err(|err| match err {
            FileLockError::Held { lock } => SecretsFileError::Locked {
                path: path.to_owned(),
                lock,
            },
            FileLockError::Io { source, .. } => SecretsFileError::Write {
                path: path.to_owned(),
                source,
            },
            not_a_file @ FileLockError::NotAFile { .. } => SecretsFileError::Write {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    not_a_file.to_string(),
                ),
            },
        })?;
        Self::read(path, Some(lock))
    }

    /// Where the file lives.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn check_directory(&self) -> Result<(), SecretsFileError> {
        let dir = self.directory();
        match fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(self.write_error(io::Error::other(format!(
                "{} is not a directory",
                dir.display()
            )))),
            Err(err) => Err(self.write_error(err)),
        }
    }

    fn directory(&self) -> &Path {
        match self.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    }

    fn write_error(&self, source: io::Error) -> SecretsFileError {
        SecretsFileError::Write {
            path: self.path.clone(),
            source,
        }
    }

    /// Records, durably, that a password for `slot` of `token` is about to be requested, `now`.
    /// The start is kept in whole seconds, rounded down; a rotation of the slot already in
    /// progress keeps its earlier start, so a password an earlier apply generated and lost is
    /// still recognised if this request never takes effect either.
    pub(crate) fn start_rotation(
        &mut self,
        token: &TokenName,
        slot: PasswordSlot,
        now: DateTime<Utc>,
    ) -> Result<(), SecretsFileError> {
        let started = now.duration_trunc(TimeDelta::seconds(1)).unwrap_or(now);
        let entry = self.tokens.entry(token.to_string()).or_default();
        if entry.username.is_empty() {
            // What ARM answers as the username of a token's passwords: its name.
            entry.username = token.to_string();
        }
        entry
            .rotations_in_progress
            .entry(slot)
            .and_modify(|r| r.started = r.started.min(started))
            .or_insert(StoredRotation { started });
        self.save()
    }

    /// Rotations started and never saved, by this apply or an earlier one.
    pub(crate) fn interrupted_rotations(&self) -> Vec<InterruptedRotation> {
        self.tokens
            .iter()
            .filter_map(|(token, stored)| Some((token.parse::<TokenName>().ok()?, stored)))
            .flat_map(|(token, stored)| {
                stored
                    .rotations_in_progress
                    .iter()
                    .map(move |(&slot, r)| InterruptedRotation {
                        token: token.clone(),
                        slot,
                        started: r.started,
                        saved_creation_time: stored.password(slot).and_then(|p| p.creation_time),
                    })
            })
            .collect()
    }

    /// Forgets rotations that never took effect, in one durable write (none if there are none).
    pub(crate) fn forget_rotations(
        &mut self,
        rotations: &[InterruptedRotation],
    ) -> Result<(), SecretsFileError> {
        let mut changed = false;
        for rotation in rotations {
            let key = rotation.token.to_string();
            if let Some(entry) = self.tokens.get_mut(&key) {
                changed |= entry.rotations_in_progress.remove(&rotation.slot).is_some();
                if entry.holds_nothing() {
                    self.tokens.remove(&key);
                }
            }
        }
        if changed { self.save() } else { Ok(()) }
    }

    /// Adds one password, ends the rotation in progress for its slot, and writes the whole
    /// file durably before returning.
    pub(crate) fn record(&mut self, password: &GeneratedPassword) -> Result<(), SecretsFileError> {
        let entry = self.tokens.entry(password.token.to_string()).or_default();
        entry.username.clone_from(&password.username);
        entry.rotations_in_progress.remove(&password.slot);
        let stored = StoredPassword {
            value: password.value.expose().to_owned(),
            expiry: password.expiry,
            creation_time: password.creation_time,
        };
        match password.slot {
            PasswordSlot::Password1 => entry.password1 = Some(stored),
            PasswordSlot::Password2 => entry.password2 = Some(stored),
        }
        self.save()
    }

    fn save(&self) -> Result<(), SecretsFileError> {
        let mut json =
            serde_json::to_vec_pretty(&self.tokens).map_err(|e| self.write_error(e.into()))?;
        json.push(b'\n');
        // `tempfile` creates the file with mode 0600 on Unix.
        let mut temp =
            tempfile::NamedTempFile::new_in(self.directory()).map_err(|e| self.write_error(e))?;
        temp.write_all(&json).map_err(|e| self.write_error(e))?;
        temp.as_file().sync_all().map_err(|e| self.write_error(e))?;
        temp.persist(&self.path)
            .map_err(|e| self.write_error(e.error))?;
        // The rename is durable only once the directory entry is.
        if let Ok(dir) = fs::File::open(self.directory()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Every recorded creation time, as `(token, slot, time)`: what `drift --secrets` compares
    /// live passwords with.
    pub(crate) fn creation_times(
        &self,
    ) -> impl Iterator<Item = (&str, PasswordSlot, DateTime<Utc>)> {
        self.tokens.iter().flat_map(|(token, stored)| {
            [
                (PasswordSlot::Password1, stored.password1.as_ref()),
                (PasswordSlot::Password2, stored.password2.as_ref()),
            ]
            .into_iter()
            .filter_map(move |(slot, p)| Some((token.as_str(), slot, p?.creation_time?)))
        })
    }

    /// The creation time of the newest password recorded for a token slot.
    #[cfg(test)]
    pub fn creation_time(&self, token: &str, slot: PasswordSlot) -> Option<DateTime<Utc>> {
        self.tokens.get(token)?.password(slot)?.creation_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;

    fn password(token: &str, slot: PasswordSlot, value: &str) -> GeneratedPassword {
        GeneratedPassword {
            token: token.parse().unwrap(),
            username: token.to_owned(),
            slot,
            value: Secret::new(value.to_owned()),
            creation_time: Some("2026-01-02T03:04:05Z".parse().unwrap()),
            expiry: None,
        }
    }

    #[test]
    fn one_apply_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let first = SecretsFile::open_exclusive(&path).unwrap();
        let err = SecretsFile::open_exclusive(&path).unwrap_err();
        assert!(
            matches!(&err, SecretsFileError::Locked { lock, .. } if lock.ends_with("secrets.json.lock")),
            "{err}"
        );
        // Reading is not writing: plan and drift may read it meanwhile.
        SecretsFile::open(&path).unwrap();
        drop(first);
        SecretsFile::open_exclusive(&path).unwrap();
    }

    #[test]
    fn merges_and_keeps_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        fs::write(
            &path,
            r#"{"old-token": {"username": "old-token", "password2": {"value": "fake-old"}}}"#,
        )
        .unwrap();
        let mut file = SecretsFile::open(&path).unwrap();
        file.record(&password("new-token", PasswordSlot::Password1, "fake-new"))
            .unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(written["old-token"]["password2"]["value"], "fake-old");
        assert_eq!(written["new-token"]["password1"]["value"], "fake-new");
        assert_eq!(written["new-token"]["username"], "new-token");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            file.creation_time("new-token", PasswordSlot::Password1),
            Some("2026-01-02T03:04:05Z".parse().unwrap())
        );
    }

    #[test]
    fn a_rotation_is_in_progress_from_its_start_until_its_password_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        // A file from before rotations were recorded loads as it is.
        fs::write(
            &path,
            r#"{"ci-push": {"username": "ci-push", "password2": {"value": "fake-old"}}}"#,
        )
        .unwrap();
        let token: TokenName = "ci-push".parse().unwrap();
        let mut file = SecretsFile::open(&path).unwrap();
        assert!(file.interrupted_rotations().is_empty());
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        file.start_rotation(&token, PasswordSlot::Password1, t("2026-01-02T03:04:05.9Z"))
            .unwrap();
        // A second attempt keeps the first start: the first may still have generated one.
        file.start_rotation(&token, PasswordSlot::Password1, t("2026-01-02T03:09:00Z"))
            .unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            written["ci-push"]["rotations_in_progress"],
            serde_json::json!({"password1": {"started": "2026-01-02T03:04:05Z"}})
        );
        assert_eq!(written["ci-push"]["password2"]["value"], "fake-old");
        let reopened = SecretsFile::open(&path).unwrap();
        assert_eq!(
            reopened.interrupted_rotations(),
            [InterruptedRotation {
                token: token.clone(),
                slot: PasswordSlot::Password1,
                started: t("2026-01-02T03:04:05Z"),
                saved_creation_time: None,
            }]
        );
        file.record(&password("ci-push", PasswordSlot::Password1, "fake-new"))
            .unwrap();
        assert!(
            SecretsFile::open(&path)
                .unwrap()
                .interrupted_rotations()
                .is_empty()
        );
        let written = fs::read_to_string(&path).unwrap();
        assert!(!written.contains("rotations_in_progress"), "{written}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn forgetting_a_rotation_that_never_took_effect() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let mut file = SecretsFile::open(&path).unwrap();
        let now = "2026-01-02T03:04:05Z".parse().unwrap();
        for token in ["ci-push", "ci-pull"] {
            file.start_rotation(&token.parse().unwrap(), PasswordSlot::Password2, now)
                .unwrap();
        }
        file.record(&password("ci-pull", PasswordSlot::Password1, "fake-kept"))
            .unwrap();
        let interrupted = file.interrupted_rotations();
        assert_eq!(interrupted.len(), 2);
        file.forget_rotations(&interrupted).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        // An entry made only for the rotation goes with it; a password stays.
        assert_eq!(
            written,
            serde_json::json!({"ci-pull": {"username": "ci-pull", "password1": {
                "value": "fake-kept", "creation_time": "2026-01-02T03:04:05Z"}}})
        );
    }

    #[test]
    fn refuses_a_file_it_would_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        fs::write(&path, "my precious notes").unwrap();
        let err = SecretsFile::open(&path).unwrap_err();
        assert!(
            err.to_string().contains("refusing to overwrite it"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "my precious notes");
    }

    #[test]
    fn refuses_a_missing_directory() {
        let err = SecretsFile::open(Path::new("/nonexistent-dir/secrets.json")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot write secrets file /nonexistent-dir/secrets.json"),
            "{err}"
        );
    }
}
