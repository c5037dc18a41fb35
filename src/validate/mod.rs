//! Raw configuration pieces into the `model::Desired`, reporting every problem.
//!
//! The walk goes: each file's top level as its reader hands it over (`sections`), each object
//! on its own as soon as it arrives (`scope_maps`, `tokens`, `connected_registries`), then, once
//! every file is read, the settings and the references between objects (`resolve`). An object
//! whose own declaration is broken is reported once; references to it stay quiet.

// `match` on `Some`/`None` with a diagnostic in one arm reads better than `if let … else`.
#![allow(clippy::single_match_else)]

mod checker;
mod connected_registries;
mod grants;
mod includes;
pub(crate) mod keys;
mod locations;
mod removed;
mod resolve;
mod scope_maps;
mod sections;
mod settings;
mod tokens;

#[cfg(test)]
mod load_tests;

use crate::config::raw::Language;
use crate::diagnostic::Diagnostic;
use crate::model::Desired;

use checker::Checker;
pub(crate) use sections::FileChecker;
pub(crate) use sections::Found;

/// The outcome of validation: the desired state when there is no error, and every diagnostic
/// (errors and warnings) in file order.
#[derive(Debug)]
pub(crate) struct Validated {
    pub desired: Option<Desired>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The validation of one configuration, file by file. Each file's reader hands its pieces to a
/// `FileChecker` (`file`), which checks every named object on its own as soon as it is read
/// and drops its tree, so that a Premium-sized configuration never exists whole as raw trees
/// (they were a third of a 50k plan's peak memory); `add` takes in what the file declared;
/// `finish` resolves the references between objects.
#[derive(Default)]
pub(crate) struct Validation {
    found: Found,
}

impl Validation {
    /// The checker of the next file, to be given back with `add` once its reader is done.
    pub(crate) fn file(&self, language: Language) -> FileChecker<'_> {
        FileChecker::new(&self.found, language)
    }

    /// Takes in what a file declared (`FileChecker::finish`).
    pub(crate) fn add(&mut self, file: Found) {
        self.found.merge(file);
    }

    /// Checks what the files declared together and builds what they ask for.
    pub(crate) fn finish(self) -> Validated {
        finish(self.found)
    }
}

fn finish(found: Found) -> Validated {
    let Found {
        mut checker,
        singles,
        removed,
        mut parsed,
        invalid,
        ..
    } = found;
    let settings = settings::settings(&mut checker, &singles);
    let removed = removed::removed(&mut checker, &removed).check(&mut checker, &parsed);
    drop(singles);
    let mut locations = locations::Locations::default();
    let resolved = resolve::resolve(&mut checker, &mut parsed, &invalid, &mut locations);
    if let (Some(registry), Some(secrets), Some(span)) = (
        &settings.registry,
        &settings.secrets,
        &settings.secrets_name_span,
    ) {
        check_secret_names(
            &mut checker,
            registry,
            secrets,
            span,
            resolved.tokens.keys(),
        );
    }
    let desired = match settings.registry {
        Some(registry) if !checker.has_errors() => Some(Desired {
            registry,
            admin_user: settings.admin_user,
            unmanaged: settings.unmanaged,
            ignore: settings.ignore,
            scope_maps: resolved.scope_maps,
            tokens: resolved.tokens,
            connected_registries: resolved.connected_registries,
            removed,
            lint_overrides: settings.lint_overrides,
            secrets: settings.secrets,
        }),
        _ => None,
    };
    let mut diagnostics = checker.diagnostics;
    sort(&mut diagnostics);
    Validated {
        desired,
        diagnostics,
    }
}

/// Every secret name `secrets.name` expands to must be one Key Vault accepts, and two tokens
/// never share one (a consumer would read the other token's password). Key Vault's names are
/// not case-sensitive, so neither is the comparison.
fn check_secret_names<'t>(
    checker: &mut Checker,
    registry: &crate::model::RegistryCoordinates,
    secrets: &crate::model::SecretsDestination,
    span: &crate::diagnostic::Span,
    tokens: impl Iterator<Item = &'t crate::model::TokenName>,
) {
    let mut owners: std::collections::HashMap<String, &crate::model::TokenName> =
        std::collections::HashMap::new();
    for token in tokens {
        for slot in crate::model::PasswordSlot::ALL {
            let name = secrets.name.expand(&registry.name, token, slot);
            if let Err(err) = crate::model::check_secret_name(&name) {
                checker.error(format!("token `{token}`: {err}"), span).help = Some(
                    "change `secrets.name`: placeholders are {registry}, {token} and {slot}"
                        .to_owned(),
                );
                return;
            }
            match owners.get(&name.to_ascii_lowercase()) {
                Some(other) if *other != token => {
                    checker
                        .error(
                            format!(
                                "tokens `{other}` and `{token}` would share the secret `{name}`"
                            ),
                            span,
                        )
                        .help = Some(
                        "put `{token}` in `secrets.name`: each token needs a secret of its own"
                            .to_owned(),
                    );
                    return;
                }
                Some(_) => {}
                None => {
                    owners.insert(name.to_ascii_lowercase(), token);
                }
            }
        }
    }
}

/// File order, then position: problems of the whole configuration first.
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.span
                .as_ref()
                .map(|s| (s.file.name.clone(), s.line(), s.column()))
        };
        key(a).cmp(&key(b))
    });
}
