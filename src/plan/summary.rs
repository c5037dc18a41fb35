//! How many changes of each kind a plan holds, and the summary line that says so.

use std::fmt;

use super::{Change, ChangeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub disable: usize,
    pub delete: usize,
    pub rotate: usize,
}

impl Summary {
    pub fn of(changes: &[Change]) -> Self {
        let mut summary = Self::default();
        for change in changes {
            *summary.count_mut(change.kind) += 1;
        }
        summary
    }

    pub fn count(&self, kind: ChangeKind) -> usize {
        match kind {
            ChangeKind::Create => self.create,
            ChangeKind::Update => self.update,
            ChangeKind::Disable => self.disable,
            ChangeKind::Delete => self.delete,
            ChangeKind::Rotate => self.rotate,
        }
    }

    fn count_mut(&mut self, kind: ChangeKind) -> &mut usize {
        match kind {
            ChangeKind::Create => &mut self.create,
            ChangeKind::Update => &mut self.update,
            ChangeKind::Disable => &mut self.disable,
            ChangeKind::Delete => &mut self.delete,
            ChangeKind::Rotate => &mut self.rotate,
        }
    }

    pub fn total(&self) -> usize {
        ChangeKind::ALL.iter().map(|&k| self.count(k)).sum()
    }
}

/// The exact summary line: `Plan: 2 to create, 1 to update, 0 to disable, 0 to delete, 1 to
/// rotate.` Like Terraform's, it is a public interface: CI scripts grep for it.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Plan: {} to create, {} to update, {} to disable, {} to delete, {} to rotate.",
            self.create, self.update, self.disable, self.delete, self.rotate
        )
    }
}
