//! Prices and instance changes: inquiries agree with what the prepaid actions charge, and the
//! changes follow the service's state rules.
#![allow(clippy::unwrap_used)]

mod common;

use common::Client;
use serde_json::{json, Value};

fn prepaid_params() -> Value {
    json!({
        "Placement": {"Zone": "ap-guangzhou-2"},
        "InstanceType": "S2.MEDIUM4",
        "ImageId": "img-pmqg1cw7",
        "InstanceCount": 2,
        "InstanceChargeType": "PREPAID",
        "InstanceChargePrepaid": {"Period": 3},
        "SystemDisk": {"DiskType": "CLOUD_SSD", "DiskSize": 60},
        "DataDisks": [{"DiskType": "CLOUD_PREMIUM", "DiskSize": 100}],
        "InternetAccessible": {"InternetChargeType": "BANDWIDTH_PREPAID", "InternetMaxBandwidthOut": 5, "PublicIpAssigned": true},
    })
}

fn total(price: &Value) -> f64 {
    let part = |p: &Value| p["DiscountPrice"].as_f64().unwrap_or(0.0);
    part(&price["InstancePrice"]) + part(&price["BandwidthPrice"])
}

#[test]
fn a_prepaid_launch_is_charged_what_its_inquiry_quotes() {
    let mut c = Client::default();
    let quoted = c.ok("InquiryPriceRunInstances", prepaid_params())["Price"].clone();
    let q = total(&quoted);
    assert!(q > 0.0, "{quoted}");
    // 2 × 3 months × (S2.MEDIUM4 + 60 GB SSD + 100 GB premium) and 2 × 3 × 5 Mbps.
    let instance = quoted["InstancePrice"]["OriginalPrice"].as_f64().unwrap();
    let monthly =
        2.0 * 3.0 * (((0.05 * 2.0 + 0.025 * 4.0) * 720.0 * 0.7) + 60.0 * 1.0 + 100.0 * 0.35);
    assert!((instance - monthly).abs() < 0.02, "{instance} vs {monthly}");
    assert_eq!(
        quoted["BandwidthPrice"]["OriginalPrice"],
        2.0 * 3.0 * 5.0 * 23.0
    );
    let ids = c.ok("RunInstances", prepaid_params())["InstanceIdSet"].clone();
    let orders = c.sim.orders();
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].action, "RunInstances");
    assert!(
        (orders[0].amount - q).abs() < 0.01,
        "{} vs {q}",
        orders[0].amount
    );
    assert_eq!(orders[0].instance_ids.len(), 2);

    // Renewing is charged its inquiry too, and moves the expiry.
    let one = ids[0].as_str().unwrap();
    c.state(one);
    let before = c.ok("DescribeInstances", json!({"InstanceIds": [one]}))["InstanceSet"][0]
        ["ExpiredTime"]
        .clone();
    let renew = json!({"InstanceIds": [one], "InstanceChargePrepaid": {"Period": 1}});
    let quoted = total(&c.ok("InquiryPriceRenewInstances", renew.clone())["Price"]);
    c.ok("RenewInstances", renew);
    assert!((c.sim.orders()[1].amount - quoted).abs() < 0.01);
    let after = c.ok("DescribeInstances", json!({"InstanceIds": [one]}))["InstanceSet"][0]
        ["ExpiredTime"]
        .clone();
    assert_ne!(before, after);
    assert_eq!(after, "2024-05-28T00:00:00Z");
    let refunds = c.ok(
        "InquiryPriceTerminateInstances",
        json!({"InstanceIds": [one]}),
    );
    assert!(
        refunds["InstanceRefundsSet"][0]["Refunds"]
            .as_f64()
            .unwrap()
            > 0.0
    );
}

#[test]
fn the_instance_type_changes_only_when_stopped() {
    let mut c = Client::default();
    let id = c.run(1).remove(0);
    assert_eq!(c.state(&id), "RUNNING");
    let change = json!({"InstanceIds": [id], "InstanceType": "S1.SMALL2"});
    assert_eq!(
        c.err("ResetInstancesType", change.clone()),
        "UnsupportedOperation.InstanceStateRunning"
    );
    let price = c.ok("InquiryPriceResetInstancesType", change.clone());
    assert_eq!(price["Price"]["InstancePrice"]["ChargeUnit"], "HOUR");
    c.ok("StopInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.state(&id), "STOPPED");
    c.ok("ResetInstancesType", change);
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [id]}))["InstanceSet"][0].clone();
    assert_eq!(inst["InstanceType"], "S1.SMALL2");
    assert_eq!(inst["Memory"], 2);
    assert_eq!(
        c.err(
            "ResetInstancesType",
            json!({"InstanceIds": [id], "InstanceType": "GN7.5XLARGE80"})
        ),
        "ResourceNotFound.InvalidZoneInstanceType"
    );
    let modifications = c.ok(
        "DescribeInstancesModification",
        json!({"InstanceIds": [id]}),
    );
    assert!(modifications["TotalCount"].as_i64().unwrap() > 0);
}

