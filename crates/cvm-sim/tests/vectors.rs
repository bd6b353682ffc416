//! Requests produced by the official SDKs and docs (every vector with a URL or body) pass authentication.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use cvm_proto::encode;
use cvm_sim::{AccountConfig, Sim, SimConfig, SimRequest};
use serde_json::Value;

const VECTORS: &str = include_str!("../../cvm-proto/tests/data/signature-v1.json");

fn all() -> Vec<Value> {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let mut out = v["doc_vectors"].as_array().unwrap().clone();
    out.extend(v["sdk_vectors"].as_array().unwrap().iter().cloned());
    out
}

/// The session token the vector's request carries (the legacy vectors have it only on the wire).
fn token(v: &Value) -> Option<String> {
    if let Some(t) = v["Token"].as_str() {
        return Some(t.to_owned());
    }
    v["url"].as_str()?;
    let req = request_of(v);
    let raw = if req.method == "GET" {
        &req.query
    } else {
        &req.body
    };
    encode::decode(raw).unwrap().get("Token").map(str::to_owned)
}

fn account_for(v: &Value, key: &str) -> AccountConfig {
    let account = AccountConfig::new(v["SecretId"].as_str().unwrap(), key);
    match token(v) {
        Some(t) => account.with_token(t),
        None => account,
    }
}

fn sim_for(v: &Value) -> Sim {
    let account = account_for(v, v["SecretKey"].as_str().unwrap());
    Sim::new(common::config().with_accounts(vec![account])).unwrap()
}

fn request_of(v: &Value) -> SimRequest {
    let url = v["url"].as_str().unwrap();
    let rest = url.strip_prefix("https://").unwrap();
    let (target_host, query) = rest.split_once('?').unwrap_or((rest, ""));
    let slash = target_host.find('/').unwrap();
    let (host, path) = target_host.split_at(slash);
    match v["method"].as_str().unwrap() {
        "GET" => SimRequest::get(host, path, query),
        _ => SimRequest::post_form(host, path, v["body"].as_str().unwrap()),
    }
}

fn timestamp(req: &SimRequest) -> Duration {
    let raw = if req.method == "GET" {
        &req.query
    } else {
        &req.body
    };
    let params = encode::decode(raw).unwrap();
    Duration::from_secs(params.get("Timestamp").unwrap().parse().unwrap())
}

#[test]
fn every_vector_with_a_request_passes_authentication() {
    let mut checked = Vec::new();
    for v in all() {
        if v["url"].as_str().is_none() {
            continue;
        }
        let name = v["name"].as_str().unwrap().to_owned();
        let mut sim = sim_for(&v);
        let req = request_of(&v);
        let handled = sim.handle(&req, timestamp(&req));
        let resp = handled.response;
        assert_eq!(resp.status, 200, "{name}");
        let body = String::from_utf8_lossy(&resp.body).into_owned();
        if let Some(code) = resp.error_code() {
            assert!(!common::is_auth_error(&code), "{name}: {body}");
        }
        assert!(
            resp.json().unwrap()["Response"]["RequestId"].is_string(),
            "{name}: {body}"
        );

        // The same request at the wrong time is refused, so authentication really ran.
        let mut sim = sim_for(&v);
        let late = sim
            .handle(&req, timestamp(&req) + Duration::from_secs(301))
            .response;
        let code = late.error_code().unwrap();
        assert!(
            code == "AuthFailure.SignatureExpire" || code == "InvalidRequest.ReplayAttack",
            "{name}: {code}"
        );
        // And with a wrong key the signature fails.
        let wrong = account_for(&v, "wrong-key");
        let mut sim = Sim::new(common::config().with_accounts(vec![wrong])).unwrap();
        let code = sim
            .handle(&req, timestamp(&req))
            .response
            .error_code()
            .unwrap();
        assert!(code.ends_with("SignatureFailure"), "{name}: {code}");
        checked.push(name);
    }
    assert_eq!(checked.len(), 14, "{checked:?}");
}

