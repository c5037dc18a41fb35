//! Where ARM access tokens come from, in DESIGN §5's order: `SCOPEFORM_ARM_TOKEN` as is, a
//! client secret, workload identity, managed identity, then the Azure CLI's login. Everything
//! but the first is Microsoft's `azure_identity`; no OAuth is written here.
//!
//! `live` never reads the environment: the CLI fills a `CredentialSettings` and hands it over.

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use azure_core::cloud::CloudConfiguration;
use azure_core::credentials::{Secret as AzureSecret, TokenCredential};
use azure_core::http::ClientOptions;
use azure_identity::{
    AzureCliCredential, ClientAssertionCredentialOptions, ClientSecretCredential,
    ClientSecretCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};

use super::LiveError;
use super::arm::Cloud;
use crate::model::Secret;

/// How long one credential may take to answer before the next one is tried; managed identity
/// off Azure otherwise waits on an unreachable metadata endpoint.
const CREDENTIAL_TIMEOUT: Duration = Duration::from_secs(20);
/// Managed identity answers from a local endpoint within a second where it exists; off Azure
/// nothing answers at all, so waiting long would only delay the next credential and the error.
const MANAGED_IDENTITY_TIMEOUT: Duration = Duration::from_secs(3);

/// The credential-related environment, as the CLI read it.
#[derive(Clone, Default)]
pub(crate) struct CredentialSettings {
    /// `SCOPEFORM_ARM_TOKEN`: a bearer token used as is.
    pub arm_token: Option<Secret>,
    /// `SCOPEFORM_KEYVAULT_TOKEN`: a bearer token for Key Vault, used as is (an ARM token is
    /// not valid there: tokens are issued for one audience).
    pub keyvault_token: Option<Secret>,
    /// `AZURE_CLIENT_ID`.
    pub client_id: Option<String>,
    /// `AZURE_TENANT_ID`.
    pub tenant_id: Option<String>,
    /// `AZURE_CLIENT_SECRET`.
    pub client_secret: Option<Secret>,
    /// `AZURE_FEDERATED_TOKEN_FILE`.
    pub federated_token_file: Option<PathBuf>,
    /// Whether to try managed identity and the Azure CLI after the above (on by default;
    /// tests turn it off so they never reach for a real identity).
    pub ambient: bool,
}

impl fmt::Debug for CredentialSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSettings")
            .field("arm_token", &self.arm_token.as_ref().map(|_| "<redacted>"))
            .field(
                "keyvault_token",
                &self.keyvault_token.as_ref().map(|_| "<redacted>"),
            )
            .field("client_id", &self.client_id)
            .field("tenant_id", &self.tenant_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("federated_token_file", &self.federated_token_file)
            .field("ambient", &self.ambient)
            .finish()
    }
}

/// Hands out bearer tokens for ARM; cheap to clone and share between tasks.
#[derive(Clone)]
pub(crate) struct TokenSource {
    inner: Arc<Source>,
}

enum Source {
    /// A token from the environment, and the variable's name.
    Static(Secret, &'static str),
    Chain(Chain),
}

struct Chain {
    scope: String,
    /// The variable that would have given a token as is, named first in "tried".
    static_variable: &'static str,
    /// Each candidate by the name used in messages.
    candidates: Vec<(&'static str, Arc<dyn TokenCredential>)>,
    /// Candidates that could not even be set up, with why.
    skipped: Vec<String>,
    /// The candidate that worked first; later calls go straight to it.
    chosen: OnceLock<usize>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.inner {
            Source::Static(_, variable) => write!(f, "TokenSource({variable})"),
            Source::Chain(chain) => {
                let names: Vec<&str> = chain.candidates.iter().map(|(n, _)| *n).collect();
                write!(f, "TokenSource({})", names.join(", "))
            }
        }
    }
}

fn cloud_configuration(cloud: Cloud) -> Arc<CloudConfiguration> {
    Arc::new(match cloud {
        Cloud::AzureCloud => CloudConfiguration::AzurePublic,
        Cloud::AzureChinaCloud => CloudConfiguration::AzureChina,
        Cloud::AzureUSGovernment => CloudConfiguration::AzureGovernment,
    })
}

fn client_options(cloud: Cloud) -> ClientOptions {
    ClientOptions {
        cloud: Some(cloud_configuration(cloud)),
        ..ClientOptions::default()
    }
}

impl TokenSource {
    /// The credentials `settings` make available, in DESIGN §5's order. Nothing is requested
    /// yet: the first `bearer` call finds the first candidate that works.
    pub(crate) fn new(settings: &CredentialSettings, cloud: Cloud) -> Self {
        Self::for_scope(
            settings,
            cloud,
            cloud.token_scope(),
            (settings.arm_token.as_ref(), "SCOPEFORM_ARM_TOKEN"),
        )
    }

    /// The same chain for Key Vault: tokens for the cloud's vault scope, and
    /// `SCOPEFORM_KEYVAULT_TOKEN` as the token used as is.
    pub(crate) fn for_key_vault(settings: &CredentialSettings, cloud: Cloud) -> Self {
        Self::for_scope(
            settings,
            cloud,
            cloud.key_vault_scope(),
            (settings.keyvault_token.as_ref(), "SCOPEFORM_KEYVAULT_TOKEN"),
        )
    }

