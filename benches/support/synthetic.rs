//! The synthetic registry itself, as text: a configuration in YAML and in HCL, and a snapshot
//! that matches it except for about `drift_percent` of the objects (changed actions, disabled
//! tokens, extra tokens, missing scope maps). Pure and deterministic per seed, so the criterion
//! benches (`benches/stages.rs`) build the same registry in memory that `synth` example writes to disk.

use std::fmt::Write as _;

const ACTIONS: [&str; 5] = [
    "content/read",
    "content/write",
    "content/delete",
    "metadata/read",
    "metadata/write",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub tokens: usize,
    pub scope_maps: usize,
    pub rules: usize,
    pub drift_percent: f64,
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            tokens: 1000,
            scope_maps: 1000,
            rules: 10,
            drift_percent: 1.0,
            seed: 42,
        }
    }
}

/// The generated files' contents.
pub struct Synthetic {
    pub yaml: String,
    pub hcl: String,
    /// The snapshot, compact JSON.
    pub live_json: Vec<u8>,
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

/// Generates the registry of `spec`.
pub fn generate(spec: &Spec) -> Synthetic {
    let scope_map_count = spec.scope_maps.max(1);
    let rule_count = spec.rules.clamp(1, 100);
    let mut yaml = String::from(
        "registry:\n  name: synthregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: synth-rg\n\nscope_maps:\n",
    );
    let mut hcl = String::from(
        "registry {\n  name           = \"synthregistry\"\n  subscription   = \"00000000-0000-0000-0000-000000000000\"\n  resource_group = \"synth-rg\"\n}\n\n",
    );
    let mut rng = Rng(spec.seed.max(1));
    let mut live_scope_maps = Vec::with_capacity(scope_map_count);
    let mut missing = vec![false; scope_map_count];
    let drift = spec.drift_percent / 4.0;
    for (i, is_missing) in missing.iter_mut().enumerate() {
        let name = scope_map_name(i);
        let rules = rules_of(i, rule_count);
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
    let mut live_tokens = Vec::with_capacity(spec.tokens);
    for i in 0..spec.tokens {
        let name = token_name(i);
        let scope_map_index = i % scope_map_count;
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
    Synthetic {
        yaml,
        hcl,
        live_json: serde_json::to_vec(&live).unwrap_or_default(),
    }
}
