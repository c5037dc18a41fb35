//! The live registry behind one interface, with two backends (DESIGN §5): Azure Resource
//! Manager, and a snapshot file. `read` returns the whole registry; `write` performs one
//! `WriteOp` and follows it to completion.

pub mod arm;
mod backend;
mod credentials;
mod error;
mod file_lock;
pub mod key_vault;
mod snapshot;
mod write_slot;

pub use backend::{ArmSettings, Backend, LiveBackend, connect_arm};
pub use credentials::{CredentialSettings, TokenSource};
pub use error::{LiveError, MAX_CODE_CHARS, MAX_MESSAGE_CHARS, bounded};
pub use file_lock::{FileLock, FileLockError, lock_beside};
pub use snapshot::{
    SnapshotBackend, SnapshotError, parse_snapshot, snapshot_json, write_atomically, write_snapshot,
};
pub use write_slot::WriteSlot;
