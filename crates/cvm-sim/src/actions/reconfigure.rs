//! Changing what an instance is: `ResetInstance` (reinstall), `ResetInstancesType`,
//! `ResizeInstanceDisks`, `ResetInstancesInternetMaxBandwidth`, `ModifyInstancesChargeType`,
//! `RenewInstances`, `ModifyInstancesRenewFlag`, and what may be changed:
//! `DescribeInstancesModification`, `DescribeInstanceInternetBandwidthConfigs`.
//!
//! A new type needs a `STOPPED` instance (`UnsupportedOperation.InstanceStateRunning` otherwise,
//! unless `ForceStop`, which stops it first); so does growing the system disk unless
//! `ResizeOnline`. Disks only grow (`InvalidParameterValue.Range`). Renewing needs a prepaid
//! instance (`UnsupportedOperation.InstanceChargeType`).

use cvm_proto::api::cvm::{
    DataDisk, DescribeInstanceInternetBandwidthConfigsRequest,
    DescribeInstanceInternetBandwidthConfigsResponse, DescribeInstancesModificationRequest,
    DescribeInstancesModificationResponse, InstanceTypeConfig, InstanceTypeConfigStatus,
    InternetAccessible, InternetBandwidthConfig, ModifyInstancesChargeTypeRequest,
    ModifyInstancesChargeTypeResponse, ModifyInstancesRenewFlagRequest,
    ModifyInstancesRenewFlagResponse, RenewInstancesRequest, RenewInstancesResponse,
    ResetInstanceRequest, ResetInstanceResponse, ResetInstancesInternetMaxBandwidthRequest,
    ResetInstancesInternetMaxBandwidthResponse, ResetInstancesTypeRequest,
    ResetInstancesTypeResponse, ResizeInstanceDisksRequest, ResizeInstanceDisksResponse,
    SystemDisk,
};
use cvm_proto::models::{InstanceState, LoginSettings};
use cvm_proto::Action;

use super::billing::{add_months, charge_type_of};
use super::instance_settings::MAX_DEGRADES;
use super::instances::Operation;
use super::launch_plan::{check_host_name, check_user_data};
use super::login::check_login_settings;
use super::owned::{check_generated_filters, convert};
use super::prices::check_period;
use super::{invalid_filter, object, one_of, Call, Reply};
use crate::config::InstanceTypeSpec;
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Sim, SimInstance};
use crate::time;

const SETTLED: [InstanceState; 2] = [InstanceState::Running, InstanceState::Stopped];

impl Sim {
    /// The catalogue's `instance_type` in the instance's zone, or the service's error.
    pub(super) fn type_for(
        &self,
        inst: &SimInstance,
        instance_type: &str,
    ) -> ApiResult<&InstanceTypeSpec> {
        let zone = inst.zone().to_owned();
        let known = self
            .config
            .instance_types
            .iter()
            .filter(|t| t.instance_type == instance_type)
            .collect::<Vec<_>>();
        if known.is_empty() {
            return Err(ApiFailure::new(
                "InvalidInstanceType.Malformed",
                format!("The instance type `{instance_type}` does not exist."),
            ));
        }
        known
            .into_iter()
            .find(|t| t.zones.contains(&zone))
            .ok_or_else(|| {
                ApiFailure::new(
                    "ResourceNotFound.InvalidZoneInstanceType",
                    format!("The instance type `{instance_type}` is not sold in zone `{zone}`."),
                )
            })
    }

