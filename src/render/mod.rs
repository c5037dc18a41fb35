//! Renderers: they take what to show and a writer, and never decide anything. Styles are always
//! written; the writer (an `anstream` stream the CLI sets up once) keeps or strips them. Text
//! scopeform did not write goes through [`untrusted`], JSON through [`json`].

pub(crate) mod annotations;
pub(crate) mod config_diff;
pub(crate) mod diagnostics;
pub(crate) mod drift;
pub(crate) mod explain;
pub(crate) mod json;
pub(crate) mod lint;
pub(crate) mod plan;
pub(crate) mod untrusted;

pub(crate) use untrusted::Untrusted;

#[cfg(test)]
mod escaping_tests;

/// What `render` writes to `out`, through a writer that strips styles as a pipe's does.
#[cfg(test)]
pub(crate) fn plain(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = anstream::StripStream::new(Vec::new());
    render(&mut out).expect("render");
    String::from_utf8(out.into_inner()).expect("utf-8")
}
