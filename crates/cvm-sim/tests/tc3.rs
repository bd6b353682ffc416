//! TC3-HMAC-SHA256 against the emulator: the same actions and state as signature v1, the
//! official SDK's own bytes accepted, and every kind of bad request answered with the
//! service's error code in the JSON envelope (HTTP 200, `Content-Type: application/json`).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{run_params, Client};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::tc3;
use cvm_proto::{Credentials, HttpMethod};
use cvm_sim::{AccountConfig, SimRequest, SimResponse};
use serde_json::{json, Value};

fn tc3_client() -> Client {
    let mut c = Client::default();
    c.signature_method = SignatureMethod::Tc3HmacSha256;
    c
}

fn set_header(req: &mut SimRequest, name: &str, value: &str) {
    req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    req.headers.push((name.to_owned(), value.to_owned()));
}

fn remove_header(req: &mut SimRequest, name: &str) {
    req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
}

/// Sends `req` and returns its error code, checking the envelope's HTTP shape.
fn code_of(c: &mut Client, req: &SimRequest) -> String {
    let resp = c.send(req);
    assert_envelope(&resp);
    resp.error_code()
        .unwrap_or_else(|| panic!("accepted: {}", String::from_utf8_lossy(&resp.body)))
}

fn assert_envelope(resp: &SimResponse) {
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("Content-Type"), Some("application/json"));
    assert!(resp.json().unwrap()["Response"]["RequestId"].is_string());
}

