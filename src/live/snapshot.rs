//! The snapshot backend (DESIGN §5): a registry's state as a JSON file. Reads are one parse;
//! writes go through `Live::apply`, exactly as the service would do them, and the file is
//! replaced atomically (temporary file in the same directory, fsync, rename).

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::LiveError;
use super::file_lock::{FileLock, FileLockError, lock_beside};
use crate::model::{
    ConnectedRegistryName, GeneratedPassword, Live, LiveConnectedRegistry, LiveRegistry,
    LiveScopeMap, LiveToken, ScopeMapName, Secret, TokenName, WriteOp,
};

/// The `format_version` this scopeform reads and writes.
pub(super) const FORMAT_VERSION: &str = "1";

/// Why a snapshot file cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read snapshot {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: snapshot format_version {found} is not supported; this scopeform reads format_version \"{FORMAT_VERSION}\"", .path.display())]
    Version { path: PathBuf, found: String },
    #[error("{}: {message}", .path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write snapshot {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("snapshot {} is in use by another `scopeform apply` (it holds {}); run one apply at a time against a snapshot", .path.display(), .lock.display())]
    Locked { path: PathBuf, lock: PathBuf },
}

/// A key the format does not have is refused (with its place), not ignored: in a snapshot
/// edited by hand, a misspelt `scope_map` or `status` would otherwise silently read as absent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotFile {
    format_version: String,
    registry: LiveRegistry,
    #[serde(default)]
    scope_maps: ByName<LiveScopeMap>,
    #[serde(default)]
    tokens: ByName<LiveToken>,
    #[serde(default)]
    connected_registries: ByName<LiveConnectedRegistry>,
}

/// An object of a snapshot's lists, which are keyed by its name.
trait Named {
    type Name: Ord + Clone + std::fmt::Display;
    /// The kind of object, as said in messages.
    const KIND: &'static str;
    fn name(&self) -> &Self::Name;
}

impl Named for LiveScopeMap {
    type Name = ScopeMapName;
    const KIND: &'static str = ScopeMapName::KIND;
    fn name(&self) -> &ScopeMapName {
        &self.name
    }
}

impl Named for LiveToken {
    type Name = TokenName;
    const KIND: &'static str = TokenName::KIND;
    fn name(&self) -> &TokenName {
        &self.name
    }
}

impl Named for LiveConnectedRegistry {
    type Name = ConnectedRegistryName;
    const KIND: &'static str = ConnectedRegistryName::KIND;
    fn name(&self) -> &ConnectedRegistryName {
        &self.name
    }
}

/// A list of the file, each object beside its name, in the order written: the pairs a
/// `BTreeMap` is built from, made as the list is read rather than copied from a list of
/// objects afterwards (50,000 scope maps at Premium scale).
struct ByName<V: Named>(Vec<(V::Name, V)>);

impl<V: Named> Default for ByName<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, V: Named + Deserialize<'de>> Deserialize<'de> for ByName<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Named + Deserialize<'de>> serde::de::Visitor<'de> for Visitor<V> {
            type Value = ByName<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // What serde says of a `Vec`, so that messages stay as they were.
                f.write_str("a sequence")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ByName<V>, A::Error> {
                let mut objects = Vec::new();
                while let Some(object) = seq.next_element::<V>()? {
                    objects.push((object.name().clone(), object));
                }
                Ok(ByName(objects))
            }
        }
        deserializer.deserialize_seq(Visitor(std::marker::PhantomData))
    }
}

#[derive(Serialize)]
struct SnapshotFileRef<'a> {
    format_version: &'a str,
    registry: &'a LiveRegistry,
    scope_maps: Vec<&'a LiveScopeMap>,
    tokens: Vec<&'a LiveToken>,
    connected_registries: Vec<&'a LiveConnectedRegistry>,
}

/// Only the version, to explain a file that does not parse as version 1.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
}

/// Parses a snapshot; `path` is for messages.
pub fn parse_snapshot(bytes: &[u8], path: &Path) -> Result<Live, SnapshotError> {
    keyed(parsed(bytes, path)?, path)
}

/// The file as written, its version checked.
fn parsed(bytes: &[u8], path: &Path) -> Result<SnapshotFile, SnapshotError> {
    let file: SnapshotFile = match serde_json::from_slice(bytes) {
        Ok(file) => file,
        Err(e) => {
            // A file of another version may fail for reasons its version explains better.
            if let Ok(VersionProbe {
                format_version: Some(found),
            }) = serde_json::from_slice(bytes)
                && found != serde_json::Value::String(FORMAT_VERSION.to_owned())
            {
                return Err(SnapshotError::Version {
                    path: path.to_owned(),
                    found: found.to_string(),
                });
            }
            return Err(SnapshotError::Malformed {
                path: path.to_owned(),
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            });
        }
    };
    if file.format_version != FORMAT_VERSION {
        return Err(SnapshotError::Version {
            path: path.to_owned(),
            found: format!("\"{}\"", file.format_version),
        });
    }
    Ok(file)
}

