//! The registry's coordinates and the configuration-wide settings: `registry`, `unmanaged`,
//! `ignore` and `lint`.

use std::collections::BTreeMap;

use super::checker::Checker;
use super::keys;
use super::sections::Singles;
use crate::config::raw::{Entry, NodeKind};
use crate::diagnostic::{Diagnostic, Span};
use crate::model::{
    Cloud, LintCheck, LintLevel, NameGlob, RegistryCoordinates, RegistryName, ResourceGroupName,
    SecretNameTemplate, SecretsDestination, SubscriptionId, UnmanagedPolicy, UnmanagedScopeMaps,
    UnmanagedTokens, VaultUrl,
};

pub(super) struct Settings {
    pub registry: Option<RegistryCoordinates>,
    pub admin_user: Option<bool>,
    pub unmanaged: UnmanagedPolicy,
    pub ignore: Vec<NameGlob>,
    pub lint_overrides: BTreeMap<LintCheck, LintLevel>,
    pub secrets: Option<SecretsDestination>,
    /// Where `secrets.name` (or, without it, `secrets`) is written: the names it expands to
    /// are checked once the tokens are known.
    pub secrets_name_span: Option<Span>,
}

pub(super) fn settings(checker: &mut Checker, sections: &Singles) -> Settings {
    let (registry, admin_user) = match &sections.registry {
        Some(entry) => registry(checker, entry),
        None => {
            checker.push(
                Diagnostic::error("the configuration declares no `registry`", None).with_help(
                    "say which registry it describes: `registry: {name: …}` in YAML, \
                     `registry { name = \"…\" }` in HCL",
                ),
            );
            (None, None)
        }
    };
    let (secrets, secrets_name_span) = match &sections.secrets {
        Some(entry) => secrets(checker, entry),
        None => (None, None),
    };
    Settings {
        registry,
        admin_user,
        unmanaged: sections
            .unmanaged
            .as_ref()
            .map(|entry| unmanaged(checker, entry))
            .unwrap_or_default(),
        ignore: sections
            .ignore
            .as_ref()
            .map(|entry| ignore(checker, entry))
            .unwrap_or_default(),
        lint_overrides: sections
            .lint
            .as_ref()
            .map(|entry| lint(checker, entry))
            .unwrap_or_default(),
        secrets,
        secrets_name_span,
    }
}

fn registry(checker: &mut Checker, entry: &Entry) -> (Option<RegistryCoordinates>, Option<bool>) {
    let Some(fields) = checker.fields(&entry.value, "`registry`", keys::REGISTRY) else {
        return (None, None);
    };
    let text = |checker: &mut Checker, key: &str| {
        fields.get(key).and_then(|e| {
            checker
                .string(&e.value, &format!("`{key}`"))
                .map(|s| (s, e))
        })
    };
    let name = match text(checker, "name") {
        Some((name, e)) => checker.parse::<RegistryName>(name, &e.value.span),
        None => {
            if fields.get("name").is_none() {
                checker
                    .error("`registry` has no `name`", &entry.key_span)
                    .help = Some("add the registry's name, such as `name: myregistry`".to_owned());
            }
            None
        }
    };
    let subscription = text(checker, "subscription").and_then(|(s, e)| {
        let parsed = s.parse::<SubscriptionId>();
        if let Err(err) = &parsed {
            checker.error(err.to_string(), &e.value.span).help =
                Some("write the GUID, such as `00000000-0000-0000-0000-000000000000`".to_owned());
        }
        parsed.ok()
    });
    // Checked to ARM's grammar: the name becomes a segment of every request's path.
    let resource_group = text(checker, "resource_group")
        .and_then(|(s, e)| checker.parse::<ResourceGroupName>(s, &e.value.span));
    let cloud = fields.get("cloud").and_then(|e| {
        let options: Vec<(&str, Cloud)> = Cloud::ALL.iter().map(|c| (c.as_str(), *c)).collect();
        checker.keyword(&e.value, "cloud", &options)
    });
    let admin_user = fields.get("admin_user").and_then(|e| {
        checker.keyword(
            &e.value,
            "`admin_user`",
            &[("enabled", true), ("disabled", false)],
        )
    });
    let admin_user_location = fields
        .get("admin_user")
        .map(|e| super::locations::Locations::default().of(&e.key_span));
    let coordinates = name.map(|name| RegistryCoordinates {
        name,
        subscription,
        resource_group,
        cloud,
        admin_user_location,
    });
    (coordinates, admin_user)
}

