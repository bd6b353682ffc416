//! Reply parsing: a realistic `DescribeInstances` reply with 100 instances into the typed reply
//! (`envelope::parse`), beside parsing the same bytes into `serde_json::Value` and into
//! `serde::de::IgnoredAny` (the floor: JSON syntax alone).
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use cvm_benches::describe_instances_reply;
use cvm_proto::envelope;
use cvm_proto::models::DescribeInstancesResponse;
use serde::de::IgnoredAny;

fn bench_parse(c: &mut Criterion) {
    let body = describe_instances_reply(100);
    let body = body.as_bytes();
    let mut g = c.benchmark_group("parse/DescribeInstances100");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            envelope::parse::<DescribeInstancesResponse>(
                200,
                black_box(body),
                envelope::DEFAULT_BODY_LIMIT,
            )
        })
    });
    g.bench_function("floor_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)))
    });
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(body)))
    });
    g.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
