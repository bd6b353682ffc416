//! The `transports` bench's async client and its floors, for a profiler, against an emulator in
//! another process (so that only the client side is counted):
//!
//! ```text
//! cargo run --release -p cvm-benches --example profile_transport -- server 8931 &
//! valgrind --tool=callgrind target/release/examples/profile_transport client|floor|presigned 8931 [N]
//! ```
//!
//! Each of the N rounds makes 64 concurrent `DescribeInstances` calls. With port 0 the emulator
//! runs in the same process, as in the bench.

use std::net::SocketAddr;
use std::sync::atomic::AtomicU32;
use std::time::{SystemTime, UNIX_EPOCH};

use cvm_benches::transport::{send_all, sign_round};
use cvm_proto::models::DescribeInstancesRequest;
use cvm_proto::{Call, ClientConfig, Credentials, Endpoint, HttpMethod};
use cvm_sim::{SimConfig, SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

const CALLS: usize = 64;

fn credentials() -> Credentials {
    Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        .unwrap_or_else(|e| unreachable!("the emulator's test credentials are valid: {e}"))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args.get(1).map_or("client", String::as_str);
    let port: u16 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(8931);
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    if what == "server" {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let server = SimServer::start_on(SimConfig::default().with_rate_limit(None), addr)
            .unwrap_or_else(|e| panic!("cannot start the emulator: {e}"));
        println!("serving {}", server.endpoint());
        loop {
            std::thread::park();
        }
    }
    // Port 0: an emulator in this process, as in the bench (then both sides are counted).
    let in_process = (port == 0).then(|| {
        SimServer::start(SimConfig::default().with_rate_limit(None))
            .unwrap_or_else(|e| panic!("cannot start the emulator: {e}"))
    });
    let endpoint = match &in_process {
        Some(server) => server.endpoint(),
        None => {
            Endpoint::parse(&format!("http://127.0.0.1:{port}/")).unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start a runtime: {e}"));
    let config = {
        let mut v = ClientConfig::default();
        v.region = Some("ap-guangzhou".into());
        v.endpoint = endpoint.clone();
        v.http_method = HttpMethod::Post;
        v
    };
    let creds = credentials();
    let describe = Call::typed(&DescribeInstancesRequest::default(), String::new)
        .unwrap_or_else(|e| panic!("{e}"));
    let nonce = AtomicU32::new(1);
    let prepare = || sign_round(&describe, &config, &creds, &nonce, CALLS);
    match what {
        "client" | "client_seeded" => {
            let mut builder = cvm_async::Client::builder();
            if what == "client_seeded" {
                // Only to measure what drawing from the OS costs: never against the service.
                builder = builder.random(std::sync::Arc::new(cvm_async::SeededRandom::new(
                    unix_now() << 20,
                )));
            }
            let built = builder
                .credentials(credentials())
                .region("ap-guangzhou")
                .endpoint(endpoint)
                .build();
            let client = built.unwrap_or_else(|e| panic!("cannot build a client: {e}"));
            for _ in 0..rounds {
                let requests = std::iter::repeat_n(DescribeInstancesRequest::default(), CALLS);
                let replies = runtime.block_on(client.call_all(requests, CALLS));
                assert!(replies.iter().all(Result::is_ok), "an async call failed");
            }
        }
        "transport" | "transport_bare" | "transport_timeout" => {
            // The floor's work through the client's transport: what the transport adds.
            use cvm_async::HttpSend as _;
            let bare = || {
                reqwest::Client::builder()
                    .no_proxy()
                    .redirect(reqwest::redirect::Policy::none())
            };
            let transport = match what {
                "transport_bare" => cvm_async::ReqwestTransport::from_client(
                    bare().build().unwrap_or_else(|e| panic!("{e}")),
                ),
                "transport_timeout" => cvm_async::ReqwestTransport::from_client(
                    bare()
                        .timeout(config.timeout)
                        .build()
                        .unwrap_or_else(|e| panic!("{e}")),
                ),
                _ => cvm_async::ReqwestTransport::new(&config).unwrap_or_else(|e| panic!("{e}")),
            };
            for _ in 0..rounds {
                let requests = prepare();
                runtime.block_on(async {
                    let sends = requests.iter().map(|r| transport.send(r, 1 << 24));
                    for result in futures_util::future::join_all(sends).await {
                        assert!(result.is_ok_and(|r| r.status == 200));
                    }
                });
            }
        }
        "floor" | "presigned" => {
            let bare = reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..rounds {
                if what == "floor" {
                    runtime.block_on(send_all(&bare, prepare()));
                } else {
                    let requests = prepare();
                    runtime.block_on(send_all(&bare, requests));
                }
            }
        }
        other => {
            eprintln!("unknown operation {other:?}");
            std::process::exit(2);
        }
    }
}
