//! Request-side benchmarks, each beside its floor:
//! - `prepare/<METHOD>/<alg>`: `prepare_action` of the walkthrough's typed RunInstances to a
//!   signed request (`prepare`; `prepare_serde` flattens it through serde instead), beside a bare
//!   HMAC of the same string to sign (`floor_bare_hmac`); POST HmacSHA256 also times the same
//!   request from a writer specialized by hand to it (`bound_specialized`, see `cvm_benches::bound`),
//!   a reference point for what generated per-type writers could reach;
//! - `prepare_tc3/POST`: `prepare` of the same request with TC3-HMAC-SHA256, beside the hashing
//!   TC3 cannot avoid on the same bytes (`floor_tc3_hashes`): SHA-256 of the body and of the
//!   canonical request, the three HMACs that derive the day's key, and the HMAC of the string to sign;
//! - `flatten`: flattening the typed request alone, through serde (`to_params`) and directly
//!   (`direct`, the generated form), beside serializing it to JSON into a reused buffer
//!   (`floor_json_serialize`);
//! - `sign`: signing and encoding an already flat parameter set (`sign_request`), beside a bare
//!   HMAC of its string to sign;
//! - `call/RunInstances`: `Call::typed` of the same request with a drawn `ClientToken`, the two
//!   forms a call keeps (flat parameters and JSON), beside making those two forms alone into
//!   fresh buffers (`floor_flatten_and_json`).
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use cvm_benches::{
    bare_hmac, bound, context, credentials, endpoint, run_instances_request, tc3_floor, SECRET_KEY,
};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::HttpMethod;
use cvm_proto::{flatten, Call, Params};

/// The complete flat parameters of the walkthrough's request under `ctx`, and their string to sign.
fn flat_and_sts(method: HttpMethod, alg: SignatureMethod) -> (Params, String) {
    let ctx = context(method, alg);
    let ep = endpoint();
    let prepared = cvm_proto::prepare(
        "RunInstances",
        &run_instances_request(),
        &credentials(),
        &ep,
        &ctx,
    )
    .unwrap_or_else(|e| unreachable!("{e}"));
    let sts = prepared.string_to_sign();
    (prepared.into_params().unwrap_or_default(), sts)
}

fn bench_prepare(c: &mut Criterion) {
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    for method in [HttpMethod::Get, HttpMethod::Post] {
        for alg in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256] {
            let ctx = context(method, alg);
            let (_, sts) = flat_and_sts(method, alg);
            let mut g = c.benchmark_group(format!("prepare/{method}/{alg}"));
            g.bench_function("prepare", |b| {
                b.iter(|| cvm_proto::prepare_action(black_box(&req), &creds, &ep, &ctx))
            });
            g.bench_function("prepare_serde", |b| {
                b.iter(|| cvm_proto::prepare("RunInstances", black_box(&req), &creds, &ep, &ctx))
            });
            g.bench_function("floor_bare_hmac", |b| {
                b.iter(|| bare_hmac(alg, SECRET_KEY, black_box(sts.as_bytes())))
            });
            if method == HttpMethod::Post && alg == SignatureMethod::HmacSha256 {
                // A reference point: the same request from a writer specialized by hand to this
                // request's fields (`cvm_benches::bound`).
                let key = bound::key_state(SECRET_KEY);
                let common = bound::Common::of_context(&creds);
                g.bench_function("bound_specialized", |b| {
                    b.iter(|| {
                        bound::specialized_prepare(
                            black_box(&req),
                            &key,
                            &common,
                            ctx.timestamp,
                            ctx.nonce,
                        )
                    })
                });
            }
            g.finish();
        }
    }
}

fn bench_prepare_tc3(c: &mut Criterion) {
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    let method = HttpMethod::Post;
    let ctx = context(method, SignatureMethod::Tc3HmacSha256);
    // The bytes TC3 hashes, computed once outside the timing from what `prepare` itself built.
    let prepared = cvm_proto::prepare("RunInstances", &req, &creds, &ep, &ctx)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let body = prepared.request.body.clone();
    let canonical = prepared
        .canonical_request()
        .unwrap_or_else(|| unreachable!("a TC3 request has a canonical request"))
        .to_owned();
    let sts = prepared.string_to_sign();
    let prefixed_key = [b"TC3".as_slice(), SECRET_KEY].concat();
    let date = cvm_proto::tc3::date_of(ctx.timestamp);

    let mut g = c.benchmark_group(format!("prepare_tc3/{method}"));
    g.bench_function("prepare", |b| {
        b.iter(|| cvm_proto::prepare_action(black_box(&req), &creds, &ep, &ctx))
    });
    g.bench_function("floor_tc3_hashes", |b| {
        b.iter(|| {
            tc3_floor(
                black_box(&body),
                black_box(canonical.as_bytes()),
                black_box(&prefixed_key),
                date.as_bytes(),
                black_box(sts.as_bytes()),
            )
        })
    });
    g.finish();
}

fn bench_flatten(c: &mut Criterion) {
    let req = run_instances_request();
    let mut g = c.benchmark_group("flatten");
    g.bench_function("to_params", |b| {
        b.iter(|| flatten::to_params(black_box(&req)))
    });
    // Into a reused set, as the JSON floor writes into a reused buffer.
    let mut flat = Params::with_room(64, 2048);
    g.bench_function("direct", |b| {
        b.iter(|| {
            flat.clear();
            flatten::flatten_direct(black_box(&req), &mut flat).map(|()| flat.len())
        })
    });
    let mut buf = Vec::with_capacity(4096);
    g.bench_function("floor_json_serialize", |b| {
        b.iter(|| {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&req))
                .unwrap_or_else(|e| unreachable!("{e}"));
            buf.len()
        })
    });
    g.finish();
}

fn bench_sign(c: &mut Criterion) {
    let creds = credentials();
    let ep = endpoint();
    let (method, alg) = (HttpMethod::Post, SignatureMethod::HmacSha256);
    let (flat, sts) = flat_and_sts(method, alg);
    let mut g = c.benchmark_group(format!("sign/{method}/{alg}"));
    g.bench_function("sign_request", |b| {
        // The clone of the parameters (which signing consumes) is set up outside the timing.
        b.iter_batched(
            || flat.clone(),
            |flat| cvm_proto::sign_request(black_box(flat), &creds, &ep, method),
            criterion::BatchSize::SmallInput,
        )
    });
    g.bench_function("floor_bare_hmac", |b| {
        b.iter(|| bare_hmac(alg, SECRET_KEY, black_box(sts.as_bytes())))
    });
    g.finish();
}

fn bench_call(c: &mut Criterion) {
    let req = run_instances_request();
    let mut g = c.benchmark_group("call/RunInstances");
    g.bench_function("typed", |b| {
        b.iter(|| Call::typed(black_box(&req), || "tok-0123456789abcdef".into()))
    });
    g.bench_function("floor_flatten_and_json", |b| {
        b.iter(|| {
            let mut flat = Params::with_room(32, 1024);
            flatten::flatten_direct(black_box(&req), &mut flat)
                .unwrap_or_else(|e| unreachable!("{e}"));
            let mut json = Vec::with_capacity(1024);
            serde_json::to_writer(&mut json, black_box(&req))
                .unwrap_or_else(|e| unreachable!("{e}"));
            (flat, json)
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_prepare,
    bench_prepare_tc3,
    bench_flatten,
    bench_sign,
    bench_call
);
criterion_main!(benches);
