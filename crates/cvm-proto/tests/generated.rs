//! The generated API modules: every request round-trips through flat parameters, replies are
//! read leniently, and the tables agree with the types.

use std::fmt::Debug;

use cvm_proto::api::spec::{self, ActionSpec, FieldSpec, FieldType, ObjectSpec, RequestVisitor};
use cvm_proto::flatten::{from_params, to_params};
use cvm_proto::Action;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// A sample value of a field's member: one element for a list, every field for an object.
fn sample_member(member: &str, objects: &'static [ObjectSpec]) -> Option<Value> {
    Some(match member {
        "string" | "datetime" | "datetime_iso" | "date" => json!("text"),
        "int64" => json!(-7),
        "uint64" => json!(7),
        "float" => json!(1.5),
        "bool" => json!(true),
        name => {
            let object = spec::object(objects, name).expect("the member is in OBJECTS");
            let value = sample_object(object.fields, objects);
            // Empty objects are not written as flat parameters, so they cannot round-trip.
            if value.as_object().is_some_and(Map::is_empty) {
                return None;
            }
            value
        }
    })
}

fn sample_object(fields: &'static [FieldSpec], objects: &'static [ObjectSpec]) -> Value {
    let mut map = Map::new();
    for f in fields {
        let Some(v) = sample_member(f.member, objects) else {
            continue;
        };
        let v = if f.ty == FieldType::List {
            json!([v])
        } else {
            v
        };
        map.insert(f.name.to_owned(), v);
    }
    Value::Object(map)
}

struct RoundTrip {
    objects: &'static [ObjectSpec],
    seen: usize,
}

