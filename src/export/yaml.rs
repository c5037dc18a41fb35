//! The YAML form of an export, as DESIGN §2 writes it.

use std::fmt::Write;

use super::ExportView;

/// A scalar as YAML needs it: plain when it cannot be read as anything but this string,
/// double-quoted (JSON escapes are valid YAML) otherwise.
pub(super) fn scalar(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        // Escaped as JSON reports escape strings: controls and bidi characters included.
        crate::render::json::quote(s)
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let keyword = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let numeric =
        s.trim_start_matches(['-', '+']).chars().all(|c| {
            c.is_ascii_digit() || matches!(c, '.' | '_' | 'e' | 'E' | '-' | '+' | 'x' | 'o')
        }) && s.chars().any(|c| c.is_ascii_digit())
            && !s.contains("--");
    (first.is_ascii_alphanumeric() || first == '_')
        && !s.ends_with(' ')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '/' | '-' | '(' | ')')
        })
        && !keyword
        && (!numeric || looks_like_guid(s))
}

/// Subscription ids are GUIDs: digits, letters and dashes in 8-4-4-4-12, never a number.
fn looks_like_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<String> = items.iter().map(|i| scalar(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

pub(super) fn render(view: &ExportView) -> String {
    let mut out = String::new();
    if view.with_registry {
        let _ = writeln!(out, "registry:");
        let _ = writeln!(out, "  name: {}", scalar(&view.name));
        let _ = writeln!(out, "  subscription: {}", scalar(&view.subscription));
        let _ = writeln!(out, "  resource_group: {}", scalar(&view.resource_group));
        let _ = writeln!(out, "  admin_user: {}", view.admin_user);
    }
    if !view.scope_maps.is_empty() {
        let _ = writeln!(out, "\nscope_maps:");
        for map in &view.scope_maps {
            let _ = writeln!(out, "  {}:", scalar(&map.name));
            if let Some(description) = &map.description {
                let _ = writeln!(out, "    description: {}", scalar(description));
            }
            for (key, groups) in [
                ("repositories", &map.repositories),
                ("gateways", &map.gateways),
            ] {
                if groups.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "    {key}:");
                for (target, permissions) in groups {
                    let _ = writeln!(out, "      {}: {}", scalar(target), list(permissions));
                }
            }
            if map.repositories.is_empty() && map.gateways.is_empty() {
                let _ = writeln!(out, "    repositories: {{}}");
            }
        }
    }
    if !view.tokens.is_empty() {
        let _ = writeln!(out, "\ntokens:");
        for token in &view.tokens {
            let _ = writeln!(out, "  {}:", scalar(&token.name));
            let _ = writeln!(out, "    scope_map: {}", scalar(&token.scope_map));
            let _ = writeln!(out, "    status: {}", token.status);
            if !token.passwords.is_empty() {
                let _ = writeln!(out, "    passwords:");
                for (slot, expiry) in &token.passwords {
                    match expiry {
                        Some(expiry) => {
                            let _ = writeln!(out, "      {slot}: {{ expiry: {} }}", scalar(expiry));
                        }
                        None => {
                            let _ = writeln!(out, "      {slot}: {{}}");
                        }
                    }
                }
            }
        }
    }
    if !view.connected_registries.is_empty() {
        let _ = writeln!(out, "\nconnected_registries:");
        for cr in &view.connected_registries {
            let _ = writeln!(out, "  {}:", scalar(&cr.name));
            let _ = writeln!(out, "    mode: {}", cr.mode);
            let _ = writeln!(out, "    client_tokens: {}", list(&cr.client_tokens));
        }
    }
    out
}
