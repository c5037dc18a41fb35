//! Azure Key Vault, where `apply` delivers generated passwords (`secrets.key_vault`): each one a
//! new version of its secret, with its expiry, a content type and tags naming the registry,
//! token, slot and the password's creation time. Microsoft's `azure_security_keyvault_secrets`
//! speaks the protocol (including Key Vault's authentication challenge); scopeform gives it:
//!
//! - a transport of its own: no redirect followed, no request to any origin but the vault's
//!   (a `nextLink` elsewhere is refused before the bearer token could go there), bodies read
//!   with the same bound as ARM's;
//! - a credential that hands out tokens for the cloud's vault scope only (a challenge naming
//!   another resource gets no token), from `SCOPEFORM_KEYVAULT_TOKEN` or the chain ARM uses;
//! - few retries: the apply checks Key Vault before it changes anything, and a failure later
//!   is recovered by the next apply, so waiting long helps nobody.
//!
//! Errors say what failed with Key Vault's status and code; the server's message is bounded and
//! any password value in it is removed before it is kept (callers print it through
//! `render::Untrusted`).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::headers::{HeaderName, HeaderValue, Headers};
use azure_core::http::{
    AsyncRawResponse, ClientOptions, ExponentialRetryOptions, HttpClient, Request, RetryOptions,
    Transport,
};
use azure_security_keyvault_secrets::models::{SecretAttributes, SetSecretParameters};
use azure_security_keyvault_secrets::{SecretClient, SecretClientOptions};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::Url;

use super::arm::Cloud;
use super::arm::is_loopback;
use super::{CredentialSettings, TokenSource, bounded};
use crate::model::{GeneratedPassword, PasswordSlot, RegistryName, Secret, VaultUrl};

/// What every version scopeform writes says it is.
pub(crate) const CONTENT_TYPE: &str = "application/vnd.scopeform.acr-token-password";
/// The tags scopeform writes on each version.
pub(crate) const TAG_REGISTRY: &str = "registry";
pub(crate) const TAG_TOKEN: &str = "token";
pub(crate) const TAG_SLOT: &str = "slot";
pub(crate) const TAG_CREATED: &str = "created";

const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The most read of one answer: a page of versions is a few kB.
const MAX_BODY: usize = 4 << 20;

/// Why Key Vault could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct KeyVaultError {
    /// What failed, quoting Key Vault (bounded, with no password value): print it escaped.
    pub message: String,
    /// Key Vault's HTTP status, when it answered.
    pub status: Option<u16>,
    /// Key Vault's error code (`Forbidden`, `SecretNotFound`, …), when it sent one.
    pub code: Option<String>,
    /// Whether trying again later could succeed (no answer, 429, 5xx).
    pub retryable: bool,
}

impl KeyVaultError {
    fn setup(message: String) -> Self {
        Self {
            message,
            status: None,
            code: None,
            retryable: false,
        }
    }
}

/// How to reach a vault.
#[derive(Debug, Clone)]
pub(crate) struct KeyVaultSettings {
    pub vault: VaultUrl,
    /// `--keyvault-endpoint` / `SCOPEFORM_KEYVAULT_ENDPOINT`: where all vault traffic goes
    /// instead (https, or plain http on loopback only).
    pub endpoint: Option<String>,
    pub cloud: Cloud,
    pub credentials: CredentialSettings,
}

/// One version of a secret, as listed (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SecretVersion {
    /// When Key Vault created the version.
    pub created: Option<DateTime<Utc>>,
    pub tags: HashMap<String, String>,
}

impl SecretVersion {
    /// Whether scopeform wrote this version for `slot` of `token` of `registry`.
    pub(crate) fn is_for(&self, registry: &RegistryName, token: &str, slot: PasswordSlot) -> bool {
        let tag = |name: &str| self.tags.get(name).map(String::as_str);
        tag(TAG_REGISTRY).is_some_and(|r| r.eq_ignore_ascii_case(registry.as_str()))
            && tag(TAG_TOKEN).is_some_and(|t| t.eq_ignore_ascii_case(token))
            && tag(TAG_SLOT) == Some(slot.as_str())
    }

    /// The password's creation time the version's `created` tag records.
    pub(crate) fn password_created(&self) -> Option<DateTime<Utc>> {
        self.tags.get(TAG_CREATED)?.parse().ok()
    }
}

