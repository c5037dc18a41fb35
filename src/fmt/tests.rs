//! The canonical layout, input beside output; and, for every file the repository ships, that
//! formatting keeps the meaning (checked inside `format`) and is idempotent.

use super::format;
use crate::testing::repository_files;

fn yaml(text: &str) -> String {
    formatted("t.yaml", text)
}

fn hcl(text: &str) -> String {
    formatted("t.hcl", text)
}

/// `text` formatted, checked to be a fixed point.
fn formatted(name: &str, text: &str) -> String {
    let once = format(name, text).unwrap_or_else(|d| panic!("{name} refused: {d:?}\n{text}"));
    let twice = format(name, &once).unwrap_or_else(|d| panic!("refused its own output: {d:?}"));
    assert_eq!(once, twice, "not idempotent on:\n{text}");
    once
}

fn refusal(name: &str, text: &str) -> String {
    let diagnostics = format(name, text).expect_err("refused");
    diagnostics
        .iter()
        .map(|d| format!("{} {:?}", d.message, d.span))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `format` did with a text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Formatted,
    /// A construct the formatter leaves alone.
    Refused,
    /// Not valid YAML or HCL.
    Invalid,
}

/// Formats `text` if it can, and panics only on a bug: a result that is not a fixed point, or
/// a layout that would have changed the meaning (which `format` catches and refuses). For the
/// generated and mutated documents of the readers' property tests.
pub(crate) fn formats_soundly(name: &str, text: &str) -> Verdict {
    match format(name, text) {
        Ok(once) => {
            let twice = format(name, &once)
                .unwrap_or_else(|d| panic!("refused its own output: {d:?}\n{once}"));
            assert_eq!(once, twice, "not idempotent on:\n{text}");
            Verdict::Formatted
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                assert!(
                    !d.message.contains("would change what the file means"),
                    "{}\n{text}",
                    d.message
                );
            }
            if diagnostics
                .iter()
                .any(|d| d.message.starts_with("cannot format"))
            {
                Verdict::Refused
            } else {
                Verdict::Invalid
            }
        }
    }
}

#[test]
fn yaml_indentation_is_two_spaces_and_sequences_go_one_step_in() {
    let text = "registry:\n    name:    myregistry\ntokens:\n   ci:\n         scope_map: ci\nignore:\n- a\n-   b\nlist:\n  -   name: a\n      v: 1\n  - - x\n    - y\n";
    assert_eq!(
        yaml(text),
        "registry:\n  name: myregistry\ntokens:\n  ci:\n    scope_map: ci\nignore:\n  - a\n  - b\nlist:\n  - name: a\n    v: 1\n  - - x\n    - y\n"
    );
}

#[test]
fn yaml_comments_stay_with_their_items() {
    let text = "\
# header

tokens:
# about ci
  ci: # trailing, one space after it
      scope_map: ci        # aligned by hand
      status: enabled      # stays aligned
      #   status: disabled
registry:
  name: r
    # deeper than the next key: it stays in the block above
";
    assert_eq!(
        yaml(text),
        "\
# header

tokens:
  # about ci
  ci: # trailing, one space after it
    scope_map: ci        # aligned by hand
    status: enabled      # stays aligned
    #   status: disabled
registry:
  name: r
  # deeper than the next key: it stays in the block above
"
    );
}

#[test]
fn yaml_whitespace_blank_lines_and_final_newline() {
    assert_eq!(yaml("\n\n\na: 1   \n\n\n\nb:\t2\n\n\n"), "a: 1\n\nb: 2\n");
    assert_eq!(yaml("a: 1"), "a: 1\n");
    assert_eq!(yaml("# only a comment"), "# only a comment\n");
}

#[test]
fn yaml_crlf_stays_crlf() {
    assert_eq!(yaml("a:\r\n    b: 1  \r\n"), "a:\r\n  b: 1\r\n");
}

