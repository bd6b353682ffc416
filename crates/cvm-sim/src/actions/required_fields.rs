//! The fields the spec says the service always returns, filled in where the stored model has
//! none: instances and images are kept in the hand-written models and answered in the generated
//! reply types, completed here.

use cvm_proto::api::cvm::{self, LoginSettings, Placement, VirtualPrivateCloud};
use cvm_proto::models::{Image, Instance};

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::owned::internal;
use super::Reply;
use crate::error::ApiResult;
use crate::sim::SimInstance;

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

/// The JSON of instances as `DescribeInstances` answers them ([`write_instance`]), each kept
/// for as long as the stored model it was written from stays equal to the instance's (compared
/// in full at every use, so that no change to an instance, however made, can be missed).
///
/// Writing an instance (about 1.5 KB of JSON, 60 fields) is most of what `DescribeInstances`
/// costs, and polling the same instances is what callers do most (the `sim` bench: a
/// `DescribeInstances` of 10 instances takes about 5 times less with it).
#[derive(Default)]
pub(crate) struct DescribedCache {
    entries: HashMap<u64, (Instance, Vec<u8>)>,
}

impl DescribedCache {
    /// The JSON of the instance kept under `seq` whose stored model is `model`.
    fn json(&mut self, seq: u64, model: &Instance) -> ApiResult<&[u8]> {
        let entry = match self.entries.entry(seq) {
            Entry::Occupied(e) => {
                let e = e.into_mut();
                if e.0 != *model {
                    // The old JSON's room is reused; on an error the entry keeps the old model,
                    // which differs from the instance's, so it is written again at the next use.
                    write_instance(model, &mut e.1)?;
                    e.0.clone_from(model);
                }
                e
            }
            Entry::Vacant(e) => {
                let mut json = Vec::with_capacity(2048);
                write_instance(model, &mut json)?;
                e.insert((model.clone(), json))
            }
        };
        Ok(&entry.1)
    }

    /// Forgets the instances for which `exists` is false, once there are many more entries than `live` instances.
    fn prune(&mut self, live: usize, exists: impl Fn(u64) -> bool) {
        if self.entries.len() > 2 * live + 64 {
            self.entries.retain(|&seq, _| exists(seq));
        }
    }
}

/// Writes into `out` (emptied first) the stored `model` as `DescribeInstances` answers it:
/// [`reply_instance`], with the prepaid-only `RenewFlag` and `ExpiredTime` of instances that have
/// none written as `null` after the other fields, as the service does for postpaid instances
/// (the generated type would leave them out).
fn write_instance(model: &Instance, out: &mut Vec<u8>) -> ApiResult<()> {
    let instance = reply_instance(model);
    out.clear();
    serde_json::to_writer(&mut *out, &instance).map_err(|_| internal())?;
    if out.pop() != Some(b'}') {
        return Err(internal());
    }
    let nulls = [
        (instance.renew_flag.is_none(), r#""RenewFlag":null"#),
        (instance.expired_time.is_none(), r#""ExpiredTime":null"#),
    ];
    for (_, field) in nulls.iter().filter(|(missing, _)| *missing) {
        if out.last() != Some(&b'{') {
            out.push(b',');
        }
        out.extend_from_slice(field.as_bytes());
    }
    out.push(b'}');
    Ok(())
}

/// The reply to `DescribeInstances`, the generated `DescribeInstancesResponse` with every
/// instance written as a [`DescribedInstance`]: `{"TotalCount":...,"InstanceSet":[...]}`.
pub(super) fn describe_instances_reply<'a>(
    cache: &mut DescribedCache,
    total: usize,
    set: impl ExactSizeIterator<Item = &'a SimInstance>,
    live: usize,
    exists: impl Fn(u64) -> bool,
) -> ApiResult<Reply> {
    cache.prune(live, exists);
    let mut out = Vec::with_capacity(64 + 2048 * set.len());
    out.extend_from_slice(b"{\"TotalCount\":");
    out.extend_from_slice(total.to_string().as_bytes());
    out.extend_from_slice(b",\"InstanceSet\":[");
    for (i, inst) in set.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(cache.json(inst.seq, &inst.model)?);
    }
    out.extend_from_slice(b"]}");
    Ok(Reply::from_json(out))
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

    fn sim_instance(seq: u64, model: Instance) -> SimInstance {
        SimInstance {
            owner: "o".into(),
            region: "r".into(),
            seq,
            transition: None,
            model,
        }
    }

    /// The reply for `instances`, through `cache`.
    fn described(cache: &mut DescribedCache, instances: &[SimInstance]) -> Value {
        let reply = describe_instances_reply(cache, 7, instances.iter(), instances.len(), |_| true);
        serde_json::from_slice(&reply.unwrap().into_json()).unwrap()
    }

    /// The reply as it was built before: the generated type through a `Value`.
    fn oracle_reply(instances: &[SimInstance]) -> Value {
        json!({
            "TotalCount": 7,
            "InstanceSet": instances.iter().map(|i| oracle(&i.model)).collect::<Vec<_>>(),
        })
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
        let mut instances = vec![
            sim_instance(1, Instance::default()),
            sim_instance(2, rich),
            sim_instance(3, postpaid),
        ];
        let mut cache = DescribedCache::default();
        assert_eq!(described(&mut cache, &[]), oracle_reply(&[]));
        assert_eq!(described(&mut cache, &instances), oracle_reply(&instances));
        // From the cache, and again after changes made behind its back.
        assert_eq!(described(&mut cache, &instances), oracle_reply(&instances));
        instances[1].model.instance_state = Some(cvm_proto::models::InstanceState::Stopped);
        instances[2].model.tags.clear();
        instances[0] = sim_instance(1, instances[1].model.clone());
        assert_eq!(described(&mut cache, &instances), oracle_reply(&instances));
    }

    #[test]
    fn the_prepaid_fields_are_written_once_whether_set_or_null() {
        let prepaid = Instance {
            renew_flag: Some("NOTIFY_AND_AUTO_RENEW".into()),
            ..Instance::default()
        };
        for model in [Instance::default(), prepaid] {
            let mut out = b"stale".to_vec();
            write_instance(&model, &mut out).unwrap();
            let text = std::str::from_utf8(&out).unwrap();
            assert_eq!(serde_json::from_str::<Value>(text).unwrap(), oracle(&model));
            for key in ["\"RenewFlag\":", "\"ExpiredTime\":"] {
                assert_eq!(text.matches(key).count(), 1, "{key} in {text}");
            }
        }
    }

    #[test]
    fn the_cache_forgets_instances_that_are_gone() {
        let mut cache = DescribedCache::default();
        let many: Vec<SimInstance> = (0..100)
            .map(|seq| sim_instance(seq, Instance::default()))
            .collect();
        described(&mut cache, &many);
        assert_eq!(cache.entries.len(), 100);
        let reply = describe_instances_reply(&mut cache, 0, [].iter(), 0, |seq| seq < 3);
        assert!(reply.is_ok());
        assert_eq!(cache.entries.len(), 3);
    }
}
