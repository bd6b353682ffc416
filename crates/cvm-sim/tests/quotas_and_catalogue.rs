//! Quotas and what is on sale: `DescribeAccountQuota` and `DescribeImageQuota` count the
//! caller's resources against the configured quotas that `RunInstances`, `CreateImage` and
//! `CreateDisasterRecoverGroup` enforce; the family, internet charge type and zone instance
//! configs come from the catalogue, the launch checks and the price table. Also the state rules
//! of termination protection and of `RunInstances`' key pairs.
#![allow(clippy::unwrap_used)]

mod common;

use common::{run_params, Client};
use serde_json::json;

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
