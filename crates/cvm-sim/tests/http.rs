//! The HTTP shell over loopback with a real client (ureq): signed calls on both gateways, faults, concurrency.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::sign::SignatureMethod;
use cvm_proto::Endpoint;
use cvm_proto::{prepare, Context, HttpMethod, HttpRequest, MAX_POST_BODY};
use cvm_sim::{FaultKind, FaultRule, SimServer};
use serde_json::{json, Value};

static NONCE: AtomicU64 = AtomicU64::new(1);

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn prepared(endpoint: &Endpoint, action: &str, params: &Value, method: HttpMethod) -> HttpRequest {
    let ctx = Context::new(now(), NONCE.fetch_add(1, Ordering::SeqCst))
        .region("ap-guangzhou")
        .method(method)
        .signature_method(SignatureMethod::HmacSha1);
    prepare(action, params, &common::creds(), endpoint, &ctx)
        .unwrap()
        .request
}

/// Sends a prepared request; `Err` when the connection failed (dropped by a fault).
fn send(agent: &ureq::Agent, req: &HttpRequest) -> Result<(u16, String, Vec<u8>), ureq::Error> {
    let mut resp = match req.method {
        HttpMethod::Get => agent.get(&req.url).call()?,
        HttpMethod::Post => agent
            .post(&req.url)
            .header("Content-Type", req.header("Content-Type").unwrap())
            .send(&req.body[..])?,
    };
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = resp.body_mut().read_to_vec()?;
    Ok((status, content_type, body))
}

fn call(server: &SimServer, action: &str, params: Value) -> Value {
    let (status, content_type, body) = send(
        &agent(),
        &prepared(&server.endpoint(), action, &params, HttpMethod::Post),
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/json");
    serde_json::from_slice(&body).unwrap()
}

fn server() -> SimServer {
    SimServer::start(common::config()).unwrap()
}

#[test]
fn signed_calls_over_http_on_both_gateways() {
    let server = server();
    assert!(server.addr().ip().is_loopback());
    assert_eq!(
        server.endpoint().to_string(),
        format!("http://{}/", server.addr())
    );
    assert_eq!(
        server.legacy_endpoint().to_string(),
        format!("http://{}/v2/index.php", server.addr())
    );
    let agent = agent();
    for endpoint in [server.endpoint(), server.legacy_endpoint()] {
        for method in [HttpMethod::Get, HttpMethod::Post] {
            let req = prepared(&endpoint, "DescribeZones", &json!({}), method);
            let (status, content_type, body) = send(&agent, &req).unwrap();
            assert_eq!((status, content_type.as_str()), (200, "application/json"));
            let v: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["Response"]["TotalCount"], 5, "{v}");
        }
    }
    let ids =
        call(&server, "RunInstances", common::run_params(2))["Response"]["InstanceIdSet"].clone();
    assert_eq!(server.with_sim(|sim| sim.instances().count()), 2);
    let d = call(&server, "DescribeInstances", json!({"InstanceIds": ids}));
    assert_eq!(d["Response"]["TotalCount"], 2);
    // A wrong key is refused over HTTP as well.
    let ctx = Context::new(now(), 99).region("ap-guangzhou");
    let bad = cvm_proto::Credentials::new(cvm_sim::DEFAULT_SECRET_ID, "wrong").unwrap();
    let req = prepare("DescribeZones", &json!({}), &bad, &server.endpoint(), &ctx)
        .unwrap()
        .request;
    let (_, _, body) = send(&agent, &req).unwrap();
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        v["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
    // Other paths get a plain 404.
    let mut resp = agent
        .get(&format!("http://{}/nothing", server.addr()))
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 404);
    let _ = resp.body_mut().read_to_vec();
    let counters = server.counters();
    assert_eq!(counters.requests_by_action["DescribeZones"], 5);
    assert_eq!(counters.instances_created, 2);
    server.shutdown();
}

