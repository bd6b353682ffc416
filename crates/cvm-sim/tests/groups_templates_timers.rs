//! Placement groups, launch templates and action timers under the service's rules.
#![allow(clippy::unwrap_used)]

mod common;

use common::Client;
use serde_json::json;

#[test]
fn placement_groups_hold_instances_and_must_be_empty_to_go() {
    let mut c = Client::default();
    let g = c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "web", "Type": "HOST", "ClientToken": "t1"}),
    );
    let id = g["DisasterRecoverGroupId"].as_str().unwrap().to_owned();
    assert_eq!(g["CvmQuotaTotal"], 50);
    // The same client token answers the same group.
    let again = c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "web", "Type": "HOST", "ClientToken": "t1"}),
    );
    assert_eq!(again["DisasterRecoverGroupId"], id.as_str());
    assert_eq!(
        c.err(
            "CreateDisasterRecoverGroup",
            json!({"Name": "x", "Type": "ZONE"})
        ),
        "InvalidParameterValue"
    );
    let ins = c.run(2);
    for i in &ins {
        c.state(i);
    }
    c.ok(
        "ModifyInstancesDisasterRecoverGroup",
        json!({"InstanceIds": ins, "DisasterRecoverGroupId": id}),
    );
    let other = c.ok(
        "CreateDisasterRecoverGroup",
        json!({"Name": "db", "Type": "RACK"}),
    )["DisasterRecoverGroupId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        c.err(
            "ModifyInstancesDisasterRecoverGroup",
            json!({"InstanceIds": [ins[0]], "DisasterRecoverGroupId": other})
        ),
        "FailedOperation.AlreadyInDisasterRecoverGroup"
    );
    let listed = c.ok(
        "DescribeDisasterRecoverGroups",
        json!({"DisasterRecoverGroupIds": [id]}),
    );
    assert_eq!(listed["DisasterRecoverGroupSet"][0]["CurrentNum"], 2);
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [ins[0]]}));
    assert_eq!(
        inst["InstanceSet"][0]["DisasterRecoverGroupId"],
        id.as_str()
    );
    assert_eq!(
        c.err(
            "DeleteDisasterRecoverGroups",
            json!({"DisasterRecoverGroupIds": [id]})
        ),
        "FailedOperation.PlacementSetNotEmpty"
    );
    c.ok(
        "ModifyDisasterRecoverGroupAttribute",
        json!({"DisasterRecoverGroupId": id, "Name": "web2"}),
    );
    c.ok(
        "ModifyInstancesDisasterRecoverGroup",
        json!({"InstanceIds": ins}),
    );
    c.ok(
        "DeleteDisasterRecoverGroups",
        json!({"DisasterRecoverGroupIds": [id]}),
    );
    assert_eq!(
        c.err(
            "DeleteDisasterRecoverGroups",
            json!({"DisasterRecoverGroupIds": [id]})
        ),
        "FailedOperation.DisasterRecoverGroupNotFound"
    );
    let quota = c.ok("DescribeDisasterRecoverGroupQuota", json!({}));
    assert_eq!(quota["CurrentNum"], 1);
}