#[test]
fn business_outcomes_of_the_vectors() {
    let outcome = |prefix: &str| -> (Option<String>, Value) {
        let v = all()
            .into_iter()
            .find(|v| v["name"].as_str().unwrap().starts_with(prefix))
            .unwrap();
        let mut sim = sim_for(&v);
        let req = request_of(&v);
        let resp = sim.handle(&req, timestamp(&req)).response;
        (resp.error_code(), resp.json().unwrap())
    };
    // S2: the Python SDK's RunInstances (booleans `True`, HmacSHA256, POST) creates one instance.
    let (code, body) = outcome("S2");
    assert_eq!(code, None, "{body}");
    assert_eq!(
        body["Response"]["InstanceIdSet"].as_array().unwrap().len(),
        1
    );
    // S3: the same with GET and `TRUE`.
    assert_eq!(outcome("S3").0, None);
    // S1/D1: the instance does not exist: an empty page.
    let (code, body) = outcome("S1");
    assert_eq!(code, None);
    assert_eq!(body["Response"]["TotalCount"], 0);
    // S7/L2/N2: unknown instances.
    assert_eq!(
        outcome("S7").0.as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
    assert_eq!(
        outcome("L2").0.as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
    assert_eq!(
        outcome("N2").0.as_deref(),
        Some("InvalidInstanceId.NotFound")
    );
    // S8/L1: instance types of ap-guangzhou-2.
    let (code, body) = outcome("S8");
    assert_eq!(code, None);
    let set = body["Response"]["InstanceTypeConfigSet"]
        .as_array()
        .unwrap();
    assert!(set.iter().any(|c| c["InstanceType"] == "S1.SMALL1"));
    assert!(set.iter().all(|c| c["Zone"] == "ap-guangzhou-2"));
    assert_eq!(outcome("L1").0, None);
    // N1: DescribeInstances has no DryRun parameter.
    assert_eq!(outcome("N1").0.as_deref(), Some("UnknownParameter"));
    // S4/S5/S6: the name filter matches nothing.
    for v in ["S4", "S5", "S6"] {
        let (code, body) = outcome(v);
        assert_eq!(code, None, "{v}: {body}");
        assert_eq!(body["Response"]["TotalCount"], 0);
    }
}

/// D3 is a pre-2017 v2 request (no `Version`, lower-case keys, `Region=gz`): rebuilt from its string
/// to sign, it passes the legacy gateway's authentication and gets a v2 envelope.
#[test]
fn legacy_v2_vector_d3() {
    let v = all()
        .into_iter()
        .find(|v| v["name"].as_str().unwrap().starts_with("D3"))
        .unwrap();
    let sts = v["string_to_sign"].as_str().unwrap();
    let query = sts.split_once('?').unwrap().1;
    let mut wire = String::new();
    for (i, (k, val)) in query
        .split('&')
        .map(|kv| kv.split_once('=').unwrap())
        .enumerate()
    {
        if i > 0 {
            wire.push('&');
        }
        wire.push_str(k);
        wire.push('=');
        encode::encode_component(val, &mut wire);
    }
    wire.push_str("&Signature=");
    encode::encode_component(v["signature"].as_str().unwrap(), &mut wire);
    let req = SimRequest::get("cvm.api.qcloud.com", "/v2/index.php", wire);
    let mut sim = sim_for(&v);
    let resp = sim
        .handle(&req, Duration::from_secs(1_465_185_768))
        .response;
    let body = resp.json().unwrap();
    assert_eq!(body["code"], 4000, "{body}");
    assert_eq!(body["codeDesc"], "InvalidParameter");
    assert!(body["message"].as_str().unwrap().contains("not emulated"));
    // With a wrong key the legacy numeric signature code comes back.
    let mut sim = Sim::new(SimConfig::default().with_accounts(vec![AccountConfig::new(
        v["SecretId"].as_str().unwrap(),
        "nope",
    )]))
    .unwrap();
    let body = sim
        .handle(&req, Duration::from_secs(1_465_185_768))
        .response
        .json()
        .unwrap();
    assert_eq!(body["code"], 4100, "{body}");
}
