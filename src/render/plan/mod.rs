//! Plan renderers: text for terminals (Terraform's layout), Markdown for pull request comments,
//! JSON for machines (DESIGN §4's shape). Each takes the plan and a writer and decides nothing.

mod block;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod text;

#[cfg(test)]
mod tests;