#[test]
fn launch_templates_keep_versions_and_their_default() {
    let mut c = Client::default();
    let t = c.ok(
        "CreateLaunchTemplate",
        json!({
            "LaunchTemplateName": "web-tpl",
            "Placement": {"Zone": "ap-guangzhou-2"},
            "ImageId": "img-pmqg1cw7",
            "InstanceType": "S2.MEDIUM4",
            "LoginSettings": {"Password": "Sup3r-secret"},
        }),
    )["LaunchTemplateId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        c.err(
            "CreateLaunchTemplate",
            json!({"LaunchTemplateName": "web-tpl", "Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"})
        ),
        "InvalidParameterValue.InvalidLaunchTemplateName"
    );
    let v2 = c.ok(
        "CreateLaunchTemplateVersion",
        json!({"LaunchTemplateId": t, "Placement": {"Zone": "ap-guangzhou-3"}, "InstanceName": "v2"}),
    )["LaunchTemplateVersionNumber"]
        .clone();
    assert_eq!(v2, 2);
    let versions = c.ok(
        "DescribeLaunchTemplateVersions",
        json!({"LaunchTemplateId": t}),
    );
    assert_eq!(versions["TotalCount"], 2);
    let second = &versions["LaunchTemplateVersionSet"][1]["LaunchTemplateVersionData"];
    // Version 2 keeps version 1's type and image and overrides the zone.
    assert_eq!(second["InstanceType"], "S2.MEDIUM4");
    assert_eq!(second["ImageId"], "img-pmqg1cw7");
    assert_eq!(second["Placement"]["Zone"], "ap-guangzhou-3");
    assert!(second["LoginSettings"].get("Password").is_none());
    assert_eq!(
        c.err(
            "DeleteLaunchTemplateVersions",
            json!({"LaunchTemplateId": t, "LaunchTemplateVersions": [1]})
        ),
        "InvalidParameterValue.LaunchTemplateDefaultVersion"
    );
    c.ok(
        "ModifyLaunchTemplateDefaultVersion",
        json!({"LaunchTemplateId": t, "DefaultVersion": 2}),
    );
    assert_eq!(
        c.err(
            "ModifyLaunchTemplateDefaultVersion",
            json!({"LaunchTemplateId": t, "DefaultVersion": 2})
        ),
        "InvalidParameterValue.LaunchTemplateIdVerSetAlready"
    );
    c.ok(
        "DeleteLaunchTemplateVersions",
        json!({"LaunchTemplateId": t, "LaunchTemplateVersions": [1]}),
    );
    let listed = c.ok("DescribeLaunchTemplates", json!({"LaunchTemplateIds": [t]}));
    let info = &listed["LaunchTemplateSet"][0];
    assert_eq!(info["DefaultVersionNumber"], 2);
    assert_eq!(info["LatestVersionNumber"], 2);
    assert_eq!(info["LaunchTemplateVersionCount"], 1);
    assert_eq!(
        c.err(
            "DescribeLaunchTemplateVersions",
            json!({"LaunchTemplateId": t, "LaunchTemplateVersions": [1]})
        ),
        "InvalidParameterValue.LaunchTemplateIdVerNotExisted"
    );
    c.ok("DeleteLaunchTemplate", json!({"LaunchTemplateId": t}));
    assert_eq!(
        c.err("DeleteLaunchTemplate", json!({"LaunchTemplateId": t})),
        "InvalidParameterValue.LaunchTemplateIdNotExisted"
    );
}

#[test]
fn one_termination_timer_per_instance() {
    let mut c = Client::default();
    let id = c.run(1).remove(0);
    let timer = json!({"InstanceIds": [id], "ActionTimer": {"TimerAction": "TerminateInstances", "ActionTime": "2024-02-01 00:00:00"}});
    let ids = c.ok("ImportInstancesActionTimer", timer.clone())["ActionTimerIds"].clone();
    assert_eq!(
        c.err("ImportInstancesActionTimer", timer),
        "FailedOperation.MutActionTimerExist"
    );
    let listed = c.ok("DescribeInstancesActionTimer", json!({"InstanceIds": [id]}));
    assert_eq!(listed["ActionTimers"][0]["Status"], "UNDO");
    assert_eq!(listed["ActionTimers"][0]["ActionTimerId"], ids[0]);
    c.ok("DeleteInstancesActionTimer", json!({"ActionTimerIds": ids}));
    let listed = c.ok("DescribeInstancesActionTimer", json!({}));
    assert_eq!(listed["ActionTimers"].as_array().unwrap().len(), 0);
    let past = json!({"InstanceIds": [id], "ActionTimer": {"TimerAction": "TerminateInstances", "ActionTime": "2020-01-01 00:00:00"}});
    assert_eq!(
        c.err("ImportInstancesActionTimer", past),
        "InvalidParameterValue"
    );
}
