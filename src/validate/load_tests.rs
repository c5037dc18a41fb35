//! Every validation rule, each pinned to the exact diagnostic a user sees.
//!
//! Each case is a configuration (one or more files) and the rendered diagnostics, as
//! `scopeform validate` prints them before its summary line.

use crate::diagnostic::render_all;
use crate::loader;
use crate::model::{Cloud, LintCheck, LintLevel};

fn check(files: &[(&str, &str)], expected: &str) {
    let sources = files
        .iter()
        .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
        .collect();
    let loaded = loader::load_sources(sources);
    // As `validate` prints them into a pipe: styles stripped by the writer.
    let mut rendered = anstream::StripStream::new(Vec::new());
    render_all(&mut rendered, &loaded.diagnostics).unwrap();
    let rendered = String::from_utf8(rendered.into_inner()).unwrap();
    assert_eq!(rendered, expected, "\n--- actual ---\n{rendered}");
    let has_errors = expected.lines().any(|l| l.starts_with("error"));
    assert_eq!(
        loaded.desired.is_none(),
        has_errors,
        "desired is built exactly when valid"
    );
}

#[test]
fn yaml_syntax_error() {
    check(
        &[(
            "tokens.yaml",
            r"tokens:
  ci: [a
",
        )],
        r"error: invalid YAML: unclosed bracket '['
 --> tokens.yaml:2:7
  |
2 |   ci: [a
  |       ^
",
    );
}

#[test]
fn hcl_syntax_error() {
    check(
        &[(
            "tokens.hcl",
            r#"token "ci-push" {
  scope_map = 
}
"#,
        )],
        r#"error: invalid HCL: invalid expression; expected `"`, `[`, `{`, `-`, `!`, `(`, `_`, `<`, letter or digit
 --> tokens.hcl:2:15
  |
2 |   scope_map = 
  |               ^
"#,
    );
}

#[test]
fn unknown_key_with_hint() {
    check(
        &[(
            "tokens.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_mapp: ci
",
        )],
        r"error: unknown key `scope_mapp`
 --> tokens.yaml:4:5
  |
4 |     scope_mapp: ci
  |     ^^^^^^^^^^
  = help: did you mean `scope_map`?
",
    );
}

#[test]
fn unknown_top_level_key() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
token:
  ci-push: {scope_map: _repositories_pull}
",
        )],
        r"error: unknown key `token`
 --> a.yaml:2:1
  |
2 | token:
  | ^^^^^
  = help: did you mean `tokens`?
",
    );
}

#[test]
fn unknown_hcl_block() {
    check(
        &[(
            "a.hcl",
            r#"registry {
  name = "myregistry"
}
tokn "ci-push" {
  scope_map = "_repositories_pull"
}
"#,
        )],
        r#"error: unknown block `tokn`
 --> a.hcl:4:1
  |
4 | tokn "ci-push" {
  | ^^^^
  = help: did you mean `token`?
"#,
    );
}

#[test]
fn hcl_unquoted_value() {
    check(
        &[(
            "a.hcl",
            r"registry {
  name = myregistry
}
",
        )],
        r#"error: `myregistry` is not a value
 --> a.hcl:2:10
  |
2 |   name = myregistry
  |          ^^^^^^^^^^
  = help: quote it: `"myregistry"`
"#,
    );
}

#[test]
fn wrong_type() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: [a, b]
",
        )],
        r"error: `scope_map` must be a string, not a list
 --> a.yaml:4:16
  |
4 |     scope_map: [a, b]
  |                ^
",
    );
}

#[test]
fn duplicate_key_in_file() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    scope_map: _repositories_push
",
        )],
        r"error: duplicate key `scope_map`
 --> a.yaml:5:5
  |
5 |     scope_map: _repositories_push
  |     ^^^^^^^^^
note: first written here
 --> a.yaml:4:5
  |
4 |     scope_map: _repositories_pull
  |     ---------
",
    );
}

#[test]
fn duplicate_names_across_files() {
    check(
        &[
            (
                "a.yaml",
                r"registry: {name: myregistry}
tokens:
  ci-push: {scope_map: _repositories_pull}
",
            ),
            (
                "b.hcl",
                r#"token "ci-push" {
  scope_map = "_repositories_push"
}
"#,
            ),
        ],
        r#"error: duplicate token `ci-push`
 --> b.hcl:1:7
  |
1 | token "ci-push" {
  |       ^^^^^^^^^
note: first declared here
 --> a.yaml:3:3
  |
3 |   ci-push: {scope_map: _repositories_pull}
  |   -------
"#,
    );
}

#[test]
fn invalid_names() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: my-registry}
scope_maps:
  sm.1:
    repositories: {a: [content/read]}
tokens:
  ci_push: {scope_map: sm.1}
  tok: {scope_map: _repositories_pull}
connected_registries:
  edge-01: {mode: ReadOnly, client_tokens: [ci_push]}
