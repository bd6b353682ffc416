//! Every emulated action's reply carries every field the spec marks `output_required`
//! (recursively, in every list element), with `RequestId`, and parses into the generated
//! `XResponse` type.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;

use common::Client;
use cvm_proto::api::cvm::visit_requests;
use cvm_proto::api::spec::{ActionSpec, RequestVisitor};
use cvm_proto::Action;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Fields the service sends as `null` although the spec does not mark them nullable: the
/// prepaid-only fields of a postpaid instance.
const NULL_ALLOWED: [(&str, &str); 2] = [("Instance", "RenewFlag"), ("Instance", "ExpiredTime")];

struct Spec {
    objects: BTreeMap<String, Value>,
}

impl Spec {
    fn load() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/cvm.json");
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let objects = spec["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["name"].as_str().unwrap().to_owned(), o.clone()))
            .collect();
        Spec { objects }
    }

    /// The missing always-returned fields of `value`, an object of spec type `name`, by path.
    fn missing(&self, name: &str, value: &Value, path: &str, out: &mut Vec<String>) {
        let Some(object) = self.objects.get(name) else {
            return;
        };
        for f in object["fields"].as_array().unwrap() {
            let field = f["name"].as_str().unwrap();
            if field == "RequestId" || f["output_required"] != true {
                continue;
            }
            let here = format!("{path}.{field}");
            let v = value.get(field);
            match v {
                None => out.push(here),
                Some(Value::Null) => {
                    if f["nullable"] != true && !NULL_ALLOWED.contains(&(name, field)) {
                        out.push(format!("{here} (null)"));
                    }
                }
                Some(v) => {
                    let member = f["member"].as_str().unwrap();
                    if f["type"] == "list" {
                        for (i, e) in v.as_array().into_iter().flatten().enumerate() {
                            self.missing(member, e, &format!("{here}[{i}]"), out);
                        }
                    } else if v.is_object() {
                        self.missing(member, v, &here, out);
                    }
                }
            }
        }
    }
}

/// Parses a reply into the generated response type of the action named `name`.
struct Parse<'a> {
    name: &'a str,
    reply: &'a Value,
    result: Option<Result<(), String>>,
}

impl RequestVisitor for Parse<'_> {
    fn visit<A>(&mut self, spec: &'static ActionSpec)
    where
        A: Action + DeserializeOwned + Debug + Clone + PartialEq + Default,
    {
        if spec.name == self.name && A::NAME == self.name {
            self.result = Some(
                serde_json::from_value::<A::Output>(self.reply.clone())
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            );
        }
    }
}

fn id(v: &Value) -> String {
    v.as_str().unwrap().to_owned()
}

