//! Prices: the `InquiryPrice*` actions, quoted from the configured price table
//! ([`crate::PriceTable`]), and the orders the prepaid actions record at the same prices.
//!
//! A prepaid quote is `(instance type's monthly price + each disk's GB × monthly GB price) ×
//! months × instances`, with the prepaid discount; a postpaid one is the same sum of hourly
//! prices per hour. Bandwidth is quoted apart: per Mbps and month (`BANDWIDTH_PREPAID`), per
//! Mbps and hour (`BANDWIDTH_POSTPAID_BY_HOUR`) or per GB (`TRAFFIC_POSTPAID_BY_HOUR`).
//! `RunInstances`, `RenewInstances`, `ModifyInstancesChargeType`, `ResetInstancesType` and
//! `ResizeInstanceDisks` on prepaid instances record an [`crate::Order`] of what the matching
//! inquiry quotes.

use cvm_proto::api::cvm::{
    InquiryPriceModifyInstancesChargeTypeRequest, InquiryPriceModifyInstancesChargeTypeResponse,
    InquiryPriceRenewInstancesRequest, InquiryPriceRenewInstancesResponse,
    InquiryPriceResetInstanceRequest, InquiryPriceResetInstanceResponse,
    InquiryPriceResetInstancesInternetMaxBandwidthRequest,
    InquiryPriceResetInstancesInternetMaxBandwidthResponse, InquiryPriceResetInstancesTypeRequest,
    InquiryPriceResetInstancesTypeResponse, InquiryPriceResizeInstanceDisksRequest,
    InquiryPriceResizeInstanceDisksResponse, InquiryPriceRunInstancesRequest,
    InquiryPriceRunInstancesResponse, InquiryPriceTerminateInstancesRequest,
    InquiryPriceTerminateInstancesResponse, InstanceChargePrepaid, InstanceRefund, ItemPrice,
    Price,
};
use cvm_proto::models::Instance;

