//! Key Vault's secrets data plane, served under `/keyvault/{vault}` next to ARM: set, get,
//! list versions, list secrets and update, as `azure_security_keyvault_secrets` 1.x calls
//! them (api-version `2025-07-01`; `7.5` and `7.6` too).
//!
//! `app` runs the pipeline (outage, vault lookup, the bearer challenge, faults); this module
//! decides one authenticated request against one vault.

pub mod error;
pub mod store;

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

pub use error::KvError;
use store::{Secret, SecretVersion, Vault};

/// The path prefix of every vault: `/keyvault/{vault}/…`.
pub const PREFIX: &str = "keyvault";

/// The api-versions the emulator answers (the crate's default first).
pub const API_VERSIONS: [&str; 3] = ["2025-07-01", "7.6", "7.5"];

/// The resource Key Vault's challenge names; tokens are requested for `{RESOURCE}/.default`.
pub const RESOURCE: &str = "https://vault.azure.net";

/// The tenant the challenge's `authorization` URL ends with.
pub const TENANT: &str = "00000000-0000-0000-0000-000000000000";

/// Key Vault's page size limit (`maxresults` is 1 to 25).
const MAX_RESULTS: usize = 25;

/// The largest secret value Key Vault takes (25 KiB).
const MAX_VALUE_BYTES: usize = 25 * 1024;

/// A request path under `/keyvault/`: the vault's name and the segments after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvPath {
    pub vault: String,
    /// After the vault name, trailing empty segment kept (`secrets/x/` asks for the newest).
    pub rest: Vec<String>,
}

impl KvPath {
    /// `None` when `path` is not under `/keyvault/`.
    pub fn parse(path: &str) -> Option<Self> {
        let path = path.strip_prefix('/')?;
        let (first, after) = path.split_once('/').unwrap_or((path, ""));
        if !first.eq_ignore_ascii_case(PREFIX) {
            return None;
        }
        let (vault, rest) = after.split_once('/').unwrap_or((after, ""));
        let rest = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').map(str::to_owned).collect()
        };
        Some(Self {
            vault: vault.to_owned(),
            rest,
        })
    }
}

/// Key Vault's vault name rule: 3 to 24 letters, digits and dashes, starting with a letter.
pub fn check_vault_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    let starts_with_letter = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if (3..=24).contains(&len)
        && starts_with_letter
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a Key Vault name: 3 to 24 letters, digits and dashes, starting with a letter"
        ))
    }
}

/// Key Vault's secret name rule: 1 to 127 letters, digits and dashes.
fn check_secret_name(name: &str) -> Result<(), KvError> {
    if (1..=127).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Ok(())
    } else {
        Err(KvError::bad_parameter(format!(
            "The request URI contains an invalid name: {name}"
        )))
    }
}

/// Checks the `api-version` query parameter.
pub fn check_api_version(version: Option<&str>) -> Result<(), KvError> {
    match version {
        None | Some("") => Err(KvError::bad_parameter(
            "The api-version query parameter is required for all requests.",
        )),
        Some(v) if API_VERSIONS.contains(&v) => Ok(()),
        Some(other) => Err(KvError::bad_parameter(format!(
            "The specified version ({other}) is not recognized. Consider using the latest supported version ({}).",
            API_VERSIONS[0]
        ))),
    }
}

/// One authenticated request to an existing vault.
pub struct Request<'a> {
    pub method: &'a Method,
    /// The segments after the vault name.
    pub rest: &'a [String],
    pub query: &'a [(String, String)],
    pub body: &'a [u8],
    /// `http://{host}/keyvault/{vault}`, the base of every `id` and `nextLink`.
    pub vault_url: &'a str,
    /// Items per page when the request sets no `maxresults`.
    pub page_size: usize,
    pub now: DateTime<Utc>,
}

impl Request<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A decided request: the answer and whether the vault changed.
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub changed: bool,
}

impl Answer {
    fn read(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            changed: false,
        }
    }

    fn write(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            changed: true,
        }
    }
}

