//! One writer at a time for a file that is replaced by renaming (a snapshot, a secrets file):
//! an exclusive advisory lock on `FILE.lock` beside it. The lock file is created 0600 and left
//! in place, empty: removing it would race with the next writer taking it. The lock goes when
//! the returned handle is dropped, or the process exits.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A held lock, or none where the file system has no locks.
#[derive(Debug)]
pub(crate) struct FileLock {
    _file: Option<fs::File>,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileLockError {
    #[error("another process holds {}", .lock.display())]
    Held { lock: PathBuf },
    #[error(
        "{} is a symbolic link (or not a regular file); refusing to follow it: remove it",
        .lock.display()
    )]
    NotAFile { lock: PathBuf },
    #[error("cannot lock {}: {source}", .lock.display())]
    Io { lock: PathBuf, source: io::Error },
}

impl FileLockError {
    /// The lock file it is about.
    #[cfg(test)]
    pub fn lock_path(&self) -> &Path {
        match self {
            Self::Held { lock } | Self::NotAFile { lock } | Self::Io { lock, .. } => lock,
        }
    }
}

/// Takes the lock of `path` (on `path.lock`) without waiting.
pub(crate) fn lock_beside(path: &Path) -> Result<FileLock, FileLockError> {
    let mut lock = path.as_os_str().to_owned();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let mut options = fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    // A link planted at FILE.lock would make scopeform create or lock a file of the planter's
    // choosing: the lock file is never opened through one (nor a FIFO opened and waited on).
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(&lock) {
        Ok(file) => file,
        Err(_) if fs::symlink_metadata(&lock).is_ok_and(|m| m.file_type().is_symlink()) => {
            return Err(FileLockError::NotAFile { lock });
        }
        Err(source) => return Err(FileLockError::Io { lock, source }),
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(FileLockError::NotAFile { lock });
    }
    match file.try_lock() {
        Ok(()) => Ok(FileLock { _file: Some(file) }),
        Err(fs::TryLockError::WouldBlock) => Err(FileLockError::Held { lock }),
        // A file system without locks: nothing to hold.
        Err(fs::TryLockError::Error(err)) if err.kind() == io::ErrorKind::Unsupported => {
            Ok(FileLock { _file: None })
        }
        Err(fs::TryLockError::Error(source)) => Err(FileLockError::Io { lock, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.json");
        let held = lock_beside(&path).unwrap();
        let err = lock_beside(&path).unwrap_err();
        assert!(matches!(&err, FileLockError::Held { .. }), "{err}");
        assert!(err.lock_path().ends_with("live.json.lock"));
        drop(held);
        lock_beside(&path).unwrap();
        assert_eq!(
            fs::metadata(dir.path().join("live.json.lock"))
                .unwrap()
                .len(),
            0
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, dir.path().join("secrets.json.lock")).unwrap();
        let err = lock_beside(&path).unwrap_err();
        assert!(matches!(&err, FileLockError::NotAFile { .. }), "{err}");
        assert!(!target.exists());
        // A dangling link to an existing file is not followed either.
        std::fs::write(&target, "").unwrap();
        assert!(matches!(
            lock_beside(&path).unwrap_err(),
            FileLockError::NotAFile { .. }
        ));
    }
}
