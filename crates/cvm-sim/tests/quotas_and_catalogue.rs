//! Quotas and what is on sale: `DescribeAccountQuota` and `DescribeImageQuota` count the
//! caller's resources against the configured quotas that `RunInstances`, `CreateImage` and
//! `CreateDisasterRecoverGroup` enforce; the family, internet charge type and zone instance
//! configs come from the catalogue, the launch checks and the price table. Also the state rules
//! of termination protection and of `RunInstances`' key pairs.
#![allow(clippy::unwrap_used)]

mod common;

use common::{run_params, Client};
use cvm_sim::SimConfig;
use serde_json::{json, Value};

/// The zone entry of `set` (a list of per-zone quotas).
fn zone<'a>(set: &'a Value, zone: &str) -> &'a Value {
    set.as_array()
        .unwrap()
        .iter()
        .find(|q| q["Zone"] == zone)
        .unwrap_or_else(|| panic!("no {zone} in {set}"))
}

fn quota(c: &mut Client, filters: Value) -> Value {
    c.ok("DescribeAccountQuota", json!({"Filters": filters}))["AccountQuotaOverview"]
        ["AccountQuota"]
        .clone()
}

fn prepaid(count: i64) -> Value {
    let mut p = run_params(count);
    p["InstanceChargeType"] = json!("PREPAID");
    p["InstanceChargePrepaid"] = json!({"Period": 1});
    p
}

#[test]
fn account_quota_counts_instances_per_zone_and_charge_type() {
    let mut c = Client::default();
    let r = c.ok("DescribeAccountQuota", json!({}));
    assert_eq!(r["AccountQuotaOverview"]["Region"], "ap-guangzhou");
    let app_id = r["AppId"].as_u64().unwrap();
    assert!((1_000_000_000..10_000_000_000).contains(&app_id));
    let q = &r["AccountQuotaOverview"]["AccountQuota"];
    // One entry per zone of the region, for each charge type.
    assert_eq!(q["PostPaidQuotaSet"].as_array().unwrap().len(), 5);
    let gz2 = zone(&q["PostPaidQuotaSet"], "ap-guangzhou-2");
    assert_eq!(gz2["UsedQuota"], 0);
    assert_eq!(gz2["TotalQuota"], 500);
    // Bounded by the region's quota of 100 instances.
    assert_eq!(gz2["RemainingQuota"], 100);
    assert_eq!(
        zone(&q["PrePaidQuotaSet"], "ap-guangzhou-2")["TotalQuota"],
        200
    );
    assert_eq!(
        zone(&q["SpotPaidQuotaSet"], "ap-guangzhou-2")["TotalQuota"],
        100
    );

    c.run(2);
    c.ok("RunInstances", prepaid(1));
    let q = quota(&mut c, json!([]));
    let post = zone(&q["PostPaidQuotaSet"], "ap-guangzhou-2");
    assert_eq!(post["UsedQuota"], 2);
    assert_eq!(post["RemainingQuota"], 97);
    let pre = zone(&q["PrePaidQuotaSet"], "ap-guangzhou-2");
    assert_eq!(pre["UsedQuota"], 1);
    assert_eq!(pre["RemainingQuota"], 97);
    assert_eq!(pre["OnceQuota"], 97);
    assert_eq!(
        zone(&q["PostPaidQuotaSet"], "ap-guangzhou-3")["UsedQuota"],
        0
    );
    assert_eq!(
        zone(&q["SpotPaidQuotaSet"], "ap-guangzhou-2")["UsedQuota"],
        0
    );
    // The same AppId on every call; another account has another one, and none of these instances.
    assert_eq!(c.ok("DescribeAccountQuota", json!({}))["AppId"], app_id);
    c.sim
        .add_account(cvm_sim::AccountConfig::new("AKIDother", "otherkey"))
        .unwrap();
    c.creds = cvm_proto::Credentials::new("AKIDother", "otherkey").unwrap();
    let r = c.ok("DescribeAccountQuota", json!({}));
    assert_ne!(r["AppId"], app_id);
    let q = &r["AccountQuotaOverview"]["AccountQuota"];
    assert_eq!(
        zone(&q["PostPaidQuotaSet"], "ap-guangzhou-2")["UsedQuota"],
        0
    );
}