    fn for_scope(
        settings: &CredentialSettings,
        cloud: Cloud,
        scope: String,
        (token, variable): (Option<&Secret>, &'static str),
    ) -> Self {
        if let Some(token) = token {
            return Self {
                inner: Arc::new(Source::Static(token.clone(), variable)),
            };
        }
        let mut candidates: Vec<(&'static str, Arc<dyn TokenCredential>)> = Vec::new();
        let mut skipped = Vec::new();
        let mut note = |name: &str, e: &dyn fmt::Display| skipped.push(format!("{name}: {e}"));

        if let (Some(client_id), Some(tenant_id), Some(secret)) = (
            &settings.client_id,
            &settings.tenant_id,
            &settings.client_secret,
        ) {
            let options = ClientSecretCredentialOptions {
                client_options: client_options(cloud),
            };
            match ClientSecretCredential::new(
                tenant_id,
                client_id.clone(),
                AzureSecret::new(secret.expose().to_owned()),
                Some(options),
            ) {
                Ok(c) => candidates.push((
                    "client secret (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET)",
                    c,
                )),
                Err(e) => note("client secret", &e),
            }
        }
        if let Some(file) = &settings.federated_token_file {
            let options = WorkloadIdentityCredentialOptions {
                credential_options: ClientAssertionCredentialOptions {
                    client_options: client_options(cloud),
                },
                client_id: settings.client_id.clone(),
                tenant_id: settings.tenant_id.clone(),
                token_file_path: Some(file.clone()),
            };
            match WorkloadIdentityCredential::new(Some(options)) {
                Ok(c) => candidates.push(("workload identity (AZURE_FEDERATED_TOKEN_FILE)", c)),
                Err(e) => note("workload identity", &e),
            }
        }
        if settings.ambient {
            let options = ManagedIdentityCredentialOptions {
                client_options: client_options(cloud),
                ..ManagedIdentityCredentialOptions::default()
            };
            match ManagedIdentityCredential::new(Some(options)) {
                Ok(c) => candidates.push(("managed identity", c)),
                Err(e) => note("managed identity", &e),
            }
            match AzureCliCredential::new(None) {
                Ok(c) => candidates.push(("Azure CLI (az login)", c)),
                Err(e) => note("Azure CLI", &e),
            }
        }
        Self {
            inner: Arc::new(Source::Chain(Chain {
                scope,
                static_variable: variable,
                candidates,
                skipped,
                chosen: OnceLock::new(),
            })),
        }
    }

    /// A bearer token for ARM, never logged or shown.
    pub(crate) async fn bearer(&self) -> Result<Secret, LiveError> {
        match &*self.inner {
            Source::Static(token, _) => Ok(token.clone()),
            Source::Chain(chain) => chain.bearer().await,
        }
    }
}

impl Chain {
    async fn bearer(&self) -> Result<Secret, LiveError> {
        if let Some(&index) = self.chosen.get() {
            let (name, credential) = &self.candidates[index];
            return get(credential.as_ref(), &self.scope, CREDENTIAL_TIMEOUT)
                .await
                .map_err(|e| LiveError::Credentials(format!("{name} failed: {e}")));
        }
        let mut tried = self.skipped.clone();
        for (index, (name, credential)) in self.candidates.iter().enumerate() {
            let timeout = if *name == "managed identity" {
                MANAGED_IDENTITY_TIMEOUT
            } else {
                CREDENTIAL_TIMEOUT
            };
            match get(credential.as_ref(), &self.scope, timeout).await {
                Ok(token) => {
                    let _ = self.chosen.set(index);
                    return Ok(token);
                }
                Err(e) => tried.push(format!("{name}: {e}")),
            }
        }
        let mut lines = vec![format!("{}: not set", self.static_variable)];
        if self.candidates.is_empty() && self.skipped.is_empty() {
            lines.push("(no other credential is configured)".to_owned());
        }
        lines.extend(tried);
        Err(LiveError::NoCredential { tried: lines })
    }
}

async fn get(
    credential: &dyn TokenCredential,
    scope: &str,
    timeout: Duration,
) -> Result<Secret, String> {
    match tokio::time::timeout(timeout, credential.get_token(&[scope], None)).await {
        Ok(Ok(token)) => Ok(Secret::new(token.token.secret().to_owned())),
        Ok(Err(e)) => Err(first_line(&e.to_string())),
        Err(_) => Err(format!("no answer within {}s", timeout.as_secs())),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_token_is_used_as_is() {
        let settings = CredentialSettings {
            arm_token: Some(Secret::new("abc".into())),
            client_id: Some("ignored".into()),
            ..CredentialSettings::default()
        };
        let source = TokenSource::new(&settings, Cloud::AzureCloud);
        assert_eq!(source.bearer().await.unwrap().expose(), "abc");
        assert_eq!(format!("{source:?}"), "TokenSource(SCOPEFORM_ARM_TOKEN)");
        assert!(!format!("{settings:?}").contains("abc"));
    }

    #[tokio::test]
    async fn nothing_configured_lists_what_was_tried() {
        let source = TokenSource::new(&CredentialSettings::default(), Cloud::AzureCloud);
        let err = source.bearer().await.unwrap_err();
        let LiveError::NoCredential { tried } = &err else {
            panic!("{err}");
        };
        assert_eq!(
            tried,
            &[
                "SCOPEFORM_ARM_TOKEN: not set",
                "(no other credential is configured)"
            ]
        );
        assert_eq!(
            err.to_string(),
            "no Azure credential worked; tried: SCOPEFORM_ARM_TOKEN: not set; (no other \
             credential is configured)"
        );
    }

    #[tokio::test]
    async fn a_missing_federated_token_file_is_reported() {
        let settings = CredentialSettings {
            client_id: Some("00000000-0000-0000-0000-000000000001".into()),
            tenant_id: Some("00000000-0000-0000-0000-000000000002".into()),
            federated_token_file: Some("/nonexistent/scopeform-token".into()),
            ..CredentialSettings::default()
        };
        let source = TokenSource::new(&settings, Cloud::AzureCloud);
        let err = source.bearer().await.unwrap_err().to_string();
        assert!(err.contains("workload identity"), "{err}");
    }
}
