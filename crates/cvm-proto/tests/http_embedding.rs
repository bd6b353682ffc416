//! What a tool embedding cvm-proto writes: a whole call (signing, sending, retry decisions)
//! through a bare hyper client, using only the `http` feature's conversions to move the
//! prepared request out and the reply back in. The emulator plays the service on loopback.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::models::{DescribeZonesRequest, DescribeZonesResponse};
use cvm_proto::{Call, ClientConfig, Credentials, HttpResponse, Step, Timing};
use cvm_sim::{FaultKind, FaultRule, SimConfig, SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Sends one request over a fresh HTTP/1 connection and reads the whole reply.
async fn send(server: &SimServer, request: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    let reply = sender
        .send_request(request.map(|body| Full::new(bytes_of(body))))
        .await
        .unwrap();
    let (parts, body) = reply.into_parts();
    let body = body.collect().await.unwrap().to_bytes().to_vec();
    http::Response::from_parts(parts, body)
}

fn bytes_of(body: Vec<u8>) -> hyper::body::Bytes {
    hyper::body::Bytes::from(body)
}

#[tokio::test]
async fn a_call_through_a_bare_hyper_client() {
    // One throttled reply first, so that the loop goes round once before it succeeds.
    let config = SimConfig::default().with_fault(
        FaultRule::new(FaultKind::RequestLimitExceeded)
            .for_action("DescribeZones")
            .first(1),
    );
    let server = SimServer::start(config).unwrap();
    let credentials = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).unwrap();
    let mut settings = ClientConfig::for_endpoint(server.endpoint());
    settings.region = Some("ap-guangzhou".into());

    let mut call = Call::typed(&DescribeZonesRequest::default(), String::new).unwrap();
    let start = Instant::now();
    let mut nonce = 0;
    let reply = loop {
        nonce += 1;
        let prepared = call
            .request(&settings, &credentials, unix_now(), nonce)
            .unwrap();
        let request = http::Request::try_from(prepared.request).unwrap();
        let response = HttpResponse::from(send(&server, request).await);
        let timing = Timing {
            now: unix_now(),
            elapsed: start.elapsed(),
            jitter: 0.5,
        };
        match call.on_response::<DescribeZonesResponse>(&settings, &response, timing) {
            Step::Done(result) => break result.unwrap(),
            Step::Retry { after, .. } => {
                tokio::time::sleep(after.min(Duration::from_millis(50))).await
            }
        }
    };
    assert_eq!(call.attempts(), 1, "one failed attempt before the success");
    assert_eq!(
        reply.output.zone_set[0].zone.as_deref(),
        Some("ap-guangzhou-2")
    );
    assert!(!reply.request_id.is_empty());
}
