//! Heap allocations per `prepare` of the walkthrough's typed `RunInstances`, and per typed parse
//! of the parse bench's `DescribeInstances` reply, counted with a counting global allocator. The
//! count is deterministic for a given toolchain, so it is asserted; this file holds a single test
//! so that nothing else allocates while it counts.
#![allow(clippy::unwrap_used)]

use std::alloc::System;

use cvm_benches::{
    context, credentials, describe_instances_reply, endpoint, run_instances_request,
};
use cvm_proto::envelope;
use cvm_proto::models::DescribeInstancesResponse;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::HttpMethod;
use cvm_proto::{Call, ClientConfig};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The most heap allocations (reallocations included) one `prepare` may make: the parameter
/// set (2), the string to sign, the URL, the body, the headers and their values.
const MAX_PER_PREPARE: usize = 9;
/// The same for `prepare_action`, whose parameters come out in key order: their text is hashed
/// where it lies, so no string to sign is written.
const MAX_PER_ACTION_PREPARE: usize = 8;

/// The same for TC3's `prepare_action`, whose request carries more text: also the JSON, the
/// canonical request, the body's hash, the date, the signature, `Authorization` and one value
/// per `X-TC-*` header (a GET adds the flat parameters and the query).
const MAX_PER_TC3_PREPARE: usize = 25;
/// TC3 through serde (`prepare`), which flattens a POST's parameters too, as its only check of
/// a value that is not a generated type.
const MAX_PER_TC3_SERDE_PREPARE: usize = 29;

/// The same for `Call::typed` of the walkthrough's RunInstances, which draws a `ClientToken`.
/// (It was 66 while the JSON form was built through a `serde_json::Value` tree.)
const MAX_PER_TYPED_CALL: usize = 6;

/// The most heap allocations one typed parse of the parse bench's reply with `n` instances may
/// make: one per text that is not empty and one per list that is not empty, as the owned reply
/// types hold them (45 in every instance, 2 more in every third, which is `STOPPED` with a
/// renewal flag and an expiry, and 2 more in every second, which has a public address), the
/// instance list's growth (1, 2, 4, ... instances: 8 allocations for 100), the `RequestId`, and
/// serde_json's scratch buffer (made once, to skip an unknown member that nests). Nothing else:
/// the parser borrows its keys.
fn max_per_parse(n: usize) -> usize {
    let growth = match n {
        0 => 0,
        n => n.next_power_of_two().trailing_zeros() as usize + 1,
    };
    45 * n + 2 * n.div_ceil(3) + 2 * n.div_ceil(2) + growth + 2
}

/// Allocations and reallocations made by `f`: the fewest of three runs, since the counter is
/// global and the test harness's own threads may allocate during one of them (they only add).
fn count<T>(f: impl Fn() -> T) -> (usize, T) {
    let mut fewest = usize::MAX;
    let mut out = None;
    for _ in 0..3 {
        let region = Region::new(GLOBAL);
        let value = f();
        let stats = region.change();
        fewest = fewest.min(stats.allocations + stats.reallocations);
        out = Some(value);
    }
    (fewest, out.unwrap())
}

#[test]
fn prepare_allocates_little() {
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    let mut report = Vec::new();
    for method in [HttpMethod::Get, HttpMethod::Post] {
        for alg in [
            SignatureMethod::HmacSha1,
            SignatureMethod::HmacSha256,
            SignatureMethod::Tc3HmacSha256,
        ] {
            let ctx = context(method, alg);
            // Once untimed, so that nothing lazily initialized is counted.
            cvm_proto::prepare("RunInstances", &req, &creds, &ep, &ctx).unwrap();
            let (n, prepared) =
                count(|| cvm_proto::prepare("RunInstances", &req, &creds, &ep, &ctx));
            let prepared = prepared.unwrap();
            assert_eq!(prepared.request.method, method);
            let (direct, typed) = count(|| cvm_proto::prepare_action(&req, &creds, &ep, &ctx));
            assert_eq!(typed.unwrap().request, prepared.request);
            report.push(format!(
                "prepare {method} {alg}: {n} (prepare_action: {direct})"
            ));
            let (serde_max, max) = if alg.is_tc3() {
                (MAX_PER_TC3_SERDE_PREPARE, MAX_PER_TC3_PREPARE)
            } else {
                (MAX_PER_PREPARE, MAX_PER_ACTION_PREPARE)
            };
            for (what, n, max) in [("prepare", n, serde_max), ("prepare_action", direct, max)] {
                assert!(
                    n <= max,
                    "{what} {method} {alg} made {n} allocations, more than {max}"
                );
            }
        }
    }

    // A retried attempt of a call re-signs the already flat parameters.
    let config = {
        let mut v = ClientConfig::default();
        v.region = Some("ap-guangzhou".into());
        v
    };
    // The call itself: the flat parameters (2), the flattener's key buffer, the JSON form, the
    // action's name, and the drawn token (kept beside its field, no copy).
    let (n, call) = count(|| Call::typed(&req, || "token-1".into()).unwrap());
    report.push(format!("Call::typed RunInstances: {n}"));
    assert!(
        n <= MAX_PER_TYPED_CALL,
        "Call::typed made {n} allocations, more than {MAX_PER_TYPED_CALL}"
    );
    call.request(&config, &creds, 1465185768, 1).unwrap();
    let (n, _) = count(|| call.request(&config, &creds, 1465185769, 2).unwrap());
    report.push(format!("Call::request POST HmacSHA256: {n}"));
    assert!(
        n <= MAX_PER_PREPARE,
        "Call::request made {n} allocations, more than {MAX_PER_PREPARE}"
    );

    // A reply is parsed into owned types: its texts and lists are allocated, nothing else.
    let body = describe_instances_reply(100);
    let parse = || {
        envelope::parse::<DescribeInstancesResponse>(
            200,
            body.as_bytes(),
            envelope::DEFAULT_BODY_LIMIT,
        )
        .unwrap()
    };
    parse();
    let (n, reply) = count(parse);
    assert_eq!(reply.output.instance_set.len(), 100);
    let max = max_per_parse(100);
    report.push(format!(
        "parse DescribeInstances (100 instances): {n} (at most {max})"
    ));
    assert!(n <= max, "the parse made {n} allocations, more than {max}");
    println!("{}", report.join("\n"));
}
