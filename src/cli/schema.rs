//! `scopeform schema`: the JSON Schema of the YAML configuration.

use std::io::Write;

use super::{CommandError, Context, Outcome};
use crate::config::schema;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    ctx.stdout().write_all(schema::json_schema().as_bytes())?;
    Ok(Outcome::Success)
}
