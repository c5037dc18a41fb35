//! One planned change: what it is about, what it does, the one write that does it, and the
//! changes that must succeed first.

use super::{Address, ChangeKind, ObjectState, Origin};
use crate::model::{ProvisioningState, WriteOp};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub address: Address,
    pub kind: ChangeKind,
    pub origin: Origin,
    /// The managed fields as the registry holds them; `None` for a create.
    pub before: Option<ObjectState>,
    /// The managed fields once the plan is applied; `None` for a delete.
    pub after: Option<ObjectState>,
    /// Why, when the address and kind alone don't say (a delete of an undeclared object, a
    /// sync token disabled instead of deleted, the reason for a rotation).
    pub note: Option<String>,
    pub op: WriteOp,
    /// The object's `provisioningState` when it has not settled (`Failed`, `Updating`, …): the
    /// write then also sets fields that `before` and `after` show unchanged, since what the
    /// registry ends up with is known only once it settles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsettled: Option<ProvisioningState>,
    /// Indices into `Plan::changes` of the changes that must succeed before this one; always
    /// smaller than this change's own index.
    pub depends_on: Vec<usize>,
}

impl Change {
    /// Whether a reviewer must look twice: it removes an object (disable, delete), replaces a
    /// live password (whoever uses it must get the new one), or switches the admin user off
    /// (its credentials stop working).
    pub fn is_destructive(&self) -> bool {
        self.kind.is_destructive()
            || matches!(
                (self.kind, &self.before, &self.after),
                (ChangeKind::Rotate, Some(_), _)
                    | (
                        ChangeKind::Update,
                        Some(ObjectState::AdminUser { enabled: true }),
                        Some(ObjectState::AdminUser { enabled: false }),
                    )
            )
    }
}
