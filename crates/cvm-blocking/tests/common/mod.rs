//! Shared helpers of the integration tests: a scripted fake transport, test credentials, an
//! emulator set up for them, and tiny raw HTTP servers on loopback.
//!
//! `cvm-async`'s tests include this file too (by path), so that both clients are tested with
//! the same helpers; keep it free of anything blocking-only but the [`Fake`] transport.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::VecDeque;
use std::fmt::{Debug, Display};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cvm_blocking::proto::encode;
use cvm_blocking::proto::models::RunInstancesRequest;
use cvm_blocking::proto::params::Params;
use cvm_blocking::proto::request::HttpRequest;
use cvm_blocking::{
    BuildClient, Builder, Client, ClientBuilder, Credentials, HttpResponse, HttpSend, RetryPolicy,
    TransportError, WaitOptions,
};
use cvm_sim::{AccountConfig, SimConfig, SimServer, Transitions};

/// The secret key of the test credentials; it must never appear in any output.
pub const SECRET_KEY: &str = "sEcReTkEy-never-printed-0123456789";
/// The session token of the test credentials; it must never appear in any output.
pub const TOKEN: &str = "tOkEn-never-printed-abcdefghij";
/// The secret id of the test credentials.
pub const SECRET_ID: &str = "AKIDtestclient0000000000000000000000";

pub fn creds() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
        .unwrap()
        .with_token(TOKEN)
        .unwrap()
}

/// Fails if `text` contains the secret key or the token.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET_KEY), "secret key leaked in: {text}");
    assert!(!text.contains(TOKEN), "token leaked in: {text}");
}

pub fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        deadline: Duration::from_secs(30),
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

pub const PASSWORD: &str = "Walk-through-1";

/// An emulator that knows the test account (with its session token) and has short transitions.
pub fn sim(config: SimConfig) -> SimServer {
    let config = config
        .with_accounts(vec![
            AccountConfig::new(SECRET_ID, SECRET_KEY).with_token(TOKEN)
        ])
        .with_transitions(Transitions::all(Duration::from_millis(200)));
    SimServer::start(config).unwrap()
}

/// A builder of either client for `server`, with the test credentials, a region, fast retries and short timeouts.
pub fn sim_client<C: BuildClient>(server: &SimServer) -> Builder<C> {
    Builder::default()
        .credentials(creds())
        .region("ap-guangzhou")
        .endpoint(server.endpoint())
        .retry(fast_retry(4))
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
}

pub fn wait_options() -> WaitOptions {
    WaitOptions {
        first_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(200),
        timeout: Duration::from_secs(20),
    }
}

/// Fails if the error's text or `Debug` shows a secret; returns it for further checks.
pub fn checked<E: Display + Debug>(err: E) -> E {
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
    err
}

/// The walkthrough's `RunInstances`: one S1.SMALL1 in ap-guangzhou-2.
pub fn walkthrough_request() -> RunInstancesRequest {
    cvm_blocking::proto::walkthrough::run_instances("S1.SMALL1", PASSWORD)
}

/// A builder of either client for a raw server at `url`: test credentials, 3 fast attempts, short timeouts.
pub fn raw_client<C: BuildClient>(url: &str) -> Builder<C> {
    Builder::default()
        .credentials(creds())
        .region("ap-guangzhou")
        .endpoint_url(url)
        .retry(fast_retry(3))
        .connect_timeout(Duration::from_millis(500))
        .timeout(Duration::from_millis(700))
}

/// The decoded parameters of a prepared request, from its query (GET) or its body (POST).
pub fn params_of(request: &HttpRequest) -> Params {
    let raw = match request.url.split_once('?') {
        Some((_, query)) if request.body.is_empty() => query.as_bytes().to_vec(),
        _ => request.body.clone(),
    };
    encode::decode(&raw).unwrap()
}

/// One scripted outcome of an attempt.
#[derive(Debug, Clone)]
pub enum Answer {
    /// An HTTP reply.
    Reply(HttpResponse),
    /// A failure below HTTP.
    Fail(TransportError),
}

pub fn reply(status: u16, body: &str) -> Answer {
    Answer::Reply(HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
}

pub fn ok(response: &str) -> Answer {
    reply(200, &format!(r#"{{"Response":{}}}"#, response))
}

pub fn api_error(code: &str, message: &str) -> Answer {
    ok(&format!(
        r#"{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"req-err"}}"#
    ))
}

pub fn fail(maybe_sent: bool, timed_out: bool) -> Answer {
    Answer::Fail(TransportError {
        maybe_sent,
        timed_out,
        message: if timed_out {
            "timeout: global".into()
        } else {
            "io: connection reset".into()
        },
    })
}

type Responder = Box<dyn Fn(&Params) -> Answer + Send + Sync>;

/// A transport that records every request's decoded parameters and answers from a script or a function.
pub struct Fake {
    script: Mutex<VecDeque<Answer>>,
    responder: Option<Responder>,
    seen: Mutex<Vec<Params>>,
}

impl Fake {
    pub fn script(answers: impl IntoIterator<Item = Answer>) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(answers.into_iter().collect()),
            responder: None,
            seen: Mutex::new(Vec::new()),
        })
    }

    pub fn with(responder: impl Fn(&Params) -> Answer + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            script: Mutex::new(VecDeque::new()),
            responder: Some(Box::new(responder)),
            seen: Mutex::new(Vec::new()),
        })
    }

    /// The parameters of every attempt so far.
    pub fn sent(&self) -> Vec<Params> {
        self.seen.lock().unwrap().clone()
    }

    pub fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl HttpSend for Fake {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        let params = params_of(request);
        self.seen.lock().unwrap().push(params.clone());
        let answer = match &self.responder {
            Some(f) => f(&params),
            None => self
                .script
                .lock()
                .unwrap()
                .pop_front()
                .expect("the script ran out of answers"),
        };
        match answer {
            Answer::Reply(mut r) => {
                r.body.truncate(body_limit.saturating_add(1));
                Ok(r)
            }
            Answer::Fail(e) => Err(e),
        }
    }
}

/// A client builder with the test credentials, a region, fast retries and `fake` as transport.
pub fn builder(fake: &Arc<Fake>) -> ClientBuilder {
    Client::builder()
        .credentials(creds())
        .region("ap-guangzhou")
        .retry(fast_retry(4))
        .transport(Arc::clone(fake))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` form of a Unix time.
pub fn http_date(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// What a raw test server does with each connection once it has read one request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Never answer; keep the connection open until the test ends.
    Hang,
    /// Close the connection without answering.
    Drop,
    /// Answer with these raw bytes, then close.
    Raw(Vec<u8>),
}

/// A loopback server that reads one request per connection and acts as told; counts connections.
pub struct RawServer {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Vec<u8>>>>,
    _thread: JoinHandle<()>,
}

impl RawServer {
    pub fn start(behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let request = read_request(&mut stream);
                seen.lock().unwrap().push(request);
                match &behaviour {
                    Behaviour::Hang => held.push(stream),
                    Behaviour::Drop => drop(stream),
                    Behaviour::Raw(bytes) => {
                        let _ = stream.write_all(bytes);
                        let _ = stream.flush();
                    }
                }
            }
        });
        Self {
            url,
            requests,
            _thread: thread,
        }
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// A raw HTTP/1.1 response with `body` and a correct `Content-Length`.
pub fn raw_response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads headers and a `Content-Length` body, with a short read timeout so that a test never hangs here.
fn read_request(stream: &mut TcpStream) -> Vec<u8> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return data;
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return data,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
