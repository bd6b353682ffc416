//! Property: whatever `cvm_proto::prepare` signs with the right key is accepted (reaches the action),
//! and a single-byte change to any parameter value, the host, the path or the method is rejected.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use cvm_proto::encode;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::Endpoint;
use cvm_proto::{prepare, Context, HttpMethod};
use cvm_sim::{Sim, SimRequest};
use proptest::prelude::*;
use serde_json::json;

const NOW: u64 = common::T0;

fn sim() -> Sim {
    Sim::new(common::config()).unwrap()
}

/// Whether a code means the request was turned away before the action ran.
fn rejected_before_action(code: &str) -> bool {
    code.starts_with("AuthFailure.")
        || code.ends_with(".SignatureFailure")
        || matches!(
            code,
            "InvalidParameter"
                | "NoSuchVersion"
                | "InvalidAction"
                | "InvalidAction.NotFound"
                | "MissingParameter"
        )
        || code.starts_with("InvalidParameter.Secret")
        || code.starts_with("InvalidRequest.")
}

fn request_strategy() -> impl Strategy<Value = (SimRequest, HttpMethod)> {
    let action = prop_oneof![
        Just(("DescribeZones", json!({}))),
        Just(("DescribeRegions", json!({}))),
        (any::<String>(), 0i64..200, 0i64..150).prop_map(|(name, offset, limit)| (
            "DescribeInstances",
            json!({"Filters": [{"Name": "instance-name", "Values": [name]}], "Offset": offset, "Limit": limit})
        )),
        ("[a-z0-9]{8}", any::<String>()).prop_map(|(id, token)| (
            "TerminateInstances",
            json!({"InstanceIds": [format!("ins-{id}")], "ReleaseAddress": token.len() % 2 == 0})
        )),
        (any::<String>(), 1i64..3).prop_map(|(name, count)| (
            "RunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7", "InstanceName": name, "InstanceCount": count, "DryRun": true})
        )),
    ];
    (
        action,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        1u64..=u64::from(u32::MAX),
        -300i64..=300,
        prop_oneof![
            Just("cvm.tencentcloudapi.com"),
            Just("127.0.0.1:8080"),
            Just("[::1]:9000"),
            Just("cvm.ap-guangzhou.tencentcloudapi.com")
        ],
    )
        .prop_map(|((action, params), get, sha1, legacy, nonce, skew, host)| {
            let path = if legacy { "/v2/index.php" } else { "/" };
            let endpoint = Endpoint::parse(&format!("https://{host}{path}")).unwrap();
            let method = if get {
                HttpMethod::Get
            } else {
                HttpMethod::Post
            };
            let ctx = Context::new(NOW.checked_add_signed(skew).unwrap(), nonce)
                .region("ap-guangzhou")
                .method(method)
                .signature_method(if sha1 {
                    SignatureMethod::HmacSha1
                } else {
                    SignatureMethod::HmacSha256
                });
            let prepared = prepare(action, &params, &common::creds(), &endpoint, &ctx)
                .unwrap()
                .request;
            (SimRequest::from_prepared(&prepared), prepared.method)
        })
}

/// The raw parameter bytes of a request (query for GET, body for POST).
fn raw(req: &SimRequest) -> &[u8] {
    if req.method == "GET" {
        &req.query
    } else {
        &req.body
    }
}

fn with_raw(req: &SimRequest, bytes: Vec<u8>) -> SimRequest {
    let mut out = req.clone();
    if req.method == "GET" {
        out.query = bytes;
    } else {
        out.body = bytes;
    }
    out
}

