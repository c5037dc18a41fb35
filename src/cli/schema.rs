//! `scopeform schema`: the JSON Schema of the YAML configuration (or, with `--workspace`, of
//! the workspace file).

use std::io::Write;

use super::{CommandError, Context, Outcome};
use crate::config::schema;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Print the schema of the workspace file (scopeform.workspace.yaml) instead.
    #[arg(long)]
    workspace: bool,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let schema = if args.workspace {
        schema::workspace_json_schema()
    } else {
        schema::json_schema()
    };
    ctx.stdout().write_all(schema.as_bytes())?;
    Ok(Outcome::Success)
}
