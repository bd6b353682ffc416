//! The memory the replay cache takes per remembered nonce, measured with a counting global
//! allocator against the bound the `sim` module documents. This file holds a single test so that
//! nothing else allocates while it counts.
#![allow(clippy::unwrap_used)]

mod common;

use std::alloc::System;
use std::time::{Duration, Instant};

use cvm_proto::{prepare, Context, Endpoint, HttpMethod};
use cvm_sim::{Sim, SimRequest};
use serde_json::json;
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The bound the `sim` module documents, in bytes per remembered nonce.
const DOCUMENTED_BYTES_PER_ENTRY: f64 = 72.0;

fn live_bytes() -> i64 {
    let s = GLOBAL.stats();
    i64::try_from(s.bytes_allocated).unwrap() - i64::try_from(s.bytes_deallocated).unwrap()
}

#[test]
fn each_remembered_nonce_takes_less_than_the_documented_bytes() {
    let mut sim = Sim::new(common::config()).unwrap();
    let creds = common::creds();
    let endpoint = Endpoint::global();
    let t0 = common::T0;
    let request = |nonce: u64, ts: u64| {
        let ctx = Context::new(ts, nonce)
            .region("ap-guangzhou")
            .method(HttpMethod::Get);
        SimRequest::from_prepared(
            &prepare("DescribeRegions", &json!({}), &creds, &endpoint, &ctx)
                .unwrap()
                .request,
        )
    };
    let started = Instant::now();
    // Warm up, so that maps and interned SecretIds are already allocated.
    for nonce in 1..200 {
        let h = sim.handle(&request(nonce, t0), Duration::from_secs(t0));
        assert_eq!(h.response.error_code(), None);
    }
    let n = 6_000u64;
    let requests: Vec<SimRequest> = (0..n).map(|i| request(1_000 + i, t0 + i / 20)).collect();
    let before = live_bytes();
    let remembered = sim.remembered_nonces();
    for (i, req) in requests.iter().enumerate() {
        let now = Duration::from_secs(t0 + i as u64 / 20);
        assert_eq!(sim.handle(req, now).response.error_code(), None);
    }
    let grown = live_bytes() - before;
    let added = sim.remembered_nonces() - remembered;
    assert_eq!(added, n as usize, "all inside the window");
    let per_entry = grown as f64 / added as f64;
    println!(
        "{per_entry:.1} bytes per remembered nonce ({added} entries, {grown} bytes) in {:?}",
        started.elapsed()
    );
    assert!(
        per_entry <= DOCUMENTED_BYTES_PER_ENTRY,
        "{per_entry:.1} bytes per entry, more than the documented {DOCUMENTED_BYTES_PER_ENTRY}"
    );
}
