//! Raw configuration trees into the `model::Desired`, in one step, reporting every problem.
//!
//! The walk goes: the top level of all files merged (`sections`), the settings, each object on
//! its own (`scope_maps`, `tokens`, `connected_registries`), then the references between them
//! (`resolve`). An object whose own declaration is broken is reported once; references to it
//! stay quiet.

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

use crate::config::raw::Document;
use crate::diagnostic::Diagnostic;
use crate::model::Desired;

use checker::Checker;
use resolve::{Invalid, Parsed};
use sections::Sections;

/// The outcome of validation: the desired state when there is no error, and every diagnostic
/// (errors and warnings) in file order.
#[derive(Debug)]
pub(crate) struct Validated {
    pub desired: Option<Desired>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the parsed files of one configuration and builds what they ask for. Takes the trees
/// to drop them once every object is read out of them, before the costliest step.
pub(crate) fn validate(documents: Vec<Document>) -> Validated {
    let mut checker = Checker::default();
    let sections = Sections::collect(&documents, &mut checker);
    let settings = settings::settings(&mut checker, &sections);
    let removed = removed::removed(&mut checker, &sections.removed);
    let mut invalid = Invalid::default();
    let mut parsed = Parsed {
        rules: scope_maps::rules(
            &mut checker,
            &sections.rules,
            &mut invalid.rules_and_scope_maps,
        ),
        scope_maps: scope_maps::scope_maps(
            &mut checker,
            &sections.scope_maps,
            &mut invalid.rules_and_scope_maps,
        ),
        tokens: tokens::tokens(&mut checker, &sections.tokens, &mut invalid.tokens),
        connected_registries: connected_registries::connected_registries(
            &mut checker,
            &sections.connected_registries,
            &mut invalid.tokens,
        ),
    };
    let removed = removed.check(&mut checker, &parsed);
    // The raw trees are the largest thing alive at this point (a third of a Premium-sized
    // plan's peak memory); resolving needs only what was read out of them.
    drop(sections);
    drop(documents);
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