/// The file's objects keyed by name; a name written twice is an error.
fn keyed(file: SnapshotFile, path: &Path) -> Result<Live, SnapshotError> {
    let invalid = |message: String| SnapshotError::Invalid {
        path: path.to_owned(),
        message,
    };
    Ok(Live {
        registry: file.registry,
        scope_maps: by_name(file.scope_maps).map_err(invalid)?,
        tokens: by_name(file.tokens).map_err(invalid)?,
        connected_registries: by_name(file.connected_registries).map_err(invalid)?,
    })
}

/// `objects` keyed by name, or which name appears twice. Built in one step from the pairs in
/// order: a snapshot is written sorted (checked in one pass, and sorted here if it is not),
/// and 100,000 inserts one by one spent most of their time comparing names on the way down
/// the tree.
fn by_name<V: Named>(
    ByName(mut objects): ByName<V>,
) -> Result<std::collections::BTreeMap<V::Name, V>, String> {
    if !objects.is_sorted_by(|a, b| a.0 < b.0) {
        objects.sort_by(|a, b| a.0.cmp(&b.0));
        let twice = objects.windows(2).find_map(|pair| match pair {
            [a, b] if a.0 == b.0 => Some(&a.0),
            _ => None,
        });
        if let Some(twice) = twice {
            return Err(format!("{} `{twice}` appears twice", V::KIND));
        }
    }
    // In place: the pairs are moved into the tree's nodes, not copied into another list first.
    Ok(objects.into_iter().collect())
}

