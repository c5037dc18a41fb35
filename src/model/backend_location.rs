//! Where a registry's state is read and written: a snapshot file or an ARM endpoint.

use std::fmt;
use std::path::PathBuf;

/// Recorded in a saved plan, so the plan is applied where it was made: a plan made against a
/// snapshot is not carried out on the live registry, nor one made against the emulator on
/// Azure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackendLocation {
    /// A snapshot file, by its absolute path where it could be resolved.
    Snapshot { path: PathBuf },
    /// An ARM endpoint's base URL, such as `https://management.azure.com/`.
    Arm { endpoint: String },
}

impl fmt::Display for BackendLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Snapshot { path } => write!(f, "the snapshot {}", path.display()),
            Self::Arm { endpoint } => write!(f, "the live registry at {endpoint}"),
        }
    }
}
