//! The fields the spec says the service always returns, filled in where the stored model has
//! none: instances and images are kept in the hand-written models and answered in the generated
//! reply types, completed here.

use cvm_proto::api::cvm::{self, LoginSettings, Placement, VirtualPrivateCloud};
use cvm_proto::models::{Image, Instance};

use serde::Serialize;

/// An instance as `DescribeInstances` answers it, every always-returned field present.
///
/// The stored model is the generated reply type itself, so a clone is the conversion.
pub(super) fn reply_instance(model: &Instance) -> cvm::Instance {
    let mut out: cvm::Instance = model.clone();
    let placement = out.placement.get_or_insert_with(Placement::default);
    placement.zone.get_or_insert_with(String::new);
    placement.project_id.get_or_insert(0);
    if let Some(d) = out.system_disk.as_mut() {
        d.disk_type
            .get_or_insert_with(|| "CLOUD_PREMIUM".to_owned());
        d.disk_size.get_or_insert(50);
        d.encrypt.get_or_insert(false);
        d.kms_key_id.get_or_insert_with(String::new);
    }
    for d in &mut out.data_disks {
        d.delete_with_instance.get_or_insert(true);
        d.encrypt.get_or_insert(false);
        d.kms_key_id.get_or_insert_with(String::new);
    }
    let internet = out.internet_accessible.get_or_insert_with(Default::default);
    internet
        .internet_charge_type
        .get_or_insert_with(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned());
    internet.internet_max_bandwidth_out.get_or_insert(0);
    let vpc = out
        .virtual_private_cloud
        .get_or_insert_with(VirtualPrivateCloud::default);
    vpc.vpc_id.get_or_insert_with(String::new);
    vpc.subnet_id.get_or_insert_with(String::new);
    vpc.as_vpc_gateway.get_or_insert(false);
    out.login_settings
        .get_or_insert_with(LoginSettings::default);
    if let Some(l) = out.login_settings.as_mut() {
        l.password = None;
    }
    out.disaster_recover_group_id = Some(
        out.disaster_recover_group_ids
            .first()
            .cloned()
            .unwrap_or_default(),
    );
    out.cam_role_name.get_or_insert_with(String::new);
    out.hpc_cluster_id.get_or_insert_with(String::new);
    out.dedicated_cluster_id.get_or_insert_with(String::new);
    out.isolated_source
        .get_or_insert_with(|| "NOTISOLATED".to_owned());
    out.license_type
        .get_or_insert_with(|| "TencentCloud".to_owned());
    out.disable_api_termination.get_or_insert(false);
    out.latest_operation.get_or_insert_with(String::new);
    out.latest_operation_state.get_or_insert_with(String::new);
    out.latest_operation_request_id
        .get_or_insert_with(String::new);
    out.latest_operation_error_msg
        .get_or_insert_with(String::new);
    out
}

/// The reply to `DescribeInstances`: the generated `DescribeInstancesResponse`, except that
/// the prepaid-only `RenewFlag` and `ExpiredTime` of instances that have none are written as
/// `null`, as the service does for postpaid instances (the generated type would leave them out).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribeInstancesReply {
    /// `TotalCount`.
    pub total_count: i64,
    /// `InstanceSet`.
    pub instance_set: Vec<DescribedInstance>,
}

/// An instance of [`DescribeInstancesReply`].
#[derive(Serialize)]
pub(super) struct DescribedInstance {
    #[serde(flatten)]
    instance: cvm::Instance,
    /// `Some(())`, written `null`, where the instance has no `RenewFlag`.
    #[serde(rename = "RenewFlag", skip_serializing_if = "Option::is_none")]
    null_renew_flag: Option<()>,
    /// `Some(())`, written `null`, where the instance has no `ExpiredTime`.
    #[serde(rename = "ExpiredTime", skip_serializing_if = "Option::is_none")]
    null_expired_time: Option<()>,
}

impl DescribedInstance {
    /// The stored `model` as `DescribeInstances` answers it.
    pub(super) fn of(model: &Instance) -> Self {
        let instance = reply_instance(model);
        DescribedInstance {
            null_renew_flag: instance.renew_flag.is_none().then_some(()),
            null_expired_time: instance.expired_time.is_none().then_some(()),
            instance,
        }
    }
}

