//! What is on sale where: `DescribeRegions`, `DescribeZones` and `DescribeInstanceTypeConfigs`.

use cvm_proto::models::{
    DescribeInstanceTypeConfigsRequest, DescribeInstanceTypeConfigsResponse,
    DescribeRegionsRequest, DescribeRegionsResponse, DescribeZonesRequest, DescribeZonesResponse,
    Filter, InstanceTypeConfig, RegionInfo, ZoneInfo,
};

use super::{check_filters, invalid_filter, mismatch, object, Call, Reply};
use crate::config::{InstanceTypeSpec, ZoneConfig};
use crate::error::ApiResult;
use crate::sim::{Cx, Sim};

impl Sim {
    /// `DescribeRegions`: every region, named in the request's language.
    pub(super) fn describe_regions(
        &self,
        _req: DescribeRegionsRequest,
        cx: &Cx,
    ) -> ApiResult<Reply> {
        let set: Vec<RegionInfo> = self
            .config
            .regions
            .iter()
            .map(|r| RegionInfo {
                region: Some(r.region.clone()),
                region_name: Some(if cx.english { &r.name_en } else { &r.name }.clone()),
                region_state: Some(r.state.clone()),
            })
            .collect();
        object(&DescribeRegionsResponse {
            total_count: Some(set.len() as u64),
            region_set: set,
        })
    }

    /// `DescribeZones`: the zones of the call's region, named in the request's language.
    pub(super) fn describe_zones(
        &self,
        call: &Call<'_>,
        _req: DescribeZonesRequest,
    ) -> ApiResult<Reply> {
        let set: Vec<ZoneInfo> = self
            .zones(&call.region)
            .iter()
            .map(|z| ZoneInfo {
                zone: Some(z.zone.clone()),
                zone_name: Some(if call.cx.english { &z.name_en } else { &z.name }.clone()),
                zone_id: Some(z.zone_id.clone()),
                zone_state: Some(z.state.clone()),
            })
            .collect();
        object(&DescribeZonesResponse {
            total_count: Some(set.len() as u64),
            zone_set: set,
        })
    }

    /// `DescribeInstanceTypeConfigs`: the instance types sold in each zone of the region, filtered.
    pub(super) fn describe_instance_type_configs(
        &self,
        call: &Call<'_>,
        req: DescribeInstanceTypeConfigsRequest,
    ) -> ApiResult<Reply> {
        let region = call.region.as_str();
        self.check_type_config_filters(region, &req.filters)?;
        let mut set = Vec::new();
        for z in self.zones(region) {
            for t in self
                .config
                .instance_types
                .iter()
                .filter(|t| t.zones.contains(&z.zone))
            {
                if req.filters.iter().all(|f| type_config_matches(z, t, f)) {
                    set.push(type_config(z, t));
                }
            }
        }
        object(&DescribeInstanceTypeConfigsResponse {
            instance_type_config_set: set,
        })
    }

    /// The zones of `region`; none for a region not configured.
    pub(super) fn zones(&self, region: &str) -> &[ZoneConfig] {
        self.region_config(region)
            .map(|r| r.zones.as_slice())
            .unwrap_or_default()
    }

    /// Allows only the filters `zone` (with zones of `region`), `instance-family` and `instance-type`.
    fn check_type_config_filters(&self, region: &str, filters: &[Filter]) -> ApiResult<()> {
        check_filters(filters, 1)?;
        for f in filters {
            match f.name.as_str() {
                "zone" => {
                    if let Some(z) = f.values.iter().find(|z| !self.zone_in_region(region, z)) {
                        return Err(mismatch(z, region));
                    }
                }
                "instance-family" | "instance-type" => {}
                other => return Err(invalid_filter(other)),
            }
        }
        Ok(())
    }
}

/// Whether instance type `t` in zone `z` satisfies one (already checked) filter.
fn type_config_matches(z: &ZoneConfig, t: &InstanceTypeSpec, f: &Filter) -> bool {
    let field = match f.name.as_str() {
        "zone" => &z.zone,
        "instance-family" => &t.family,
        _ => &t.instance_type,
    };
    f.values.contains(field)
}

/// How `DescribeInstanceTypeConfigs` reports instance type `t` in zone `z`.
fn type_config(z: &ZoneConfig, t: &InstanceTypeSpec) -> InstanceTypeConfig {
    InstanceTypeConfig {
        zone: Some(z.zone.clone()),
        instance_type: Some(t.instance_type.clone()),
        instance_family: Some(t.family.clone()),
        gpu: Some(t.gpu),
        cpu: Some(t.cpu),
        memory: Some(t.memory),
        fpga: Some(0),
        gpu_count: Some(t.gpu as f64),
        gpu_type: None,
        gpu_memory: None,
    }
}