fn unmanaged(checker: &mut Checker, entry: &Entry) -> UnmanagedPolicy {
    let mut policy = UnmanagedPolicy::default();
    let Some(fields) = checker.fields(&entry.value, "`unmanaged`", keys::UNMANAGED) else {
        return policy;
    };
    if let Some(e) = fields.get("tokens") {
        let options = [
            ("ignore", UnmanagedTokens::Ignore),
            ("disable", UnmanagedTokens::Disable),
            ("delete", UnmanagedTokens::Delete),
        ];
        if let Some(value) = checker.keyword(&e.value, "`unmanaged.tokens` policy", &options) {
            policy.tokens = value;
        }
    }
    if let Some(e) = fields.get("scope_maps") {
        let options = [
            ("ignore", UnmanagedScopeMaps::Ignore),
            ("delete", UnmanagedScopeMaps::Delete),
        ];
        if let Some(value) = checker.keyword(&e.value, "`unmanaged.scope_maps` policy", &options) {
            policy.scope_maps = value;
        }
    }
    policy
}

fn ignore(checker: &mut Checker, entry: &Entry) -> Vec<NameGlob> {
    checker
        .strings(&entry.value, "`ignore`")
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(glob, span)| checker.parse(glob, span))
        .collect()
}

/// The `lint` section: each check's level, parsed here once (a misspelt id or level is an
/// error at its place, never ignored without a word).
fn lint(checker: &mut Checker, entry: &Entry) -> BTreeMap<LintCheck, LintLevel> {
    let mut overrides = BTreeMap::new();
    let ids: Vec<&str> = crate::lint::CHECKS
        .iter()
        .map(|(id, ..)| id.as_str())
        .collect();
    let Some(fields) = checker.fields(&entry.value, "`lint`", &ids) else {
        return overrides;
    };
    let options: Vec<(&str, LintLevel)> = LintLevel::ALL.iter().map(|l| (l.as_str(), *l)).collect();
    for (check, ..) in crate::lint::CHECKS {
        let Some(e) = fields.get(check.as_str()) else {
            continue;
        };
        let level = match e.value.kind {
            // What YAML makes of an unquoted `off` (and `no`, `false`): the check is off.
            NodeKind::Bool(false) => Some(LintLevel::Off),
            _ => checker.keyword(&e.value, "lint level", &options),
        };
        if let Some(level) = level {
            overrides.insert(check, level);
        }
    }
    overrides
}

/// `secrets: {key_vault: URL, name: TEMPLATE}`. The names the template expands to are checked
/// later, against the declared tokens (`check_secret_names`).
fn secrets(checker: &mut Checker, entry: &Entry) -> (Option<SecretsDestination>, Option<Span>) {
    let Some(fields) = checker.fields(&entry.value, "`secrets`", keys::SECRETS) else {
        return (None, None);
    };
    let key_vault = match fields.get("key_vault") {
        Some(e) => checker
            .string(&e.value, "`key_vault`")
            .and_then(|text| checker.parse::<VaultUrl>(text, &e.value.span)),
        None => {
            checker
                .error("`secrets` has no `key_vault`", &entry.key_span)
                .help = Some(
                "name the vault that receives generated passwords, such as \
                 `key_vault: https://myvault.vault.azure.net`"
                    .to_owned(),
            );
            None
        }
    };
    let (name, span) = match fields.get("name") {
        Some(e) => (
            checker
                .string(&e.value, "`name`")
                .and_then(|text| checker.parse::<SecretNameTemplate>(text, &e.value.span)),
            e.value.span.clone(),
        ),
        None => (Some(SecretNameTemplate::default()), entry.key_span.clone()),
    };
    match (key_vault, name) {
        (Some(key_vault), Some(name)) => (Some(SecretsDestination { key_vault, name }), Some(span)),
        _ => (None, None),
    }
}
