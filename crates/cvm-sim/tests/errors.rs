//! Every authentication, request-level and parameter error, on both gateways.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Client, T0};
use cvm_proto::encode;
use cvm_proto::envelope::server_time_in;
use cvm_proto::sign;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::{Credentials, Endpoint, Params};
use cvm_proto::{HttpMethod, MAX_GET_URL, MAX_POST_BODY};
use cvm_sim::{AccountConfig, RateLimit, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde_json::json;

/// Signs `pairs` by hand (any parameters at all) for a GET on `host` + `path`.
fn hand_signed(pairs: &[(&str, &str)], host: &str, path: &str, key: &str) -> SimRequest {
    let params = Params::from_pairs(pairs.iter().copied()).unwrap();
    let sts = sign::string_to_sign(HttpMethod::Get, host, path, &params).unwrap();
    let method = SignatureMethod::from_param(params.get("SignatureMethod"));
    let sig = sign::signature(method, key.as_bytes(), &sts);
    let mut query = encode::encode(&params);
    query.push_str("&Signature=");
    encode::encode_component(&sig, &mut query);
    SimRequest::get(host, path, query)
}

fn base(nonce: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Action", "DescribeZones".to_owned()),
        ("Version", "2017-03-12".to_owned()),
        ("Region", "ap-guangzhou".to_owned()),
        ("Timestamp", T0.to_string()),
        ("Nonce", nonce.to_owned()),
        ("SecretId", DEFAULT_SECRET_ID.to_owned()),
    ]
}

fn send(c: &mut Client, pairs: &[(&str, String)]) -> cvm_sim::SimResponse {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let req = hand_signed(
        &borrowed,
        "cvm.tencentcloudapi.com",
        "/",
        DEFAULT_SECRET_KEY,
    );
    c.send(&req)
}

#[test]
fn missing_common_parameters_are_named() {
    let mut c = Client::default();
    for name in ["Action", "Version", "SecretId", "Timestamp", "Nonce"] {
        let pairs: Vec<_> = base("5").into_iter().filter(|(k, _)| *k != name).collect();
        let resp = send(&mut c, &pairs);
        assert_eq!(
            resp.error_code().as_deref(),
            Some("MissingParameter"),
            "{name}"
        );
        assert!(
            resp.error_message().unwrap().contains(&format!("`{name}`")),
            "{name}"
        );
    }
    // No Signature at all.
    let params = Params::from_pairs(base("6").iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
    let resp = c.send(&SimRequest::get("h", "/", encode::encode(&params)));
    assert_eq!(resp.error_code().as_deref(), Some("MissingParameter"));
    assert!(resp.error_message().unwrap().contains("`Signature`"));
    // Nothing at all.
    let resp = c.send(&SimRequest::get("h", "/", ""));
    assert!(resp.error_message().unwrap().contains("`Action`"));
    // Region is required by DescribeZones but not by DescribeRegions.
    c.region = "";
    assert_eq!(c.err("DescribeZones", json!({})), "MissingParameter");
    let r = c.ok("DescribeRegions", json!({}));
    assert_eq!(r["TotalCount"], 4);
}

#[test]
fn nonce_and_timestamp_must_be_integers() {
    let mut c = Client::default();
    let mut pairs = base("abc");
    let resp = send(&mut c, &pairs);
    assert_eq!(resp.error_code().as_deref(), Some("InvalidParameter"));
    assert!(resp.error_message().unwrap().contains("Nonce"));
    pairs = base("7");
    pairs[3].1 = "12.5".to_owned();
    let resp = send(&mut c, &pairs);
    assert!(resp.error_message().unwrap().contains("Timestamp"));
    // Nonce 0 (which the Node SDK can send) and negative nonces (Java) are accepted.
    assert_eq!(send(&mut c, &base("0")).error_code(), None);
    assert_eq!(send(&mut c, &base("-5")).error_code(), None);
}

#[test]
fn unknown_secret_id() {
    let mut c = Client::default();
    c.creds = Credentials::new("AKIDunknown", DEFAULT_SECRET_KEY).unwrap();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.SecretIdNotFound"
    );
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "InvalidParameter.SecretIdNotFound"
    );
}

