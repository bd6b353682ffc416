//! Instances: `DescribeInstances`, `DescribeInstancesStatus` and `TerminateInstances`, and what
//! every action on existing instances shares: finding them, checking their state, and starting
//! an operation on them.

use std::collections::HashSet;
use std::time::Duration;

use cvm_proto::models::{
    DescribeInstancesRequest, DescribeInstancesStatusRequest, DescribeInstancesStatusResponse,
    Filter, InstanceState, InstanceStatus, TerminateInstancesRequest, TerminateInstancesResponse,
};
use cvm_proto::Action;

use super::billing::charge_type_of;
use super::required_fields::describe_instances_reply;
use super::{check_filters, instance_ids, invalid_filter, mismatch, object, page, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Cx, Sim, SimInstance};
use crate::time;

/// An operation that puts instances in a passing state and schedules the state it ends in.
pub(super) struct Operation {
    /// The action name, reported as the instance's latest operation.
    pub name: &'static str,
    /// The state while it runs.
    pub during: InstanceState,
    /// The state it ends in.
    pub to: InstanceState,
    /// How long it runs.
    pub after: Duration,
    /// Whether the instance disappears at the end instead.
    pub remove: bool,
}

impl Sim {
    /// `DescribeInstances`: the caller's instances in the region, by id or by filters, one page of them.
    pub(super) fn describe_instances(
        &mut self,
        call: &Call<'_>,
        req: DescribeInstancesRequest,
    ) -> ApiResult<Reply> {
        let region = call.region.as_str();
        if !req.instance_ids.is_empty() && !req.filters.is_empty() {
            return Err(ApiFailure::combination(
                "`InstanceIds` and `Filters` cannot be specified at the same time.",
            ));
        }
        let ids = instance_ids(&req.instance_ids)?;
        check_filters(&req.filters, 5)?;
        for f in req.filters.iter().filter(|f| f.name == "zone") {
            if let Some(z) = f.values.iter().find(|z| !self.zone_in_region(region, z)) {
                return Err(mismatch(z, region));
            }
        }
        let (offset, limit) = page(req.offset, req.limit)?;
        let mut matching = Vec::new();
        // The instances are read in place while the cache of their JSON is written.
        let owner = call.owner;
        let owned = self
            .instances
            .values()
            .filter(|i| i.owner == owner && i.region == region);
        for inst in owned {
            if !ids.is_empty() && !ids.iter().any(|id| id == inst.id()) {
                continue;
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= instance_matches(inst, f)?;
            }
            if keep {
                matching.push(inst);
            }
        }
        let total = matching.len();
        let instances = &self.instances;
        describe_instances_reply(
            &mut self.described,
            total,
            matching.into_iter().skip(offset).take(limit),
            instances.len(),
            |seq| instances.contains_key(&seq),
        )
    }

