//! The flags that say which registry to read: a snapshot file, or ARM coordinates (from the
//! configuration, overridden by flags), and turning them into a backend.

use std::path::PathBuf;

use super::{CommandError, Context};
use crate::live::arm::{Cloud, RegistryRef};
use crate::live::{ArmSettings, CredentialSettings, LiveBackend, SnapshotBackend, connect_arm};
use crate::model::{Desired, RegistryName, ResourceGroupName, Secret, SubscriptionId};

/// What a command does with the registry it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct LiveArgs {
    /// Read (and, for apply, update) a snapshot file instead of the live registry. With
    /// `--workspace` (plan, apply, drift, lint): a directory holding NAME.json for each registry.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// The registry's subscription (a GUID); overrides the configuration.
    #[arg(long, value_name = "ID")]
    pub subscription: Option<SubscriptionId>,
    /// The registry's resource group; overrides the configuration.
    #[arg(long, value_name = "NAME")]
    pub resource_group: Option<ResourceGroupName>,
    /// The registry's name; overrides the configuration.
    #[arg(long, value_name = "NAME")]
    pub registry: Option<RegistryName>,
    /// The Azure cloud whose ARM endpoint and sign-in are used: AzureCloud (the default),
    /// AzureChinaCloud or AzureUSGovernment. A configuration's `registry.cloud` must agree.
    #[arg(long, value_name = "CLOUD", env = "SCOPEFORM_CLOUD")]
    pub cloud: Option<Cloud>,
    /// Another ARM endpoint, such as an emulator (plain http:// only on loopback).
    #[arg(long, value_name = "URL", env = "SCOPEFORM_ARM_ENDPOINT")]
    pub arm_endpoint: Option<String>,
}

impl LiveArgs {
    /// Applies `--subscription`, `--resource-group` and `--registry` to the configuration's
    /// coordinates, so the plan is made for the registry actually read.
    pub(crate) fn override_coordinates(&self, desired: &mut Desired) {
        if let Some(subscription) = &self.subscription {
            desired.registry.subscription = Some(subscription.clone());
        }
        if let Some(resource_group) = &self.resource_group {
            desired.registry.resource_group = Some(resource_group.clone());
        }
        if let Some(name) = &self.registry {
            desired.registry.name = name.clone();
        }
    }

    /// The backend these flags select, to read. `desired` supplies coordinates the flags
    /// leave out (a snapshot needs none).
    pub(crate) fn backend(
        &self,
        desired: Option<&Desired>,
        ctx: &Context,
    ) -> Result<LiveBackend, CommandError> {
        self.backend_as(desired, ctx, Access::Read)
    }

    /// `backend`, for `access`: `apply` writes, and a snapshot it writes is locked before it
    /// is read (see `SnapshotBackend::open_for_writes`).
    pub(crate) fn backend_as(
        &self,
        desired: Option<&Desired>,
        ctx: &Context,
        access: Access,
    ) -> Result<LiveBackend, CommandError> {
        if let Some(path) = &self.state {
            let snapshot = match access {
                Access::Read => SnapshotBackend::open(path)?,
                Access::Write => SnapshotBackend::open_for_writes(path)?,
            };
            return Ok(LiveBackend::Snapshot(snapshot));
        }
        let coordinates = desired.map(|d| &d.registry);
        let missing = |what: &str, flag: &str| {
            CommandError::usage(format!(
                "no {what}: set `registry.{what}` in the configuration or pass `--{flag}`"
            ))
            .with_hint("or plan against a snapshot file with `--state FILE`")
        };
        let subscription = self
            .subscription
            .clone()
            .or_else(|| coordinates.and_then(|c| c.subscription.clone()))
            .ok_or_else(|| missing("subscription", "subscription"))?;
        let resource_group = self
            .resource_group
            .clone()
            .or_else(|| coordinates.and_then(|c| c.resource_group.clone()))
            .ok_or_else(|| missing("resource_group", "resource-group"))?;
        let name = self
            .registry
            .clone()
            .or_else(|| coordinates.map(|c| c.name.clone()))
            .ok_or_else(|| missing("name", "registry"))?;
        let cloud = self.operator_cloud(coordinates.and_then(|c| c.cloud))?;
        let mut settings = ArmSettings::new(
            RegistryRef {
                subscription,
                resource_group,
                name,
            },
            credentials_from_env(),
        );
        settings.cloud = cloud;
        settings.endpoint.clone_from(&self.arm_endpoint);
        let log = ctx.verbose.then(|| ctx.progress_log());
        Ok(LiveBackend::Arm(connect_arm(
            &settings,
            log,
            Some(ctx.progress_log()),
        )?))
    }

