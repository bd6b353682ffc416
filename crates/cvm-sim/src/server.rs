//! The HTTP shell: a loopback hyper server on its own runtime thread, feeding requests to a [`Sim`] behind a mutex.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use cvm_proto::Endpoint;
use cvm_proto::LEGACY_PATH;
use cvm_proto::MAX_TC3_BODY;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::{watch, Semaphore};

use crate::config::{HttpConfig, SimConfig};
use crate::error::SimError;
use crate::request::{ShellFault, SimRequest};
use crate::sim::{Counters, Sim};

/// The listen backlog: connections the kernel queues before they are accepted.
const BACKLOG: u32 = 1024;
/// Bytes of an over-limit body read and thrown away, so that the client sees the reply rather than a reset.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// How long shutdown waits for open connections to finish before closing them.
const GRACE: Duration = Duration::from_secs(1);

/// Returned by the service to make hyper close the connection without a reply.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault or a slow or broken client")]
struct DropConnection;

/// Connection and request counts measured by the shell.
#[derive(Debug, Default)]
struct Stats {
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    connections_open: AtomicU64,
    connections_accepted: AtomicU64,
    connections_refused: AtomicU64,
}

/// What the shell measured: concurrency and connections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShellStats {
    /// Requests being served right now.
    pub in_flight: u64,
    /// The most requests ever served at once.
    pub max_in_flight: u64,
    /// Connections open right now.
    pub connections_open: u64,
    /// Connections accepted in all.
    pub connections_accepted: u64,
    /// Connections closed at once because the connection cap was reached.
    pub connections_refused: u64,
}

struct Shared {
    sim: Mutex<Sim>,
    stats: Stats,
    http: HttpConfig,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Sim> {
        // A panic inside `handle` would poison the lock; the state it guards is still usable.
        self.sim.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts a request as in flight for as long as it lives.
struct InFlight<'a>(&'a Stats);

impl<'a> InFlight<'a> {
    fn enter(stats: &'a Stats) -> Self {
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(stats)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The wall clock as a duration since the Unix epoch.
fn wall_clock() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// A running emulator on a loopback port; dropping it shuts the server down and joins its thread.
pub struct SimServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for SimServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SimServer {
    /// Starts an emulator configured by `config` on `127.0.0.1` at a free port.
    pub fn start(config: SimConfig) -> Result<SimServer, SimError> {
        Self::start_on(
            config,
            SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
        )
    }

    /// Starts an emulator configured by `config` listening on `addr`.
    pub fn start_on(config: SimConfig, addr: SocketAddr) -> Result<SimServer, SimError> {
        let http = config.http;
        Self::serve_sim(Sim::new(config)?, http, addr)
    }

    /// Serves an existing emulator core on `addr` with the shell limits `http`.
    ///
    /// The server's runtime is built and the socket bound on the server's own thread, so this may
    /// be called from inside another tokio runtime (an async test, say).
    pub fn serve_sim(sim: Sim, http: HttpConfig, addr: SocketAddr) -> Result<SimServer, SimError> {
        let shared = Arc::new(Shared {
            sim: Mutex::new(sim),
            stats: Stats::default(),
            http,
        });
        let (tx, rx) = watch::channel(false);
        let task_shared = Arc::clone(&shared);
        let (bound_tx, bound_rx) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("cvm-sim-server".to_owned())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(http.worker_threads.max(1))
                    .thread_name("cvm-sim")
                    .enable_all()
                    .build()
                {
                    Ok(r) => r,
                    Err(e) => {
                        let _ =
                            bound_tx.send(Err(SimError::io("cannot start the server runtime", e)));
                        return;
                    }
                };
                let listener = match runtime.block_on(bind(addr)).and_then(|l| {
                    let local = l.local_addr()?;
                    Ok((l, local))
                }) {
                    Ok((l, local)) => {
                        let _ = bound_tx.send(Ok(local));
                        l
                    }
                    Err(e) => {
                        let _ =
                            bound_tx.send(Err(SimError::io(format!("cannot listen on {addr}"), e)));
                        return;
                    }
                };
                runtime.block_on(accept_loop(listener, task_shared, rx));
                runtime.shutdown_timeout(GRACE);
            })
            .map_err(|e| SimError::io("cannot spawn the server thread", e))?;
        let addr = match bound_rx.recv() {
            Ok(Ok(addr)) => addr,
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => {
                let _ = thread.join();
                return Err(SimError::io(
                    "the server thread ended before binding",
                    std::io::Error::other("no address reported"),
                ));
            }
        };
        Ok(SimServer {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    fn endpoint_for(&self, path: &str) -> Endpoint {
        let url = format!("http://{}{path}", self.addr);
        // The address comes from a bound socket, so it always parses; fall back to the global endpoint regardless.
        Endpoint::parse(&url).unwrap_or_else(|_| Endpoint::global())
    }

    /// The API 3.0 endpoint `http://127.0.0.1:PORT/`.
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint_for("/")
    }

    /// The legacy gateway endpoint `http://127.0.0.1:PORT/v2/index.php`.
    pub fn legacy_endpoint(&self) -> Endpoint {
        self.endpoint_for(LEGACY_PATH)
    }

    /// Runs `f` on the emulator core while no request is being handled, to inspect or change its state.
    pub fn with_sim<R>(&self, f: impl FnOnce(&mut Sim) -> R) -> R {
        f(&mut self.shared.lock())
    }

    /// What the shell measured about connections and concurrency.
    pub fn stats(&self) -> ShellStats {
        let s = &self.shared.stats;
        ShellStats {
            in_flight: s.in_flight.load(Ordering::SeqCst),
            max_in_flight: s.max_in_flight.load(Ordering::SeqCst),
            connections_open: s.connections_open.load(Ordering::SeqCst),
            connections_accepted: s.connections_accepted.load(Ordering::SeqCst),
            connections_refused: s.connections_refused.load(Ordering::SeqCst),
        }
    }

    /// The core's counters with the shell's in-flight figures filled in.
    pub fn counters(&self) -> Counters {
        let mut c = self.with_sim(|sim| sim.counters().clone());
        let stats = self.stats();
        c.in_flight = stats.in_flight;
        c.max_in_flight = stats.max_in_flight;
        c
    }

    /// Stops accepting, gives open connections a moment to finish, and joins the server thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A listening socket on `addr` with a backlog deep enough for bursts of connections.
async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let http = shared.http;
    let permits = Arc::new(Semaphore::new(http.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_millis(http.header_read_timeout_ms.max(1)))
        .max_buf_size(http.max_header_bytes.max(8192))
        .keep_alive(true);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of descriptors or a reset during the handshake: back off briefly.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                };
                let stats = &shared.stats;
                let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
                    stats.connections_refused.fetch_add(1, Ordering::SeqCst);
                    drop(stream);
                    continue;
                };
                stats.connections_accepted.fetch_add(1, Ordering::SeqCst);
                stats.connections_open.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_nodelay(true);
                let conn_shared = Arc::clone(&shared);
                let service = service_fn(move |req| serve_request(Arc::clone(&conn_shared), req));
                let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                let task_shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let _ = conn.await;
                    task_shared.stats.connections_open.fetch_sub(1, Ordering::SeqCst);
                    drop(permit);
                });
            }
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(GRACE) => {}
    }
}

