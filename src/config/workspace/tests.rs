use std::path::{Path, PathBuf};

use super::*;

/// Each registry as `name: path, path`, or each problem as `message at file:line:column+len`.
fn read(name: &str, text: &str) -> Vec<String> {
    match parse(&SourceFile::new(name, text), Path::new("ws")) {
        Ok(registries) => registries
            .iter()
            .map(|r| {
                let paths: Vec<_> = r.paths.iter().map(|p| p.display().to_string()).collect();
                format!("{}: {}", r.name, paths.join(", "))
            })
            .collect(),
        Err(diagnostics) => diagnostics
            .iter()
            .map(|d| {
                let at = d.span.as_ref().map_or("-".to_owned(), |s| format!("{s:?}"));
                match &d.help {
                    Some(help) => format!("{} at {at} ({help})", d.message),
                    None => format!("{} at {at}", d.message),
                }
            })
            .collect(),
    }
}

#[test]
fn yaml_lists_registries_in_file_order_with_paths_under_the_file_directory() {
    let text =
        "registries:\n  dev:  [common/, registries/dev/]\n  prod: [common/, registries/prod/]\n";
    assert_eq!(
        read("scopeform.workspace.yaml", text),
        [
            "dev: ws/common/, ws/registries/dev/",
            "prod: ws/common/, ws/registries/prod/"
        ]
    );
}

#[test]
fn hcl_says_the_same_with_registry_blocks() {
    let text = r#"
registry "dev" {
  paths = ["common/", "registries/dev/"]
}
registry "prod" {
  paths = ["common/", "registries/prod/"]
}
"#;
    assert_eq!(
        read("scopeform.workspace.hcl", text),
        [
            "dev: ws/common/, ws/registries/dev/",
            "prod: ws/common/, ws/registries/prod/"
        ]
    );
}

#[test]
fn yaml_problems_are_reported_at_once_with_their_places() {
    let text =
        "registris: {}\nregistries:\n  dev: common/\n  bad.name: [a/]\n  prod: []\n  dev: [b/]\n";
    assert_eq!(
        read("w.yaml", text),
        [
            "unknown key `registris` at w.yaml:1:1+9 (did you mean `registries`?)",
            "expected a list of paths, found a string at w.yaml:3:8+7",
            "`bad.name` is not a valid registry name in a workspace: use 1 to 63 letters, digits, `-` and `_` at w.yaml:4:3+8",
            "a registry needs at least one path at w.yaml:5:9+1 (list its configuration's directories and files)",
            "registry `dev` is named twice at w.yaml:6:3+3",
        ]
    );
}

#[test]
fn a_path_may_not_leave_the_workspace_directory() {
    let text = "registries:\n  dev: [/etc/, ../secrets/, common/../common/, \"\"]\n";
    let help = "(a workspace's paths are relative to its file's directory and stay inside it)";
    assert_eq!(
        read("w.yaml", text),
        [
            format!("`/etc/` is an absolute path at w.yaml:2:9+5 {help}"),
            format!(
                "`../secrets/` leads out of the workspace's directory at w.yaml:2:16+11 {help}"
            ),
            "expected a path (a non-empty string), found a string at w.yaml:2:48+2".to_owned(),
        ]
    );
}

#[test]
fn hcl_problems_are_reported_with_their_places() {
    let text = "registry \"dev\" {\n  path = [\"a/\"]\n}\nregistry {\n}\nregistries = {}\nregistry \"x y\" { paths = \"a/\" }\n";
    assert_eq!(
        read("w.hcl", text),
        [
            "unknown key `path` at w.hcl:2:3+4 (did you mean `paths`?)",
            "registry `dev` has no `paths` at w.hcl:1:10+5 (write `paths = [\"common/\", \"registries/NAME/\"]`)",
            "`registry` takes exactly one label, its name at w.hcl:4:1+8 (write `registry \"NAME\" { paths = [ … ] }`)",
            "unknown key `registries` at w.hcl:6:1+10 (did you mean `registry`?)",
            "`x y` is not a valid registry name in a workspace: use 1 to 63 letters, digits, `-` and `_` at w.hcl:7:10+5",
            "expected a list of paths, found a string at w.hcl:7:26+4",
        ]
    );
}

#[test]
fn syntax_errors_point_at_their_place() {
    assert_eq!(
        read("w.yaml", "registries:\n  dev: [a/\n"),
        ["invalid YAML: unclosed bracket '[' at w.yaml:2:8+1"]
    );
    let hcl = read("w.hcl", "registry \"dev\" {\n  paths = [\n");
    assert_eq!(hcl.len(), 1, "{hcl:?}");
    assert!(
        hcl[0].starts_with("invalid HCL: ") && hcl[0].contains(" at w.hcl:"),
        "{hcl:?}"
    );
}

#[test]
fn an_empty_workspace_names_no_registries() {
    assert_eq!(
        read("w.yaml", "# nothing\n"),
        [
            "the workspace names no registries at w.yaml:1:1+1 (write `registries: { dev: [common/, registries/dev/] }`)"
        ]
    );
}

#[test]
fn registry_names_are_kept_to_what_a_file_name_can_hold() {
    for good in ["dev", "prod-eu_2", "A1"] {
        assert!(WorkspaceName::parse(good).is_ok(), "{good}");
    }
    for bad in ["", "a/b", "..", "a b", "é", &"x".repeat(64)] {
        assert!(WorkspaceName::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_workspace_file_is_read_as_configuration_files_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("w.yaml"), "registries: {a: [x/]}\n").expect("write");
    let link = dir.path().join("scopeform.workspace.yaml");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("w.yaml"), &link).expect("link");
        let err = load_workspace(&link).expect_err("a link out is refused");
        assert!(
            err[0].message.contains("symbolic link to a file outside"),
            "{err:?}"
        );
        std::fs::remove_file(&link).expect("rm");
        // A path through a link that leads out is refused too.
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).expect("link");
        std::fs::write(&link, "registries: {a: [out/]}\n").expect("write");
        let err = load_workspace(&link).expect_err("a path through a link out is refused");
        assert!(err[0].message.contains("resolves outside"), "{err:?}");
    }
    std::fs::create_dir(dir.path().join("common")).expect("mkdir");
    std::fs::write(&link, "registries: {a: [common/]}\n").expect("write");
    let workspace = load_workspace(&link).expect("valid");
    assert_eq!(workspace.registries[0].paths, [dir.path().join("common/")]);
    assert_eq!(workspace.file, PathBuf::from(&link));
}
