//! The top level of every file, piece by piece: one `registry`, one `unmanaged`, … kept whole,
//! and each named object checked on its own as soon as its file hands it over, then dropped.
//! Duplicates are reported at both places, within a file and across files.

use std::collections::HashMap;

use compact_str::CompactString;

use super::checker::Checker;
use super::connected_registries;
use super::keys;
use super::resolve::{Invalid, Parsed};
use super::scope_maps;
use super::tokens;
use crate::config::raw::{Entry, Language, Named, NodeKind, Piece, Sink};
use crate::diagnostic::{Diagnostic, Span, did_you_mean};

/// The top-level sections declared once for the whole configuration, whole.
#[derive(Default)]
pub(super) struct Singles {
    pub registry: Option<Entry>,
    pub unmanaged: Option<Entry>,
    pub ignore: Option<Entry>,
    pub lint: Option<Entry>,
    pub secrets: Option<Entry>,
}

impl Singles {
    /// The sections kept here, each declared once for the whole configuration.
    const KEYS: [&str; 5] = ["registry", "unmanaged", "ignore", "lint", "secrets"];

    fn slot(&mut self, key: &str) -> Option<&mut Option<Entry>> {
        match key {
            "registry" => Some(&mut self.registry),
            "unmanaged" => Some(&mut self.unmanaged),
            "ignore" => Some(&mut self.ignore),
            "lint" => Some(&mut self.lint),
            "secrets" => Some(&mut self.secrets),
            _ => None,
        }
    }

    fn get(&self, key: &str) -> Option<&Entry> {
        match key {
            "registry" => self.registry.as_ref(),
            "unmanaged" => self.unmanaged.as_ref(),
            "ignore" => self.ignore.as_ref(),
            "lint" => self.lint.as_ref(),
            "secrets" => self.secrets.as_ref(),
            _ => None,
        }
    }

    /// Takes the sections `other` declared that this does not; the others were reported.
    fn merge(&mut self, other: Self) {
        for (slot, found) in [
            (&mut self.registry, other.registry),
            (&mut self.unmanaged, other.unmanaged),
            (&mut self.ignore, other.ignore),
            (&mut self.lint, other.lint),
            (&mut self.secrets, other.secrets),
        ] {
            if slot.is_none() {
                *slot = found;
            }
        }
    }
}

/// A named object's identity: ACR's names are not case-sensitive, so `ci-push` and `CI-PUSH`
/// are one token, which two declarations would fight over on every apply. Rules are
/// scopeform's own, and their names are exact.
fn identity(section: Named, name: &str) -> CompactString {
    if section == Named::Rules {
        name.into()
    } else {
        name.to_ascii_lowercase().into()
    }
}

/// Every named object declared so far: its name as first written, and where.
type Declarations = HashMap<(Named, CompactString), (CompactString, Span)>;

/// What the files read so far declared, and what was read out of them.
#[derive(Default)]
pub(crate) struct Found {
    pub(super) checker: Checker,
    pub(super) singles: Singles,
    /// Every `removed` section: one per file, or several HCL blocks.
    pub(super) removed: Vec<Entry>,
    pub(super) parsed: Parsed,
    pub(super) invalid: Invalid,
    declared: Declarations,
}

impl Found {
    /// Takes in one file's findings.
    pub(super) fn merge(&mut self, file: Self) {
        self.checker.diagnostics.extend(file.checker.diagnostics);
        self.singles.merge(file.singles);
        self.removed.extend(file.removed);
        self.parsed.append(file.parsed);
        self.invalid.append(file.invalid);
        // At Premium scale one file declares 100,000 objects: inserting them again into an
        // empty map was as much work as making the map.
        if self.declared.is_empty() {
            self.declared = file.declared;
        } else {
            self.declared.extend(file.declared);
        }
    }
}

/// Checks one file's pieces as its reader hands them over, against what the files before it
/// declared.
pub(crate) struct FileChecker<'a> {
    before: &'a Found,
    language: Language,
    found: Found,
    /// The file's top-level keys: YAML forbids one twice in a mapping, and a second `tokens:`
    /// would otherwise be merged into the first unnoticed. (HCL repeats blocks by design.)
    keys: HashMap<CompactString, Span>,
}

impl<'a> FileChecker<'a> {
    pub(super) fn new(before: &'a Found, language: Language) -> Self {
        Self {
            before,
            language,
            found: Found::default(),
            keys: HashMap::new(),
        }
    }

