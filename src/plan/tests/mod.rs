//! Tests of `diff`: one table per rule of DESIGN §4, ordering invariants, and properties over
//! random registries.

pub(crate) mod fixtures;

mod diff_rules;
mod ordering;
mod properties;
mod removed;
mod rotation_in_turns;
mod saved_plans;
mod targeting;
mod unsettled;
