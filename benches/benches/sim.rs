//! The emulator's `Sim::handle` for a signed `DescribeInstances` (10 instances to describe; also
//! right after every instance changed, when none of the JSON it keeps per instance is reusable) and a
//! signed `RunInstances` (into a fresh emulator each time), beside their floor: decoding the same
//! request body and verifying its signature (`floor_decode_verify`), which any emulator must do.
//! Each iteration gets a new nonce, since the emulator refuses a nonce it has seen.
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::time::{Duration, Instant};

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use cvm_benches::emulator::{credentials, decode_verify, run_instances, signed, sim, NOW};
use cvm_proto::models::DescribeInstancesRequest;

fn bench_sim(c: &mut Criterion) {
    let now = Duration::from_secs(NOW);
    let creds = credentials();
    let mut nonce = 1u64;
    let mut next_nonce = move || {
        nonce += 1;
        nonce
    };

    // DescribeInstances against an emulator holding 10 instances.
    let mut describing = sim();
    let mut ten = run_instances();
    ten.instance_count = Some(10);
    let created = describing.handle(&signed("RunInstances", &ten, next_nonce()), now);
    assert_eq!(
        created.response.error_code(),
        None,
        "the setup runs 10 instances"
    );
    let describe = DescribeInstancesRequest::default();
    let sample = signed("DescribeInstances", &describe, next_nonce());
    let mut g = c.benchmark_group("sim/DescribeInstances");
    g.bench_function("handle", |b| {
        b.iter_batched(
            || signed("DescribeInstances", &describe, next_nonce()),
            |req| describing.handle(black_box(&req), now),
            BatchSize::SmallInput,
        )
    });
    // The same after every instance changed (renamed outside the timing), so that none of the
    // JSON the emulator kept from the last reply can be reused: its worst case.
    let ids: Vec<String> = describing.instances().map(|i| i.id().to_owned()).collect();
    g.bench_function("handle_after_changes", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for i in 0..iters {
                for id in &ids {
                    if let Some(inst) = describing.instance_mut(id) {
                        inst.model.instance_name = Some(format!("renamed-{i}"));
                    }
                }
                let req = signed("DescribeInstances", &describe, next_nonce());
                let start = Instant::now();
                black_box(describing.handle(black_box(&req), now));
                spent += start.elapsed();
            }
            spent
        })
    });
    g.bench_function("floor_decode_verify", |b| {
        b.iter(|| decode_verify(black_box(&sample), &creds))
    });
    g.finish();

    // RunInstances, each into a fresh emulator (built outside the timing).
    let run = run_instances();
    let sample = signed("RunInstances", &run, next_nonce());
    let check = sim().handle(&sample, now);
    assert_eq!(
        check.response.error_code(),
        None,
        "RunInstances is accepted"
    );
    let mut g = c.benchmark_group("sim/RunInstances");
    g.bench_function("handle", |b| {
        b.iter_batched_ref(
            || (sim(), signed("RunInstances", &run, next_nonce())),
            |(sim, req)| sim.handle(black_box(req), now),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("floor_decode_verify", |b| {
        b.iter(|| decode_verify(black_box(&sample), &creds))
    });
    g.finish();
}

criterion_group!(benches, bench_sim);
criterion_main!(benches);
