//! Hostile clients over loopback: garbage, huge headers, slow senders, hundreds of connections at once.
//! Each is answered or dropped within a bounded time, and the server keeps serving.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::{prepare, Context, HttpMethod};
use cvm_sim::{HttpConfig, SimServer};
use serde_json::json;

fn server(max_connections: usize) -> SimServer {
    server_with(HttpConfig {
        max_connections,
        ..HttpConfig::default()
    })
}

/// A server with `http`'s limits, but short timeouts.
fn server_with(http: HttpConfig) -> SimServer {
    let http = HttpConfig {
        header_read_timeout_ms: 500,
        body_read_timeout_ms: 500,
        ..http
    };
    SimServer::start(common::config().with_http(http)).unwrap()
}

/// Reads until the peer closes, a timeout, or a complete small reply; returns what arrived.
fn read_reply(stream: &mut TcpStream, limit: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&out);
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let len = text[..head_end].lines().find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    });
                    if len.is_some_and(|len| out.len() >= head_end + 4 + len) {
                        break;
                    }
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("no reply and no close within {limit:?}")
            }
            Err(_) => break,
        }
    }
    out
}

/// A signed keep-alive GET for DescribeZones.
fn signed_get(addr: SocketAddr, nonce: u64) -> String {
    let endpoint = cvm_proto::Endpoint::parse(&format!("http://{addr}/")).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ctx = Context::new(now, nonce)
        .region("ap-guangzhou")
        .method(HttpMethod::Get);
    let req = prepare(
        "DescribeZones",
        &json!({}),
        &common::creds(),
        &endpoint,
        &ctx,
    )
    .unwrap()
    .request;
    let target = &req.url[req.url.find(&addr.to_string()).unwrap() + addr.to_string().len()..];
    format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n")
}

fn still_serves(server: &SimServer, nonce: u64) {
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.write_all(signed_get(server.addr(), nonce).as_bytes())
        .unwrap();
    let reply = String::from_utf8_lossy(&read_reply(&mut s, Duration::from_secs(5))).into_owned();
    assert!(
        reply.starts_with("HTTP/1.1 200") && reply.contains("\"ZoneSet\""),
        "{reply}"
    );
}

