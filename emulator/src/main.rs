//! `acr-emulator`: runs the ARM emulator on a loopback address and prints
//! `listening on http://ADDR` as the first line of stdout.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use acr_emulator::{Options, RegistrySpec, Server, SystemScopeMaps, Throttle, WriteStyle};
use clap::Parser;

/// A stateful emulator of the Azure Resource Manager API for Azure Container Registry tokens,
/// scope maps and connected registries (api-version 2025-11-01).
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
    /// Load the state from FILE at start and save it there after every change.
    #[arg(long, value_name = "FILE")]
    state_file: Option<PathBuf>,
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
