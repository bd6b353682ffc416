//! The instance life cycle over virtual time, RunInstances rules, idempotency, quota, pagination and the Describe actions.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{run_params, Client};
use cvm_proto::Endpoint;
use cvm_sim::Transitions;
use serde_json::{json, Value};

fn timed() -> Client {
    Client::new(common::config().with_transitions(Transitions {
        launch: Duration::from_secs(2),
        stop: Duration::from_secs(1),
        start: Duration::from_secs(1),
        reboot: Duration::from_secs(1),
        terminate: Duration::from_secs(1),
        create_image: Duration::from_secs(3),
    }))
}

#[test]
fn state_machine_over_virtual_time() {
    let mut c = timed();
    let ids = c.run(1);
    let id = ids[0].as_str();
    assert_eq!(c.state(id), "PENDING");
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStatePending"
    );
    c.advance(Duration::from_millis(1999));
    assert_eq!(c.state(id), "PENDING");
    c.advance(Duration::from_millis(1));
    assert_eq!(c.state(id), "RUNNING");
    assert_eq!(
        c.err("StartInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateRunning"
    );

    c.ok(
        "StopInstances",
        json!({"InstanceIds": [id], "StopType": "SOFT"}),
    );
    assert_eq!(c.state(id), "STOPPING");
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateStopping"
    );
    c.advance(Duration::from_secs(1));
    assert_eq!(c.state(id), "STOPPED");
    assert_eq!(
        c.err("RebootInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateStopped"
    );
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateStopped"
    );

    c.ok("StartInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.state(id), "STARTING");
    c.advance(Duration::from_secs(1));
    assert_eq!(c.state(id), "RUNNING");

    c.ok("RebootInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.state(id), "REBOOTING");
    assert_eq!(
        c.err("TerminateInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateRebooting"
    );
    c.advance(Duration::from_secs(1));
    assert_eq!(c.state(id), "RUNNING");
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(d["InstanceSet"][0]["LatestOperation"], "RebootInstances");
    assert_eq!(d["InstanceSet"][0]["LatestOperationState"], "SUCCESS");

    c.ok("TerminateInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.state(id), "TERMINATING");
    assert_eq!(
        c.err("TerminateInstances", json!({"InstanceIds": [id]})),
        "UnsupportedOperation.InstanceStateTerminating"
    );
    c.advance(Duration::from_secs(1));
    assert_eq!(c.state(id), "GONE");
    assert_eq!(
        c.err("TerminateInstances", json!({"InstanceIds": [id]})),
        "InvalidInstanceId.NotFound"
    );
    let counters = c.sim.counters();
    assert_eq!(
        (counters.instances_created, counters.instances_terminated),
        (1, 1)
    );
}

#[test]
fn stopped_instances_terminate_too_and_stop_charging_is_reported() {
    let mut c = Client::default();
    let id = c.run(1).remove(0);
    c.ok(
        "StopInstances",
        json!({"InstanceIds": [id], "StoppedMode": "STOP_CHARGING"}),
    );
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(d["InstanceSet"][0]["InstanceState"], "STOPPED");
    assert_eq!(d["InstanceSet"][0]["StopChargingMode"], "STOP_CHARGING");
    assert_eq!(
        c.err(
            "StopInstances",
            json!({"InstanceIds": [id], "StopType": "GENTLE"})
        ),
        "InvalidParameterValue"
    );
    c.ok("TerminateInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.state(&id), "GONE");
}

#[test]
fn prepaid_instances_go_to_the_recycle_bin_first() {
    let mut c = Client::default();
    let mut p = run_params(1);
    p["InstanceChargeType"] = json!("PREPAID");
    assert_eq!(c.err("RunInstances", p.clone()), "MissingParameter");
    p["InstanceChargePrepaid"] = json!({"Period": 13});
    assert_eq!(c.err("RunInstances", p.clone()), "InvalidPeriod");
    p["InstanceChargePrepaid"] = json!({"Period": 1, "RenewFlag": "NOTIFY_AND_AUTO_RENEW"});
    let prepaid = c.ok("RunInstances", p)["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let postpaid = c.run(1).remove(0);
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [prepaid]}));
    assert_eq!(d["InstanceSet"][0]["CreatedTime"], "2024-01-28T00:00:00Z");
    assert_eq!(d["InstanceSet"][0]["ExpiredTime"], "2024-02-28T00:00:00Z");
    assert_eq!(d["InstanceSet"][0]["RenewFlag"], "NOTIFY_AND_AUTO_RENEW");
    assert_eq!(
        c.err(
            "TerminateInstances",
            json!({"InstanceIds": [prepaid, postpaid]})
        ),
        "UnsupportedOperation.InstanceMixedPricingModel"
    );
    assert_eq!(
        c.err(
            "StopInstances",
            json!({"InstanceIds": [prepaid], "StoppedMode": "STOP_CHARGING"})
        ),
        "UnsupportedOperation.StoppedModeStopCharging"
    );
    c.ok("TerminateInstances", json!({"InstanceIds": [prepaid]}));
    assert_eq!(c.state(&prepaid), "SHUTDOWN");
    assert_eq!(
        c.err("StartInstances", json!({"InstanceIds": [prepaid]})),
        "UnsupportedOperation.InstanceStateShutdown"
    );
    c.ok("TerminateInstances", json!({"InstanceIds": [prepaid]}));
    assert_eq!(c.state(&prepaid), "GONE");
}

#[test]
fn launch_reports_the_requested_configuration() {
    let mut c = Client::default();
    let r = c.ok(
        "RunInstances",
        json!({
            "Placement": {"Zone": "ap-guangzhou-2", "ProjectId": 0},
            "InstanceType": "S2.MEDIUM4",
            "ImageId": "img-pmqg1cw7",
            "SystemDisk": {"DiskType": "CLOUD_PREMIUM", "DiskSize": 60},
            "DataDisks": [{"DiskSize": 100, "DiskType": "CLOUD_SSD"}],
            "InternetAccessible": {"InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR", "InternetMaxBandwidthOut": 10},
            "InstanceName": "web",
            "LoginSettings": {"Password": "Qcloud@TestApi123++"},
            "SecurityGroupIds": ["sg-abcd1234"],
            "VirtualPrivateCloud": {"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234"},
            "TagSpecification": [{"ResourceType": "instance", "Tags": [{"Key": "env", "Value": "test"}]}],
            "HostName": "web-host",
            "InstanceCount": 2,
        }),
    );
    let ids = r["InstanceIdSet"].as_array().unwrap();
    assert_eq!(ids.len(), 2);
    for id in ids {
        let id = id.as_str().unwrap();
        assert!(
            id.starts_with("ins-")
                && id.len() == 12
                && id[4..]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
            "{id}"
        );
    }
    let d = c.ok("DescribeInstances", json!({"InstanceIds": ids}));
    assert_eq!(d["TotalCount"], 2);
    let inst = &d["InstanceSet"][0];
    assert_eq!(inst["InstanceName"], "web-1");
    assert_eq!(d["InstanceSet"][1]["InstanceName"], "web-2");
    assert_eq!(inst["CPU"], 2);
    assert_eq!(inst["Memory"], 4);
    assert_eq!(inst["Placement"]["Zone"], "ap-guangzhou-2");
    assert_eq!(inst["SystemDisk"]["DiskSize"], 60);
    assert!(inst["SystemDisk"]["DiskId"]
        .as_str()
        .unwrap()
        .starts_with("disk-"));
    assert_eq!(inst["DataDisks"][0]["DiskType"], "CLOUD_SSD");
    assert_eq!(inst["ImageId"], "img-pmqg1cw7");
    assert_eq!(inst["OsName"], "CentOS 7.6 64位");
    assert_eq!(inst["InstanceChargeType"], "POSTPAID_BY_HOUR");
    assert!(inst["PrivateIpAddresses"][0]
        .as_str()
        .unwrap()
        .starts_with("10."));
    assert_eq!(inst["PublicIpAddresses"].as_array().unwrap().len(), 1);
    assert_eq!(inst["InternetAccessible"]["InternetMaxBandwidthOut"], 10);
    assert_eq!(inst["VirtualPrivateCloud"]["VpcId"], "vpc-abcd1234");
    assert_eq!(inst["Tags"][0]["Key"], "env");
    assert_eq!(inst["HostName"], "web-host");
    assert_eq!(inst["CreatedTime"], "2024-01-28T00:00:00Z");
    assert_eq!(inst["InstanceState"], "RUNNING");
    assert_eq!(inst["Uuid"].as_str().unwrap().len(), 36);
    assert!(inst["RenewFlag"].is_null() && inst["ExpiredTime"].is_null());
    assert!(
        !String::from_utf8_lossy(&c.call("DescribeInstances", json!({})).body)
            .contains("TestApi123")
    );
    // The reply parses into the typed model.
    let typed: cvm_proto::models::DescribeInstancesResponse = serde_json::from_value(d).unwrap();
    assert_eq!(
        typed.instance_set[1].instance_name.as_deref(),
        Some("web-2")
    );

    // No bandwidth: no public address; bandwidth with PublicIpAssigned=false: none either.
    let mut p = run_params(1);
    p["InternetAccessible"] = json!({"InternetMaxBandwidthOut": 5, "PublicIpAssigned": false});
    let id = c.ok("RunInstances", p)["InstanceIdSet"][0].clone();
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(d["InstanceSet"][0]["PublicIpAddresses"], json!([]));
}

#[test]
fn run_instances_validation() {
    let mut c = Client::default();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut p = run_params(1);
        f(&mut p);
        p
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|p| p["InstanceType"] = json!("S9.HUGE")),
            "InvalidParameterValue.InstanceTypeNotFound",
        ),
        (
            with(&|p| p["InstanceType"] = json!("bad type")),
            "InvalidInstanceType.Malformed",
        ),
        (
            with(&|p| p["InstanceType"] = json!("S5.MEDIUM4")),
            "ResourceUnavailable.InstanceType",
        ),
        (
            with(&|p| p["ImageId"] = json!("img-zzzzzzzz")),
            "InvalidImageId.NotFound",
        ),
        (
            with(&|p| p["ImageId"] = json!("image-1")),
            "InvalidImageId.Malformed",
        ),
        (
            with(&|p| p["ImageId"] = json!("img-hg0bvjyl")),
            "InvalidParameterValue.InvalidImageForGivenInstanceType",
        ),
        (
            with(&|p| {
                p.as_object_mut().unwrap().remove("ImageId");
            }),
            "MissingParameter",
        ),
        (
            with(&|p| {
                p.as_object_mut().unwrap().remove("Placement");
            }),
            "MissingParameter",
        ),
        (
            with(&|p| p["Placement"] = json!({"Zone": "ap-guangzhou-99"})),
            "InvalidZone.MismatchRegion",
        ),
        (
            with(&|p| p["InstanceChargeType"] = json!("FREE")),
            "InvalidParameterValue",
        ),
        (
            with(&|p| p["InstanceChargeType"] = json!("CDHPAID")),
            "UnsupportedOperation.InstanceChargeType",
        ),
        (
            with(&|p| p["SystemDisk"] = json!({"DiskType": "FLOPPY"})),
            "InvalidParameterValue",
        ),
        (
            with(&|p| p["SystemDisk"] = json!({"DiskSize": 10})),
            "InvalidParameterValue.Range",
        ),
        (
            with(&|p| p["DataDisks"] = json!([{"DiskSize": 15}])),
            "InvalidParameterValue.Range",
        ),
        (
            with(&|p| p["DataDisks"] = json!([{"DiskSize": 50, "DiskType": "CLOUD_SSD"}])),
            "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
        ),
        (
            with(&|p| p["DataDisks"] = json!([{"DiskSize": 50}, {"DiskSize": 50}])),
            "InvalidParameterValue.LimitExceeded",
        ),
        (
            with(&|p| p["InternetAccessible"] = json!({"PublicIpAssigned": true})),
            "InvalidParameterCombination",
        ),
        (
            with(&|p| p["InternetAccessible"] = json!({"InternetChargeType": "FREE"})),
            "InvalidParameterValue",
        ),
        (
            with(&|p| p["InternetAccessible"] = json!({"InternetMaxBandwidthOut": 5000})),
            "InvalidParameterValue.Range",
        ),
        (
            with(&|p| p["LoginSettings"] = json!({"Password": "short1"})),
            "InvalidPassword",
        ),
        (
            with(&|p| p["LoginSettings"] = json!({"Password": "onlylowercase"})),
            "InvalidPassword",
        ),
        (
            with(&|p| {
                p["LoginSettings"] = json!({"Password": "Abcdefgh1", "KeyIds": ["skey-abcd1234"]})
            }),
            "InvalidParameter.ParameterConflict",
        ),
        (
            with(&|p| p["LoginSettings"] = json!({"KeyIds": ["key-1"]})),
            "InvalidKeyPairId.Malformed",
        ),
        (
            with(&|p| {
                p["ImageId"] = json!("img-9id7emv7");
                p["LoginSettings"] = json!({"Password": "Abcdefgh1"});
            }),
            "InvalidPassword",
        ),
        (
            with(&|p| {
                p["ImageId"] = json!("img-9id7emv7");
                p["LoginSettings"] = json!({"KeyIds": ["skey-abcd1234"]});
            }),
            "UnsupportedOperation.KeyPairUnsupportedWindows",
        ),
        (
            with(&|p| p["InstanceCount"] = json!(0)),
            "InvalidParameterValue.Range",
        ),
        (
            with(&|p| p["InstanceCount"] = json!(501)),
            "InvalidParameterValue.Range",
        ),
        (
            with(&|p| p["ClientToken"] = json!("x".repeat(65))),
            "InvalidClientToken.TooLong",
        ),
        (
            with(&|p| p["InstanceName"] = json!("n".repeat(129))),
            "InvalidInstanceName.TooLong",
        ),
        (
            with(&|p| p["SecurityGroupIds"] = json!(["sg-1"])),
            "InvalidSgId.Malformed",
        ),
        (
            with(&|p| {
                p["VirtualPrivateCloud"] = json!({"VpcId": "vpc-1", "SubnetId": "subnet-abcd1234"})
            }),
            "InvalidParameterValue.VpcIdMalformed",
        ),
        (
            with(
                &|p| p["VirtualPrivateCloud"] = json!({"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234", "PrivateIpAddresses": ["10.0.0.300"]}),
            ),
            "InvalidParameterValue.IPAddressMalformed",
        ),
        (
            with(
                &|p| p["VirtualPrivateCloud"] = json!({"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234", "PrivateIpAddresses": ["10.0.0.3", "10.0.0.4"]}),
            ),
            "InvalidParameterCombination",
        ),
        (
            with(&|p| p["UserData"] = json!("not base64!")),
            "InvalidParameterValue.InvalidUserDataFormat",
        ),
        (
            with(&|p| p["HostName"] = json!("-bad")),
            "InvalidParameterValue.IllegalHostName",
        ),
        (
            with(&|p| p["LaunchTemplate"] = json!({"LaunchTemplateId": "lt-abcd1234"})),
            "InvalidParameterValue.LaunchTemplateNotFound",
        ),
        (with(&|p| p["Unknown"] = json!(1)), "UnknownParameter"),
        (
            with(&|p| p["Placement"] = json!({"Zone": "ap-guangzhou-2", "Zonee": "x"})),
            "UnknownParameter",
        ),
    ];
    for (params, code) in cases {
        let got = c.err("RunInstances", params.clone());
        assert_eq!(got, code, "{params}");
    }
    assert_eq!(c.sim.instances().count(), 0);
    assert_eq!(c.sim.counters().instances_created, 0);

    // Fixed private addresses are used, and then taken.
    let vpc = json!({"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234", "PrivateIpAddresses": ["10.1.2.3"]});
    let p = with(&|p| p["VirtualPrivateCloud"] = vpc.clone());
    let id = c.ok("RunInstances", p.clone())["InstanceIdSet"][0].clone();
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(
        d["InstanceSet"][0]["PrivateIpAddresses"],
        json!(["10.1.2.3"])
    );
    assert_eq!(c.err("RunInstances", p), "VpcIpIsUsed");
}