#[test]
fn yaml_tabs_in_the_indentation_are_a_syntax_error() {
    let refused = refusal("t.yaml", "a:\n\tb: 1\n");
    assert!(refused.starts_with("invalid YAML"), "{refused}");
}

#[test]
fn yaml_flow_collections_on_one_line_are_spaced_and_quoting_stays() {
    let text = "a:   [ content/read,metadata/read ]\nb: {x:  1,  \"q\":2}\nc: &s {}\nd: [a  b , {k: [1,2]}, *s]\nd2: [&t a,b]\n'c2': \"d # not a comment\"  # a comment\ne: [\n      f,\n      g\n   ]\n";
    assert_eq!(
        yaml(text),
        "a: [content/read, metadata/read]\nb: { x: 1, \"q\": 2 }\nc: &s {}\nd: [a  b, { k: [1, 2] }, *s]\nd2: [&t a,b]\n'c2': \"d # not a comment\"  # a comment\ne: [\n      f,\n      g\n   ]\n"
    );
}

#[test]
fn yaml_block_scalars_move_with_their_key_and_are_otherwise_untouched() {
    let text = "a:\n    lit: |\n        one  \n\n          two\n    fold: >-\n        x\n        y\n    keep: |+\n        z\n\n\nb: 1\n";
    assert_eq!(
        yaml(text),
        "a:\n  lit: |\n      one  \n\n        two\n  fold: >-\n      x\n      y\n  keep: |+\n      z\n\n\nb: 1\n"
    );
}

#[test]
fn yaml_anchors_aliases_and_document_start() {
    let text = "---\nbase: &read\n    - content/read\nrules:\n    r:\n        \"a/*\": *read\n";
    assert_eq!(
        yaml(text),
        "---\nbase: &read\n  - content/read\nrules:\n  r:\n    \"a/*\": *read\n"
    );
}

/// An empty key (`: v`, `&a : v`) is left alone: after a bare `:` YAML allows a compact mapping
/// whose columns the layout would move, and without its space an anchor's or tag's name would
/// take the `:` (`&a:`). Found by the near-miss property test (the anchored case in CI).
#[test]
fn yaml_an_empty_key_is_left_alone() {
    for text in [
        "a:\n    b: 1\n&a : {}\n",
        "a:\n:   1:\n    key: a\n",
        "- !t : 1\n",
    ] {
        let refused = refusal("t.yaml", text);
        assert!(refused.contains("an empty key"), "{refused}\n{text}");
    }
}

/// Inside a flow collection a plain scalar goes on over lines, and a quote on the next line is
/// part of it, not the start of a quoted scalar. Found by the near-miss property test.
#[test]
fn yaml_a_quote_continuing_a_plain_scalar_in_flow_opens_nothing() {
    assert_eq!(
        yaml("key: [q\"d\n\"]\na:   1\n"),
        "key: [q\"d\n \"]\na: 1\n"
    );
    assert_eq!(
        yaml("key: [a,\n  'b c']\nd:  1\n"),
        "key: [a,\n  'b c']\nd: 1\n"
    );
    // A `-` ending a line inside a plain scalar is part of it too.
    assert_eq!(
        yaml("key: {1: [q---\n\"]}\na:  1\n"),
        "key: {1: [q---\n \"]}\na: 1\n"
    );
    assert_eq!(yaml("key: [a - \"b\"]\n"), "key: [a - \"b\"]\n");
}

#[test]
fn yaml_plain_and_quoted_scalars_over_several_lines() {
    let text = "a:\n    b: one\n      two\n    c: \"x\n       y\"\n";
    assert_eq!(yaml(text), "a:\n  b: one\n    two\n  c: \"x\n     y\"\n");
}

#[test]
fn yaml_what_is_left_alone_is_said() {
    let refused = refusal("t.yaml", "%YAML 1.2\n---\na: 1\n");
    assert!(refused.contains("cannot format `t.yaml`"), "{refused}");
    assert!(refused.contains("t.yaml:1:1"), "{refused}");
    let refused = refusal("t.yaml", "? a\n: 1\n");
    assert!(refused.contains("complex keys"), "{refused}");
}

