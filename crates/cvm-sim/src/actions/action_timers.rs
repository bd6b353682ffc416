//! Action timers: `ImportInstancesActionTimer`, `DescribeInstancesActionTimer` and
//! `DeleteInstancesActionTimer`.
//!
//! A timer schedules `TerminateInstances` for an instance at a future time, one per instance
//! (`FailedOperation.MutActionTimerExist`). Timers are kept and reported (`UNDO` until their
//! time, `DONE` after); cvm-sim does not carry out the scheduled termination itself.

use cvm_proto::api::cvm::{
    ActionTimer, DeleteInstancesActionTimerRequest, DeleteInstancesActionTimerResponse,
    DescribeInstancesActionTimerRequest, DescribeInstancesActionTimerResponse, Externals,
    ImportInstancesActionTimerRequest, ImportInstancesActionTimerResponse,
};

use super::owned::check_ids;
use super::{object, one_of, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::resources::SimTimer;
use crate::sim::Sim;
use crate::time;

impl Sim {
    /// `ImportInstancesActionTimer`: schedules the termination of each instance at `ActionTime`.
    pub(super) fn import_instances_action_timer(
        &mut self,
        call: &Call<'_>,
        req: ImportInstancesActionTimerRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.owned_instances(call, &req.instance_ids)?;
        let action = req
            .action_timer
            .timer_action
            .clone()
            .ok_or_else(|| ApiFailure::missing("ActionTimer.TimerAction"))?;
        one_of("ActionTimer.TimerAction", &action, &["TerminateInstances"])?;
        let at_text = req
            .action_timer
            .action_time
            .clone()
            .ok_or_else(|| ApiFailure::missing("ActionTimer.ActionTime"))?;
        let at = time::parse_utc(&at_text).ok_or_else(|| {
            ApiFailure::new(
                "InvalidParameterValue.InvalidTimeFormat",
                format!("The time `{at_text}` is not in the form `YYYY-MM-DD hh:mm:ss`."),
            )
        })?;
        if at <= self.server_time(call.now) {
            return Err(ApiFailure::invalid_value(format!(
                "The action time `{at_text}` is not in the future."
            )));
        }
        for &seq in &seqs {
            let id = self.at(seq)?.id().to_owned();
            if self.timers_of(call).any(|t| {
                t.model.instance_id.as_deref() == Some(&id)
                    && t.model.timer_action.as_deref() == Some(action.as_str())
            }) {
                return Err(ApiFailure::new(
                    "FailedOperation.MutActionTimerExist",
                    format!("The instance `{id}` already has a `{action}` timer."),
                ));
            }
        }
        let mut ids = Vec::with_capacity(seqs.len());
        for seq in seqs {
            let instance_id = self.at(seq)?.id().to_owned();
            let id = self.new_id("ati-");
            self.resources.timers.push(SimTimer {
                owner: call.owner.to_owned(),
                region: call.region.clone(),
                model: ActionTimer {
                    timer_action: Some(action.clone()),
                    action_time: Some(time::format_utc(at)),
                    externals: Some(req.action_timer.externals.clone().unwrap_or(Externals {
                        release_address: Some(false),
                        ..Externals::default()
                    })),
                    action_timer_id: Some(id.clone()),
                    status: Some("UNDO".to_owned()),
                    instance_id: Some(instance_id),
                },
            });
            ids.push(id);
        }
        object(&ImportInstancesActionTimerResponse {
            action_timer_ids: ids,
        })
    }

    /// `DescribeInstancesActionTimer`: the caller's timers, by id, instance, action, time and status.
    pub(super) fn describe_instances_action_timer(
        &self,
        call: &Call<'_>,
        req: DescribeInstancesActionTimerRequest,
    ) -> ApiResult<Reply> {
        check_ids(&req.action_timer_ids, "ati-", "InvalidParameterValue")?;
        let bound = |text: &Option<String>| -> ApiResult<Option<i64>> {
            text.as_deref()
                .map(|t| {
                    time::parse_utc(t).ok_or_else(|| {
                        ApiFailure::new(
                            "InvalidParameterValue.InvalidTimeFormat",
                            format!("The time `{t}` is not in the form `YYYY-MM-DD hh:mm:ss`."),
                        )
                    })
                })
                .transpose()
        };
        let (start, end) = (bound(&req.start_action_time)?, bound(&req.end_action_time)?);
        let now = self.server_time(call.now);
        let set = self
            .timers_of(call)
            .map(|t| {
                let mut m = t.model.clone();
                let at = m
                    .action_time
                    .as_deref()
                    .and_then(time::parse_utc)
                    .unwrap_or(0);
                if at <= now {
                    m.status = Some("DONE".to_owned());
                }
                (m, at)
            })
            .filter(|(m, at)| {
                let id = m.action_timer_id.clone().unwrap_or_default();
                let inst = m.instance_id.clone().unwrap_or_default();
                (req.action_timer_ids.is_empty() || req.action_timer_ids.contains(&id))
                    && (req.instance_ids.is_empty() || req.instance_ids.contains(&inst))
                    && req
                        .timer_action
                        .as_ref()
                        .is_none_or(|a| m.timer_action.as_ref() == Some(a))
                    && start.is_none_or(|s| *at >= s)
                    && end.is_none_or(|e| *at <= e)
                    && (req.status_list.is_empty()
                        || m.status
                            .as_ref()
                            .is_some_and(|s| req.status_list.contains(s)))
            })
            .map(|(m, _)| m)
            .collect();
        object(&DescribeInstancesActionTimerResponse { action_timers: set })
    }

    /// `DeleteInstancesActionTimer`: cancels timers.
    pub(super) fn delete_instances_action_timer(
        &mut self,
        call: &Call<'_>,
        req: DeleteInstancesActionTimerRequest,
    ) -> ApiResult<Reply> {
        if req.action_timer_ids.is_empty() {
            return Err(ApiFailure::missing("ActionTimerIds"));
        }
        check_ids(&req.action_timer_ids, "ati-", "InvalidParameterValue")?;
        for id in &req.action_timer_ids {
            if !self
                .timers_of(call)
                .any(|t| t.model.action_timer_id.as_deref() == Some(id))
            {
                return Err(ApiFailure::invalid_value(format!(
                    "The action timer `{id}` is not found."
                )));
            }
        }
        let (owner, region) = (call.owner, call.region.as_str());
        self.resources.timers.retain(|t| {
            !(t.owner == owner
                && t.region == region
                && req
                    .action_timer_ids
                    .iter()
                    .any(|id| t.model.action_timer_id.as_deref() == Some(id)))
        });
        object(&DeleteInstancesActionTimerResponse {})
    }

    fn timers_of<'a>(&'a self, call: &'a Call<'_>) -> impl Iterator<Item = &'a SimTimer> {
        self.resources
            .timers
            .iter()
            .filter(move |t| t.owner == call.owner && t.region == call.region)
    }
}
