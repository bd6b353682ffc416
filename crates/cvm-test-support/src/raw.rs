//! Tiny loopback servers that read one request per connection and hang, drop, or answer raw bytes.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a raw test server does with each connection once it has read one request.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Never answer; keep the connection open until the test ends.
    Hang,
    /// Close the connection without answering.
    Drop,
    /// Answer with these raw bytes, then close.
    Raw(Vec<u8>),
    /// Write these raw bytes (e.g. a head and part of its body), then keep the connection open in silence.
    Stall(Vec<u8>),
}

/// A loopback server that reads one request per connection and acts as told; counts connections.
#[derive(Debug)]
pub struct RawServer {
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    /// The raw bytes of every request read.
    pub requests: Arc<Mutex<Vec<Vec<u8>>>>,
    _thread: JoinHandle<()>,
}

impl RawServer {
    /// Starts a server on an ephemeral loopback port.
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
                    Behaviour::Stall(bytes) => {
                        let _ = stream.write_all(bytes);
                        let _ = stream.flush();
                        held.push(stream);
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

    /// How many requests were read.
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
