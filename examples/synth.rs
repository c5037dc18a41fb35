//! Writes a large synthetic configuration and a matching snapshot, for benchmarks.
//!
//! `cargo run --release -p scopeform --example synth -- --tokens 50000 --scope-maps 50000
//! --rules 10 --drift 1 --out /tmp/premium` writes `config.yaml`, `config.hcl` and `live.json`:
//! a snapshot that matches the configuration except for about `--drift` percent of objects
//! (changed actions, disabled tokens, extra tokens, missing scope maps). Deterministic per `--seed`.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

const ACTIONS: [&str; 5] = [
    "content/read",
    "content/write",
    "content/delete",
    "metadata/read",
    "metadata/write",
];

struct Options {
    tokens: usize,
    scope_maps: usize,
    rules: usize,
    drift_percent: f64,
    seed: u64,
    out: PathBuf,
}

/// xorshift64*: tiny, deterministic, good enough to pick which objects drift.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: f64) -> bool {
        #[allow(clippy::cast_precision_loss)]
        let roll = (self.next() % 1_000_000) as f64 / 10_000.0;
        roll < percent
    }
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        tokens: 1000,
        scope_maps: 1000,
        rules: 10,
        drift_percent: 1.0,
        seed: 42,
        out: PathBuf::from("synth-out"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || value.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--tokens" => options.tokens = number()?,
            "--scope-maps" => options.scope_maps = number()?.max(1),
            "--rules" => options.rules = number()?.clamp(1, 100),
            "--drift" => {
                options.drift_percent = value.parse().map_err(|e| format!("{flag}: {e}"))?;
            }
            "--seed" => options.seed = value.parse().map_err(|e| format!("{flag}: {e}"))?,
            "--out" => options.out = PathBuf::from(value),
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(options)
}

/// The rules of scope map `i`: `(repository, actions)` pairs, some of them wildcards.
fn rules_of(i: usize, count: usize) -> Vec<(String, Vec<&'static str>)> {
    (0..count)
        .map(|r| {
            let repository = if r % 4 == 3 {
                format!("team{}/svc{r}/*", i % 97)
            } else {
                format!("team{}/app{i}/svc{r}", i % 97)
            };
            let actions = vec![ACTIONS[r % 5], ACTIONS[(r + 2) % 5]];
            (repository, actions)
        })
        .collect()
}

fn scope_map_name(i: usize) -> String {
    format!("scope-map-{i:06}")
}

fn token_name(i: usize) -> String {
    format!("token-{i:06}")
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(64);
        }
    };
    match generate(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn generate(options: &Options) -> std::io::Result<()> {
    fs::create_dir_all(&options.out)?;
    let mut yaml = String::from(
        "registry:\n  name: synthregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: synth-rg\n\nscope_maps:\n",
    );
    let mut hcl = String::from(
        "registry {\n  name           = \"synthregistry\"\n  subscription   = \"00000000-0000-0000-0000-000000000000\"\n  resource_group = \"synth-rg\"\n}\n\n",
    );
    let mut rng = Rng(options.seed.max(1));
    let mut live_scope_maps = Vec::with_capacity(options.scope_maps);
    let mut missing = vec![false; options.scope_maps];
    let drift = options.drift_percent / 4.0;
    for (i, is_missing) in missing.iter_mut().enumerate() {
        let name = scope_map_name(i);
        let rules = rules_of(i, options.rules);
        let _ = writeln!(yaml, "  {name}:\n    repositories:");
        let _ = writeln!(hcl, "scope_map \"{name}\" {{\n  repositories = {{");
        let mut actions = Vec::new();
        for (repository, verbs) in &rules {
            let _ = writeln!(yaml, "      \"{repository}\": [{}]", verbs.join(", "));
            let quoted: Vec<String> = verbs.iter().map(|v| format!("\"{v}\"")).collect();
            let _ = writeln!(hcl, "    \"{repository}\" = [{}]", quoted.join(", "));
            actions.extend(
                verbs
                    .iter()
                    .map(|v| format!("repositories/{repository}/{v}")),
            );
        }
        hcl.push_str("  }\n}\n");
        if rng.chance(drift) {
            *is_missing = true;
            continue;
        }
        if rng.chance(drift) {
            actions.pop();
        }
        actions.sort();
        live_scope_maps
            .push(serde_json::json!({"name": name, "description": "", "actions": actions}));
    }
    yaml.push_str("\ntokens:\n");
    let mut live_tokens = Vec::with_capacity(options.tokens);
    for i in 0..options.tokens {
        let name = token_name(i);
        let scope_map_index = i % options.scope_maps;
        let scope_map = scope_map_name(scope_map_index);
        let _ = writeln!(yaml, "  {name}:\n    scope_map: {scope_map}");
        let _ = writeln!(
            hcl,
            "token \"{name}\" {{\n  scope_map = \"{scope_map}\"\n}}"
        );
        if missing[scope_map_index] {
            continue;
        }
        let status = if rng.chance(drift) {
            "disabled"
        } else {
            "enabled"
        };
        live_tokens
            .push(serde_json::json!({"name": name, "scope_map": scope_map, "status": status}));
        if rng.chance(drift) {
            let extra = format!("extra-{i:06}");
            live_tokens.push(
                serde_json::json!({"name": extra, "scope_map": scope_map, "status": "enabled"}),
            );
        }
    }
    let live = serde_json::json!({
        "format_version": "1",
        "registry": {
            "subscription": "00000000-0000-0000-0000-000000000000",
            "resource_group": "synth-rg",
            "name": "synthregistry",
            "sku": "Premium",
            "admin_user_enabled": false
        },
        "scope_maps": live_scope_maps,
        "tokens": live_tokens,
        "connected_registries": []
    });
    fs::write(options.out.join("config.yaml"), yaml)?;
    fs::write(options.out.join("config.hcl"), hcl)?;
    fs::write(options.out.join("live.json"), serde_json::to_vec(&live)?)?;
    eprintln!(
        "wrote {} (config.yaml, config.hcl, live.json): {} tokens, {} scope maps of {} rules, ~{}% drift",
        options.out.display(),
        options.tokens,
        options.scope_maps,
        options.rules,
        options.drift_percent
    );
    Ok(())
}