/// The newest version scopeform wrote for `slot` of `token`, among `versions`.
pub(crate) fn newest_for<'a>(
    versions: &'a [SecretVersion],
    registry: &RegistryName,
    token: &str,
    slot: PasswordSlot,
) -> Option<&'a SecretVersion> {
    versions
        .iter()
        .filter(|v| v.is_for(registry, token, slot))
        .max_by_key(|v| (v.created, v.password_created()))
}

/// A connected vault.
#[derive(Clone)]
pub(crate) struct KeyVault {
    client: Arc<SecretClient>,
    /// Where requests go, for messages.
    shown: String,
}

impl std::fmt::Debug for KeyVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyVault({})", self.shown)
    }
}

impl KeyVault {
    /// Sets up the client; nothing is sent yet.
    pub(crate) fn connect(settings: &KeyVaultSettings) -> Result<Self, KeyVaultError> {
        let (base, overridden) = match &settings.endpoint {
            Some(text) => (parse_override(text)?, true),
            None => (
                Url::parse(settings.vault.as_str())
                    .map_err(|e| KeyVaultError::setup(format!("vault URL: {e}")))?,
                false,
            ),
        };
        let http = crate::live::http::client(REQUEST_TIMEOUT)
            .map_err(|e| KeyVaultError::setup(format!("cannot set up the HTTP client: {e}")))?;
        // azure_core sends a bearer token over https only. A plain-http override (loopback
        // only, checked above) is given to the client as https and turned back into http by
        // the transport, for that origin alone.
        let plain_http = base.scheme() == "http";
        let mut base = base;
        if plain_http {
            base.set_scheme("https")
                .map_err(|()| KeyVaultError::setup("cannot map the endpoint".to_owned()))?;
        }
        let transport = OriginBound {
            http,
            origin: base.origin(),
            plain_http,
        };
        let retry = ExponentialRetryOptions {
            max_retries: 2,
            max_total_elapsed: azure_core::time::Duration::seconds(10),
            max_delay: azure_core::time::Duration::seconds(2),
            ..ExponentialRetryOptions::default()
        };
        let client_options = ClientOptions {
            transport: Some(Transport::new(Arc::new(transport))),
            retry: RetryOptions::exponential(retry),
            ..ClientOptions::default()
        };
        let scope = settings.cloud.key_vault_scope();
        let credential = Arc::new(VaultCredential {
            tokens: TokenSource::for_key_vault(&settings.credentials, settings.cloud),
            scope,
        });
        let options = SecretClientOptions {
            client_options,
            // The challenge of an endpoint override (an emulator on 127.0.0.1) names
            // vault.azure.net, which 127.0.0.1 is not under; the credential still hands out
            // tokens for the cloud's vault scope only.
            verify_challenge_resource: Some(!overridden),
            ..SecretClientOptions::default()
        };
        let shown = match &settings.endpoint {
            Some(text) => text.trim().trim_end_matches('/').to_owned(),
            None => base.as_str().trim_end_matches('/').to_owned(),
        };
        let client = SecretClient::new(base.as_str(), credential, Some(options)).map_err(|e| {
            KeyVaultError::setup(format!("cannot set up the Key Vault client: {e}"))
        })?;
        Ok(Self {
            client: Arc::new(client),
            shown,
        })
    }

    /// Where requests go.
    pub(crate) fn endpoint(&self) -> &str {
        &self.shown
    }

    /// Every version of `secret` (none when it does not exist). Needs `secrets/list`: what the
    /// apply checks before it changes anything.
    pub(crate) async fn versions(&self, secret: &str) -> Result<Vec<SecretVersion>, KeyVaultError> {
        let what = || {
            format!(
                "listing the versions of secret `{secret}` in {}",
                self.shown
            )
        };
        let mut pager = self
            .client
            .list_secret_properties_versions(secret, None)
            .map_err(|e| describe(&what(), &e, None))?;
        let mut versions = Vec::new();
        while let Some(item) = pager.next().await {
            match item {
                Ok(properties) => versions.push(SecretVersion {
                    created: properties
                        .attributes
                        .as_ref()
                        .and_then(|a| a.created)
                        .and_then(|t| DateTime::from_timestamp(t.unix_timestamp(), 0)),
                    tags: properties.tags.unwrap_or_default(),
                }),
                Err(e) if e.http_status().map(u16::from) == Some(404) => return Ok(Vec::new()),
                Err(e) => return Err(describe(&what(), &e, None)),
            }
            if versions.len() > 100_000 {
                return Err(KeyVaultError::setup(format!(
                    "{}: more than 100000 versions; refusing to read further",
                    what()
                )));
            }
        }
        Ok(versions)
    }

