//! What may be bought and how: `DescribeInstanceFamilyConfigs`, `DescribeInternetChargeTypeConfigs`
//! and `DescribeZoneInstanceConfigInfos`, from the configured catalogue, the charge types
//! `RunInstances` accepts and the price table.
//!
//! The price of a zone's instance type is what `InquiryPriceRunInstances` quotes for the
//! instance type alone: per hour for `POSTPAID_BY_HOUR` and `SPOTPAID`, for one month for
//! `PREPAID`.

use std::cmp::Ordering;

use cvm_proto::api::cvm::{
    DescribeInstanceFamilyConfigsRequest, DescribeInstanceFamilyConfigsResponse,
    DescribeInternetChargeTypeConfigsRequest, DescribeInternetChargeTypeConfigsResponse,
    DescribeZoneInstanceConfigInfosRequest, DescribeZoneInstanceConfigInfosResponse, Externals,
    Filter, InstanceFamilyConfig, InstanceTypeQuotaItem, InternetChargeTypeConfig,
};

use super::billing::{CHARGE_TYPES, EMULATED_CHARGE_TYPES};
use super::network::INTERNET_CHARGE_TYPES;
use super::owned::check_generated_filters;
use super::prices::Quote;
use super::{invalid_filter, mismatch, object, one_of, Call, Reply};
use crate::config::{InstanceTypeSpec, ZoneConfig};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

/// The kinds of instance family by the letters of their name: Chinese and English names.
const FAMILY_KINDS: [(&str, &str, &str); 8] = [
    ("S", "标准型", "Standard"),
    ("SA", "标准型", "Standard"),
    ("M", "内存型", "Memory Optimized"),
    ("MA", "内存型", "Memory Optimized"),
    ("C", "计算型", "Compute Optimized"),
    ("IT", "高IO型", "High IO"),
    ("D", "大数据型", "Big Data"),
    ("GN", "GPU计算型", "GPU Compute"),
];

impl Sim {
    /// `DescribeInstanceFamilyConfigs`: the families of the instance types sold in the region,
    /// in catalogue order, named in the request's language.
    pub(super) fn describe_instance_family_configs(
        &self,
        call: &Call<'_>,
        _req: DescribeInstanceFamilyConfigsRequest,
    ) -> ApiResult<Reply> {
        let mut families: Vec<&str> = Vec::new();
        for t in self.types_in_region(&call.region) {
            if !families.contains(&t.family.as_str()) {
                families.push(&t.family);
            }
        }
        object(&DescribeInstanceFamilyConfigsResponse {
            instance_family_config_set: families
                .into_iter()
                .map(|f| InstanceFamilyConfig {
                    instance_family_name: Some(family_name(f, call.cx.english)),
                    instance_family: Some(f.to_owned()),
                })
                .collect(),
        })
    }

    /// `DescribeInternetChargeTypeConfigs`: the internet charge types `RunInstances` accepts,
    /// described in the request's language.
    pub(super) fn describe_internet_charge_type_configs(
        &self,
        call: &Call<'_>,
        _req: DescribeInternetChargeTypeConfigsRequest,
    ) -> ApiResult<Reply> {
        object(&DescribeInternetChargeTypeConfigsResponse {
            internet_charge_type_config_set: INTERNET_CHARGE_TYPES
                .iter()
                .map(|t| InternetChargeTypeConfig {
                    internet_charge_type: Some((*t).to_owned()),
                    description: Some(internet_charge_description(t, call.cx.english).to_owned()),
                })
                .collect(),
        })
    }

