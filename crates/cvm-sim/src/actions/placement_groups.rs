//! Placement (disaster-recover) groups: `CreateDisasterRecoverGroup`,
//! `DescribeDisasterRecoverGroups`, `ModifyDisasterRecoverGroupAttribute`,
//! `DeleteDisasterRecoverGroups`, `DescribeDisasterRecoverGroupQuota` and
//! `ModifyInstancesDisasterRecoverGroup`.
//!
//! A group's members are read from the instances, so they stay right when instances go away;
//! a group with members cannot be deleted (`FailedOperation.PlacementSetNotEmpty`) and holds at
//! most its type's quota of instances (`ResourceInsufficient.DisasterRecoverGroupCvmQuota`).

use cvm_proto::api::cvm::{
    CreateDisasterRecoverGroupRequest, CreateDisasterRecoverGroupResponse,
    DeleteDisasterRecoverGroupsRequest, DeleteDisasterRecoverGroupsResponse,
    DescribeDisasterRecoverGroupQuotaRequest, DescribeDisasterRecoverGroupQuotaResponse,
    DescribeDisasterRecoverGroupsRequest, DescribeDisasterRecoverGroupsResponse,
    DisasterRecoverGroup, DisasterRecoverGroupQuota, ModifyDisasterRecoverGroupAttributeRequest,
    ModifyDisasterRecoverGroupAttributeResponse, ModifyInstancesDisasterRecoverGroupRequest,
    ModifyInstancesDisasterRecoverGroupResponse,
};
use cvm_proto::models::InstanceState;

