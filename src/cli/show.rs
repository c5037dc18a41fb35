//! `scopeform show PLANFILE`: print a saved plan without touching the registry.
//!
//! The file is read with every check `apply --plan` makes (its checksum, each write against its
//! change), so what a reviewer reads here is what apply would carry out.

use std::io;
use std::path::PathBuf;

use super::{CommandError, Context, Outcome, OutputFormat, plan::print};
use crate::plan;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A plan saved with `scopeform plan --out FILE`.
    #[arg(value_name = "PLANFILE")]
    plan: PathBuf,
    /// How to print the plan: text, json or markdown (for a PR comment).
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let path = &args.plan;
    let file = std::fs::File::open(path)
        .map_err(|e| CommandError::new(format!("cannot read plan {}: {e}", path.display())))?;
    let saved = plan::saved::read(&mut io::BufReader::new(file))
        .map_err(|e| CommandError::new(format!("{}: {e}", path.display())))?;
    print(&saved.plan, args.format, ctx)?;
    Ok(Outcome::Success)
}