fn code_of(sim: &mut Sim, req: &SimRequest) -> Option<String> {
    sim.handle(req, Duration::from_secs(NOW))
        .response
        .error_code()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn signed_requests_are_accepted_and_any_change_is_rejected(
        (req, method) in request_strategy(),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut fresh = sim();
        let code = code_of(&mut fresh, &req);
        prop_assert!(code.as_deref().is_none_or(|c| !rejected_before_action(c)), "{code:?}");

        // One byte of one parameter value changes (re-encoded, so that only the value differs).
        let params = encode::decode(raw(&req)).unwrap();
        let pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        let (key, value) = &pairs[pick.index(pairs.len())];
        let mut bytes = value.clone().into_bytes();
        if bytes.is_empty() {
            bytes.push(flip);
        } else {
            let i = at.index(bytes.len());
            bytes[i] ^= flip;
        }
        let mut wire = String::new();
        for (k, v) in &pairs {
            if !wire.is_empty() {
                wire.push('&');
            }
            encode::encode_component(k, &mut wire);
            wire.push('=');
            if k == key {
                for b in &bytes {
                    wire.push_str(&format!("%{b:02X}"));
                }
            } else {
                encode::encode_component(v, &mut wire);
            }
        }
        let changed = with_raw(&req, wire.into_bytes());
        let code = code_of(&mut sim(), &changed);
        prop_assert!(code.as_deref().is_some_and(rejected_before_action), "{key}: {code:?}");

        // One byte of the Host header changes.
        let mut host_changed = req.clone();
        let host = &mut host_changed.headers.iter_mut().find(|(k, _)| k == "Host").unwrap().1;
        let mut host_bytes = host.clone().into_bytes();
        let i = at.index(host_bytes.len());
        host_bytes[i] ^= flip;
        *host = String::from_utf8_lossy(&host_bytes).into_owned();
        let code = code_of(&mut sim(), &host_changed);
        prop_assert!(code.as_deref().is_some_and(|c| c.ends_with("SignatureFailure")), "{code:?}");

        // One byte of the path changes: no gateway answers there.
        let mut path_changed = req.clone();
        let mut path_bytes = path_changed.path.clone().into_bytes();
        let i = at.index(path_bytes.len());
        path_bytes[i] ^= flip;
        path_changed.path = String::from_utf8_lossy(&path_bytes).into_owned();
        let resp = sim().handle(&path_changed, Duration::from_secs(NOW)).response;
        prop_assert!(resp.status == 404 || resp.error_code().as_deref().is_some_and(rejected_before_action));

        // One byte of the method changes.
        let mut method_changed = req.clone();
        let mut m = method_changed.method.clone().into_bytes();
        let i = at.index(m.len());
        m[i] ^= flip;
        method_changed.method = String::from_utf8_lossy(&m).into_owned();
        let code = code_of(&mut sim(), &method_changed);
        prop_assert!(code.as_deref().is_some_and(|c| c.ends_with("UnsupportedProtocol")), "{code:?}");

        // The same parameters sent with the other method fail the signature.
        let swapped = match method {
            HttpMethod::Get => SimRequest::post_form(req.header("Host").unwrap(), &req.path, req.query.clone()),
            HttpMethod::Post => SimRequest::get(req.header("Host").unwrap(), &req.path, req.body.clone()),
        };
        let code = code_of(&mut sim(), &swapped);
        prop_assert!(code.as_deref().is_some_and(|c| c.ends_with("SignatureFailure")), "{code:?}");
    }
}

/// Signs arbitrary flat parameters by hand (as a GET), so that any key and value reaches the actions.
fn hand_signed(action: &str, pairs: &[(String, String)], nonce: u64) -> Option<SimRequest> {
    let mut params = cvm_proto::Params::new();
    for (k, v) in pairs {
        params.set(k.clone(), v.clone()).ok()?;
    }
    for (k, v) in [
        ("Action", action.to_owned()),
        ("Version", "2017-03-12".to_owned()),
        ("Region", "ap-guangzhou".to_owned()),
        ("Timestamp", NOW.to_string()),
        ("Nonce", nonce.to_string()),
        ("SecretId", cvm_sim::DEFAULT_SECRET_ID.to_owned()),
    ] {
        params.set(k, v).ok()?;
    }
    let sts = cvm_proto::sign::string_to_sign(HttpMethod::Get, "h", "/", &params).ok()?;
    let sig = cvm_proto::sign::signature(
        SignatureMethod::HmacSha1,
        cvm_sim::DEFAULT_SECRET_KEY.as_bytes(),
        &sts,
    );
    let mut query = encode::encode(&params);
    query.push_str("&Signature=");
    encode::encode_component(&sig, &mut query);
    Some(SimRequest::get("h", "/", query))
}

/// Parameter keys each action is probed with (plus one key no action knows).
fn keys_of(action: &str) -> &'static [&'static str] {
    match action {
        "DescribeInstances" => &[
            "InstanceIds.0",
            "InstanceIds.1",
            "Filters.0.Name",
            "Filters.0.Values.0",
            "Filters.0.Values.1",
            "Filters.1.Name",
            "Filters.1.Values.0",
            "Offset",
            "Limit",
        ],
        "DescribeInstancesStatus" => &["InstanceIds.0", "InstanceIds.1", "Offset", "Limit"],
        "DescribeImages" => &[
            "ImageIds.0",
            "Filters.0.Name",
            "Filters.0.Values.0",
            "Offset",
            "Limit",
            "InstanceType",
        ],
        "DescribeInstanceTypeConfigs" => &[
            "Filters.0.Name",
            "Filters.0.Values.0",
            "Filters.1.Name",
            "Filters.1.Values.0",
        ],
        "StartInstances" | "RebootInstances" => &["InstanceIds.0", "InstanceIds.1", "StopType"],
        "StopInstances" => &[
            "InstanceIds.0",
            "InstanceIds.1",
            "StopType",
            "StoppedMode",
            "ForceStop",
        ],
        "TerminateInstances" => &["InstanceIds.0", "InstanceIds.1", "ReleaseAddress"],
        "RunInstances" => &[
            "InstanceType",
            "ImageId",
            "Placement.Zone",
            "Placement.ProjectId",
            "InstanceCount",
            "MinCount",
            "InstanceName",
            "InstanceChargeType",
            "InstanceChargePrepaid.Period",
            "InstanceChargePrepaid.RenewFlag",
            "SystemDisk.DiskType",
            "SystemDisk.DiskSize",
            "DataDisks.0.DiskSize",
            "DataDisks.0.DiskType",
            "DataDisks.0.SnapshotId",
            "InternetAccessible.InternetMaxBandwidthOut",
            "InternetAccessible.PublicIpAssigned",
            "InternetAccessible.InternetChargeType",
            "LoginSettings.Password",
            "LoginSettings.KeyIds.0",
            "LoginSettings.KeepImageLogin",
            "SecurityGroupIds.0",
            "VirtualPrivateCloud.VpcId",
            "VirtualPrivateCloud.SubnetId",
            "VirtualPrivateCloud.PrivateIpAddresses.0",
            "HostName",
            "UserData",
            "ClientToken",
            "DryRun",
            "TagSpecification.0.ResourceType",
            "TagSpecification.0.Tags.0.Key",
            "TagSpecification.0.Tags.0.Value",
            "LaunchTemplate.LaunchTemplateId",
        ],
        _ => &[],
    }
}

