//! Shapes and helpers shared by the serializer's, the deserializer's and the round-trip tests.

use serde::{Deserialize, Serialize};

use super::to_params;
use crate::params::Params;

pub(super) fn pairs(params: &Params) -> Vec<(&str, &str)> {
    params.iter().collect()
}

pub(super) fn flat<T: Serialize + ?Sized>(value: &T) -> Vec<(String, String)> {
    to_params(value).unwrap().into_pairs()
}

pub(super) fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub(super) fn params(pairs: &[(&str, &str)]) -> Params {
    Params::from_pairs(pairs.iter().copied()).unwrap()
}

// --- the walkthrough's shapes -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct Placement {
    pub(super) zone: String,
    pub(super) project_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct Disk {
    pub(super) disk_type: Option<String>,
    pub(super) disk_size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct InternetAccessible {
    pub(super) internet_charge_type: Option<String>,
    pub(super) internet_max_bandwidth_out: Option<u64>,
    pub(super) public_ip_assigned: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct LoginSettings {
    pub(super) password: Option<String>,
    #[serde(default)]
    pub(super) key_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct Enabled {
    pub(super) enabled: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct EnhancedService {
    pub(super) security_service: Option<Enabled>,
    pub(super) monitor_service: Option<Enabled>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct RunInstances {
    pub(super) instance_charge_type: Option<String>,
    pub(super) placement: Option<Placement>,
    pub(super) instance_type: Option<String>,
    pub(super) image_id: Option<String>,
    pub(super) system_disk: Option<Disk>,
    #[serde(default)]
    pub(super) data_disks: Vec<Disk>,
    pub(super) internet_accessible: Option<InternetAccessible>,
    pub(super) instance_count: Option<i64>,
    pub(super) instance_name: Option<String>,
    pub(super) login_settings: Option<LoginSettings>,
    pub(super) enhanced_service: Option<EnhancedService>,
    #[serde(default)]
    pub(super) security_group_ids: Vec<String>,
    pub(super) dry_run: Option<bool>,
}

pub(super) fn run_instances() -> RunInstances {
    RunInstances {
        instance_charge_type: Some("POSTPAID_BY_HOUR".into()),
        placement: Some(Placement {
            zone: "ap-guangzhou-2".into(),
            project_id: None,
        }),
        instance_type: Some("S1.SMALL1".into()),
        image_id: Some("img-pmqg1cw7".into()),
        system_disk: Some(Disk {
            disk_type: Some("LOCAL_BASIC".into()),
            disk_size: Some(50),
        }),
        data_disks: vec![Disk {
            disk_type: Some("LOCAL_BASIC".into()),
            disk_size: Some(100),
        }],
        internet_accessible: Some(InternetAccessible {
            internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
            internet_max_bandwidth_out: Some(10),
            public_ip_assigned: Some(true),
        }),
        instance_count: Some(1),
        instance_name: Some("QCLOUD-TEST".into()),
        login_settings: Some(LoginSettings {
            password: Some("Qcloud@TestApi123++".into()),
            key_ids: vec![],
        }),
        enhanced_service: Some(EnhancedService {
            security_service: Some(Enabled {
                enabled: Some(true),
            }),
            monitor_service: Some(Enabled {
                enabled: Some(true),
            }),
        }),
        security_group_ids: vec![],
        dry_run: None,
    }
}

/// The request parameters of vector S2, with booleans written `true`.
pub(super) const RUN_INSTANCES: &[(&str, &str)] = &[
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
        "TRAFFIC_POSTPAID_BY_HOUR",
    ),
    ("InternetAccessible.InternetMaxBandwidthOut", "10"),
    ("InternetAccessible.PublicIpAssigned", "true"),
    ("LoginSettings.Password", "Qcloud@TestApi123++"),
    ("Placement.Zone", "ap-guangzhou-2"),
    ("SystemDisk.DiskSize", "50"),
    ("SystemDisk.DiskType", "LOCAL_BASIC"),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct Filter {
    pub(super) name: String,
    #[serde(default)]
    pub(super) values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(super) struct DescribeInstances {
    #[serde(default)]
    pub(super) instance_ids: Vec<String>,
    #[serde(default)]
    pub(super) filters: Vec<Filter>,
    pub(super) offset: Option<i64>,
    pub(super) limit: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct One<T> {
    pub(super) v: T,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) enum StopType {
    #[serde(rename = "SOFT")]
    Soft,
    #[serde(rename = "HARD")]
    Hard,
    SoftFirst,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Id(pub(super) String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Pair(pub(super) u8, pub(super) String);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) enum Shape {
    Point,
    Circle(f64),
    Rect(u32, u32),
    Named { name: String, tags: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Drawing {
    pub(super) shapes: Vec<Shape>,
    pub(super) main: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) enum Kind {
    #[serde(rename = "BIG")]
    Big,
}