    /// The cloud requests and credentials go to: the operator's alone (`--cloud`,
    /// `SCOPEFORM_CLOUD`, else AzureCloud), never the configuration's, which a pull request
    /// can change. A configuration that names another cloud is refused before any request,
    /// so a plan is never made against a registry the configuration did not mean.
    fn operator_cloud(&self, configured: Option<Cloud>) -> Result<Cloud, CommandError> {
        let operator = self.cloud.unwrap_or_default();
        let Some(configured) = configured else {
            return Ok(operator);
        };
        if configured == operator {
            return Ok(operator);
        }
        let chosen_by = if self.cloud.is_some() {
            "chosen with `--cloud` or SCOPEFORM_CLOUD"
        } else {
            "the default; choose another with `--cloud` or SCOPEFORM_CLOUD"
        };
        Err(CommandError::new(format!(
            "the configuration says `cloud: {configured}` but scopeform is set to talk to {operator} ({chosen_by}); nothing was sent"
        ))
        .with_hint(format!(
            "the configuration does not choose where credentials go: if {configured} is meant, pass `--cloud {configured}` (or set SCOPEFORM_CLOUD={configured}); otherwise fix `registry.cloud`"
        )))
    }
}

/// The credential environment variables of DESIGN §5; only `cli` reads the environment.
fn credentials_from_env() -> CredentialSettings {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    CredentialSettings {
        arm_token: var("SCOPEFORM_ARM_TOKEN").map(Secret::new),
        keyvault_token: var("SCOPEFORM_KEYVAULT_TOKEN").map(Secret::new),
        client_id: var("AZURE_CLIENT_ID"),
        tenant_id: var("AZURE_TENANT_ID"),
        client_secret: var("AZURE_CLIENT_SECRET").map(Secret::new),
        federated_token_file: var("AZURE_FEDERATED_TOKEN_FILE").map(PathBuf::from),
        ambient: true,
    }
}

/// Where Key Vault traffic goes, for the commands that deliver passwords there or check them.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct KeyVaultArgs {
    /// Another Key Vault endpoint for all vault traffic, replacing `secrets.key_vault`, such
    /// as an emulator's (plain http:// only on loopback).
    #[arg(long, value_name = "URL", env = "SCOPEFORM_KEYVAULT_ENDPOINT")]
    pub keyvault_endpoint: Option<String>,
}

impl KeyVaultArgs {
    /// The configuration's Key Vault as a password sink, if it names one. Nothing is sent yet.
    /// The cloud is the operator's, as for ARM: it chooses the vault scope tokens are for.
    /// A snapshot (`--state`) is offline: its made-up passwords go to no real vault, only to
    /// one `--keyvault-endpoint` names.
    pub(crate) fn sink(
        &self,
        desired: &Desired,
        live: &LiveArgs,
    ) -> Result<Option<crate::apply::KeyVaultSink>, CommandError> {
        self.sink_for(desired.secrets.as_ref(), &desired.registry.name, live)
    }

    /// Whether a configuration's Key Vault is used at all: not with a snapshot (`--state`),
    /// whose made-up passwords go to no real vault, unless `--keyvault-endpoint` names one.
    pub(crate) fn reaches_a_vault(&self, live: &LiveArgs) -> bool {
        live.state.is_none() || self.keyvault_endpoint.is_some()
    }

    /// The Key Vault sink for `secrets` (the configuration's, or a saved plan's copy of it).
    pub(crate) fn sink_for(
        &self,
        secrets: Option<&crate::model::SecretsDestination>,
        registry: &crate::model::RegistryName,
        live: &LiveArgs,
    ) -> Result<Option<crate::apply::KeyVaultSink>, CommandError> {
        let Some(secrets) = secrets else {
            return Ok(None);
        };
        if !self.reaches_a_vault(live) {
            return Ok(None);
        }
        let settings = crate::live::key_vault::KeyVaultSettings {
            vault: secrets.key_vault.clone(),
            endpoint: self.keyvault_endpoint.clone(),
            cloud: live.cloud.unwrap_or_default(),
            credentials: credentials_from_env(),
        };
        let vault = crate::live::key_vault::KeyVault::connect(&settings)
            .map_err(|e| CommandError::new(e.message))?;
        Ok(Some(crate::apply::KeyVaultSink::new(
            vault,
            registry.clone(),
            secrets.name.clone(),
        )))
    }
}
