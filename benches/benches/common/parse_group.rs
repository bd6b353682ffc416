//! The parse group, shared by the `parse` bench (the system allocator) and the
//! `parse_allocator` bench (another global allocator): a realistic `DescribeInstances` reply
//! with 100 instances into the typed reply (`envelope::parse`), beside parsing the same bytes
//! into `serde_json::Value` and into `serde::de::IgnoredAny` (the floor: JSON syntax alone).

use criterion::{black_box, Criterion, Throughput};
use cvm_benches::describe_instances_reply;
use cvm_proto::envelope;
use cvm_proto::models::DescribeInstancesResponse;
use serde::de::IgnoredAny;

/// Runs the group as `<prefix>/DescribeInstances100`.
pub(crate) fn bench_parse_as(c: &mut Criterion, prefix: &str) {
    let body = describe_instances_reply(100);
    let body = body.as_bytes();
    let mut g = c.benchmark_group(format!("{prefix}/DescribeInstances100"));
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