    /// Writes `password` as a new version of `secret`.
    pub(crate) async fn store(
        &self,
        secret: &str,
        registry: &RegistryName,
        password: &GeneratedPassword,
    ) -> Result<(), KeyVaultError> {
        let mut tags = HashMap::from([
            (TAG_REGISTRY.to_owned(), registry.to_string()),
            (TAG_TOKEN.to_owned(), password.token.to_string()),
            (TAG_SLOT.to_owned(), password.slot.as_str().to_owned()),
        ]);
        if let Some(created) = password.creation_time {
            tags.insert(
                TAG_CREATED.to_owned(),
                created.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            );
        }
        // `SecretAttributes` is built from its wire form: its times are another crate's type.
        let attributes: SecretAttributes = serde_json::from_value(serde_json::json!({
            "enabled": true,
            "exp": password.expiry.map(|e| e.timestamp()),
        }))
        .map_err(|e| KeyVaultError::setup(format!("secret attributes: {e}")))?;
        let parameters = SetSecretParameters {
            content_type: Some(CONTENT_TYPE.to_owned()),
            secret_attributes: Some(attributes),
            tags: Some(tags),
            value: Some(password.value.expose().to_owned()),
        };
        let what = || {
            format!(
                "writing {} of {} to secret `{secret}` in {}",
                password.slot, password.token, self.shown
            )
        };
        let content = parameters
            .try_into()
            .map_err(|e| describe(&what(), &e, Some(&password.value)))?;
        self.client
            .set_secret(secret, content, None)
            .await
            .map(drop)
            .map_err(|e| describe(&what(), &e, Some(&password.value)))
    }
}

/// `https://` anywhere, plain `http://` on loopback only, as for ARM's endpoint.
fn parse_override(text: &str) -> Result<Url, KeyVaultError> {
    let bad = |why: String| KeyVaultError::setup(format!("Key Vault endpoint `{text}` {why}"));
    let url = Url::parse(text.trim()).map_err(|e| bad(format!("is not a URL: {e}")))?;
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(bad("has no host".to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(KeyVaultError::setup(
            "Key Vault endpoint must not carry credentials in the URL".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment".to_owned()));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(bad(
            "uses plain http on a host that is not loopback; use https (http is allowed only \
             for 127.0.0.0/8, ::1 and localhost)"
                .to_owned(),
        )),
        other => Err(bad(format!("has scheme `{other}`; expected https"))),
    }
}

/// A failure of the crate, as scopeform says it: Key Vault's status and code, its message
/// bounded, and `secret`'s value removed wherever the server echoed it.
fn describe(what: &str, err: &azure_core::Error, secret: Option<&Secret>) -> KeyVaultError {
    use azure_core::error::ErrorKind;
    let (status, code, retryable) = match err.kind() {
        ErrorKind::HttpResponse {
            status, error_code, ..
        } => {
            let status = u16::from(*status);
            (
                Some(status),
                error_code.clone(),
                status == 429 || status >= 500 || status == 408,
            )
        }
        ErrorKind::Connection | ErrorKind::Io => (None, None, true),
        _ => (None, None, false),
    };
    let mut detail = bounded(&first_lines(&chain(err)), super::MAX_MESSAGE_CHARS);
    if let Some(secret) = secret
        && !secret.expose().is_empty()
    {
        detail = detail.replace(secret.expose(), "<redacted>");
    }
    let answered = match (status, &code) {
        (Some(s), Some(c)) => format!("Key Vault answered {s} {}: ", bounded(c, 100)),
        (Some(s), None) => format!("Key Vault answered {s}: "),
        _ => String::new(),
    };
    KeyVaultError {
        message: format!("{what}: {answered}{detail}"),
        status,
        code: code.map(|c| bounded(&c, 100)),
        retryable,
    }
}

/// An error and its sources, innermost last, without repeating what an outer one already says.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let said = inner.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = inner.source();
    }
    text
}

