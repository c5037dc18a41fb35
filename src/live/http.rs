//! The HTTP client scopeform talks to Azure with, ARM and Key Vault alike: rustls with the
//! platform's roots (certificate errors are always errors), and no redirect followed: neither
//! service redirects these calls, and a client that follows one may send the bearer token
//! along to wherever it leads.

use std::time::Duration;

/// A client whose requests give up after `timeout`, connecting included.
pub(crate) fn client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(15))
        .user_agent(concat!("scopeform/", env!("CARGO_PKG_VERSION")))
        .build()
}