    /// The disks a resize grows, as (disk type, added GB), checked against the instance's disks.
    pub(super) fn disk_growth(
        &self,
        seq: u64,
        system: Option<&SystemDisk>,
        data: &[DataDisk],
    ) -> ApiResult<Vec<(String, i64)>> {
        let inst = self.at(seq)?;
        if system.is_none() && data.is_empty() {
            return Err(ApiFailure::missing("DataDisks"));
        }
        let mut growth = Vec::new();
        if let Some(s) = system {
            let current = inst.model.system_disk.as_ref();
            let now = current.and_then(|d| d.disk_size).unwrap_or(50);
            let size = s
                .disk_size
                .ok_or_else(|| ApiFailure::missing("SystemDisk.DiskSize"))?;
            grow_check("SystemDisk.DiskSize", now, size, 2048)?;
            growth.push((
                current
                    .and_then(|d| d.disk_type.clone())
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                size - now,
            ));
        }
        for (i, d) in data.iter().enumerate() {
            let what = format!("DataDisks.{i}");
            let id = d
                .disk_id
                .as_deref()
                .ok_or_else(|| ApiFailure::missing(&format!("{what}.DiskId")))?;
            let current = inst
                .model
                .data_disks
                .iter()
                .find(|x| x.disk_id.as_deref() == Some(id))
                .ok_or_else(|| {
                    ApiFailure::new(
                        "InvalidParameter.DataDiskNotBelongSpecifiedInstance",
                        format!(
                            "The disk `{id}` is not a data disk of instance `{}`.",
                            inst.id()
                        ),
                    )
                })?;
            let size = d
                .disk_size
                .ok_or_else(|| ApiFailure::missing(&format!("{what}.DiskSize")))?;
            let now = current.disk_size.unwrap_or(0);
            grow_check(&format!("{what}.DiskSize"), now, size, 32_000)?;
            growth.push((
                current
                    .disk_type
                    .clone()
                    .unwrap_or_else(|| "CLOUD_PREMIUM".to_owned()),
                size - now,
            ));
        }
        Ok(growth)
    }

    /// `ResetInstance`: reinstalls an instance, with its image or another one.
    pub(super) fn reset_instance(
        &mut self,
        call: &Call<'_>,
        req: ResetInstanceRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        self.require_state(&[seq], &SETTLED)?;
        let inst = self.at(seq)?;
        let instance_type = inst.model.instance_type.clone().unwrap_or_default();
        let image_id = req
            .image_id
            .clone()
            .or_else(|| inst.model.image_id.clone())
            .unwrap_or_default();
        let image = self.check_image(call.owner, &call.region, Some(&image_id), &instance_type)?;
        let windows = image.platform.as_deref() == Some("Windows");
        let current_size = inst
            .model
            .system_disk
            .as_ref()
            .and_then(|d| d.disk_size)
            .unwrap_or(50);
        let size = req
            .system_disk
            .as_ref()
            .and_then(|d| d.disk_size)
            .unwrap_or(current_size);
        let min = image.image_size.unwrap_or(20);
        if size < min || size < current_size {
            return Err(ApiFailure::new(
                "InvalidParameterValue.Range",
                format!(
                    "The system disk must be at least {} GB.",
                    min.max(current_size)
                ),
            ));
        }
        let login: Option<LoginSettings> = match &req.login_settings {
            Some(l) => {
                let plain: cvm_proto::models::LoginSettings = convert(l)?;
                check_login_settings(&plain, windows)?;
                for k in &plain.key_ids {
                    self.key_pair_index(call, k)?;
                }
                Some(convert(l)?)
            }
            None => None,
        };
        if let Some(h) = &req.host_name {
            check_host_name(h, windows)?;
        }
        if let Some(d) = &req.user_data {
            check_user_data(d)?;
            self.resources
                .user_data
                .insert(req.instance_id.clone(), d.clone());
        }
        let reset = Operation {
            name: ResetInstanceRequest::NAME,
            during: InstanceState::Rebooting,
            to: InstanceState::Running,
            after: self.config.transitions.reboot,
            remove: false,
        };
        let m = &mut self.at_mut(seq)?.model;
        m.image_id = Some(image_id);
        m.os_name = image.os_name.clone();
        if let Some(d) = m.system_disk.as_mut() {
            d.disk_size = Some(size);
        }
        if let Some(mut l) = login {
            l.password = None;
            m.login_settings = Some(l);
        }
        if let Some(h) = req.host_name {
            m.host_name = Some(h);
        }
        self.begin(seq, &reset, call);
        object(&ResetInstanceResponse {})
    }

