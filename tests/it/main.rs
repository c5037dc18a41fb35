//! The integration tests, one binary (linking one binary per file was most of the test build).

mod cli_drift;
mod cli_explain;
mod cli_fmt;
mod cli_git;
mod cli_plan_apply;
mod cli_removed;
mod cli_snapshot_export;
mod cli_validate;
mod cli_workspace;
mod concurrent_applies;
mod drift_after_apply;
mod faults;
mod hostile_arm;
mod hostile_files;
mod interrupted_rotations;
mod invalid_inputs;
mod key_vault_delivery;
mod output_boundary;
mod password_turns;
mod readme;
mod real_azure;
mod release_files;
mod rotation_year;
mod secrets_hygiene;
mod support;