#[test]
fn dry_run_creates_nothing() {
    let mut c = Client::default();
    let mut p = run_params(3);
    p["DryRun"] = json!(true);
    assert_eq!(c.err("RunInstances", p.clone()), "DryRunOperation");
    p["ImageId"] = json!("img-zzzzzzzz");
    assert_eq!(c.err("RunInstances", p), "InvalidImageId.NotFound");
    assert_eq!(c.sim.instances().count(), 0);
    let d = c.ok("DescribeInstances", json!({}));
    assert_eq!(d["TotalCount"], 0);
}

#[test]
fn client_token_makes_run_instances_idempotent() {
    let mut c = Client::default();
    let mut p = run_params(2);
    p["ClientToken"] = json!("token-1");
    let first = c.ok("RunInstances", p.clone())["InstanceIdSet"].clone();
    let again = c.ok("RunInstances", p.clone())["InstanceIdSet"].clone();
    assert_eq!(first, again);
    assert_eq!(c.sim.instances().count(), 2);
    // Even with different parameters, and after the instances are gone.
    p["InstanceCount"] = json!(5);
    assert_eq!(c.ok("RunInstances", p.clone())["InstanceIdSet"], first);
    c.ok("TerminateInstances", json!({"InstanceIds": first}));
    assert_eq!(c.ok("RunInstances", p.clone())["InstanceIdSet"], first);
    assert_eq!(c.sim.counters().instances_created, 2);
    // Another token creates; another account's same token is independent.
    p["ClientToken"] = json!("token-2");
    p["InstanceCount"] = json!(1);
    assert_ne!(c.ok("RunInstances", p.clone())["InstanceIdSet"], first);
    c.sim
        .add_account(cvm_sim::AccountConfig::new("AKIDother", "otherkey"))
        .unwrap();
    c.creds = cvm_proto::Credentials::new("AKIDother", "otherkey").unwrap();
    p["ClientToken"] = json!("token-1");
    let other = c.ok("RunInstances", p)["InstanceIdSet"].clone();
    assert_ne!(other, first);
    // The other account does not see the first account's instances.
    assert_eq!(c.ok("DescribeInstances", json!({}))["TotalCount"], 1);
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": [first[0]]})),
        "InvalidInstanceId.NotFound"
    );
}

