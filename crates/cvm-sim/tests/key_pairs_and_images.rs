//! Key pairs and custom images: created, listed, bound, shared and deleted under the service's
//! state rules.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::Client;
use cvm_sim::Transitions;
use serde_json::json;

fn key(c: &mut Client, name: &str) -> String {
    let r = c.ok("CreateKeyPair", json!({"KeyName": name, "ProjectId": 0}));
    assert!(r["KeyPair"]["PrivateKey"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    r["KeyPair"]["KeyId"].as_str().unwrap().to_owned()
}

#[test]
fn key_pairs_are_listed_filtered_and_paged() {
    let mut c = Client::default();
    let a = key(&mut c, "alpha");
    let b = key(&mut c, "beta");
    assert_eq!(
        c.err("CreateKeyPair", json!({"KeyName": "alpha", "ProjectId": 0})),
        "InvalidKeyPairName.Duplicate"
    );
    assert_eq!(
        c.err(
            "CreateKeyPair",
            json!({"KeyName": "bad name", "ProjectId": 0})
        ),
        "InvalidKeyPairNameIncludeIllegalChar"
    );
    let imported = c.ok(
        "ImportKeyPair",
        json!({"KeyName": "gamma", "ProjectId": 3, "PublicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEY me@host"}),
    )["KeyId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        c.err(
            "ImportKeyPair",
            json!({"KeyName": "delta", "ProjectId": 0, "PublicKey": "not a key"})
        ),
        "InvalidPublicKey.Malformed"
    );
    let all = c.ok("DescribeKeyPairs", json!({}));
    assert_eq!(all["TotalCount"], 3);
    assert!(all["KeyPairSet"][0].get("PrivateKey").is_none());
    let page = c.ok("DescribeKeyPairs", json!({"Offset": 1, "Limit": 1}));
    assert_eq!(page["KeyPairSet"][0]["KeyId"], b.as_str());
    let by_project = c.ok(
        "DescribeKeyPairs",
        json!({"Filters": [{"Name": "project-id", "Values": ["3"]}]}),
    );
    assert_eq!(by_project["KeyPairSet"][0]["KeyId"], imported.as_str());
    c.ok(
        "ModifyKeyPairAttribute",
        json!({"KeyId": a, "KeyName": "renamed", "Description": "d"}),
    );
    let named = c.ok(
        "DescribeKeyPairs",
        json!({"Filters": [{"Name": "key-name", "Values": ["renamed"]}]}),
    );
    assert_eq!(named["KeyPairSet"][0]["Description"], "d");
    assert_eq!(
        c.err(
            "DescribeKeyPairs",
            json!({"Filters": [{"Name": "nope", "Values": ["1"]}]})
        ),
        "InvalidFilter"
    );
}

#[test]
fn binding_needs_a_stopped_instance_and_deleting_needs_no_binding() {
    let mut c = Client::default();
    let k = key(&mut c, "ops");
    let id = c.run(1).remove(0);
    assert_eq!(c.state(&id), "RUNNING");
    let bind = json!({"InstanceIds": [id], "KeyIds": [k]});
    assert_eq!(
        c.err("AssociateInstancesKeyPairs", bind.clone()),
        "UnsupportedOperation.InstanceStateRunning"
    );
    // ForceStop stops the instance.
    c.ok(
        "AssociateInstancesKeyPairs",
        json!({"InstanceIds": [id], "KeyIds": [k], "ForceStop": true}),
    );
    assert_eq!(c.state(&id), "STOPPED");
    let kp = c.ok("DescribeKeyPairs", json!({"KeyIds": [k]}));
    assert_eq!(kp["KeyPairSet"][0]["AssociatedInstanceIds"][0], id.as_str());
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(
        inst["InstanceSet"][0]["LoginSettings"]["KeyIds"][0],
        k.as_str()
    );
    assert_eq!(
        c.err("DeleteKeyPairs", json!({"KeyIds": [k]})),
        "InvalidParameterValue.KeyPairNotSupported"
    );
    c.ok("DisassociateInstancesKeyPairs", bind.clone());
    assert_eq!(
        c.err("DisassociateInstancesKeyPairs", bind),
        "FailedOperation.DisassociateKeyPairFailed"
    );
    c.ok("DeleteKeyPairs", json!({"KeyIds": [k]}));
    assert_eq!(
        c.err("DeleteKeyPairs", json!({"KeyIds": [k]})),
        "InvalidKeyPairId.NotFound"
    );
    assert_eq!(
        c.err("DeleteKeyPairs", json!({"KeyIds": ["skey-1"]})),
        "InvalidKeyPairId.Malformed"
    );
}

#[test]
fn a_custom_image_is_creating_then_normal_and_can_launch() {
    let mut c = Client::new(common::config().with_transitions(Transitions {
        create_image: Duration::from_secs(10),
        ..Transitions::instant()
    }));
    let id = c.run(1).remove(0);
    c.state(&id);
    let image = c.ok(
        "CreateImage",
        json!({"ImageName": "golden", "InstanceId": id, "ImageDescription": "mine"}),
    )["ImageId"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = json!({"Filters": [{"Name": "image-type", "Values": ["PRIVATE_IMAGE"]}]});
    let listed = c.ok("DescribeImages", mine.clone());
    let found = listed["ImageSet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["ImageId"] == image.as_str())
        .unwrap()
        .clone();
    assert_eq!(found["ImageState"], "CREATING");
    assert_eq!(found["ImageSource"], "CREATE_IMAGE");
    assert_eq!(
        c.err("DeleteImages", json!({"ImageIds": [image]})),
        "InvalidImageId.IncorrectState"
    );
    assert_eq!(
        c.err(
            "CreateImage",
            json!({"ImageName": "golden", "InstanceId": id})
        ),
        "InvalidImageName.Duplicate"
    );
    c.advance(Duration::from_secs(11));
    let listed = c.ok("DescribeImages", json!({"ImageIds": [image]}));
    assert_eq!(listed["ImageSet"][0]["ImageState"], "NORMAL");
    // It launches instances.
    let mut run = common::run_params(1);
    run["ImageId"] = json!(image);
    let launched = c.ok("RunInstances", run)["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let inst = c.ok("DescribeInstances", json!({"InstanceIds": [launched]}));
    assert_eq!(inst["InstanceSet"][0]["ImageId"], image.as_str());

    c.ok(
        "ModifyImageAttribute",
        json!({"ImageId": image, "ImageName": "golden-2"}),
    );
    assert_eq!(
        c.err(
            "ModifyImageAttribute",
            json!({"ImageId": "img-pmqg1cw7", "ImageName": "x"})
        ),
        "UnauthorizedOperation.ImageNotBelongToAccount"
    );
    assert_eq!(
        c.err("DeleteImages", json!({"ImageIds": ["img-pmqg1cw7"]})),
        "UnauthorizedOperation.ImageNotBelongToAccount"
    );
    c.ok(
        "ModifyImageSharePermission",
        json!({"ImageId": image, "AccountIds": ["100000000002"], "Permission": "SHARE"}),
    );
    let shared = c.ok("DescribeImageSharePermission", json!({"ImageId": image}));
    assert_eq!(shared["SharePermissionSet"][0]["AccountId"], "100000000002");
    assert_eq!(
        c.err("DeleteImages", json!({"ImageIds": [image]})),
        "InvalidImageId.InShared"
    );
    c.ok(
        "ModifyImageSharePermission",
        json!({"ImageId": image, "AccountIds": ["100000000002"], "Permission": "CANCEL"}),
    );
    let synced = c.ok(
        "SyncImages",
        json!({"ImageIds": [image], "DestinationRegions": ["ap-shanghai"], "ImageSetRequired": true}),
    );
    assert_eq!(synced["ImageSet"][0]["Region"], "ap-shanghai");
    c.ok("DeleteImages", json!({"ImageIds": [image]}));
    assert_eq!(
        c.err("DescribeImageSharePermission", json!({"ImageId": image})),
        "InvalidImageId.NotFound"
    );
    c.region = "ap-shanghai";
    c.advance(Duration::from_secs(11));
    let copy = c.ok(
        "DescribeImages",
        json!({"ImageIds": [synced["ImageSet"][0]["ImageId"]]}),
    );
    assert_eq!(copy["ImageSet"][0]["ImageState"], "NORMAL");
}
