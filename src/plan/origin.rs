//! Why a change is in the plan: the configuration changed, the registry drifted, or both.

use std::fmt;

/// Only `plan --base REV` can tell drift from configuration changes; without it every change
/// is `Config`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Config,
    Drift,
    Both,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Config => "config",
            Self::Drift => "drift",
            Self::Both => "both",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Marks where each change of `plan` comes from, given `base`: the plan of the same live
/// registry (at the same `now`) against the configuration at the base revision.
///
/// - `Config`: `base` has no change at that address. Against the old configuration the
///   registry was right there, so the change comes from editing the configuration.
/// - `Drift`: `base` makes the very same write at that address. The configuration did not
///   change there; the registry moved away from it.
/// - `Both`: `base` changes the address too, but differently (another kind or another write):
///   the registry drifted there *and* the configuration changed there.
///
/// Changes only `base` would make (drift the configuration change happens to absorb) appear in
/// no plan: applying leaves nothing to do for them.
pub(crate) fn mark_origins(plan: &mut super::Plan, base: &super::Plan) {
    let base_changes: std::collections::HashMap<&super::Address, &super::Change> =
        base.changes.iter().map(|c| (&c.address, c)).collect();
    for change in &mut plan.changes {
        change.origin = match base_changes.get(&change.address) {
            None => Origin::Config,
            Some(old) if old.kind == change.kind && old.op == change.op => Origin::Drift,
            Some(_) => Origin::Both,
        };
    }
}