#[test]
fn garbage_is_answered_or_dropped() {
    let server = server(1024);
    let inputs: Vec<Vec<u8>> = vec![
        b"\x00\x01\x02\x03garbage\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n".to_vec(),
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"GET /?\xff\xfe=\x80 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /?Action=%%%&Nonce HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect(),
    ];
    let started = Instant::now();
    for input in &inputs {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        let _ = s.write_all(input);
        let reply = read_reply(&mut s, Duration::from_secs(5));
        let text = String::from_utf8_lossy(&reply);
        assert!(reply.is_empty() || text.starts_with("HTTP/1."), "{text}");
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    still_serves(&server, 1);
}

#[test]
fn a_one_megabyte_header_is_refused() {
    let server = server(1024);
    let mut s = TcpStream::connect(server.addr()).unwrap();
    let mut req = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Big: ", server.addr()).into_bytes();
    req.extend(std::iter::repeat_n(b'a', 1 << 20));
    req.extend_from_slice(b"\r\n\r\n");
    let _ = s.write_all(&req);
    let reply = read_reply(&mut s, Duration::from_secs(5));
    let text = String::from_utf8_lossy(&reply);
    assert!(
        reply.is_empty() || text.starts_with("HTTP/1.1 431"),
        "{text}"
    );
    // A URL far over the limit is refused the same way.
    let mut s = TcpStream::connect(server.addr()).unwrap();
    let _ = s.write_all(
        format!(
            "GET /?a={} HTTP/1.1\r\nHost: x\r\n\r\n",
            "b".repeat(1 << 20)
        )
        .as_bytes(),
    );
    let reply = read_reply(&mut s, Duration::from_secs(5));
    assert!(reply.is_empty() || reply.starts_with(b"HTTP/1.1 4"));
    still_serves(&server, 2);
}

#[test]
fn slow_senders_are_cut_off() {
    let server = server(1024);
    let started = Instant::now();
    // Never finishes the head.
    let mut head = TcpStream::connect(server.addr()).unwrap();
    head.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    // Never finishes the body.
    let mut body = TcpStream::connect(server.addr()).unwrap();
    body.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=").unwrap();
    // Connects and says nothing.
    let mut idle = TcpStream::connect(server.addr()).unwrap();
    for s in [&mut head, &mut body, &mut idle] {
        let reply = read_reply(s, Duration::from_secs(5));
        let text = String::from_utf8_lossy(&reply);
        assert!(
            reply.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // Meanwhile and afterwards the server answers others.
    still_serves(&server, 3);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.stats().connections_open > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.stats().connections_open, 0);
}

#[test]
fn six_hundred_connections_at_once() {
    // One client (all of them come from 127.0.0.1) allowed the whole cap.
    let server = server_with(HttpConfig {
        max_connections: 1024,
        max_connections_per_ip: 1024,
        ..HttpConfig::default()
    });
    let started = Instant::now();
    let mut streams: Vec<TcpStream> = (0..600)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    for (i, s) in streams.iter_mut().enumerate() {
        s.write_all(signed_get(server.addr(), 1000 + i as u64).as_bytes())
            .unwrap();
    }
    let mut ok = 0;
    for s in &mut streams {
        let reply = read_reply(s, Duration::from_secs(10));
        if reply.starts_with(b"HTTP/1.1 200") && String::from_utf8_lossy(&reply).contains("ZoneSet")
        {
            ok += 1;
        }
    }
    assert_eq!(ok, 600);
    assert!(server.stats().connections_accepted >= 600);
    drop(streams);
    assert!(started.elapsed() < Duration::from_secs(20));
    still_serves(&server, 5000);
}

#[test]
fn connections_over_the_cap_are_dropped() {
    let server = server(50);
    let mut streams: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.stats().connections_accepted + server.stats().connections_refused < 200
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let stats = server.stats();
    assert_eq!(stats.connections_accepted, 50, "{stats:?}");
    assert_eq!(stats.connections_refused, 150, "{stats:?}");
    let (mut ok, mut dropped) = (0, 0);
    for (i, s) in streams.iter_mut().enumerate() {
        let _ = s.write_all(signed_get(server.addr(), 1 + i as u64).as_bytes());
        let reply = read_reply(s, Duration::from_secs(10));
        if reply.starts_with(b"HTTP/1.1 200") {
            ok += 1;
        } else {
            assert!(reply.is_empty());
            dropped += 1;
        }
    }
    assert_eq!((ok, dropped), (50, 150));
    drop(streams);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.stats().connections_open > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    still_serves(&server, 999);
}

#[test]
fn many_sequential_connections() {
    let server = server(1024);
    let started = Instant::now();
    for i in 0..2000u64 {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        if i % 2 == 0 {
            s.write_all(signed_get(server.addr(), 10_000 + i).as_bytes())
                .unwrap();
            assert!(read_reply(&mut s, Duration::from_secs(5)).starts_with(b"HTTP/1.1 200"));
        }
    }
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(server.counters().requests, 1000);
}

/// The status line of a reply, or `""` if the connection closed without one.
fn status_line(reply: &[u8]) -> String {
    let text = String::from_utf8_lossy(reply);
    text.lines().next().unwrap_or_default().to_owned()
}

/// A signed GET whose head carries an `X-Pad` header making the head `size` bytes long.
fn padded_get(addr: SocketAddr, nonce: u64, size: usize) -> Vec<u8> {
    let get = signed_get(addr, nonce);
    let head = get.strip_suffix("\r\n\r\n").unwrap();
    let overhead = head.len() + "\r\nX-Pad: ".len() + 4;
    format!("{head}\r\nX-Pad: {}\r\n\r\n", "a".repeat(size - overhead)).into_bytes()
}

#[test]
fn a_head_over_the_limit_is_answered_431() {
    // The default limit, 128 KiB: a 200 KiB head was answered before.
    let server = server(1024);
    assert_eq!(HttpConfig::default().max_header_bytes, 128 * 1024);
    for size in [200 * 1024, 128 * 1024 + 1, 1 << 20] {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        let _ = s.write_all(&padded_get(server.addr(), 100 + size as u64, size));
        let reply = read_reply(&mut s, Duration::from_secs(5));
        assert_eq!(
            status_line(&reply),
            "HTTP/1.1 431 Request Header Fields Too Large",
            "a {size}-byte head"
        );
    }
    // Up to the limit, a head is read and the request answered.
    let mut s = TcpStream::connect(server.addr()).unwrap();
    s.write_all(&padded_get(server.addr(), 7, 128 * 1024))
        .unwrap();
    let reply = read_reply(&mut s, Duration::from_secs(5));
    assert_eq!(status_line(&reply), "HTTP/1.1 200 OK");

    // A configured limit is the one enforced.
    let small = server_with(HttpConfig {
        max_header_bytes: 16 * 1024,
        ..HttpConfig::default()
    });
    for (size, status) in [
        (16 * 1024, "HTTP/1.1 200 OK"),
        (
            16 * 1024 + 1,
            "HTTP/1.1 431 Request Header Fields Too Large",
        ),
        (40 * 1024, "HTTP/1.1 431 Request Header Fields Too Large"),
    ] {
        let mut s = TcpStream::connect(small.addr()).unwrap();
        let _ = s.write_all(&padded_get(small.addr(), 200 + size as u64, size));
        let reply = read_reply(&mut s, Duration::from_secs(5));
        assert_eq!(status_line(&reply), status, "a {size}-byte head");
    }
    still_serves(&server, 8);
    still_serves(&small, 9);
}

#[test]
fn a_malformed_body_is_answered_400() {
    let server = server(1024);
    let head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n";
    let cases: [(&str, bool); 4] = [
        // Not a chunk size.
        ("Transfer-Encoding: chunked\r\n\r\nzz\r\n", false),
        // A chunk longer than announced.
        (
            "Transfer-Encoding: chunked\r\n\r\n3\r\nAction=x\r\n0\r\n\r\n",
            false,
        ),
        // The client stops sending in the middle of a chunk.
        ("Transfer-Encoding: chunked\r\n\r\n20\r\nAction=", true),
        // Fewer bytes than Content-Length, then the client stops sending.
        ("Content-Length: 100\r\n\r\nAction=", true),
    ];
    let started = Instant::now();
    for (rest, half_close) in cases {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(format!("{head}{rest}").as_bytes()).unwrap();
        if half_close {
            s.shutdown(std::net::Shutdown::Write).unwrap();
        }
        let reply = read_reply(&mut s, Duration::from_secs(5));
        assert_eq!(
            status_line(&reply),
            "HTTP/1.1 400 Bad Request",
            "{rest:?}: {}",
            String::from_utf8_lossy(&reply)
        );
        assert!(
            String::from_utf8_lossy(&reply).contains("connection: close"),
            "{}",
            String::from_utf8_lossy(&reply)
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered at once"
    );
    still_serves(&server, 10);
}

#[test]
fn a_slow_body_is_answered_408() {
    let server = server(1024);
    let started = Instant::now();
    let mut streams = Vec::new();
    for rest in [
        "Content-Length: 100\r\n\r\nAction=",
        "Transfer-Encoding: chunked\r\n\r\n5\r\nAc",
        "Content-Length: 10\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(server.addr()).unwrap();
        s.write_all(format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n{rest}").as_bytes())
            .unwrap();
        streams.push((rest, s));
    }
    for (rest, s) in &mut streams {
        let reply = read_reply(s, Duration::from_secs(5));
        assert_eq!(
            status_line(&reply),
            "HTTP/1.1 408 Request Timeout",
            "{rest:?}: {}",
            String::from_utf8_lossy(&reply)
        );
    }
    let elapsed = started.elapsed();
    // body_read_timeout_ms is 500.
    assert!(
        elapsed >= Duration::from_millis(450) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
    still_serves(&server, 11);
}

#[test]
fn one_client_over_its_share_leaves_room_for_the_others() {
    // Default timeouts, so that the greedy client's idle connections stay open during the test.
    let http = HttpConfig {
        max_connections: 1024,
        max_connections_per_ip: 256,
        ..HttpConfig::default()
    };
    let server = SimServer::start(common::config().with_http(http)).unwrap();
    let addr = server.addr();
    // The greedy client, 127.0.0.2 on the loopback: 1,100 idle connections, more than the cap.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let greedy_ip = "127.0.0.2:0".parse().unwrap();
    let connect_from = |n: usize| -> Vec<TcpStream> {
        runtime.block_on(async {
            let mut streams = Vec::new();
            for _ in 0..n {
                let socket = tokio::net::TcpSocket::new_v4().unwrap();
                socket.bind(greedy_ip).unwrap();
                let stream = socket.connect(addr).await.unwrap().into_std().unwrap();
                stream.set_nonblocking(false).unwrap();
                streams.push(stream);
            }
            streams
        })
    };
    let mut greedy = connect_from(1100);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.stats().connections_accepted + server.stats().connections_refused < 1100
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let stats = server.stats();
    assert_eq!(stats.connections_accepted, 256, "{stats:?}");
    assert_eq!(stats.connections_refused, 844, "{stats:?}");
    assert_eq!(stats.connections_refused_per_ip, 844, "{stats:?}");

    // Meanwhile another client (127.0.0.1) is served, on connection after connection and on
    // many at once.
    for i in 0..20 {
        still_serves(&server, 20_000 + i);
    }
    let mut others: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    for (i, s) in others.iter_mut().enumerate() {
        s.write_all(signed_get(addr, 21_000 + i as u64).as_bytes())
            .unwrap();
    }
    for s in &mut others {
        let reply = read_reply(s, Duration::from_secs(10));
        assert_eq!(status_line(&reply), "HTTP/1.1 200 OK");
    }

    // The greedy client's accepted connections are served too; the others were closed.
    let (mut ok, mut closed) = (0, 0);
    for (i, s) in greedy.iter_mut().enumerate() {
        let _ = s.write_all(signed_get(addr, 30_000 + i as u64).as_bytes());
        let reply = read_reply(s, Duration::from_secs(10));
        if reply.starts_with(b"HTTP/1.1 200") {
            ok += 1;
        } else {
            assert!(reply.is_empty());
            closed += 1;
        }
    }
    assert_eq!((ok, closed), (256, 844));
    drop(greedy);
    drop(others);
    // Its share is given back as its connections close.
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.stats().connections_open > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.stats().connections_open, 0);
    let mut again = connect_from(1).remove(0);
    again
        .write_all(signed_get(addr, 40_000).as_bytes())
        .unwrap();
    let reply = read_reply(&mut again, Duration::from_secs(5));
    assert_eq!(status_line(&reply), "HTTP/1.1 200 OK");
    assert_eq!(server.stats().connections_refused, 844);
}