impl RequestVisitor for RoundTrip {
    fn visit<A>(&mut self, spec: &'static ActionSpec)
    where
        A: Action + DeserializeOwned + Debug + Clone + PartialEq + Default,
    {
        assert_eq!(A::NAME, spec.name);
        assert_eq!(spec.request, format!("{}Request", spec.name));
        let sample = sample_object(spec.fields, self.objects);
        let request: A = serde_json::from_value(sample.clone())
            .unwrap_or_else(|e| panic!("{}: the sample does not parse: {e}", spec.name));
        // Every wire name is written back as the spec spells it.
        assert_eq!(
            serde_json::to_value(&request).expect("serializes"),
            sample,
            "{}",
            spec.name
        );
        let params = to_params(&request).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let back: A = from_params(&params).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        assert_eq!(back, request, "{}", spec.name);
        assert_eq!(
            A::READ_ONLY,
            spec.name.starts_with("Describe") || spec.name.starts_with("Inquiry")
        );
        assert_eq!(
            A::CLIENT_TOKEN.is_some(),
            spec.fields.iter().any(|f| f.name == "ClientToken"),
            "{}",
            spec.name
        );
        // An empty request is what `Default` gives, and it flattens too.
        to_params(&A::default()).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        self.seen += 1;
    }
}

#[test]
fn every_cvm_request_round_trips() {
    use cvm_proto::api::cvm;
    let mut v = RoundTrip {
        objects: cvm::OBJECTS,
        seen: 0,
    };
    cvm::visit_requests(&mut v);
    assert_eq!(v.seen, 106);
    assert_eq!(cvm::ACTIONS.len(), 106);
    assert_eq!(cvm::SPEC.len(), 106);
    for (info, spec) in cvm::ACTIONS.iter().zip(cvm::SPEC) {
        assert_eq!(info.name, spec.name);
    }
}

#[cfg(feature = "vpc")]
#[test]
fn every_vpc_request_round_trips() {
    use cvm_proto::api::vpc;
    let mut v = RoundTrip {
        objects: vpc::OBJECTS,
        seen: 0,
    };
    vpc::visit_requests(&mut v);
    assert_eq!(v.seen, 448);
    assert_eq!(vpc::ACTIONS.len(), 448);
}

#[cfg(feature = "cbs")]
#[test]
fn every_cbs_request_round_trips() {
    use cvm_proto::api::cbs;
    let mut v = RoundTrip {
        objects: cbs::OBJECTS,
        seen: 0,
    };
    cbs::visit_requests(&mut v);
    assert_eq!(v.seen, 61);
    assert_eq!(cbs::ACTIONS.len(), 61);
}

#[test]
fn the_registry_facts() {
    use cvm_proto::api::cvm::{
        DescribeInstancesRequest, RunInstancesRequest, TerminateInstancesRequest,
    };
    assert_eq!(RunInstancesRequest::NAME, "RunInstances");
    const { assert!(!RunInstancesRequest::READ_ONLY) };
    assert_eq!(RunInstancesRequest::CLIENT_TOKEN, Some("ClientToken"));
    const { assert!(DescribeInstancesRequest::READ_ONLY) };
    assert_eq!(DescribeInstancesRequest::CLIENT_TOKEN, None);
    assert_eq!(TerminateInstancesRequest::CLIENT_TOKEN, None);
}

#[test]
fn replies_are_read_leniently() {
    use cvm_proto::api::cvm::DescribeInstancesResponse;
    let reply: DescribeInstancesResponse = serde_json::from_value(json!({
        "TotalCount": "2",
        "InstanceSet": [
            {
                "InstanceId": "ins-1",
                "CPU": "2",
                "Memory": 4,
                "Placement": {"Zone": "ap-guangzhou-2", "ProjectId": "0", "Future": [1]},
                "SecurityGroupIds": null,
                "Tags": null,
                "RenewFlag": null,
                "SomethingNew": {"x": 1}
            },
            {"InstanceId": "ins-2", "CPU": 2.0, "Memory": ""}
        ],
        "Unknown": true
    }))
    .expect("parses");
    assert_eq!(reply.total_count, Some(2));
    assert_eq!(reply.instance_set.len(), 2);
    let first = &reply.instance_set[0];
    assert_eq!(first.cpu, Some(2));
    assert_eq!(first.memory, Some(4));
    assert!(first.security_group_ids.is_empty());
    let placement = first.placement.as_ref().expect("placement");
    assert_eq!(placement.zone.as_deref(), Some("ap-guangzhou-2"));
    assert_eq!(placement.project_id, Some(0));
    assert_eq!(reply.instance_set[1].cpu, Some(2));
    assert_eq!(reply.instance_set[1].memory, None);

    let empty: DescribeInstancesResponse =
        serde_json::from_value(json!({"TotalCount": null, "InstanceSet": null})).expect("parses");
    assert_eq!(empty, DescribeInstancesResponse::default());
    assert!(
        serde_json::from_value::<DescribeInstancesResponse>(json!({"TotalCount": "two"})).is_err()
    );
}

#[test]
fn replies_refuse_a_repeated_field_and_keep_every_field_they_know() {
    use cvm_proto::api::cvm::{DescribeInstancesResponse, Instance};
    let e = serde_json::from_str::<DescribeInstancesResponse>(
        r#"{"InstanceSet":[{"InstanceId":"a","CPU":1,"InstanceId":"b"}]}"#,
    )
    .expect_err("a repeated field");
    assert!(
        e.to_string().contains("duplicate field `InstanceId`"),
        "{e}"
    );
    let e = serde_json::from_str::<DescribeInstancesResponse>(r#"{"InstanceSet":[["ins-1"]]}"#)
        .expect_err("a list is not an instance");
    assert!(e.to_string().contains("expected struct Instance"), "{e}");
    // Every field of a reply written by the emulator's serializer is read back: a field the
    // reader did not know would come back empty.
    let instance: Instance = serde_json::from_str(
        r#"{
        "Placement": {"Zone": "ap-guangzhou-2", "ProjectId": 3, "HostIds": ["h-1"]},
        "InstanceId": "ins-1", "InstanceType": "S5.SMALL1", "CPU": 1, "Memory": 2,
        "RestrictState": "NORMAL", "InstanceName": "n", "InstanceChargeType": "POSTPAID_BY_HOUR",
        "SystemDisk": {"DiskType": "CLOUD_SSD", "DiskSize": 50},
        "DataDisks": [{"DiskSize": 100, "DeleteWithInstance": true}],
        "PrivateIpAddresses": ["10.0.0.1"], "PublicIpAddresses": ["1.2.3.4"],
        "InternetAccessible": {"InternetMaxBandwidthOut": 5},
        "VirtualPrivateCloud": {"VpcId": "vpc-1", "SubnetId": "subnet-1"},
        "ImageId": "img-1", "RenewFlag": "NOTIFY_AND_MANUAL_RENEW",
        "CreatedTime": "2020-01-01T00:00:00Z", "ExpiredTime": "2021-01-01T00:00:00Z",
        "OsName": "TencentOS", "SecurityGroupIds": ["sg-1"],
        "LoginSettings": {"KeyIds": ["skey-1"]}, "InstanceState": "RUNNING",
        "Tags": [{"Key": "k", "Value": "v"}], "StopChargingMode": "NOT_APPLICABLE",
        "Uuid": "u", "LatestOperation": "StartInstances", "LatestOperationState": "SUCCESS",
        "LatestOperationRequestId": "r", "DisasterRecoverGroupId": "d", "IPv6Addresses": ["::1"],
        "CamRoleName": "c", "HpcClusterId": "h", "RdmaIpAddresses": ["10.0.0.2"],
        "DedicatedClusterId": "dc", "IsolatedSource": "NOTIFY_AND_AUTO_RENEW",
        "GPUInfo": {"GPUCount": 1.0, "GPUType": "t"}, "LicenseType": "TencentCloud",
        "DisableApiTermination": false, "DefaultLoginUser": "root", "DefaultLoginPort": 22,
        "LatestOperationErrorMsg": "", "Metadata": {"Items": [{"Key": "a", "Value": "b"}]},
        "PublicIPv6Addresses": ["::2"], "EnableJumboFrame": true,
        "CpuTopology": {"CoreCount": 2, "ThreadPerCore": 1}, "PartitionNumber": 0,
        "DisasterRecoverGroupIds": ["d"], "HostName": "host"
    }"#,
    )
    .expect("parses");
    let written = serde_json::to_value(&instance).expect("serializes");
    let back: Instance = serde_json::from_value(written.clone()).expect("reads back");
    assert_eq!(back, instance);
    let keys = written.as_object().expect("an object").len();
    assert_eq!(keys, 48, "every field of Instance was read: {written}");
}

#[test]
fn passwords_are_not_in_debug_output() {
    use cvm_proto::api::cvm::{LoginSettings, ResetInstancesPasswordRequest};
    let login = LoginSettings::default().with_password("Secret@123");
    let shown = format!("{login:?}");
    assert!(!shown.contains("Secret@123"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let reset = ResetInstancesPasswordRequest::default()
        .with_instance_ids(["ins-1"])
        .with_password("Secret@123");
    let shown = format!("{reset:?}");
    assert!(!shown.contains("Secret@123"), "{shown}");
    assert!(shown.contains("ins-1"), "{shown}");
}

#[test]
fn constructors_take_the_required_fields() {
    use cvm_proto::api::cvm::{Filter, Placement, RunInstancesRequest, StartInstancesRequest};
    let params =
        cvm_proto::flatten::to_params(&StartInstancesRequest::new(["ins-1", "ins-2"])).unwrap();
    let pairs: Vec<(&str, &str)> = params.iter().collect();
    assert_eq!(
        pairs,
        [("InstanceIds.0", "ins-1"), ("InstanceIds.1", "ins-2")]
    );
    let run = RunInstancesRequest::new()
        .with_placement(Placement::new("ap-guangzhou-2").with_project_id(0))
        .with_instance_count(1);
    let params = cvm_proto::flatten::to_params(&run).unwrap();
    assert_eq!(params.get("Placement.Zone"), Some("ap-guangzhou-2"));
    assert_eq!(params.get("Placement.ProjectId"), Some("0"));
    let filter = Filter::new("zone", vec!["a".to_owned()]);
    assert_eq!(filter.values, ["a"]);
}

#[test]
fn requests_with_a_token_or_a_dry_run_are_safe_to_resend() {
    use cvm_proto::api::cvm::{
        RunInstancesRequest, StartInstancesRequest, TerminateInstancesRequest,
    };
    use cvm_proto::Action;
    assert!(!RunInstancesRequest::new().is_idempotent());
    assert!(RunInstancesRequest::new()
        .with_client_token("t")
        .is_idempotent());
    assert!(RunInstancesRequest::new()
        .with_dry_run(true)
        .is_idempotent());
    assert!(!RunInstancesRequest::new()
        .with_dry_run(false)
        .is_idempotent());
    assert!(!StartInstancesRequest::new(["i"]).is_idempotent());
    assert!(TerminateInstancesRequest::new(["i"]).is_idempotent());
}
