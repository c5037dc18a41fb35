//! `scopeform export [PATH…] [--format yaml|hcl] [--out FILE]`: a configuration that
//! reproduces the live registry. The configuration at PATH (or in the current directory) gives
//! the registry's coordinates, as for every other command; flags override them.

use std::io::Write;
use std::path::PathBuf;

use super::LiveArgs;
use super::load::{self, runtime};
use super::{CommandError, Context, Outcome};
use crate::export::{ExportFormat, export, export_only};
use crate::live::{Backend, write_atomically};
use crate::plan::Address;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum Format {
    #[default]
    Yaml,
    Hcl,
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Configuration directories and files that name the registry (default: the current
    /// directory, when it holds configuration files).
    paths: Vec<PathBuf>,
    /// The configuration language.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    format: Format,
    /// Export only these live objects (repeatable), to adopt them one by one: `token.NAME`
    /// (with its scope map), `scope_map.NAME`, `connected_registry.NAME`, or
    /// `registry.admin_user` for the registry block.
    #[arg(long, value_name = "ADDRESS", num_args = 1..)]
    only: Vec<String>,
    /// Where to write the configuration; standard output when omitted.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    live: LiveArgs,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let desired = load::coordinates(&args.paths, &args.live, ctx)?;
    let backend = args.live.backend(desired.as_ref(), ctx)?;
    let live = runtime()?.block_on(backend.read())?;
    let format = match args.format {
        Format::Yaml => ExportFormat::Yaml,
        Format::Hcl => ExportFormat::Hcl,
    };
    let exported = if args.only.is_empty() {
        export(&live, format)
    } else {
        let only = args
            .only
            .iter()
            .map(|a| a.parse::<Address>())
            .collect::<Result<Vec<_>, _>>()?;
        export_only(&live, &only, format).map_err(|missing| {
            let names: Vec<String> = live
                .tokens
                .keys()
                .map(|t| format!("token.{t}"))
                .chain(live.scope_maps.keys().map(|m| format!("scope_map.{m}")))
                .collect();
            let error =
                CommandError::usage(format!("--only {missing}: no such object in the registry"));
            match crate::diagnostic::did_you_mean(
                &missing.to_string(),
                names.iter().map(String::as_str),
            ) {
                Some(hint) => error.with_hint(hint),
                None => error,
            }
        })?
    };
    {
        let mut stderr = ctx.stderr();
        let warning = Context::styles().warning;
        for message in &exported.warnings {
            let message = crate::render::untrusted::terminal(message);
            writeln!(stderr, "{warning}warning{warning:#}: {message}")?;
        }
    }
    match &args.out {
        Some(path) if path.as_os_str() != "-" => write_atomically(path, exported.text.as_bytes())?,
        _ => ctx.stdout().write_all(exported.text.as_bytes())?,
    }
    Ok(Outcome::Success)
}
