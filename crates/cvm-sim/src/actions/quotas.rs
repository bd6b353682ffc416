//! Quotas: `DescribeAccountQuota` and `DescribeImageQuota`, read from [`crate::Quotas`] (the same
//! limits `RunInstances`, `CreateImage` and `CreateDisasterRecoverGroup` enforce) and from the
//! caller's resources.
//!
//! Instances count per zone and charge type; a zone's `RemainingQuota` is also bounded by what
//! is left of the region's instance quota, so it says how many more instances `RunInstances`
//! would create there.

use cvm_proto::api::cvm::{
    AccountQuota, AccountQuotaOverview, DescribeAccountQuotaRequest, DescribeAccountQuotaResponse,
    DescribeImageQuotaRequest, DescribeImageQuotaResponse, Filter, ImageQuota, PostPaidQuota,
    PrePaidQuota, SpotPaidQuota,
};

use super::launch_plan::MAX_LAUNCH_COUNT;
use super::owned::check_generated_filters;
use super::{invalid_filter, mismatch, object, one_of, Call, Reply};
use crate::error::ApiResult;
use crate::sim::Sim;

/// The values of the `quota-type` filter: the sets of `AccountQuota`.
const QUOTA_TYPES: [&str; 5] = [
    "PostPaidQuotaSet",
    "PrePaidQuotaSet",
    "SpotPaidQuotaSet",
    "ImageQuotaSet",
    "DisasterRecoverGroupQuotaSet",
];

/// One zone's instance quota for one charge type.
struct ZoneQuota {
    zone: String,
    used: u64,
    remaining: u64,
    total: u64,
}

impl Sim {
    /// `DescribeAccountQuota`: the caller's quotas in the region and how much of each is used,
    /// filtered by `zone` and `quota-type`.
    pub(super) fn describe_account_quota(
        &self,
        call: &Call<'_>,
        req: DescribeAccountQuotaRequest,
    ) -> ApiResult<Reply> {
        check_generated_filters(&req.filters, 100)?;
        for f in &req.filters {
            match f.name.as_str() {
                "zone" => {
                    if let Some(z) = f
                        .values
                        .iter()
                        .find(|z| !self.zone_in_region(&call.region, z))
                    {
                        return Err(mismatch(z, &call.region));
                    }
                }
                "quota-type" => {
                    for v in &f.values {
                        one_of("Filters.quota-type", v, &QUOTA_TYPES)?;
                    }
                }
                other => return Err(invalid_filter(other)),
            }
        }
        let wanted = |set: &str| allows(&req.filters, "quota-type", set);
        let zones: Vec<&str> = self
            .zones(&call.region)
            .iter()
            .map(|z| z.zone.as_str())
            .filter(|z| allows(&req.filters, "zone", z))
            .collect();
        let per_zone = |charge_type: &str, set: &str| -> Vec<ZoneQuota> {
            if !wanted(set) {
                return Vec::new();
            }
            zones
                .iter()
                .map(|z| self.zone_quota(call, z, charge_type))
                .collect()
        };
        let mut quota = AccountQuota {
            post_paid_quota_set: per_zone("POSTPAID_BY_HOUR", "PostPaidQuotaSet")
                .into_iter()
                .map(|q| PostPaidQuota {
                    used_quota: Some(q.used),
                    remaining_quota: Some(q.remaining),
                    total_quota: Some(q.total),
                    zone: Some(q.zone),
                })
                .collect(),
            pre_paid_quota_set: per_zone("PREPAID", "PrePaidQuotaSet")
                .into_iter()
                .map(|q| PrePaidQuota {
                    used_quota: Some(q.used),
                    once_quota: Some(q.remaining.min(MAX_LAUNCH_COUNT.unsigned_abs())),
                    remaining_quota: Some(q.remaining),
                    total_quota: Some(q.total),
                    zone: Some(q.zone),
                })
                .collect(),
            spot_paid_quota_set: per_zone("SPOTPAID", "SpotPaidQuotaSet")
                .into_iter()
                .map(|q| SpotPaidQuota {
                    used_quota: Some(q.used),
                    remaining_quota: Some(q.remaining),
                    total_quota: Some(q.total),
                    zone: Some(q.zone),
                })
                .collect(),
            ..AccountQuota::default()
        };
        if wanted("ImageQuotaSet") {
            quota.image_quota_set.push(ImageQuota {
                used_quota: Some(self.own_images(call).count() as u64),
                total_quota: Some(u64::from(self.config.quotas.max_images_per_region)),
            });
        }
        if wanted("DisasterRecoverGroupQuotaSet") {
            quota
                .disaster_recover_group_quota_set
                .push(self.group_quota(call));
        }
        object(&DescribeAccountQuotaResponse {
            app_id: Some(app_id(call.owner)),
            account_quota_overview: Some(AccountQuotaOverview {
                region: Some(call.region.clone()),
                account_quota: Some(quota),
            }),
        })
    }

    /// `DescribeImageQuota`: how many custom images the caller may hold in the region.
    pub(super) fn describe_image_quota(
        &self,
        _call: &Call<'_>,
        _req: DescribeImageQuotaRequest,
    ) -> ApiResult<Reply> {
        object(&DescribeImageQuotaResponse {
            image_num_quota: Some(i64::from(self.config.quotas.max_images_per_region)),
        })
    }

    /// The caller's quota of `charge_type` instances in `zone`: held, total, and what is left of
    /// it and of the region's instance quota.
    fn zone_quota(&self, call: &Call<'_>, zone: &str, charge_type: &str) -> ZoneQuota {
        let quotas = &self.config.quotas;
        let total = u64::from(quotas.per_zone(charge_type).unwrap_or(0));
        let used = self.held_in_zone(call.owner, &call.region, zone, charge_type) as u64;
        let in_region = self.owned(call.owner, &call.region).count() as u64;
        let region_left = u64::from(quotas.max_instances_per_region).saturating_sub(in_region);
        ZoneQuota {
            zone: zone.to_owned(),
            used,
            remaining: total.saturating_sub(used).min(region_left),
            total,
        }
    }
}

/// Whether the filters named `name` (all of them) allow `value`; no such filter allows anything.
fn allows(filters: &[Filter], name: &str, value: &str) -> bool {
    filters
        .iter()
        .filter(|f| f.name == name)
        .all(|f| f.values.iter().any(|v| v == value))
}

/// The account's `AppId`: the owner itself when it is a number, else a stable 10-digit number
/// made from it (cvm-sim accounts are named by their secret ids).
pub(super) fn app_id(owner: &str) -> u64 {
    if let Ok(n) = owner.parse::<u64>() {
        return n;
    }
    // FNV-1a, so that the same owner always gets the same id.
    let hash = owner.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    1_000_000_000 + hash % 9_000_000_000
}
