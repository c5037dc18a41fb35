//! The one interface both backends offer, and how to set up the ARM one.

use std::future::Future;

use super::arm::{
    ArmBackend, ArmClient, ArmEndpoint, ClientOptions, Cloud, RegistryRef, RequestLog, RetryPolicy,
};
use super::{CredentialSettings, LiveError, SnapshotBackend, TokenSource, WriteSlot};
use crate::model::{BackendLocation, GeneratedPassword, Live, LiveToken, TokenName, WriteOp};

/// A live registry: read it whole, write it one change at a time.
pub(crate) trait Backend: Send + Sync {
    /// The whole registry.
    fn read(&self) -> impl Future<Output = Result<Live, LiveError>> + Send;

    /// One write, followed to completion; `GeneratePassword` returns the new password. While
    /// the write only waits (for a long-running operation's next poll) it lets `slot` go.
    fn write(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> impl Future<Output = Result<Option<GeneratedPassword>, LiveError>> + Send;

    /// One token as the registry holds it now, `None` when it does not exist: `apply` reads it
    /// just before writing to it, to confirm it is still what the plan saw.
    fn read_token(
        &self,
        name: &TokenName,
    ) -> impl Future<Output = Result<Option<LiveToken>, LiveError>> + Send;
}

impl Backend for ArmBackend {
    fn read(&self) -> impl Future<Output = Result<Live, LiveError>> + Send {
        ArmBackend::read(self)
    }

    fn write(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> impl Future<Output = Result<Option<GeneratedPassword>, LiveError>> + Send {
        ArmBackend::write_in(self, op, slot)
    }

    fn read_token(
        &self,
        name: &TokenName,
    ) -> impl Future<Output = Result<Option<LiveToken>, LiveError>> + Send {
        ArmBackend::read_token(self, name)
    }
}

impl Backend for SnapshotBackend {
    async fn read(&self) -> Result<Live, LiveError> {
        Ok(SnapshotBackend::read(self))
    }

    async fn write(
        &self,
        op: &WriteOp,
        _slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, LiveError> {
        self.write_now(op).await
    }

    async fn read_token(&self, name: &TokenName) -> Result<Option<LiveToken>, LiveError> {
        Ok(SnapshotBackend::read_token(self, name))
    }
}

/// Either backend, for commands that take `--state FILE` or ARM coordinates.
pub(crate) enum LiveBackend {
    Arm(ArmBackend),
    Snapshot(SnapshotBackend),
}

impl LiveBackend {
    /// What the backend is, for messages: `snapshot live.json` or `ARM sub/rg/name`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Arm(arm) => format!("registry {} (ARM)", arm.registry()),
            Self::Snapshot(snapshot) => format!("snapshot {}", snapshot.path().display()),
        }
    }

    /// Where this backend reads and writes, as a saved plan records it.
    pub(crate) fn location(&self) -> BackendLocation {
        match self {
            Self::Arm(arm) => BackendLocation::Arm {
                endpoint: arm.client().endpoint().as_str().to_owned(),
            },
            Self::Snapshot(snapshot) => BackendLocation::Snapshot {
                path: std::fs::canonicalize(snapshot.path())
                    .unwrap_or_else(|_| snapshot.path().to_owned()),
            },
        }
    }

    /// Reads the registry for a command that will not write: a snapshot hands over the state
    /// it parsed rather than copying it (a Premium-sized copy costs ~100 ms and its memory).
    pub(crate) async fn into_live(self) -> Result<Live, LiveError> {
        match self {
            Self::Arm(arm) => arm.read().await,
            Self::Snapshot(snapshot) => Ok(snapshot.into_state()),
        }
    }
}

impl Backend for LiveBackend {
    async fn read(&self) -> Result<Live, LiveError> {
        match self {
            Self::Arm(arm) => arm.read().await,
            Self::Snapshot(snapshot) => Backend::read(snapshot).await,
        }
    }

    async fn write(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, LiveError> {
        match self {
            Self::Arm(arm) => arm.write_in(op, slot).await,
            Self::Snapshot(snapshot) => Backend::write(snapshot, op, slot).await,
        }
    }

    async fn read_token(&self, name: &TokenName) -> Result<Option<LiveToken>, LiveError> {
        match self {
            Self::Arm(arm) => arm.read_token(name).await,
            Self::Snapshot(snapshot) => Backend::read_token(snapshot, name).await,
        }
    }
}

/// Everything needed to reach one registry through ARM.
#[derive(Clone, Debug)]
pub(crate) struct ArmSettings {
    pub registry: RegistryRef,
    pub cloud: Cloud,
    /// `--arm-endpoint` / `SCOPEFORM_ARM_ENDPOINT`; the cloud's endpoint when `None`.
    pub endpoint: Option<String>,
    pub credentials: CredentialSettings,
    pub retry: RetryPolicy,
}

impl ArmSettings {
    pub(crate) fn new(registry: RegistryRef, credentials: CredentialSettings) -> Self {
        Self {
            registry,
            cloud: Cloud::default(),
            endpoint: None,
            credentials,
            retry: RetryPolicy::default(),
        }
    }
}

/// The ARM backend for `settings`; `log` receives a line per request (`--verbose`).
pub(crate) fn connect_arm(
    settings: &ArmSettings,
    log: Option<RequestLog>,
    notice: Option<RequestLog>,
) -> Result<ArmBackend, LiveError> {
    let endpoint = match &settings.endpoint {
        Some(text) => ArmEndpoint::parse_override(text)?,
        None => ArmEndpoint::for_cloud(settings.cloud),
    };
    let tokens = TokenSource::new(&settings.credentials, settings.cloud);
    let options = ClientOptions {
        retry: settings.retry,
        log,
        notice,
    };
    let client = ArmClient::new(endpoint, tokens, options)?;
    Ok(ArmBackend::new(client, settings.registry.clone()))
}
