//! `scopeform snapshot --out FILE`: the live registry's state as a snapshot file (DESIGN §5).

use std::io::Write;
use std::path::PathBuf;

use super::LiveArgs;
use super::load::runtime;
use super::{CommandError, Context, Outcome};
use crate::live::{Backend, snapshot_json, write_snapshot};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the snapshot; `-` for standard output.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    live: LiveArgs,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let backend = args.live.backend(None, ctx)?;
    let live = runtime()?.block_on(backend.read())?;
    if args.out.as_os_str() == "-" {
        ctx.stdout().write_all(&snapshot_json(&live))?;
    } else {
        write_snapshot(&args.out, &live)?;
        if ctx.verbose {
            eprintln!(
                "wrote {} ({} scope maps, {} tokens, {} connected registries) from {}",
                args.out.display(),
                live.scope_maps.len(),
                live.tokens.len(),
                live.connected_registries.len(),
                backend.describe()
            );
        }
    }
    Ok(Outcome::Success)
}
