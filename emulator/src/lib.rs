//! acr-emulator: a stateful emulator of the Azure Resource Manager API (api-version
//! `2025-11-01`) for Azure Container Registry access objects: registries, scope maps, tokens,
//! token passwords and connected registries; and of Key Vault's secrets data plane
//! (`Options::key_vaults`, served under `/keyvault/{vault}` on the same listener), where
//! scopeform delivers passwords. Its clock can be set (`Options::clock`, `POST
//! /_emulator/clock`) so tests can simulate months in seconds.
//!
//! It exists so that scopeform's end-to-end tests, and anyone trying a pipeline offline, can
//! talk real ARM HTTP to something that behaves like the service: paged lists, long-running
//! operations, the service's validation rules and its traps (a token `PUT` without
//! `credentials` wipes the passwords), throttling and injected faults.
//!
//! ```no_run
//! let emulator = acr_emulator::spawn(acr_emulator::Options {
//!     registries: vec!["sub/rg/myregistry".parse().expect("valid")],
//!     ..Default::default()
//! })?;
//! println!("ARM endpoint: {}", emulator.url());
//! # Ok::<(), std::io::Error>(())
//! ```

mod api_version;
mod app;
mod arm_error;
mod authentication;
mod change;
mod clock;
mod http;
mod ids;
mod key_vault;
mod names;
mod operations;
mod options;
mod password_value;
mod persistence;
mod reads;
mod resources;
mod route;
mod scope_action;
mod sku;
mod state;
mod state_view;
mod stats;
mod system_scope_maps;
mod timestamp;
mod token_bucket;
mod writes;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use key_vault::check_vault_name;
pub use options::{Options, RegistrySpec, SystemScopeMaps, Throttle, WriteStyle};
pub use sku::Sku;

/// The only api-version the emulator answers.
pub const API_VERSION: &str = "2025-11-01";

/// A configured emulator bound to a listener, ready to run.
pub struct Server {
    listener: TcpListener,
    app: Arc<app::App>,
}

impl Server {
    /// Loads the state file (if any) and creates the configured registries.
    pub fn new(listener: TcpListener, options: Options) -> io::Result<Self> {
        let local_addr = listener.local_addr()?;
        let app = app::App::new(options, local_addr)?;
        Ok(Self {
            listener,
            app: Arc::new(app),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then stops accepting and lets requests in flight
    /// finish (for at most a second).
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (grace_tx, grace_rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(());
            tokio::time::sleep(Duration::from_secs(1)).await;
            let _ = grace_tx.send(());
        });
        let router = axum::Router::new()
            .fallback(app::handle)
            .with_state(self.app);
        let server = axum::serve(self.listener, router).with_graceful_shutdown(async {
            let _ = stop_rx.await;
        });
        tokio::select! {
            result = server => result,
            _ = grace_rx => Ok(()),
        }
    }
}

/// Serves ARM on `listener` forever.
pub async fn serve(listener: TcpListener, options: Options) -> io::Result<()> {
    Server::new(listener, options)?
        .run_until(std::future::pending())
        .await
}

/// Starts the emulator on `127.0.0.1:0` in a background thread with its own tokio runtime;
/// for tests. Dropping the handle shuts it down.
pub fn spawn(options: Options) -> io::Result<Handle> {
    // Bound here so the port is known, and so `spawn` works from inside another runtime too.
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
    let (shutdown, stopped) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(format!("acr-emulator-{}", addr.port()))
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let server = TcpListener::from_std(listener).and_then(|l| Server::new(l, options));
                let server = match server {
                    Ok(server) => server,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                let stopped = async {
                    let _ = stopped.await;
                };
                if let Err(e) = server.run_until(stopped).await {
                    eprintln!("acr-emulator: {e}");
                }
            });
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(Handle {
            url: format!("http://{addr}"),
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(io::Error::other(
            "the emulator thread stopped before it started",
        )),
    }
}

/// A running emulator started by [`spawn`]; dropping it shuts the server down.
pub struct Handle {
    url: String,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Handle {
    /// The base URL, like `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl std::fmt::Debug for Handle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}