use super::billing::{charge_type_of, EMULATED_CHARGE_TYPES};
use super::{mismatch, object, one_of, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::price_table::cents;
use crate::resources::Order;
use crate::sim::Sim;
use crate::time;

/// Months of 30 days, for the remaining prepaid time.
const MONTH_SECS: i64 = 30 * 24 * 3600;

/// What an instance costs is made of: its type, disks and bandwidth.
#[derive(Debug, Clone, Default)]
pub(super) struct Quote {
    pub instance_type: String,
    pub cpu: i64,
    pub memory: i64,
    /// Disk type and size in GB, the system disk first.
    pub disks: Vec<(String, i64)>,
    pub internet_charge_type: String,
    pub mbps: i64,
}

impl Quote {
    /// The parts of an existing instance.
    pub(super) fn of(model: &Instance) -> Quote {
        let mut disks = Vec::new();
        if let Some(d) = &model.system_disk {
            disks.push((
                d.disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                d.disk_size.unwrap_or(50),
            ));
        }
        for d in &model.data_disks {
            disks.push((
                d.disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                d.disk_size.unwrap_or(0),
            ));
        }
        let internet = model.internet_accessible.as_ref();
        Quote {
            instance_type: model.instance_type.clone().unwrap_or_default(),
            cpu: model.cpu.unwrap_or(0),
            memory: model.memory.unwrap_or(0),
            disks,
            internet_charge_type: internet
                .and_then(|i| i.internet_charge_type.clone())
                .unwrap_or_else(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned()),
            mbps: internet
                .and_then(|i| i.internet_max_bandwidth_out)
                .unwrap_or(0),
        }
    }
}

/// A prepaid price: original, discounted, and the discount in percent.
fn prepaid_price(original: f64, discount: f64) -> ItemPrice {
    ItemPrice {
        original_price: Some(cents(original)),
        discount_price: Some(cents(original * discount / 100.0)),
        discount: Some(discount),
        ..ItemPrice::default()
    }
}

/// A postpaid price per `unit` (`HOUR` or `GB`).
fn postpaid_price(unit_price: f64, unit: &str) -> ItemPrice {
    ItemPrice {
        unit_price: Some(cents_fine(unit_price)),
        charge_unit: Some(unit.to_owned()),
        unit_price_discount: Some(cents_fine(unit_price)),
        discount: Some(100.0),
        ..ItemPrice::default()
    }
}

/// Rounds to 1/10000, for small unit prices.
fn cents_fine(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Sim {
    /// The instance part of a quote (type and disks) for `count` instances.
    pub(super) fn price_instance(
        &self,
        q: &Quote,
        charge_type: &str,
        months: i64,
        count: i64,
    ) -> ItemPrice {
        let table = &self.config.prices;
        let (hourly, monthly) = table.instance(&q.instance_type, q.cpu, q.memory);
        let (mut h, mut m) = (hourly, monthly);
        for (disk_type, size) in &q.disks {
            let (dh, dm) = table.disk(disk_type);
            h += dh * *size as f64;
            m += dm * *size as f64;
        }
        if charge_type == "PREPAID" {
            prepaid_price(
                m * months as f64 * count as f64,
                table.prepaid_discount_percent,
            )
        } else {
            postpaid_price(h * count as f64, "HOUR")
        }
    }

    /// The bandwidth part of a quote for `count` instances.
    pub(super) fn price_bandwidth(
        &self,
        internet_charge_type: &str,
        mbps: i64,
        months: i64,
        count: i64,
    ) -> ItemPrice {
        let table = &self.config.prices;
        let n = (mbps * count) as f64;
        match internet_charge_type {
            "BANDWIDTH_PREPAID" => prepaid_price(
                table.bandwidth_per_mbps_monthly * n * months as f64,
                table.prepaid_discount_percent,
            ),
            "BANDWIDTH_POSTPAID_BY_HOUR" => {
                postpaid_price(table.bandwidth_per_mbps_hourly * n, "HOUR")
            }
            "TRAFFIC_POSTPAID_BY_HOUR" => postpaid_price(table.traffic_per_gb, "GB"),
            _ => postpaid_price(0.0, "HOUR"),
        }
    }

    /// The full price of `q` for `months` months of `count` instances billed `charge_type`.
    pub(super) fn price(&self, q: &Quote, charge_type: &str, months: i64, count: i64) -> Price {
        Price {
            instance_price: Some(self.price_instance(q, charge_type, months, count)),
            bandwidth_price: Some(self.price_bandwidth(
                &q.internet_charge_type,
                q.mbps,
                months,
                count,
            )),
        }
    }

    /// Records a prepaid order of `price`'s discounted total.
    pub(super) fn record_order(
        &mut self,
        call: &Call<'_>,
        action: &str,
        instance_ids: Vec<String>,
        price: &Price,
    ) {
        let part = |p: &Option<ItemPrice>| p.as_ref().and_then(|p| p.discount_price).unwrap_or(0.0);
        let amount = cents(part(&price.instance_price) + part(&price.bandwidth_price));
        self.resources.orders.push(Order {
            owner: call.owner.to_owned(),
            action: action.to_owned(),
            instance_ids,
            amount,
        });
    }

    /// Whole months (of 30 days, at least 1) left until a prepaid instance expires.
    pub(super) fn months_left(&self, model: &Instance, call: &Call<'_>) -> i64 {
        let now = self.server_time(call.now);
        let expires = model
            .expired_time
            .as_deref()
            .and_then(time::parse_utc)
            .unwrap_or(now);
        ((expires - now).max(0) + MONTH_SECS - 1) / MONTH_SECS
    }

    /// `InquiryPriceRunInstances`: what the `RunInstances` request with these settings would cost.
    pub(super) fn inquiry_price_run_instances(
        &self,
        call: &Call<'_>,
        req: InquiryPriceRunInstancesRequest,
    ) -> ApiResult<Reply> {
        let zone = req
            .placement
            .zone
            .clone()
            .ok_or_else(|| ApiFailure::missing("Placement.Zone"))?;
        if !self.zone_in_region(&call.region, &zone) {
            return Err(mismatch(&zone, &call.region));
        }
        let instance_type = req
            .instance_type
            .clone()
            .unwrap_or_else(|| "S1.SMALL1".to_owned());
        let spec = self
            .config
            .instance_types
            .iter()
            .find(|t| t.instance_type == instance_type && t.zones.contains(&zone))
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    format!("The instance type `{instance_type}` is not sold in zone `{zone}`."),
                )
            })?;
        self.check_image(
            call.owner,
            &call.region,
            Some(&req.image_id),
            &instance_type,
        )?;
        let charge_type = req
            .instance_charge_type
            .clone()
            .unwrap_or_else(|| "POSTPAID_BY_HOUR".to_owned());
        one_of("InstanceChargeType", &charge_type, &EMULATED_CHARGE_TYPES)?;
        let months = if charge_type == "PREPAID" {
            check_period(req.instance_charge_prepaid.as_ref())?
        } else {
            0
        };
        let count = req.instance_count.unwrap_or(1);
        super::range("InstanceCount", count, 1, 100)?;
        let mut disks = vec![match &req.system_disk {
            Some(d) => (
                d.disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                d.disk_size.unwrap_or(50),
            ),
            None => ("CLOUD_PREMIUM".to_owned(), 50),
        }];
        for d in &req.data_disks {
            disks.push((
                d.disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                d.disk_size.unwrap_or(0),
            ));
        }
        let internet = req.internet_accessible.clone().unwrap_or_default();
        let q = Quote {
            instance_type,
            cpu: spec.cpu,
            memory: spec.memory,
            disks,
            internet_charge_type: internet
                .internet_charge_type
                .unwrap_or_else(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned()),
            mbps: internet.internet_max_bandwidth_out.unwrap_or(0),
        };
        object(&InquiryPriceRunInstancesResponse {
            price: Some(self.price(&q, &charge_type, months, count)),
        })
    }

    /// `InquiryPriceRenewInstances`: what renewing prepaid instances for a period costs.
    pub(super) fn inquiry_price_renew_instances(
        &self,
        call: &Call<'_>,
        req: InquiryPriceRenewInstancesRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let months = check_period(Some(&req.instance_charge_prepaid))?;
        let price = self.renewal_price(&seqs, months)?;
        if req.dry_run == Some(true) {
            return Err(dry_run());
        }
        object(&InquiryPriceRenewInstancesResponse { price: Some(price) })
    }

    /// The price of renewing prepaid instances `seqs` for `months`.
    pub(super) fn renewal_price(&self, seqs: &[u64], months: i64) -> ApiResult<Price> {
        let mut total = Price::default();
        for &seq in seqs {
            let inst = self.at(seq)?;
            if charge_type_of(inst) != "PREPAID" {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.InstanceChargeType",
                    format!("The instance `{}` is not prepaid.", inst.id()),
                ));
            }
            add(
                &mut total,
                &self.price(&Quote::of(&inst.model), "PREPAID", months, 1),
            );
        }
        Ok(total)
    }

    /// `InquiryPriceModifyInstancesChargeType`: what the instances cost billed another way.
    pub(super) fn inquiry_price_modify_instances_charge_type(
        &self,
        call: &Call<'_>,
        req: InquiryPriceModifyInstancesChargeTypeRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let price = self.charge_type_price(
            &seqs,
            &req.instance_charge_type,
            req.instance_charge_prepaid.as_ref(),
        )?;
        object(&InquiryPriceModifyInstancesChargeTypeResponse { price: Some(price) })
    }

    /// The price of billing instances `seqs` as `charge_type` from now on.
    pub(super) fn charge_type_price(
        &self,
        seqs: &[u64],
        charge_type: &str,
        prepaid: Option<&InstanceChargePrepaid>,
    ) -> ApiResult<Price> {
        one_of(
            "InstanceChargeType",
            charge_type,
            &["PREPAID", "POSTPAID_BY_HOUR"],
        )?;
        let months = if charge_type == "PREPAID" {
            check_period(prepaid)?
        } else {
            0
        };
        let mut total = Price::default();
        for &seq in seqs {
            let inst = self.at(seq)?;
            if charge_type_of(inst) == charge_type {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.InstanceChargeType",
                    format!(
                        "The instance `{}` is already billed `{charge_type}`.",
                        inst.id()
                    ),
                ));
            }
            add(
                &mut total,
                &self.price(&Quote::of(&inst.model), charge_type, months, 1),
            );
        }
        Ok(total)
    }

    /// `InquiryPriceResetInstancesType`: what moving instances to another type costs.
    pub(super) fn inquiry_price_reset_instances_type(
        &self,
        call: &Call<'_>,
        req: InquiryPriceResetInstancesTypeRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let price = self.type_change_price(call, &seqs, &req.instance_type)?;
        object(&InquiryPriceResetInstancesTypeResponse { price: Some(price) })
    }

    /// The price of moving instances `seqs` to `instance_type`: for prepaid ones the difference
    /// over the months left (never below zero), for others the new hourly price.
    pub(super) fn type_change_price(
        &self,
        call: &Call<'_>,
        seqs: &[u64],
        instance_type: &str,
    ) -> ApiResult<Price> {
        let mut total = Price::default();
        for &seq in seqs {
            let inst = self.at(seq)?;
            let spec = self.type_for(inst, instance_type)?;
            let old = Quote::of(&inst.model);
            let new = Quote {
                instance_type: spec.instance_type.clone(),
                cpu: spec.cpu,
                memory: spec.memory,
                disks: Vec::new(),
                ..old.clone()
            };
            let old = Quote {
                disks: Vec::new(),
                ..old
            };
            let charge = charge_type_of(inst).to_owned();
            let price = if charge == "PREPAID" {
                let months = self.months_left(&inst.model, call);
                let diff = |p: ItemPrice| p.original_price.unwrap_or(0.0);
                let delta = (diff(self.price_instance(&new, "PREPAID", months, 1))
                    - diff(self.price_instance(&old, "PREPAID", months, 1)))
                .max(0.0);
                prepaid_price(delta, self.config.prices.prepaid_discount_percent)
            } else {
                self.price_instance(&new, &charge, 0, 1)
            };
            add(
                &mut total,
                &Price {
                    instance_price: Some(price),
                    bandwidth_price: None,
                },
            );
        }
        Ok(total)
    }

    /// `InquiryPriceResizeInstanceDisks`: what the added disk space costs.
    pub(super) fn inquiry_price_resize_instance_disks(
        &self,
        call: &Call<'_>,
        req: InquiryPriceResizeInstanceDisksRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        let growth = self.disk_growth(seq, req.system_disk.as_ref(), &req.data_disks)?;
        let price = self.growth_price(call, seq, &growth)?;
        object(&InquiryPriceResizeInstanceDisksResponse { price: Some(price) })
    }

    /// The price of `growth` (disk type and added GB) on instance `seq`, for the months left if prepaid.
    pub(super) fn growth_price(
        &self,
        call: &Call<'_>,
        seq: u64,
        growth: &[(String, i64)],
    ) -> ApiResult<Price> {
        let inst = self.at(seq)?;
        let charge = charge_type_of(inst).to_owned();
        let months = if charge == "PREPAID" {
            self.months_left(&inst.model, call)
        } else {
            0
        };
        let table = &self.config.prices;
        let (mut h, mut m) = (0.0, 0.0);
        for (disk_type, added) in growth {
            let (dh, dm) = table.disk(disk_type);
            h += dh * *added as f64;
            m += dm * *added as f64;
        }
        let price = if charge == "PREPAID" {
            prepaid_price(m * months as f64, table.prepaid_discount_percent)
        } else {
            postpaid_price(h, "HOUR")
        };
        Ok(Price {
            instance_price: Some(price),
            bandwidth_price: None,
        })
    }

    /// `InquiryPriceResetInstance`: reinstalling costs nothing for an image of the same license type.
    pub(super) fn inquiry_price_reset_instance(
        &self,
        call: &Call<'_>,
        req: InquiryPriceResetInstanceRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        let inst = self.at(seq)?;
        if let Some(id) = &req.image_id {
            let t = inst.model.instance_type.clone().unwrap_or_default();
            self.check_image(call.owner, &call.region, Some(id), &t)?;
        }
        let zero = if charge_type_of(inst) == "PREPAID" {
            prepaid_price(0.0, 100.0)
        } else {
            postpaid_price(0.0, "HOUR")
        };
        object(&InquiryPriceResetInstanceResponse {
            price: Some(Price {
                instance_price: Some(zero),
                bandwidth_price: None,
            }),
        })
    }

    /// `InquiryPriceResetInstancesInternetMaxBandwidth`: what the new bandwidth costs.
    pub(super) fn inquiry_price_reset_instances_internet_max_bandwidth(
        &self,
        call: &Call<'_>,
        req: InquiryPriceResetInstancesInternetMaxBandwidthRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let price = self.bandwidth_change_price(
            call,
            &seqs,
            req.internet_accessible.internet_max_bandwidth_out,
        )?;
        object(&InquiryPriceResetInstancesInternetMaxBandwidthResponse { price: Some(price) })
    }

    /// The price of instances `seqs` with `mbps` of bandwidth, for the months left if prepaid.
    pub(super) fn bandwidth_change_price(
        &self,
        call: &Call<'_>,
        seqs: &[u64],
        mbps: Option<i64>,
    ) -> ApiResult<Price> {
        let mbps =
            mbps.ok_or_else(|| ApiFailure::missing("InternetAccessible.InternetMaxBandwidthOut"))?;
        super::range("InternetAccessible.InternetMaxBandwidthOut", mbps, 0, 200)?;
        let mut total = Price::default();
        for &seq in seqs {
            let inst = self.at(seq)?;
            let q = Quote::of(&inst.model);
            let months = self.months_left(&inst.model, call);
            add(
                &mut total,
                &Price {
                    instance_price: None,
                    bandwidth_price: Some(self.price_bandwidth(
                        &q.internet_charge_type,
                        mbps,
                        months,
                        1,
                    )),
                },
            );
        }
        Ok(total)
    }

    /// `InquiryPriceTerminateInstances`: what terminating returns: the months left of prepaid instances.
    pub(super) fn inquiry_price_terminate_instances(
        &self,
        call: &Call<'_>,
        req: InquiryPriceTerminateInstancesRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let mut set = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let inst = self.at(seq)?;
            let refund = if charge_type_of(inst) == "PREPAID" {
                let months = self.months_left(&inst.model, call);
                self.price_instance(&Quote::of(&inst.model), "PREPAID", months, 1)
                    .discount_price
                    .unwrap_or(0.0)
            } else {
                0.0
            };
            set.push(InstanceRefund {
                instance_id: Some(inst.id().to_owned()),
                refunds: Some(refund),
                price_detail: None,
            });
        }
        object(&InquiryPriceTerminateInstancesResponse {
            instance_refunds_set: set,
        })
    }
}

