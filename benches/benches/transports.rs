//! 64 concurrent `DescribeInstances` calls against the in-process emulator on loopback, as calls
//! per second: the async client (one task, a batch of 64), the blocking client (64 threads), and
//! their floor, a bare reqwest client signing and sending the same requests without parsing
//! replies (and, as a second floor, sending requests signed outside the timing).
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Barrier};
use std::thread::JoinHandle;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use cvm_benches::transport::{send_all, sign_round};
use cvm_blocking::{BuildClient, Builder};
use cvm_proto::models::DescribeInstancesRequest;
use cvm_proto::Credentials;
use cvm_proto::HttpMethod;
use cvm_proto::{Call, ClientConfig};
use cvm_sim::{SimConfig, SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

/// Calls in flight at once, and per iteration.
const CALLS: usize = 64;

fn credentials() -> Credentials {
    match Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY) {
        Ok(c) => c,
        Err(e) => unreachable!("the emulator's test credentials are valid: {e}"),
    }
}

/// Either client for the emulator, through the builder they share.
fn client<C: BuildClient>(server: &SimServer) -> C {
    let built = Builder::<C>::default()
        .credentials(credentials())
        .region("ap-guangzhou")
        .endpoint(server.endpoint())
        .build();
    match built {
        Ok(c) => c,
        Err(e) => panic!("cannot build a client: {e}"),
    }
}

/// 64 threads that each make one blocking call whenever the bench releases them.
struct Threads {
    start: Arc<Barrier>,
    end: Arc<Barrier>,
    stop: Arc<AtomicBool>,
    failed: Arc<AtomicBool>,
    handles: Vec<JoinHandle<()>>,
}

impl Threads {
    fn new(client: Arc<cvm_blocking::Client>) -> Self {
        let start = Arc::new(Barrier::new(CALLS + 1));
        let end = Arc::new(Barrier::new(CALLS + 1));
        let stop = Arc::new(AtomicBool::new(false));
        let failed = Arc::new(AtomicBool::new(false));
        let handles = (0..CALLS)
            .map(|_| {
                let (client, start, end) = (Arc::clone(&client), start.clone(), end.clone());
                let (stop, failed) = (Arc::clone(&stop), Arc::clone(&failed));
                std::thread::spawn(move || loop {
                    start.wait();
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    if client.call(&DescribeInstancesRequest::default()).is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    end.wait();
                })
            })
            .collect();
        Self {
            start,
            end,
            stop,
            failed,
            handles,
        }
    }

    /// One round: every thread makes its call.
    fn round(&self) {
        self.start.wait();
        self.end.wait();
        assert!(
            !self.failed.load(Ordering::SeqCst),
            "a blocking call failed"
        );
    }

    fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.start.wait();
        for h in self.handles {
            let _ = h.join();
        }
    }
}

fn bench_transports(c: &mut Criterion) {
    let server = match SimServer::start(SimConfig::default().with_rate_limit(None)) {
        Ok(s) => s,
        Err(e) => panic!("cannot start the emulator: {e}"),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => panic!("cannot start a runtime: {e}"),
    };
    let async_client: cvm_async::Client = client(&server);
    let blocking_client: Arc<cvm_blocking::Client> = Arc::new(client(&server));
    let config = {
        let mut v = ClientConfig::default();
        v.region = Some("ap-guangzhou".into());
        v.endpoint = server.endpoint();
        v.http_method = HttpMethod::Post;
        v
    };
    let bare = match reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let creds = credentials();
    let describe = match Call::typed(&DescribeInstancesRequest::default(), String::new) {
        Ok(call) => call,
        Err(e) => panic!("{e}"),
    };
    let nonce = AtomicU32::new(1);
    let prepare = || sign_round(&describe, &config, &creds, &nonce, CALLS);
    let threads = Threads::new(Arc::clone(&blocking_client));

    let mut g = c.benchmark_group(format!("transports/{CALLS}_describe_instances"));
    g.throughput(Throughput::Elements(CALLS as u64));
    g.bench_function("async_client", |b| {
        b.iter(|| {
            let requests = std::iter::repeat_n(DescribeInstancesRequest::default(), CALLS);
            let replies = runtime.block_on(async_client.call_all(requests, CALLS));
            assert!(replies.iter().all(Result::is_ok), "an async call failed");
        })
    });
    g.bench_function("blocking_client_threads", |b| b.iter(|| threads.round()));
    // What any client must do for 64 calls: sign 64 requests (each with a fresh nonce, which the
    // service requires), send them, and read the replies.
    g.bench_function("floor_bare_reqwest", |b| {
        b.iter(|| runtime.block_on(send_all(&bare, prepare())))
    });
    // The same with the requests signed outside the timing: transport work only.
    g.bench_function("floor_bare_reqwest_presigned", |b| {
        b.iter_batched(
            &prepare,
            |requests| runtime.block_on(send_all(&bare, requests)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
    threads.stop();
    let counters = server.counters();
    // Random 32-bit nonces collide now and then at ~16K requests/s from one SecretId (about one
    // in 200,000 requests here); the clients retry such a replay, so only other errors are failures.
    let others: Vec<_> = counters
        .errors_by_code
        .iter()
        .filter(|(code, _)| code.as_str() != "InvalidRequest.ReplayAttack")
        .collect();
    assert!(others.is_empty(), "{counters:?}");
}

criterion_group!(benches, bench_transports);
criterion_main!(benches);
