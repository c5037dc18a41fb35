//! The live registry behind one interface, with two backends (DESIGN §5): Azure Resource
//! Manager, and a snapshot file. `read` returns the whole registry; `write` performs one
//! `WriteOp` and follows it to completion.

pub(crate) mod arm;
mod backend;
mod credentials;
mod error;
mod file_lock;
mod http;
pub(crate) mod key_vault;
mod snapshot;
mod write_slot;

pub(crate) use backend::{ArmSettings, Backend, LiveBackend, connect_arm};
pub(crate) use credentials::{CredentialSettings, TokenSource};
pub(crate) use error::{LiveError, MAX_CODE_CHARS, MAX_MESSAGE_CHARS, bounded};
pub(crate) use file_lock::{FileLock, FileLockError, lock_beside};
pub use snapshot::parse_snapshot;
pub(crate) use snapshot::{
    SnapshotBackend, SnapshotError, snapshot_json, write_atomically, write_snapshot,
};
pub(crate) use write_slot::WriteSlot;
