//! What a change does to its object (DESIGN §4): `create`, `update`, `disable`, `delete` or
//! `rotate`. Not to be confused with a scope map's actions (`ScopeAction`).

use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Create,
    Update,
    /// A token is set to `disabled`: it keeps its scope map and passwords but grants nothing.
    Disable,
    Delete,
    /// A password slot gets a new value; whoever uses the old one is locked out.
    Rotate,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        Self::Create,
        Self::Update,
        Self::Disable,
        Self::Delete,
        Self::Rotate,
    ];

    /// The word of the JSON output and the summary line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Disable => "disable",
            Self::Delete => "delete",
            Self::Rotate => "rotate",
        }
    }

    /// Whether a reviewer must look twice: it removes an object or someone's access.
    pub fn is_destructive(self) -> bool {
        matches!(self, Self::Disable | Self::Delete)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
