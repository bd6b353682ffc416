//! Reply parsing with the system allocator (see `common/parse_group.rs` for what is measured),
//! and the strict JSON reader (`cvm_proto::json`) beside serde_json's own `Value` reader.
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use cvm_benches::describe_instances_reply;

#[path = "common/parse_group.rs"]
mod parse_group;

fn bench_parse(c: &mut Criterion) {
    parse_group::bench_parse_as(c, "parse");
}

/// The strict reader checks the whole input is UTF-8 first, then builds the same `Value` and
/// looks up each key once more, in the object being built, to refuse a repeat: its floor is
/// serde_json building that `Value` from the bytes.
fn bench_strict_json(c: &mut Criterion) {
    let body = describe_instances_reply(100);
    let body = body.as_bytes();
    let mut g = c.benchmark_group("parse/strict_json_DescribeInstances100");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("strict", |b| {
        b.iter(|| cvm_proto::json::parse_value(black_box(body)))
    });
    g.bench_function("floor_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)))
    });
    g.finish();
}

criterion_group!(benches, bench_parse, bench_strict_json);
criterion_main!(benches);