#[test]
fn account_quota_counts_images_and_placement_groups() {
    let mut c = Client::default();
    let q = quota(&mut c, json!([]));
    assert_eq!(
        q["ImageQuotaSet"],
        json!([{"UsedQuota": 0, "TotalQuota": 50}])
    );
    assert_eq!(q["DisasterRecoverGroupQuotaSet"][0]["GroupQuota"], 10);
    assert_eq!(q["DisasterRecoverGroupQuotaSet"][0]["CurrentNum"], 0);
    let ins = c.run(1);
    c.ok(
        "CreateImage",
        json!({"ImageName": "quota", "InstanceId": ins[0]}),
    );
    c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "g", "Type": "HOST"}),
    );
    let q = quota(&mut c, json!([]));
    assert_eq!(q["ImageQuotaSet"][0]["UsedQuota"], 1);
    let groups = &q["DisasterRecoverGroupQuotaSet"][0];
    assert_eq!(groups["CurrentNum"], 1);
    // The same numbers as DescribeDisasterRecoverGroupQuota.
    let direct = c.ok("DescribeDisasterRecoverGroupQuota", json!({}));
    for field in [
        "GroupQuota",
        "CurrentNum",
        "CvmInHostGroupQuota",
        "CvmInRackGroupQuota",
    ] {
        assert_eq!(groups[field], direct[field], "{field}");
    }
    // Another region holds none of them.
    c.region = "ap-shanghai";
    let q = quota(&mut c, json!([]));
    assert_eq!(q["ImageQuotaSet"][0]["UsedQuota"], 0);
    assert_eq!(q["DisasterRecoverGroupQuotaSet"][0]["CurrentNum"], 0);
    assert_eq!(q["PostPaidQuotaSet"].as_array().unwrap().len(), 4);
}