#[test]
fn hcl_is_laid_out_as_terraform_fmt_does() {
    let text = "# head\nregistry{\n name=\"r\"   # n\n      subscription = \"s\"\n\n\n  resource_group=\"g\"\n}\n# about t\ntoken \"t\"   {\n\n    scope_map=\"m\"\n    repositories = {\"a/*\"=[\"content/read\",\"metadata/read\"], \"b\" = [ \"x\" ]}\n    password \"password1\" {\n  expires_in = \"30d\"\n    }\n\n}\nignore = [\"x\"]\n\n\n";
    assert_eq!(
        hcl(text),
        "# head\nregistry {\n  name         = \"r\" # n\n  subscription = \"s\"\n\n  resource_group = \"g\"\n}\n\n# about t\ntoken \"t\" {\n  scope_map    = \"m\"\n  repositories = { \"a/*\" = [\"content/read\", \"metadata/read\"], \"b\" = [\"x\"] }\n  password \"password1\" {\n    expires_in = \"30d\"\n  }\n}\n\nignore = [\"x\"]\n"
    );
}

#[test]
fn hcl_multi_line_values_comments_and_heredocs() {
    let text = "scope_map \"m\" {\n  description = \"d\"\n  repositories = {\n  \"a\" = [\"content/read\"] // one\n      \"bb/*\"=[\"content/read\"]\n  }\n  x = <<EOF\n  keep   this  \nEOF\n  include = [\n    \"a\", # one\n \"b\",\n  ]\n  /* multi\n     line */\n}\n";
    assert_eq!(
        hcl(text),
        "scope_map \"m\" {\n  description = \"d\"\n  repositories = {\n    \"a\"    = [\"content/read\"] // one\n    \"bb/*\" = [\"content/read\"]\n  }\n  x = <<EOF\n  keep   this  \nEOF\n  include = [\n    \"a\", # one\n    \"b\",\n  ]\n  /* multi\n     line */\n}\n"
    );
}

#[test]
fn hcl_tabs_and_crlf() {
    assert_eq!(
        hcl("registry {\r\n\tname\t=\t\"r\"\r\n}\r\n"),
        "registry {\r\n  name = \"r\"\r\n}\r\n"
    );
}

#[test]
fn hcl_syntax_errors_are_located() {
    let refused = refusal("t.hcl", "registry {\n  name = \"r\n}\n");
    assert!(refused.starts_with("invalid HCL"), "{refused}");
    assert!(refused.contains("t.hcl:2:"), "{refused}");
}

/// Every configuration the repository ships (examples, fixtures, fuzzing seeds): formatted
/// without a change of meaning (`format` refuses one) and idempotently; the examples are
/// already in the canonical layout. (In a thread with the stack of a main thread: serde-saphyr
/// reads the 64-level fixtures recursively, past a test thread's 2 MiB in a debug build.)
#[test]
fn every_file_in_the_repository_formats_soundly_and_the_examples_are_formatted() {
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(every_file)
        .expect("spawn")
        .join()
        .expect("every file formats soundly");
}

fn every_file() {
    let files = repository_files(
        &["examples", "tests/fixtures", "fuzz/seeds"],
        &["yaml", "yml", "hcl"],
    );
    assert!(files.len() > 60, "found only {} files", files.len());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut formatted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        if formats_soundly(&name, &text) == Verdict::Formatted {
            formatted += 1;
        }
        if path.starts_with(root.join("examples")) {
            assert_eq!(
                format(&name, &text).ok().as_ref(),
                Some(&text),
                "{name} is not in the canonical layout: run `scopeform fmt -r examples`"
            );
        }
    }
    assert!(formatted > 40, "formatted only {formatted} files");
}
