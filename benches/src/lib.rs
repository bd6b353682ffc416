//! Shared inputs for the criterion benchmarks in `benches/benches/`.

use std::fmt::Write as _;

use cvm_proto::models::RunInstancesRequest;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::{Context, HttpMethod};
use cvm_proto::{Credentials, Endpoint};
use cvm_test_support::walkthrough;
use serde_json::{json, Value};

pub mod bound;
pub mod emulator;
pub mod transport;

/// The documentation's example secret key, as bytes for the bare-HMAC floors.
pub const SECRET_KEY: &[u8] = b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

/// The walkthrough's `RunInstances` parameters as JSON.
pub fn run_instances_params() -> Value {
    json!({
        "InstanceChargeType": "POSTPAID_BY_HOUR",
        "Placement": {"Zone": "ap-guangzhou-2"},
        "InstanceType": "S1.SMALL1",
        "ImageId": "img-pmqg1cw7",
        "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
        "DataDisks": [{"DiskSize": 100, "DiskType": "LOCAL_BASIC"}],
        "InternetAccessible": {
            "InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
            "InternetMaxBandwidthOut": 10,
            "PublicIpAssigned": true
        },
        "InstanceCount": 1,
        "InstanceName": "QCLOUD-TEST",
        "LoginSettings": {"Password": "Qcloud@TestApi123++"},
        "EnhancedService": {
            "SecurityService": {"Enabled": true},
            "MonitorService": {"Enabled": true}
        }
    })
}

/// The walkthrough's `RunInstances` as the typed request (`cvm_proto::walkthrough`, with the
/// documentation's instance type and password); it flattens to the same parameters as
/// [`run_instances_params`].
pub fn run_instances_request() -> RunInstancesRequest {
    walkthrough::run_instances("S1.SMALL1", "Qcloud@TestApi123++")
}

/// The documentation's example credentials.
pub fn credentials() -> Credentials {
    match Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        std::str::from_utf8(SECRET_KEY).unwrap_or_default(),
    ) {
        Ok(c) => c,
        Err(e) => unreachable!("constant credentials are valid: {e}"),
    }
}

/// The floor of signing: a bare HMAC of `message` under `key` with the same crates `cvm-proto`
/// uses, its output copied out (the first 20 or 32 bytes hold it).
pub fn bare_hmac(method: SignatureMethod, key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8], out: &mut [u8; 32]) {
        let mut mac = <M as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        mac.update(message);
        let tag = mac.finalize().into_bytes();
        for (o, t) in out.iter_mut().zip(tag.iter()) {
            *o = *t;
        }
    }
    let mut out = [0u8; 32];
    match method {
        SignatureMethod::HmacSha1 => run::<Hmac<sha1::Sha1>>(key, message, &mut out),
        SignatureMethod::HmacSha256 | SignatureMethod::Tc3HmacSha256 => {
            run::<Hmac<sha2::Sha256>>(key, message, &mut out)
        }
    }
    out
}

/// The floor of TC3 signing: exactly the hashing TC3-HMAC-SHA256 cannot avoid, with the same
/// crates `cvm-proto` uses: SHA-256 of `body` and of `canonical_request`, the three HMACs that
/// derive the day's key from `prefixed_key` (`"TC3"` + secret key) for `date` and service `cvm`,
/// and the HMAC of `string_to_sign` under it. Returns the two digests and the signature; nothing is
/// hex-encoded, formatted or allocated.
pub fn tc3_floor(
    body: &[u8],
    canonical_request: &[u8],
    prefixed_key: &[u8],
    date: &[u8],
    string_to_sign: &[u8],
) -> [[u8; 32]; 3] {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
    let body_hash: [u8; 32] = Sha256::digest(body).into();
    let canonical_hash: [u8; 32] = Sha256::digest(canonical_request).into();
    let k_date = mac(prefixed_key, date);
    let k_service = mac(&k_date, b"cvm");
    let k_signing = mac(&k_service, b"tc3_request");
    [body_hash, canonical_hash, mac(&k_signing, string_to_sign)]
}

/// The global endpoint.
pub fn endpoint() -> Endpoint {
    Endpoint::global()
}