#[test]
fn the_same_actions_and_state_over_both_schemes_and_methods() {
    let mut c = tc3_client();
    for method in [HttpMethod::Post, HttpMethod::Get] {
        c.method = method;
        let zones = c.ok("DescribeZones", json!({}));
        assert_eq!(zones["ZoneSet"][0]["Zone"], "ap-guangzhou-2");
    }
    c.method = HttpMethod::Post;
    let created = c.ok("RunInstances", run_params(2));
    let ids: Vec<String> = created["InstanceIdSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    // Signature v1 sees what TC3 created, and TC3 GET with nested parameters finds it.
    c.signature_method = SignatureMethod::HmacSha256;
    let v1 = c.ok("DescribeInstances", json!({"InstanceIds": ids}));
    assert_eq!(v1["TotalCount"], 2);
    c.signature_method = SignatureMethod::Tc3HmacSha256;
    c.method = HttpMethod::Get;
    let found = c.ok(
        "DescribeInstances",
        json!({"Filters": [{"Name": "instance-id", "Values": [ids[0]]}]}),
    );
    assert_eq!(found["TotalCount"], 1);
    assert_eq!(found["InstanceSet"][0]["InstanceId"], ids[0].as_str());
    // Action errors come back in the same envelope.
    c.method = HttpMethod::Post;
    let code = c.err("DescribeInstances", json!({"Bogus": 1}));
    assert_eq!(code, "UnknownParameter");
}

#[test]
fn the_official_sdks_own_bytes_are_accepted() {
    // Vector post_local_endpoint_with_port, exactly as the official Python SDK sent it.
    let vectors: Value = serde_json::from_str(include_str!(
        "../../cvm-proto/tests/data/tc3-hmac-sha256.json"
    ))
    .unwrap();
    let mut accepted = 0;
    for v in vectors["vectors"].as_array().unwrap() {
        let (input, sent) = (&v["input"], &v["sent"]);
        let mut c = Client::default();
        let mut account = AccountConfig::new(
            input["secret_id"].as_str().unwrap(),
            input["secret_key"].as_str().unwrap(),
        );
        if let Some(token) = input["token"].as_str() {
            account = account.with_token(token);
        }
        c.sim.add_account(account).unwrap();
        c.now = Duration::from_secs(input["timestamp"].as_u64().unwrap());
        let req = SimRequest {
            method: input["method"].as_str().unwrap().to_owned(),
            path: "/".into(),
            query: sent["query"].as_str().unwrap().as_bytes().to_vec(),
            headers: sent["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect(),
            body: sent["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let resp = c.send(&req);
        assert_envelope(&resp);
        let code = resp.error_code();
        assert!(
            !code
                .as_deref()
                .is_some_and(|c| c.starts_with("AuthFailure")),
            "{}: {code:?}",
            v["id"]
        );
        accepted += 1;
    }
    assert_eq!(accepted, 8);
}

#[test]
fn each_bad_request_gets_the_services_code() {
    let mut c = tc3_client();
    let good = c.request("DescribeZones", &json!({}));
    assert_eq!(c.send(&good).error_code(), None);

    let mut cases: Vec<(&str, SimRequest, &str)> = Vec::new();
    let mut wrong_key = tc3_client();
    wrong_key.creds = Credentials::new(common::creds().secret_id(), "not-the-key").unwrap();
    cases.push((
        "wrong key",
        wrong_key.request("DescribeZones", &json!({})),
        "AuthFailure.SignatureFailure",
    ));

    let mut body_changed = c.request("DescribeInstances", &json!({"Limit": 1}));
    body_changed.body = br#"{"Limit":2}"#.to_vec();
    cases.push(("body changed", body_changed, "AuthFailure.SignatureFailure"));

    let mut c_get = tc3_client();
    c_get.method = HttpMethod::Get;
    let mut query_changed = c_get.request("DescribeInstances", &json!({"Limit": 1}));
    query_changed.query = b"Limit=2".to_vec();
    cases.push((
        "query changed",
        query_changed,
        "AuthFailure.SignatureFailure",
    ));

    let mut host_changed = c.request("DescribeZones", &json!({}));
    set_header(
        &mut host_changed,
        "Host",
        "cvm.ap-shanghai.tencentcloudapi.com",
    );
    cases.push((
        "signed header changed",
        host_changed,
        "AuthFailure.SignatureFailure",
    ));

    let mut unsent = c.request("DescribeZones", &json!({}));
    let auth = unsent.header("Authorization").unwrap().replace(
        "SignedHeaders=content-type;host",
        "SignedHeaders=content-type;host;x-tc-unsent",
    );
    set_header(&mut unsent, "Authorization", &auth);
    cases.push((
        "signed header not sent",
        unsent,
        "AuthFailure.SignatureFailure",
    ));

    let mut wrong_date = c.request("DescribeZones", &json!({}));
    let date = tc3::date_of(common::T0);
    let auth = wrong_date
        .header("Authorization")
        .unwrap()
        .replace(&date, "2020-01-01");
    set_header(&mut wrong_date, "Authorization", &auth);
    cases.push((
        "wrong date in the scope",
        wrong_date,
        "AuthFailure.SignatureFailure",
    ));

    let mut other_service = c.request("DescribeZones", &json!({}));
    let auth = other_service
        .header("Authorization")
        .unwrap()
        .replace("/cvm/", "/vpc/");
    set_header(&mut other_service, "Authorization", &auth);
    cases.push((
        "another service",
        other_service,
        "AuthFailure.InvalidAuthorization",
    ));

    let mut malformed = c.request("DescribeZones", &json!({}));
    set_header(
        &mut malformed,
        "Authorization",
        "TC3-HMAC-SHA256 Credential=x",
    );
    cases.push((
        "malformed Authorization",
        malformed,
        "AuthFailure.InvalidAuthorization",
    ));

    let mut no_action = c.request("DescribeZones", &json!({}));
    remove_header(&mut no_action, "X-TC-Action");
    cases.push(("no X-TC-Action", no_action, "MissingParameter"));

    let mut no_timestamp = c.request("DescribeZones", &json!({}));
    remove_header(&mut no_timestamp, "X-TC-Timestamp");
    cases.push(("no X-TC-Timestamp", no_timestamp, "MissingParameter"));

    let mut no_version = c.request("DescribeZones", &json!({}));
    remove_header(&mut no_version, "X-TC-Version");
    cases.push(("no X-TC-Version", no_version, "MissingParameter"));

    let mut form = c.request("DescribeZones", &json!({}));
    set_header(
        &mut form,
        "Content-Type",
        "application/x-www-form-urlencoded",
    );
    cases.push(("wrong content type", form, "InvalidRequest"));

    let mut unknown_id = tc3_client();
    unknown_id.creds = Credentials::new("AKIDnobody", "k").unwrap();
    cases.push((
        "unknown SecretId",
        unknown_id.request("DescribeZones", &json!({})),
        "AuthFailure.SecretIdNotFound",
    ));

    let mut stale = tc3_client();
    stale.now -= Duration::from_secs(301);
    cases.push((
        "timestamp 301 s old",
        stale.request("DescribeZones", &json!({})),
        "AuthFailure.SignatureExpire",
    ));

    let mut token = tc3_client();
    token.creds = common::creds().with_token("not-a-token").unwrap();
    cases.push((
        "unexpected token",
        token.request("DescribeZones", &json!({})),
        "AuthFailure.TokenFailure",
    ));

    let mut common_in_body = c.request("DescribeZones", &json!({}));
    common_in_body.body = br#"{"Action":"DescribeZones"}"#.to_vec();
    // Re-sign so that only the body's content is wrong.
    let resigned = resign(&mut c, &common_in_body);
    cases.push(("common parameter in the body", resigned, "UnknownParameter"));

    for (what, req, want) in cases {
        assert_eq!(code_of(&mut c, &req), want, "{what}");
    }
}

#[test]
fn a_body_that_is_not_one_strict_json_object_is_refused_with_its_reason() {
    let mut c = tc3_client();
    let base = c.request("DescribeInstances", &json!({}));
    for (body, reason) in [
        (
            &br#"{"Limit":1,"Limit":100}"#[..],
            r#"has the key "Limit" twice in one object (line 1 column 18)"#,
        ),
        (
            br#"{"Filters":[{"Name":"zone","Values":["a"],"Name":"instance-id"}]}"#,
            r#"has the key "Name" twice"#,
        ),
        (b"{\"Limit\":1}\xff", "is not UTF-8"),
        (b"{\"Limit\":1", "is not valid JSON"),
        (b"[1]", "must be a JSON object"),
    ] {
        let mut req = base.clone();
        req.body = body.to_vec();
        let signed = resign(&mut c, &req);
        let resp = c.send(&signed);
        assert_envelope(&resp);
        assert_eq!(resp.error_code().as_deref(), Some("InvalidParameter"));
        let message = resp.json().unwrap()["Response"]["Error"]["Message"].clone();
        assert!(
            message.as_str().unwrap().contains(reason),
            "{:?}: {message}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn a_query_that_is_not_utf8_is_refused_not_rewritten() {
    let mut c = tc3_client();
    let mut req = c.request("DescribeInstances", &json!({}));
    req.query = b"a=\xff".to_vec();
    let resp = c.send(&req);
    assert_envelope(&resp);
    assert_eq!(resp.error_code().as_deref(), Some("InvalidParameter"));
    let message = resp.json().unwrap()["Response"]["Error"]["Message"].clone();
    assert_eq!(
        message,
        "The query string is not UTF-8 (invalid byte at offset 2)."
    );
}

#[test]
fn a_header_read_once_and_given_twice_is_refused() {
    for (scheme, signature_method) in [
        ("TC3", SignatureMethod::Tc3HmacSha256),
        ("v1", SignatureMethod::HmacSha256),
    ] {
        let mut c = Client::default();
        c.signature_method = signature_method;
        let base = c.request("DescribeZones", &json!({}));
        // The signed request itself is accepted.
        assert_eq!(c.send(&base).error_code(), None, "{scheme}");
        let mut names = vec!["Content-Type"];
        if scheme == "TC3" {
            names.extend([
                "Authorization",
                "X-TC-Timestamp",
                "X-TC-Action",
                "x-tc-region",
            ]);
        }
        for name in names {
            let mut req = c.request("DescribeZones", &json!({}));
            let value = req.header(name).unwrap().to_owned();
            // The same value again, in another case: still two lines of one header.
            req.headers.push((name.to_ascii_uppercase(), value));
            let want = match name {
                "Authorization" => "AuthFailure.InvalidAuthorization",
                _ => "InvalidParameter",
            };
            let resp = c.send(&req);
            assert_envelope(&resp);
            assert_eq!(resp.error_code().as_deref(), Some(want), "{scheme} {name}");
            let message = resp.json().unwrap()["Response"]["Error"]["Message"].clone();
            assert!(
                message
                    .as_str()
                    .unwrap()
                    .contains("is given more than once"),
                "{message}"
            );
        }
        // Two equal Content-Length lines, which hyper passes on.
        let mut req = c.request("DescribeZones", &json!({}));
        let length = req.body.len().to_string();
        req.headers.push(("Content-Length".into(), length.clone()));
        req.headers.push(("content-length".into(), length));
        assert_eq!(
            c.send(&req).error_code().as_deref(),
            Some("InvalidParameter")
        );
        // Two Host lines are refused below the API, as HTTP/1.1 says.
        let mut req = c.request("DescribeZones", &json!({}));
        let host = req.header("Host").unwrap().to_owned();
        req.headers.push(("host".into(), host));
        assert_eq!(c.send(&req).status, 400, "{scheme}");
    }
}

#[test]
fn every_header_the_signature_names_counts_once() {
    let mut c = tc3_client();
    let mut req = c.request("DescribeZones", &json!({}));
    set_header(&mut req, "X-Extra", "one");
    let req = resign_with(&mut c, &req, &[("x-extra", "one")]);
    assert_eq!(c.send(&req).error_code(), None);
    // The same request again, with a second line of the signed header: which one was signed?
    let mut twice = req.clone();
    twice.headers.push(("x-extra".into(), "two".into()));
    let resp = c.send(&twice);
    assert_eq!(resp.error_code().as_deref(), Some("InvalidParameter"));
    let message = resp.json().unwrap()["Response"]["Error"]["Message"].clone();
    assert!(message.as_str().unwrap().contains("`x-extra`"), "{message}");
}

/// `req` with its body signed again by the test credentials (the same headers and time).
fn resign(c: &mut Client, req: &SimRequest) -> SimRequest {
    resign_with(c, req, &[])
}

/// [`resign`], signing `extra` headers (lower-case names, in order, after `host`) too.
fn resign_with(c: &mut Client, req: &SimRequest, extra: &[(&str, &str)]) -> SimRequest {
    let timestamp: u64 = req.header("X-TC-Timestamp").unwrap().parse().unwrap();
    let date = tc3::date_of(timestamp);
    let host = req.header("Host").unwrap().to_owned();
    let mut headers = vec![("content-type", tc3::JSON_CONTENT_TYPE), ("host", &host)];
    headers.extend_from_slice(extra);
    let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    let signed = names.join(";");
    let canonical = tc3::canonical_request(
        "POST",
        "/",
        "",
        &headers,
        &signed,
        &tc3::sha256_hex(&req.body),
    );
    let sts = tc3::string_to_sign(timestamp, &date, "cvm", &canonical);
    let signature = c.creds.tc3_signing_key(&date, "cvm").sign(&sts);
    let auth = tc3::authorization(c.creds.secret_id(), &date, "cvm", &signed, &signature);
    let mut out = req.clone();
    set_header(&mut out, "Authorization", &auth);
    out
}
