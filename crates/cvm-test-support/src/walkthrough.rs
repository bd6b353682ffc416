//! The walkthrough this project started from, as data: find the instance type with 2 CPUs and
//! 4 GiB in `ap-guangzhou-2`, create one instance of it, destroy it. The demo, the examples, the
//! tests and the benchmarks all build their requests here, so they exercise the same request.

use cvm_proto::models::{
    DataDisk, DescribeInstanceTypeConfigsRequest, EnhancedService, Filter, InternetAccessible,
    LoginSettings, Placement, RunInstancesRequest, RunMonitorServiceEnabled,
    RunSecurityServiceEnabled, SystemDisk,
};

/// The walkthrough's region.
pub const REGION: &str = "ap-guangzhou";
/// The walkthrough's zone.
pub const ZONE: &str = "ap-guangzhou-2";
/// The walkthrough's image.
pub const IMAGE: &str = "img-pmqg1cw7";
/// The instance family searched for the 2 CPU / 4 GiB type.
pub const FAMILY: &str = "S2";

/// `DescribeInstanceTypeConfigs` filtered to the walkthrough's zone and family.
pub fn instance_types() -> DescribeInstanceTypeConfigsRequest {
    DescribeInstanceTypeConfigsRequest {
        filters: vec![
            Filter::new("zone", [ZONE]),
            Filter::new("instance-family", [FAMILY]),
        ],
    }
}

/// The walkthrough's `RunInstances`: one postpaid `instance_type` in `ap-guangzhou-2` from
/// `img-pmqg1cw7`, a 50 GiB LOCAL_BASIC system disk, one 100 GiB LOCAL_BASIC data disk, 10 Mbps
/// traffic-postpaid bandwidth with a public IP, named QCLOUD-TEST, with `password`, and the
/// security and monitoring agents on.
pub fn run_instances(instance_type: &str, password: &str) -> RunInstancesRequest {
    RunInstancesRequest {
        instance_charge_type: Some("POSTPAID_BY_HOUR".into()),
        placement: Some(Placement::new(ZONE)),
        instance_type: Some(instance_type.into()),
        image_id: Some(IMAGE.into()),
        system_disk: Some(SystemDisk {
            disk_type: Some("LOCAL_BASIC".into()),
            disk_size: Some(50),
            ..SystemDisk::default()
        }),
        data_disks: vec![DataDisk::new(100).with_disk_type("LOCAL_BASIC")],
        internet_accessible: Some(InternetAccessible {
            internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
            internet_max_bandwidth_out: Some(10),
            public_ip_assigned: Some(true),
            ..InternetAccessible::default()
        }),
        instance_count: Some(1),
        instance_name: Some("QCLOUD-TEST".into()),
        login_settings: Some(LoginSettings {
            password: Some(password.into()),
            ..LoginSettings::default()
        }),
        enhanced_service: Some(EnhancedService {
            security_service: Some(RunSecurityServiceEnabled {
                enabled: Some(true),
            }),
            monitor_service: Some(RunMonitorServiceEnabled {
                enabled: Some(true),
            }),
            ..EnhancedService::default()
        }),
        ..RunInstancesRequest::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_to_the_sdk_vectors_parameters() {
        // The action parameters of vector S3, with `true` where the Python SDK wrote `TRUE`.
        let p = cvm_proto::flatten::to_params(&run_instances("S1.SMALL1", "Qcloud@TestApi123++"))
            .unwrap();
        let got: Vec<(&str, &str)> = p.iter().collect();
        assert_eq!(
            got,
            [
                ("DataDisks.0.DiskSize", "100"),
                ("DataDisks.0.DiskType", "LOCAL_BASIC"),
                ("EnhancedService.MonitorService.Enabled", "true"),
                ("EnhancedService.SecurityService.Enabled", "true"),
                ("ImageId", "img-pmqg1cw7"),
                ("InstanceChargeType", "POSTPAID_BY_HOUR"),
                ("InstanceCount", "1"),
                ("InstanceName", "QCLOUD-TEST"),
                ("InstanceType", "S1.SMALL1"),
                (
                    "InternetAccessible.InternetChargeType",
                    "TRAFFIC_POSTPAID_BY_HOUR"
                ),
                ("InternetAccessible.InternetMaxBandwidthOut", "10"),
                ("InternetAccessible.PublicIpAssigned", "true"),
                ("LoginSettings.Password", "Qcloud@TestApi123++"),
                ("Placement.Zone", "ap-guangzhou-2"),
                ("SystemDisk.DiskSize", "50"),
                ("SystemDisk.DiskType", "LOCAL_BASIC"),
            ]
        );
        assert_eq!(
            cvm_proto::flatten::to_params(&instance_types())
                .unwrap()
                .len(),
            4
        );
    }
}
