//! Reading a configuration: files and directories into one raw tree per file, with spans.

mod hcl;
pub mod raw;
mod yaml;

pub use hcl::parse as parse_hcl;
pub use yaml::parse as parse_yaml;