#[test]
fn expired_timestamp_reports_the_server_time_last() {
    let mut c = Client::new(common::config().with_clock_offset(6788));
    let resp = c.call("DescribeZones", json!({}));
    assert_eq!(
        resp.error_code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    let message = resp.error_message().unwrap();
    assert_eq!(
        message,
        "Signature expired. Timestamp is 1706400000, deviation between Timestamp and the server time 1706406788 exceeds 300 seconds."
    );
    assert_eq!(server_time_in(&message), Some(T0 + 6788));
    // Within 300 seconds either way is fine.
    c.sim.set_clock_offset(300);
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    c.sim.set_clock_offset(-300);
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    c.sim.set_clock_offset(-301);
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.SignatureExpire"
    );
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "InvalidRequest.ReplayAttack"
    );
}

#[test]
fn replayed_nonce_is_refused_until_the_timestamp_expires() {
    let mut c = Client::default();
    let req = c.request("DescribeZones", &json!({}));
    assert_eq!(c.send(&req).error_code(), None);
    let resp = c.send(&req);
    assert_eq!(
        resp.error_code().as_deref(),
        Some("InvalidRequest.ReplayAttack")
    );
    assert_eq!(server_time_in(&resp.error_message().unwrap()), Some(T0));
    // A new nonce with the same timestamp is fine.
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    // Later, the old request fails as expired rather than replayed.
    c.advance(Duration::from_secs(301));
    assert_eq!(
        c.send(&req).error_code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    // A request whose signature fails does not burn its nonce.
    let mut c = Client::default();
    let good = c.request("DescribeZones", &json!({}));
    let mut bad = good.clone();
    bad.headers[0].1 = "other.host".to_owned();
    assert_eq!(
        c.send(&bad).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert_eq!(c.send(&good).error_code(), None);
}

#[test]
fn session_tokens() {
    let mut c = Client::default();
    c.sim
        .add_account(AccountConfig::new("AKIDtemp", "tempkey").with_token("tok/en+1="))
        .unwrap();
    c.creds = Credentials::new("AKIDtemp", "tempkey")
        .unwrap()
        .with_token("tok/en+1=")
        .unwrap();
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    c.creds = Credentials::new("AKIDtemp", "tempkey")
        .unwrap()
        .with_token("tok/en+2=")
        .unwrap();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.TokenFailure"
    );
    c.creds = Credentials::new("AKIDtemp", "tempkey").unwrap();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.TokenFailure"
    );
    // Long-term keys must not send a token.
    c.creds = common::creds().with_token("x").unwrap();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.TokenFailure"
    );
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "InvalidRequest.TokenCheckFailed"
    );
}

