//! Disks: `RunInstances`' system and data disk checks, and the disks a new instance gets.

use cvm_proto::models::{DataDisk, Image, RunInstancesRequest, SystemDisk};

use super::{has_id_form, one_of, range};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

const SYSTEM_DISK_TYPES: [&str; 8] = [
    "LOCAL_BASIC",
    "LOCAL_SSD",
    "CLOUD_BASIC",
    "CLOUD_SSD",
    "CLOUD_PREMIUM",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
];
/// Disk types only data disks may have, besides the system disk types.
const DATA_ONLY_DISK_TYPES: [&str; 2] = ["LOCAL_NVME", "LOCAL_PRO"];

/// Checks the system disk (50 GB when omitted) against the image it is made from.
pub(super) fn check_system_disk(req: &RunInstancesRequest, image: &Image) -> ApiResult<()> {
    let system_disk = req.system_disk.clone().unwrap_or_default();
    if let Some(t) = &system_disk.disk_type {
        one_of("SystemDisk.DiskType", t, &SYSTEM_DISK_TYPES)?;
    }
    let system_size = system_disk.disk_size.unwrap_or(50);
    range("SystemDisk.DiskSize", system_size, 20, 1024)?;
    if image.image_size.is_some_and(|s| s > system_size) {
        return Err(ApiFailure::new(
            "InvalidImageId.TooLarge",
            format!(
                "The image `{}` needs a system disk of at least {} GB.",
                image.image_id.as_deref().unwrap_or_default(),
                image.image_size.unwrap_or(0)
            ),
        ));
    }
    Ok(())
}

/// Checks each data disk, and that there are at most 1 local and 20 cloud ones.
pub(super) fn check_data_disks(disks: &[DataDisk]) -> ApiResult<()> {
    if disks.len() > 21 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.LimitExceeded",
            "At most 21 data disks may be attached.",
        ));
    }
    let mut local_disks = 0;
    for (i, d) in disks.iter().enumerate() {
        if check_data_disk(i, d)?.starts_with("LOCAL_") {
            local_disks += 1;
        }
    }
    if local_disks > 1 || disks.len() - local_disks > 20 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.LimitExceeded",
            "At most 1 local and 20 cloud data disks may be attached.",
        ));
    }
    Ok(())
}

/// Checks data disk `i` (`LOCAL_BASIC` when its type is omitted) and returns its type.
fn check_data_disk(i: usize, d: &DataDisk) -> ApiResult<&str> {
    let t = d.disk_type.as_deref().unwrap_or("LOCAL_BASIC");
    let mut types = SYSTEM_DISK_TYPES.to_vec();
    types.extend(DATA_ONLY_DISK_TYPES);
    one_of(&format!("DataDisks.{i}.DiskType"), t, &types)?;
    let size = super::given(d.disk_size, &format!("DataDisks.{i}.DiskSize"))?;
    range(&format!("DataDisks.{i}.DiskSize"), size, 10, 32_000)?;
    if size % 10 != 0 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.Range",
            format!("The size `{size}` of `DataDisks.{i}.DiskSize` must be a multiple of 10 GB."),
        ));
    }
    if t == "CLOUD_SSD" && size < 100 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
            "A CLOUD_SSD data disk must be at least 100 GB.",
        ));
    }
    if let Some(s) = &d.snapshot_id {
        if !has_id_form(s, "snap-") {
            return Err(ApiFailure::new(
                "InvalidParameterValue.SnapshotIdMalformed",
                format!("The snapshot ID `{s}` is malformed."),
            ));
        }
    }
    Ok(t)
}

impl Sim {
    /// A new instance's system disk, with a fresh id and the service's defaults filled in.
    pub(super) fn new_system_disk(&mut self, req: &RunInstancesRequest) -> SystemDisk {
        let mut system_disk = req.system_disk.clone().unwrap_or_default();
        system_disk
            .disk_type
            .get_or_insert_with(|| "CLOUD_PREMIUM".to_owned());
        system_disk.disk_size.get_or_insert(50);
        system_disk.disk_id = Some(format!("disk-{}", self.random_suffix()));
        system_disk
    }

    /// A new instance's data disks, each with a fresh id and the service's defaults filled in.
    pub(super) fn new_data_disks(&mut self, req: &RunInstancesRequest) -> Vec<DataDisk> {
        let mut data_disks = Vec::with_capacity(req.data_disks.len());
        for d in &req.data_disks {
            let mut info = d.clone();
            info.disk_type
                .get_or_insert_with(|| "LOCAL_BASIC".to_owned());
            info.delete_with_instance.get_or_insert(true);
            info.encrypt.get_or_insert(false);
            info.disk_id = Some(format!("disk-{}", self.random_suffix()));
            data_disks.push(info);
        }
        data_disks
    }
}
