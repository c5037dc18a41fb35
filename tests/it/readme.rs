//! The README's examples must run as shown.

use crate::support;

use support::{config_dir, root, scopeform};

/// Every ```yaml block of the README that declares a registry validates.
#[test]
fn readme_configuration_examples_validate() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.contains("registry:"))
        .collect();
    assert!(!blocks.is_empty(), "the README shows a configuration");
    for block in blocks {
        let dir = config_dir(&[("config.yaml", block)]);
        let run = scopeform().args(["validate"]).arg_path(dir.path()).run();
        assert_eq!(run.code, 0, "{block}\n{run}");
    }
}
