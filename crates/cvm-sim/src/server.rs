//! The HTTP shell: a loopback hyper server on its own runtime thread, feeding requests to a [`Sim`] behind a mutex.
//!
//! It answers as HTTP servers do when a client misbehaves: `431` for a request head over
//! [`HttpConfig::max_header_bytes`], `400` for a malformed body, `408` for a body that does not
//! arrive within [`HttpConfig::body_read_timeout_ms`]. It serves at most
//! [`HttpConfig::max_connections`] connections, at most [`HttpConfig::max_connections_per_ip`] of
//! them from one client address, and keeps accepting: a client over its share has its new
//! connections closed while the others are served. With a state file it writes the state before
//! every reply that may have changed it (see [`SimServer::serve_sim_with_state`]).

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};
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
use hyper::{Request, Response, StatusCode};
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
    connections_refused_per_ip: AtomicU64,
    state_writes: AtomicU64,
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
    /// Connections closed at once because the connection cap, or their client's share of it, was reached.
    pub connections_refused: u64,
    /// Those of `connections_refused` closed because their client address already held
    /// [`HttpConfig::max_connections_per_ip`] connections.
    pub connections_refused_per_ip: u64,
    /// Writes of the state file (concurrent requests share one).
    pub state_writes: u64,
}

/// The state file, and what has been written to it.
struct Persist {
    path: PathBuf,
    /// Held while a snapshot is written, so that writes happen one at a time.
    file: Mutex<()>,
    /// The [`Sim::generation`] of the state last written.
    written: AtomicU64,
    /// Requests take turns to hand a write to the blocking pool; those waiting usually find their
    /// change written by the write before theirs, so concurrent requests share one write.
    turn: tokio::sync::Mutex<()>,
}

struct Shared {
    sim: Mutex<Sim>,
    stats: Stats,
    http: HttpConfig,
    persist: Option<Persist>,
    /// Open connections per client address.
    clients: Mutex<HashMap<IpAddr, usize>>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Sim> {
        // A panic inside `handle` would poison the lock; the state it guards is still usable.
        self.sim.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the state file unless a state of generation `generation` or later is already in it.
    fn save_through(&self, generation: u64) -> Result<(), SimError> {
        let Some(persist) = &self.persist else {
            return Ok(());
        };
        let _file = persist.file.lock().unwrap_or_else(PoisonError::into_inner);
        if persist.written.load(Ordering::SeqCst) >= generation {
            return Ok(());
        }
        self.write_snapshot(persist)
    }

    /// Writes the current state to the state file; the caller holds `persist.file`.
    fn write_snapshot(&self, persist: &Persist) -> Result<(), SimError> {
        let (state, generation) = {
            let sim = self.lock();
            (sim.state_json()?, sim.generation())
        };
        write_atomically(&persist.path, &state)?;
        self.stats.state_writes.fetch_add(1, Ordering::SeqCst);
        persist.written.fetch_max(generation, Ordering::SeqCst);
        Ok(())
    }

    /// Makes sure the state of generation `generation` is in the state file, if there is one,
    /// writing it on the blocking pool when needed.
    async fn persist(self: &Arc<Self>, generation: u64) -> Result<(), SimError> {
        let Some(persist) = &self.persist else {
            return Ok(());
        };
        if persist.written.load(Ordering::SeqCst) >= generation {
            return Ok(());
        }
        let _turn = persist.turn.lock().await;
        if persist.written.load(Ordering::SeqCst) >= generation {
            return Ok(());
        }
        let shared = Arc::clone(self);
        tokio::task::spawn_blocking(move || shared.save_through(generation))
            .await
            .map_err(|e| SimError::io("the state writer failed", std::io::Error::other(e)))?
    }
}

/// One connection counted against its client address's share, for as long as it lives.
struct ClientSlot {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl ClientSlot {
    /// A slot for a connection from `ip`, unless that address already holds its share.
    fn take(shared: &Arc<Shared>, ip: IpAddr) -> Option<ClientSlot> {
        let mut clients = shared
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let open = clients.entry(ip).or_default();
        if *open >= shared.http.max_connections_per_ip.max(1) {
            return None;
        }
        *open += 1;
        Some(ClientSlot {
            shared: Arc::clone(shared),
            ip,
        })
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut clients = self
            .shared
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(open) = clients.get_mut(&self.ip) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                clients.remove(&self.ip);
            }
        }
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
        Self::serve(sim, http, addr, None)
    }

