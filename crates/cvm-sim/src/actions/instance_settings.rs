//! Instance settings that need no reinstall: `ModifyInstancesAttribute`, `ModifyInstancesProject`,
//! `ResetInstancesPassword`, `AssociateSecurityGroups`, `DisassociateSecurityGroups`,
//! `DescribeInstancesAttributes`, `DescribeInstanceVncUrl` and `DescribeInstancesOperationLimit`.

use cvm_proto::api::cvm::{
    AssociateSecurityGroupsRequest, AssociateSecurityGroupsResponse, Attribute,
    DescribeInstanceVncUrlRequest, DescribeInstanceVncUrlResponse,
    DescribeInstancesAttributesRequest, DescribeInstancesAttributesResponse,
    DescribeInstancesOperationLimitRequest, DescribeInstancesOperationLimitResponse,
    DisassociateSecurityGroupsRequest, DisassociateSecurityGroupsResponse, InstanceAttribute,
    ModifyInstancesAttributeRequest, ModifyInstancesAttributeResponse,
    ModifyInstancesProjectRequest, ModifyInstancesProjectResponse, OperationCountLimit,
    ResetInstancesPasswordRequest, ResetInstancesPasswordResponse,
};
use cvm_proto::models::{InstanceState, LoginSettings, Placement};
use cvm_proto::Action;