#[test]
fn quota_per_account_and_region() {
    let mut c = Client::new(common::config().with_max_instances(5));
    c.run(3);
    assert_eq!(
        c.err("RunInstances", run_params(3)),
        "InstancesQuotaLimitExceeded"
    );
    let mut p = run_params(3);
    p["DryRun"] = json!(true);
    assert_eq!(c.err("RunInstances", p), "InstancesQuotaLimitExceeded");
    let two = c.run(2);
    assert_eq!(
        c.err("RunInstances", run_params(1)),
        "InstancesQuotaLimitExceeded"
    );
    // Another region has its own quota.
    c.region = "ap-shanghai";
    let mut p = run_params(1);
    p["Placement"] = json!({"Zone": "ap-shanghai-2"});
    c.ok("RunInstances", p);
    c.region = "ap-guangzhou";
    // Terminated instances free the quota once gone.
    c.ok("TerminateInstances", json!({"InstanceIds": two}));
    c.run(2);
    assert_eq!(c.sim.counters().instances_created, 8);
}

#[test]
fn pagination_is_stable_in_creation_order() {
    let mut c = Client::default();
    let mut all = Vec::new();
    for _ in 0..5 {
        all.extend(c.run(10));
    }
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = c.ok("DescribeInstances", json!({"Offset": offset, "Limit": 7}));
        assert_eq!(page["TotalCount"], 50);
        let set = page["InstanceSet"].as_array().unwrap();
        seen.extend(
            set.iter()
                .map(|i| i["InstanceId"].as_str().unwrap().to_owned()),
        );
        offset += 7;
        if offset >= 50 {
            assert_eq!(set.len(), 1);
            break;
        }
        assert_eq!(set.len(), 7);
    }
    assert_eq!(seen, all);
    let default_page = c.ok("DescribeInstances", json!({}));
    assert_eq!(default_page["InstanceSet"].as_array().unwrap().len(), 20);
    let beyond = c.ok("DescribeInstances", json!({"Offset": 60}));
    assert_eq!(beyond["InstanceSet"], json!([]));
    assert_eq!(beyond["TotalCount"], 50);
    let max = c.ok("DescribeInstances", json!({"Limit": 100}));
    assert_eq!(max["InstanceSet"].as_array().unwrap().len(), 50);
    let status = c.ok(
        "DescribeInstancesStatus",
        json!({"Offset": 45, "Limit": 10}),
    );
    assert_eq!(status["TotalCount"], 50);
    let ids: Vec<&str> = status["InstanceStatusSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["InstanceId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        all[45..].iter().map(String::as_str).collect::<Vec<_>>()
    );
    // Ids keep their own order of creation, not the order asked.
    let pick = json!({"InstanceIds": [all[3], all[1], all[1]]});
    let d = c.ok("DescribeInstances", pick);
    assert_eq!(d["TotalCount"], 2);
    assert_eq!(d["InstanceSet"][0]["InstanceId"], all[1].as_str());
}