    /// `DescribeInstancesStatus`: the states of the caller's instances in the region, one page of them.
    pub(super) fn describe_instances_status(
        &self,
        call: &Call<'_>,
        req: DescribeInstancesStatusRequest,
    ) -> ApiResult<Reply> {
        let ids = instance_ids(&req.instance_ids)?;
        let (offset, limit) = page(req.offset, req.limit)?;
        let matching: Vec<&SimInstance> = self
            .owned(call.owner, &call.region)
            .filter(|i| ids.is_empty() || ids.iter().any(|id| id == i.id()))
            .collect();
        let total = matching.len();
        let set = matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|i| InstanceStatus {
                instance_id: i.model.instance_id.clone(),
                instance_state: i.model.instance_state.clone(),
            })
            .collect();
        object(&DescribeInstancesStatusResponse {
            total_count: Some(total as i64),
            instance_status_set: set,
        })
    }

    /// `TerminateInstances`: prepaid instances go to the recycle bin, others are destroyed.
    pub(super) fn terminate_instances(
        &mut self,
        call: &Call<'_>,
        req: TerminateInstancesRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.targets(call.owner, &call.region, &req.instance_ids)?;
        let prepaid = self.all_prepaid(&seqs)?;
        self.require_state(&seqs, &terminable_states(prepaid))?;
        self.require_unprotected(&seqs)?;
        let destroy = Operation {
            name: TerminateInstancesRequest::NAME,
            during: InstanceState::Terminating,
            to: InstanceState::Terminating,
            after: self.config.transitions.terminate,
            remove: true,
        };
        for seq in seqs {
            let state = self.instances.get(&seq).map(SimInstance::state);
            let to_recycle_bin =
                prepaid && matches!(state, Some(InstanceState::Running | InstanceState::Stopped));
            if to_recycle_bin {
                self.move_to_recycle_bin(seq, call.cx);
            } else {
                self.begin(seq, &destroy, call);
            }
        }
        object(&TerminateInstancesResponse {})
    }

    /// `UnsupportedOperation.InstancesProtected` if termination protection
    /// (`DisableApiTermination`) is on for any of the instances.
    fn require_unprotected(&self, seqs: &[u64]) -> ApiResult<()> {
        let protected = seqs
            .iter()
            .filter_map(|s| self.instances.get(s))
            .find(|i| i.model.disable_api_termination == Some(true));
        match protected {
            Some(inst) => Err(ApiFailure::new(
                "UnsupportedOperation.InstancesProtected",
                format!(
                    "The instance `{}` has termination protection on; turn `DisableApiTermination` off with ModifyInstancesAttribute first.",
                    inst.id()
                ),
            )),
            None => Ok(()),
        }
    }

    /// Whether the instances are all prepaid (or all not); one request cannot mix billing modes.
    fn all_prepaid(&self, seqs: &[u64]) -> ApiResult<bool> {
        let kinds: HashSet<bool> = seqs
            .iter()
            .filter_map(|s| self.instances.get(s))
            .map(|i| charge_type_of(i) == "PREPAID")
            .collect();
        if kinds.len() > 1 {
            return Err(ApiFailure::new(
                "UnsupportedOperation.InstanceMixedPricingModel",
                "Instances of different billing modes cannot be terminated in one request.",
            ));
        }
        Ok(kinds.contains(&true))
    }

    /// Isolates a prepaid instance at once (`SHUTDOWN`) instead of destroying it.
    fn move_to_recycle_bin(&mut self, seq: u64, cx: &Cx) {
        if let Some(inst) = self.instances.get_mut(&seq) {
            inst.model.instance_state = Some(InstanceState::Shutdown);
            inst.model.latest_operation = Some(TerminateInstancesRequest::NAME.to_owned());
            inst.model.latest_operation_state = Some("SUCCESS".to_owned());
            inst.model.latest_operation_request_id = Some(cx.request_id.clone());
            inst.model.isolated_source = Some("MANMADE".to_owned());
            inst.transition = None;
        }
    }

    /// The creation-order keys of the caller's instances `ids` in `region`, or `InvalidInstanceId.*`.
    pub(super) fn targets(&self, owner: &str, region: &str, ids: &[String]) -> ApiResult<Vec<u64>> {
        let ids = instance_ids(ids)?;
        let mut seqs = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in &ids {
            match self.by_id.get(id).and_then(|s| self.instances.get(s)) {
                Some(inst) if inst.owner == owner && inst.region == region => seqs.push(inst.seq),
                _ => missing.push(format!("`{id}`")),
            }
        }
        if !missing.is_empty() {
            return Err(ApiFailure::new(
                "InvalidInstanceId.NotFound",
                format!("The instance {} is not found.", missing.join(", ")),
            ));
        }
        Ok(seqs)
    }

    /// Fails with `UnsupportedOperation.InstanceState*` unless every instance is in an `allowed` state.
    pub(super) fn require_state(&self, seqs: &[u64], allowed: &[InstanceState]) -> ApiResult<()> {
        for seq in seqs {
            if let Some(inst) = self.instances.get(seq) {
                let state = inst.state();
                if !allowed.contains(&state) {
                    return Err(state_error(inst.id(), &state));
                }
            }
        }
        Ok(())
    }

    /// Puts `seq` into the operation's passing state and schedules its end.
    pub(super) fn begin(&mut self, seq: u64, op: &Operation, call: &Call<'_>) {
        if let Some(inst) = self.instances.get_mut(&seq) {
            inst.model.instance_state = Some(op.during.clone());
            inst.model.latest_operation = Some(op.name.to_owned());
            inst.model.latest_operation_state = Some("OPERATING".to_owned());
            inst.model.latest_operation_request_id = Some(call.cx.request_id.clone());
        }
        self.schedule(seq, op.to.clone(), call.now, op.after, op.remove);
    }
}

