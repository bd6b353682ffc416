//! The fields the spec says the service always returns, filled in where the stored model has
//! none: instances and images are kept in the hand-written models and answered in the generated
//! reply types, completed here.

use cvm_proto::api::cvm::{self, LoginSettings, Placement, VirtualPrivateCloud};
use cvm_proto::models::{Image, Instance};

use serde_json::Value;

use super::owned::convert;
use super::Reply;
use crate::error::ApiResult;

/// An instance as `DescribeInstances` answers it, every always-returned field present.
pub(super) fn reply_instance(model: &Instance) -> ApiResult<cvm::Instance> {
    let mut out: cvm::Instance = convert(model)?;
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
    Ok(out)
}

/// Writes the prepaid-only `RenewFlag` and `ExpiredTime` of instances that have none as `null`,
/// as the service does for postpaid instances (the generated type would leave them out).
pub(super) fn null_prepaid_fields(reply: &mut Reply) {
    let Some(Value::Array(set)) = reply.get_mut("InstanceSet") else {
        return;
    };
    for inst in set.iter_mut().filter_map(Value::as_object_mut) {
        for key in ["RenewFlag", "ExpiredTime"] {
            inst.entry(key).or_insert(Value::Null);
        }
    }
}

/// An image as `DescribeImages` answers it, every always-returned field present.
pub(super) fn reply_image(model: &Image) -> ApiResult<cvm::Image> {
    let mut out: cvm::Image = convert(model)?;
    complete_image(&mut out);
    Ok(out)
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
