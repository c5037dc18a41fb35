//! Connected registries on their own: name, mode and client token names.

use std::collections::HashSet;

use super::checker::Checker;
use super::keys;
use crate::config::raw::Entry;
use crate::diagnostic::Span;
use crate::model::{ConnectedRegistryMode, ConnectedRegistryName};

pub(super) struct ParsedConnectedRegistry {
    pub name: ConnectedRegistryName,
    pub span: Span,
    pub mode: ConnectedRegistryMode,
    /// Token names as written.
    pub client_tokens: Vec<(String, Span)>,
}

/// One connected registry; `None` when it is broken (reported; an invalid name is put in
/// `invalid`).
pub(super) fn connected_registry(
    checker: &mut Checker,
    entry: &Entry,
    invalid: &mut HashSet<String>,
) -> Option<ParsedConnectedRegistry> {
    let name: Option<ConnectedRegistryName> = checker.parse(&entry.key, &entry.key_span);
    let what = format!("connected registry `{}`", entry.key);
    let fields = checker.fields(&entry.value, &what, keys::CONNECTED_REGISTRY)?;
    let mode = match fields.get("mode") {
        Some(e) => {
            let options: Vec<(&str, ConnectedRegistryMode)> = ConnectedRegistryMode::ALL
                .iter()
                .map(|m| (m.as_str(), *m))
                .collect();
            checker.keyword(&e.value, "connected registry mode", &options)
        }
        None => {
            checker
                .error(format!("{what} has no `mode`"), &entry.key_span)
                .help = Some("add `mode: ReadOnly` or `mode: ReadWrite`".to_owned());
            None
        }
    };
    let client_tokens = fields
        .get("client_tokens")
        .and_then(|e| checker.strings(&e.value, "`client_tokens`"))
        .unwrap_or_default()
        .into_iter()
        .map(|(s, span)| (s.to_owned(), span.clone()))
        .collect();
    match (name, mode) {
        (Some(name), Some(mode)) => Some(ParsedConnectedRegistry {
            name,
            span: entry.key_span.clone(),
            mode,
            client_tokens,
        }),
        (None, _) => {
            invalid.insert(entry.key.to_string());
            None
        }
        (Some(_), None) => None,
    }
}
