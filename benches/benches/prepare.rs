//! `prepare` of the walkthrough's RunInstances beside its floor: a bare HMAC of the same string to sign.
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use cvm_benches::{context, credentials, endpoint, run_instances_params};
use cvm_proto::request::{self, HttpMethod};
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::{flatten, Params};

fn bench_prepare(c: &mut Criterion) {
    let params = run_instances_params();
    let creds = credentials();
    let ep = endpoint();
    for method in [HttpMethod::Get, HttpMethod::Post] {
        for alg in [SignatureMethod::HmacSha1, SignatureMethod::HmacSha256] {
            let ctx = context(method, alg);
            let mut flat: Params = match flatten::to_params(&params) {
                Ok(p) => p,
                Err(e) => unreachable!("{e}"),
            };
            if let Err(e) = request::add_common("RunInstances", &mut flat, &creds, &ctx) {
                unreachable!("{e}")
            }
            let sts = match sign::string_to_sign(method, &ep.host_header(), ep.path(), &flat) {
                Ok(s) => s,
                Err(e) => unreachable!("{e}"),
            };
            let mut g = c.benchmark_group(format!("prepare/{method}/{alg}"));
            g.bench_function("prepare", |b| {
                b.iter(|| request::prepare("RunInstances", black_box(&params), &creds, &ep, &ctx))
            });
            g.bench_function("floor_bare_hmac", |b| {
                b.iter(|| {
                    sign::digest(
                        alg,
                        b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                        black_box(sts.as_bytes()),
                    )
                })
            });
            g.finish();
        }
    }
}

criterion_group!(benches, bench_prepare);
criterion_main!(benches);
