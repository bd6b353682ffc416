//! Runs one benchmarked operation in a loop, for a profiler (callgrind, `perf record -e cpu-clock`):
//! `cargo run --release -p cvm-benches --example profile -- prepare|prepare_get|prepare_tc3|sign|sts_sign|flatten|hmac|parse|parse_floor|call_typed|call_request|bound [N]`.

use std::hint::black_box;

use cvm_benches::{
    bare_hmac, bound, context, credentials, describe_instances_reply, endpoint,
    run_instances_request, SECRET_KEY,
};
use cvm_proto::envelope;
use cvm_proto::flatten;
use cvm_proto::models::DescribeInstancesResponse;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::HttpMethod;
use cvm_proto::{Call, ClientConfig};

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "prepare".into());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    let ctx = context(HttpMethod::Post, SignatureMethod::HmacSha256);
    let tc3 = context(HttpMethod::Post, SignatureMethod::Tc3HmacSha256);
    let get = context(HttpMethod::Get, SignatureMethod::HmacSha1);
    let prepared = match cvm_proto::prepare("RunInstances", &req, &creds, &ep, &ctx) {
        Ok(prepared) => prepared,
        Err(e) => unreachable!("{e}"),
    };
    let sts = prepared.string_to_sign();
    let flat = prepared.into_params().unwrap_or_default();
    let body = describe_instances_reply(100);
    let host = ep.host_header();
    // As the Node.js SDK row's bench takes them: from the typed prepare, in key order.
    let typed_flat = match cvm_proto::prepare_action(&req, &creds, &ep, &ctx) {
        Ok(prepared) => prepared.into_params().unwrap_or_default(),
        Err(e) => unreachable!("{e}"),
    };
    let call = match Call::typed(&req, || "tok-0123456789abcdef".into()) {
        Ok(call) => call,
        Err(e) => unreachable!("{e}"),
    };
    let mut config = ClientConfig::default();
    config.region = Some("ap-guangzhou".into());
    config.endpoint = ep.clone();
    config.http_method = HttpMethod::Post;
    config.signature_method = SignatureMethod::HmacSha256;
    let key = bound::key_state(SECRET_KEY);
    let common = bound::Common::of_context(&creds);
    for _ in 0..n {
        match what.as_str() {
            "prepare" => {
                black_box(cvm_proto::prepare_action(black_box(&req), &creds, &ep, &ctx).ok());
            }
            "prepare_get" => {
                black_box(cvm_proto::prepare_action(black_box(&req), &creds, &ep, &get).ok());
            }
            "prepare_tc3" => {
                black_box(cvm_proto::prepare_action(black_box(&req), &creds, &ep, &tc3).ok());
            }
            "sign" => {
                black_box(
                    cvm_proto::sign_request(black_box(flat.clone()), &creds, &ep, HttpMethod::Post)
                        .ok(),
                );
            }
            // The Node.js SDK row's cvm half: the string to sign of flat parameters, and its HMAC.
            "sts_sign" => {
                let sts = cvm_proto::sign::string_to_sign(
                    HttpMethod::Post,
                    &host,
                    ep.path(),
                    black_box(&typed_flat),
                );
                black_box(
                    sts.map(|s| creds.signature_text(SignatureMethod::HmacSha256, &s))
                        .ok(),
                );
            }
            "flatten" => {
                black_box(flatten::to_params(black_box(&req)).ok());
            }
            // The specialized writer's same request (`cvm_benches::bound`).
            "bound" => {
                black_box(bound::specialized_prepare(
                    black_box(&req),
                    &key,
                    &common,
                    ctx.timestamp,
                    ctx.nonce,
                ));
            }
            // A call's attempt: the flat parameters signed with the common ones (POST HmacSHA256).
            "call_request" => {
                black_box(call.request(&config, &creds, 1_465_185_768, 7).ok());
            }
            // What a client does before its first attempt: the call of the typed request, with a
            // drawn ClientToken (RunInstances takes one).
            "call_typed" => {
                black_box(Call::typed(black_box(&req), || "tok-0123456789abcdef".into()).ok());
            }
            "hmac" => {
                black_box(bare_hmac(
                    SignatureMethod::HmacSha256,
                    SECRET_KEY,
                    black_box(sts.as_bytes()),
                ));
            }
            "parse" => {
                black_box(
                    envelope::parse::<DescribeInstancesResponse>(200, body.as_bytes(), 1 << 24)
                        .ok(),
                );
            }
            // The parse group's floor (`floor_ignored_any`): the same bytes through JSON syntax
            // alone, so that callgrind can set the typed parse beside it.
            "parse_floor" => {
                black_box(
                    serde_json::from_slice::<serde::de::IgnoredAny>(black_box(body.as_bytes()))
                        .ok(),
                );
            }
            other => {
                eprintln!("unknown operation {other:?}");
                std::process::exit(2);
            }
        }
    }
}
