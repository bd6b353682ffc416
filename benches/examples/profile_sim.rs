//! Runs the emulator's `Sim::handle` of the `sim` bench in a loop, for a profiler:
//! `cargo run --release -p cvm-benches --example profile_sim -- describe|describe_changed|run|floor [N]`.
//!
//! The signed requests are built before the loop, so that with
//! `valgrind --tool=callgrind --toggle-collect='*Sim*handle*'` only the handling is counted.

use std::hint::black_box;
use std::time::Duration;

use cvm_benches::emulator::{credentials, decode_verify, run_instances, signed, sim, NOW};
use cvm_proto::models::DescribeInstancesRequest;
use cvm_sim::{Sim, SimRequest};

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
                // Checked once: reading the error code parses the whole reply, which would
                // otherwise be most of what a sampling profiler sees.
                if i == 0 {
                    assert_eq!(handled.response.error_code(), None);
                }
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
            let creds = credentials();
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
