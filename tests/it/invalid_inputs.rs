//! The bad-input corpus: every file in `tests/fixtures/invalid/` is a malformed or hostile
//! configuration (`.yaml`, `.yml`, `.hcl`, run through `scopeform validate`) or snapshot
//! (`.json`, run through `scopeform plan ../snapshot-config.yaml --state FILE`), pinned to its
//! exact exit status, stdout and stderr in `NAME.expected`. None may panic.
//!
//! `UPDATE_EXPECT=1 cargo test --test it invalid_inputs` rewrites the `.expected` files; review the
//! diff before committing it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

/// The command line for one corpus file, relative to the corpus directory.
fn arguments(name: &str) -> Vec<String> {
    if Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        vec![
            "plan".into(),
            "../snapshot-config.yaml".into(),
            "--state".into(),
            name.into(),
        ]
    } else {
        vec!["validate".into(), name.into()]
    }
}

/// What a run printed, in the `.expected` format.
fn transcript(name: &str) -> (String, i32) {
    let args = arguments(name);
    let output = Command::new(env!("CARGO_BIN_EXE_scopeform"))
        .args(&args)
        .current_dir(corpus())
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("SCOPEFORM_ARM_ENDPOINT")
        .env_remove("SCOPEFORM_ARM_TOKEN")
        .output()
        .expect("run scopeform");
    let code = output.status.code().unwrap_or(-1);
    let mut text = String::new();
    let _ = writeln!(text, "$ scopeform {}", args.join(" "));
    let _ = writeln!(text, "exit {code}");
    let _ = writeln!(
        text,
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (text, code)
}

#[test]
fn every_bad_input_gets_its_exact_diagnostic_and_nothing_panics() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut names: Vec<String> = std::fs::read_dir(corpus())
        .expect("the corpus directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| {
            let extension = Path::new(n).extension().and_then(|e| e.to_str());
            !matches!(extension, Some("expected" | "md"))
        })
        .collect();
    names.sort();
    assert!(names.len() >= 40, "only {} inputs", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let (actual, code) = transcript(name);
        assert!(
            code != 101 && !actual.contains("panicked"),
            "{name} made scopeform panic:\n{actual}"
        );
        let expected_path = corpus().join(format!("{name}.expected"));
        if update {
            std::fs::write(&expected_path, &actual).expect("write .expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs from {name}.expected\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(run with UPDATE_EXPECT=1 to accept the new output)",
        failures.join("\n\n")
    );
}
