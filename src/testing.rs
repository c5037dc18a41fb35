//! Test inputs written as the user writes them: a configuration in YAML, a live registry as a
//! snapshot. Shared by the unit tests of `drift`, `lint` and the renderers.

use std::path::{Path, PathBuf};

use crate::diagnostic;
use crate::model::{Desired, Live};

/// Every file under the repository's `dirs` (recursively) whose extension is one of
/// `extensions`: what the fast readers are compared with the conforming ones on.
pub(crate) fn repository_files(dirs: &[&str], extensions: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, extensions, files);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|wanted| e == *wanted))
            {
                files.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        walk(&root.join(dir), extensions, &mut files);
    }
    files
}

/// Applies generated edits to `text`: each inserts its string at a character boundary chosen
/// by the index, or (when its flag is false) deletes the character there.
pub(crate) fn apply_edits(text: &mut String, edits: &[(proptest::sample::Index, &str, bool)]) {
    for &(at, edit, insert) in edits {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let at = boundaries[at.index(boundaries.len())];
        if insert {
            text.insert_str(at, edit);
        } else {
            let end = boundaries.iter().copied().find(|&b| b > at).unwrap_or(at);
            text.replace_range(at..end, "");
        }
    }
}

/// Runs a differential property over `strategy` as `proptest!` does (the regressions file of
/// `config.source_file` replayed first, a failure shrunk and saved) and returns how many
/// inputs the fast reader took and how many it was given: `property` panics when the readers
/// disagree and returns whether the fast reader took its input. A fast reader that declined
/// everything would agree with everything; the callers assert the share it takes.
pub(crate) fn taken_share<S: proptest::strategy::Strategy>(
    config: proptest::test_runner::Config,
    strategy: &S,
    property: impl Fn(S::Value) -> bool,
) -> (u32, u32) {
    let taken = std::cell::Cell::new(0);
    let given = std::cell::Cell::new(0);
    let result = proptest::test_runner::TestRunner::new(config).run(strategy, |value| {
        given.set(given.get() + 1);
        if property(value) {
            taken.set(taken.get() + 1);
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    (taken.get(), given.get())
}

/// The registry block every test configuration starts with; `live` describes the same registry.
const REGISTRY: &str = "registry:\n  name: myregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: rg\n";

/// The desired state of `yaml` (without its `registry:` block, which is added), as `validate`
/// makes it. Panics with the rendered diagnostics when the configuration is invalid.
pub(crate) fn desired(yaml: &str) -> Desired {
    desired_from(&[("scopeform.yaml", &format!("{REGISTRY}{yaml}"))])
}

/// The desired state of several in-memory files, `(name, text)`.
pub(crate) fn desired_from(files: &[(&str, &str)]) -> Desired {
    let loaded = crate::loader::load_sources(
        files
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect(),
    );
    if !loaded.has_errors()
        && let Some(desired) = loaded.desired
    {
        return desired;
    }
    let rendered = crate::render::plain(|w| diagnostic::render_all(w, &loaded.diagnostics));
    panic!("invalid test configuration:\n{rendered}");
}

/// A live registry from the parts of a snapshot: `registry` fields are merged over a Premium
/// registry `00000000-…/rg/myregistry`; `scope_maps`, `tokens` and `connected_registries` are taken as
/// they are. System scope maps are only there when listed.
pub(crate) fn live(parts: &serde_json::Value) -> Live {
    let mut snapshot = serde_json::json!({
        "format_version": "1",
        "registry": {"subscription": "00000000-0000-0000-0000-000000000000", "resource_group": "rg", "name": "myregistry",
                     "sku": "Premium", "admin_user_enabled": false},
    });
    if let Some(parts) = parts.as_object() {
        for (key, value) in parts {
            match (key.as_str(), value.as_object()) {
                ("registry", Some(fields)) => {
                    for (field, v) in fields {
                        snapshot["registry"][field] = v.clone();
                    }
                }
                _ => snapshot[key] = value.clone(),
            }
        }
    }
    let bytes = serde_json::to_vec(&snapshot).expect("json");
    crate::live::parse_snapshot(&bytes, Path::new("live.json")).expect("test snapshot")
}
