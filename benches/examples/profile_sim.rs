//! Runs the emulator's `Sim::handle` of the `sim` bench in a loop, for a profiler:
//! `cargo run --release -p cvm-benches --example profile_sim -- describe|describe_changed|run|floor [N]`.
//!
//! The signed requests are built before the loop, so that with
//! `valgrind --tool=callgrind --toggle-collect='*Sim*handle*'` only the handling is counted.

use std::hint::black_box;
use std::time::Duration;

use cvm_benches::run_instances_request;
use cvm_proto::encode;
use cvm_proto::models::{DescribeInstancesRequest, RunInstancesRequest};
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::{Context, Credentials, Endpoint, HttpMethod};
use cvm_sim::{Quotas, Sim, SimConfig, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde::Serialize;

const NOW: u64 = 1_706_400_000;

/// The `sim` bench's emulator: no rate limit, no instance quota.
fn sim() -> Sim {
    let config = SimConfig {
        rate_limit: None,
        quotas: Quotas {
            max_instances_per_region: u32::MAX,
            ..Quotas::default()
        },
        ..SimConfig::default()
    };
    Sim::new(config).unwrap_or_else(|e| unreachable!("the emulator starts: {e}"))
}

fn signed<P: Serialize>(action: &str, params: &P, nonce: u64) -> SimRequest {
    let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        .unwrap_or_else(|e| unreachable!("the emulator's credentials are valid: {e}"));
    let ctx = Context::new(NOW, nonce)
        .region("ap-guangzhou")
        .method(HttpMethod::Post)
        .signature_method(SignatureMethod::HmacSha256);
    let req = cvm_proto::prepare(action, params, &creds, &Endpoint::global(), &ctx)
        .unwrap_or_else(|e| unreachable!("{e}"));
    SimRequest::from_prepared(&req.request)
}

/// The `sim` bench's floor: decoding the request and verifying its signature.
#[inline(never)]
fn decode_verify(req: &SimRequest, creds: &Credentials) -> bool {
    let Ok(params) = encode::decode(&req.body) else {
        return false;
    };
    let host = req.header("host").unwrap_or_default();
    let Ok(sts) = sign::string_to_sign(HttpMethod::Post, host, &req.path, &params) else {
        return false;
    };
    let alg = SignatureMethod::from_param(params.get("SignatureMethod"));
    creds.verify(alg, &sts, params.get("Signature").unwrap_or_default())
}

fn run_instances() -> RunInstancesRequest {
    let mut req = run_instances_request();
    req.login_settings = None;
    req
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "describe".into());
    let n: u64 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000);
    let now = Duration::from_secs(NOW);
    match what.as_str() {
        "describe" | "describe_changed" => {
            let mut s = sim();
            let mut ten = run_instances();
            ten.instance_count = Some(10);
            let created = s.handle(&signed("RunInstances", &ten, 1), now);
            assert_eq!(created.response.error_code(), None);
            let describe = DescribeInstancesRequest::default();
            let requests: Vec<SimRequest> = (0..n)
                .map(|i| signed("DescribeInstances", &describe, i + 2))
                .collect();
            if std::env::var_os("PROFILE_SIM_PRINT").is_some() {
                let handled = s.handle(&signed("DescribeInstances", &describe, 1 << 40), now);
                println!("{}", String::from_utf8_lossy(&handled.response.body));
            }
            let ids: Vec<String> = s.instances().map(|i| i.id().to_owned()).collect();
            for (i, req) in requests.iter().enumerate() {
                if what == "describe_changed" {
                    // Every instance changed since the last reply: none of its kept JSON is reusable.
                    for id in &ids {
                        if let Some(inst) = s.instance_mut(id) {
                            inst.model.instance_name = Some(format!("renamed-{i}"));
                        }
                    }
                }
                let handled = s.handle(black_box(req), now);
                assert_eq!(handled.response.error_code(), None);
                black_box(handled);
            }
        }
        "run" => {
            let run = run_instances();
            let work: Vec<(Sim, SimRequest)> = (0..n)
                .map(|i| (sim(), signed("RunInstances", &run, i + 1)))
                .collect();
            for (mut s, req) in work {
                let handled = s.handle(black_box(&req), now);
                assert_eq!(handled.response.error_code(), None);
                black_box(handled);
            }
        }
        "floor" => {
            // The bench's floor_decode_verify, for comparison:
            // `--toggle-collect='*decode_verify*'`.
            let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
                .unwrap_or_else(|e| unreachable!("{e}"));
            let sample = signed("DescribeInstances", &DescribeInstancesRequest::default(), 1);
            for _ in 0..n {
                assert!(decode_verify(black_box(&sample), &creds));
            }
        }
        other => {
            eprintln!("unknown operation {other:?}");
            std::process::exit(2);
        }
    }
}