    /// `ResetInstancesType`: a new instance type for a stopped instance; prepaid ones pay the difference.
    pub(super) fn reset_instances_type(
        &mut self,
        call: &Call<'_>,
        req: ResetInstancesTypeRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        if seqs.len() > 1 {
            return Err(ApiFailure::new(
                "InvalidParameterValue.LimitExceeded",
                "Only one instance's type may be changed at a time.",
            ));
        }
        let mut changes = Vec::new();
        for &seq in &seqs {
            let inst = self.at(seq)?;
            let spec = self.type_for(inst, &req.instance_type)?.clone();
            let smaller = spec.cpu < inst.model.cpu.unwrap_or(0)
                || spec.memory < inst.model.memory.unwrap_or(0);
            let degrades = self.resources.degrades.get(inst.id()).copied().unwrap_or(0);
            if smaller && degrades >= MAX_DEGRADES {
                return Err(ApiFailure::new(
                    "LimitExceeded.InstanceTypeBandwidth",
                    format!("The instance `{}` was already moved to a smaller type {MAX_DEGRADES} times.", inst.id()),
                ));
            }
            changes.push((seq, spec, smaller));
        }
        self.require_stopped(&seqs, req.force_stop == Some(true))?;
        let price = self.type_change_price(call, &seqs, &req.instance_type)?;
        let prepaid: Vec<String> = seqs
            .iter()
            .filter_map(|s| self.instances.get(s))
            .filter(|i| charge_type_of(i) == "PREPAID")
            .map(|i| i.id().to_owned())
            .collect();
        if !prepaid.is_empty() {
            self.record_order(call, ResetInstancesTypeRequest::NAME, prepaid, &price);
        }
        for (seq, spec, smaller) in changes {
            let inst = self.at_mut(seq)?;
            inst.model.instance_type = Some(spec.instance_type.clone());
            inst.model.cpu = Some(spec.cpu);
            inst.model.memory = Some(spec.memory);
            let id = inst.id().to_owned();
            if smaller {
                *self.resources.degrades.entry(id).or_insert(0) += 1;
            }
        }
        self.stop_forced(&seqs, ResetInstancesTypeRequest::NAME, call);
        object(&ResetInstancesTypeResponse {})
    }

    /// `ResizeInstanceDisks`: grows disks; the system disk of a running instance only with `ResizeOnline` or `ForceStop`.
    pub(super) fn resize_instance_disks(
        &mut self,
        call: &Call<'_>,
        req: ResizeInstanceDisksRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        let growth = self.disk_growth(seq, req.system_disk.as_ref(), &req.data_disks)?;
        if req.system_disk.is_some() && req.resize_online != Some(true) {
            self.require_stopped(&[seq], req.force_stop == Some(true))?;
        } else {
            self.require_state(&[seq], &SETTLED)?;
        }
        let price = self.growth_price(call, seq, &growth)?;
        if charge_type_of(self.at(seq)?) == "PREPAID" {
            self.record_order(
                call,
                ResizeInstanceDisksRequest::NAME,
                vec![req.instance_id.clone()],
                &price,
            );
        }
        let m = &mut self.at_mut(seq)?.model;
        if let (Some(s), Some(d)) = (&req.system_disk, m.system_disk.as_mut()) {
            d.disk_size = s.disk_size;
        }
        for d in &req.data_disks {
            if let Some(x) = m
                .data_disks
                .iter_mut()
                .find(|x| x.disk_id.is_some() && x.disk_id == d.disk_id)
            {
                x.disk_size = d.disk_size;
            }
        }
        if req.system_disk.is_some() && req.resize_online != Some(true) {
            self.stop_forced(&[seq], ResizeInstanceDisksRequest::NAME, call);
        } else {
            self.note_operation(seq, ResizeInstanceDisksRequest::NAME, call);
        }
        object(&ResizeInstanceDisksResponse {})
    }