    /// Serves an existing emulator core on `addr` and keeps its state in `state_file`.
    ///
    /// The state is written at once (so the file exists from the start), then before the reply to
    /// every request that may have changed it ([`Sim::generation`] grew: an accepted nonce, an
    /// authenticated action), so that nothing acknowledged is lost if the process is killed.
    /// Each write is atomic: a temporary file `FILE.tmp` in the same directory, created with mode
    /// 0600 (the state holds owner SecretIds and ClientTokens), written, fsynced and renamed over
    /// the file, then the directory fsynced. Concurrent requests share one write. A request whose
    /// change cannot be written is answered `500` (its effect stays in memory and is written with
    /// the next write that succeeds). Changes made through [`SimServer::with_sim`] are written
    /// with the next request's, or by [`SimServer::save_state`]. One state file serves one
    /// emulator at a time.
    pub fn serve_sim_with_state(
        sim: Sim,
        http: HttpConfig,
        addr: SocketAddr,
        state_file: impl Into<PathBuf>,
    ) -> Result<SimServer, SimError> {
        Self::serve(sim, http, addr, Some(state_file.into()))
    }

    fn serve(
        sim: Sim,
        http: HttpConfig,
        addr: SocketAddr,
        state_file: Option<PathBuf>,
    ) -> Result<SimServer, SimError> {
        let generation = sim.generation();
        let persist = state_file.map(|path| Persist {
            path,
            file: Mutex::new(()),
            written: AtomicU64::new(generation),
            turn: tokio::sync::Mutex::new(()),
        });
        let shared = Arc::new(Shared {
            sim: Mutex::new(sim),
            stats: Stats::default(),
            http,
            persist,
            clients: Mutex::new(HashMap::new()),
        });
        if let Some(persist) = &shared.persist {
            shared.write_snapshot(persist)?;
        }
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

    /// The state file, if the server keeps one.
    pub fn state_file(&self) -> Option<&Path> {
        self.shared.persist.as_ref().map(|p| p.path.as_path())
    }

    /// Writes the state to the state file now, if the server keeps one (it blocks while writing).
    pub fn save_state(&self) -> Result<(), SimError> {
        match &self.shared.persist {
            Some(persist) => {
                let _file = persist.file.lock().unwrap_or_else(PoisonError::into_inner);
                self.shared.write_snapshot(persist)
            }
            None => Ok(()),
        }
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
            connections_refused_per_ip: s.connections_refused_per_ip.load(Ordering::SeqCst),
            state_writes: s.state_writes.load(Ordering::SeqCst),
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
        // The buffer may take in more than `max_buf_size` in one read, and then a longer head
        // parses; this limit is checked on the parsed head as well, and answered 431.
        .max_header_size(http.max_header_bytes.max(1))
        .keep_alive(true);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(_) => {
                        // Out of descriptors or a reset during the handshake: back off briefly.
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                };
                let stats = &shared.stats;
                // Over its client's share or over the cap, a connection is closed at once, and
                // the loop goes on accepting others.
                let Some(slot) = ClientSlot::take(&shared, peer.ip().to_canonical()) else {
                    stats.connections_refused.fetch_add(1, Ordering::SeqCst);
                    stats.connections_refused_per_ip.fetch_add(1, Ordering::SeqCst);
                    drop(stream);
                    continue;
                };
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
                    drop(slot);
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

/// A plain-text reply that closes the connection, for a request the shell refuses itself.
fn refusal(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(format!("{} {}\n", status, text))));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}

/// The headers as text in arrival order, or the name of the first whose value is not UTF-8:
/// replacing its bad bytes would hand the emulator other text than the client sent.
fn text_headers(headers: &hyper::HeaderMap) -> Result<Vec<(String, String)>, String> {
    headers
        .iter()
        .map(|(k, v)| match std::str::from_utf8(v.as_bytes()) {
            Ok(text) => Ok((k.as_str().to_owned(), text.to_owned())),
            Err(_) => Err(k.as_str().to_owned()),
        })
        .collect()
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
    let headers = match text_headers(&parts.headers) {
        Ok(headers) => headers,
        Err(name) => {
            return Ok(refusal(
                StatusCode::BAD_REQUEST,
                &format!("the value of the header {name} is not UTF-8 text"),
            ))
        }
    };
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
            Ok(Err(_)) => {
                return Ok(refusal(
                    StatusCode::BAD_REQUEST,
                    "the request body is malformed or ended early",
                ))
            }
            Err(_) => {
                return Ok(refusal(
                    StatusCode::REQUEST_TIMEOUT,
                    "the request body did not arrive in time",
                ))
            }
        }
    };
    let request = SimRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().as_bytes().to_vec(),
        headers,
        body,
    };
    let (handled, generation) = {
        let mut sim = shared.lock();
        let handled = sim.handle(&request, wall_clock());
        (handled, sim.generation())
    };
    // Whatever the request changed is in the state file before anyone hears of it.
    if let Err(e) = shared.persist(generation).await {
        return Ok(refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the emulator could not save its state: {e}"),
        ));
    }
    match handled.fault {
        Some(ShellFault::DropUnprocessed | ShellFault::DropProcessed) => {
            return Err(DropConnection)
        }
        Some(ShellFault::Delay(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    // The core's own status and headers, which HTTP cannot carry, are a fault of the emulator,
    // said so rather than sent as something else (after the request may have taken effect).
    let Ok(status) = hyper::StatusCode::from_u16(handled.response.status) else {
        return Ok(refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "the emulator made a reply with status {}, which HTTP cannot carry; the request may have taken effect",
                handled.response.status
            ),
        ));
    };
    let mut response = Response::new(Full::new(Bytes::from(handled.response.body)));
    *response.status_mut() = status;
    for (name, value) in handled.response.headers {
        match (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            (Ok(name), Ok(value)) => {
                response.headers_mut().append(name, value);
            }
            _ => {
                return Ok(refusal(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("the emulator made a response header {name:?} that HTTP cannot carry; the request may have taken effect"),
                ))
            }
        }
    }
    Ok(response)
}