/// Adds `p` to `total`, part by part and field by field.
fn add(total: &mut Price, p: &Price) {
    fn sum(a: &mut Option<ItemPrice>, b: &Option<ItemPrice>) {
        let Some(b) = b else { return };
        let Some(a) = a else {
            *a = Some(b.clone());
            return;
        };
        let plus = |x: &mut Option<f64>, y: Option<f64>| {
            if let Some(y) = y {
                *x = Some(cents_fine(x.unwrap_or(0.0) + y));
            }
        };
        plus(&mut a.original_price, b.original_price);
        plus(&mut a.discount_price, b.discount_price);
        plus(&mut a.unit_price, b.unit_price);
        plus(&mut a.unit_price_discount, b.unit_price_discount);
    }
    sum(&mut total.instance_price, &p.instance_price);
    sum(&mut total.bandwidth_price, &p.bandwidth_price);
}

/// The checked prepaid period in months (1-12, 24, 36, 48, 60), required.
pub(super) fn check_period(prepaid: Option<&InstanceChargePrepaid>) -> ApiResult<i64> {
    let period = prepaid
        .and_then(|p| p.period)
        .ok_or_else(|| ApiFailure::missing("InstanceChargePrepaid.Period"))?;
    if !matches!(period, 1..=12 | 24 | 36 | 48 | 60) {
        return Err(ApiFailure::new(
            "InvalidPeriod",
            format!("The period `{period}` is invalid; allowed periods are 1-12, 24, 36, 48 and 60 months."),
        ));
    }
    if let Some(flag) = prepaid.and_then(|p| p.renew_flag.as_deref()) {
        one_of(
            "InstanceChargePrepaid.RenewFlag",
            flag,
            &[
                "NOTIFY_AND_AUTO_RENEW",
                "NOTIFY_AND_MANUAL_RENEW",
                "DISABLE_NOTIFY_AND_MANUAL_RENEW",
            ],
        )?;
    }
    Ok(period)
}

/// The reply to a `DryRun` that would have succeeded.
pub(super) fn dry_run() -> ApiFailure {
    ApiFailure::new(
        "DryRunOperation",
        "The request would have succeeded, but the DryRun parameter was set.",
    )
}
