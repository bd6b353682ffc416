//! The walkthrough with nothing but cvm-proto and `std::net`: the core prepares and parses, and
//! this file is the whole transport (plain HTTP/1.1, one connection per request), which is all a
//! sans-IO core asks of its embedder. Point it at `cvm sim`:
//!
//! ```sh
//! cvm sim --listen 127.0.0.1:8080 &
//! TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... \
//!   cargo run -p cvm-proto --example bare_walkthrough -- http://127.0.0.1:8080/
//! ```

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{SystemTime, UNIX_EPOCH};

use cvm_proto::models::{
    DescribeInstanceTypeConfigsRequest, DescribeInstancesStatusRequest, Filter, InstanceState,
    Placement, RunInstancesRequest, TerminateInstancesRequest,
};
use cvm_proto::{envelope, prepare, Action, Context, Credentials, Endpoint, HttpRequest};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Sends one prepared request over plain HTTP and returns the status and body.
fn send(endpoint: &Endpoint, req: &HttpRequest) -> Result<(u16, Vec<u8>)> {
    let port = endpoint.port().unwrap_or(80);
    let mut stream = TcpStream::connect((endpoint.host(), port))?;
    let target = req
        .url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let mut head = format!(
        "{} {target} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        req.method,
        req.body.len()
    );
    for (name, value) in &req.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&req.body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let status_line = String::from_utf8_lossy(&raw[..split])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .ok_or("no status")?
        .parse()?;
    Ok((status, raw[split + 4..].to_vec()))
}

fn call<A: Action>(endpoint: &Endpoint, creds: &Credentials, request: &A) -> Result<A::Output> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let nonce = u64::from(std::process::id()) * 1000
        + u64::from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)?
                .subsec_micros()
                % 1000,
        )
        + 1;
    let ctx = Context::new(now, nonce).region("ap-guangzhou");
    let req = prepare(A::NAME, request, creds, endpoint, &ctx)?.request;
    let (status, body) = send(endpoint, &req)?;
    let reply = envelope::parse::<A::Output>(status, &body, envelope::DEFAULT_BODY_LIMIT)?;
    println!("{:<28} RequestId {}", A::NAME, reply.request_id);
    Ok(reply.output)
}

fn main() -> Result<()> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:8080/".into());
    let endpoint = Endpoint::parse(&url)?;
    let id = std::env::var("TENCENTCLOUD_SECRET_ID")?;
    let key = std::env::var("TENCENTCLOUD_SECRET_KEY")?;
    let creds = Credentials::new(id, key)?;

    let types = call(
        &endpoint,
        &creds,
        &DescribeInstanceTypeConfigsRequest {
            filters: vec![
                Filter::new("zone", ["ap-guangzhou-2"]),
                Filter::new("instance-family", ["S2"]),
            ],
        },
    )?;
    let picked = types
        .instance_type_config_set
        .iter()
        .find(|t| t.cpu == Some(2) && t.memory == Some(4))
        .and_then(|t| t.instance_type.clone())
        .ok_or("no 2 CPU / 4 GiB type")?;
    let run = RunInstancesRequest {
        placement: Some(Placement::new("ap-guangzhou-2")),
        image_id: Some("img-pmqg1cw7".into()),
        instance_type: Some(picked),
        ..Default::default()
    };
    let created = call(&endpoint, &creds, &run)?;
    println!("created {:?}", created.instance_id_set);
    // Creation is asynchronous: poll until RUNNING (a real client would use cvm_proto::Waiter).
    loop {
        let status = DescribeInstancesStatusRequest {
            instance_ids: created.instance_id_set.clone(),
            ..Default::default()
        };
        let states = call(&endpoint, &creds, &status)?.instance_status_set;
        if states
            .iter()
            .all(|s| s.instance_state == Some(InstanceState::Running))
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    let terminate = TerminateInstancesRequest::new(created.instance_id_set);
    call(&endpoint, &creds, &terminate)?;
    Ok(())
}
