//! Nothing the user writes makes the loader panic, in either language.

use crate::loader;
use proptest::prelude::*;

fn load(name: &str, text: String) {
    let loaded = loader::load_sources(vec![(name.to_owned(), text)]);
    let mut out = Vec::new();
    crate::diagnostic::render_all(&mut out, &loaded.diagnostics).unwrap();
}

/// Text made of the language's own pieces, which reaches deeper than random bytes.
fn config_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "registry",
        "tokens",
        "scope_maps",
        "rules",
        "connected_registries",
        "{",
        "}",
        "[",
        "]",
        ":",
        "=",
        "\"",
        "\n",
        "  ",
        " ",
        "ci-push",
        "*",
        "samples/*",
        "content/read",
        "-",
        "scope_map",
        "repositories",
        "passwords",
        "password1",
        "expires_in",
        "7d",
        "mode",
        "ReadOnly",
        "client_tokens",
        "include",
        "token",
        "scope_map",
        "rule",
        "#",
        "é",
        "\t",
        "null",
        "true",
        "1e9",
        "&a",
        "*a",
        "<<",
        "---",
        "password",
        "passwords = {}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn arbitrary_yaml(text in any::<String>()) {
        load("a.yaml", text);
    }

    #[test]
    fn arbitrary_hcl(text in any::<String>()) {
        load("a.hcl", text);
    }

    #[test]
    fn config_like_yaml(text in config_like()) {
        load("a.yaml", text);
    }

    #[test]
    fn config_like_hcl(text in config_like()) {
        load("a.hcl", text);
    }
}
