//! ARM's `provisioningState` of a scope map, token or connected registry. Only `Succeeded` is
//! settled: an object being created, updated or deleted is waited for before scopeform writes
//! to it, and one whose last operation failed is written again.

use std::fmt;

/// Where an object's last operation stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum ProvisioningState {
    #[default]
    Succeeded,
    Creating,
    Updating,
    Deleting,
    Failed,
    Canceled,
}

impl ProvisioningState {
    /// Reads ARM's value; none means settled (the spec marks it read-only, not required). A
    /// value scopeform does not know is an operation under way, never a settled object.
    pub fn from_arm(value: Option<&str>) -> Self {
        let Some(value) = value else {
            return Self::Succeeded;
        };
        [
            Self::Succeeded,
            Self::Creating,
            Self::Updating,
            Self::Deleting,
            Self::Failed,
            Self::Canceled,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(value))
        .unwrap_or(Self::Updating)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "Succeeded",
            Self::Creating => "Creating",
            Self::Updating => "Updating",
            Self::Deleting => "Deleting",
            Self::Failed => "Failed",
            Self::Canceled => "Canceled",
        }
    }

    #[allow(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's `skip_serializing_if` passes a reference"
    )]
    pub fn is_succeeded(&self) -> bool {
        *self == Self::Succeeded
    }

    /// An operation is under way: wait for it before writing.
    pub fn is_busy(self) -> bool {
        matches!(self, Self::Creating | Self::Updating | Self::Deleting)
    }

    /// The last operation did not succeed: the object is written again.
    pub fn is_failed(self) -> bool {
        matches!(self, Self::Failed | Self::Canceled)
    }
}

impl fmt::Display for ProvisioningState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arm_values() {
        assert_eq!(
            ProvisioningState::from_arm(None),
            ProvisioningState::Succeeded
        );
        assert_eq!(
            ProvisioningState::from_arm(Some("creating")),
            ProvisioningState::Creating
        );
        assert_eq!(
            ProvisioningState::from_arm(Some("Failed")),
            ProvisioningState::Failed
        );
        // Unknown: never settled.
        let unknown = ProvisioningState::from_arm(Some("Accepted"));
        assert!(unknown.is_busy());
        assert!(!ProvisioningState::Succeeded.is_busy());
        assert!(ProvisioningState::Canceled.is_failed());
    }
}
