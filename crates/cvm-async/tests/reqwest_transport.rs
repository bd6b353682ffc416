//! The reqwest transport against raw loopback servers: what goes on the wire, timeouts, refused
//! and dropped connections, and oversize bodies.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use std::time::Duration;

use cvm_async::proto::envelope;
use cvm_async::proto::models::RebootInstancesRequest;
use cvm_async::proto::models::{DescribeZonesRequest, TerminateInstancesRequest};
use cvm_async::proto::CallError;
use cvm_async::proto::HttpMethod;
use cvm_async::Endpoint;
use cvm_async::{ClientBuilder, Error, ErrorClass, RetryPolicy};
use cvm_test_support::prelude::{assert_no_secret, raw_client, raw_response, Behaviour, RawServer};
use support::Recording;
use tokio::time::Instant;

fn client(url: &str) -> ClientBuilder {
    raw_client(url)
}

/// The size a `TooLarge` error reports.
fn too_large(err: &Error) -> Option<(usize, usize)> {
    match err {
        Error::Call(CallError::Reply(envelope::Error::TooLarge { size, limit })) => {
            Some((*size, *limit))
        }
        _ => None,
    }
}

#[tokio::test]
async fn one_host_header_the_signed_one_and_statuses_as_replies() {
    let body = br#"{"Response":{"TotalCount":0,"ZoneSet":[],"RequestId":"req-wire"}}"#;
    let server = RawServer::start(Behaviour::Raw(raw_response("200 OK", body)));
    let host = server.url["http://".len()..]
        .trim_end_matches('/')
        .to_owned();
    for method in [HttpMethod::Post, HttpMethod::Get] {
        let c = client(&server.url).http_method(method).build().unwrap();
        let reply = c.call(&DescribeZonesRequest::default()).await.unwrap();
        assert_eq!(reply.request_id, "req-wire");
    }
    let seen = server.requests.lock().unwrap().clone();
    let (post, get) = (
        String::from_utf8_lossy(&seen[0]).to_string(),
        String::from_utf8_lossy(&seen[1]).to_string(),
    );
    for head in [&post, &get] {
        let hosts: Vec<&str> = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("host:"))
            .collect();
        assert_eq!(hosts.len(), 1, "{head}");
        assert_eq!(hosts[0][5..].trim(), host, "{head}");
    }
    assert!(post.starts_with("POST / HTTP/1.1\r\n"), "{post}");
    assert!(post
        .to_ascii_lowercase()
        .contains("\r\ncontent-type: application/x-www-form-urlencoded"));
    assert!(post.contains("Action=DescribeZones"), "{post}");
    assert!(
        get.starts_with("GET /?") && get.contains("Action=DescribeZones"),
        "{get}"
    );

    let gateway = RawServer::start(Behaviour::Raw(raw_response(
        "502 Bad Gateway",
        b"<html>bad gateway</html>",
    )));
    let c = client(&gateway.url).build().unwrap();
    let err = c
        .call(&RebootInstancesRequest::new(["ins-1"]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Call(CallError::Reply(envelope::Error::HttpStatus {
                status: 502,
                ..
            }))
        ),
        "{err}"
    );
    assert_eq!(gateway.count(), 1, "a 502 to a reboot is not resent");
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_timeout() {
    let server = RawServer::start(Behaviour::Hang);
    let c = client(&server.url).build().unwrap();
    let start = Instant::now();
    let reboot = c.call(&RebootInstancesRequest::new(["ins-1"])).await;
    let err = reboot.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(err.class(), ErrorClass::Timeout, "{err}");
    assert!(err.is_transport());
    assert_no_secret(&format!("{err} {err:?}"));
    assert_eq!(server.count(), 1, "a possibly sent reboot is not resent");

    let zones = c.call(&DescribeZonesRequest::default()).await;
    assert!(zones.unwrap_err().is_timeout());
    assert_eq!(server.count(), 4, "a read-only call is retried");
}

#[tokio::test]
async fn a_body_that_stalls_hits_the_same_timeout() {
    // The head arrives at once; the body stops half way. The one deadline covers the body too.
    let mut stalled = raw_response("200 OK", br#"{"Response":{"TotalCount":0,"ZoneSet":[]}}"#);
    stalled.truncate(stalled.len() - 10);
    let server = RawServer::start(Behaviour::Stall(stalled));
    let c = client(&server.url).build().unwrap();
    let start = Instant::now();
    // An outer limit, so that a call that never ends fails the test instead of hanging it.
    let err = tokio::time::timeout(
        Duration::from_secs(5),
        c.call(&RebootInstancesRequest::new(["ins-1"])),
    )
    .await
    .expect("the call ends within the timeout")
    .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(err.class(), ErrorClass::Timeout, "{err}");
    assert!(
        err.to_string().contains("no complete reply within"),
        "{err}"
    );
    assert_eq!(server.count(), 1, "a possibly applied reboot is not resent");
}

#[tokio::test]
async fn refused_connections_are_retried_even_for_terminate() {
    let url = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let recording = Recording::new(Endpoint::parse(&url).unwrap());
    let c = client(&url)
        .transport(Arc::clone(&recording))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = c
        .call(&TerminateInstancesRequest::new(["ins-1"]))
        .await
        .unwrap_err();
    assert_eq!(recording.sent().len(), 3, "a request never sent is retried");
    assert_eq!(err.class(), ErrorClass::Transport, "{err}");
    assert!(!err.is_timeout());
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn a_dropped_connection_is_resent_only_when_safe() {
    let server = RawServer::start(Behaviour::Drop);
    let c = client(&server.url).build().unwrap();
    let reboot = c.call(&RebootInstancesRequest::new(["ins-1"])).await;
    assert_eq!(reboot.unwrap_err().class(), ErrorClass::Transport);
    assert_eq!(server.count(), 1);
    let zones = c.call(&DescribeZonesRequest::default()).await;
    assert!(zones.unwrap_err().is_transport());
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn oversize_bodies_are_cut_after_the_limit() {
    let spaces = vec![b' '; 5000];
    let announced = RawServer::start(Behaviour::Raw(raw_response("200 OK", &spaces)));
    let mut unannounced = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
    unannounced.extend_from_slice(&spaces);
    let unannounced = RawServer::start(Behaviour::Raw(unannounced));
    for (server, size) in [(&announced, 5000), (&unannounced, 1001)] {
        let c = client(&server.url)
            .body_limit(1000)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let err = c.call(&DescribeZonesRequest::default()).await.unwrap_err();
        assert_eq!(too_large(&err), Some((size, 1000)), "{err}");
    }
}
