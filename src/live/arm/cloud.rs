//! Where ARM requests go: a cloud's ARM endpoint, or an override such as the emulator's.

use reqwest::Url;

use crate::live::LiveError;
use crate::model::Cloud;

/// Where ARM requests go: the cloud's endpoint, or an override such as the emulator's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArmEndpoint {
    base: Url,
}

impl ArmEndpoint {
    pub(crate) fn for_cloud(cloud: Cloud) -> Self {
        Self {
            base: Url::parse(cloud.arm_endpoint()).expect("the built-in endpoints are valid URLs"),
        }
    }

    /// Checks an override (`--arm-endpoint`, `SCOPEFORM_ARM_ENDPOINT`): `https://` anywhere,
    /// plain `http://` only on loopback, so a bearer token never crosses a network in clear.
    pub(crate) fn parse_override(text: &str) -> Result<Self, LiveError> {
        let base = Url::parse(text.trim())
            .map_err(|e| LiveError::Endpoint(format!("ARM endpoint `{text}` is not a URL: {e}")))?;
        if base.cannot_be_a_base() || base.host().is_none() {
            return Err(LiveError::Endpoint(format!(
                "ARM endpoint `{text}` has no host"
            )));
        }
        if !base.username().is_empty() || base.password().is_some() {
            return Err(LiveError::Endpoint(
                "ARM endpoint must not carry credentials in the URL".to_owned(),
            ));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(LiveError::Endpoint(format!(
                "ARM endpoint `{text}` must not have a query or fragment"
            )));
        }
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) => {}
            "http" => {
                return Err(LiveError::Endpoint(format!(
                    "ARM endpoint `{text}` uses plain http on a host that is not loopback; use https (http is allowed only for 127.0.0.0/8, ::1 and localhost)"
                )));
            }
            other => {
                return Err(LiveError::Endpoint(format!(
                    "ARM endpoint `{text}` has scheme `{other}`; expected https"
                )));
            }
        }
        Ok(Self { base })
    }

    /// The absolute URL of an ARM path (which starts with `/`) with `query` appended.
    pub(crate) fn url(&self, path: &str, query: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}{path}?{query}")
    }

    /// Checks that a URL ARM handed back (`nextLink`, `Azure-AsyncOperation`, `Location`)
    /// points at this endpoint, so the bearer token is never sent anywhere else.
    pub(crate) fn check_same_origin(&self, url: &str) -> Result<Url, LiveError> {
        // The URL is ARM's text: only its origin is ever shown.
        let parsed = Url::parse(url).map_err(|e| {
            LiveError::Endpoint(format!(
                "ARM returned a URL to follow that is not valid: {e}"
            ))
        })?;
        if parsed.origin() != self.base.origin() {
            return Err(LiveError::Endpoint(format!(
                "ARM returned a URL on another host ({}); refusing to send credentials there",
                parsed.origin().ascii_serialization()
            )));
        }
        Ok(parsed)
    }

    pub(crate) fn as_str(&self) -> &str {
        self.base.as_str()
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // IPv6 hosts come bracketed: `[::1]`.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_and_scopes() {
        assert_eq!(
            "azurechinacloud".parse::<Cloud>().unwrap().token_scope(),
            "https://management.chinacloudapi.cn/.default"
        );
        assert_eq!(
            Cloud::AzureUSGovernment.arm_endpoint(),
            "https://management.usgovcloudapi.net"
        );
        assert_eq!(
            ArmEndpoint::for_cloud(Cloud::AzureCloud).url("/subscriptions/s", "api-version=1"),
            "https://management.azure.com/subscriptions/s?api-version=1"
        );
        assert!("AzureGermanCloud".parse::<Cloud>().is_err());
    }

    #[test]
    fn plain_http_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000/",
            "http://localhost:1234",
            "https://management.azure.com",
            "https://arm.example.com/",
        ] {
            assert!(ArmEndpoint::parse_override(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1",
            "http://example.com",
            "http://localhost.example.com",
            "http://[::2]",
            "ftp://127.0.0.1",
            "not a url",
            "https://user:pw@example.com",
            "https://example.com/?x=1",
            "https://example.com/#fragment",
        ] {
            assert!(ArmEndpoint::parse_override(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn returned_urls_must_stay_on_the_endpoint() {
        let endpoint = ArmEndpoint::parse_override("http://127.0.0.1:8080").unwrap();
        assert!(
            endpoint
                .check_same_origin("http://127.0.0.1:8080/subscriptions/x?$skipToken=2")
                .is_ok()
        );
        assert!(
            endpoint
                .check_same_origin("http://127.0.0.1:8081/x")
                .is_err()
        );
        assert!(
            endpoint
                .check_same_origin("https://evil.example/x")
                .is_err()
        );
    }
}
