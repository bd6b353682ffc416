//! Launching: `RunInstances`, its client-token idempotency and dry runs, and the instances it creates.

use cvm_proto::models::{
    GPUInfo, Instance, InstanceState, RunInstancesRequest, RunInstancesResponse, Tag,
};
use cvm_proto::Action;
use rand::Rng;

use super::billing::add_months;
use super::launch_plan::RunPlan;
use super::login::{default_login_port, default_login_user};
use super::network::{internet_info, vpc_info};
use super::prices::Quote;
use super::{object, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Sim, SimInstance};
use crate::time;

const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// One `RunInstances` call being carried out: what was asked, what was planned, and when.
struct Launch<'a> {
    call: &'a Call<'a>,
    req: &'a RunInstancesRequest,
    plan: &'a RunPlan,
    /// The creation time.
    created: String,
    /// The end of the prepaid period.
    expired: Option<String>,
}

impl Sim {
    /// `RunInstances`: creates the instances (once per client token), which launch and then run.
    pub(super) fn run_instances(
        &mut self,
        call: &Call<'_>,
        req: RunInstancesRequest,
    ) -> ApiResult<Reply> {
        check_client_token_length(req.client_token.as_deref())?;
        let dry_run = req.dry_run == Some(true);
        let token_key = req
            .client_token
            .as_ref()
            .map(|t| (call.owner.to_owned(), t.clone()));
        if !dry_run {
            if let Some(ids) = token_key.as_ref().and_then(|k| self.client_tokens.get(k)) {
                return object(&RunInstancesResponse {
                    instance_id_set: ids.clone(),
                });
            }
        }
        let plan = self.plan_run(call.owner, &call.region, &req)?;
        if dry_run {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let ids = self.launch(call, &req, &plan);
        self.record_launch_order(call, &plan, &ids);
        if let Some(key) = token_key {
            self.client_tokens.insert(key, ids.clone());
        }
        object(&RunInstancesResponse {
            instance_id_set: ids,
        })
    }

    /// Records the order of prepaid instances, at the price `InquiryPriceRunInstances` quotes.
    fn record_launch_order(&mut self, call: &Call<'_>, plan: &RunPlan, ids: &[String]) {
        let Some(months) = plan.billing.period else {
            return;
        };
        let Some(first) = ids.first().and_then(|id| self.instance(id)) else {
            return;
        };
        let quote = Quote::of(&first.model);
        let price = self.price(&quote, "PREPAID", months, ids.len() as i64);
        self.record_order(call, RunInstancesRequest::NAME, ids.to_vec(), &price);
    }

    /// Creates the planned instances, each launching, and returns their ids.
    fn launch(
        &mut self,
        call: &Call<'_>,
        req: &RunInstancesRequest,
        plan: &RunPlan,
    ) -> Vec<String> {
        let created_secs = self.server_time(call.now);
        let launch = Launch {
            call,
            req,
            plan,
            created: time::format_utc(created_secs),
            expired: plan
                .billing
                .period
                .map(|p| time::format_utc(add_months(created_secs, p))),
        };
        let mut ids = Vec::with_capacity(plan.count);
        for i in 0..plan.count {
            let id = self.new_instance_id();
            let model = self.new_instance(&launch, i, id.clone());
            self.add_launching(call, &id, model);
            ids.push(id);
        }
        ids
    }

    /// The `i`th new instance `id`, with its addresses, disks and the settings it was asked for.
    fn new_instance(&mut self, launch: &Launch<'_>, i: usize, id: String) -> Instance {
        let Launch { req, plan, .. } = *launch;
        let private_ip = self.assign_private_ip(plan.private_ips.get(i));
        let public_ips = self.assign_public_ips(plan.public_ip);
        let platform = plan.image.platform.clone().unwrap_or_default();
        let host_name = req
            .host_name
            .clone()
            .unwrap_or_else(|| default_host_name(&private_ip, &platform));
        let system_disk = self.new_system_disk(req);
        let data_disks = self.new_data_disks(req);
        let uuid = self.uuid();
        Instance {
            instance_id: Some(id),
            instance_type: Some(plan.instance_type.clone()),
            cpu: Some(plan.cpu),
            memory: Some(plan.memory),
            restrict_state: Some("NORMAL".to_owned()),
            instance_name: plan.names.get(i).cloned(),
            instance_charge_type: Some(plan.billing.charge_type.clone()),
            system_disk: Some(system_disk),
            data_disks,
            private_ip_addresses: vec![private_ip],
            public_ip_addresses: public_ips,
            image_id: plan.image.image_id.clone(),
            renew_flag: plan.billing.renew_flag.clone(),
            created_time: Some(launch.created.clone()),
            expired_time: launch.expired.clone(),
            os_name: plan.image.os_name.clone(),
            instance_state: Some(InstanceState::Pending),
            stop_charging_mode: Some("NOT_APPLICABLE".to_owned()),
            uuid: Some(uuid),
            latest_operation: Some(RunInstancesRequest::NAME.to_owned()),
            latest_operation_state: Some("OPERATING".to_owned()),
            latest_operation_request_id: Some(launch.call.cx.request_id.clone()),
            isolated_source: Some("NOTISOLATED".to_owned()),
            gpu_info: gpu_info(plan.gpu),
            license_type: Some("TencentCloud".to_owned()),
            host_name: Some(host_name),
            default_login_user: Some(default_login_user(&platform).to_owned()),
            default_login_port: Some(default_login_port(plan.windows)),
            ..requested_settings(req, plan)
        }
    }

    /// Keeps a new instance for the caller and schedules the end of its launch.
    fn add_launching(&mut self, call: &Call<'_>, id: &str, model: Instance) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.instances.insert(
            seq,
            SimInstance {
                owner: call.owner.to_owned(),
                region: call.region.clone(),
                seq,
                transition: None,
                model,
            },
        );
        self.by_id.insert(id.to_owned(), seq);
        let to = if call.cx.launch_failed {
            InstanceState::LaunchFailed
        } else {
            InstanceState::Running
        };
        let after = self.config.transitions.launch;
        self.schedule(seq, to, call.now, after, false);
        self.counters.instances_created += 1;
    }