    /// `DescribeZoneInstanceConfigInfos`: each instance type of each zone of the region, once
    /// per charge type, with its price, filtered and sorted by `Filters`.
    pub(super) fn describe_zone_instance_config_infos(
        &self,
        call: &Call<'_>,
        req: DescribeZoneInstanceConfigInfosRequest,
    ) -> ApiResult<Reply> {
        let sort = self.check_zone_config_filters(&call.region, &req.filters)?;
        let mut set = Vec::new();
        for z in self.zones(&call.region) {
            for t in self
                .config
                .instance_types
                .iter()
                .filter(|t| t.zones.contains(&z.zone))
            {
                for charge_type in EMULATED_CHARGE_TYPES {
                    let keep = req
                        .filters
                        .iter()
                        .all(|f| zone_config_matches(z, t, charge_type, f));
                    if keep {
                        set.push(self.zone_config(z, t, charge_type, call.cx.english));
                    }
                }
            }
        }
        set.sort_by(|a, b| {
            sort.iter()
                .map(|key| key.compare(a, b))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        object(&DescribeZoneInstanceConfigInfosResponse {
            instance_type_quota_set: set,
        })
    }

    /// The instance types sold in some zone of `region`, in catalogue order.
    fn types_in_region<'a>(
        &'a self,
        region: &'a str,
    ) -> impl Iterator<Item = &'a InstanceTypeSpec> + 'a {
        self.config
            .instance_types
            .iter()
            .filter(move |t| t.zones.iter().any(|z| self.zone_in_region(region, z)))
    }

    /// Allows the filters `zone` (zones of `region`), `instance-family`, `instance-type`,
    /// `instance-charge-type` (the service's charge types) and `sort-keys`, whose keys it returns.
    fn check_zone_config_filters(
        &self,
        region: &str,
        filters: &[Filter],
    ) -> ApiResult<Vec<SortKey>> {
        check_generated_filters(filters, 100)?;
        let mut sort = Vec::new();
        for f in filters {
            match f.name.as_str() {
                "zone" => {
                    if let Some(z) = f.values.iter().find(|z| !self.zone_in_region(region, z)) {
                        return Err(mismatch(z, region));
                    }
                }
                "instance-charge-type" => {
                    for v in &f.values {
                        one_of("Filters.instance-charge-type", v, &CHARGE_TYPES)?;
                    }
                }
                "sort-keys" => {
                    for v in &f.values {
                        sort.push(SortKey::parse(v)?);
                    }
                }
                "instance-family" | "instance-type" => {}
                other => return Err(invalid_filter(other)),
            }
        }
        Ok(sort)
    }

    /// How `DescribeZoneInstanceConfigInfos` reports instance type `t` in zone `z` billed `charge_type`.
    fn zone_config(
        &self,
        z: &ZoneConfig,
        t: &InstanceTypeSpec,
        charge_type: &str,
        english: bool,
    ) -> InstanceTypeQuotaItem {
        let quote = Quote {
            instance_type: t.instance_type.clone(),
            cpu: t.cpu,
            memory: t.memory,
            ..Quote::default()
        };
        let months = if charge_type == "PREPAID" { 1 } else { 0 };
        let on_sale = z.state == "AVAILABLE";
        let amd = t.family.starts_with("SA") || t.family.starts_with("MA");
        let generation: u32 = t
            .family
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .unwrap_or(1);
        InstanceTypeQuotaItem {
            zone: Some(z.zone.clone()),
            instance_type: Some(t.instance_type.clone()),
            instance_charge_type: Some(charge_type.to_owned()),
            network_card: Some(if generation >= 5 { 25 } else { 10 }),
            externals: Some(Externals::default()),
            cpu: Some(t.cpu),
            memory: Some(t.memory),
            instance_family: Some(t.family.clone()),
            type_name: Some(family_name(&t.family, english)),
            local_disk_type_list: Vec::new(),
            status: Some(if on_sale { "SELL" } else { "SOLD_OUT" }.to_owned()),
            price: Some(self.price_instance(&quote, charge_type, months, 1)),
            sold_out_reason: Some(if on_sale {
                String::new()
            } else {
                format!("The zone `{}` is not available.", z.zone)
            }),
            instance_bandwidth: Some((t.cpu as f64 * 0.75).clamp(1.5, 25.0)),
            instance_pps: Some(t.cpu.saturating_mul(25).clamp(0, 600)),
            storage_block_amount: Some(0),
            cpu_type: Some(
                if amd {
                    "AMD EPYC Rome"
                } else {
                    "Intel Xeon Cascade Lake"
                }
                .to_owned(),
            ),
            gpu: Some(t.gpu),
            fpga: Some(0),
            remark: Some(String::new()),
            gpu_count: Some(t.gpu as f64),
            frequency: Some(
                if amd {
                    "2.6GHz/3.3GHz"
                } else {
                    "2.5GHz/3.1GHz"
                }
                .to_owned(),
            ),
            status_category: Some(
                if on_sale {
                    "EnoughStock"
                } else {
                    "WithoutStock"
                }
                .to_owned(),
            ),
        }
    }
}

/// Whether instance type `t` in zone `z` billed `charge_type` satisfies one (checked) filter.
fn zone_config_matches(
    z: &ZoneConfig,
    t: &InstanceTypeSpec,
    charge_type: &str,
    f: &Filter,
) -> bool {
    let field = match f.name.as_str() {
        "zone" => z.zone.as_str(),
        "instance-family" => t.family.as_str(),
        "instance-type" => t.instance_type.as_str(),
        "instance-charge-type" => charge_type,
        _ => return true,
    };
    f.values.iter().any(|v| v == field)
}

/// One key of the `sort-keys` filter: `cpu` or `mem`, ascending or descending.
struct SortKey {
    memory: bool,
    descending: bool,
}

impl SortKey {
    /// Reads `cpu:asc`, `mem:desc`, ...
    fn parse(text: &str) -> ApiResult<SortKey> {
        let parsed = text.split_once(':').and_then(|(field, order)| {
            let memory = match field {
                "cpu" => false,
                "mem" => true,
                _ => return None,
            };
            let descending = match order {
                "asc" => false,
                "desc" => true,
                _ => return None,
            };
            Some(SortKey { memory, descending })
        });
        parsed.ok_or_else(|| {
            ApiFailure::invalid_value(format!(
                "The value `{text}` of `Filters.sort-keys` is invalid; it looks like `cpu:asc` or `mem:desc`."
            ))
        })
    }