fn value_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        (-5i64..600).prop_map(|n| n.to_string()),
        Just("ap-guangzhou-2".to_owned()),
        Just("img-pmqg1cw7".to_owned()),
        Just("S1.SMALL1".to_owned()),
        Just("TRUE".to_owned()),
        Just("zone".to_owned()),
        Just("instance-state".to_owned()),
        Just("10.0.0.7".to_owned()),
        Just("PREPAID".to_owned()),
        "[a-z0-9]{8}".prop_map(|s| format!("ins-{s}")),
        Just("$ID".to_owned()),
        Just("$ID".to_owned()),
        Just("9".repeat(40)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any authenticated combination of parameters gets a well-formed envelope and leaves the state consistent.
    #[test]
    fn arbitrary_authenticated_parameters_never_break_the_core(
        calls in prop::collection::vec(
            (
                prop::sample::select(cvm_sim::ACTIONS.to_vec()),
                prop::collection::vec((any::<prop::sample::Index>(), value_strategy()), 0..6),
                any::<bool>(),
            ),
            1..8,
        )
    ) {
        let mut sim = sim();
        for (i, (action, picks, unknown)) in calls.iter().enumerate() {
            let keys = keys_of(action);
            let mut pairs: Vec<(String, String)> = Vec::new();
            if *action == "RunInstances" {
                pairs.push(("Placement.Zone".into(), "ap-guangzhou-2".into()));
                pairs.push(("ImageId".into(), "img-pmqg1cw7".into()));
            }
            if *unknown && picks.len() == 1 {
                pairs.push(("Bogus".into(), "1".into()));
            }
            let ids: Vec<String> = sim.instances().map(|inst| inst.id().to_owned()).collect();
            for (n, (key, value)) in picks.iter().enumerate() {
                if keys.is_empty() {
                    break;
                }
                let value = if value == "$ID" && !ids.is_empty() { ids[(i + n) % ids.len()].clone() } else { value.clone() };
                pairs.retain(|(k, _)| k != key.get(keys));
                pairs.push((key.get(keys).to_string(), value));
            }
            let Some(req) = hand_signed(action, &pairs, 1 + i as u64) else { continue };
            let resp = sim.handle(&req, Duration::from_secs(NOW + i as u64)).response;
            prop_assert_eq!(resp.status, 200);
            let body = resp.json().unwrap();
            prop_assert!(body["Response"]["RequestId"].is_string());
            if let Some(code) = resp.error_code() {
                prop_assert!(!code.starts_with("AuthFailure"), "{}", code);
            }
        }
        let c = sim.counters();
        prop_assert_eq!(c.instances_created, sim.instances().count() as u64 + c.instances_terminated);
    }

    /// Arbitrary bytes anywhere in a request are answered, never a panic.
    #[test]
    fn arbitrary_requests_are_answered(
        method in prop_oneof![Just("GET".to_owned()), Just("POST".to_owned()), "[A-Z]{0,8}"],
        path in prop_oneof![Just("/".to_owned()), Just("/v2/index.php".to_owned()), any::<String>()],
        query in prop::collection::vec(any::<u8>(), 0..300),
        body in prop::collection::vec(any::<u8>(), 0..300),
        headers in prop::collection::vec((any::<String>(), any::<String>()), 0..4),
    ) {
        let req = SimRequest { method, path, query, headers, body };
        let resp = sim().handle(&req, Duration::from_secs(NOW)).response;
        prop_assert!(resp.status == 200 || resp.status == 404);
    }
}