    /// 8 random lower-case letters or digits, the tail of a resource id.
    pub(super) fn random_suffix(&mut self) -> String {
        (0..8)
            .map(|_| {
                char::from(ID_ALPHABET[(self.rng.next_u32() % ID_ALPHABET.len() as u32) as usize])
            })
            .collect()
    }

    fn new_instance_id(&mut self) -> String {
        for _ in 0..64 {
            let id = format!("ins-{}", self.random_suffix());
            if !self.by_id.contains_key(&id) {
                return id;
            }
        }
        // Practically unreachable; creation order makes this one unique among emulator-made ids.
        let mut n = self.next_seq;
        let mut tail = Vec::with_capacity(8);
        for _ in 0..8 {
            tail.push(ID_ALPHABET[(n % 36) as usize]);
            n /= 36;
        }
        tail.reverse();
        format!("ins-{}", String::from_utf8_lossy(&tail))
    }
}

/// A client token has at most 64 characters.
fn check_client_token_length(token: Option<&str>) -> ApiResult<()> {
    if let Some(t) = token {
        if t.len() > 64 {
            return Err(ApiFailure::new(
                "InvalidClientToken.TooLong",
                "The ClientToken is longer than 64 characters.",
            ));
        }
    }
    Ok(())
}

/// What a new instance takes from the request as it is, with the service's defaults filled in.
fn requested_settings(req: &RunInstancesRequest, plan: &RunPlan) -> Instance {
    let mut placement = req.placement.clone().unwrap_or_default();
    placement.zone = Some(plan.zone.clone());
    placement.project_id.get_or_insert(0);
    Instance {
        placement: Some(placement),
        internet_accessible: Some(internet_info(req)),
        virtual_private_cloud: vpc_info(req),
        security_group_ids: req.security_group_ids.clone(),
        login_settings: req.login_settings.clone().map(|mut l| {
            // The reply never echoes a password.
            l.password = None;
            l
        }),
        tags: instance_tags(req),
        disable_api_termination: Some(req.disable_api_termination.unwrap_or(false)),
        enable_jumbo_frame: Some(req.enable_jumbo_frame.unwrap_or(false)),
        metadata: req.metadata.clone(),
        cpu_topology: req.cpu_topology.clone(),
        cam_role_name: req.cam_role_name.clone(),
        hpc_cluster_id: req.hpc_cluster_id.clone(),
        dedicated_cluster_id: req.dedicated_cluster_id.clone(),
        partition_number: req.partition_number,
        ..Default::default()
    }
}

/// The tags specified for resource type `instance`.
fn instance_tags(req: &RunInstancesRequest) -> Vec<Tag> {
    req.tag_specification
        .iter()
        .filter(|t| t.resource_type.as_deref() == Some("instance"))
        .flat_map(|t| t.tags.iter().cloned())
        .collect()
}

/// `VM-<third>-<fourth octet of the private IP>-<platform>`, the service's default host name.
fn default_host_name(private_ip: &str, platform: &str) -> String {
    let octets: Vec<&str> = private_ip.split('.').collect();
    format!(
        "VM-{}-{}-{}",
        octets.get(2).unwrap_or(&"0"),
        octets.get(3).unwrap_or(&"0"),
        platform.to_ascii_lowercase()
    )
}

/// The GPUs of an instance type with `gpu` of them, if any.
fn gpu_info(gpu: i64) -> Option<GPUInfo> {
    (gpu > 0).then(|| GPUInfo {
        gpu_count: Some(gpu as f64),
        gpu_id: Vec::new(),
        gpu_type: Some("NVIDIA T4".to_owned()),
    })
}
