//! The checked-in schema is current and agrees with the validator; every example is valid, and
//! each YAML/HCL pair means the same thing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::schema;
use crate::loader;
use crate::model::Desired;
use crate::validate::keys;

#[test]
fn checked_in_schema_is_current() {
    let checked_in = std::fs::read_to_string("schemas/scopeform.schema.json").unwrap_or_default();
    assert!(
        checked_in == schema::json_schema(),
        "schemas/scopeform.schema.json is stale; regenerate it with\n    \
         cargo run -- schema > schemas/scopeform.schema.json"
    );
}

/// The property names of the object at a JSON pointer, following `$ref`s and `anyOf` nulls.
fn properties(schema: &serde_json::Value, definition: Option<&str>) -> BTreeSet<String> {
    let object = match definition {
        None => schema,
        Some(name) => &schema["$defs"][name],
    };
    object["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn checked_in_workspace_schema_is_current() {
    let checked_in =
        std::fs::read_to_string("schemas/scopeform.workspace.schema.json").unwrap_or_default();
    assert!(
        checked_in == schema::workspace_json_schema(),
        "schemas/scopeform.workspace.schema.json is stale; regenerate it with\n    \
         cargo run -- schema --workspace > schemas/scopeform.workspace.schema.json"
    );
}

/// The workspace example is a valid workspace whose every registry is a valid configuration.
#[test]
fn the_workspace_example_is_valid() {
    let file = std::path::Path::new("examples/workspace/scopeform.workspace.yaml");
    let workspace = crate::config::load_workspace(file).expect("a valid workspace");
    assert_eq!(workspace.registries.len(), 2);
    for registry in &workspace.registries {
        let loaded = loader::load(&registry.paths);
        assert!(
            !loaded.has_errors(),
            "{}: {:#?}",
            registry.name,
            loaded.diagnostics
        );
    }
}

#[test]
fn schema_and_validator_accept_the_same_keys() {
    let schema: serde_json::Value = serde_json::from_str(&schema::json_schema()).unwrap();
    let set = |keys: &[&str]| {
        keys.iter()
            .map(|k| (*k).to_owned())
            .collect::<BTreeSet<_>>()
    };
    let cases = [
        (None, keys::TOP_LEVEL),
        (Some("Registry"), keys::REGISTRY),
        (Some("Unmanaged"), keys::UNMANAGED),
        (Some("Removed"), keys::REMOVED),
        (Some("ScopeMap"), keys::SCOPE_MAP),
        (Some("Token"), keys::TOKEN),
        (Some("Passwords"), keys::PASSWORDS),
        (Some("Password"), keys::PASSWORD),
        (Some("ConnectedRegistry"), keys::CONNECTED_REGISTRY),
    ];
    for (definition, keys) in cases {
        assert_eq!(properties(&schema, definition), set(keys), "{definition:?}");
    }
}

fn examples() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("examples")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        // `pipelines/` holds CI workflows, `workspace/` several configurations (see below).
        .filter(|p| p.is_dir() && !p.ends_with("pipelines") && !p.ends_with("workspace"))
        .collect();
    dirs.sort();
    dirs
}

fn load(path: &Path) -> Desired {
    let loaded = loader::load(&[path.to_path_buf()]);
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "{}: {:#?}",
        path.display(),
        loaded.diagnostics
    );
    loaded.desired.unwrap()
}

/// The desired state without source locations, which differ between languages by nature.
fn without_locations(mut desired: Desired) -> Desired {
    for scope_map in desired.scope_maps.values_mut() {
        scope_map.location = None;
    }
    for token in desired.tokens.values_mut() {
        token.location = None;
    }
    for connected in desired.connected_registries.values_mut() {
        connected.location = None;
    }
    desired
}

#[test]
fn every_example_is_valid_and_its_yaml_and_hcl_agree() {
    let mut pairs = 0;
    for dir in examples() {
        let yaml = dir.join("config.yaml");
        let hcl = dir.join("config.hcl");
        if hcl.exists() {
            assert_eq!(
                without_locations(load(&yaml)),
                without_locations(load(&hcl)),
                "{}",
                dir.display()
            );
            pairs += 1;
        } else {
            load(&dir);
        }
    }
    assert!(pairs >= 8, "only {pairs} YAML/HCL pairs");
}

#[test]
fn every_yaml_example_points_at_the_schema() {
    for dir in examples() {
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    text.starts_with(
                        "# yaml-language-server: $schema=../../schemas/scopeform.schema.json\n"
                    ),
                    "{}",
                    path.display()
                );
            }
        }
    }
}
