//! `scopeform show PLANFILE`: print a saved plan without touching the registry.
//!
//! The file is read with every check `apply --plan` makes (its checksum, each write against its
//! change), so what a reviewer reads here is what apply would carry out.

use std::io;
use std::path::{Path, PathBuf};

use super::{CommandError, Context, Outcome, OutputFormat, plan::print};
use crate::plan;
use crate::plan::saved::{SavedPlan, SavedPlanError};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// A plan saved with `scopeform plan --out FILE`.
    #[arg(value_name = "PLANFILE")]
    plan: PathBuf,
    /// How to print the plan: text, json or markdown (for a PR comment).
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let path = &args.plan;
    let mut saved = read_plan_file(path)?;
    // A plan of a snapshot writes no vault.
    if matches!(saved.backend, crate::model::BackendLocation::Arm { .. }) {
        saved.plan.set_passwords_to(saved.secrets.as_ref());
    }
    print(&saved.plan, args.format, ctx)?;
    Ok(Outcome::Success)
}

/// Why a saved plan file could not be used: it could not be opened, or what it holds is not a
/// plan `apply` would carry out.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PlanFileError {
    #[error("cannot read plan {}: {source}", .path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{}: {source}", .path.display())]
    Invalid {
        path: PathBuf,
        source: SavedPlanError,
    },
}

/// Reads the saved plan at `path` with every check `saved::read` makes.
pub(super) fn read_plan_file(path: &Path) -> Result<SavedPlan, PlanFileError> {
    let file = std::fs::File::open(path).map_err(|source| PlanFileError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    plan::saved::read(&mut io::BufReader::new(file)).map_err(|source| PlanFileError::Invalid {
        path: path.to_path_buf(),
        source,
    })
}
