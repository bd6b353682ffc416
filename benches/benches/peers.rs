//! `cvm-proto` beside what a Rust user would otherwise write, on the same bytes out:
//! - `peer_hand_written/POST/HmacSHA256`: the walkthrough's RunInstances signed by hand the usual
//!   way (a `BTreeMap` of flat parameters, `format!` for the string to sign, `hmac` with a fresh
//!   key, `base64`, the `percent-encoding` crate for the body), beside `prepare_action` of the typed
//!   request (`cvm_prepare`); the body of both is checked equal before timing.
//! - `encode`: percent-encoding the same flat parameters with the hand-written encoder
//!   (`cvm_encode_component`) and with the `percent-encoding` crate (`percent_encoding_crate`),
//!   beside copying the raw text (`floor_copy`): the reason the hand-written one is kept.
// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::collections::BTreeMap;

use base64::Engine as _;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use cvm_benches::{context, credentials, endpoint, run_instances_request, SECRET_KEY};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::{encode, HttpMethod};
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986's unreserved characters are the only ones left as they are.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// What a user writes without this project: every parameter by hand, then sign and encode.
fn hand_written(action_params: &[(String, String)], timestamp: u64, nonce: u64) -> String {
    let mut params: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in action_params {
        params.insert(k.clone(), v.clone());
    }
    params.insert("Action".to_string(), "RunInstances".to_string());
    params.insert("Version".to_string(), "2017-03-12".to_string());
    params.insert("Region".to_string(), "ap-guangzhou".to_string());
    params.insert("Timestamp".to_string(), format!("{timestamp}"));
    params.insert("Nonce".to_string(), format!("{nonce}"));
    params.insert(
        "SecretId".to_string(),
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".to_string(),
    );
    params.insert("SignatureMethod".to_string(), "HmacSHA256".to_string());
    params.insert("Language".to_string(), "en-US".to_string());
    params.insert(
        "RequestClient".to_string(),
        cvm_proto::REQUEST_CLIENT.to_string(),
    );
    let query = params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let sts = format!("POSTcvm.tencentcloudapi.com/?{query}");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET_KEY)
        .unwrap_or_else(|_| unreachable!("any key length"));
    mac.update(sts.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    params.insert("Signature".to_string(), signature);
    // `Signature` goes last on the wire, as `cvm-proto` sends it.
    let mut pairs: Vec<String> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "Signature")
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, COMPONENT),
                utf8_percent_encode(v, COMPONENT)
            )
        })
        .collect();
    pairs.push(format!(
        "Signature={}",
        utf8_percent_encode(&params["Signature"], COMPONENT)
    ));
    pairs.join("&")
}

fn bench_peer(c: &mut Criterion) {
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    let ctx = context(HttpMethod::Post, SignatureMethod::HmacSha256);
    let prepared =
        cvm_proto::prepare_action(&req, &creds, &ep, &ctx).unwrap_or_else(|e| unreachable!("{e}"));
    let action_params: Vec<(String, String)> = cvm_proto::flatten::to_params(&req)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .into_pairs();
    let by_hand = hand_written(&action_params, ctx.timestamp, ctx.nonce);
    assert_eq!(
        by_hand,
        String::from_utf8_lossy(&prepared.request.body),
        "the hand-written peer must produce the same body"
    );
    let mut g = c.benchmark_group("peer_hand_written/POST/HmacSHA256");
    g.bench_function("cvm_prepare", |b| {
        b.iter(|| cvm_proto::prepare_action(black_box(&req), &creds, &ep, &ctx))
    });
    g.bench_function("hand_written", |b| {
        b.iter(|| hand_written(black_box(&action_params), ctx.timestamp, ctx.nonce))
    });
    g.finish();
}

/// cvm's half of the official Node.js SDK's row (`interop/node-sdk`, run by `benches/report`):
/// what that SDK's timed code does, the string to sign of complete flat parameters and its
/// HMAC-SHA256 in base64, without encoding the body.
fn bench_node_peer(c: &mut Criterion) {
    let creds = credentials();
    let ep = endpoint();
    let ctx = context(HttpMethod::Post, SignatureMethod::HmacSha256);
    let prepared = cvm_proto::prepare_action(&run_instances_request(), &creds, &ep, &ctx)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let request_sts = prepared.string_to_sign();
    let params = prepared.into_params().unwrap_or_default();
    let host = ep.host_header();
    let sign = || {
        let sts = cvm_proto::sign::string_to_sign(HttpMethod::Post, &host, ep.path(), &params)
            .unwrap_or_else(|e| unreachable!("{e}"));
        creds.signature_text(SignatureMethod::HmacSha256, &sts)
    };
    assert_eq!(
        sign().as_str(),
        cvm_proto::sign::signature(SignatureMethod::HmacSha256, SECRET_KEY, &request_sts),
        "the timed signing must give the request's own signature"
    );
    let mut g = c.benchmark_group("peer_node_sdk/POST/HmacSHA256");
    g.bench_function("cvm_sign", |b| b.iter(|| black_box(sign())));
    g.finish();
}