    /// What the file declared, once its reader is done: for `Validation::add`.
    pub(crate) fn finish(self) -> Found {
        self.found
    }

    fn checker(&mut self) -> &mut Checker {
        &mut self.found.checker
    }

    /// Reports a top-level key written twice in one YAML file. The single sections say so
    /// themselves ("declared more than once").
    fn check_key(&mut self, key: &str, key_span: &Span) {
        if self.language != Language::Yaml || Singles::KEYS.contains(&key) {
            return;
        }
        match self.keys.get(key) {
            Some(first) => {
                let diagnostic =
                    Diagnostic::error(format!("duplicate key `{key}`"), Some(key_span.clone()))
                        .with_note("first written here", Some(first.clone()));
                self.checker().push(diagnostic);
            }
            None => {
                self.keys.insert(key.into(), key_span.clone());
            }
        }
    }

    fn entry(&mut self, entry: Entry) {
        self.check_key(&entry.key, &entry.key_span);
        if entry.key == "removed" {
            self.found.removed.push(entry);
            return;
        }
        let first = self
            .before
            .singles
            .get(&entry.key)
            .or_else(|| self.found.singles.get(&entry.key))
            .map(|first| first.key_span.clone());
        if let Some(slot) = self.found.singles.slot(&entry.key) {
            match first {
                Some(first) => self.checker().push(
                    Diagnostic::error(
                        format!("`{}` is declared more than once", entry.key),
                        Some(entry.key_span.clone()),
                    )
                    .with_note("first declared here", Some(first)),
                ),
                None => *slot = Some(entry),
            }
            return;
        }
        let Some(section) = Named::from_key(&entry.key) else {
            let help =
                did_you_mean(&entry.key, keys::TOP_LEVEL.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "a configuration file takes {}",
                        super::checker::list(keys::TOP_LEVEL)
                    )
                });
            self.checker()
                .error(format!("unknown key `{}`", entry.key), &entry.key_span)
                .help = Some(help);
            return;
        };
        // `tokens:` with every entry commented out is an empty section, not a mistake.
        if entry.value.kind == NodeKind::Null {
            return;
        }
        if self
            .checker()
            .map(&entry.value, &format!("`{}`", entry.key))
            .is_none()
        {
            return;
        }
        if let NodeKind::Map(objects) = entry.value.kind {
            for object in objects {
                self.object(section, &object);
            }
        }
    }

    /// One named object: reported if its name was declared before, else checked on its own.
    fn object(&mut self, section: Named, object: &Entry) {
        let identity = (section, identity(section, &object.key));
        let first = self
            .before
            .declared
            .get(&identity)
            .or_else(|| self.found.declared.get(&identity));
        if let Some((first_name, first_span)) = first {
            let mut diagnostic = Diagnostic::error(
                format!("duplicate {} `{}`", section.kind(), object.key),
                Some(object.key_span.clone()),
            )
            .with_note("first declared here", Some(first_span.clone()));
            if *first_name != object.key {
                diagnostic = diagnostic.with_help(format!(
                    "ACR names are not case-sensitive: `{first_name}` and `{}` name the same {}",
                    object.key,
                    section.kind()
                ));
            }
            self.checker().push(diagnostic);
            return;
        }
        self.found
            .declared
            .insert(identity, (object.key.clone(), object.key_span.clone()));
        let Found {
            checker,
            parsed,
            invalid,
            ..
        } = &mut self.found;
        match section {
            Named::Rules => parsed.rules.extend(scope_maps::rule(
                checker,
                object,
                &mut invalid.rules_and_scope_maps,
            )),
            Named::ScopeMaps => parsed.scope_maps.extend(scope_maps::scope_map(
                checker,
                object,
                &mut invalid.rules_and_scope_maps,
            )),
            Named::Tokens => {
                parsed
                    .tokens
                    .extend(tokens::token(checker, object, &mut invalid.tokens));
            }
            Named::ConnectedRegistries => {
                parsed
                    .connected_registries
                    .extend(connected_registries::connected_registry(
                        checker,
                        object,
                        &mut invalid.tokens,
                    ));
            }
        }
    }
}

impl Sink for FileChecker<'_> {
    fn accept(&mut self, piece: Piece) {
        match piece {
            Piece::Entry(entry) => self.entry(entry),
            Piece::Section {
                section, key_span, ..
            } => self.check_key(section.key(), &key_span),
            Piece::Member { section, entry } => self.object(section, &entry),
            Piece::NotAMapping(node) => {
                self.checker().map(&node, "a configuration file");
            }
        }
    }
}