#[test]
fn faults_over_http() {
    let server = server();
    let agent = agent();
    let run = |server: &SimServer| {
        send(
            &agent,
            &prepared(
                &server.endpoint(),
                "RunInstances",
                &common::run_params(1),
                HttpMethod::Post,
            ),
        )
    };

    server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::DropBeforeProcessing)]));
    assert!(run(&server).is_err());
    assert_eq!(server.with_sim(|s| s.instances().count()), 0);

    server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::DropAfterProcessing)]));
    assert!(run(&server).is_err());
    assert_eq!(
        server.with_sim(|s| s.instances().count()),
        1,
        "processed, reply lost"
    );

    server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::BadGateway)]));
    let (status, content_type, body) = run(&server).unwrap();
    assert_eq!((status, content_type.as_str()), (502, "text/html"));
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::ServiceUnavailable)]));
    assert_eq!(run(&server).unwrap().0, 503);

    server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::Delay { millis: 300 })]));
    let started = Instant::now();
    let (status, _, _) = run(&server).unwrap();
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));

    server.with_sim(|s| {
        s.set_faults(vec![
            FaultRule::new(FaultKind::RequestLimitExceeded).first(1)
        ])
    });
    let (_, _, body) = run(&server).unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["Response"]["Error"]["Code"],
        "RequestLimitExceeded"
    );
    assert_eq!(run(&server).unwrap().0, 200);
    assert_eq!(server.with_sim(|s| s.instances().count()), 3);
}

#[test]
fn concurrent_requests_are_counted() {
    let server = SimServer::start(
        common::config().with_fault(FaultRule::new(FaultKind::Delay { millis: 200 })),
    )
    .unwrap();
    let endpoint = server.endpoint();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let endpoint = endpoint.clone();
            scope.spawn(move || {
                let agent = agent();
                for _ in 0..3 {
                    let req = prepared(&endpoint, "DescribeZones", &json!({}), HttpMethod::Get);
                    assert_eq!(send(&agent, &req).unwrap().0, 200);
                }
            });
        }
    });
    let stats = server.stats();
    assert_eq!(stats.in_flight, 0);
    assert!(stats.max_in_flight >= 2, "{stats:?}");
    assert!(stats.max_in_flight <= 8, "{stats:?}");
    let counters = server.counters();
    assert_eq!(counters.max_in_flight, stats.max_in_flight);
    assert_eq!(counters.requests, 24);
}

#[test]
fn oversized_bodies_get_the_tc3_hint_over_http() {
    let server = server();
    let body = format!("Action=DescribeZones&Pad={}", "a".repeat(MAX_POST_BODY));
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        server.addr(),
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&reply).contains("}}") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&reply);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(
        text.contains("AuthFailure.SignatureFailure") && text.contains("TC3-HMAC-SHA256"),
        "{text}"
    );
}

#[test]
fn a_header_value_that_is_not_utf8_is_refused_by_name() {
    let server = server();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "GET /?Action=DescribeZones HTTP/1.1\r\nHost: {}\r\nX-TC-Action: Describe",
        server.addr()
    )
    .into_bytes();
    // An obs-text byte, which HTTP allows in a value and which is not UTF-8 on its own.
    head.extend_from_slice(b"\xffZones\r\nConnection: close\r\n\r\n");
    stream.write_all(&head).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let text = String::from_utf8_lossy(&reply);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(
        text.contains("the value of the header x-tc-action is not UTF-8 text"),
        "{text}"
    );
}

#[test]
fn drop_shuts_down_and_frees_the_port() {
    let server = server();
    let addr = server.addr();
    drop(server);
    let refused = TcpStream::connect_timeout(&addr, Duration::from_secs(2));
    assert!(refused.is_err());
}

#[tokio::test]
async fn starts_and_stops_inside_an_async_runtime() {
    // The server builds its runtime on its own thread, so an async test may start one directly.
    let server = cvm_sim::SimServer::start(cvm_sim::SimConfig::default()).unwrap();
    let addr = server.addr();
    assert!(addr.port() > 0);
    let conn = tokio::net::TcpStream::connect(addr).await;
    assert!(conn.is_ok());
    drop(conn);
    server.shutdown();
}
