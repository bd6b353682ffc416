//! Reply parsing as in the `parse` bench, with mimalloc as the global allocator: a typed reply
//! is one allocation per string, and with the system allocator (glibc) about 23% of a typed parse
//! is in malloc and free (perf), where the `IgnoredAny` floor allocates nothing. This group
//! shows what an application's choice of allocator does to the ratio; the target stays on
//! the `parse` group, since a library does not choose its users' allocator.
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/parse_group.rs"]
mod parse_group;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench_parse(c: &mut Criterion) {
    parse_group::bench_parse_as(c, "parse_mimalloc");
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