fn first_lines(text: &str) -> String {
    text.lines().take(3).collect::<Vec<_>>().join(" ")
}

/// Hands the crate tokens for the vault scope of the operator's cloud, and for nothing else.
#[derive(Debug)]
struct VaultCredential {
    tokens: TokenSource,
    scope: String,
}

#[async_trait::async_trait]
impl TokenCredential for VaultCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        if scopes != [self.scope.as_str()] {
            return Err(azure_core::Error::with_message(
                azure_core::error::ErrorKind::Credential,
                format!(
                    "Key Vault asked for a token for {}; scopeform requests Key Vault tokens for {} only",
                    bounded(&scopes.join(" "), 200),
                    self.scope
                ),
            ));
        }
        let token = self.tokens.bearer().await.map_err(|e| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Credential, e.to_string())
        })?;
        // The chain keeps its own cache; a short lifetime here only means asking it again.
        let expires_on =
            azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::minutes(5);
        Ok(AccessToken::new(token.expose().to_owned(), expires_on))
    }
}

/// The crate's transport: scopeform's own HTTP client, bound to the vault's origin.
#[derive(Debug)]
struct OriginBound {
    http: reqwest::Client,
    origin: url::Origin,
    /// The endpoint is a plain-http loopback override, which the client sees as https.
    plain_http: bool,
}

#[async_trait::async_trait]
impl HttpClient for OriginBound {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        use azure_core::error::ErrorKind;
        let mut url = Url::parse(request.url().as_str())
            .map_err(|e| azure_core::Error::with_message(ErrorKind::Other, e.to_string()))?;
        if url.origin() != self.origin {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                format!(
                    "Key Vault pointed at another host ({}); refusing to send credentials there",
                    url.origin().ascii_serialization()
                ),
            ));
        }
        if self.plain_http {
            url.set_scheme("http").map_err(|()| {
                azure_core::Error::with_message(ErrorKind::Other, "cannot map the endpoint")
            })?;
        }
        let method = reqwest::Method::from_bytes(request.method().as_str().as_bytes())
            .map_err(|e| azure_core::Error::with_message(ErrorKind::Other, e.to_string()))?;
        let mut builder = self.http.request(method, url);
        for (name, value) in request.headers().iter() {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let body = match request.body() {
            azure_core::http::Body::Bytes(bytes) => bytes.to_vec(),
            azure_core::http::Body::SeekableStream(_) => {
                return Err(azure_core::Error::with_message(
                    ErrorKind::Other,
                    "streamed request bodies are not used",
                ));
            }
        };
        let response = builder.body(body).send().await.map_err(|e| {
            let kind = if e.is_connect() {
                ErrorKind::Connection
            } else {
                ErrorKind::Io
            };
            azure_core::Error::with_message(kind, format!("no answer from Key Vault: {e}"))
        })?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            return Err(azure_core::Error::with_message(
                ErrorKind::Other,
                format!("Key Vault answered {status} (a redirect); scopeform follows none"),
            ));
        }
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            if let Ok(value) = value.to_str() {
                headers.insert(
                    HeaderName::from(name.as_str().to_owned()),
                    HeaderValue::from(value.to_owned()),
                );
            }
        }
        let mut response = response;
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| azure_core::Error::with_message(ErrorKind::Io, e.to_string()))?
        {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(azure_core::Error::with_message(
                    ErrorKind::Io,
                    format!(
                        "Key Vault's answer exceeds {} MB; not read further",
                        MAX_BODY >> 20
                    ),
                ));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(AsyncRawResponse::from_bytes(status.into(), headers, body))
    }
}

#[cfg(test)]
mod tests {
    use azure_core::error::ErrorKind;
    use azure_core::http::{Method, StatusCode};

    use super::*;