/// Writes `text` to `path` atomically and durably: a temporary file beside it, created with
/// mode 0600 and fsynced, renamed over `path`, then the directory fsynced.
fn write_atomically(path: &Path, text: &[u8]) -> Result<(), SimError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let failed = |what: &str, p: &Path| {
        let what = format!("cannot {what} {}", p.display());
        move |e| SimError::io(what, e)
    };
    // A temporary file left by a killed run is replaced, so that the new one is created with 0600.
    match std::fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed("remove", &tmp)(e)),
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp).map_err(failed("create", &tmp))?;
    file.write_all(text).map_err(failed("write", &tmp))?;
    file.sync_all().map_err(failed("fsync", &tmp))?;
    drop(file);
    std::fs::rename(&tmp, path).map_err(|e| {
        SimError::io(
            format!("cannot rename {} to {}", tmp.display(), path.display()),
            e,
        )
    })?;
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(failed("fsync the directory", dir))?;
    }
    Ok(())
}

/// Serves `config` on `listen` until Ctrl-C, loading `state_file` first if it exists, then keeping
/// it up to date as [`SimServer::serve_sim_with_state`] does: written atomically with mode 0600
/// before every reply that may have changed the state, and once more at the end.
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
    let server = match &state_file {
        Some(path) => SimServer::serve_sim_with_state(sim, http, listen, path)?,
        None => SimServer::serve_sim(sim, http, listen)?,
    };
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
    // Requests still finishing during the shutdown write their own changes before they reply.
    let saved = server.save_state();
    server.shutdown();
    saved?;
    if let Some(path) = state_file {
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
