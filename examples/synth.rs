//! Writes a large synthetic configuration and a matching snapshot, for benchmarks.
//!
//! `cargo run --release -p scopeform --example synth -- --tokens 50000 --scope-maps 50000
//! --rules 10 --drift 1 --out /tmp/premium` writes `config.yaml`, `config.hcl` and `live.json`:
//! a snapshot that matches the configuration except for about `--drift` percent of objects
//! (changed actions, disabled tokens, extra tokens, missing scope maps). Deterministic per `--seed`.

// Shared with the criterion benches; a file, not a directory of `examples/`, whose every
// directory is a configuration example.
#[path = "../benches/support/synthetic.rs"]
mod registry;

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use registry::Spec;

struct Options {
    spec: Spec,
    out: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        spec: Spec::default(),
        out: PathBuf::from("synth-out"),
    };
    let spec = &mut options.spec;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--tokens" => spec.tokens = number()?,
            "--scope-maps" => spec.scope_maps = number()?.max(1),
            "--rules" => spec.rules = number()?.clamp(1, 100),
            "--drift" => {
                spec.drift_percent = value.parse().map_err(|e| format!("{flag}: {e}"))?;
            }
            "--seed" => spec.seed = value.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--out" => options.out = PathBuf::from(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(64);
        }
    };
    match write(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn write(options: &Options) -> std::io::Result<()> {
    let spec = &options.spec;
    let synthetic = registry::generate(spec);
    fs::create_dir_all(&options.out)?;
    fs::write(options.out.join("config.yaml"), synthetic.yaml)?;
    fs::write(options.out.join("config.hcl"), synthetic.hcl)?;
    fs::write(options.out.join("live.json"), synthetic.live_json)?;
    eprintln!(
        "wrote {} (config.yaml, config.hcl, live.json): {} tokens, {} scope maps of {} rules, ~{}% drift",
        options.out.display(),
        spec.tokens,
        spec.scope_maps,
        spec.rules,
        spec.drift_percent
    );
    Ok(())
}