use super::launch_plan::{check_host_name, check_user_data};
use super::login::check_password;
use super::network::check_security_groups;
use super::owned::check_ids;
use super::{one_of, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

/// The states in which an instance's settings may change.
const SETTLED: [InstanceState; 2] = [InstanceState::Running, InstanceState::Stopped];

impl Sim {
    /// `ModifyInstancesAttribute`: name, security groups, host name, CAM role, termination protection, user data.
    pub(super) fn modify_instances_attribute(
        &mut self,
        call: &Call<'_>,
        req: ModifyInstancesAttributeRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let given = req.instance_name.is_some()
            || req.user_data.is_some()
            || !req.security_groups.is_empty()
            || req.cam_role_name.is_some()
            || req.host_name.is_some()
            || req.disable_api_termination.is_some()
            || req.enable_jumbo_frame.is_some();
        if !given {
            return Err(ApiFailure::new(
                "InvalidParameter.AtLeastOneParameter",
                "At least one attribute to modify must be given.",
            ));
        }
        if let Some(name) = &req.instance_name {
            if name.is_empty() || name.chars().count() > 128 {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.Range",
                    "`InstanceName` has 1 to 128 characters.",
                ));
            }
        }
        check_security_groups(&req.security_groups)?;
        if let Some(data) = &req.user_data {
            check_user_data(data)?;
        }
        for &seq in &seqs {
            let windows = self.is_windows(self.at(seq)?);
            if let Some(h) = &req.host_name {
                check_host_name(h, windows)?;
            }
        }
        let needs_stop = req.host_name.is_some() || req.user_data.is_some();
        if needs_stop {
            self.require_stopped(&seqs, false)?;
        } else {
            self.require_state(&seqs, &SETTLED)?;
        }
        for &seq in &seqs {
            let id = self.at(seq)?.id().to_owned();
            if let Some(data) = &req.user_data {
                self.resources.user_data.insert(id, data.clone());
            }
            let m = &mut self.at_mut(seq)?.model;
            if let Some(name) = &req.instance_name {
                m.instance_name = Some(name.clone());
            }
            if !req.security_groups.is_empty() {
                m.security_group_ids = req.security_groups.clone();
            }
            if let Some(role) = &req.cam_role_name {
                m.cam_role_name = Some(role.clone());
            }
            if let Some(h) = &req.host_name {
                m.host_name = Some(h.clone());
            }
            if let Some(d) = req.disable_api_termination {
                m.disable_api_termination = Some(d);
            }
            if let Some(j) = req.enable_jumbo_frame {
                m.enable_jumbo_frame = Some(j);
            }
            self.note_operation(seq, ModifyInstancesAttributeRequest::NAME, call);
        }
        super::object(&ModifyInstancesAttributeResponse {})
    }

    /// `ModifyInstancesProject`: moves instances to another project.
    pub(super) fn modify_instances_project(
        &mut self,
        call: &Call<'_>,
        req: ModifyInstancesProjectRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        if req.project_id < 0 {
            return Err(ApiFailure::new(
                "InvalidProjectId.NotFound",
                format!("The project `{}` is not found.", req.project_id),
            ));
        }
        self.require_state(&seqs, &SETTLED)?;
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            m.placement
                .get_or_insert_with(Placement::default)
                .project_id = Some(req.project_id);
            self.note_operation(seq, ModifyInstancesProjectRequest::NAME, call);
        }
        super::object(&ModifyInstancesProjectResponse {})
    }

    /// `ResetInstancesPassword`: a stopped instance's password, or a running one's with `ForceStop` (which stops it).
    pub(super) fn reset_instances_password(
        &mut self,
        call: &Call<'_>,
        req: ResetInstancesPasswordRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        for &seq in &seqs {
            let windows = self.is_windows(self.at(seq)?);
            check_password(&req.password, windows)?;
            if let Some(user) = &req.user_name {
                if user.is_empty() || user.len() > 64 {
                    return Err(ApiFailure::invalid_value(
                        "`UserName` has 1 to 64 characters.",
                    ));
                }
            }
        }
        self.require_stopped(&seqs, req.force_stop == Some(true))?;
        for &seq in &seqs {
            let login = self
                .at_mut(seq)?
                .model
                .login_settings
                .get_or_insert_with(LoginSettings::default);
            login.keep_image_login = None;
        }
        self.stop_forced(&seqs, ResetInstancesPasswordRequest::NAME, call);
        super::object(&ResetInstancesPasswordResponse {})
    }

    /// `AssociateSecurityGroups`: adds security groups to instances, at most 5 per instance.
    pub(super) fn associate_security_groups(
        &mut self,
        call: &Call<'_>,
        req: AssociateSecurityGroupsRequest,
    ) -> ApiResult<Reply> {
        let seqs =
            self.check_security_group_change(call, &req.security_group_ids, &req.instance_ids)?;
        for &seq in &seqs {
            let inst = self.at(seq)?;
            let mut ids = inst.model.security_group_ids.clone();
            for sg in &req.security_group_ids {
                if !ids.contains(sg) {
                    ids.push(sg.clone());
                }
            }
            if ids.len() > 5 {
                return Err(ApiFailure::new(
                    "LimitExceeded.AssociateUSGLimitExceeded",
                    format!(
                        "The instance `{}` would be in more than 5 security groups.",
                        inst.id()
                    ),
                ));
            }
        }
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            for sg in &req.security_group_ids {
                if !m.security_group_ids.contains(sg) {
                    m.security_group_ids.push(sg.clone());
                }
            }
        }
        super::object(&AssociateSecurityGroupsResponse {})
    }

    /// `DisassociateSecurityGroups`: removes security groups the instances are in.
    pub(super) fn disassociate_security_groups(
        &mut self,
        call: &Call<'_>,
        req: DisassociateSecurityGroupsRequest,
    ) -> ApiResult<Reply> {
        let seqs =
            self.check_security_group_change(call, &req.security_group_ids, &req.instance_ids)?;
        for &seq in &seqs {
            let inst = self.at(seq)?;
            if let Some(sg) = req
                .security_group_ids
                .iter()
                .find(|sg| !inst.model.security_group_ids.contains(sg))
            {
                return Err(ApiFailure::new(
                    "InvalidSecurityGroupId.NotFound",
                    format!(
                        "The instance `{}` is not in security group `{sg}`.",
                        inst.id()
                    ),
                ));
            }
        }
        for &seq in &seqs {
            let m = &mut self.at_mut(seq)?.model;
            m.security_group_ids
                .retain(|sg| !req.security_group_ids.contains(sg));
        }
        super::object(&DisassociateSecurityGroupsResponse {})
    }

    fn check_security_group_change(
        &self,
        call: &Call<'_>,
        groups: &[String],
        instance_ids: &[String],
    ) -> ApiResult<Vec<u64>> {
        if groups.is_empty() {
            return Err(ApiFailure::missing("SecurityGroupIds"));
        }
        check_ids(groups, "sg-", "InvalidSgId.Malformed")?;
        let seqs = self.owned_instances(call, instance_ids)?;
        self.require_state(&seqs, &SETTLED)?;
        Ok(seqs)
    }

    /// `DescribeInstancesAttributes`: the instances' `UserData`, the one attribute the service reports.
    pub(super) fn describe_instances_attributes(
        &self,
        call: &Call<'_>,
        req: DescribeInstancesAttributesRequest,
    ) -> ApiResult<Reply> {
        if req.attributes.is_empty() {
            return Err(ApiFailure::missing("Attributes"));
        }
        for a in &req.attributes {
            one_of("Attributes", a, &["UserData"])?;
        }
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let mut set = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let id = self.at(seq)?.id().to_owned();
            let user_data = self
                .resources
                .user_data
                .get(&id)
                .cloned()
                .unwrap_or_default();
            set.push(InstanceAttribute {
                instance_id: Some(id),
                attributes: Some(Attribute {
                    user_data: Some(user_data),
                }),
            });
        }
        super::object(&DescribeInstancesAttributesResponse { instance_set: set })
    }

    /// `DescribeInstanceVncUrl`: a one-time console address for a running instance.
    pub(super) fn describe_instance_vnc_url(
        &mut self,
        call: &Call<'_>,
        req: DescribeInstanceVncUrlRequest,
    ) -> ApiResult<Reply> {
        let seq = self.owned_instance(call, &req.instance_id)?;
        self.require_state(&[seq], &[InstanceState::Running])?;
        let ticket = self.uuid().replace('-', "");
        object_vnc(format!(
            "wss://bjvnc.qcloud.com:26789/vnc?s={ticket}&instanceId={}",
            req.instance_id
        ))
    }

    /// `DescribeInstancesOperationLimit`: how often each instance has been and may be downgraded.
    pub(super) fn describe_instances_operation_limit(
        &self,
        call: &Call<'_>,
        req: DescribeInstancesOperationLimitRequest,
    ) -> ApiResult<Reply> {
        one_of("Operation", &req.operation, &["INSTANCE_DEGRADE"])?;
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let mut set = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let id = self.at(seq)?.id().to_owned();
            let done = self.resources.degrades.get(&id).copied().unwrap_or(0);
            set.push(OperationCountLimit {
                operation: Some(req.operation.clone()),
                instance_id: Some(id),
                current_count: Some(done),
                limit_count: Some(MAX_DEGRADES),
            });
        }
        super::object(&DescribeInstancesOperationLimitResponse {
            instance_operation_limit_set: set,
        })
    }
}

/// How many times an instance may be moved to a smaller type.
pub(super) const MAX_DEGRADES: i64 = 3;

fn object_vnc(url: String) -> ApiResult<Reply> {
    super::object(&DescribeInstanceVncUrlResponse {
        instance_vnc_url: Some(url),
    })
}
