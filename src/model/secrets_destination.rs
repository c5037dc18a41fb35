//! Where `apply` delivers generated passwords besides (or instead of) a secrets file: an Azure
//! Key Vault, one secret per token (or per token slot), each password a new version.

use std::fmt;
use std::str::FromStr;

use super::{PasswordSlot, RegistryName, TokenName};

/// The DNS suffixes of Key Vault in each cloud: a vault URL is `https://NAME.<suffix>`.
pub(super) const VAULT_SUFFIXES: [&str; 3] = [
    ".vault.azure.net",
    ".vault.azure.cn",
    ".vault.usgovcloudapi.net",
];

/// The URL of a vault, `https://NAME.vault.azure.net` (or the China or US Government suffix),
/// kept as `https://host` with no trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VaultUrl(String);

impl VaultUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The vault's name: the first label of its host.
    pub fn name(&self) -> &str {
        let host = &self.0["https://".len()..];
        host.split('.').next().unwrap_or(host)
    }
}

impl fmt::Display for VaultUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for VaultUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let example = "write the vault's URL, such as `https://myvault.vault.azure.net`";
        let Some(rest) = text.strip_prefix("https://") else {
            return Err(if text.starts_with("http://") {
                format!("`key_vault` must use https, not plain http; {example}")
            } else {
                format!("`key_vault` is not an https URL; {example}")
            });
        };
        let host = rest.strip_suffix('/').unwrap_or(rest);
        if host.contains(['/', '?', '#', '@', ':']) {
            return Err(format!(
                "`key_vault` must be the vault's URL alone (no path, port, query or credentials); {example}"
            ));
        }
        let host = host.to_ascii_lowercase();
        let Some(suffix) = VAULT_SUFFIXES.iter().find(|s| host.ends_with(*s)) else {
            return Err(format!(
                "`{host}` is not a Key Vault host (expected NAME{}, NAME{} or NAME{}); {example}",
                VAULT_SUFFIXES[0], VAULT_SUFFIXES[1], VAULT_SUFFIXES[2]
            ));
        };
        let name = &host[..host.len() - suffix.len()];
        let valid_name = (3..=24).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && !name.ends_with('-')
            && !name.contains("--")
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid_name {
            return Err(format!(
                "`{name}` is not a vault name: 3–24 letters, digits and single dashes, starting with a letter"
            ));
        }
        Ok(Self(format!("https://{host}")))
    }
}

/// What a secret name template may say besides plain text.
pub(super) const PLACEHOLDERS: [&str; 3] = ["registry", "token", "slot"];

/// The default secret name: one secret per token, both slots its versions.
pub(super) const DEFAULT_SECRET_NAME: &str = "acr-{registry}-{token}";

/// A secret name with `{registry}`, `{token}` and `{slot}` placeholders, checked to use no
/// other.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SecretNameTemplate(String);

impl SecretNameTemplate {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The secret a password of `slot` of `token` goes to.
    pub fn expand(&self, registry: &RegistryName, token: &TokenName, slot: PasswordSlot) -> String {
        self.0
            .replace("{registry}", registry.as_str())
            .replace("{token}", token.as_str())
            .replace("{slot}", slot.as_str())
    }
}

impl Default for SecretNameTemplate {
    fn default() -> Self {
        Self(DEFAULT_SECRET_NAME.to_owned())
    }
}

impl FromStr for SecretNameTemplate {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(format!("`{text}` has a `{{` that is never closed"));
            };
            let word = &after[..close];
            if !PLACEHOLDERS.contains(&word) {
                return Err(format!(
                    "unknown placeholder `{{{word}}}` in the secret name; use {{registry}}, {{token}} or {{slot}}"
                ));
            }
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("`{text}` has a `}}` that was never opened"));
        }
        Ok(Self(text.to_owned()))
    }
}

/// Whether Key Vault accepts `name` as a secret name: 1–127 letters, digits and dashes.
pub(crate) fn check_secret_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 127 {
        return Err(format!(
            "secret name `{name}` is {} characters long; Key Vault allows 1–127",
            name.len()
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "secret name `{name}` contains `{}`; Key Vault allows only letters, digits and dashes",
            bad.escape_default()
        ));
    }
    Ok(())
}

/// A saved plan holds these as text, checked again as it is read: a plan file is input.
macro_rules! string_form {
    ($type:ty) => {
        impl TryFrom<String> for $type {
            type Error = String;

            fn try_from(text: String) -> Result<Self, String> {
                text.parse()
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> String {
                value.0
            }
        }
    };
}

string_form!(VaultUrl);
string_form!(SecretNameTemplate);

/// `secrets: {key_vault: …, name: …}`: where `apply` delivers passwords.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsDestination {
    pub key_vault: VaultUrl,
    pub name: SecretNameTemplate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_urls() {
        let url: VaultUrl = "https://MyVault.vault.azure.net/".parse().unwrap();
        assert_eq!(url.as_str(), "https://myvault.vault.azure.net");
        assert_eq!(url.name(), "myvault");
        "https://kv-1.vault.azure.cn".parse::<VaultUrl>().unwrap();
        "https://kv-1.vault.usgovcloudapi.net"
            .parse::<VaultUrl>()
            .unwrap();
        for (bad, says) in [
            ("http://myvault.vault.azure.net", "plain http"),
            ("myvault", "not an https URL"),
            ("https://myvault.vault.azure.net/secrets", "no path"),
            ("https://evil.example.com", "not a Key Vault host"),
            ("https://x.vault.azure.net", "not a vault name"),
            ("https://user@myvault.vault.azure.net", "credentials"),
        ] {
            let err = bad.parse::<VaultUrl>().unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn templates() {
        let registry: RegistryName = "myregistry".parse().unwrap();
        let token: TokenName = "ci-push".parse().unwrap();
        let t = SecretNameTemplate::default();
        assert_eq!(
            t.expand(&registry, &token, PasswordSlot::Password2),
            "acr-myregistry-ci-push"
        );
        let t: SecretNameTemplate = "{token}-{slot}".parse().unwrap();
        assert_eq!(
            t.expand(&registry, &token, PasswordSlot::Password2),
            "ci-push-password2"
        );
        let err = "{tokn}".parse::<SecretNameTemplate>().unwrap_err();
        assert!(err.contains("unknown placeholder `{tokn}`"), "{err}");
        assert!("{token".parse::<SecretNameTemplate>().is_err());
        assert!(check_secret_name("acr-a-b").is_ok());
        assert!(check_secret_name("acr_a").unwrap_err().contains("`_`"));
        assert!(check_secret_name(&"a".repeat(128)).is_err());
        assert!(check_secret_name("").is_err());
    }
}
