//! `cvm sim --state FILE` keeps its word when killed: the emulator runs as a child process, takes
//! RunInstances calls over real HTTP from several clients, and is SIGKILLed at random points;
//! after each restart with the same state file, every instance whose RunInstances reply arrived
//! is still there, its ClientToken still returns the same ids, an acknowledged request replayed
//! is refused, and the file is mode 0600.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::{prepare, Context, Credentials, Endpoint, HttpMethod, HttpRequest};
use serde_json::{json, Value};

/// Kill-and-restart rounds.
const ROUNDS: usize = 8;
/// Clients sending RunInstances at once in each round.
const CLIENTS: usize = 4;

static NONCE: AtomicU64 = AtomicU64::new(1);

fn unix_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap()
}

/// A running `cvm sim`, with what it printed: its address and the credentials it accepts.
struct Emulator {
    child: Mutex<Child>,
    addr: SocketAddr,
    creds: Credentials,
    loaded: bool,
}

impl Emulator {
    fn start(listen: SocketAddr, state: &Path, config: &Path) -> Emulator {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cvm"))
            .args(["sim", "--listen", &listen.to_string(), "--state"])
            .arg(state)
            .arg("--config")
            .arg(config)
            .env_clear()
            .env("HOME", "/nonexistent")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut addr, mut id, mut key, mut loaded) = (None, None, None, false);
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("cvm-sim listening on http://") {
                addr = Some(rest.split('/').next().unwrap().parse().unwrap());
            } else if let Some(rest) = line.strip_prefix("test credentials accepted: SecretId=") {
                id = Some(rest.trim().to_owned());
            } else if let Some((_, rest)) =
                line.split_once("test SecretKey (configure your client with it): ")
            {
                key = Some(rest.trim().to_owned());
            } else if line.starts_with("loaded state from") {
                loaded = true;
            } else if line.starts_with("press Ctrl-C") {
                break;
            }
        }
        // Keep reading, so that the emulator never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Emulator {
            child: Mutex::new(child),
            addr: addr.expect("the emulator printed its address"),
            creds: Credentials::new(id.unwrap(), key.unwrap()).unwrap(),
            loaded,
        }
    }

    fn endpoint(&self) -> Endpoint {
        Endpoint::parse(&format!("http://{}/", self.addr)).unwrap()
    }

    /// A signed POST of `action`, with a nonce never used before.
    fn request(&self, action: &str, params: &Value) -> HttpRequest {
        let ctx = Context::new(unix_now().as_secs(), NONCE.fetch_add(1, Ordering::SeqCst))
            .region("ap-guangzhou")
            .method(HttpMethod::Post);
        prepare(action, params, &self.creds, &self.endpoint(), &ctx)
            .unwrap()
            .request
    }

    /// Calls `action` and returns its `Response`, which must not be an error.
    fn ok(&self, action: &str, params: &Value) -> Value {
        let reply = post(self.addr, &self.request(action, params)).unwrap();
        assert!(reply["Response"]["Error"].is_null(), "{action}: {reply}");
        reply["Response"].clone()
    }

    /// SIGKILL (`Child::kill` sends SIGKILL on Unix), and the process reaped.
    fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

/// The request's bytes on the wire, with `Connection: close`.
fn wire(req: &HttpRequest) -> Vec<u8> {
    let target = &req.url[req.url.find("://").unwrap() + 3..];
    let target = &target[target.find('/').unwrap()..];
    let mut head = format!("POST {target} HTTP/1.1\r\n");
    for (name, value) in &req.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        req.body.len()
    ));
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&req.body);
    bytes
}

/// Sends raw request bytes over a new connection; `Err` unless a complete 200 reply arrived.
fn send_raw(addr: SocketAddr, bytes: &[u8]) -> std::io::Result<Value> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.write_all(bytes)?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply)?;
    let broken =
        || std::io::Error::other(format!("bad reply: {}", String::from_utf8_lossy(&reply)));
    let text = std::str::from_utf8(&reply).map_err(|_| broken())?;
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(broken)?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(broken());
    }
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .ok_or_else(broken)?;
    if body.len() != length {
        return Err(broken());
    }
    serde_json::from_str(body).map_err(|_| broken())
}

fn post(addr: SocketAddr, req: &HttpRequest) -> std::io::Result<Value> {
    send_raw(addr, &wire(req))
}

/// A RunInstances whose reply arrived: its ClientToken, the ids, and the request's bytes.
#[derive(Clone)]
struct Acked {
    token: String,
    ids: Value,
    wire: Vec<u8>,
}

/// Sends RunInstances until the emulator stops answering; records every reply received.
fn client(
    emulator: &Emulator,
    round: usize,
    client: usize,
    acked: &Mutex<Vec<Acked>>,
    stop: &AtomicBool,
) {
    for k in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let token = format!("kill-{round}-{client}-{k}");
        let params = json!({
            "Placement": {"Zone": "ap-guangzhou-2"},
            "InstanceType": "S1.SMALL1",
            "ImageId": "img-pmqg1cw7",
            "InstanceCount": 1 + k % 2,
            "ClientToken": token,
        });
        let req = emulator.request("RunInstances", &params);
        let Ok(reply) = post(emulator.addr, &req) else {
            return;
        };
        let ids = reply["Response"]["InstanceIdSet"].clone();
        assert_eq!(ids.as_array().map(Vec::len), Some(1 + k % 2), "{reply}");
        acked.lock().unwrap().push(Acked {
            token,
            ids,
            wire: wire(&req),
        });
    }
}

