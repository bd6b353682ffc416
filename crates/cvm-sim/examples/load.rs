//! Load figure: signed `DescribeInstances` calls over keep-alive loopback connections for a bounded time.
//!
//! `cargo run --release -p cvm-sim --example load -- [SECONDS] [THREADS]` (defaults: 5 seconds, 4 threads).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::Credentials;
use cvm_proto::{prepare, Context, HttpMethod};
use cvm_sim::{SimConfig, SimServer, Transitions, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(5)
        .clamp(1, 60);
    let threads: u64 = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(4)
        .clamp(1, 64);
    let config = SimConfig::default()
        .with_rate_limit(None)
        .with_transitions(Transitions::instant());
    let server = SimServer::start(config)?;
    let endpoint = server.endpoint();
    let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)?;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (endpoint, creds, stop, done, failed) = (&endpoint, &creds, &stop, &done, &failed);
            scope.spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(10)))
                    .build()
                    .into();
                let mut nonce = 1 + t * 1_000_000_000;
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    nonce += 1;
                    let now = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .unwrap_or_default()
                        .as_secs();
                    let ctx = Context::new(now, nonce)
                        .region("ap-guangzhou")
                        .method(HttpMethod::Post);
                    let ok = prepare(
                        "DescribeInstances",
                        &json!({"Limit": 20}),
                        creds,
                        endpoint,
                        &ctx,
                    )
                    .ok()
                    .map(|prepared| prepared.request)
                    .and_then(|req| {
                        let ct = req.header("Content-Type").unwrap_or_default().to_owned();
                        agent
                            .post(&req.url)
                            .header("Content-Type", ct)
                            .send(&req.body[..])
                            .ok()
                    })
                    .and_then(|mut resp| {
                        let status = resp.status().as_u16();
                        let body = resp.body_mut().read_to_vec().ok()?;
                        (status == 200 && body.windows(11).any(|w| w == b"\"TotalCount"))
                            .then_some(())
                    })
                    .is_some();
                    if ok {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    let stats = server.stats();
    println!(
        "{n} signed DescribeInstances in {elapsed:.2} s over {threads} keep-alive connections: {:.0} requests/s ({} failed, {} connections)",
        n as f64 / elapsed,
        failed.load(Ordering::Relaxed),
        stats.connections_accepted
    );
    server.shutdown();
    if failed.load(Ordering::Relaxed) > 0 {
        return Err("some requests failed".into());
    }
    Ok(())
}
