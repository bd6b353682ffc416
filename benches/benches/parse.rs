//! Reply parsing with the system allocator (see `common/parse_group.rs` for what is measured).
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/parse_group.rs"]
mod parse_group;

fn bench_parse(c: &mut Criterion) {
    parse_group::bench_parse_as(c, "parse");
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