use super::owned::{check_generated_filters, check_ids, plain_time, tag_filter, tags_for};
use super::{invalid_filter, object, one_of, page, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::resources::SimGroup;
use crate::sim::Sim;

/// Instances per group of each type: on different hosts, switches or racks.
const CVM_QUOTAS: [(&str, i64); 3] = [("HOST", 50), ("SW", 20), ("RACK", 20)];

impl Sim {
    /// `CreateDisasterRecoverGroup`: a new, empty group of type `HOST`, `SW` or `RACK`.
    pub(super) fn create_disaster_recover_group(
        &mut self,
        call: &Call<'_>,
        req: CreateDisasterRecoverGroupRequest,
    ) -> ApiResult<Reply> {
        one_of("Type", &req.r#type, &["HOST", "SW", "RACK"])?;
        check_group_name(&req.name)?;
        let token = req
            .client_token
            .as_ref()
            .map(|t| format!("{}/{t}", call.owner));
        if let Some(done) = token
            .as_ref()
            .and_then(|t| self.resources.group_tokens.get(t))
        {
            if let Some(g) = self
                .groups_of(call)
                .find(|g| g.model.disaster_recover_group_id.as_ref() == Some(done))
            {
                return created(&g.model);
            }
        }
        let max = self.config.quotas.max_placement_groups_per_region as usize;
        if self.groups_of(call).count() >= max {
            return Err(ApiFailure::new(
                "LimitExceeded.DisasterRecoverGroup",
                format!("At most {max} placement groups may be held in one region."),
            ));
        }
        let quota = CVM_QUOTAS
            .iter()
            .find(|(t, _)| *t == req.r#type)
            .map_or(20, |(_, q)| *q);
        let id = self.new_id("ps-");
        let model = DisasterRecoverGroup {
            disaster_recover_group_id: Some(id.clone()),
            name: Some(req.name.clone()),
            r#type: Some(req.r#type.clone()),
            cvm_quota_total: Some(quota),
            current_num: Some(0),
            instance_ids: Vec::new(),
            create_time: Some(self.iso_now(call)),
            affinity: Some(req.affinity.unwrap_or(1)),
            strategy: Some(
                req.strategy
                    .clone()
                    .unwrap_or_else(|| "ANTI_AFFINITY".to_owned()),
            ),
            partition_count: Some(req.partition_count.unwrap_or(0)),
            tags: tags_for(&req.tag_specification, "ps"),
        };
        if let Some(token) = token {
            self.resources.group_tokens.insert(token, id);
        }
        self.resources.groups.push(SimGroup {
            owner: call.owner.to_owned(),
            region: call.region.clone(),
            model: model.clone(),
        });
        created(&model)
    }

    /// `DescribeDisasterRecoverGroups`: the caller's groups, by id, name or filters, one page of them.
    pub(super) fn describe_disaster_recover_groups(
        &self,
        call: &Call<'_>,
        req: DescribeDisasterRecoverGroupsRequest,
    ) -> ApiResult<Reply> {
        check_ids(
            &req.disaster_recover_group_ids,
            "ps-",
            "InvalidParameterValue.DisasterRecoverGroupIdMalformed",
        )?;
        check_generated_filters(&req.filters, 5)?;
        let (offset, limit) = page(req.offset, req.limit)?;
        let mut matching = Vec::new();
        for g in self.groups_of(call) {
            let id = g
                .model
                .disaster_recover_group_id
                .as_deref()
                .unwrap_or_default();
            if !req.disaster_recover_group_ids.is_empty()
                && !req.disaster_recover_group_ids.iter().any(|x| x == id)
            {
                continue;
            }
            if let Some(name) = &req.name {
                if !g
                    .model
                    .name
                    .as_deref()
                    .unwrap_or_default()
                    .contains(name.as_str())
                {
                    continue;
                }
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= match tag_filter(&g.model.tags, f) {
                    Some(ok) => ok,
                    None => return Err(invalid_filter(&f.name)),
                };
            }
            if keep {
                matching.push(self.group_view(g));
            }
        }
        let total = matching.len();
        object(&DescribeDisasterRecoverGroupsResponse {
            disaster_recover_group_set: matching.into_iter().skip(offset).take(limit).collect(),
            total_count: Some(total as i64),
        })
    }

    /// `ModifyDisasterRecoverGroupAttribute`: a new name.
    pub(super) fn modify_disaster_recover_group_attribute(
        &mut self,
        call: &Call<'_>,
        req: ModifyDisasterRecoverGroupAttributeRequest,
    ) -> ApiResult<Reply> {
        check_group_name(&req.name)?;
        let index = self.group_index(call, &req.disaster_recover_group_id)?;
        if let Some(g) = self.resources.groups.get_mut(index) {
            g.model.name = Some(req.name);
            if let Some(a) = req.affinity {
                g.model.affinity = Some(a);
            }
        }
        object(&ModifyDisasterRecoverGroupAttributeResponse {})
    }

    /// `DeleteDisasterRecoverGroups`: deletes empty groups.
    pub(super) fn delete_disaster_recover_groups(
        &mut self,
        call: &Call<'_>,
        req: DeleteDisasterRecoverGroupsRequest,
    ) -> ApiResult<Reply> {
        if req.disaster_recover_group_ids.is_empty() {
            return Err(ApiFailure::missing("DisasterRecoverGroupIds"));
        }
        for id in &req.disaster_recover_group_ids {
            self.group_index(call, id)?;
            if !self.members(call.owner, &call.region, id).is_empty() {
                return Err(ApiFailure::new(
                    "FailedOperation.PlacementSetNotEmpty",
                    format!("The placement group `{id}` still holds instances."),
                ));
            }
        }
        let (owner, region) = (call.owner, call.region.as_str());
        let ids = &req.disaster_recover_group_ids;
        self.resources.groups.retain(|g| {
            !(g.owner == owner
                && g.region == region
                && ids
                    .iter()
                    .any(|id| g.model.disaster_recover_group_id.as_deref() == Some(id)))
        });
        object(&DeleteDisasterRecoverGroupsResponse {})
    }

    /// `DescribeDisasterRecoverGroupQuota`: groups held and allowed, and instances per group type.
    pub(super) fn describe_disaster_recover_group_quota(
        &self,
        call: &Call<'_>,
        _req: DescribeDisasterRecoverGroupQuotaRequest,
    ) -> ApiResult<Reply> {
        let q = self.group_quota(call);
        object(&DescribeDisasterRecoverGroupQuotaResponse {
            group_quota: q.group_quota,
            current_num: q.current_num,
            cvm_in_host_group_quota: q.cvm_in_host_group_quota,
            cvm_in_sw_group_quota: q.cvm_in_switch_group_quota,
            cvm_in_rack_group_quota: q.cvm_in_rack_group_quota,
            cvm_in_switch_group_quota: q.cvm_in_switch_group_quota,
        })
    }

    /// The caller's placement groups in the region against their quota, and the instances each
    /// group type holds.
    pub(super) fn group_quota(&self, call: &Call<'_>) -> DisasterRecoverGroupQuota {
        let quota = |t: &str| CVM_QUOTAS.iter().find(|(x, _)| *x == t).map(|(_, q)| *q);
        DisasterRecoverGroupQuota {
            group_quota: Some(i64::from(
                self.config.quotas.max_placement_groups_per_region,
            )),
            current_num: Some(self.groups_of(call).count() as i64),
            cvm_in_host_group_quota: quota("HOST"),
            cvm_in_switch_group_quota: quota("SW"),
            cvm_in_rack_group_quota: quota("RACK"),
        }
    }

    /// `ModifyInstancesDisasterRecoverGroup`: puts instances into a group (or, with no group, out of theirs).
    pub(super) fn modify_instances_disaster_recover_group(
        &mut self,
        call: &Call<'_>,
        req: ModifyInstancesDisasterRecoverGroupRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Running, InstanceState::Stopped])?;
        let target = req
            .disaster_recover_group_id
            .clone()
            .or_else(|| req.disaster_recover_group_ids.first().cloned())
            .filter(|g| !g.is_empty());
        let Some(group) = target else {
            for &seq in &seqs {
                self.at_mut(seq)?.model.disaster_recover_group_ids.clear();
            }
            return object(&ModifyInstancesDisasterRecoverGroupResponse {});
        };
        let index = self.group_index(call, &group)?;
        let quota = self
            .resources
            .groups
            .get(index)
            .and_then(|g| g.model.cvm_quota_total)
            .unwrap_or(0);
        let mut members = self.members(call.owner, &call.region, &group);
        for &seq in &seqs {
            let inst = self.at(seq)?;
            let current = inst.model.disaster_recover_group_ids.first();
            match current {
                Some(g) if g == &group => continue,
                Some(g) if req.force != Some(true) => {
                    return Err(ApiFailure::new(
                        "FailedOperation.AlreadyInDisasterRecoverGroup",
                        format!(
                            "The instance `{}` is already in placement group `{g}`.",
                            inst.id()
                        ),
                    ));
                }
                _ => members.push(inst.id().to_owned()),
            }
        }
        if members.len() as i64 > quota {
            return Err(ApiFailure::new(
                "ResourceInsufficient.DisasterRecoverGroupCvmQuota",
                format!("The placement group `{group}` holds at most {quota} instances."),
            ));
        }
        for &seq in &seqs {
            self.at_mut(seq)?.model.disaster_recover_group_ids = vec![group.clone()];
        }
        object(&ModifyInstancesDisasterRecoverGroupResponse {})
    }

    fn groups_of<'a>(&'a self, call: &'a Call<'_>) -> impl Iterator<Item = &'a SimGroup> {
        self.resources
            .groups
            .iter()
            .filter(move |g| g.owner == call.owner && g.region == call.region)
    }

    fn group_index(&self, call: &Call<'_>, id: &str) -> ApiResult<usize> {
        check_ids(
            &[id.to_owned()],
            "ps-",
            "InvalidParameterValue.DisasterRecoverGroupIdMalformed",
        )?;
        self.resources
            .groups
            .iter()
            .position(|g| {
                g.owner == call.owner
                    && g.region == call.region
                    && g.model.disaster_recover_group_id.as_deref() == Some(id)
            })
            .ok_or_else(|| {
                ApiFailure::new(
                    "FailedOperation.DisasterRecoverGroupNotFound",
                    format!("The placement group `{id}` is not found."),
                )
            })
    }

    /// The ids of the owner's instances in group `id`.
    fn members(&self, owner: &str, region: &str, id: &str) -> Vec<String> {
        self.owned(owner, region)
            .filter(|i| i.model.disaster_recover_group_ids.iter().any(|g| g == id))
            .map(|i| i.id().to_owned())
            .collect()
    }

    fn group_view(&self, g: &SimGroup) -> DisasterRecoverGroup {
        let mut model = g.model.clone();
        let id = model.disaster_recover_group_id.clone().unwrap_or_default();
        model.instance_ids = self.members(&g.owner, &g.region, &id);
        model.current_num = Some(model.instance_ids.len() as i64);
        model
    }
}

/// The `CreateDisasterRecoverGroup` reply for a group (`CreateTime` in the plain form).
fn created(g: &DisasterRecoverGroup) -> ApiResult<Reply> {
    object(&CreateDisasterRecoverGroupResponse {
        disaster_recover_group_id: g.disaster_recover_group_id.clone(),
        r#type: g.r#type.clone(),
        name: g.name.clone(),
        cvm_quota_total: g.cvm_quota_total,
        current_num: Some(0),
        create_time: g.create_time.as_deref().map(plain_time),
        strategy: g.strategy.clone(),
        partition_count: g.partition_count,
    })
}

/// A group name: 1 to 60 characters.
fn check_group_name(name: &str) -> ApiResult<()> {
    let n = name.chars().count();
    if n == 0 || n > 60 {
        return Err(ApiFailure::invalid_value(
            "A placement group name has 1 to 60 characters.",
        ));
    }
    Ok(())
}