#[test]
fn describe_instances_filters() {
    let mut c = Client::default();
    let a = c.run(2);
    let mut p = run_params(1);
    p["Placement"] = json!({"Zone": "ap-guangzhou-3"});
    p["InstanceType"] = json!("S5.MEDIUM4");
    p["InstanceName"] = json!("special");
    p["InternetAccessible"] = json!({"InternetMaxBandwidthOut": 1});
    p["TagSpecification"] =
        json!([{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "blue"}]}]);
    let b = c.ok("RunInstances", p)["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    c.ok("StopInstances", json!({"InstanceIds": [a[0]]}));
    let count = |c: &mut Client, filters: Value| {
        c.ok("DescribeInstances", json!({"Filters": filters}))["TotalCount"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "zone", "Values": ["ap-guangzhou-2"]}])
        ),
        2
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "zone", "Values": ["ap-guangzhou-2", "ap-guangzhou-3"]}])
        ),
        3
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "instance-state", "Values": ["STOPPED"]}])
        ),
        1
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "instance-state", "Values": ["RUNNING"]}, {"Name": "zone", "Values": ["ap-guangzhou-2"]}])
        ),
        1
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "instance-name", "Values": ["special"]}])
        ),
        1
    );
    assert_eq!(
        count(&mut c, json!([{"Name": "instance-id", "Values": [b]}])),
        1
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "instance-charge-type", "Values": ["POSTPAID_BY_HOUR"]}])
        ),
        3
    );
    assert_eq!(
        count(&mut c, json!([{"Name": "tag-key", "Values": ["team"]}])),
        1
    );
    assert_eq!(
        count(&mut c, json!([{"Name": "tag:team", "Values": ["blue"]}])),
        1
    );
    assert_eq!(
        count(&mut c, json!([{"Name": "tag:team", "Values": ["red"]}])),
        0
    );
    assert_eq!(
        count(&mut c, json!([{"Name": "project-id", "Values": ["0"]}])),
        3
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "creation-start-time", "Values": ["2024-01-28 00:00:00"]}])
        ),
        3
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "creation-end-time", "Values": ["2024-01-27 23:59:59"]}])
        ),
        0
    );
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [b]}));
    let private = d["InstanceSet"][0]["PrivateIpAddresses"][0].clone();
    let public = d["InstanceSet"][0]["PublicIpAddresses"][0].clone();
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "private-ip-address", "Values": [private]}])
        ),
        1
    );
    assert_eq!(
        count(
            &mut c,
            json!([{"Name": "public-ip-address", "Values": [public]}])
        ),
        1
    );
    assert_eq!(
        c.err(
            "DescribeInstances",
            json!({"Filters": [{"Name": "colour", "Values": ["x"]}]})
        ),
        "InvalidFilter"
    );
    assert_eq!(
        c.err(
            "DescribeInstances",
            json!({"Filters": [{"Name": "zone", "Values": ["a", "b", "c", "d", "e", "f"]}]})
        ),
        "InvalidFilterValue.LimitExceeded"
    );
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({"Name": "zone", "Values": ["ap-guangzhou-2"]}))
        .collect();
    assert_eq!(
        c.err("DescribeInstances", json!({"Filters": eleven})),
        "InvalidParameterValue.LimitExceeded"
    );
    assert_eq!(
        c.err(
            "DescribeInstances",
            json!({"Filters": [{"Name": "creation-start-time", "Values": ["yesterday"]}]})
        ),
        "InvalidParameterValue.InvalidTimeFormat"
    );
    assert_eq!(
        c.err(
            "DescribeInstances",
            json!({"InstanceIds": [b], "Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"]}]})
        ),
        "InvalidParameterCombination"
    );
    assert_eq!(
        c.err("DescribeInstances", json!({"InstanceIds": ["i-123"]})),
        "InvalidInstanceId.Malformed"
    );
    let many: Vec<String> = (0..101).map(|i| format!("ins-{i:08}")).collect();
    assert_eq!(
        c.err("DescribeInstances", json!({"InstanceIds": many})),
        "InvalidParameterValue.LimitExceeded"
    );
    assert_eq!(
        c.err("TerminateInstances", json!({"InstanceIds": ["ins-1"]})),
        "InvalidInstanceId.Malformed"
    );
    // Another region of the same account shows nothing.
    c.region = "ap-beijing";
    assert_eq!(c.ok("DescribeInstances", json!({}))["TotalCount"], 0);
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": [b]})),
        "InvalidInstanceId.NotFound"
    );
}

