//! Tokens on their own: name, scope map or inline repositories, status and password slots.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};

use super::checker::Checker;
use super::grants::{self, Located};
use super::keys;
use crate::config::raw::{Entry, NodeKind};
use crate::diagnostic::Span;
use crate::model::{
    ConfigDuration, PasswordPolicy, PasswordSlot, ScopeAction, TokenName, TokenStatus,
};

/// How a token gets its permissions.
pub(super) enum Binding {
    /// `scope_map: NAME`, as written.
    ScopeMap(String, Span),
    /// Inline `repositories`: the implicit `<token>-scope-map`.
    Inline(Vec<Located<ScopeAction>>),
    /// Already reported (neither, both, or a broken value).
    Broken,
}

pub(super) struct ParsedToken {
    pub name: TokenName,
    pub span: Span,
    pub binding: Binding,
    pub status: TokenStatus,
    pub passwords: Option<BTreeMap<PasswordSlot, PasswordPolicy>>,
}

/// One token; `None` when it is broken (reported; an invalid name is put in `invalid`).
pub(super) fn token(
    checker: &mut Checker,
    entry: &Entry,
    invalid: &mut HashSet<String>,
) -> Option<ParsedToken> {
    let name: Option<TokenName> = checker.parse(&entry.key, &entry.key_span);
    let what = format!("token `{}`", entry.key);
    let Some(fields) = checker.fields(&entry.value, &what, keys::TOKEN) else {
        if name.is_none() {
            invalid.insert(entry.key.to_string());
        }
        return None;
    };
    let binding = match (fields.get("scope_map"), fields.get("repositories")) {
        (Some(_), Some(inline)) => {
            checker
                .error(
                    format!("{what} has both `scope_map` and `repositories`"),
                    &inline.key_span,
                )
                .help = Some(
                "a token has one scope map: name it with `scope_map`, or write inline \
                 `repositories` for an implicit one"
                    .to_owned(),
            );
            Binding::Broken
        }
        (None, None) if fields.had_unknown => Binding::Broken,
        (None, None) => {
            checker
                .error(format!("{what} has no permissions"), &entry.key_span)
                .help = Some("add `scope_map: NAME` or inline `repositories`".to_owned());
            Binding::Broken
        }
        (Some(e), None) => match checker.string(&e.value, "`scope_map`") {
            Some(s) => Binding::ScopeMap(s.to_owned(), e.value.span.clone()),
            None => Binding::Broken,
        },
        (None, Some(e)) => {
            let actions = grants::repositories(checker, &e.value);
            if matches!(&e.value.kind, NodeKind::Map(m) if m.is_empty()) {
                checker.error(format!("{what} has empty `repositories`"), &e.key_span);
            }
            Binding::Inline(actions)
        }
    };
    let status = fields
        .get("status")
        .and_then(|e| {
            let options = [
                ("enabled", TokenStatus::Enabled),
                ("disabled", TokenStatus::Disabled),
            ];
            checker.keyword(&e.value, "token status", &options)
        })
        .unwrap_or_default();
    let passwords = fields.get("passwords").map(|e| passwords(checker, e));
    if name.is_none() {
        invalid.insert(entry.key.to_string());
    }
    Some(ParsedToken {
        name: name?,
        span: entry.key_span.clone(),
        binding,
        status,
        passwords,
    })
}

fn passwords(checker: &mut Checker, entry: &Entry) -> BTreeMap<PasswordSlot, PasswordPolicy> {
    let mut slots = BTreeMap::new();
    if entry.value.kind == NodeKind::Null {
        checker.error("`passwords` is empty", &entry.key_span).help = Some(
            "write `passwords: {}` for no passwords, or leave `passwords` out to not manage them"
                .to_owned(),
        );
        return slots;
    }
    let Some(fields) = checker.fields(&entry.value, "`passwords`", keys::PASSWORDS) else {
        return slots;
    };
    for slot in PasswordSlot::ALL {
        if let Some(e) = fields.get(slot.as_str()) {
            slots.insert(slot, policy(checker, e));
        }
    }
    slots
}

/// One slot's lifecycle. An empty slot (`password1: {}` or `password1:`) is a password with
/// no expiry.
fn policy(checker: &mut Checker, entry: &Entry) -> PasswordPolicy {
    let mut policy = PasswordPolicy::default();
    if entry.value.kind == NodeKind::Null {
        return policy;
    }
    let what = format!("`{}`", entry.key);
    let Some(fields) = checker.fields(&entry.value, &what, keys::PASSWORD) else {
        return policy;
    };
    policy.expiry = fields.get("expiry").and_then(|e| {
        let text = checker.string(&e.value, "`expiry`")?;
        match DateTime::parse_from_rfc3339(text) {
            Ok(time) => Some(time.with_timezone(&Utc)),
            Err(_) => {
                checker
                    .error(
                        format!("`{text}` is not an RFC 3339 timestamp"),
                        &e.value.span,
                    )
                    .help = Some(
                    "write a date, a time and an offset, such as `2027-06-30T00:00:00Z`".to_owned(),
                );
                None
            }
        }
    });
    let duration = |checker: &mut Checker, key: &str| {
        fields.get(key).and_then(|e| {
            let text = checker.string(&e.value, &format!("`{key}`"))?;
            checker
                .parse::<ConfigDuration>(text, &e.value.span)
                .map(|d| (d, e))
        })
    };
    let expires_in = duration(checker, "expires_in");
    let rotate_before = duration(checker, "rotate_before");
    if let (Some(_), Some(e)) = (fields.get("expiry"), fields.get("expires_in")) {
        checker
            .error(
                "`expiry` and `expires_in` in one password slot",
                &e.key_span,
            )
            .help = Some(
            "keep one: `expiry` is a fixed date, `expires_in` the lifetime of each new password"
                .to_owned(),
        );
    }
    if let (Some((lifetime, _)), Some((lead, e))) = (expires_in, rotate_before)
        && lead.hours() >= lifetime.hours()
    {
        checker
            .error(
                format!("`rotate_before` ({lead}) is not shorter than `expires_in` ({lifetime})"),
                &e.value.span,
            )
            .help = Some("a password would be rotated as soon as it is made".to_owned());
    }
    policy.expires_in = expires_in.map(|(d, _)| d);
    policy.rotate_before = rotate_before.map(|(d, _)| d);
    policy
}
