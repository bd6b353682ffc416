//! Quotas and what is on sale: `DescribeAccountQuota` and `DescribeImageQuota` count the
//! caller's resources against the configured quotas that `RunInstances`, `CreateImage` and
//! `CreateDisasterRecoverGroup` enforce; the family, internet charge type and zone instance
//! configs come from the catalogue, the launch checks and the price table. Also the state rules
//! of termination protection and of `RunInstances`' key pairs.
#![allow(clippy::unwrap_used)]

mod common;

use common::{run_params, Client};
use serde_json::{json, Value};

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