",
        )],
        r"error: registry name `my-registry` contains `-`; only letters and digits are allowed
 --> a.yaml:1:18
  |
1 | registry: {name: my-registry}
  |                  ^^^^^^^^^^^

error: scope map name `sm.1` contains `.`; only letters, digits, `-` and `_` are allowed
 --> a.yaml:3:3
  |
3 |   sm.1:
  |   ^^^^

error: token name `ci_push` contains `_`; only letters, digits and `-` are allowed
 --> a.yaml:6:3
  |
6 |   ci_push: {scope_map: sm.1}
  |   ^^^^^^^

error: token name `tok` is 3 characters long; it must be 5 to 50
 --> a.yaml:7:3
  |
7 |   tok: {scope_map: _repositories_pull}
  |   ^^^

error: connected registry name `edge-01` contains `-`; only letters and digits are allowed
 --> a.yaml:9:3
  |
9 |   edge-01: {mode: ReadOnly, client_tokens: [ci_push]}
  |   ^^^^^^^
",
    );
}

#[test]
fn invalid_repositories_and_wildcards() {
    check(
        &[(
            "a.yaml",
            r#"registry: {name: myregistry}
tokens:
  ci-push:
    repositories:
      sample/*/teamA: [content/read]
      sample/teamA*: [content/read]
      sample/teamA/*/projectB/*: [content/read]
      "**": [content/read]
      Samples/Hello: [content/read]
      a//b: [content/read]
"#,
        )],
        r#"error: invalid wildcard in `sample/*/teamA`
 --> a.yaml:5:7
  |
5 |       sample/*/teamA: [content/read]
  |       ^^^^^^^^^^^^^^
  = help: `*` may appear only once, as the whole last path segment: `samples/*`, or `*` alone

error: invalid wildcard in `sample/teamA*`
 --> a.yaml:6:7
  |
6 |       sample/teamA*: [content/read]
  |       ^^^^^^^^^^^^^
  = help: `*` may appear only once, as the whole last path segment: `samples/*`, or `*` alone

error: invalid wildcard in `sample/teamA/*/projectB/*`
 --> a.yaml:7:7
  |
7 |       sample/teamA/*/projectB/*: [content/read]
  |       ^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: `*` may appear only once, as the whole last path segment: `samples/*`, or `*` alone

error: invalid wildcard in `**`
 --> a.yaml:8:7
  |
8 |       "**": [content/read]
  |       ^^^^
  = help: `*` may appear only once, as the whole last path segment: `samples/*`, or `*` alone

error: invalid repository `Samples/Hello`
 --> a.yaml:9:7
  |
9 |       Samples/Hello: [content/read]
  |       ^^^^^^^^^^^^^
  = help: repository names are lower case; use `samples/hello`

error: invalid repository `a//b`
  --> a.yaml:10:7
   |
10 |       a//b: [content/read]
   |       ^^^^
   = help: repository path component `` is not valid: it is empty (two `/` in a row, or a leading or trailing `/`)
"#,
    );
}

#[test]
fn unknown_actions() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    repositories:
      samples/*: [content/execute, Content/Read, push, content/reed, config/read]
",
        )],
        r"error: unknown repository action `content/execute`
 --> a.yaml:5:19
  |
5 |       samples/*: [content/execute, Content/Read, push, content/reed, config/read]
  |                   ^^^^^^^^^^^^^^^
  = help: did you mean `content/delete`?

error: unknown repository action `Content/Read`
 --> a.yaml:5:36
  |
5 |       samples/*: [content/execute, Content/Read, push, content/reed, config/read]
  |                                    ^^^^^^^^^^^^
  = help: actions are lower case: `content/read`

error: unknown repository action `push`
 --> a.yaml:5:50
  |
5 |       samples/*: [content/execute, Content/Read, push, content/reed, config/read]
  |                                                  ^^^^
  = help: pushing takes `content/write` together with `content/read`

error: unknown repository action `content/reed`
 --> a.yaml:5:56
  |
5 |       samples/*: [content/execute, Content/Read, push, content/reed, config/read]
  |                                                        ^^^^^^^^^^^^
  = help: did you mean `content/read`?

error: unknown repository action `config/read`
 --> a.yaml:5:70
  |
5 |       samples/*: [content/execute, Content/Read, push, content/reed, config/read]
  |                                                                      ^^^^^^^^^^^
  = help: `config/read` is a gateway action; repository actions are `content/read`, `content/write`, `content/delete`, `metadata/read` or `metadata/write`
",
    );
}

/// A verb under `content/` is what the user meant, whatever spelling is closest: `content/push`
/// is pushing (content/write), not a typo of `content/read`.
#[test]
fn verbs_under_content_get_the_action_they_mean() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    repositories:
      samples/*: [content/push, content/pull]
",
        )],
        r"error: unknown repository action `content/push`
 --> a.yaml:5:19
  |
5 |       samples/*: [content/push, content/pull]
  |                   ^^^^^^^^^^^^
  = help: pushing takes `content/write` together with `content/read`

error: unknown repository action `content/pull`
 --> a.yaml:5:33
  |
5 |       samples/*: [content/push, content/pull]
  |                                 ^^^^^^^^^^^^
  = help: pulling takes `content/read`
",
    );
}

#[test]
fn empty_action_list() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    repositories:
      samples/*: []
",
        )],
        r"error: empty action list
 --> a.yaml:5:18
  |
5 |       samples/*: []
  |                  ^
  = help: grant at least one of `content/read`, `content/write`, `content/delete`, `metadata/read` or `metadata/write`
",
    );
}

#[test]
fn scope_map_and_repositories() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    repositories: {samples/*: [content/read]}
",
        )],
        r"error: token `ci-push` has both `scope_map` and `repositories`
 --> a.yaml:5:5
  |
5 |     repositories: {samples/*: [content/read]}
  |     ^^^^^^^^^^^^
  = help: a token has one scope map: name it with `scope_map`, or write inline `repositories` for an implicit one
",
    );
}

#[test]
fn neither_scope_map_nor_repositories() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    status: enabled
",
        )],
        r"error: token `ci-push` has no permissions
 --> a.yaml:3:3
  |
3 |   ci-push:
  |   ^^^^^^^
  = help: add `scope_map: NAME` or inline `repositories`
",
    );
}

#[test]
fn undeclared_references() {
    check(
        &[(
            "a.yaml",
            r#"registry: {name: myregistry}
rules:
  read-all: {"*": [content/read]}
scope_maps:
  ci-pull:
    include: [read-al]
tokens:
  ci-push: {scope_map: ci-pul}
  ci-sys: {scope_map: _repositories_pul}
connected_registries:
  edge01: {mode: ReadOnly, client_tokens: [ci-push]}
"#,
        )],
        r#"warning: rule `read-all` is never included
 --> a.yaml:3:3
  |
3 |   read-all: {"*": [content/read]}
  |   ^^^^^^^^
  = help: name it in a scope map's `include`, or remove it

warning: scope map `ci-pull` is not used by any token
 --> a.yaml:5:3
  |
5 |   ci-pull:
  |   ^^^^^^^

error: `read-al` is not a declared rule or scope map
 --> a.yaml:6:15
  |
6 |     include: [read-al]
  |               ^^^^^^^
  = help: did you mean `read-all`?

error: scope map `ci-pul` is not declared
 --> a.yaml:8:24
  |
8 |   ci-push: {scope_map: ci-pul}
  |                        ^^^^^^
  = help: did you mean `ci-pull`?

error: `_repositories_pul` is not a system scope map
 --> a.yaml:9:23
  |
9 |   ci-sys: {scope_map: _repositories_pul}
  |                       ^^^^^^^^^^^^^^^^^
  = help: did you mean `_repositories_pull`?
"#,
    );
}

#[test]
fn include_cycle() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  map-a: {include: [map-b]}
  map-b: {include: [map-c]}
  map-c: {include: [map-a]}
tokens:
  ci-push: {scope_map: map-a}
",
        )],
        r"error: include cycle
 --> a.yaml:5:21
  |
5 |   map-c: {include: [map-a]}
  |                     ^^^^^
  = help: `map-a` → `map-b` → `map-c` → `map-a` includes itself
",
    );
}

#[test]
fn system_scope_map_name() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  _repositories_mine:
    repositories: {a: [content/read]}
",
        )],
        r"error: `_repositories_mine` is reserved for ACR's system scope maps
 --> a.yaml:3:3
  |
3 |   _repositories_mine:
  |   ^^^^^^^^^^^^^^^^^^
  = help: choose another name; a token can use a system scope map directly with `scope_map`
",
    );
}

#[test]
fn implicit_scope_map_collision() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  ci-push-scope-map:
    repositories: {a: [content/read]}
tokens:
  ci-push:
    repositories: {b: [content/read]}
  other:
    scope_map: ci-push-scope-map
",
        )],
        r"error: token `ci-push` needs the implicit scope map `ci-push-scope-map`, which is also declared
 --> a.yaml:6:3
  |
6 |   ci-push:
  |   ^^^^^^^
  = help: use `scope_map: ci-push-scope-map`, or rename the declared scope map
note: declared here
 --> a.yaml:3:3
  |
3 |   ci-push-scope-map:
  |   -----------------
",
    );
}

#[test]
fn implicit_scope_map_too_long() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  this-token-name-is-long-enough-to-overflow-it:
    repositories: {b: [content/read]}
",
        )],
        r"error: the implicit scope map `this-token-name-is-long-enough-to-overflow-it-scope-map` would be 55 characters long; the limit is 50
 --> a.yaml:3:3
  |
3 |   this-token-name-is-long-enough-to-overflow-it:
  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: shorten the token's name, or declare a scope map and name it with `scope_map`
",
    );
}

#[test]
fn too_many_actions() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  big-map:
    repositories:
      repo0: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo1: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo2: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo3: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo4: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo5: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo6: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo7: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo8: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo9: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo10: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo11: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo12: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo13: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo14: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo15: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo16: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo17: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo18: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo19: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo20: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo21: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo22: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo23: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo24: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo25: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo26: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo27: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo28: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo29: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo30: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo31: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo32: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo33: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo34: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo35: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo36: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo37: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo38: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo39: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo40: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo41: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo42: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo43: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo44: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo45: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo46: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo47: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo48: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo49: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo50: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo51: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo52: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo53: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo54: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo55: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo56: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo57: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo58: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo59: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo60: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo61: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo62: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo63: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo64: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo65: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo66: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo67: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo68: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo69: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo70: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo71: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo72: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo73: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo74: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo75: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo76: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo77: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo78: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo79: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo80: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo81: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo82: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo83: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo84: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo85: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo86: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo87: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo88: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo89: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo90: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo91: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo92: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo93: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo94: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo95: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo96: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo97: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo98: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo99: [content/read, content/write, content/delete, metadata/read, metadata/write]
      repo100: [content/read, content/write, content/delete, metadata/read, metadata/write]
tokens:
  ci-push: {scope_map: big-map}
",
        )],
        r"error: scope map `big-map` has 505 actions; ACR allows at most 500
 --> a.yaml:3:3
  |
3 |   big-map:
  |   ^^^^^^^
  = help: split it, or cover repositories with wildcard rules such as `team/*`
",
    );
}

#[test]
fn read_only_connected_registry() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  edge-push: {scope_map: _repositories_push}
  edge-pull: {scope_map: _repositories_pull}
connected_registries:
  edge01:
    mode: ReadOnly
    client_tokens: [edge-pull, edge-push]
",
        )],
        r"error: client token `edge-push` can write, but connected registry `edge01` is ReadOnly
 --> a.yaml:8:32
  |
8 |     client_tokens: [edge-pull, edge-push]
  |                                ^^^^^^^^^
  = note: scope map `_repositories_push` grants `repositories/*/content/write`
  = help: a ReadOnly connected registry accepts only read actions
",
    );
}

#[test]
fn gateway_names() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  sync-map:
    gateways:
      Edge01: [config/read, message/read]
      edge02: [config/read]
      edge-03: [config/read]
tokens:
  sync-token: {scope_map: sync-map}
connected_registries:
  edge01: {mode: ReadWrite}
",
        )],
        r"warning: gateway `edge02` is not a declared connected registry
 --> a.yaml:6:16
  |
6 |       edge02: [config/read]
  |                ^^^^^^^^^^^
  = help: did you mean `edge01`?

error: connected registry name `edge-03` contains `-`; only letters and digits are allowed
 --> a.yaml:7:7
  |
7 |       edge-03: [config/read]
  |       ^^^^^^^
",
    );
}

#[test]
fn durations_and_timestamps() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    passwords:
      password1: {expires_in: 30m, rotate_before: 7d}
      password2: {expiry: 2027-06-31}
",
        )],
        r"error: `30m` is not a duration; write a whole number followed by h, d or w (`12h`, `30d`, `2w`)
 --> a.yaml:6:31
  |
6 |       password1: {expires_in: 30m, rotate_before: 7d}
  |                               ^^^

error: `2027-06-31` is not an RFC 3339 timestamp
 --> a.yaml:7:27
  |
7 |       password2: {expiry: 2027-06-31}
  |                           ^^^^^^^^^^
  = help: write a date, a time and an offset, such as `2027-06-30T00:00:00Z`
",
    );
}

#[test]
fn rotate_before_not_shorter() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    passwords:
      password1: {expires_in: 7d, rotate_before: 1w}
",
        )],
        r"error: `rotate_before` (1w) is not shorter than `expires_in` (7d)
 --> a.yaml:6:50
  |
6 |       password1: {expires_in: 7d, rotate_before: 1w}
  |                                                  ^^
  = help: a password would be rotated as soon as it is made
",
    );
}

#[test]
fn expiry_with_expires_in() {
    check(
        &[(
            "a.yaml",
            r#"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    passwords:
      password1: {expiry: "2027-01-01T00:00:00Z", expires_in: 30d}
      password3: {}
"#,
        )],
        r#"error: `expiry` and `expires_in` in one password slot
 --> a.yaml:6:51
  |
6 |       password1: {expiry: "2027-01-01T00:00:00Z", expires_in: 30d}
  |                                                   ^^^^^^^^^^
  = help: keep one: `expiry` is a fixed date, `expires_in` the lifetime of each new password

error: unknown key `password3`
 --> a.yaml:7:7
  |
7 |       password3: {}
  |       ^^^^^^^^^
  = help: did you mean `password1`?
"#,
    );
}

/// Issue 16.3: `registry.cloud` is held as the `Cloud` the ARM client takes, parsed once by
/// validation, in its exact spelling.
#[test]
fn registry_cloud_is_held_as_a_cloud() {
    for cloud in Cloud::ALL {
        let text = format!("registry: {{name: myregistry, cloud: {cloud}}}\n");
        let loaded = loader::load_sources(vec![("a.yaml".to_owned(), text)]);
        let desired = loaded.desired.expect("valid");
        assert_eq!(desired.registry.cloud, Some(cloud));
    }
    let loaded = loader::load_sources(vec![(
        "a.yaml".to_owned(),
        "registry: {name: myregistry}\n".to_owned(),
    )]);
    assert_eq!(loaded.desired.expect("valid").registry.cloud, None);
    // The command line takes any case (as the Azure CLI does); the configuration does not.
    assert_eq!("azurechinacloud".parse(), Ok(Cloud::AzureChinaCloud));
    let loaded = loader::load_sources(vec![(
        "a.yaml".to_owned(),
        "registry: {name: myregistry, cloud: azurechinacloud}\n".to_owned(),
    )]);
    assert!(loaded.desired.is_none());
}

/// Issue 16.3: a lint level is parsed once, at load: a wrong one is reported at its place, a
/// right one is held as a `LintLevel` of a `LintCheck`. An unquoted `off`, which YAML reads as
/// the boolean false, turns the check off, as `false` does; `on` is no level, and the help says
/// why the word was not read as a word.
#[test]
fn lint_levels_are_checked_where_they_are_written() {
    check(
        &[(
            "a.yaml",
            "registry: {name: myregistry}\nlint:\n  redundant-rule: warn\n  unused-scope-map: on\n",
        )],
        r"error: invalid lint level `warn`
 --> a.yaml:3:19
  |
3 |   redundant-rule: warn
  |                   ^^^^
  = help: expected `error`, `warning` or `off`

error: invalid lint level: a boolean
 --> a.yaml:4:21
  |
4 |   unused-scope-map: on
  |                     ^^
  = help: expected `error`, `warning` or `off`, not a boolean (in YAML, unquoted yes, no, on, off, true and false are booleans)
",
    );
    let yaml = "registry: {name: myregistry}\nlint:\n  redundant-rule: error\n  unused-scope-map:";
    for (file, text) in [
        ("a.yaml", format!("{yaml} 'off'\n")),
        ("a.yaml", format!("{yaml} off\n")),
        ("a.yaml", format!("{yaml} false\n")),
        (
            "a.hcl",
            "registry {\n  name = \"myregistry\"\n}\nlint {\n  redundant-rule = \"error\"\n  \
             unused-scope-map = false\n}\n"
                .to_owned(),
        ),
    ] {
        let loaded = loader::load_sources(vec![(file.to_owned(), text.clone())]);
        let overrides = loaded.desired.expect(&text).lint_overrides;
        assert_eq!(
            overrides.into_iter().collect::<Vec<_>>(),
            [
                (LintCheck::RedundantRule, LintLevel::Error),
                (LintCheck::UnusedScopeMap, LintLevel::Off)
            ],
            "{text}"
        );
    }
}

#[test]
fn invalid_keywords() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry, cloud: AzureCloudd, admin_user: yes, subscription: nope}
unmanaged: {tokens: remove, scope_maps: disable}
tokens:
  ci-push: {scope_map: _repositories_pull, status: Enabled}
connected_registries:
  edge01: {mode: readonly}
",
        )],
        r"error: invalid cloud `AzureCloudd`
 --> a.yaml:1:37
  |
1 | registry: {name: myregistry, cloud: AzureCloudd, admin_user: yes, subscription: nope}
  |                                     ^^^^^^^^^^^
  = help: did you mean `AzureCloud`?

error: invalid `admin_user`: a boolean
 --> a.yaml:1:62
  |
1 | registry: {name: myregistry, cloud: AzureCloudd, admin_user: yes, subscription: nope}
  |                                                              ^^^
  = help: expected `enabled` or `disabled`, not a boolean (in YAML, unquoted yes, no, on, off, true and false are booleans)

error: subscription `nope` is not a subscription ID
 --> a.yaml:1:81
  |
1 | registry: {name: myregistry, cloud: AzureCloudd, admin_user: yes, subscription: nope}
  |                                                                                 ^^^^
  = help: write the GUID, such as `00000000-0000-0000-0000-000000000000`

error: invalid `unmanaged.tokens` policy `remove`
 --> a.yaml:2:21
  |
2 | unmanaged: {tokens: remove, scope_maps: disable}
  |                     ^^^^^^
  = help: expected `ignore`, `disable` or `delete`

error: invalid `unmanaged.scope_maps` policy `disable`
 --> a.yaml:2:41
  |
2 | unmanaged: {tokens: remove, scope_maps: disable}
  |                                         ^^^^^^^
  = help: expected `ignore` or `delete`

error: invalid token status `Enabled`
 --> a.yaml:4:52
  |
4 |   ci-push: {scope_map: _repositories_pull, status: Enabled}
  |                                                    ^^^^^^^
  = help: did you mean `enabled`?

error: invalid connected registry mode `readonly`
 --> a.yaml:6:18
  |
6 |   edge01: {mode: readonly}
  |                  ^^^^^^^^
  = help: did you mean `ReadOnly`?
",
    );
}

#[test]
fn null_passwords() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
tokens:
  ci-push:
    scope_map: _repositories_pull
    passwords:
",
        )],
        r"error: `passwords` is empty
 --> a.yaml:5:5
  |
5 |     passwords:
  |     ^^^^^^^^^
  = help: write `passwords: {}` for no passwords, or leave `passwords` out to not manage them
",
    );
}

#[test]
fn missing_registry() {
    check(
        &[(
            "a.yaml",
            r"tokens:
  ci-push: {scope_map: _repositories_pull}
",
        )],
        r#"error: the configuration declares no `registry`
 = help: say which registry it describes: `registry: {name: …}` in YAML, `registry { name = "…" }` in HCL
"#,
    );
}

#[test]
fn unused_warnings() {
    check(
        &[(
            "a.yaml",
            r#"registry: {name: myregistry}
rules:
  read-all: {"*": [content/read]}
scope_maps:
  lonely-map:
    repositories: {a: [content/read]}
"#,
        )],
        r#"warning: rule `read-all` is never included
 --> a.yaml:3:3
  |
3 |   read-all: {"*": [content/read]}
  |   ^^^^^^^^
  = help: name it in a scope map's `include`, or remove it

warning: scope map `lonely-map` is not used by any token
 --> a.yaml:5:3
  |
5 |   lonely-map:
  |   ^^^^^^^^^^
"#,
    );
}

#[test]
fn hcl_passwords_twice() {
    check(
        &[(
            "a.hcl",
            r#"registry {
  name = "myregistry"
}
token "ci-push" {
  scope_map = "_repositories_pull"
  passwords = {}
  password "password1" {}
}
"#,
        )],
        r"error: `passwords` and `password` blocks in one token
 --> a.hcl:6:3
  |
6 |   passwords = {}
  |   ^^^^^^^^^
  = help: use `password` blocks, or `passwords = {}` for no passwords
",
    );
}

#[test]
fn invalid_name_is_reported_once() {
    check(
        &[(
            "a.yaml",
            r"registry: {name: myregistry}
scope_maps:
  sm:
    repositories: {a: [content/read]}
tokens:
  ci-push: {scope_map: sm}
",
        )],
        r"error: scope map name `sm` is 2 characters long; it must be 5 to 50
 --> a.yaml:3:3
  |
3 |   sm:
  |   ^^
",
    );
}

#[test]
fn removed_entries() {
    // A name both declared (explicitly, or as a token's implicit scope map) and removed, an
    // unknown action, a scope map disabled, a system scope map, and a name removed in two files.
    check(
        &[
            (
                "access.yaml",
                r"registry: {name: myregistry}
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/write]
tokens:
  ci-push:
    scope_map: pushers
  edge-reader:
    repositories:
      team-a/*: [content/read]
removed:
  tokens:
    CI-PUSH: delete
    old-ci: disable
    old-bot: retire
  scope_maps:
    pushers: delete
    edge-reader-scope-map: delete
    old-map: disable
    _repositories_pull: delete
",
            ),
            (
                "removed.hcl",
                r#"removed {
  tokens     = { old-ci = "delete" }
  scope_maps = { old-pushers = "delete" }
}
"#,
            ),
        ],
        r#"error: token `CI-PUSH` is both declared and removed
  --> access.yaml:14:5
   |
14 |     CI-PUSH: delete
   |     ^^^^^^^
   = help: keep the declaration to manage the token, or this entry to delete or disable it
note: declared here
  --> access.yaml:7:3
   |
 7 |   ci-push:
   |   -------

error: invalid `removed` action `retire`
  --> access.yaml:16:14
   |
16 |     old-bot: retire
   |              ^^^^^^
   = help: expected `delete` or `disable`

error: scope map `pushers` is both declared and removed
  --> access.yaml:18:5
   |
18 |     pushers: delete
   |     ^^^^^^^
   = help: keep the declaration to manage the scope map, or this entry to delete it
note: declared here
  --> access.yaml:3:3
   |
 3 |   pushers:
   |   -------

error: scope map `edge-reader-scope-map` is both declared and removed
  --> access.yaml:19:5
   |
19 |     edge-reader-scope-map: delete
   |     ^^^^^^^^^^^^^^^^^^^^^
   = help: keep the declaration to manage the scope map, or this entry to delete it
note: declared implicitly, by the token
  --> access.yaml:9:3
   |
 9 |   edge-reader:
   |   -----------

error: scope map `old-map` cannot be disabled
  --> access.yaml:20:14
   |
20 |     old-map: disable
   |              ^^^^^^^
   = help: ACR has no disabled scope maps: write `delete`, or remove or disable the tokens that use it

error: `_repositories_pull` is a system scope map and is never deleted
  --> access.yaml:21:5
   |
21 |     _repositories_pull: delete
   |     ^^^^^^^^^^^^^^^^^^
   = help: remove this entry; system scope maps belong to ACR

error: token `old-ci` is removed twice
  --> removed.hcl:2:18
   |
 2 |   tokens     = { old-ci = "delete" }
   |                  ^^^^^^
note: first removed here
  --> access.yaml:15:5
   |
15 |     old-ci: disable
   |     ------
"#,
    );
}

const REGISTRY_YAML: &str = "registry:\n  name: myregistry\n";

#[test]
fn secrets_key_vault_must_be_an_https_vault_url() {
    check(
        &[(
            "config.yaml",
            &format!("{REGISTRY_YAML}secrets:\n  key_vault: http://myvault.vault.azure.net\n"),
        )],
        "error: `key_vault` must use https, not plain http; write the vault's URL, such as `https://myvault.vault.azure.net`
 --> config.yaml:4:14
  |
4 |   key_vault: http://myvault.vault.azure.net
  |              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
}

#[test]
fn secrets_key_vault_must_be_a_vault_host() {
    check(
        &[(
            "config.hcl",
            "registry {\n  name = \"myregistry\"\n}\nsecrets {\n  key_vault = \"https://evil.example.com\"\n}\n",
        )],
        "error: `evil.example.com` is not a Key Vault host (expected NAME.vault.azure.net, NAME.vault.azure.cn or NAME.vault.usgovcloudapi.net); write the vault's URL, such as `https://myvault.vault.azure.net`
 --> config.hcl:5:15
  |
5 |   key_vault = \"https://evil.example.com\"
  |               ^^^^^^^^^^^^^^^^^^^^^^^^^^
",
    );
}

#[test]
fn secrets_name_with_an_unknown_placeholder() {
    check(
        &[(
            "config.yaml",
            &format!(
                "{REGISTRY_YAML}secrets:\n  key_vault: https://myvault.vault.azure.net\n  name: \"acr-{{tokn}}\"\n"
            ),
        )],
        "error: unknown placeholder `{tokn}` in the secret name; use {registry}, {token} or {slot}
 --> config.yaml:5:9
  |
5 |   name: \"acr-{tokn}\"
  |         ^^^^^^^^^^^^
",
    );
}

#[test]
fn secrets_names_must_be_key_vault_names() {
    check(
        &[(
            "config.yaml",
            &format!(
                "{REGISTRY_YAML}secrets:\n  key_vault: https://myvault.vault.azure.net\n  name: \"acr_{{token}}\"\ntokens:\n  ci-push:\n    scope_map: _repositories_push\n"
            ),
        )],
        "error: token `ci-push`: secret name `acr_ci-push` contains `_`; Key Vault allows only letters, digits and dashes
 --> config.yaml:5:9
  |
5 |   name: \"acr_{token}\"
  |         ^^^^^^^^^^^^^
  = help: change `secrets.name`: placeholders are {registry}, {token} and {slot}
",
    );
}

#[test]
fn two_tokens_never_share_a_secret() {
    check(
        &[(
            "config.yaml",
            &format!(
                "{REGISTRY_YAML}secrets:\n  key_vault: https://myvault.vault.azure.net\n  name: \"acr-{{registry}}-{{slot}}\"\ntokens:\n  ci-pull:\n    scope_map: _repositories_pull\n  ci-push:\n    scope_map: _repositories_push\n"
            ),
        )],
        "error: tokens `ci-pull` and `ci-push` would share the secret `acr-myregistry-password1`
 --> config.yaml:5:9
  |
5 |   name: \"acr-{registry}-{slot}\"
  |         ^^^^^^^^^^^^^^^^^^^^^^^
  = help: put `{token}` in `secrets.name`: each token needs a secret of its own
",
    );
}

#[test]
fn secrets_without_key_vault() {
    check(
        &[(
            "config.yaml",
            &format!("{REGISTRY_YAML}secrets:\n  name: \"acr-{{token}}\"\n  vault: x\n"),
        )],
        "error: `secrets` has no `key_vault`
 --> config.yaml:3:1
  |
3 | secrets:
  | ^^^^^^^
  = help: name the vault that receives generated passwords, such as `key_vault: https://myvault.vault.azure.net`

error: unknown key `vault`
 --> config.yaml:5:3
  |
5 |   vault: x
  |   ^^^^^
  = help: `secrets` takes `key_vault` or `name`
",
    );
}

#[test]
fn secrets_in_yaml_and_hcl_mean_the_same() {
    let yaml = loader::load_sources(vec![(
        "c.yaml".to_owned(),
        format!(
            "{REGISTRY_YAML}secrets:\n  key_vault: https://MyVault.vault.azure.net/\n  name: \"{{token}}-{{slot}}\"\n"
        ),
    )]);
    let hcl = loader::load_sources(vec![(
        "c.hcl".to_owned(),
        "registry {\n  name = \"myregistry\"\n}\nsecrets {\n  key_vault = \"https://myvault.vault.azure.net\"\n  name = \"{token}-{slot}\"\n}\n"
            .to_owned(),
    )]);
    let secrets = |loaded: &loader::Loaded| {
        let s = loaded
            .desired
            .as_ref()
            .expect("valid")
            .secrets
            .clone()
            .expect("secrets");
        (s.key_vault.to_string(), s.name.as_str().to_owned())
    };
    assert_eq!(secrets(&yaml), secrets(&hcl));
    assert_eq!(secrets(&yaml).0, "https://myvault.vault.azure.net");
    // Without `name`, one secret per token.
    let default = loader::load_sources(vec![(
        "c.yaml".to_owned(),
        format!("{REGISTRY_YAML}secrets:\n  key_vault: https://myvault.vault.azure.net\n"),
    )]);
    assert_eq!(secrets(&default).1, "acr-{registry}-{token}");
}

/// Issue 17.3: the readers hand a section's objects over one at a time, and a fast reader
/// that gives up after some (here at an anchor on the last token, or a `/* */` comment at the
/// end of the file)
/// leaves nothing behind: the conforming reader starts again with a fresh checker, so the
/// objects already handed over are neither lost nor reported as duplicates.
#[test]
fn a_reader_giving_up_late_leaves_nothing_behind() {
    let yaml = "registry: {name: myreg, subscription: 00000000-0000-0000-0000-000000000000, \
                resource_group: g}\nscope_maps:\n  pushers:\n    repositories:\n      \
                \"app/*\": [content/write]\ntokens:\n  ci-push:\n    scope_map: pushers\n  \
                ci-pull: &last\n    scope_map: pushers\n";
    let hcl = "registry {\n  name = \"myreg\"\n  subscription = \
               \"00000000-0000-0000-0000-000000000000\"\n  resource_group = \"g\"\n}\n\
               scope_map \"pushers\" {\n  repositories = {\n    \"app/*\" = \
               [\"content/write\"]\n  }\n}\ntoken \"ci-push\" {\n  scope_map = \"pushers\"\n}\n\
               token \"ci-pull\" {\n  scope_map = \"pushers\"\n}\n/* the end */\n";
    for (name, text) in [("late.yaml", yaml), ("late.hcl", hcl)] {
        let loaded = loader::load_sources(vec![(name.to_owned(), text.to_owned())]);
        assert!(
            loaded.diagnostics.is_empty(),
            "{name}: {:?}",
            loaded.diagnostics
        );
        let desired = loaded.desired.expect("valid");
        let tokens: Vec<&str> = desired
            .tokens
            .keys()
            .map(crate::model::TokenName::as_str)
            .collect();
        assert_eq!(tokens, ["ci-pull", "ci-push"], "{name}");
    }
}

/// Objects handed over one at a time are still checked against every other file: a name
/// declared in two files, and a `registry` in two, are reported at both places.
#[test]
fn duplicates_across_files_are_found_piece_by_piece() {
    check(
        &[
            (
                "a.yaml",
                "registry: {name: myreg, subscription: 00000000-0000-0000-0000-000000000000, \
                 resource_group: g}\ntokens:\n  ci-push:\n    repositories: {\"a/*\": [content/read]}\n",
            ),
            (
                "b.hcl",
                "registry {\n  name = \"myreg\"\n}\ntoken \"CI-PUSH\" {\n  repositories = { \"a/*\" = \
                 [\"content/read\"] }\n}\n",
            ),
        ],
        r#"error: `registry` is declared more than once
 --> b.hcl:1:1
  |
1 | registry {
  | ^^^^^^^^
note: first declared here
 --> a.yaml:1:1
  |
1 | registry: {name: myreg, subscription: 00000000-0000-0000-0000-000000000000, resource_group: g}
  | --------

error: duplicate token `CI-PUSH`
 --> b.hcl:4:7
  |
4 | token "CI-PUSH" {
  |       ^^^^^^^^^
  = help: ACR names are not case-sensitive: `ci-push` and `CI-PUSH` name the same token
note: first declared here
 --> a.yaml:3:3
  |
3 |   ci-push:
  |   -------
"#,
    );
}

/// A file with a syntax error makes everything it declares look missing, so only syntax
/// errors are reported, though the files before it were checked while they were read.
#[test]
fn a_syntax_error_in_a_later_file_reports_only_syntax_errors() {
    check(
        &[
            ("a.yaml", "tokens:\n  x:\n    scope_map: nowhere\n"),
            ("b.hcl", "token \"ci-push\" {\n"),
        ],
        r#"error: invalid HCL: invalid block body; expected `}`, newline or identifier
 --> b.hcl:1:19
  |
1 | token "ci-push" {
  |                   ^
"#,
    );
}
