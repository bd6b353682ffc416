//! What a region offers: `DescribeRegions`, `DescribeZones` and `DescribeInstanceTypeConfigs`,
//! with the [`RegionInfo`], [`ZoneInfo`] and [`InstanceTypeConfig`] they report.

use serde::{Deserialize, Serialize};

use super::{null_as_empty, Filter};
use crate::action::Action;

/// An instance type available in a zone, with its CPU, memory and accelerators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceTypeConfig {
    /// The availability zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The instance type, e.g. `S1.SMALL1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// The instance family, e.g. `S1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_family: Option<String>,
    /// The number of GPUs.
    #[serde(rename = "GPU", skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
    /// The number of CPU cores.
    #[serde(rename = "CPU", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// The memory in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// The number of FPGAs.
    #[serde(rename = "FPGA", skip_serializing_if = "Option::is_none")]
    pub fpga: Option<i64>,
    /// The number of GPUs, fractional for vGPU types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<f64>,
    /// The GPU model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    /// The GPU memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_memory: Option<f64>,
}

/// An availability zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ZoneInfo {
    /// The zone, e.g. `ap-guangzhou-2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The display name of the zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    /// The numeric zone ID as a string, e.g. `"100002"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    /// `AVAILABLE` or `UNAVAILABLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_state: Option<String>,
}

/// A region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegionInfo {
    /// The region, e.g. `ap-guangzhou`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The display name of the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    /// The region state, e.g. `AVAILABLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_state: Option<String>,
}

/// `DescribeInstanceTypeConfigs`: the instance types available in the region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeInstanceTypeConfigsRequest {
    /// Filters by `zone`, `instance-family` or `instance-type` (at most 10, one value each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
}

/// The reply to `DescribeInstanceTypeConfigs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstanceTypeConfigsResponse {
    /// The matching instance types.
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_type_config_set: Vec<InstanceTypeConfig>,
}

impl Action for DescribeInstanceTypeConfigsRequest {
    const NAME: &'static str = "DescribeInstanceTypeConfigs";
    const READ_ONLY: bool = true;
    type Output = DescribeInstanceTypeConfigsResponse;
}

/// `DescribeZones`: the availability zones of the request's `Region` (no action parameters).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeZonesRequest {}

/// The reply to `DescribeZones`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeZonesResponse {
    /// The number of zones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The zones.
    #[serde(deserialize_with = "null_as_empty")]
    pub zone_set: Vec<ZoneInfo>,
}

impl Action for DescribeZonesRequest {
    const NAME: &'static str = "DescribeZones";
    const READ_ONLY: bool = true;
    type Output = DescribeZonesResponse;
}

/// `DescribeRegions`: all regions (no action parameters; no `Region` needed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeRegionsRequest {}

/// The reply to `DescribeRegions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRegionsResponse {
    /// The number of regions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The regions.
    #[serde(deserialize_with = "null_as_empty")]
    pub region_set: Vec<RegionInfo>,
}

impl Action for DescribeRegionsRequest {
    const NAME: &'static str = "DescribeRegions";
    const READ_ONLY: bool = true;
    type Output = DescribeRegionsResponse;
}