    /// The order of two items by this key.
    fn compare(&self, a: &InstanceTypeQuotaItem, b: &InstanceTypeQuotaItem) -> Ordering {
        let value = |i: &InstanceTypeQuotaItem| if self.memory { i.memory } else { i.cpu };
        let order = value(a).cmp(&value(b));
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }
}

/// A family's display name: its kind by the letters of its name, and the family, e.g. `Standard S5`.
fn family_name(family: &str, english: bool) -> String {
    let letters = family.trim_end_matches(|c: char| c.is_ascii_digit());
    match FAMILY_KINDS.iter().find(|(l, _, _)| *l == letters) {
        Some((_, cn, _)) if !english => format!("{cn}{family}"),
        Some((_, _, en)) => format!("{en} {family}"),
        None if english => format!("Family {family}"),
        None => format!("{family}系列"),
    }
}

/// What an internet charge type means.
fn internet_charge_description(internet_charge_type: &str, english: bool) -> &'static str {
    match (internet_charge_type, english) {
        ("BANDWIDTH_PREPAID", true) => "Prepaid by bandwidth, monthly",
        ("BANDWIDTH_PREPAID", false) => "预付费按带宽结算",
        ("TRAFFIC_POSTPAID_BY_HOUR", true) => "Pay-as-you-go by traffic, hourly",
        ("TRAFFIC_POSTPAID_BY_HOUR", false) => "流量按小时后付费",
        ("BANDWIDTH_POSTPAID_BY_HOUR", true) => "Pay-as-you-go by bandwidth, hourly",
        ("BANDWIDTH_POSTPAID_BY_HOUR", false) => "带宽按小时后付费",
        ("BANDWIDTH_PACKAGE", true) => "Billed by a shared bandwidth package",
        ("BANDWIDTH_PACKAGE", false) => "带宽包用户",
        (_, true) => "Internet charge type",
        (_, false) => "网络计费类型",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_and_sort_keys() {
        assert_eq!(family_name("S5", true), "Standard S5");
        assert_eq!(family_name("SA2", false), "标准型SA2");
        assert_eq!(family_name("GN7", true), "GPU Compute GN7");
        assert_eq!(family_name("X9", true), "Family X9");
        assert!(SortKey::parse("mem:desc").is_ok_and(|k| k.memory && k.descending));
        assert!(SortKey::parse("cpu").is_err());
        assert!(SortKey::parse("disk:asc").is_err());
    }
}
