//! `export`: a configuration that reproduces a live registry, in YAML or HCL (DESIGN §2
//! syntax). Pure: it takes a `Live` and returns text plus warnings about what a configuration
//! cannot say.

mod hcl;
mod view;
mod yaml;

pub use view::{ExportView, ScopeMapView, TokenView};

use crate::model::Live;

/// The configuration languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExportFormat {
    #[default]
    Yaml,
    Hcl,
}

/// An exported configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// Live details the configuration leaves out, such as actions scopeform cannot parse.
    pub warnings: Vec<String>,
}

/// Writes the configuration that reproduces `live`.
pub fn export(live: &Live, format: ExportFormat) -> Export {
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

#[cfg(test)]
mod tests;
