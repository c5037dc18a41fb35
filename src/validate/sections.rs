//! The top level of every file, merged: one `registry`, one `unmanaged`, … and the named
//! objects of all files together, with duplicates reported at both places.

use std::collections::HashMap;

use compact_str::CompactString;

use super::checker::Checker;
use super::keys;
use crate::config::raw::{Document, Entry, Language, NodeKind};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// The top-level entries of the whole configuration.
#[derive(Default)]
pub(super) struct Sections<'a> {
    pub registry: Option<&'a Entry>,
    pub unmanaged: Option<&'a Entry>,
    pub ignore: Option<&'a Entry>,
    pub lint: Option<&'a Entry>,
    pub secrets: Option<&'a Entry>,
    pub rules: Vec<&'a Entry>,
    pub scope_maps: Vec<&'a Entry>,
    pub tokens: Vec<&'a Entry>,
    pub connected_registries: Vec<&'a Entry>,
    /// Every `removed` section: one per file, or several HCL blocks.
    pub removed: Vec<&'a Entry>,
}

/// What each named section holds, as said in "duplicate token `x`".
fn kind_of(section: &str) -> &'static str {
    match section {
        "rules" => "rule",
        "scope_maps" => "scope map",
        "tokens" => "token",
        _ => "connected registry",
    }
}

impl<'a> Sections<'a> {
    pub(super) fn collect(documents: &'a [Document], checker: &mut Checker) -> Self {
        let mut sections = Sections::default();
        let mut seen: HashMap<(&str, CompactString), &Entry> = HashMap::new();
        for document in documents {
            let Some(entries) = checker.map(&document.root, "a configuration file") else {
                continue;
            };
            // YAML forbids a key twice in one mapping; a second `tokens:` would otherwise be
            // merged into the first unnoticed. (HCL repeats blocks by design.)
            if document.language == Language::Yaml {
                let mut keys: HashMap<&str, &Entry> = HashMap::new();
                for entry in entries {
                    // The single sections say so themselves ("declared more than once").
                    if matches!(
                        entry.key.as_str(),
                        "registry" | "unmanaged" | "ignore" | "lint" | "secrets"
                    ) {
                        continue;
                    }
                    if let Some(first) = keys.insert(&entry.key, entry) {
                        checker.push(
                            Diagnostic::error(
                                format!("duplicate key `{}`", entry.key),
                                Some(entry.key_span.clone()),
                            )
                            .with_note("first written here", Some(first.key_span.clone())),
                        );
                    }
                }
            }
            for entry in entries {
                sections.add(entry, &mut seen, checker);
            }
        }
        sections
    }

    fn add(
        &mut self,
        entry: &'a Entry,
        seen: &mut HashMap<(&'a str, CompactString), &'a Entry>,
        checker: &mut Checker,
    ) {
        let single = match entry.key.as_str() {
            "registry" => Some(&mut self.registry),
            "unmanaged" => Some(&mut self.unmanaged),
            "ignore" => Some(&mut self.ignore),
            "lint" => Some(&mut self.lint),
            "secrets" => Some(&mut self.secrets),
            _ => None,
        };
        if entry.key == "removed" {
            self.removed.push(entry);
            return;
        }
        if let Some(slot) = single {
            match slot {
                Some(first) => checker.push(
                    Diagnostic::error(
                        format!("`{}` is declared more than once", entry.key),
                        Some(entry.key_span.clone()),
                    )
                    .with_note("first declared here", Some(first.key_span.clone())),
                ),
                None => *slot = Some(entry),
            }
            return;
        }
        let list = match entry.key.as_str() {
            "rules" => &mut self.rules,
            "scope_maps" => &mut self.scope_maps,
            "tokens" => &mut self.tokens,
            "connected_registries" => &mut self.connected_registries,
            key => {
                let help =
                    did_you_mean(key, keys::TOP_LEVEL.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "a configuration file takes {}",
                            super::checker::list(keys::TOP_LEVEL)
                        )
                    });
                checker
                    .error(format!("unknown key `{key}`"), &entry.key_span)
                    .help = Some(help);
                return;
            }
        };
        // `tokens:` with every entry commented out is an empty section, not a mistake.
        if entry.value.kind == NodeKind::Null {
            return;
        }
        let Some(named) = checker.map(&entry.value, &format!("`{}`", entry.key)) else {
            return;
        };
        for object in named {
            // ACR's names are not case-sensitive: `ci-push` and `CI-PUSH` are one token, which
            // two declarations would fight over on every apply. Rules are scopeform's own.
            let identity = if entry.key == "rules" {
                object.key.clone()
            } else {
                object.key.to_ascii_lowercase()
            };
            match seen.get(&(entry.key.as_str(), identity.clone())) {
                Some(first) => {
                    let mut diagnostic = Diagnostic::error(
                        format!("duplicate {} `{}`", kind_of(&entry.key), object.key),
                        Some(object.key_span.clone()),
                    )
                    .with_note("first declared here", Some(first.key_span.clone()));
                    if first.key != object.key {
                        diagnostic = diagnostic.with_help(format!(
                            "ACR names are not case-sensitive: `{}` and `{}` name the same {}",
                            first.key,
                            object.key,
                            kind_of(&entry.key)
                        ));
                    }
                    checker.push(diagnostic);
                }
                None => {
                    seen.insert((entry.key.as_str(), identity), object);
                    list.push(object);
                }
            }
        }
    }
}
