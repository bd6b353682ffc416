//! The price table behind `InquiryPrice*` and the prepaid orders: per instance type an hourly
//! and a monthly price, per disk type a price per GB, and per Mbps of bandwidth.

use serde::{Deserialize, Serialize};

use crate::catalog;

/// What things cost; `Default` prices every catalogue instance type and disk type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PriceTable {
    /// Prices per instance type; a type not listed costs `per_cpu_hourly` and `per_gib_hourly`.
    pub instance_types: Vec<InstanceTypePrice>,
    /// The hourly price of one CPU core of an unlisted instance type.
    pub per_cpu_hourly: f64,
    /// The hourly price of one GiB of memory of an unlisted instance type.
    pub per_gib_hourly: f64,
    /// Prices per disk type; an unlisted type costs as much as `CLOUD_PREMIUM`, or nothing.
    pub disks: Vec<DiskPrice>,
    /// The hourly price of one Mbps of `BANDWIDTH_POSTPAID_BY_HOUR`.
    pub bandwidth_per_mbps_hourly: f64,
    /// The monthly price of one Mbps of `BANDWIDTH_PREPAID`.
    pub bandwidth_per_mbps_monthly: f64,
    /// The price of one GB of traffic with `TRAFFIC_POSTPAID_BY_HOUR`.
    pub traffic_per_gb: f64,
    /// The discount on prepaid purchases in percent of the original price (100: none).
    pub prepaid_discount_percent: f64,
}

/// The price of one instance type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceTypePrice {
    /// The instance type, e.g. `S5.MEDIUM4`.
    pub instance_type: String,
    /// Per hour, postpaid.
    pub hourly: f64,
    /// Per month, prepaid.
    pub monthly: f64,
}

/// The price of one disk type, per GB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskPrice {
    /// The disk type, e.g. `CLOUD_PREMIUM`.
    pub disk_type: String,
    /// Per GB and hour, postpaid.
    pub per_gb_hourly: f64,
    /// Per GB and month, prepaid.
    pub per_gb_monthly: f64,
}

/// Rounds to cents.
pub(crate) fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl Default for PriceTable {
    fn default() -> Self {
        let per_cpu_hourly = 0.05;
        let per_gib_hourly = 0.025;
        let instance_types = catalog::instance_types()
            .into_iter()
            .map(|t| {
                let hourly = cents(
                    per_cpu_hourly * t.cpu as f64
                        + per_gib_hourly * t.memory as f64
                        + 1.2 * t.gpu as f64,
                );
                InstanceTypePrice {
                    instance_type: t.instance_type,
                    hourly,
                    monthly: cents(hourly * 720.0 * 0.7),
                }
            })
            .collect();
        let disk = |t: &str, h: f64, m: f64| DiskPrice {
            disk_type: t.to_owned(),
            per_gb_hourly: h,
            per_gb_monthly: m,
        };
        PriceTable {
            instance_types,
            per_cpu_hourly,
            per_gib_hourly,
            disks: vec![
                disk("LOCAL_BASIC", 0.0, 0.0),
                disk("LOCAL_SSD", 0.0, 0.0),
                disk("CLOUD_BASIC", 0.0004, 0.2),
                disk("CLOUD_PREMIUM", 0.0007, 0.35),
                disk("CLOUD_BSSD", 0.0009, 0.5),
                disk("CLOUD_SSD", 0.0014, 1.0),
                disk("CLOUD_HSSD", 0.0016, 1.2),
                disk("CLOUD_TSSD", 0.003, 2.0),
            ],
            bandwidth_per_mbps_hourly: 0.063,
            bandwidth_per_mbps_monthly: 23.0,
            traffic_per_gb: 0.8,
            prepaid_discount_percent: 100.0,
        }
    }
}
impl PriceTable {
    /// The hourly and monthly price of `instance_type` with `cpu` cores and `memory` GiB.
    pub(crate) fn instance(&self, instance_type: &str, cpu: i64, memory: i64) -> (f64, f64) {
        match self
            .instance_types
            .iter()
            .find(|p| p.instance_type == instance_type)
        {
            Some(p) => (p.hourly, p.monthly),
            None => {
                let hourly =
                    cents(self.per_cpu_hourly * cpu as f64 + self.per_gib_hourly * memory as f64);
                (hourly, cents(hourly * 720.0 * 0.7))
            }
        }
    }

    /// The hourly and monthly price of one GB of `disk_type`.
    pub(crate) fn disk(&self, disk_type: &str) -> (f64, f64) {
        self.disks
            .iter()
            .find(|d| d.disk_type == disk_type)
            .or_else(|| self.disks.iter().find(|d| d.disk_type == "CLOUD_PREMIUM"))
            .map_or((0.0, 0.0), |d| (d.per_gb_hourly, d.per_gb_monthly))
    }
}
