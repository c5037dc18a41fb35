//! The flags that say which registry a command reads and through which backend: a snapshot
//! file (`--state`), or ARM with the registry's coordinates. Flattened into every command that
//! reads the registry; the credential environment is read here, the only place for it.

use std::path::PathBuf;
use std::sync::Arc;

use crate::apply::WriteTarget;
use crate::live::arm::{Cloud, RegistryRef, RequestLog};
use crate::live::{
    ArmSettings, Backend, CredentialSettings, LiveBackend, SnapshotBackend, connect_arm,
};
use crate::model::{GeneratedPassword, RegistryCoordinates, Secret, WriteOp};

use super::{CommandError, Context};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct LiveArgs {
    /// Read the registry from a snapshot file (written by `scopeform snapshot`) instead of ARM.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// The registry's subscription id (overrides the configuration).
    #[arg(long, value_name = "ID")]
    pub subscription: Option<String>,
    /// The registry's resource group (overrides the configuration).
    #[arg(long, value_name = "NAME")]
    pub resource_group: Option<String>,
    /// The registry's name (overrides the configuration).
    #[arg(long, value_name = "NAME")]
    pub registry: Option<String>,
    /// Another ARM endpoint, such as the emulator's; plain http only on loopback.
    #[arg(long, env = "SCOPEFORM_ARM_ENDPOINT", value_name = "URL")]
    pub arm_endpoint: Option<String>,
}

/// A variable's value, `None` when unset or empty.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The credential environment of DESIGN §5.
pub fn credential_settings() -> CredentialSettings {
    CredentialSettings {
        arm_token: env("SCOPEFORM_ARM_TOKEN").map(Secret::new),
        client_id: env("AZURE_CLIENT_ID"),
        tenant_id: env("AZURE_TENANT_ID"),
        client_secret: env("AZURE_CLIENT_SECRET").map(Secret::new),
        federated_token_file: env("AZURE_FEDERATED_TOKEN_FILE").map(PathBuf::from),
        ambient: true,
    }
}

/// The `--verbose` request log: one line per ARM request on stderr.
pub fn request_log(ctx: &Context) -> Option<RequestLog> {
    ctx.verbose.then(|| {
        let log: RequestLog = Arc::new(|line: &str| eprintln!("{line}"));
        log
    })
}

/// Runs a future to completion on a runtime of its own (commands are synchronous).
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, CommandError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CommandError::new(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

impl LiveArgs {
    /// The registry's coordinates: flags first, then the configuration's (`from_config`).
    pub fn registry_ref(
        &self,
        from_config: Option<&RegistryCoordinates>,
    ) -> Result<RegistryRef, CommandError> {
        let missing = |flag: &str| {
            CommandError::usage(format!("which registry? {flag} is missing"))
                .with_hint("give --subscription, --resource-group and --registry, or --state FILE")
        };
        let subscription = self
            .subscription
            .clone()
            .or_else(|| from_config.and_then(|c| c.subscription.clone()))
            .ok_or_else(|| missing("--subscription"))?;
        let resource_group = self
            .resource_group
            .clone()
            .or_else(|| from_config.and_then(|c| c.resource_group.clone()))
            .ok_or_else(|| missing("--resource-group"))?;
        let name = match &self.registry {
            Some(name) => name
                .parse()
                .map_err(|e| CommandError::usage(format!("--registry: {e}")))?,
            None => from_config
                .map(|c| c.name.clone())
                .ok_or_else(|| missing("--registry"))?,
        };
        Ok(RegistryRef {
            subscription,
            resource_group,
            name,
        })
    }

    /// The backend these flags select: the snapshot file, or ARM.
    pub fn backend(
        &self,
        ctx: &Context,
        from_config: Option<&RegistryCoordinates>,
    ) -> Result<LiveBackend, CommandError> {
        if let Some(path) = &self.state {
            let snapshot = SnapshotBackend::open(path)?;
            return Ok(LiveBackend::Snapshot(snapshot));
        }
        let registry = self.registry_ref(from_config)?;
        let cloud = match from_config {
            Some(c) => c.cloud.parse::<Cloud>().map_err(CommandError::usage)?,
            None => Cloud::default(),
        };
        let mut settings = ArmSettings::new(registry, credential_settings());
        settings.cloud = cloud;
        settings.endpoint.clone_from(&self.arm_endpoint);
        let backend = connect_arm(&settings, request_log(ctx))?;
        Ok(LiveBackend::Arm(backend))
    }
}

/// The apply executor writes through either backend.
impl WriteTarget for LiveBackend {
    async fn write(&self, op: &WriteOp) -> Result<Option<GeneratedPassword>, String> {
        Backend::write(self, op).await.map_err(|e| e.to_string())
    }
}