#[test]
fn a_state_error_for_one_instance_changes_none() {
    let mut c = Client::default();
    let ids = c.run(3);
    c.ok("StopInstances", json!({"InstanceIds": [ids[1]]}));
    assert_eq!(
        c.err("StopInstances", json!({"InstanceIds": ids})),
        "UnsupportedOperation.InstanceStateStopped"
    );
    assert_eq!(c.state(&ids[0]), "RUNNING");
    assert_eq!(
        c.err(
            "RebootInstances",
            json!({"InstanceIds": [ids[0], "ins-00000000"]})
        ),
        "InvalidInstanceId.NotFound"
    );
    assert_eq!(c.state(&ids[0]), "RUNNING");
}

#[test]
fn catalog_actions() {
    let mut c = Client::default();
    let zones = c.ok("DescribeZones", json!({}));
    assert_eq!(zones["TotalCount"], 5);
    assert_eq!(
        zones["ZoneSet"][0],
        json!({"Zone": "ap-guangzhou-2", "ZoneName": "Guangzhou Zone 2", "ZoneId": "100002", "ZoneState": "AVAILABLE"})
    );
    c.language = Some("zh-CN");
    let zones = c.ok("DescribeZones", json!({}));
    assert_eq!(zones["ZoneSet"][0]["ZoneName"], "广州二区");
    c.language = None;
    let regions = c.ok("DescribeRegions", json!({}));
    assert_eq!(regions["RegionSet"][0]["RegionName"], "华南地区(广州)");
    c.language = Some("en-US");
    let regions = c.ok("DescribeRegions", json!({}));
    assert!(regions["RegionSet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["Region"] == "ap-beijing"));

    let types = c.ok(
        "DescribeInstanceTypeConfigs",
        json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"]}]}),
    );
    let set = types["InstanceTypeConfigSet"].as_array().unwrap();
    let s1 = set
        .iter()
        .find(|t| t["InstanceType"] == "S1.SMALL1")
        .unwrap();
    assert_eq!(
        (
            s1["CPU"].as_i64(),
            s1["Memory"].as_i64(),
            s1["InstanceFamily"].as_str()
        ),
        (Some(1), Some(1), Some("S1"))
    );
    let s2 = set
        .iter()
        .find(|t| t["InstanceType"] == "S2.MEDIUM4")
        .unwrap();
    assert_eq!(
        (s2["CPU"].as_i64(), s2["Memory"].as_i64()),
        (Some(2), Some(4))
    );
    let all = c.ok("DescribeInstanceTypeConfigs", json!({}));
    let families: HashSet<&str> = all["InstanceTypeConfigSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["InstanceFamily"].as_str().unwrap())
        .collect();
    assert!(
        ["S1", "S2", "S5", "SA2", "M5"]
            .iter()
            .all(|f| families.contains(f)),
        "{families:?}"
    );
    let sa2 = c.ok("DescribeInstanceTypeConfigs", json!({"Filters": [{"Name": "instance-family", "Values": ["SA2"]}, {"Name": "instance-type", "Values": ["SA2.MEDIUM4"]}]}));
    assert!(sa2["InstanceTypeConfigSet"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["InstanceType"] == "SA2.MEDIUM4"));
    assert_eq!(sa2["InstanceTypeConfigSet"].as_array().unwrap().len(), 3);
    assert_eq!(
        c.err(
            "DescribeInstanceTypeConfigs",
            json!({"Filters": [{"Name": "zone", "Values": ["ap-shanghai-2"]}]})
        ),
        "InvalidZone.MismatchRegion"
    );
    assert_eq!(
        c.err(
            "DescribeInstanceTypeConfigs",
            json!({"Filters": [{"Name": "cpu", "Values": ["2"]}]})
        ),
        "InvalidFilter"
    );
    assert_eq!(
        c.err(
            "DescribeInstanceTypeConfigs",
            json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2", "ap-guangzhou-3"]}]})
        ),
        "InvalidFilterValue.LimitExceeded"
    );

    let images = c.ok("DescribeImages", json!({}));
    assert_eq!(images["TotalCount"], 10);
    let one = c.ok(
        "DescribeImages",
        json!({"ImageIds": ["img-pmqg1cw7", "img-zzzzzzzz"]}),
    );
    assert_eq!(one["TotalCount"], 1);
    assert_eq!(one["ImageSet"][0]["Platform"], "CentOS");
    let windows = c.ok(
        "DescribeImages",
        json!({"Filters": [{"Name": "platform", "Values": ["Windows"]}]}),
    );
    assert_eq!(windows["TotalCount"], 2);
    let private = c.ok(
        "DescribeImages",
        json!({"Filters": [{"Name": "image-type", "Values": ["PRIVATE_IMAGE"]}]}),
    );
    assert_eq!(private["TotalCount"], 1);
    let paged = c.ok("DescribeImages", json!({"Offset": 8, "Limit": 5}));
    assert_eq!(paged["ImageSet"].as_array().unwrap().len(), 2);
    let for_type = c.ok("DescribeImages", json!({"InstanceType": "S1.SMALL1"}));
    assert_eq!(for_type["TotalCount"], 9);
    assert_eq!(
        c.err("DescribeImages", json!({"ImageIds": ["img-pmqg1cw7"], "Filters": [{"Name": "platform", "Values": ["CentOS"]}]})),
        "InvalidParameter.InvalidParameterCoexistImageIdsFilters"
    );
    assert_eq!(
        c.err("DescribeImages", json!({"ImageIds": ["ami-1"]})),
        "InvalidImageId.Malformed"
    );
    assert_eq!(
        c.err(
            "DescribeImages",
            json!({"Filters": [{"Name": "os", "Values": ["x"]}]})
        ),
        "InvalidFilter"
    );
    let r = c.ok("DescribeRegions", json!({}));
    assert_eq!(r["RegionSet"][0]["RegionName"], "South China(Guangzhou)");
}

#[test]
fn the_legacy_gateway_runs_the_same_actions() {
    let mut c = Client::default();
    c.endpoint = Endpoint::legacy();
    let ids = c.run(1);
    assert_eq!(c.state(&ids[0]), "RUNNING");
    assert_eq!(
        c.err("StartInstances", json!({"InstanceIds": ids})),
        "UnsupportedOperation.InstanceStateRunning"
    );
    c.ok("TerminateInstances", json!({"InstanceIds": ids}));
}

#[test]
fn conservation_of_instances() {
    let mut c = timed();
    let mut all = HashSet::new();
    for round in 0..40u64 {
        let ids = c.run(1 + (round % 3) as i64);
        all.extend(ids.iter().cloned());
        c.advance(Duration::from_millis(700));
        let listed: Vec<(String, String)> = {
            let d = c.ok("DescribeInstances", json!({"Limit": 100}));
            d["InstanceSet"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["InstanceId"].as_str().unwrap().to_owned(),
                        i["InstanceState"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        };
        let running: Vec<&String> = listed
            .iter()
            .filter(|(_, s)| s == "RUNNING")
            .map(|(id, _)| id)
            .collect();
        if round % 2 == 0 && !running.is_empty() {
            c.ok(
                "TerminateInstances",
                json!({"InstanceIds": running[..running.len().min(2)]}),
            );
        }
        let counters = c.sim.counters().clone();
        let present = c.ok("DescribeInstances", json!({"Limit": 0}))["TotalCount"]
            .as_u64()
            .unwrap();
        assert_eq!(counters.instances_created, all.len() as u64);
        assert_eq!(
            counters.instances_created,
            present + counters.instances_terminated,
            "round {round}"
        );
    }
    assert!(c.sim.counters().instances_terminated > 10);
    assert_eq!(c.sim.counters().requests_by_action["RunInstances"], 40);
}