/// Every instance id the emulator has, page by page.
fn all_ids(emulator: &Emulator) -> Vec<String> {
    let mut ids = Vec::new();
    loop {
        let page = emulator.ok(
            "DescribeInstances",
            &json!({"Offset": ids.len(), "Limit": 100}),
        );
        let set = page["InstanceSet"].as_array().unwrap();
        ids.extend(
            set.iter()
                .map(|i| i["InstanceId"].as_str().unwrap().to_owned()),
        );
        if set.is_empty() || ids.len() as u64 >= page["TotalCount"].as_u64().unwrap() {
            return ids;
        }
    }
}

/// Every acknowledged instance is there, and each of `tokens` returns its ids again.
fn check(emulator: &Emulator, all: &[Acked], tokens: &[Acked]) -> usize {
    let ids = all_ids(emulator);
    let mut checked = 0;
    for a in all {
        for id in a.ids.as_array().unwrap() {
            assert!(
                ids.iter().any(|i| i == id.as_str().unwrap()),
                "{id} of {} lost",
                a.token
            );
            checked += 1;
        }
    }
    // From several clients at once, as the writes of concurrent requests are shared.
    std::thread::scope(|scope| {
        for share in tokens.chunks(tokens.len().div_ceil(CLIENTS).max(1)) {
            scope.spawn(move || {
                for a in share {
                    let again = emulator.ok(
                        "RunInstances",
                        &json!({
                            "Placement": {"Zone": "ap-guangzhou-2"},
                            "InstanceType": "S1.SMALL1",
                            "ImageId": "img-pmqg1cw7",
                            "InstanceCount": a.ids.as_array().unwrap().len(),
                            "ClientToken": a.token,
                        }),
                    );
                    assert_eq!(again["InstanceIdSet"], a.ids, "ClientToken {}", a.token);
                }
            });
        }
    });
    assert_eq!(
        all_ids(emulator).len(),
        ids.len(),
        "no new instance for a known ClientToken"
    );
    checked
}

/// A small xorshift, seeded from the clock (printed, to rerun a failure's kill points).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cvm-sim-kill-{}-{}",
        std::process::id(),
        unix_now().as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn sigkill_loses_nothing_acknowledged() {
    let started = Instant::now();
    let seed = std::env::var("CVM_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| unix_now().as_nanos() as u64 | 1);
    println!("kill seed {seed} (CVM_KILL_SEED={seed} reruns these kill points)");
    let mut rng = Rng(seed);
    let dir = scratch_dir();
    let state = dir.join("state.json");
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        r#"{"rate_limit": null, "quotas": {"max_instances_per_region": 100000}}"#,
    )
    .unwrap();
    // One port for every run, so that a replay is sent, byte for byte, where it was first sent.
    let listen = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();

    let mut acked: Vec<Acked> = Vec::new();
    let mut kills = 0;
    let mut delays = Vec::new();
    for round in 0..ROUNDS {
        let emulator = Emulator::start(listen, &state, &config);
        assert_eq!(emulator.addr, listen);
        assert_eq!(
            emulator.loaded,
            round > 0,
            "loads the state after a restart"
        );
        assert_eq!(
            std::fs::metadata(&state).unwrap().permissions().mode() & 0o777,
            0o600
        );
        if let Some(previous) = acked.last() {
            // The last RunInstances acknowledged before the kill, replayed: still refused.
            let replay = send_raw(emulator.addr, &previous.wire).unwrap();
            assert_eq!(
                replay["Response"]["Error"]["Code"], "InvalidRequest.ReplayAttack",
                "{replay}"
            );
        }
        // Every instance acknowledged so far is there; the ClientTokens of the last round return
        // their ids (every round's are checked again at the end).
        let last_round: Vec<Acked> = match round.checked_sub(1) {
            Some(previous) => acked
                .iter()
                .filter(|a| a.token.starts_with(&format!("kill-{previous}-")))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        check(&emulator, &acked, &last_round);

        let delay = Duration::from_millis(20 + rng.next() % 200);
        delays.push(delay.as_millis());
        let round_acked = Mutex::new(Vec::new());
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            for c in 0..CLIENTS {
                let (emulator, round_acked, stop) = (&emulator, &round_acked, &stop);
                scope.spawn(move || client(emulator, round, c, round_acked, stop));
            }
            // The kill comes `delay` after the round's first acknowledgement, so that every round
            // has something to lose however loaded the machine is (a busy CI runner may take
            // longer than the delay to answer at all).
            let waiting = Instant::now();
            while round_acked.lock().unwrap().is_empty()
                && waiting.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(delay);
            // SIGKILL in the middle of whatever the clients are doing.
            emulator.kill();
            stop.store(true, Ordering::SeqCst);
        });
        let round_acked = round_acked.into_inner().unwrap();
        assert!(
            !round_acked.is_empty(),
            "round {round}: no reply in {delay:?}"
        );
        acked.extend(round_acked);
        kills += 1;
    }

    // A last restart: everything acknowledged in every round is there, every ClientToken too.
    let emulator = Emulator::start(listen, &state, &config);
    let instances = check(&emulator, &acked, &acked);
    let mode = std::fs::metadata(&state).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    emulator.kill();
    let elapsed = started.elapsed();
    println!(
        "{ROUNDS} rounds, {kills} SIGKILLs after {delays:?} ms, {} RunInstances replies and {instances} instances checked, in {elapsed:?}",
        acked.len()
    );
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