    /// `ResetInstancesInternetMaxBandwidth`: a new outbound bandwidth limit.
    pub(super) fn reset_instances_internet_max_bandwidth(
        &mut self,
        call: &Call<'_>,
        req: ResetInstancesInternetMaxBandwidthRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        self.require_state(&seqs, &SETTLED)?;
        let mbps = req.internet_accessible.internet_max_bandwidth_out;
        self.bandwidth_change_price(call, &seqs, mbps)?;
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            let i = m
                .internet_accessible
                .get_or_insert_with(InternetAccessible::default);
            i.internet_max_bandwidth_out = mbps;
            self.note_operation(seq, ResetInstancesInternetMaxBandwidthRequest::NAME, call);
        }
        object(&ResetInstancesInternetMaxBandwidthResponse {})
    }

    /// `ModifyInstancesChargeType`: postpaid instances become prepaid for a period, or prepaid ones postpaid.
    pub(super) fn modify_instances_charge_type(
        &mut self,
        call: &Call<'_>,
        req: ModifyInstancesChargeTypeRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        self.require_state(&seqs, &SETTLED)?;
        let price = self.charge_type_price(
            &seqs,
            &req.instance_charge_type,
            req.instance_charge_prepaid.as_ref(),
        )?;
        self.check_charge_type_quota(call, &seqs, &req.instance_charge_type)?;
        let now = self.server_time(call.now);
        let prepaid = req.instance_charge_type == "PREPAID";
        let mut ids = Vec::new();
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            m.instance_charge_type = Some(req.instance_charge_type.clone());
            if prepaid {
                let months = req
                    .instance_charge_prepaid
                    .as_ref()
                    .and_then(|p| p.period)
                    .unwrap_or(1);
                m.expired_time = Some(time::format_utc(add_months(now, months)));
                m.renew_flag = Some(
                    req.instance_charge_prepaid
                        .as_ref()
                        .and_then(|p| p.renew_flag.clone())
                        .unwrap_or_else(|| "NOTIFY_AND_MANUAL_RENEW".to_owned()),
                );
            } else {
                m.expired_time = None;
                m.renew_flag = None;
            }
            ids.push(m.instance_id.clone().unwrap_or_default());
            self.note_operation(seq, ModifyInstancesChargeTypeRequest::NAME, call);
        }
        if prepaid {
            self.record_order(call, ModifyInstancesChargeTypeRequest::NAME, ids, &price);
        }
        object(&ModifyInstancesChargeTypeResponse {})
    }

    /// The instances among `seqs` billed otherwise, moved to `charge_type`, must fit in their
    /// zones' quotas of `charge_type` instances.
    fn check_charge_type_quota(
        &self,
        call: &Call<'_>,
        seqs: &[u64],
        charge_type: &str,
    ) -> ApiResult<()> {
        let mut moving: Vec<(String, usize)> = Vec::new();
        for &seq in seqs {
            let inst = self.at(seq)?;
            if charge_type_of(inst) == charge_type {
                continue;
            }
            let zone = inst.zone().to_owned();
            match moving.iter_mut().find(|(z, _)| *z == zone) {
                Some((_, n)) => *n += 1,
                None => moving.push((zone, 1)),
            }
        }
        for (zone, count) in &moving {
            self.check_zone_quota(call.owner, &call.region, zone, charge_type, *count)?;
        }
        Ok(())
    }

    /// `RenewInstances`: prepaid instances expire a period later.
    pub(super) fn renew_instances(
        &mut self,
        call: &Call<'_>,
        req: RenewInstancesRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let months = check_period(req.instance_charge_prepaid.as_ref())?;
        let price = self.renewal_price(&seqs, months)?;
        self.require_state(
            &seqs,
            &[
                InstanceState::Running,
                InstanceState::Stopped,
                InstanceState::Shutdown,
            ],
        )?;
        let now = self.server_time(call.now);
        let mut ids = Vec::new();
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            let from = m
                .expired_time
                .as_deref()
                .and_then(time::parse_utc)
                .unwrap_or(now)
                .max(now);
            m.expired_time = Some(time::format_utc(add_months(from, months)));
            if let Some(flag) = req
                .instance_charge_prepaid
                .as_ref()
                .and_then(|p| p.renew_flag.clone())
            {
                m.renew_flag = Some(flag);
            }
            ids.push(m.instance_id.clone().unwrap_or_default());
            self.note_operation(seq, RenewInstancesRequest::NAME, call);
        }
        self.record_order(call, RenewInstancesRequest::NAME, ids, &price);
        object(&RenewInstancesResponse {})
    }

    /// `ModifyInstancesRenewFlag`: how prepaid instances renew.
    pub(super) fn modify_instances_renew_flag(
        &mut self,
        call: &Call<'_>,
        req: ModifyInstancesRenewFlagRequest,
    ) -> ApiResult<Reply> {
        one_of(
            "RenewFlag",
            &req.renew_flag,
            &[
                "NOTIFY_AND_AUTO_RENEW",
                "NOTIFY_AND_MANUAL_RENEW",
                "DISABLE_NOTIFY_AND_MANUAL_RENEW",
            ],
        )?;
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        for &seq in &seqs {
            let inst = self.at(seq)?;
            if charge_type_of(inst) != "PREPAID" {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.InstanceChargeType",
                    format!("The instance `{}` is not prepaid.", inst.id()),
                ));
            }
        }
        for &seq in &seqs {
            self.at_mut(seq)?.model.renew_flag = Some(req.renew_flag.clone());
        }
        object(&ModifyInstancesRenewFlagResponse {})
    }

    /// `DescribeInstancesModification`: the types each instance may move to in its zone.
    pub(super) fn describe_instances_modification(
        &self,
        call: &Call<'_>,
        req: DescribeInstancesModificationRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        check_generated_filters(&req.filters, 10)?;
        for f in &req.filters {
            if !matches!(f.name.as_str(), "instance-family" | "configuration-status") {
                return Err(invalid_filter(&f.name));
            }
        }
        let mut set = Vec::new();
        for seq in seqs {
            let inst = self.at(seq)?;
            let zone = inst.zone().to_owned();
            let current = inst.model.instance_type.clone().unwrap_or_default();
            for t in self
                .config
                .instance_types
                .iter()
                .filter(|t| t.zones.contains(&zone))
            {
                if t.instance_type == current {
                    continue;
                }
                let keep = req.filters.iter().all(|f| match f.name.as_str() {
                    "instance-family" => f.values.contains(&t.family),
                    _ => f.values.iter().any(|v| v == "SELL"),
                });
                if !keep {
                    continue;
                }
                set.push(InstanceTypeConfigStatus {
                    status: Some("SELL".to_owned()),
                    message: Some(String::new()),
                    instance_type_config: Some(InstanceTypeConfig {
                        zone: Some(zone.clone()),
                        instance_type: Some(t.instance_type.clone()),
                        instance_family: Some(t.family.clone()),
                        gpu: Some(t.gpu),
                        cpu: Some(t.cpu),
                        memory: Some(t.memory),
                        fpga: Some(0),
                        gpu_count: Some(t.gpu as f64),
                        gpu_type: None,
                        gpu_memory: None,
                    }),
                });
            }
        }
        object(&DescribeInstancesModificationResponse {
            total_count: Some(set.len() as i64),
            instance_type_config_status_set: set,
        })
    }

    /// `DescribeInstanceInternetBandwidthConfigs`: the instance's bandwidth since it was created.
    pub(super) fn describe_instance_internet_bandwidth_configs(
        &self,
        call: &Call<'_>,
        req: DescribeInstanceInternetBandwidthConfigsRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        let m = &self.at(seq)?.model;
        let internet: InternetAccessible =
            convert(&m.internet_accessible.clone().unwrap_or_default())?;
        let internet = InternetAccessible {
            internet_charge_type: internet
                .internet_charge_type
                .or_else(|| Some("TRAFFIC_POSTPAID_BY_HOUR".to_owned())),
            internet_max_bandwidth_out: internet.internet_max_bandwidth_out.or(Some(0)),
            ..internet
        };
        object(&DescribeInstanceInternetBandwidthConfigsResponse {
            internet_bandwidth_config_set: vec![InternetBandwidthConfig {
                start_time: m.created_time.clone(),
                end_time: Some(m.expired_time.clone().unwrap_or_default()),
                internet_accessible: Some(internet),
            }],
        })
    }
}

/// A disk size may only grow, up to `max` GB.
fn grow_check(what: &str, now: i64, size: i64, max: i64) -> ApiResult<()> {
    if size <= now || size > max {
        return Err(ApiFailure::new(
            "InvalidParameterValue.Range",
            format!("`{what}` must be more than the current {now} GB and at most {max} GB; disks only grow."),
        ));
    }
    Ok(())
}
