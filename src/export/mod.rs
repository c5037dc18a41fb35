//! `export`: a configuration that reproduces a live registry, in YAML or HCL (DESIGN §2
//! syntax). Pure: it takes a `Live` and returns text plus warnings about what a configuration
//! cannot say.

mod hcl;
mod view;
mod yaml;

pub(crate) use view::ExportView;

use crate::model::Live;
use crate::plan::Address;

/// The configuration languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ExportFormat {
    #[default]
    Yaml,
    Hcl,
}

/// An exported configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Export {
    pub text: String,
    /// Live details the configuration leaves out, such as actions scopeform cannot parse.
    pub warnings: Vec<String>,
}

/// Writes the configuration that reproduces `live`.
pub(crate) fn export(live: &Live, format: ExportFormat) -> Export {
    let view = ExportView::new(live);
    let text = match format {
        ExportFormat::Yaml => yaml::render(&view),
        ExportFormat::Hcl => hcl::render(&view),
    };
    Export {
        text,
        warnings: view.warnings,
    }
}

/// `export --only`: just the live objects at `only`, to adopt them one by one into an existing
/// configuration. A token brings the scope map it uses (unless it is a system one), so the
/// result validates on its own; the `registry` block is written only for `registry.admin_user`.
/// An address no live object has is returned as the error.
pub(crate) fn export_only(
    live: &Live,
    only: &[Address],
    format: ExportFormat,
) -> Result<Export, Address> {
    let mut picked = Live {
        registry: live.registry.clone(),
        scope_maps: std::collections::BTreeMap::new(),
        tokens: std::collections::BTreeMap::new(),
        connected_registries: std::collections::BTreeMap::new(),
    };
    let mut with_registry = false;
    for address in only {
        let found = match address {
            Address::AdminUser => {
                with_registry = true;
                true
            }
            Address::ScopeMap(name) => live
                .scope_maps
                .get(name)
                .filter(|m| !m.system)
                .map(|m| picked.scope_maps.insert(name.clone(), m.clone()))
                .is_some(),
            Address::Token(name) | Address::Password(name, _) => live
                .tokens
                .get(name)
                .map(|t| {
                    if let Some(map) = live.scope_maps.get(&t.scope_map).filter(|m| !m.system) {
                        picked.scope_maps.insert(map.name.clone(), map.clone());
                    }
                    picked.tokens.insert(name.clone(), t.clone())
                })
                .is_some(),
            Address::ConnectedRegistry(name) => live
                .connected_registries
                .get(name)
                .map(|cr| picked.connected_registries.insert(name.clone(), cr.clone()))
                .is_some(),
        };
        if !found {
            return Err(address.clone());
        }
    }
    let mut view = ExportView::new(&picked);
    view.with_registry = with_registry;
    let text = match format {
        ExportFormat::Yaml => yaml::render(&view),
        ExportFormat::Hcl => hcl::render(&view),
    };
    Ok(Export {
        text: text.trim_start().to_owned(),
        warnings: view.warnings,
    })
}

#[cfg(test)]
mod tests;
