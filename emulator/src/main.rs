//! `acr-emulator`: runs the ARM emulator on a loopback address and prints
//! `listening on http://ADDR` as the first line of stdout.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use acr_emulator::{Options, RegistrySpec, Server, SystemScopeMaps, Throttle, WriteStyle};
use chrono::{DateTime, Utc};
use clap::Parser;

/// A stateful emulator of the Azure Resource Manager API for Azure Container Registry tokens,
/// scope maps and connected registries (api-version 2025-11-01), and optionally of Key Vault's
/// secrets API (--key-vault).
#[derive(Debug, Parser)]
#[command(name = "acr-emulator", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Allow a non-loopback listen address (the emulator accepts any bearer token by default).
    #[arg(long)]
    allow_remote: bool,
    /// Create a registry at start: SUB/RG/NAME[:SKU] (SKU defaults to Premium). Repeatable.
    #[arg(long = "registry", value_name = "SUB/RG/NAME[:SKU]")]
    registries: Vec<RegistrySpec>,
    /// Items per page of every list.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    page_size: u64,
    /// How writes are answered: `azure` (as real Azure does), `sync` (all at once) or
    /// `spec-async` (all as long-running operations, as the spec's examples show).
    #[arg(long, default_value = "azure", value_name = "STYLE")]
    writes: WriteStyle,
    /// Same as `--writes spec-async`.
    #[arg(long = "async", conflicts_with = "writes")]
    async_ops: bool,
    /// How long an asynchronous operation stays in progress.
    #[arg(long, default_value_t = 50, value_name = "MS")]
    async_delay_ms: u64,
    /// The `Retry-After` of a `DELETE` in the `azure` style, and of its polls.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    delete_retry_after_ms: u64,
    /// How many system scope maps new registries have: 3 (created until 2023) or 5.
    #[arg(long, default_value = "5", value_name = "3|5")]
    system_scope_maps: SystemScopeMaps,
    /// Delay every response by this much.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Answer every Nth write with a 500 before doing anything.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    fail_every: Option<u64>,
    /// Make every Nth asynchronous operation fail without applying its change.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    fail_async_every: Option<u64>,
    /// Throttle writes with a token bucket of BUCKET tokens refilled at REFILL_PER_S per second.
    #[arg(long, value_name = "BUCKET:REFILL_PER_S")]
    throttle_writes: Option<Throttle>,
    /// Require `Authorization: Bearer T`.
    #[arg(long, value_name = "T")]
    token: Option<String>,
    /// Load the state from FILE at start and save it there after every change (Key Vault
    /// secrets included, values and all).
    #[arg(long, value_name = "FILE")]
    state_file: Option<PathBuf>,
    /// Also serve Key Vault's secrets API for vault NAME under /keyvault/NAME on the same
    /// listener (vault URL http://ADDR/keyvault/NAME; api-version 2025-07-01, 7.6 or 7.5).
    /// Requests need a bearer token as ARM's do, after Key Vault's 401 challenge. --fail-every,
    /// --latency-ms and --throttle-writes apply to it too. Repeatable.
    #[arg(long = "key-vault", value_name = "NAME", value_parser = parse_vault_name)]
    key_vaults: Vec<String>,
    /// Answer every Nth authenticated Key Vault request with a 500 (ARM is not affected).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    key_vault_fail_every: Option<u64>,
    /// Start with Key Vault down: every Key Vault request gets a 503 while ARM works.
    /// `POST /_emulator/key-vault {"down": false}` brings it back (and `true` takes it down).
    #[arg(long)]
    key_vault_down: bool,
    /// Start the emulated clock at this time (RFC 3339) instead of now; it runs on from there.
    /// `POST /_emulator/clock {"now": "RFC3339"}` moves it forward. Every time the emulator
    /// records (password creation times, Key Vault attributes) comes from it.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    clock: Option<DateTime<Utc>>,
}

fn parse_vault_name(name: &str) -> Result<String, String> {
    acr_emulator::check_vault_name(name).map(|()| name.to_owned())
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{text}` is not an RFC 3339 time: {e}"))
}

impl Args {
    fn options(self) -> Options {
        Options {
            page_size: usize::try_from(self.page_size).unwrap_or(usize::MAX),
            writes: if self.async_ops {
                WriteStyle::SpecAsync
            } else {
                self.writes
            },
            async_delay: Duration::from_millis(self.async_delay_ms),
            delete_retry_after: Duration::from_millis(self.delete_retry_after_ms),
            system_scope_maps: self.system_scope_maps,
            latency: Duration::from_millis(self.latency_ms),
            fail_every: self.fail_every,
            fail_async_every: self.fail_async_every,
            refuse_writes: None,
            throttle_writes: self.throttle_writes,
            token: self.token,
            registries: self.registries,
            state_file: self.state_file,
            key_vaults: self.key_vaults,
            key_vault_fail_every: self.key_vault_fail_every,
            key_vault_down: self.key_vault_down,
            clock: self.clock,
        }
    }
}

/// Completes on Ctrl-C or (on Unix) SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: a test may send SIGTERM as soon as it reads the
/// `listening on` line, and the default action would kill the process instead.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {}
            () = terminate => {}
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    if !args.listen.ip().is_loopback() && !args.allow_remote {
        return Err(format!(
            "refusing to listen on non-loopback address {}; pass --allow-remote to do so",
            args.listen
        ));
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let server = Server::new(listener, args.options()).map_err(|e| e.to_string())?;
    let addr = server.local_addr().map_err(|e| e.to_string())?;
    let shutdown = shutdown_signal();
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{addr}")
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())?;
    drop(stdout);
    server.run_until(shutdown).await.map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("acr-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("acr-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