/// The states instances may be terminated from; a prepaid one also from the recycle bin.
fn terminable_states(prepaid: bool) -> Vec<InstanceState> {
    let mut allowed = vec![
        InstanceState::Running,
        InstanceState::Stopped,
        InstanceState::LaunchFailed,
    ];
    if prepaid {
        allowed.push(InstanceState::Shutdown);
    }
    allowed
}

/// `UnsupportedOperation.InstanceState<State>`, the state in upper camel case.
pub(super) fn state_error(id: &str, state: &InstanceState) -> ApiFailure {
    let camel: String = state
        .as_str()
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    ApiFailure::new(
        format!("UnsupportedOperation.InstanceState{camel}"),
        format!("The instance `{id}` is in state `{state}`, which does not allow this operation."),
    )
}

/// Whether an instance satisfies one `DescribeInstances` filter.
fn instance_matches(inst: &SimInstance, filter: &Filter) -> ApiResult<bool> {
    let m = &inst.model;
    let any = |candidates: &[Option<&str>]| {
        filter
            .values
            .iter()
            .any(|v| candidates.contains(&Some(v.as_str())))
    };
    let list = |items: &[String]| filter.values.iter().any(|v| items.contains(v));
    let placement = m.placement.as_ref();
    let vpc = m.virtual_private_cloud.as_ref();
    let name = filter.name.as_str();
    Ok(match name {
        "zone" => any(&[placement.and_then(|p| p.zone.as_deref())]),
        "project-id" => {
            let project = placement
                .and_then(|p| p.project_id)
                .unwrap_or(0)
                .to_string();
            any(&[Some(project.as_str())])
        }
        "host-id" => any(&[placement.and_then(|p| p.host_id.as_deref())]),
        "dedicated-cluster-id" => any(&[m.dedicated_cluster_id.as_deref()]),
        "vpc-id" => any(&[vpc.and_then(|v| v.vpc_id.as_deref())]),
        "subnet-id" => any(&[vpc.and_then(|v| v.subnet_id.as_deref())]),
        "instance-id" => any(&[m.instance_id.as_deref()]),
        "uuid" => any(&[m.uuid.as_deref()]),
        "security-group-id" => list(&m.security_group_ids),
        "instance-name" => any(&[m.instance_name.as_deref()]),
        "instance-charge-type" => any(&[m.instance_charge_type.as_deref()]),
        "instance-state" => any(&[m.instance_state.as_ref().map(InstanceState::as_str)]),
        "private-ip-address" => list(&m.private_ip_addresses),
        "public-ip-address" => list(&m.public_ip_addresses),
        "ipv6-address" => list(&m.ipv6_addresses),
        "tag-key" => m.tags.iter().any(|t| any(&[t.key.as_deref()])),
        "tag-value" => m.tags.iter().any(|t| any(&[t.value.as_deref()])),
        "creation-start-time" | "creation-end-time" => created_within(inst, filter)?,
        _ => match name.strip_prefix("tag:") {
            Some(key) => m
                .tags
                .iter()
                .any(|t| t.key.as_deref() == Some(key) && any(&[t.value.as_deref()])),
            None => return Err(invalid_filter(name)),
        },
    })
}

/// Whether an instance was created after (`creation-start-time`) or before (`creation-end-time`) any of the filter's times.
fn created_within(inst: &SimInstance, filter: &Filter) -> ApiResult<bool> {
    let name = filter.name.as_str();
    let created = inst
        .model
        .created_time
        .as_deref()
        .and_then(time::parse_utc)
        .unwrap_or(0);
    let mut ok = false;
    for v in &filter.values {
        let bound = time::parse_utc(v).ok_or_else(|| {
            ApiFailure::new(
                "InvalidParameterValue.InvalidTimeFormat",
                format!(
                    "The time `{v}` of filter `{name}` is not in the form `YYYY-MM-DD hh:mm:ss`."
                ),
            )
        })?;
        ok |= if name == "creation-start-time" {
            created >= bound
        } else {
            created <= bound
        };
    }
    Ok(ok)
}
