//! The ureq transport against raw loopback servers: timeouts (for the head and for a body that
//! stalls), refused and dropped connections, oversize bodies, and what goes on the wire.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use cvm_blocking::proto::envelope;
use cvm_blocking::proto::models::RebootInstancesRequest;
use cvm_blocking::proto::models::{DescribeZonesRequest, TerminateInstancesRequest};
use cvm_blocking::proto::CallError;
use cvm_blocking::proto::{HttpMethod, HttpRequest};
use cvm_blocking::{
    ClientBuilder, ClientConfig, Endpoint, Error, ErrorClass, HttpResponse, HttpSend, RetryPolicy,
    TransportError, UreqTransport,
};

fn client(url: &str) -> ClientBuilder {
    raw_client(url)
}

/// The ureq transport, counting attempts.
struct Counting {
    inner: UreqTransport,
    count: Arc<AtomicUsize>,
}

impl HttpSend for Counting {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        self.count.fetch_add(1, Ordering::SeqCst);
        self.inner.send(request, body_limit)
    }
}

#[test]
fn a_server_that_never_answers_hits_the_timeout() {
    let server = RawServer::start(Behaviour::Hang);
    let c = client(&server.url).build().unwrap();
    let start = Instant::now();
    let err = c.call(&RebootInstancesRequest::new(["ins-1"])).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(err.is_timeout() && err.is_transport(), "{err}");
    assert_eq!(
        server.count(),
        1,
        "a possibly sent TerminateInstances must not be resent"
    );
    assert_no_secret(&err.to_string());

    let err = c.call(&DescribeZonesRequest::default()).unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert_eq!(server.count(), 4, "a read-only call is retried");
}

#[test]
fn a_body_that_stalls_hits_the_same_timeout() {
    // The head arrives at once; the body stops half way. ureq's global timeout covers the body.
    let mut stalled = raw_response("200 OK", br#"{"Response":{"TotalCount":0,"ZoneSet":[]}}"#);
    stalled.truncate(stalled.len() - 10);
    let server = RawServer::start(Behaviour::Stall(stalled));
    let c = client(&server.url).build().unwrap();
    // On a thread, so that a call that never ends fails the test instead of hanging it.
    let (done, result) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(c.call(&RebootInstancesRequest::new(["ins-1"])));
    });
    let err = result
        .recv_timeout(Duration::from_secs(5))
        .expect("the call ends within the timeout")
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Timeout, "{err}");
    assert!(err.is_timeout() && err.is_transport(), "{err}");
    assert_eq!(server.count(), 1, "a possibly applied reboot is not resent");
}

#[test]
fn a_refused_connection_is_retried_even_for_terminate() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    let count = Arc::new(AtomicUsize::new(0));
    let config = {
        let mut v = ClientConfig::default();
        v.endpoint = Endpoint::parse(&url).unwrap();
        v
    };
    let transport = Counting {
        inner: UreqTransport::new(&config),
        count: Arc::clone(&count),
    };
    let c = client(&url).transport(transport).build().unwrap();
    let err = c
        .call(&TerminateInstancesRequest::new(["ins-1"]))
        .unwrap_err();
    assert_eq!(count.load(Ordering::SeqCst), 3);
    assert_eq!(err.class(), ErrorClass::Transport, "{err}");
}

#[test]
fn a_dropped_connection_is_not_resent_for_reboot() {
    let server = RawServer::start(Behaviour::Drop);
    let c = client(&server.url).build().unwrap();
    let err = c.call(&RebootInstancesRequest::new(["ins-1"])).unwrap_err();
    assert!(err.is_transport(), "{err}");
    assert_eq!(server.count(), 1);
    c.call(&DescribeZonesRequest::default()).unwrap_err();
    assert_eq!(server.count(), 4);
}

#[test]
fn oversize_bodies_are_refused() {
    let body = vec![b' '; 5000];
    let server = RawServer::start(Behaviour::Raw(raw_response("200 OK", &body)));
    let c = client(&server.url)
        .body_limit(1000)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c.call(&DescribeZonesRequest::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Call(CallError::Reply(envelope::Error::TooLarge {
            size: 5000,
            limit: 1000
        }))
    );

    // Without a Content-Length, the size reported is what was read: one byte past the limit.
    let mut raw = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
    raw.extend_from_slice(&body);
    let server = RawServer::start(Behaviour::Raw(raw));
    let c = client(&server.url)
        .body_limit(1000)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = c.call(&DescribeZonesRequest::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Call(CallError::Reply(envelope::Error::TooLarge {
            size: 1001,
            limit: 1000
        }))
    );
}

#[test]
fn what_goes_on_the_wire() {
    let reply = br#"{"Response":{"TotalCount":0,"ZoneSet":[],"RequestId":"req-wire"}}"#;
    let server = RawServer::start(Behaviour::Raw(raw_response("200 OK", reply)));
    let c = client(&server.url).build().unwrap();
    assert_eq!(
        c.call(&DescribeZonesRequest::default()).unwrap().request_id,
        "req-wire"
    );
    let host = server
        .url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let post = String::from_utf8(server.requests.lock().unwrap()[0].clone()).unwrap();
    let lower = post.to_ascii_lowercase();
    assert!(post.starts_with("POST / HTTP/1.1\r\n"), "{post}");
    assert_eq!(lower.matches("\r\nhost: ").count(), 1, "{post}");
    assert!(lower.contains(&format!("\r\nhost: {host}\r\n")), "{post}");
    assert!(
        lower.contains("content-type: application/x-www-form-urlencoded"),
        "{post}"
    );
    assert!(post.contains("Action=DescribeZones"), "{post}");

    let c = client(&server.url)
        .http_method(HttpMethod::Get)
        .build()
        .unwrap();
    c.call(&DescribeZonesRequest::default()).unwrap();
    let get = String::from_utf8(server.requests.lock().unwrap()[1].clone()).unwrap();
    assert!(get.starts_with("GET /?"), "{get}");

    // HTTP error statuses come back as replies, not as transport errors.
    let server = RawServer::start(Behaviour::Raw(raw_response(
        "502 Bad Gateway",
        b"<html>bad gateway</html>",
    )));
    let err = client(&server.url)
        .build()
        .unwrap()
        .call(&RebootInstancesRequest::new(["ins-1"]))
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Call(CallError::Reply(envelope::Error::HttpStatus {
                status: 502,
                ..
            }))
        ),
        "{err}"
    );
    assert_eq!(server.count(), 1);
}