    #[test]
    fn an_error_echoing_the_password_keeps_status_and_code_but_not_the_value() {
        let secret = Secret::new("fake-generated-password-value".to_owned());
        let err = azure_core::Error::with_message(
            ErrorKind::HttpResponse {
                status: StatusCode::ServiceUnavailable,
                error_code: Some("ServiceUnavailable".to_owned()),
                raw_response: None,
            },
            "could not store fake-generated-password-value\nnow",
        );
        let described = describe("writing", &err, Some(&secret));
        assert!(
            !described.message.contains(secret.expose()),
            "{}",
            described.message
        );
        assert!(
            described.message.contains("<redacted>"),
            "{}",
            described.message
        );
        assert!(
            described
                .message
                .starts_with("writing: Key Vault answered 503 ServiceUnavailable: "),
            "{}",
            described.message
        );
        assert_eq!(described.status, Some(503));
        assert_eq!(described.code.as_deref(), Some("ServiceUnavailable"));
        assert!(described.retryable);
    }

    #[tokio::test]
    async fn tokens_are_handed_out_for_the_vault_scope_only() {
        let settings = CredentialSettings {
            keyvault_token: Some(Secret::new("fake-keyvault-token".to_owned())),
            arm_token: Some(Secret::new("fake-arm-token".to_owned())),
            ..CredentialSettings::default()
        };
        let credential = VaultCredential {
            tokens: TokenSource::for_key_vault(&settings, Cloud::AzureCloud),
            scope: Cloud::AzureCloud.key_vault_scope(),
        };
        let token = credential
            .get_token(&["https://vault.azure.net/.default"], None)
            .await
            .expect("a token for the vault scope");
        assert_eq!(token.token.secret(), "fake-keyvault-token");
        let err = credential
            .get_token(&["https://management.azure.com/.default"], None)
            .await
            .expect_err("no token for ARM's scope");
        assert!(
            err.to_string().contains(
                "scopeform requests Key Vault tokens for https://vault.azure.net/.default only"
            ),
            "{err}"
        );
        assert_eq!(
            Cloud::AzureChinaCloud.key_vault_scope(),
            "https://vault.azure.cn/.default"
        );
        assert_eq!(
            Cloud::AzureUSGovernment.key_vault_scope(),
            "https://vault.usgovcloudapi.net/.default"
        );
    }

    #[tokio::test]
    async fn no_request_leaves_the_vaults_origin() {
        let vault = Url::parse("https://myvault.vault.azure.net").unwrap();
        let transport = OriginBound {
            http: reqwest::Client::new(),
            origin: vault.origin(),
            plain_http: false,
        };
        let request = Request::new(
            azure_core::http::Url::parse("https://evil.example.com/secrets?api-version=7.5")
                .unwrap(),
            Method::Get,
        );
        let err = transport
            .execute_request(&request)
            .await
            .expect_err("refused");
        assert!(
            err.to_string().contains(
                "another host (https://evil.example.com); refusing to send credentials there"
            ),
            "{err}"
        );
    }

    #[test]
    fn an_endpoint_override_is_https_or_loopback_http() {
        assert!(parse_override("http://127.0.0.1:8080/keyvault/v").is_ok());
        assert!(parse_override("http://localhost/keyvault/v").is_ok());
        assert!(parse_override("https://kv.example.com").is_ok());
        let err = parse_override("http://kv.example.com").unwrap_err();
        assert!(err.message.contains("plain http"), "{}", err.message);
        assert!(parse_override("https://u:p@kv.example.com").is_err());
        assert!(parse_override("ftp://kv.example.com").is_err());
    }

    #[test]
    fn the_newest_version_for_a_slot() {
        let registry: RegistryName = "myregistry".parse().unwrap();
        let version = |created: i64, slot: &str, password_created: &str| SecretVersion {
            created: DateTime::from_timestamp(created, 0),
            tags: HashMap::from([
                (TAG_REGISTRY.to_owned(), "myregistry".to_owned()),
                (TAG_TOKEN.to_owned(), "ci-push".to_owned()),
                (TAG_SLOT.to_owned(), slot.to_owned()),
                (TAG_CREATED.to_owned(), password_created.to_owned()),
            ]),
        };
        let versions = [
            version(10, "password1", "2026-01-01T00:00:00Z"),
            version(30, "password2", "2026-01-03T00:00:00Z"),
            version(20, "password1", "2026-01-02T00:00:00Z"),
        ];
        let newest = newest_for(&versions, &registry, "ci-push", PasswordSlot::Password1)
            .expect("a version");
        assert_eq!(
            newest.password_created(),
            Some("2026-01-02T00:00:00Z".parse().unwrap())
        );
        assert!(newest_for(&versions, &registry, "ci-pull", PasswordSlot::Password1).is_none());
    }
}