/// A fixed context for `method` and `signature_method`.
pub fn context(method: HttpMethod, signature_method: SignatureMethod) -> Context<'static> {
    Context::new(1465185768, 11886)
        .region("ap-guangzhou")
        .method(method)
        .signature_method(signature_method)
}

/// A realistic `DescribeInstances` reply body with `count` instances, in the service's format:
/// every documented member present, `null` where the service sends it, a few unknown members.
pub fn describe_instances_reply(count: usize) -> String {
    let mut out = String::with_capacity(count * 2400 + 128);
    let _ = write!(
        out,
        r#"{{"Response":{{"TotalCount":{count},"InstanceSet":["#
    );
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        let (state, charge, renew, expired) = if i % 3 == 0 {
            (
                "STOPPED",
                "PREPAID",
                r#""NOTIFY_AND_MANUAL_RENEW""#,
                r#""2021-04-01T12:30:00Z""#,
            )
        } else {
            ("RUNNING", "POSTPAID_BY_HOUR", "null", "null")
        };
        let public_ip = if i % 2 == 0 {
            format!(r#"["203.0.{}.{}"]"#, i / 250, i % 250)
        } else {
            "null".to_owned()
        };
        let _ = write!(
            out,
            r#"{{"Placement":{{"Zone":"ap-guangzhou-{zone}","ProjectId":0,"HostId":null,"HostIds":null,"NewPlacementField":{{"Nested":[1,2]}}}},"InstanceId":"ins-{i:08x}","Uuid":"68b510db-b4c1-4630-a62b-{i:012x}","InstanceState":"{state}","InstanceType":"S5.MEDIUM4","CPU":2,"Memory":4,"RestrictState":"NORMAL","InstanceName":"web-{i}","InstanceChargeType":"{charge}","SystemDisk":{{"DiskType":"CLOUD_PREMIUM","DiskId":"disk-s{i:07x}","DiskSize":50,"CdcId":null}},"DataDisks":[{{"DiskSize":100,"DiskType":"CLOUD_SSD","DiskId":"disk-d{i:07x}","DeleteWithInstance":true,"SnapshotId":null,"Encrypt":false,"KmsKeyId":null,"ThroughputPerformance":0,"CdcId":null}}],"PrivateIpAddresses":["10.0.{a}.{b}"],"PublicIpAddresses":{public_ip},"InternetAccessible":{{"InternetChargeType":"TRAFFIC_POSTPAID_BY_HOUR","InternetMaxBandwidthOut":10,"IPv4AddressType":"WanIP"}},"VirtualPrivateCloud":{{"VpcId":"vpc-jdnsjskd","SubnetId":"subnet-a1s2d3f4","AsVpcGateway":false,"PrivateIpAddresses":["10.0.{a}.{b}"],"Ipv6AddressCount":0}},"ImageId":"img-pmqg1cw7","RenewFlag":{renew},"CreatedTime":"2020-09-22T00:00:00Z","ExpiredTime":{expired},"OsName":"TencentOS Server 3.1 (TK4)","SecurityGroupIds":["sg-p1ezv4wz","sg-5xq2kd8m"],"LoginSettings":{{"Password":null,"KeyIds":["skey-3glfot13"],"KeepImageLogin":null}},"Tags":[{{"Key":"env","Value":"prod"}},{{"Key":"team","Value":"web"}}],"StopChargingMode":"NOT_APPLICABLE","LatestOperation":"RunInstances","LatestOperationState":"SUCCESS","LatestOperationRequestId":"c7de1287-061d-4ace-8caf-{i:012x}","LatestOperationErrorMsg":null,"IPv6Addresses":null,"CamRoleName":null,"HpcClusterId":"","RdmaIpAddresses":null,"DedicatedClusterId":"","IsolatedSource":"NOTISOLATED","DisasterRecoverGroupIds":[],"GPUInfo":null,"LicenseType":"TencentCloud","DisableApiTermination":false,"HostName":"VM-{a}-{b}-tencentos","DefaultLoginUser":"root","DefaultLoginPort":22,"EnableJumboFrame":false,"Metadata":{{"Items":[{{"Key":"role","Value":"web"}}]}},"PublicIPv6Addresses":[],"CpuTopology":{{"CoreCount":null,"ThreadPerCore":null}},"PartitionNumber":0,"SomeFutureField":{{"Whatever":true}}}}"#,
            zone = 3 + i % 4,
            a = i / 250,
            b = 2 + i % 250,
        );
    }
    out.push_str(r#"],"RequestId":"6ef60bec-0242-43af-bb20-270359fb54a7"}}"#);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cvm_proto::envelope;
    use cvm_proto::flatten;
    use cvm_proto::models::DescribeInstancesResponse;

    #[test]
    fn the_specialized_writer_gives_the_same_request_as_prepare() {
        let ctx = context(HttpMethod::Post, SignatureMethod::HmacSha256);
        let req = run_instances_request();
        let creds = credentials();
        let prepared = cvm_proto::prepare_action(&req, &creds, &endpoint(), &ctx).unwrap();
        let common = bound::Common::of_context(&creds);
        let key = bound::key_state(SECRET_KEY);
        let by_hand = bound::specialized_prepare(&req, &key, &common, ctx.timestamp, ctx.nonce);
        assert_eq!(by_hand, prepared.request);
        // Another request gives another signature, so the writer reads the request.
        let other = walkthrough::run_instances("S1.SMALL2", "other");
        let moved = bound::specialized_prepare(&other, &key, &common, ctx.timestamp, ctx.nonce);
        let expected = cvm_proto::prepare_action(&other, &creds, &endpoint(), &ctx).unwrap();
        assert_eq!(moved, expected.request);
        assert_ne!(moved.body, by_hand.body);
    }

    #[test]
    fn typed_and_json_requests_flatten_alike() {
        let typed = flatten::to_params(&run_instances_request()).unwrap();
        let json = flatten::to_params(&run_instances_params()).unwrap();
        assert_eq!(typed, json);
    }

    #[test]
    fn the_tc3_floor_computes_the_signature_prepare_sends() {
        use cvm_proto::tc3;
        let ctx = context(HttpMethod::Post, SignatureMethod::Tc3HmacSha256);
        let prepared = cvm_proto::prepare(
            "RunInstances",
            &run_instances_request(),
            &credentials(),
            &endpoint(),
            &ctx,
        )
        .unwrap();
        let canonical = prepared.canonical_request().unwrap();
        let sts = prepared.string_to_sign();
        let prefixed = [b"TC3".as_slice(), SECRET_KEY].concat();
        let date = tc3::date_of(ctx.timestamp);
        let [body_hash, canonical_hash, signature] = tc3_floor(
            &prepared.request.body,
            canonical.as_bytes(),
            &prefixed,
            date.as_bytes(),
            sts.as_bytes(),
        );
        let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert!(canonical.ends_with(&hex(&body_hash)));
        assert!(sts.ends_with(&hex(&canonical_hash)));
        let auth = prepared.request.header("Authorization").unwrap();
        assert_eq!(
            tc3::Authorization::parse(auth).unwrap().signature,
            hex(&signature)
        );
    }

    #[test]
    fn generated_reply_parses() {
        let body = describe_instances_reply(100);
        let reply = envelope::parse::<DescribeInstancesResponse>(
            200,
            body.as_bytes(),
            envelope::DEFAULT_BODY_LIMIT,
        )
        .unwrap();
        assert_eq!(reply.output.instance_set.len(), 100);
        assert_eq!(reply.output.total_count, Some(100));
        assert_eq!(
            reply.output.instance_set[7].instance_id.as_deref(),
            Some("ins-00000007")
        );
        assert!(reply.output.instance_set[1].public_ip_addresses.is_empty());
        assert_eq!(reply.request_id, "6ef60bec-0242-43af-bb20-270359fb54a7");
        // The same output as reading `Response` out of a `Value` tree, a path that shares
        // nothing with `parse`'s one pass.
        let mut tree: serde_json::Value = serde_json::from_str(&body).unwrap();
        let response = tree["Response"].take();
        let oracle: DescribeInstancesResponse = serde_json::from_value(response).unwrap();
        assert_eq!(reply.output, oracle);
    }
}