/// An image as `DescribeImages` answers it, every always-returned field present.
pub(super) fn reply_image(model: &Image) -> cvm::Image {
    // The stored model is the generated reply type itself, so a clone is the conversion.
    let mut out: cvm::Image = model.clone();
    complete_image(&mut out);
    out
}

/// Fills an image's always-returned fields that are missing.
pub(super) fn complete_image(out: &mut cvm::Image) {
    let normal = out.image_state.as_deref() == Some("NORMAL");
    out.sync_percent.get_or_insert(if normal { 100 } else { 0 });
    out.image_description.get_or_insert_with(String::new);
    out.image_creator.get_or_insert_with(String::new);
    out.image_source
        .get_or_insert_with(|| "CREATE_IMAGE".to_owned());
    out.is_support_cloudinit.get_or_insert(true);
    out.license_type
        .get_or_insert_with(|| "TencentCloud".to_owned());
    for s in &mut out.snapshot_set {
        s.snapshot_id.get_or_insert_with(String::new);
        s.disk_usage.get_or_insert_with(|| "SYSTEM_DISK".to_owned());
        s.disk_size.get_or_insert(0);
    }
    for t in &mut out.tags {
        t.key.get_or_insert_with(String::new);
        t.value.get_or_insert_with(String::new);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::{json, Value};

    use super::*;

    /// The instance as `DescribeInstances` answered it before replies were serialized straight
    /// to bytes: through a `serde_json::Value`, the prepaid-only fields added as `null`.
    fn oracle(model: &Instance) -> Value {
        let mut v = serde_json::to_value(reply_instance(model)).unwrap();
        let map = v.as_object_mut().unwrap();
        for key in ["RenewFlag", "ExpiredTime"] {
            map.entry(key).or_insert(Value::Null);
        }
        v
    }

    fn described(model: &Instance) -> Value {
        serde_json::from_slice(&serde_json::to_vec(&DescribedInstance::of(model)).unwrap()).unwrap()
    }

    #[test]
    fn described_instances_have_the_content_of_the_value_built_reply() {
        let rich: Instance = serde_json::from_value(json!({
            "Placement": {"Zone": "ap-guangzhou-3", "ProjectId": 7, "HostId": "host-1"},
            "InstanceId": "ins-1a2b3c4d",
            "InstanceType": "S5.MEDIUM4",
            "CPU": 2,
            "Memory": 4,
            "InstanceName": "web \"1\"",
            "InstanceChargeType": "PREPAID",
            "SystemDisk": {"DiskType": "CLOUD_SSD", "DiskId": "disk-1", "DiskSize": 60},
            "DataDisks": [{"DiskSize": 100}, {"DiskSize": 200, "Encrypt": true, "KmsKeyId": "k"}],
            "PrivateIpAddresses": ["10.0.0.2"],
            "PublicIpAddresses": ["1.2.3.4"],
            "InternetAccessible": {"InternetMaxBandwidthOut": 5, "PublicIpAssigned": true},
            "VirtualPrivateCloud": {"VpcId": "vpc-1", "PrivateIpAddresses": ["10.0.0.2"]},
            "ImageId": "img-1",
            "RenewFlag": "NOTIFY_AND_AUTO_RENEW",
            "CreatedTime": "2024-01-28T00:00:00Z",
            "ExpiredTime": "2024-02-28T00:00:00Z",
            "OsName": "TencentOS",
            "SecurityGroupIds": ["sg-1", "sg-2"],
            "LoginSettings": {"Password": "secret", "KeyIds": ["skey-1"]},
            "InstanceState": "RUNNING",
            "Tags": [{"Key": "k", "Value": "v"}],
            "Uuid": "u",
            "DisasterRecoverGroupIds": ["ps-1"],
            "DisableApiTermination": true,
        }))
        .unwrap();
        let mut postpaid = rich.clone();
        postpaid.renew_flag = None;
        postpaid.expired_time = None;
        postpaid.system_disk = None;
        for model in [Instance::default(), rich, postpaid] {
            assert_eq!(described(&model), oracle(&model));
        }
    }
}