/// Serves `request` against `vault`.
pub fn serve(vault: &mut Vault, request: &Request<'_>) -> Result<Answer, KvError> {
    let method = request.method;
    let rest: Vec<&str> = request.rest.iter().map(String::as_str).collect();
    let is = |segment: &str, word: &str| segment.eq_ignore_ascii_case(word);
    match rest.as_slice() {
        [s] | [s, ""] if is(s, "secrets") => match *method {
            Method::GET => list_secrets(vault, request).map(Answer::read),
            _ => Err(KvError::method_not_allowed(method.as_str())),
        },
        [s, name, v] if is(s, "secrets") && is(v, "versions") => {
            check_secret_name(name)?;
            match *method {
                Method::GET => list_versions(vault, name, request).map(Answer::read),
                _ => Err(KvError::method_not_allowed(method.as_str())),
            }
        }
        [s, name] if is(s, "secrets") => {
            check_secret_name(name)?;
            match *method {
                Method::PUT => set(vault, name, request).map(Answer::write),
                Method::GET => get(vault, name, "", request).map(Answer::read),
                Method::PATCH => update(vault, name, "", request).map(Answer::write),
                _ => Err(KvError::method_not_allowed(method.as_str())),
            }
        }
        [s, name, version] if is(s, "secrets") => {
            check_secret_name(name)?;
            match *method {
                Method::GET => get(vault, name, version, request).map(Answer::read),
                Method::PATCH => update(vault, name, version, request).map(Answer::write),
                _ => Err(KvError::method_not_allowed(method.as_str())),
            }
        }
        _ => Err(KvError::no_such_path(&format!(
            "/{PREFIX}/{}/{}",
            vault.name,
            request.rest.join("/")
        ))),
    }
}

/// The writable attributes, as the client sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttributesIn {
    enabled: Option<bool>,
    nbf: Option<i64>,
    exp: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetBody {
    value: Option<String>,
    content_type: Option<String>,
    attributes: Option<AttributesIn>,
    tags: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateBody {
    content_type: Option<String>,
    attributes: Option<AttributesIn>,
    tags: Option<BTreeMap<String, String>>,
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, KvError> {
    serde_json::from_slice(body)
        .map_err(|e| KvError::bad_parameter(format!("The request body is not valid: {e}")))
}

fn set(vault: &mut Vault, name: &str, request: &Request<'_>) -> Result<Value, KvError> {
    let body: SetBody = parse(request.body)?;
    let value = body
        .value
        .ok_or_else(|| KvError::bad_parameter("Property 'value' is required."))?;
    if value.len() > MAX_VALUE_BYTES {
        return Err(KvError::bad_parameter(format!(
            "The secret value is {} bytes long; the limit is {MAX_VALUE_BYTES}.",
            value.len()
        )));
    }
    let attributes = body.attributes.unwrap_or_default();
    let version = SecretVersion {
        version: store::new_version(),
        value,
        content_type: body.content_type,
        tags: body.tags.unwrap_or_default(),
        enabled: attributes.enabled.unwrap_or(true),
        not_before: attributes.nbf,
        expires: attributes.exp,
        created: request.now,
        updated: request.now,
    };
    let secret = vault
        .secrets
        .entry(name.to_ascii_lowercase())
        .or_insert_with(|| Secret {
            name: name.to_owned(),
            versions: Vec::new(),
        });
    name.clone_into(&mut secret.name);
    secret.versions.push(version);
    let secret = &vault.secrets[&name.to_ascii_lowercase()];
    let newest = secret.newest().expect("a version was just pushed");
    Ok(bundle(request.vault_url, &secret.name, newest, true))
}

fn find<'v>(
    vault: &'v Vault,
    name: &str,
    version: &str,
) -> Result<(&'v Secret, &'v SecretVersion), KvError> {
    let not_found = || {
        if version.is_empty() {
            KvError::secret_not_found(name)
        } else {
            KvError::secret_not_found(&format!("{name}/{version}"))
        }
    };
    let secret = vault
        .secrets
        .get(&name.to_ascii_lowercase())
        .ok_or_else(not_found)?;
    let found = secret.version(version).ok_or_else(not_found)?;
    Ok((secret, found))
}

fn get(vault: &Vault, name: &str, version: &str, request: &Request<'_>) -> Result<Value, KvError> {
    let (secret, found) = find(vault, name, version)?;
    if !found.enabled {
        return Err(KvError::disabled("get"));
    }
    Ok(bundle(request.vault_url, &secret.name, found, true))
}

fn update(
    vault: &mut Vault,
    name: &str,
    version: &str,
    request: &Request<'_>,
) -> Result<Value, KvError> {
    let body: UpdateBody = parse(request.body)?;
    find(vault, name, version)?;
    let secret = vault
        .secrets
        .get_mut(&name.to_ascii_lowercase())
        .expect("found above");
    let found = secret.version_mut(version).expect("found above");
    if let Some(content_type) = body.content_type {
        found.content_type = Some(content_type);
    }
    if let Some(tags) = body.tags {
        found.tags = tags;
    }
    if let Some(attributes) = body.attributes {
        if let Some(enabled) = attributes.enabled {
            found.enabled = enabled;
        }
        if attributes.nbf.is_some() {
            found.not_before = attributes.nbf;
        }
        if attributes.exp.is_some() {
            found.expires = attributes.exp;
        }
    }
    found.updated = request.now;
    let found = found.clone();
    Ok(bundle(request.vault_url, &secret.name, &found, false))
}

/// The page a list request asks for: `(skip, size)`.
fn page(request: &Request<'_>) -> Result<(usize, usize), KvError> {
    let size = match request.param("maxresults") {
        None => request.page_size.clamp(1, MAX_RESULTS),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_RESULTS).contains(n))
            .ok_or_else(|| {
                KvError::bad_parameter(format!(
                    "Invalid maxresults '{text}': it must be between 1 and {MAX_RESULTS}."
                ))
            })?,
    };
    let skip = match request.param("$skiptoken") {
        None => 0,
        Some(token) => token
            .parse::<usize>()
            .map_err(|_| KvError::bad_parameter(format!("Invalid $skiptoken '{token}'.")))?,
    };
    Ok((skip, size))
}

