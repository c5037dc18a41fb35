//! The HCL form of an export, as DESIGN §2 writes it: `=` aligned within a block.

use std::fmt::Write;

use super::ExportView;

/// A quoted HCL string; `${` and `%{` are escaped so nothing is read as a template.
pub(super) fn string(s: &str) -> String {
    // Escaped as JSON reports escape strings: controls and bidi characters included.
    crate::render::json::quote(s)
        .replace("${", "$${")
        .replace("%{", "%%{")
}

fn list(items: &[impl AsRef<str>]) -> String {
    let items: Vec<String> = items.iter().map(|i| string(i.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// A map of lists: inline for one entry, one aligned line per entry otherwise.
fn map(entries: &[(String, Vec<&'static str>)], indent: &str) -> String {
    if let [(key, values)] = entries {
        return format!("{{ {} = {} }}", string(key), list(values));
    }
    let width = entries
        .iter()
        .map(|(k, _)| string(k).len())
        .max()
        .unwrap_or(0);
    let mut out = String::from("{\n");
    for (key, values) in entries {
        let _ = writeln!(out, "{indent}  {:<width$} = {}", string(key), list(values));
    }
    let _ = write!(out, "{indent}}}");
    out
}

/// Writes `attributes` with their `=` aligned.
fn attributes(out: &mut String, indent: &str, attributes: &[(&str, String)]) {
    let width = attributes.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in attributes {
        let _ = writeln!(out, "{indent}{key:<width$} = {value}");
    }
}

pub(super) fn render(view: &ExportView) -> String {
    let mut out = String::new();
    if view.with_registry {
        out.push_str("registry {\n");
        attributes(
            &mut out,
            "  ",
            &[
                ("name", string(&view.name)),
                ("subscription", string(&view.subscription)),
                ("resource_group", string(&view.resource_group)),
                ("admin_user", string(view.admin_user)),
            ],
        );
        out.push_str("}\n");
    }
    for scope_map in &view.scope_maps {
        let _ = writeln!(out, "\nscope_map {} {{", string(&scope_map.name));
        let mut attrs = Vec::new();
        if let Some(description) = &scope_map.description {
            attrs.push(("description", string(description)));
        }
        if !scope_map.repositories.is_empty() || scope_map.gateways.is_empty() {
            attrs.push((
                "repositories",
                if scope_map.repositories.is_empty() {
                    "{}".to_owned()
                } else {
                    map(&scope_map.repositories, "  ")
                },
            ));
        }
        if !scope_map.gateways.is_empty() {
            attrs.push(("gateways", map(&scope_map.gateways, "  ")));
        }
        attributes(&mut out, "  ", &attrs);
        out.push_str("}\n");
    }
    for token in &view.tokens {
        let _ = writeln!(out, "\ntoken {} {{", string(&token.name));
        attributes(
            &mut out,
            "  ",
            &[
                ("scope_map", string(&token.scope_map)),
                ("status", string(token.status)),
            ],
        );
        for (slot, expiry) in &token.passwords {
            match expiry {
                Some(expiry) => {
                    let _ = writeln!(out, "  password {} {{", string(slot));
                    let _ = writeln!(out, "    expiry = {}", string(expiry));
                    out.push_str("  }\n");
                }
                None => {
                    let _ = writeln!(out, "  password {} {{}}", string(slot));
                }
            }
        }
        out.push_str("}\n");
    }
    for cr in &view.connected_registries {
        let _ = writeln!(out, "\nconnected_registry {} {{", string(&cr.name));
        attributes(
            &mut out,
            "  ",
            &[
                ("mode", string(cr.mode)),
                ("client_tokens", list(&cr.client_tokens)),
            ],
        );
        out.push_str("}\n");
    }
    out
}