#[test]
fn disks_grow_bandwidth_changes_and_instances_are_reinstalled() {
    let mut c = Client::default();
    let id = c.run(1).remove(0);
    c.state(&id);
    assert_eq!(
        c.err(
            "ResizeInstanceDisks",
            json!({"InstanceId": id, "SystemDisk": {"DiskSize": 100}})
        ),
        "UnsupportedOperation.InstanceStateRunning"
    );
    c.ok(
        "ResizeInstanceDisks",
        json!({"InstanceId": id, "SystemDisk": {"DiskSize": 100}, "ResizeOnline": true}),
    );
    assert_eq!(
        c.err(
            "ResizeInstanceDisks",
            json!({"InstanceId": id, "SystemDisk": {"DiskSize": 80}, "ResizeOnline": true})
        ),
        "InvalidParameterValue.Range"
    );
    c.ok(
        "ResetInstancesInternetMaxBandwidth",
        json!({"InstanceIds": [id], "InternetAccessible": {"InternetMaxBandwidthOut": 20}}),
    );
    c.ok(
        "ResetInstance",
        json!({"InstanceId": id, "ImageId": "img-487zeit5"}),
    );
    assert_eq!(c.state(&id), "RUNNING");
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [id]}))["InstanceSet"][0].clone();
    assert_eq!(inst["SystemDisk"]["DiskSize"], 100);
    assert_eq!(inst["InternetAccessible"]["InternetMaxBandwidthOut"], 20);
    assert_eq!(inst["ImageId"], "img-487zeit5");
    assert_eq!(inst["LatestOperation"], "ResetInstance");
    assert_eq!(
        c.err(
            "RenewInstances",
            json!({"InstanceIds": [id], "InstanceChargePrepaid": {"Period": 1}})
        ),
        "UnsupportedOperation.InstanceChargeType"
    );
    c.ok(
        "ModifyInstancesChargeType",
        json!({"InstanceIds": [id], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
    );
    c.ok(
        "ModifyInstancesRenewFlag",
        json!({"InstanceIds": [id], "RenewFlag": "NOTIFY_AND_AUTO_RENEW"}),
    );
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [id]}))["InstanceSet"][0].clone();
    assert_eq!(inst["InstanceChargeType"], "PREPAID");
    assert_eq!(inst["RenewFlag"], "NOTIFY_AND_AUTO_RENEW");
    assert_eq!(
        c.sim.orders().last().unwrap().action,
        "ModifyInstancesChargeType"
    );
}

#[test]
fn settings_change_and_show() {
    let mut c = Client::default();
    let id = c.run(1).remove(0);
    c.state(&id);
    c.ok(
        "ModifyInstancesAttribute",
        json!({"InstanceIds": [id], "InstanceName": "renamed", "SecurityGroups": ["sg-aaaaaaaa"]}),
    );
    c.ok(
        "AssociateSecurityGroups",
        json!({"InstanceIds": [id], "SecurityGroupIds": ["sg-bbbbbbbb"]}),
    );
    c.ok(
        "ModifyInstancesProject",
        json!({"InstanceIds": [id], "ProjectId": 7}),
    );
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [id]}))["InstanceSet"][0].clone();
    assert_eq!(inst["InstanceName"], "renamed");
    assert_eq!(
        inst["SecurityGroupIds"],
        json!(["sg-aaaaaaaa", "sg-bbbbbbbb"])
    );
    assert_eq!(inst["Placement"]["ProjectId"], 7);
    assert_eq!(
        c.err(
            "DisassociateSecurityGroups",
            json!({"InstanceIds": [id], "SecurityGroupIds": ["sg-cccccccc"]})
        ),
        "InvalidSecurityGroupId.NotFound"
    );
    assert_eq!(
        c.err(
            "ModifyInstancesAttribute",
            json!({"InstanceIds": [id], "UserData": "aGVsbG8="})
        ),
        "UnsupportedOperation.InstanceStateRunning"
    );
    assert_eq!(
        c.err(
            "ResetInstancesPassword",
            json!({"InstanceIds": [id], "Password": "Passw0rd-ok"})
        ),
        "UnsupportedOperation.InstanceStateRunning"
    );
    c.ok(
        "ResetInstancesPassword",
        json!({"InstanceIds": [id], "Password": "Passw0rd-ok", "ForceStop": true}),
    );
    assert_eq!(c.state(&id), "STOPPED");
    assert_eq!(
        c.err("DescribeInstanceVncUrl", json!({"InstanceId": id})),
        "UnsupportedOperation.InstanceStateStopped"
    );
    c.ok(
        "ModifyInstancesAttribute",
        json!({"InstanceIds": [id], "UserData": "aGVsbG8="}),
    );
    let attrs = c.ok(
        "DescribeInstancesAttributes",
        json!({"InstanceIds": [id], "Attributes": ["UserData"]}),
    );
    assert_eq!(
        attrs["InstanceSet"][0]["Attributes"]["UserData"],
        "aGVsbG8="
    );
}
