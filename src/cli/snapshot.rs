//! `scopeform snapshot [PATH…] --out FILE`: the live registry's state as a snapshot file
//! (DESIGN §5). The configuration at PATH (or in the current directory) gives the registry's
//! coordinates, as for every other command; flags override them.

use std::io::Write;
use std::path::PathBuf;

use super::LiveArgs;
use super::load::{self, runtime};
use super::{CommandError, Context, Outcome};
use crate::live::{Backend, snapshot_json, write_snapshot};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Configuration directories and files that name the registry (default: the current
    /// directory, when it holds configuration files).
    paths: Vec<PathBuf>,
    /// Where to write the snapshot; `-` for standard output.
    #[arg(long, short, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    live: LiveArgs,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let desired = load::coordinates(&args.paths, &args.live, ctx)?;
    let backend = args.live.backend(desired.as_ref(), ctx)?;
    let live = runtime()?.block_on(backend.read())?;
    if args.out.as_os_str() == "-" {
        ctx.stdout().write_all(&snapshot_json(&live))?;
    } else {
        write_snapshot(&args.out, &live)?;
        if ctx.verbose {
            ctx.progress(&format!(
                "wrote {} ({} scope maps, {} tokens, {} connected registries) from {}",
                args.out.display(),
                live.scope_maps.len(),
                live.tokens.len(),
                live.connected_registries.len(),
                backend.describe()
            ));
        }
    }
    Ok(Outcome::Success)
}
