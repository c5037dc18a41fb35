//! `scopeform export [--format yaml|hcl] [--out FILE]`: a configuration that reproduces the
//! live registry.

use std::io::Write;
use std::path::PathBuf;

use super::LiveArgs;
use super::load::runtime;
use super::{CommandError, Context, Outcome};
use crate::export::{ExportFormat, export};
use crate::live::{Backend, write_atomically};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum Format {
    #[default]
    Yaml,
    Hcl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The configuration language.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    format: Format,
    /// Where to write the configuration; standard output when omitted.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
}

pub fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let backend = args.live.backend(None, ctx)?;
    let live = runtime()?.block_on(backend.read())?;
    let format = match args.format {
        Format::Yaml => ExportFormat::Yaml,
        Format::Hcl => ExportFormat::Hcl,
    };
    let exported = export(&live, format);
    {
        let mut stderr = ctx.stderr();
        let warning = ctx.styles().warning;
        for message in &exported.warnings {
            writeln!(stderr, "{warning}warning{warning:#}: {message}")?;
        }
    }
    match &args.out {
        Some(path) if path.as_os_str() != "-" => write_atomically(path, exported.text.as_bytes())?,
        _ => ctx.stdout().write_all(exported.text.as_bytes())?,
    }
    Ok(Outcome::Success)
}
