//! The Azure clouds scopeform can talk to, and the ARM endpoint and token scope of each.

use std::fmt;
use std::str::FromStr;

// The one type for the configuration, the JSON Schema, the command line and the ARM client.
// The doc comment below is the schema's description of `registry.cloud`'s values.
/// An Azure cloud, named as the Azure CLI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, schemars::JsonSchema)]
#[allow(
    clippy::enum_variant_names,
    reason = "Azure's own names for its clouds, as `cloud:` and `--cloud` spell them"
)]
pub enum Cloud {
    #[default]
    AzureCloud,
    AzureChinaCloud,
    AzureUSGovernment,
}

impl Cloud {
    pub const ALL: [Cloud; 3] = [
        Self::AzureCloud,
        Self::AzureChinaCloud,
        Self::AzureUSGovernment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AzureCloud => "AzureCloud",
            Self::AzureChinaCloud => "AzureChinaCloud",
            Self::AzureUSGovernment => "AzureUSGovernment",
        }
    }

    /// The cloud's ARM endpoint (from ARM's own metadata, see conventions §6.5).
    pub fn arm_endpoint(self) -> &'static str {
        match self {
            Self::AzureCloud => "https://management.azure.com",
            Self::AzureChinaCloud => "https://management.chinacloudapi.cn",
            Self::AzureUSGovernment => "https://management.usgovcloudapi.net",
        }
    }

    /// The OAuth scope of a Key Vault access token in this cloud: Key Vault's challenge names
    /// this resource, and no token for any other is ever requested for Key Vault.
    pub fn key_vault_scope(self) -> String {
        let resource = match self {
            Self::AzureCloud => "https://vault.azure.net",
            Self::AzureChinaCloud => "https://vault.azure.cn",
            Self::AzureUSGovernment => "https://vault.usgovcloudapi.net",
        };
        format!("{resource}/.default")
    }

    /// The OAuth scope of an ARM access token: `<endpoint>/.default`.
    pub fn token_scope(self) -> String {
        format!("{}/.default", self.arm_endpoint())
    }
}

/// A cloud name that is none of `Cloud::ALL`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cloud `{0}`; expected AzureCloud, AzureChinaCloud or AzureUSGovernment")]
pub struct UnknownCloud(pub String);

/// Any case, as the Azure CLI accepts (`--cloud azurechinacloud`); the configuration's
/// `registry.cloud` is held to the exact spelling by the validator.
impl FromStr for Cloud {
    type Err = UnknownCloud;

    fn from_str(s: &str) -> Result<Self, UnknownCloud> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCloud(s.to_owned()))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
