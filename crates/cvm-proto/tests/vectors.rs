//! Every vector in `data/signature-v1.json` (computed by the official SDKs and docs) reproduces byte for byte.
#![allow(clippy::unwrap_used)]

use cvm_proto::encode;
use cvm_proto::flatten;
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::{prepare, Context, HttpMethod};
use cvm_proto::{Credentials, Endpoint, Params};
use serde_json::Value;

const VECTORS: &str = include_str!("data/signature-v1.json");

/// Common parameters that prepare() adds; everything else comes from the action's own params.
const COMMON: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
];

fn all() -> Vec<Value> {
    let v: Value = serde_json::from_str(VECTORS).unwrap();
    let mut out = v["doc_vectors"].as_array().unwrap().clone();
    out.extend(v["sdk_vectors"].as_array().unwrap().iter().cloned());
    assert_eq!(out.len(), 18, "vector file changed");
    out
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{} lacks {k}", v["name"]))
}

fn algorithm(v: &Value) -> SignatureMethod {
    if s(v, "SignatureMethod").starts_with("HmacSHA256") {
        SignatureMethod::HmacSha256
    } else {
        SignatureMethod::HmacSha1
    }
}

fn method(v: &Value) -> HttpMethod {
    s(v, "method").parse().unwrap()
}

/// Splits `https://host/path?query` into host, path and query.
fn split_url(url: &str) -> (&str, &str, &str) {
    let rest = url.strip_prefix("https://").unwrap();
    let (authority_path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let slash = authority_path.find('/').unwrap();
    (&authority_path[..slash], &authority_path[slash..], query)
}

/// The parameters the service receives: the decoded query for GET, the decoded body for POST.
fn wire_params(v: &Value) -> Option<(String, String, Params)> {
    let url = v["url"].as_str()?;
    let (host, path, query) = split_url(url);
    let raw = match method(v) {
        HttpMethod::Get => query.to_owned(),
        HttpMethod::Post => s(v, "body").to_owned(),
    };
    Some((
        host.to_owned(),
        path.to_owned(),
        encode::decode(raw.as_bytes()).unwrap(),
    ))
}

#[test]
fn signature_from_string_to_sign() {
    for v in all() {
        let sig = sign::signature(
            algorithm(&v),
            s(&v, "SecretKey").as_bytes(),
            s(&v, "string_to_sign"),
        );
        assert_eq!(sig, s(&v, "signature"), "{}", v["name"]);
    }
}

#[test]
fn decoded_sdk_request_rebuilds_the_string_and_verifies() {
    let mut checked = 0;
    for v in all() {
        let Some((host, path, params)) = wire_params(&v) else {
            continue;
        };
        let sts = sign::string_to_sign(method(&v), &host, &path, &params).unwrap();
        assert_eq!(sts, s(&v, "string_to_sign"), "{}", v["name"]);
        // The service picks the algorithm from the SignatureMethod parameter it received.
        let alg = SignatureMethod::from_param(params.get("SignatureMethod"));
        assert_eq!(alg, algorithm(&v), "{}", v["name"]);
        assert!(
            sign::verify(
                alg,
                s(&v, "SecretKey").as_bytes(),
                &sts,
                params.get("Signature").unwrap()
            ),
            "{}",
            v["name"]
        );
        checked += 1;
    }
    assert_eq!(checked, 14);
}

#[test]
fn flattened_input_params_give_the_sdk_string() {
    let mut checked = 0;
    for v in all() {
        let Some((host, path, wire)) = wire_params(&v) else {
            continue;
        };
        if v["input_params"].is_null() || v["name"].as_str().unwrap().starts_with("S2") {
            // Python renders JSON booleans as `True`; our flattener emits `true` (see the vector notes).
            continue;
        }
        let mut params = flatten::to_params(&v["input_params"]).unwrap();
        for key in COMMON {
            // The legacy SDK passes Version among the action's own parameters (L1-L3).
            if let (Some(value), false) = (wire.get(key), params.contains(key)) {
                params.insert(*key, value).unwrap();
            }
        }
        let sts = sign::string_to_sign(method(&v), &host, &path, &params).unwrap();
        assert_eq!(sts, s(&v, "string_to_sign"), "{}", v["name"]);
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn prepare_produces_the_sdk_signature() {
    let mut checked = 0;
    for v in all() {
        let Some((host, path, wire)) = wire_params(&v) else {
            continue;
        };
        if v["input_params"].is_null() || v["name"].as_str().unwrap().starts_with("S2") {
            continue;
        }
        let mut creds = Credentials::new(s(&v, "SecretId"), s(&v, "SecretKey")).unwrap();
        if let Some(token) = wire.get("Token") {
            creds = creds.with_token(token).unwrap();
        }
        let endpoint = Endpoint::parse(&format!("https://{host}{path}")).unwrap();
        let ctx = Context {
            region: wire.get("Region"),
            version: if v["input_params"]["Version"].is_string() {
                ""
            } else {
                wire.get("Version").unwrap_or("")
            },
            timestamp: wire.get("Timestamp").unwrap().parse().unwrap(),
            nonce: wire.get("Nonce").unwrap().parse().unwrap(),
            method: method(&v),
            signature_method: algorithm(&v),
            language: wire.get("Language"),
            request_client: wire.get("RequestClient"),
        };
        let req = prepare(
            wire.get("Action").unwrap(),
            &v["input_params"],
            &creds,
            &endpoint,
            &ctx,
        )
        .unwrap()
        .request;
        assert_eq!(req.method, method(&v));
        let sent = match req.method {
            HttpMethod::Get => {
                encode::decode(req.url.split_once('?').unwrap().1.as_bytes()).unwrap()
            }
            HttpMethod::Post => encode::decode(&req.body).unwrap(),
        };
        assert_eq!(
            sent.get("Signature"),
            Some(s(&v, "signature")),
            "{}",
            v["name"]
        );
        checked += 1;
    }
    assert_eq!(checked, 12);
}

#[test]
fn s2_body_verifies_with_python_booleans() {
    let v = all()
        .into_iter()
        .find(|v| v["name"].as_str().unwrap().starts_with("S2"))
        .unwrap();
    let (host, path, params) = wire_params(&v).unwrap();
    assert_eq!(
        params.get("InternetAccessible.PublicIpAssigned"),
        Some("True")
    );
    let sts = sign::string_to_sign(HttpMethod::Post, &host, &path, &params).unwrap();
    assert_eq!(sts, s(&v, "string_to_sign"));
}