/// A valid call of every emulated action, with the state each needs set up first; destructive
/// calls come last.
fn calls(c: &mut Client) -> Vec<(&'static str, Value)> {
    let ins = c.run(3);
    let (run, stopped, doomed) = (ins[0].clone(), ins[1].clone(), ins[2].clone());
    c.state(&run);
    c.ok("StopInstances", json!({"InstanceIds": [stopped]}));
    c.state(&stopped);
    let mut prepaid = common::run_params(1);
    prepaid["InstanceChargeType"] = json!("PREPAID");
    prepaid["InstanceChargePrepaid"] = json!({"Period": 1});
    let pre = id(&c.ok("RunInstances", prepaid)["InstanceIdSet"][0]);
    c.state(&pre);
    let key =
        id(&c.ok("CreateKeyPair", json!({"KeyName": "shape", "ProjectId": 0}))["KeyPair"]["KeyId"]);
    let key2 = id(&c.ok(
        "CreateKeyPair",
        json!({"KeyName": "shape2", "ProjectId": 0}),
    )["KeyPair"]["KeyId"]);
    c.ok(
        "AssociateInstancesKeyPairs",
        json!({"InstanceIds": [stopped], "KeyIds": [key]}),
    );
    let image = id(&c.ok(
        "CreateImage",
        json!({"ImageName": "shape", "InstanceId": run}),
    )["ImageId"]);
    let image2 = id(&c.ok(
        "CreateImage",
        json!({"ImageName": "shape2", "InstanceId": run}),
    )["ImageId"]);
    c.ok("DescribeImages", json!({}));
    c.ok(
        "ModifyImageSharePermission",
        json!({"ImageId": image, "AccountIds": ["100000000009"], "Permission": "SHARE"}),
    );
    let tpl = id(&c.ok(
        "CreateLaunchTemplate",
        json!({"LaunchTemplateName": "shape", "Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"}),
    )["LaunchTemplateId"]);
    c.ok(
        "CreateLaunchTemplateVersion",
        json!({"LaunchTemplateId": tpl, "Placement": {"Zone": "ap-guangzhou-2"}}),
    );
    let tpl2 = id(&c.ok(
        "CreateLaunchTemplate",
        json!({"LaunchTemplateName": "shape2", "Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"}),
    )["LaunchTemplateId"]);
    let group = id(&c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "g", "Type": "HOST"}),
    )["DisasterRecoverGroupId"]);
    let group2 = id(&c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "g2", "Type": "SW"}),
    )["DisasterRecoverGroupId"]);
    c.ok(
        "ModifyInstancesDisasterRecoverGroup",
        json!({"InstanceIds": [run], "DisasterRecoverGroupId": group}),
    );
    let timer = json!({"TimerAction": "TerminateInstances", "ActionTime": "2999-01-01 00:00:00"});
    let t = id(&c.ok(
        "ImportInstancesActionTimer",
        json!({"InstanceIds": [run], "ActionTimer": timer}),
    )["ActionTimerIds"][0]);
    let data_disk = c.ok("DescribeInstances", json!({"InstanceIds": [run]}));
    let _ = data_disk;
    vec![
        ("DescribeRegions", json!({})),
        ("DescribeZones", json!({})),
        ("DescribeInstanceTypeConfigs", json!({})),
        ("DescribeImages", json!({})),
        ("DescribeInstances", json!({})),
        ("DescribeInstancesStatus", json!({})),
        ("RunInstances", common::run_params(1)),
        ("StartInstances", json!({"InstanceIds": [stopped]})),
        ("StopInstances", json!({"InstanceIds": [stopped]})),
        ("RebootInstances", json!({"InstanceIds": [run]})),
        ("DescribeKeyPairs", json!({})),
        (
            "ImportKeyPair",
            json!({"KeyName": "imported", "ProjectId": 0, "PublicKey": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC0 me"}),
        ),
        (
            "ModifyKeyPairAttribute",
            json!({"KeyId": key, "Description": "d"}),
        ),
        (
            "CreateKeyPair",
            json!({"KeyName": "another", "ProjectId": 0}),
        ),
        (
            "DisassociateInstancesKeyPairs",
            json!({"InstanceIds": [stopped], "KeyIds": [key]}),
        ),
        (
            "AssociateInstancesKeyPairs",
            json!({"InstanceIds": [stopped], "KeyIds": [key2]}),
        ),
        ("DeleteKeyPairs", json!({"KeyIds": [key]})),
        (
            "ModifyInstancesAttribute",
            json!({"InstanceIds": [run], "InstanceName": "n"}),
        ),
        (
            "ModifyInstancesProject",
            json!({"InstanceIds": [run], "ProjectId": 1}),
        ),
        (
            "ResetInstancesPassword",
            json!({"InstanceIds": [stopped], "Password": "Passw0rd-ok"}),
        ),
        (
            "AssociateSecurityGroups",
            json!({"InstanceIds": [run], "SecurityGroupIds": ["sg-aaaaaaaa"]}),
        ),
        (
            "DisassociateSecurityGroups",
            json!({"InstanceIds": [run], "SecurityGroupIds": ["sg-aaaaaaaa"]}),
        ),
        (
            "DescribeInstancesAttributes",
            json!({"InstanceIds": [run], "Attributes": ["UserData"]}),
        ),
        (
            "DescribeInstancesOperationLimit",
            json!({"InstanceIds": [run], "Operation": "INSTANCE_DEGRADE"}),
        ),
        ("DescribeImageSharePermission", json!({"ImageId": image})),
        (
            "ModifyImageAttribute",
            json!({"ImageId": image, "ImageDescription": "x"}),
        ),
        (
            "SyncImages",
            json!({"ImageIds": [image], "DestinationRegions": ["ap-shanghai"], "ImageSetRequired": true}),
        ),
        (
            "CreateImage",
            json!({"ImageName": "shape3", "InstanceId": stopped}),
        ),
        ("DeleteImages", json!({"ImageIds": [image2]})),
        (
            "ModifyImageSharePermission",
            json!({"ImageId": image, "AccountIds": ["100000000009"], "Permission": "CANCEL"}),
        ),
        ("DescribeDisasterRecoverGroups", json!({})),
        ("DescribeDisasterRecoverGroupQuota", json!({})),
        ("DescribeAccountQuota", json!({})),
        ("DescribeImageQuota", json!({})),
        ("DescribeInstanceFamilyConfigs", json!({})),
        ("DescribeInternetChargeTypeConfigs", json!({})),
        (
            "DescribeZoneInstanceConfigInfos",
            json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-3"]}]}),
        ),
        (
            "ModifyDisasterRecoverGroupAttribute",
            json!({"DisasterRecoverGroupId": group, "Name": "g3"}),
        ),
        (
            "CreateDisasterRecoverGroup",
            json!({"Name": "g4", "Type": "RACK"}),
        ),
        (
            "ModifyInstancesDisasterRecoverGroup",
            json!({"InstanceIds": [stopped], "DisasterRecoverGroupId": group}),
        ),
        (
            "DeleteDisasterRecoverGroups",
            json!({"DisasterRecoverGroupIds": [group2]}),
        ),
        ("DescribeLaunchTemplates", json!({})),
        (
            "DescribeLaunchTemplateVersions",
            json!({"LaunchTemplateId": tpl}),
        ),
        (
            "CreateLaunchTemplateVersion",
            json!({"LaunchTemplateId": tpl, "Placement": {"Zone": "ap-guangzhou-2"}}),
        ),
        (
            "ModifyLaunchTemplateDefaultVersion",
            json!({"LaunchTemplateId": tpl, "DefaultVersion": 2}),
        ),
        (
            "DeleteLaunchTemplateVersions",
            json!({"LaunchTemplateId": tpl, "LaunchTemplateVersions": [1]}),
        ),
        (
            "CreateLaunchTemplate",
            json!({"LaunchTemplateName": "shape3", "Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"}),
        ),
        ("DeleteLaunchTemplate", json!({"LaunchTemplateId": tpl2})),
        ("DescribeInstancesActionTimer", json!({})),
        (
            "ImportInstancesActionTimer",
            json!({"InstanceIds": [stopped], "ActionTimer": {"TimerAction": "TerminateInstances", "ActionTime": "2999-01-01 00:00:00"}}),
        ),
        ("DeleteInstancesActionTimer", json!({"ActionTimerIds": [t]})),
        (
            "InquiryPriceRunInstances",
            json!({"Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"}),
        ),
        (
            "InquiryPriceRenewInstances",
            json!({"InstanceIds": [pre], "InstanceChargePrepaid": {"Period": 1}}),
        ),
        (
            "InquiryPriceModifyInstancesChargeType",
            json!({"InstanceIds": [run], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
        ),
        (
            "InquiryPriceResetInstancesType",
            json!({"InstanceIds": [run], "InstanceType": "S1.SMALL2"}),
        ),
        (
            "InquiryPriceResizeInstanceDisks",
            json!({"InstanceId": run, "SystemDisk": {"DiskSize": 60}}),
        ),
        ("InquiryPriceResetInstance", json!({"InstanceId": run})),
        (
            "InquiryPriceResetInstancesInternetMaxBandwidth",
            json!({"InstanceIds": [run], "InternetAccessible": {"InternetMaxBandwidthOut": 5}}),
        ),
        (
            "InquiryPriceTerminateInstances",
            json!({"InstanceIds": [pre]}),
        ),
        (
            "DescribeInstancesModification",
            json!({"InstanceIds": [run]}),
        ),
        (
            "DescribeInstanceInternetBandwidthConfigs",
            json!({"InstanceId": run}),
        ),
        (
            "ResetInstancesType",
            json!({"InstanceIds": [stopped], "InstanceType": "S1.SMALL2"}),
        ),
        (
            "ResizeInstanceDisks",
            json!({"InstanceId": run, "SystemDisk": {"DiskSize": 60}, "ResizeOnline": true}),
        ),
        (
            "ResetInstancesInternetMaxBandwidth",
            json!({"InstanceIds": [run], "InternetAccessible": {"InternetMaxBandwidthOut": 5}}),
        ),
        (
            "RenewInstances",
            json!({"InstanceIds": [pre], "InstanceChargePrepaid": {"Period": 1}}),
        ),
        (
            "ModifyInstancesRenewFlag",
            json!({"InstanceIds": [pre], "RenewFlag": "NOTIFY_AND_AUTO_RENEW"}),
        ),
        (
            "ModifyInstancesChargeType",
            json!({"InstanceIds": [run], "InstanceChargeType": "PREPAID", "InstanceChargePrepaid": {"Period": 1}}),
        ),
        ("DescribeInstanceVncUrl", json!({"InstanceId": run})),
        ("ResetInstance", json!({"InstanceId": run})),
        ("TerminateInstances", json!({"InstanceIds": [doomed]})),
    ]
}

#[test]
fn every_emulated_reply_has_every_always_returned_field() {
    let spec = Spec::load();
    let mut c = Client::default();
    let calls = calls(&mut c);
    let mut problems = Vec::new();
    let mut checked = std::collections::BTreeSet::new();
    let mut dump = serde_json::Map::new();
    for (action, params) in calls {
        // Every reply, after each transition came due.
        c.advance(std::time::Duration::from_secs(5));
        let reply = c.ok(action, params);
        assert!(reply["RequestId"].is_string(), "{action}: no RequestId");
        let mut missing = Vec::new();
        spec.missing(&format!("{action}Response"), &reply, action, &mut missing);
        problems.extend(missing);
        let mut parse = Parse {
            name: action,
            reply: &reply,
            result: None,
        };
        visit_requests(&mut parse);
        match parse.result {
            Some(Ok(())) => {}
            Some(Err(e)) => problems.push(format!("{action}: does not parse: {e}")),
            None => problems.push(format!("{action}: no generated type")),
        }
        checked.insert(action);
        dump.insert(action.to_owned(), reply);
    }
    // For interop/python-sdk/reply_models.py: the replies, by action.
    if let Ok(path) = std::env::var("CVM_REPLY_DUMP") {
        std::fs::write(path, serde_json::to_vec_pretty(&dump).unwrap()).unwrap();
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let unchecked: Vec<&str> = cvm_sim::ACTIONS
        .iter()
        .copied()
        .filter(|a| !checked.contains(a))
        .collect();
    assert!(unchecked.is_empty(), "not checked: {unchecked:?}");
    assert!(checked.len() >= 50, "{}", checked.len());
}