#[test]
fn account_quota_filters() {
    let mut c = Client::default();
    let zone_filter = json!([{"Name": "zone", "Values": ["ap-guangzhou-2", "ap-guangzhou-4"]}]);
    let q = quota(&mut c, zone_filter);
    let zones: Vec<&Value> = q["PostPaidQuotaSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| &z["Zone"])
        .collect();
    assert_eq!(zones, [&json!("ap-guangzhou-2"), &json!("ap-guangzhou-4")]);
    assert_eq!(q["SpotPaidQuotaSet"].as_array().unwrap().len(), 2);
    // Images and placement groups are not per zone.
    assert_eq!(q["ImageQuotaSet"].as_array().unwrap().len(), 1);

    let q = quota(
        &mut c,
        json!([{"Name": "quota-type", "Values": ["PrePaidQuotaSet", "ImageQuotaSet"]}]),
    );
    assert_eq!(q["PrePaidQuotaSet"].as_array().unwrap().len(), 5);
    assert_eq!(q["ImageQuotaSet"].as_array().unwrap().len(), 1);
    for empty in [
        "PostPaidQuotaSet",
        "SpotPaidQuotaSet",
        "DisasterRecoverGroupQuotaSet",
    ] {
        assert_eq!(q[empty], json!([]), "{empty}");
    }

    let bad = |name: &str, value: &str| json!({"Filters": [{"Name": name, "Values": [value]}]});
    assert_eq!(
        c.err("DescribeAccountQuota", bad("zone", "ap-shanghai-2")),
        "InvalidZone.MismatchRegion"
    );
    assert_eq!(
        c.err("DescribeAccountQuota", bad("quota-type", "CpuQuotaSet")),
        "InvalidParameterValue"
    );
    assert_eq!(
        c.err("DescribeAccountQuota", bad("instance-type", "S1.SMALL1")),
        "InvalidFilter"
    );
}

#[test]
fn zone_quotas_are_the_ones_run_instances_enforces() {
    let mut config = common::config();
    config.quotas.max_postpaid_instances_per_zone = 2;
    config.quotas.max_prepaid_instances_per_zone = 1;
    config.quotas.max_spot_instances_per_zone = 1;
    let mut c = Client::new(config);
    let gz2 = c.run(2);
    assert_eq!(
        c.err("RunInstances", run_params(1)),
        "LimitExceeded.InstanceQuota"
    );
    let q = quota(
        &mut c,
        json!([{"Name": "zone", "Values": ["ap-guangzhou-2"]}]),
    );
    assert_eq!(
        q["PostPaidQuotaSet"][0],
        json!({"Zone": "ap-guangzhou-2", "UsedQuota": 2, "RemainingQuota": 0, "TotalQuota": 2})
    );
    // Another zone and another charge type have their own quotas.
    let mut elsewhere = run_params(1);
    elsewhere["Placement"]["Zone"] = json!("ap-guangzhou-3");
    let gz3 = c.ok("RunInstances", elsewhere)["InstanceIdSet"][0].clone();
    assert_eq!(
        c.err("RunInstances", prepaid(2)),
        "LimitExceeded.PrepayQuota"
    );
    c.ok("RunInstances", prepaid(1));
    // Moving an instance to prepaid billing needs room in its zone's prepaid quota too.
    assert_eq!(
        c.err(
            "ModifyInstancesChargeType",
            json!({"InstanceIds": [gz2[0]], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
        ),
        "LimitExceeded.PrepayQuota"
    );
    c.ok(
        "ModifyInstancesChargeType",
        json!({"InstanceIds": [gz3], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
    );
    let mut spot = run_params(2);
    spot["InstanceChargeType"] = json!("SPOTPAID");
    assert_eq!(c.err("RunInstances", spot), "LimitExceeded.SpotQuota");
    // Terminated instances leave the quota once they are gone.
    let ids = c.ok(
        "DescribeInstances",
        json!({"Filters": [{"Name": "instance-charge-type", "Values": ["POSTPAID_BY_HOUR"]}, {"Name": "zone", "Values": ["ap-guangzhou-2"]}]}),
    )["InstanceSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceId"].clone())
        .collect::<Vec<_>>();
    assert_eq!(ids.len(), 2);
    c.ok("TerminateInstances", json!({"InstanceIds": [ids[0]]}));
    c.advance(std::time::Duration::from_secs(1));
    c.state(ids[0].as_str().unwrap());
    c.ok("RunInstances", run_params(1));
}

#[test]
fn image_quota_is_the_create_image_limit() {
    let mut config = common::config();
    config.quotas.max_images_per_region = 1;
    let mut c = Client::new(config);
    assert_eq!(c.ok("DescribeImageQuota", json!({}))["ImageNumQuota"], 1);
    let ins = c.run(1);
    c.ok(
        "CreateImage",
        json!({"ImageName": "a", "InstanceId": ins[0]}),
    );
    assert_eq!(
        c.err(
            "CreateImage",
            json!({"ImageName": "b", "InstanceId": ins[0]})
        ),
        "ImageQuotaLimitExceeded"
    );
    let q = quota(
        &mut c,
        json!([{"Name": "quota-type", "Values": ["ImageQuotaSet"]}]),
    );
    assert_eq!(
        q["ImageQuotaSet"],
        json!([{"UsedQuota": 1, "TotalQuota": 1}])
    );
}

#[test]
fn instance_families_come_from_the_catalogue() {
    let mut c = Client::default();
    let r = c.ok("DescribeInstanceFamilyConfigs", json!({}));
    let set = r["InstanceFamilyConfigSet"].as_array().unwrap();
    let families: Vec<&str> = set
        .iter()
        .map(|f| f["InstanceFamily"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["S1", "S2", "S5", "SA2", "M5", "GN7"]);
    assert_eq!(set[2]["InstanceFamilyName"], "Standard S5");
    assert_eq!(set[4]["InstanceFamilyName"], "Memory Optimized M5");
    // Only the families sold in the region's zones.
    c.region = "ap-hongkong";
    let r = c.ok("DescribeInstanceFamilyConfigs", json!({}));
    let families: Vec<&Value> = r["InstanceFamilyConfigSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["InstanceFamily"])
        .collect();
    assert_eq!(families, [&json!("S5"), &json!("SA2")]);
    // Named in the request's language.
    c.language = Some("zh-CN");
    let r = c.ok("DescribeInstanceFamilyConfigs", json!({}));
    assert_eq!(
        r["InstanceFamilyConfigSet"][0]["InstanceFamilyName"],
        "标准型S5"
    );
}

#[test]
fn internet_charge_types_are_the_ones_run_instances_accepts() {
    let mut c = Client::default();
    let r = c.ok("DescribeInternetChargeTypeConfigs", json!({}));
    let set = r["InternetChargeTypeConfigSet"].as_array().unwrap();
    assert_eq!(set.len(), 4);
    for t in set {
        assert!(!t["Description"].as_str().unwrap().is_empty());
        let mut p = run_params(1);
        p["InternetAccessible"] =
            json!({"InternetChargeType": t["InternetChargeType"], "InternetMaxBandwidthOut": 1});
        c.ok("RunInstances", p);
    }
    let mut p = run_params(1);
    p["InternetAccessible"] = json!({"InternetChargeType": "TRAFFIC_PREPAID"});
    assert_eq!(c.err("RunInstances", p), "InvalidParameterValue");
}

fn zone_configs(c: &mut Client, filters: Value) -> Vec<Value> {
    c.ok(
        "DescribeZoneInstanceConfigInfos",
        json!({"Filters": filters}),
    )["InstanceTypeQuotaSet"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn zone_instance_configs_cover_zones_types_and_charge_types() {
    let mut c = Client::default();
    let gz2 = zone_configs(
        &mut c,
        json!([{"Name": "zone", "Values": ["ap-guangzhou-2"]}]),
    );
    let sold_in_gz2 = SimConfig::default()
        .instance_types
        .iter()
        .filter(|t| t.zones.iter().any(|z| z == "ap-guangzhou-2"))
        .count();
    assert_eq!(gz2.len(), sold_in_gz2 * 3);
    let first = &gz2[0];
    assert_eq!(first["Zone"], "ap-guangzhou-2");
    assert_eq!(first["InstanceType"], "S1.SMALL1");
    assert_eq!(first["InstanceFamily"], "S1");
    assert_eq!(first["TypeName"], "Standard S1");
    assert_eq!(first["Cpu"], 1);
    assert_eq!(first["Memory"], 1);
    assert_eq!(first["Status"], "SELL");
    let charge_types: Vec<&Value> = gz2[..3].iter().map(|i| &i["InstanceChargeType"]).collect();
    assert_eq!(
        charge_types,
        [
            &json!("PREPAID"),
            &json!("POSTPAID_BY_HOUR"),
            &json!("SPOTPAID")
        ]
    );
    // The whole region: every zone's types.
    let all = zone_configs(&mut c, json!([]));
    let expected: usize = SimConfig::default()
        .instance_types
        .iter()
        .map(|t| {
            t.zones
                .iter()
                .filter(|z| z.starts_with("ap-guangzhou-"))
                .count()
        })
        .sum();
    assert_eq!(all.len(), expected * 3);
}

#[test]
fn zone_instance_config_filters_and_sort_keys() {
    let mut c = Client::default();
    let items = zone_configs(
        &mut c,
        json!([
            {"Name": "instance-family", "Values": ["S5", "M5"]},
            {"Name": "instance-charge-type", "Values": ["PREPAID"]},
            {"Name": "zone", "Values": ["ap-guangzhou-3"]},
        ]),
    );
    assert_eq!(items.len(), 10 + 4);
    assert!(items.iter().all(|i| i["InstanceChargeType"] == "PREPAID"
        && i["Zone"] == "ap-guangzhou-3"
        && (i["InstanceFamily"] == "S5" || i["InstanceFamily"] == "M5")));
    let one = zone_configs(
        &mut c,
        json!([{"Name": "instance-type", "Values": ["S5.LARGE8"]}]),
    );
    // Four zones of Guangzhou sell S5, each with three charge types.
    assert_eq!(one.len(), 4 * 3);
    assert!(one.iter().all(|i| i["InstanceType"] == "S5.LARGE8"));
    // Sorted by memory, largest first, then by CPU, smallest first.
    let sorted = zone_configs(
        &mut c,
        json!([
            {"Name": "zone", "Values": ["ap-guangzhou-3"]},
            {"Name": "sort-keys", "Values": ["mem:desc", "cpu:asc"]},
        ]),
    );
    let keys: Vec<(i64, i64)> = sorted
        .iter()
        .map(|i| (i["Memory"].as_i64().unwrap(), i["Cpu"].as_i64().unwrap()))
        .collect();
    assert!(keys
        .windows(2)
        .all(|w| w[0].0 > w[1].0 || (w[0].0 == w[1].0 && w[0].1 <= w[1].1)));
    assert_eq!(keys[0].0, 80);
    // Charge types cvm-sim does not launch are known but have nothing on sale.
    assert!(zone_configs(
        &mut c,
        json!([{"Name": "instance-charge-type", "Values": ["CDHPAID"]}])
    )
    .is_empty());

    let bad = |name: &str, value: &str| json!({"Filters": [{"Name": name, "Values": [value]}]});
    for (filter, code) in [
        (bad("zone", "ap-beijing-3"), "InvalidZone.MismatchRegion"),
        (
            bad("instance-charge-type", "MONTHLY"),
            "InvalidParameterValue",
        ),
        (bad("sort-keys", "disk:asc"), "InvalidParameterValue"),
        (bad("sort-keys", "cpu"), "InvalidParameterValue"),
        (bad("image-id", "img-pmqg1cw7"), "InvalidFilter"),
    ] {
        assert_eq!(
            c.err("DescribeZoneInstanceConfigInfos", filter.clone()),
            code,
            "{filter}"
        );
    }
}

#[test]
fn zone_instance_config_prices_agree_with_inquiry_price_run_instances() {
    let mut c = Client::default();
    for (charge_type, instance_type) in [
        ("POSTPAID_BY_HOUR", "S5.LARGE8"),
        ("SPOTPAID", "M5.MEDIUM16"),
        ("PREPAID", "GN7.2XLARGE32"),
    ] {
        let items = zone_configs(
            &mut c,
            json!([
                {"Name": "zone", "Values": ["ap-guangzhou-4"]},
                {"Name": "instance-type", "Values": [instance_type]},
                {"Name": "instance-charge-type", "Values": [charge_type]},
            ]),
        );
        assert_eq!(items.len(), 1);
        let listed = &items[0]["Price"];
        // The instance type alone: a system disk that costs nothing.
        let mut inquiry = json!({
            "Placement": {"Zone": "ap-guangzhou-4"},
            "ImageId": "img-pmqg1cw7",
            "InstanceType": instance_type,
            "InstanceChargeType": charge_type,
            "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
        });
        if charge_type == "PREPAID" {
            inquiry["InstanceChargePrepaid"] = json!({"Period": 1});
        }
        let quoted = &c.ok("InquiryPriceRunInstances", inquiry)["Price"]["InstancePrice"];
        assert_eq!(listed, quoted, "{charge_type} {instance_type}");
        let field = if charge_type == "PREPAID" {
            "OriginalPrice"
        } else {
            "UnitPrice"
        };
        assert!(listed[field].as_f64().unwrap() > 0.0, "{listed}");
    }
}

#[test]
fn termination_protection_refuses_terminate_instances() {
    let mut c = Client::default();
    let mut p = run_params(1);
    p["DisableApiTermination"] = json!(true);
    let id = c.ok("RunInstances", p)["InstanceIdSet"][0].clone();
    let free = c.run(1);
    c.state(id.as_str().unwrap());
    assert_eq!(
        c.err("TerminateInstances", json!({"InstanceIds": [free[0], id]})),
        "UnsupportedOperation.InstancesProtected"
    );
    // Nothing was terminated, not even the unprotected instance.
    assert_eq!(c.state(id.as_str().unwrap()), "RUNNING");
    assert_eq!(c.state(&free[0]), "RUNNING");
    c.ok(
        "ModifyInstancesAttribute",
        json!({"InstanceIds": [id], "DisableApiTermination": false}),
    );
    c.ok("TerminateInstances", json!({"InstanceIds": [free[0], id]}));
}

#[test]
fn run_instances_needs_the_callers_own_key_pairs() {
    let mut c = Client::default();
    let with_keys = |keys: Value| {
        let mut p = run_params(1);
        p["LoginSettings"] = json!({"KeyIds": keys});
        p
    };
    assert_eq!(
        c.err("RunInstances", with_keys(json!(["skey-aaaaaaaa"]))),
        "InvalidParameterValue.KeyPairNotFound"
    );
    assert_eq!(
        c.err("RunInstances", with_keys(json!(["skey-1"]))),
        "InvalidKeyPairId.Malformed"
    );
    let key = c.ok("CreateKeyPair", json!({"KeyName": "mine", "ProjectId": 0}))["KeyPair"]["KeyId"]
        .clone();
    let id = c.ok("RunInstances", with_keys(json!([key])))["InstanceIdSet"][0].clone();
    let listed = c.ok("DescribeKeyPairs", json!({"KeyIds": [key]}));
    assert_eq!(
        listed["KeyPairSet"][0]["AssociatedInstanceIds"],
        json!([id])
    );
    // A key pair of another region is not found.
    c.region = "ap-shanghai";
    let there = c.ok("CreateKeyPair", json!({"KeyName": "there", "ProjectId": 0}))["KeyPair"]
        ["KeyId"]
        .clone();
    c.region = "ap-guangzhou";
    assert_eq!(
        c.err("RunInstances", with_keys(json!([key, there]))),
        "InvalidParameterValue.KeyPairNotFound"
    );
    // Nor is another account's.
    c.sim
        .add_account(cvm_sim::AccountConfig::new("AKIDother", "otherkey"))
        .unwrap();
    c.creds = cvm_proto::Credentials::new("AKIDother", "otherkey").unwrap();
    assert_eq!(
        c.err("RunInstances", with_keys(json!([key]))),
        "InvalidParameterValue.KeyPairNotFound"
    );
}