#[test]
fn signature_failures() {
    let mut c = Client::default();
    c.creds = Credentials::new(DEFAULT_SECRET_ID, "not-the-key").unwrap();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "AuthFailure.SignatureFailure"
    );
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "InvalidParameter.SignatureFailure"
    );

    let mut c = Client::default();
    // The algorithm follows SignatureMethod exactly: HmacSHA256 signed, but the parameter says otherwise.
    let pairs = [
        ("Action", "DescribeZones"),
        ("Version", "2017-03-12"),
        ("Region", "ap-guangzhou"),
        ("Timestamp", "1706400000"),
        ("Nonce", "9"),
        ("SecretId", DEFAULT_SECRET_ID),
        ("SignatureMethod", "hmacsha256"),
    ];
    let params = Params::from_pairs(pairs).unwrap();
    let sts = sign::string_to_sign(HttpMethod::Get, "h", "/", &params).unwrap();
    let sha256 = sign::signature(
        SignatureMethod::HmacSha256,
        DEFAULT_SECRET_KEY.as_bytes(),
        &sts,
    );
    let sha1 = sign::signature(
        SignatureMethod::HmacSha1,
        DEFAULT_SECRET_KEY.as_bytes(),
        &sts,
    );
    let with = |sig: &str| {
        let mut q = encode::encode(&params);
        q.push_str("&Signature=");
        encode::encode_component(sig, &mut q);
        SimRequest::get("h", "/", q)
    };
    assert_eq!(
        c.send(&with(&sha256)).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert_eq!(c.send(&with(&sha1)).error_code(), None);
    // The Host header and the path are signed exactly as received; no Host header at all fails.
    let req = c.request("DescribeZones", &json!({}));
    let mut other_host = req.clone();
    other_host.headers[0].1 = "cvm.ap-guangzhou.tencentcloudapi.com".to_owned();
    assert_eq!(
        c.send(&other_host).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    let mut no_host = req.clone();
    no_host.headers.retain(|(k, _)| k != "Host");
    assert_eq!(
        c.send(&no_host).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    let mut other_path = req.clone();
    other_path.path = "/v2/index.php".to_owned();
    assert_eq!(
        c.send(&other_path).error_code().as_deref(),
        Some("InvalidParameter.SignatureFailure")
    );
    // GET signed but sent as POST.
    c.method = HttpMethod::Get;
    let get = c.request("DescribeZones", &json!({}));
    let as_post = SimRequest::post_form("cvm.tencentcloudapi.com", "/", get.query.clone());
    assert_eq!(
        c.send(&as_post).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert_eq!(c.send(&get).error_code(), None);
}

#[test]
fn post_ignores_the_query_and_get_ignores_the_body() {
    let mut c = Client::default();
    let mut req = c.request("DescribeZones", &json!({}));
    req.query = b"Action=Bogus&Region=nowhere".to_vec();
    assert_eq!(c.send(&req).error_code(), None);
    c.method = HttpMethod::Get;
    let mut req = c.request("DescribeZones", &json!({}));
    req.body = b"Action=Bogus".to_vec();
    assert_eq!(c.send(&req).error_code(), None);
}

#[test]
fn size_limits_ask_for_tc3() {
    let mut c = Client::default();
    let host = "cvm.tencentcloudapi.com";
    let long_query = format!("Action=DescribeZones&X={}", "a".repeat(MAX_GET_URL));
    let resp = c.send(&SimRequest::get(host, "/", long_query));
    assert_eq!(
        resp.error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert!(resp.error_message().unwrap().contains("TC3-HMAC-SHA256"));
    let big = format!("Action=DescribeZones&X={}", "a".repeat(MAX_POST_BODY));
    let resp = c.send(&SimRequest::post_form(host, "/", big));
    assert_eq!(
        resp.error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    assert!(resp.error_message().unwrap().contains("TC3-HMAC-SHA256"));
    // A declared Content-Length over the limit is refused even if the shell read nothing.
    let mut declared = SimRequest::post_form(host, "/", "");
    declared
        .headers
        .push(("Content-Length".to_owned(), (MAX_POST_BODY + 1).to_string()));
    assert_eq!(
        c.send(&declared).error_code().as_deref(),
        Some("AuthFailure.SignatureFailure")
    );
    c.endpoint = Endpoint::legacy();
    let resp = c.send(&SimRequest::post_form(
        host,
        "/v2/index.php",
        format!("X={}", "a".repeat(MAX_POST_BODY)),
    ));
    assert_eq!(
        resp.error_code().as_deref(),
        Some("InvalidParameter.SignatureFailure")
    );
    // A signed request just under the GET limit is accepted.
    let mut c = Client::default();
    c.method = HttpMethod::Get;
    let req = c.request("DescribeImages", &json!({"InstanceType": "S1.SMALL1"}));
    let mut params = encode::decode(&req.query).unwrap();
    params.remove("Signature");
    let pad = MAX_GET_URL
        - ("http://".len() + host.len() + 1 + 1 + req.query.len() + "&RequestClient=".len())
        - 200;
    let client = format!("x{}", "y".repeat(pad));
    params.set("RequestClient", client).unwrap();
    let sts = sign::string_to_sign(HttpMethod::Get, host, "/", &params).unwrap();
    let sig = sign::signature(
        SignatureMethod::HmacSha256,
        DEFAULT_SECRET_KEY.as_bytes(),
        &sts,
    );
    let mut query = encode::encode(&params);
    query.push_str("&Signature=");
    encode::encode_component(&sig, &mut query);
    let total = "http://".len() + host.len() + 2 + query.len();
    assert!(total <= MAX_GET_URL && total > MAX_GET_URL - 300, "{total}");
    assert_eq!(
        c.send(&SimRequest::get(host, "/", query)).error_code(),
        None
    );
}

#[test]
fn undecodable_requests_are_invalid_parameter() {
    let mut c = Client::default();
    for bad in [
        &b"Action=DescribeZones&X=%4"[..],
        b"Action=DescribeZones&X=%zz",
        b"Action=DescribeZones&X=%FF",
        b"Action=DescribeZones&X=\xff",
        b"Action=DescribeZones&Action=DescribeZones",
        b"Action=DescribeZones&X",
        b"=1",
    ] {
        let resp = c.send(&SimRequest::get("h", "/", bad));
        assert_eq!(
            resp.error_code().as_deref(),
            Some("InvalidParameter"),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
        let resp = c.send(&SimRequest::post_form("h", "/", bad));
        assert_eq!(resp.error_code().as_deref(), Some("InvalidParameter"));
    }
    let resp = c.send(&SimRequest::get("h", "/", "a=1&b"));
    assert!(resp.error_message().unwrap().contains("splited by `=`"));
}

#[test]
fn post_needs_a_form_content_type_and_methods_are_get_or_post() {
    let mut c = Client::default();
    let mut req = c.request("DescribeZones", &json!({}));
    req.headers.retain(|(k, _)| k != "Content-Type");
    assert_eq!(c.send(&req).error_code().as_deref(), Some("InvalidRequest"));
    req.headers
        .push(("content-type".to_owned(), "application/json".to_owned()));
    assert_eq!(c.send(&req).error_code().as_deref(), Some("InvalidRequest"));
    let mut req = c.request("DescribeZones", &json!({}));
    req.headers[1].1 = "Application/X-WWW-Form-Urlencoded; charset=utf-8".to_owned();
    assert_eq!(c.send(&req).error_code(), None);
    let mut req = c.request("DescribeZones", &json!({}));
    req.method = "PUT".to_owned();
    assert_eq!(
        c.send(&req).error_code().as_deref(),
        Some("UnsupportedProtocol")
    );
    req.path = "/v2/index.php".to_owned();
    assert_eq!(
        c.send(&req).error_code().as_deref(),
        Some("InvalidRequest.UnsupportedProtocol")
    );
    req.path = "/elsewhere".to_owned();
    let resp = c.sim.handle(&req, c.now).response;
    assert_eq!(resp.status, 404);
}

#[test]
fn parameter_errors() {
    let mut c = Client::default();
    assert_eq!(
        c.err("DescribeInstances", json!({"Bogus": 1})),
        "UnknownParameter"
    );
    assert_eq!(
        c.err(
            "DescribeInstances",
            json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"], "Extra": 1}]})
        ),
        "UnknownParameter"
    );
    assert_eq!(
        c.err("DescribeInstances", json!({"Limit": "ten"})),
        "InvalidParameter"
    );
    assert_eq!(
        c.err("DescribeInstances", json!({"Limit": -1})),
        "InvalidParameterValue"
    );
    assert_eq!(
        c.err("DescribeInstances", json!({"Limit": 101})),
        "InvalidParameterValue"
    );
    assert_eq!(
        c.err("DescribeInstances", json!({"Offset": -1})),
        "InvalidParameterValue"
    );
    assert_eq!(c.err("TerminateInstances", json!({})), "MissingParameter");
    assert_eq!(
        c.err(
            "RunInstances",
            json!({"ImageId": "img-pmqg1cw7", "DryRun": "maybe"})
        ),
        "InvalidParameter"
    );
    // Gaps in list indices are malformed.
    let mut c = Client::default();
    let req = {
        let pairs = [
            ("Action", "DescribeInstances"),
            ("Version", "2017-03-12"),
            ("Region", "ap-guangzhou"),
            ("Timestamp", "1706400000"),
            ("Nonce", "77"),
            ("SecretId", DEFAULT_SECRET_ID),
            ("InstanceIds.1", "ins-aaaaaaaa"),
        ];
        hand_signed(&pairs, "h", "/", DEFAULT_SECRET_KEY)
    };
    assert_eq!(
        c.send(&req).error_code().as_deref(),
        Some("InvalidParameter")
    );
}

#[test]
fn action_version_and_region_errors() {
    let mut c = Client::default();
    assert_eq!(c.err("DescribeKeyPair", json!({})), "InvalidAction");
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeKeyPair", json!({})),
        "InvalidAction.NotFound"
    );
    let mut c = Client::default();
    let mut pairs = base("8");
    pairs[1].1 = "2018-01-01".to_owned();
    assert_eq!(
        send(&mut c, &pairs).error_code().as_deref(),
        Some("NoSuchVersion")
    );
    c.region = "ap-nowhere";
    assert_eq!(c.err("DescribeZones", json!({})), "UnsupportedRegion");
    // The legacy gateway also accepts short region names.
    c.region = "gz";
    assert_eq!(c.err("DescribeZones", json!({})), "UnsupportedRegion");
    c.endpoint = Endpoint::legacy();
    let r = c.ok("DescribeZones", json!({}));
    assert_eq!(r["ZoneSet"][0]["Zone"], "ap-guangzhou-2");
    c.region = "ap-guangzhou";
    c.endpoint = Endpoint::global();
    let mismatch = json!({"Placement": {"Zone": "ap-shanghai-2"}, "ImageId": "img-pmqg1cw7"});
    assert_eq!(
        c.err("RunInstances", mismatch),
        "InvalidZone.MismatchRegion"
    );
    let empty = json!({"Filters": [{"Name": "zone", "Values": [""]}]});
    assert_eq!(
        c.err("DescribeInstances", empty),
        "InvalidZone.MismatchRegion"
    );
}

#[test]
fn rate_limit_per_secret_id_and_action() {
    let mut c = Client::new(common::config().with_rate_limit(Some(RateLimit {
        requests_per_second: 10.0,
        burst: 5.0,
    })));
    for _ in 0..5 {
        assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    }
    assert_eq!(c.err("DescribeZones", json!({})), "RequestLimitExceeded");
    // Another action has its own bucket; the legacy gateway names the error differently.
    assert_eq!(c.call("DescribeRegions", json!({})).error_code(), None);
    c.endpoint = Endpoint::legacy();
    assert_eq!(
        c.err("DescribeZones", json!({})),
        "InvalidRequest.RequestConcurrencyExceeded"
    );
    // The bucket refills with time: 100 ms is one more request.
    c.endpoint = Endpoint::global();
    c.advance(Duration::from_millis(100));
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    assert_eq!(c.err("DescribeZones", json!({})), "RequestLimitExceeded");
    c.advance(Duration::from_secs(10));
    for _ in 0..5 {
        assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    }
    assert_eq!(c.sim.counters().errors_by_code["RequestLimitExceeded"], 3);
}

#[test]
fn every_reply_is_an_envelope_with_a_uuid() {
    let mut c = Client::default();
    for resp in [
        c.call("DescribeZones", json!({})),
        c.call("DescribeZones", json!({"X": 1})),
    ] {
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.headers,
            vec![("Content-Type".to_owned(), "application/json".to_owned())]
        );
        let id = resp.json().unwrap()["Response"]["RequestId"]
            .as_str()
            .unwrap()
            .to_owned();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert!(parts[2].starts_with('4'), "{id}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
    }
    // The same seed gives the same request ids.
    let mut a = Client::default();
    let mut b = Client::default();
    for _ in 0..3 {
        assert_eq!(
            a.call("DescribeZones", json!({})).body,
            b.call("DescribeZones", json!({})).body
        );
    }
}