/// One page of `items`, with the `nextLink` to `path` when more follow.
fn paged(items: Vec<Value>, path: &str, request: &Request<'_>) -> Result<Value, KvError> {
    let (skip, size) = page(request)?;
    let total = items.len();
    let value: Vec<Value> = items.into_iter().skip(skip).take(size).collect();
    let next_link = (skip + size < total).then(|| {
        let api_version = request.param("api-version").unwrap_or(API_VERSIONS[0]);
        format!(
            "{}{path}?api-version={api_version}&$skiptoken={}&maxresults={size}",
            request.vault_url,
            skip + size
        )
    });
    Ok(json!({ "value": value, "nextLink": next_link }))
}

fn list_versions(vault: &Vault, name: &str, request: &Request<'_>) -> Result<Value, KvError> {
    let secret = vault
        .secrets
        .get(&name.to_ascii_lowercase())
        .ok_or_else(|| KvError::secret_not_found(name))?;
    let items = secret
        .versions
        .iter()
        .map(|v| bundle(request.vault_url, &secret.name, v, false))
        .collect();
    paged(
        items,
        &format!("/secrets/{}/versions", secret.name),
        request,
    )
}

fn list_secrets(vault: &Vault, request: &Request<'_>) -> Result<Value, KvError> {
    let items = vault
        .secrets
        .values()
        .filter_map(|secret| {
            let newest = secret.newest()?;
            let mut item = bundle(request.vault_url, &secret.name, newest, false);
            item["id"] = json!(format!("{}/secrets/{}", request.vault_url, secret.name));
            Some(item)
        })
        .collect();
    paged(items, "/secrets", request)
}

/// Key Vault's `attributes`: times as unix seconds.
fn attributes(version: &SecretVersion) -> Value {
    let mut attributes = Map::new();
    attributes.insert("enabled".to_owned(), json!(version.enabled));
    if let Some(nbf) = version.not_before {
        attributes.insert("nbf".to_owned(), json!(nbf));
    }
    if let Some(exp) = version.expires {
        attributes.insert("exp".to_owned(), json!(exp));
    }
    attributes.insert("created".to_owned(), json!(version.created.timestamp()));
    attributes.insert("updated".to_owned(), json!(version.updated.timestamp()));
    attributes.insert("recoveryLevel".to_owned(), json!("Recoverable+Purgeable"));
    attributes.insert("recoverableDays".to_owned(), json!(90));
    Value::Object(attributes)
}

/// A `SecretBundle` (with the value) or a `SecretItem` of a list (without).
fn bundle(vault_url: &str, name: &str, version: &SecretVersion, with_value: bool) -> Value {
    let mut body = Map::new();
    if with_value {
        body.insert("value".to_owned(), json!(version.value));
    }
    if let Some(content_type) = &version.content_type {
        body.insert("contentType".to_owned(), json!(content_type));
    }
    body.insert(
        "id".to_owned(),
        json!(format!("{vault_url}/secrets/{name}/{}", version.version)),
    );
    body.insert("attributes".to_owned(), attributes(version));
    if !version.tags.is_empty() {
        body.insert("tags".to_owned(), json!(version.tags));
    }
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vault_paths() {
        let path = KvPath::parse("/keyvault/myvault/secrets/x/").expect("under the prefix");
        assert_eq!(path.vault, "myvault");
        assert_eq!(path.rest, ["secrets", "x", ""]);
        let path = KvPath::parse("/KeyVault/myvault").expect("under the prefix");
        assert!(path.rest.is_empty());
        assert_eq!(KvPath::parse("/subscriptions/x"), None);
        assert_eq!(KvPath::parse("/keyvaults/x"), None);
    }

    #[test]
    fn vault_names() {
        for good in ["abc", "my-vault-1", "a23456789012345678901234"] {
            assert!(check_vault_name(good).is_ok(), "{good}");
        }
        for bad in ["ab", "1vault", "my_vault", "a234567890123456789012345", ""] {
            assert!(check_vault_name(bad).is_err(), "{bad}");
        }
    }
}