/// Reads at most `limit` bytes of `body` and throws away up to [`DRAIN_LIMIT`] more.
async fn read_body(mut body: Incoming, limit: usize) -> Result<Vec<u8>, hyper::Error> {
    let mut buf = Vec::new();
    let mut drained = 0u64;
    while drained < DRAIN_LIMIT {
        let Some(frame) = body.frame().await else {
            break;
        };
        if let Ok(data) = frame?.into_data() {
            let room = limit - buf.len();
            let kept = data.len().min(room);
            buf.extend_from_slice(&data[..kept]);
            drained += (data.len() - kept) as u64;
        }
    }
    Ok(buf)
}

async fn serve_request(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let _in_flight = InFlight::enter(&shared.stats);
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let body = if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        // Far over the limit: the core rejects it from the header alone, and the connection closes.
        Vec::new()
    } else {
        let timeout = Duration::from_millis(shared.http.body_read_timeout_ms.max(1));
        match tokio::time::timeout(timeout, read_body(body, MAX_TC3_BODY + 1)).await {
            Ok(Ok(bytes)) => bytes,
            _ => return Err(DropConnection),
        }
    };
    let request = SimRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().as_bytes().to_vec(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let handled = shared.lock().handle(&request, wall_clock());
    match handled.fault {
        Some(ShellFault::DropUnprocessed | ShellFault::DropProcessed) => {
            return Err(DropConnection)
        }
        Some(ShellFault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let mut response = Response::new(Full::new(Bytes::from(handled.response.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(handled.response.status).unwrap_or(hyper::StatusCode::OK);
    for (name, value) in handled.response.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}

/// Writes `value` to `path` atomically: a temporary file beside it, then a rename.
fn write_atomically(path: &Path, value: &serde_json::Value) -> Result<(), SimError> {
    let text = serde_json::to_vec_pretty(value).map_err(|e| SimError::State(e.to_string()))?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)
        .map_err(|e| SimError::io(format!("cannot write {}", tmp.display()), e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        SimError::io(
            format!("cannot rename {} to {}", tmp.display(), path.display()),
            e,
        )
    })
}

/// Serves `config` on `listen` until Ctrl-C, loading `state_file` first if it exists and saving it (atomically) at the end.
///
/// Prints the bound address and the test credentials it accepts, the secret keys included, since
/// a client needs them; they are test credentials from the configuration, not real ones.
pub fn serve_forever(
    config: SimConfig,
    listen: SocketAddr,
    state_file: Option<PathBuf>,
) -> Result<(), SimError> {
    serve_until(config, listen, state_file, &mut std::io::stdout(), |_| {
        let waiter = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SimError::io("cannot start the signal runtime", e))?;
        waiter
            .block_on(tokio::signal::ctrl_c())
            .map_err(|e| SimError::io("cannot wait for Ctrl-C", e))
    })
}

/// [`serve_forever`] with its output and its wait for the end given by the caller.
fn serve_until(
    config: SimConfig,
    listen: SocketAddr,
    state_file: Option<PathBuf>,
    out: &mut dyn Write,
    wait: impl FnOnce(&SimServer) -> Result<(), SimError>,
) -> Result<(), SimError> {
    let http = config.http;
    let accounts = config.accounts.clone();
    let mut sim = Sim::new(config)?;
    if let Some(path) = state_file.as_deref().filter(|p| p.exists()) {
        let text = std::fs::read(path)
            .map_err(|e| SimError::io(format!("cannot read {}", path.display()), e))?;
        let value = serde_json::from_slice(&text)
            .map_err(|e| SimError::State(format!("{}: {e}", path.display())))?;
        sim.load_state(value)?;
        let _ = writeln!(out, "loaded state from {}", path.display());
    }
    let server = SimServer::serve_sim(sim, http, listen)?;
    let addr = server.addr();
    let _ = writeln!(
        out,
        "cvm-sim listening on http://{addr}/ (legacy gateway: http://{addr}{LEGACY_PATH})"
    );
    for a in &accounts {
        let _ = writeln!(out, "test credentials accepted: SecretId={}", a.secret_id);
        let _ = writeln!(
            out,
            "  test SecretKey (configure your client with it): {}",
            a.secret_key
        );
        if a.token.is_some() {
            let _ = writeln!(
                out,
                "  (temporary credentials: requests must also carry the configured Token)"
            );
        }
    }
    let _ = writeln!(out, "press Ctrl-C to stop");
    let _ = out.flush();
    let waited = wait(&server);
    let state = server.with_sim(|sim| sim.dump_state());
    server.shutdown();
    if let Some(path) = state_file {
        write_atomically(&path, &state)?;
        let _ = writeln!(out, "saved state to {}", path.display());
    }
    waited
}

#[cfg(test)]
mod tests {
    use super::*;
    use cvm_proto::{prepare, Context};

    #[test]
    fn serve_until_loads_prints_and_saves_state() {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path =
            std::env::temp_dir().join(format!("cvm-sim-state-{}-{nanos}.json", std::process::id()));
        let listen: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let config = SimConfig::default().with_transitions(crate::Transitions::instant());
        let mut out = Vec::new();
        serve_until(config.clone(), listen, Some(path.clone()), &mut out, |server| {
            let creds = cvm_proto::Credentials::new(crate::DEFAULT_SECRET_ID, crate::DEFAULT_SECRET_KEY).unwrap();
            let now = wall_clock();
            let ctx = Context::new(now.as_secs(), 5).region("ap-guangzhou");
            let params = serde_json::json!({"Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"});
            let req = prepare("RunInstances", &params, &creds, &server.endpoint(), &ctx).unwrap().request;
            let handled = server.with_sim(|sim| sim.handle(&SimRequest::from_prepared(&req), now));
            assert_eq!(handled.response.error_code(), None);
            Ok(())
        })
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(crate::DEFAULT_SECRET_ID) && text.contains(crate::DEFAULT_SECRET_KEY),
            "{text}"
        );
        assert!(text.contains("listening on http://127.0.0.1:"), "{text}");
        assert!(path.exists());

        let mut out = Vec::new();
        serve_until(config, listen, Some(path.clone()), &mut out, |server| {
            assert_eq!(server.with_sim(|sim| sim.instances().count()), 1);
            Err(SimError::State("stop".into()))
        })
        .unwrap_err();
        assert!(String::from_utf8(out).unwrap().contains("loaded state"));
        let saved: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(saved["instances"].as_array().unwrap().len(), 1);
        std::fs::remove_file(&path).unwrap();
    }
}
