//! `scopeform fmt`: files rewritten in the canonical layout, `--check` for CI, `--diff`, and
//! the same file-safety rules as every command that reads a configuration (issue 17).

use crate::support;

use std::fs;
use std::io::Write;
use std::process::Stdio;

use support::{config_dir, scopeform};

const MESSY_YAML: &str = "registry:\n    name:   myregistry   \ntokens:\n    ci-pull: # the CI runners\n        scope_map: _repositories_pull\n";
const TIDY_YAML: &str = "registry:\n  name: myregistry\ntokens:\n  ci-pull: # the CI runners\n    scope_map: _repositories_pull\n";
const MESSY_HCL: &str =
    "token \"ci-pull\" {\n    scope_map=\"_repositories_pull\"\n    status = \"enabled\"\n}\n";
const TIDY_HCL: &str =
    "token \"ci-pull\" {\n  scope_map = \"_repositories_pull\"\n  status    = \"enabled\"\n}\n";

fn read(dir: &tempfile::TempDir, name: &str) -> String {
    fs::read_to_string(dir.path().join(name)).unwrap()
}

#[test]
fn fmt_rewrites_the_files_that_change_and_names_them() {
    let dir = config_dir(&[
        ("a.yaml", MESSY_YAML),
        ("b.hcl", MESSY_HCL),
        ("c.yaml", TIDY_YAML),
    ]);
    let run = scopeform()
        .args(["fmt"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(run.stdout, "a.yaml\nb.hcl\n", "{run}");
    assert_eq!(run.stderr, "", "{run}");
    assert_eq!(read(&dir, "a.yaml"), TIDY_YAML);
    assert_eq!(read(&dir, "b.hcl"), TIDY_HCL);
    assert_eq!(read(&dir, "c.yaml"), TIDY_YAML);
    // Nothing left beside them (the temporary files were renamed over them).
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3);

    let again = scopeform()
        .args(["fmt", "."])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(again.stdout, "", "{again}");
}

#[test]
fn check_lists_what_would_change_writes_nothing_and_exits_1() {
    let dir = config_dir(&[("a.yaml", MESSY_YAML), ("c.yaml", TIDY_YAML)]);
    let run = scopeform()
        .args(["fmt", "--check"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert_eq!(run.stdout, "a.yaml\n", "{run}");
    assert_eq!(
        run.stderr, "1 file is not formatted; `scopeform fmt` rewrites them\n",
        "{run}"
    );
    assert_eq!(read(&dir, "a.yaml"), MESSY_YAML);

    let tidy = config_dir(&[("c.yaml", TIDY_YAML), ("b.hcl", TIDY_HCL)]);
    let run = scopeform()
        .args(["fmt", "--check"])
        .arg_path(tidy.path())
        .run()
        .expect_code(0);
    assert_eq!(run.stdout, "", "{run}");
}

#[test]
fn diff_prints_the_change_as_a_unified_diff() {
    let dir = config_dir(&[("b.hcl", MESSY_HCL)]);
    let run = scopeform()
        .args(["fmt", "--check", "--diff", "b.hcl"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert_eq!(
        run.stdout,
        "\
b.hcl
--- b.hcl
+++ b.hcl
@@ -1,4 +1,4 @@
 token \"ci-pull\" {
-    scope_map=\"_repositories_pull\"
-    status = \"enabled\"
+  scope_map = \"_repositories_pull\"
+  status    = \"enabled\"
 }
",
        "{run}"
    );
    assert_eq!(read(&dir, "b.hcl"), MESSY_HCL, "--check writes nothing");

    // Without --check the diff is printed and the file written.
    scopeform()
        .args(["fmt", "--diff", "b.hcl"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(read(&dir, "b.hcl"), TIDY_HCL);
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_place_and_the_others_are_formatted() {
    let broken = "registry:\n  name: [myregistry\n";
    let dir = config_dir(&[("a.yaml", MESSY_YAML), ("broken.yaml", broken)]);
    let run = scopeform()
        .args(["fmt"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert_eq!(run.stdout, "a.yaml\n", "{run}");
    assert!(
        run.stderr.starts_with("error: invalid YAML") && run.stderr.contains("--> broken.yaml:2:"),
        "{run}"
    );
    assert_eq!(read(&dir, "a.yaml"), TIDY_YAML);
    assert_eq!(read(&dir, "broken.yaml"), broken);
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_outside_is_refused_unread_and_left_alone() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("environ");
    fs::write(&secret, "SECRET=fake-local-secret-0000   \n").unwrap();
    let dir = config_dir(&[("a.yaml", TIDY_YAML)]);
    std::os::unix::fs::symlink(&secret, dir.path().join("zz.yaml")).unwrap();
    let run = scopeform()
        .args(["fmt", "--diff"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert!(!run.stdout.contains("fake-local-secret") && !run.stderr.contains("fake-local-secret"));
    assert!(
        run.stderr.contains("zz.yaml") && run.stderr.contains("outside"),
        "{run}"
    );
    assert_eq!(
        fs::read_to_string(&secret).unwrap(),
        "SECRET=fake-local-secret-0000   \n"
    );
}

#[cfg(unix)]
#[test]
fn a_link_inside_is_written_through_and_stays_a_link() {
    let dir = config_dir(&[]);
    fs::create_dir(dir.path().join("shared")).unwrap();
    fs::write(dir.path().join("shared/common.yaml"), MESSY_YAML).unwrap();
    fs::create_dir(dir.path().join("prod")).unwrap();
    std::os::unix::fs::symlink("../shared/common.yaml", dir.path().join("prod/common.yaml"))
        .unwrap();
    let run = scopeform()
        .args(["fmt", "prod/common.yaml", "shared"])
        .current_dir(dir.path())
        .run()
        .expect_code(0);
    assert_eq!(run.stdout, "prod/common.yaml\n", "{run}");
    assert!(
        fs::symlink_metadata(dir.path().join("prod/common.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(read(&dir, "shared/common.yaml"), TIDY_YAML);
}

#[cfg(unix)]
#[test]
fn a_rewritten_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = config_dir(&[("a.yaml", MESSY_YAML)]);
    let path = dir.path().join("a.yaml");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    scopeform()
        .args(["fmt"])
        .arg_path(&path)
        .run()
        .expect_code(0);
    assert_eq!(read(&dir, "a.yaml"), TIDY_YAML);
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_configuration_file_is_never_opened() {
    let dir = config_dir(&[("a.yaml", TIDY_YAML)]);
    let fifo = dir.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    // Opening the FIFO would block this run for ever (no writer): it must end at once.
    let run = scopeform()
        .args(["fmt", "--check"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert!(
        run.stderr.contains("pipe.yaml") && run.stderr.contains("not a regular file"),
        "{run}"
    );
}

#[test]
fn recursive_formats_every_directory_under_the_path() {
    let dir = config_dir(&[("top.yaml", MESSY_YAML)]);
    fs::create_dir_all(dir.path().join("registries/prod")).unwrap();
    fs::write(dir.path().join("registries/prod/b.hcl"), MESSY_HCL).unwrap();
    fs::create_dir_all(dir.path().join(".hidden")).unwrap();
    fs::write(dir.path().join(".hidden/x.yaml"), MESSY_YAML).unwrap();
    let run = scopeform()
        .args(["fmt", "--check", "-r", "."])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert_eq!(run.stdout, "top.yaml\nregistries/prod/b.hcl\n", "{run}");
}

#[test]
fn stdin_is_formatted_to_stdout() {
    for (args, input, expected) in [
        (&["fmt", "-"][..], MESSY_YAML, TIDY_YAML),
        (&["fmt", "--language", "hcl", "-"][..], MESSY_HCL, TIDY_HCL),
    ] {
        let mut child = scopeform()
            .args(args)
            .into_command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
    }
}

#[test]
fn every_example_is_formatted() {
    scopeform()
        .args(["fmt", "--check", "--recursive"])
        .arg_path(support::root().join("examples"))
        .run()
        .expect_code(0);
}

#[test]
fn names_and_diff_lines_are_printed_escaped() {
    // A bidi override in a value and in a file name: a reviewer must see them, not be fooled.
    let dir = config_dir(&[(
        "a\u{202e}lmay.yaml",
        "tokens:\n    ci:\n        description: \"x\u{202e}y\"\n",
    )]);
    let run = scopeform()
        .args(["fmt", "--check", "--diff"])
        .current_dir(dir.path())
        .run()
        .expect_code(1);
    assert!(!run.stdout.contains('\u{202e}'), "{run}");
    assert!(
        run.stdout.contains("a\\u{202e}lmay.yaml")
            && run.stdout.contains("+    description: \"x\\u{202e}y\""),
        "{run}"
    );
}