/// Another Rust crate's TC3 signing (`tencentcloud-sign-sdk`, whose `Tc3Signer::sign` is public
/// and pure; the `tencent-sdk` crate keeps its signer private), beside the same steps in cvm
/// (`cvm_sign`) and cvm's whole TC3 `prepare` of the request, which also flattens and serializes
/// it and builds every header. The crate derives the day's key on every call; cvm caches it per
/// credentials, which is part of what is compared.
fn bench_tc3_crate(c: &mut Criterion) {
    let req = run_instances_request();
    let creds = credentials();
    let ep = endpoint();
    let ctx = context(HttpMethod::Post, SignatureMethod::Tc3HmacSha256);
    let prepared =
        cvm_proto::prepare_action(&req, &creds, &ep, &ctx).unwrap_or_else(|e| unreachable!("{e}"));
    let body = String::from_utf8(prepared.request.body.clone()).unwrap_or_default();
    let host = ep.host_header();
    let headers = format!(
        "content-type:{}\nhost:{host}\n",
        cvm_proto::tc3::JSON_CONTENT_TYPE
    );
    let timestamp = i64::try_from(ctx.timestamp).unwrap_or_else(|e| unreachable!("{e}"));
    let signer = tencentcloud_sign_sdk::Tc3Signer::new(
        creds.secret_id().to_owned(),
        String::from_utf8_lossy(SECRET_KEY).into_owned(),
        "cvm".to_owned(),
        false,
    );
    let theirs = || {
        let hashed = tencentcloud_sign_sdk::sha256_hex(&body);
        let signed = signer.sign(
            "POST",
            "/",
            "",
            &headers,
            cvm_proto::tc3::DEFAULT_SIGNED_HEADERS,
            &hashed,
            timestamp,
        );
        let authorization =
            signer.create_authorization_header(&signed, cvm_proto::tc3::DEFAULT_SIGNED_HEADERS);
        (signed.signature, authorization)
    };
    let ours = prepared
        .request
        .header("Authorization")
        .unwrap_or_default()
        .to_owned();
    assert!(
        ours.ends_with(&format!("Signature={}", theirs().0)),
        "both signers must give the same signature: {ours}"
    );
    // cvm's steps for the same inputs: hash, canonical request, string to sign, signature (with
    // the day's key cached per credentials) and `Authorization`.
    let date = cvm_proto::tc3::date_of(ctx.timestamp);
    let cvm_sign = || {
        let canonical = cvm_proto::tc3::canonical_request(
            "POST",
            "/",
            "",
            &[
                ("content-type", cvm_proto::tc3::JSON_CONTENT_TYPE),
                ("host", &host),
            ],
            cvm_proto::tc3::DEFAULT_SIGNED_HEADERS,
            &cvm_proto::tc3::sha256_hex(body.as_bytes()),
        );
        let sts = cvm_proto::tc3::string_to_sign(ctx.timestamp, &date, "cvm", &canonical);
        let signature = creds.tc3_sign(&date, "cvm", &sts);
        cvm_proto::tc3::authorization(
            creds.secret_id(),
            &date,
            "cvm",
            cvm_proto::tc3::DEFAULT_SIGNED_HEADERS,
            &signature,
        )
    };
    assert_eq!(
        cvm_sign(),
        ours,
        "cvm's steps must give the request's header"
    );
    let mut g = c.benchmark_group("peer_tc3_crate/POST");
    g.bench_function("cvm_sign", |b| b.iter(|| black_box(cvm_sign())));
    g.bench_function("cvm_prepare", |b| {
        b.iter(|| cvm_proto::prepare_action(black_box(&req), &creds, &ep, &ctx))
    });
    g.bench_function("tencentcloud_sign_sdk", |b| b.iter(|| black_box(theirs())));
    g.finish();
}

fn bench_encode(c: &mut Criterion) {
    let req = run_instances_request();
    let creds = credentials();
    let ctx = context(HttpMethod::Post, SignatureMethod::HmacSha256);
    let prepared = cvm_proto::prepare_action(&req, &creds, &endpoint(), &ctx)
        .unwrap_or_else(|e| unreachable!("{e}"));
    let params = prepared.into_params().unwrap_or_default();
    let texts: Vec<&str> = params.iter().flat_map(|(k, v)| [k, v]).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut out = String::with_capacity(4 * bytes);
    let ours: String = texts.iter().fold(String::new(), |mut acc, t| {
        encode::encode_component(t, &mut acc);
        acc
    });
    let theirs: String = texts
        .iter()
        .flat_map(|t| utf8_percent_encode(t, COMPONENT))
        .collect();
    assert_eq!(ours, theirs, "both encoders must give the same text");
    let mut g = c.benchmark_group("encode");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("cvm_encode_component", |b| {
        b.iter(|| {
            out.clear();
            for t in black_box(&texts) {
                encode::encode_component(t, &mut out);
            }
            out.len()
        })
    });
    g.bench_function("percent_encoding_crate", |b| {
        b.iter(|| {
            out.clear();
            for t in black_box(&texts) {
                out.extend(utf8_percent_encode(t, COMPONENT));
            }
            out.len()
        })
    });
    g.bench_function("floor_copy", |b| {
        b.iter(|| {
            out.clear();
            for t in black_box(&texts) {
                out.push_str(t);
            }
            out.len()
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_peer,
    bench_node_peer,
    bench_tc3_crate,
    bench_encode
);
criterion_main!(benches);