/// serde_json ends messages with " at line L column C"; the path prefix says it already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Reads a snapshot file. A regular file is parsed as it is read, a piece at a time
/// (`reader`): at Premium scale the text is 55 MB, and holding it whole cost that much fresh
/// memory, and the time to fault it in, for nothing. A file that reader does not take (one it
/// finds wrong, or written in a way it does not follow) is read again whole and parsed as
/// before, which says exactly what is wrong with it.
pub(super) fn read_snapshot(path: &Path) -> Result<Live, SnapshotError> {
    let unreadable = |source| SnapshotError::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    // A pipe (`--state <(…)`) cannot be read a second time: it is read whole at once.
    if metadata.is_file() {
        if let Some(read) = reader::read(&mut file, reader::PIECE).map_err(unreadable)? {
            return keyed(read, path);
        }
        file.rewind().map_err(unreadable)?;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    let file = parsed(&bytes, path)?;
    // The text is not needed once parsed.
    drop(bytes);
    keyed(file, path)
}

/// The snapshot JSON of `live`: pretty, objects sorted by name, ending in a newline.
pub(crate) fn snapshot_json(live: &Live) -> Vec<u8> {
    let file = SnapshotFileRef {
        format_version: FORMAT_VERSION,
        registry: &live.registry,
        scope_maps: live.scope_maps.values().collect(),
        tokens: live.tokens.values().collect(),
        connected_registries: live.connected_registries.values().collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Replaces `path` with `bytes` atomically: a reader sees the old file or the new one, and
/// after a crash the file is one or the other.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SnapshotError> {
    let error = |source| SnapshotError::Write {
        path: path.to_owned(),
        source,
    };
    // A device, a pipe or a terminal (`--out /dev/stdout`) is written to as it is: a file
    // renamed over `/dev/null` would replace the device itself.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(error);
    }
    // Through a symbolic link, the file it names is replaced and the link stays.
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
    temp.write_all(bytes).map_err(error)?;
    temp.as_file().sync_all().map_err(error)?;
    temp.persist(path).map_err(|e| error(e.error))?;
    // The rename itself is durable once the directory is synced (not possible everywhere).
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Writes `live` to `path` as a snapshot, atomically.
pub(crate) fn write_snapshot(path: &Path, live: &Live) -> Result<(), SnapshotError> {
    write_atomically(path, &snapshot_json(live))
}

/// A random password value: 44 URL-safe characters (264 bits), like the service's.
pub(super) fn random_password() -> Secret {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let value: String = (0..44)
        .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
        .collect();
    Secret::new(value)
}

/// A registry kept in a snapshot file. Writes apply in memory and are persisted before they
/// return; concurrent writes share one file write where they can.
#[derive(Debug)]
pub(crate) struct SnapshotBackend {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    path: PathBuf,
    /// Held by a backend opened for writes: one apply at a time writes the file.
    _lock: Option<FileLock>,
    state: Mutex<Live>,
    /// Bumped by every applied write.
    generation: AtomicU64,
    /// The generation last written to the file.
    persisted: Mutex<u64>,
}

impl SnapshotBackend {
    /// Opens (reads) the snapshot at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, SnapshotError> {
        let live = read_snapshot(path)?;
        Ok(Self::with_state(path, live))
    }

    /// Opens the snapshot at `path` to write to it: its lock (`path.lock`) is taken before it
    /// is read and held until the backend is dropped, so that a second apply is refused
    /// rather than write back the state it read before the first one's writes.
    pub(crate) fn open_for_writes(path: &Path) -> Result<Self, SnapshotError> {
        let lock = lock_beside(path).map_err(|err| match err {
            FileLockError::Held { lock } => SnapshotError::Locked {
                path: path.to_owned(),
                lock,
            },
            FileLockError::Io { source, .. } => SnapshotError::Write {
                path: path.to_owned(),
                source,
            },
            not_a_file @ FileLockError::NotAFile { .. } => SnapshotError::Write {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    not_a_file.to_string(),
                ),
            },
        })?;
        let live = read_snapshot(path)?;
        Ok(Self::new(path, live, Some(lock)))
    }

    /// A backend over `live` that persists to `path`.
    pub(crate) fn with_state(path: &Path, live: Live) -> Self {
        Self::new(path, live, None)
    }

    fn new(path: &Path, live: Live, lock: Option<FileLock>) -> Self {
        Self {
            shared: Arc::new(Shared {
                path: path.to_owned(),
                _lock: lock,
                state: Mutex::new(live),
                generation: AtomicU64::new(0),
                persisted: Mutex::new(0),
            }),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.shared.path
    }

    /// The registry as it stands, writes included, without a copy (unless a write is still
    /// being persisted, which a caller that awaited its writes never sees).
    pub(crate) fn into_state(self) -> Live {
        match Arc::try_unwrap(self.shared) {
            Ok(shared) => shared
                .state
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            Err(shared) => shared.lock().clone(),
        }
    }

    /// The registry as it stands, writes included.
    pub(crate) fn read(&self) -> Live {
        self.shared.lock().clone()
    }

    /// One token as it stands, writes included.
    pub(crate) fn read_token(&self, name: &TokenName) -> Option<LiveToken> {
        self.shared.lock().tokens.get(name).cloned()
    }

    /// Performs `op` at `now` and persists the file, on this thread (tests fix `now`; the
    /// `Backend` writes through `write_now`).
    #[cfg(test)]
    pub fn write_at(
        &self,
        op: &WriteOp,
        now: DateTime<Utc>,
    ) -> Result<Option<GeneratedPassword>, LiveError> {
        let (mine, generated) = self.shared.apply(op, now)?;
        self.shared.persist_up_to(mine)?;
        Ok(generated)
    }

    /// `write_at`, persisting on tokio's blocking pool: writes in flight meanwhile apply in
    /// memory, and the next file write takes them all. Run on the runtime's workers, each
    /// write of a Premium-sized file (55 MB, ~0.2 s) took a worker, and an apply of 461 changes
    /// wrote the file some 240 times.
    pub(crate) async fn write_now(
        &self,
        op: &WriteOp,
    ) -> Result<Option<GeneratedPassword>, LiveError> {
        let (mine, generated) = self.shared.apply(op, Utc::now())?;
        let shared = Arc::clone(&self.shared);
        match tokio::task::spawn_blocking(move || shared.persist_up_to(mine)).await {
            Ok(persisted) => persisted?,
            Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Err(join) => {
                return Err(SnapshotError::Write {
                    path: self.shared.path.clone(),
                    source: std::io::Error::other(join.to_string()),
                }
                .into());
            }
        }
        Ok(generated)
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Live> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Performs `op` in memory; the generation that includes it, and the password it made.
    fn apply(
        &self,
        op: &WriteOp,
        now: DateTime<Utc>,
    ) -> Result<(u64, Option<GeneratedPassword>), LiveError> {
        let mut live = self.lock();
        live.apply(op, now)?;
        let generated = op.generated_password(random_password, Some(now));
        Ok((
            self.generation.fetch_add(1, Ordering::SeqCst) + 1,
            generated,
        ))
    }

    /// Writes the file unless a later write already wrote a state that includes `generation`.
    fn persist_up_to(&self, generation: u64) -> Result<(), SnapshotError> {
        let mut persisted = self
            .persisted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *persisted >= generation {
            return Ok(());
        }
        let (bytes, current) = {
            let live = self.lock();
            (snapshot_json(&live), self.generation.load(Ordering::SeqCst))
        };
        write_atomically(&self.path, &bytes)?;
        *persisted = current;
        Ok(())
    }
}

#[path = "snapshot_reader.rs"]
mod reader;

#[cfg(test)]
#[path = "snapshot_tests.rs"]
mod tests;
