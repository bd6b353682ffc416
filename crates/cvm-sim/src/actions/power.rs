//! Power: `StartInstances`, `StopInstances` and `RebootInstances`.

use cvm_proto::models::{
    InstanceState, RebootInstancesRequest, RebootInstancesResponse, StartInstancesRequest,
    StartInstancesResponse, StopInstancesRequest, StopInstancesResponse,
};
use cvm_proto::Action;

use super::billing::charge_type_of;
use super::instances::Operation;
use super::{object, one_of, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

const STOP_TYPES: [&str; 3] = ["SOFT", "HARD", "SOFT_FIRST"];
const STOPPED_MODES: [&str; 2] = ["KEEP_CHARGING", "STOP_CHARGING"];

impl Sim {
    /// `StartInstances`: stopped instances start and then run.
    pub(super) fn start_instances(
        &mut self,
        call: &Call<'_>,
        req: StartInstancesRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.targets(call.owner, &call.region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Stopped])?;
        let start = Operation {
            name: StartInstancesRequest::NAME,
            during: InstanceState::Starting,
            to: InstanceState::Running,
            after: self.config.transitions.start,
            remove: false,
        };
        for seq in seqs {
            self.begin(seq, &start, call);
        }
        object(&StartInstancesResponse {})
    }

    /// `StopInstances`: running instances stop, keeping or (postpaid only) stopping their charges.
    pub(super) fn stop_instances(
        &mut self,
        call: &Call<'_>,
        req: StopInstancesRequest,
    ) -> ApiResult<Reply> {
        check_stop_type(req.stop_type.as_deref())?;
        let mode = stopped_mode(&req)?;
        let seqs = self.targets(call.owner, &call.region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Running])?;
        if mode == "STOP_CHARGING" {
            self.check_may_stop_charging(&seqs)?;
        }
        let stop = Operation {
            name: StopInstancesRequest::NAME,
            during: InstanceState::Stopping,
            to: InstanceState::Stopped,
            after: self.config.transitions.stop,
            remove: false,
        };
        for seq in seqs {
            self.begin(seq, &stop, call);
            if let Some(inst) = self.instances.get_mut(&seq) {
                inst.model.stop_charging_mode = Some(mode.clone());
            }
        }
        object(&StopInstancesResponse {})
    }

    /// `RebootInstances`: running instances reboot and run again.
    pub(super) fn reboot_instances(
        &mut self,
        call: &Call<'_>,
        req: RebootInstancesRequest,
    ) -> ApiResult<Reply> {
        check_stop_type(req.stop_type.as_deref())?;
        let seqs = self.targets(call.owner, &call.region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Running])?;
        let reboot = Operation {
            name: RebootInstancesRequest::NAME,
            during: InstanceState::Rebooting,
            to: InstanceState::Running,
            after: self.config.transitions.reboot,
            remove: false,
        };
        for seq in seqs {
            self.begin(seq, &reboot, call);
        }
        object(&RebootInstancesResponse {})
    }

    /// Only instances postpaid by hour may stop charging while stopped.
    fn check_may_stop_charging(&self, seqs: &[u64]) -> ApiResult<()> {
        if let Some(inst) = seqs
            .iter()
            .filter_map(|s| self.instances.get(s))
            .find(|i| charge_type_of(i) != "POSTPAID_BY_HOUR")
        {
            return Err(ApiFailure::new(
                "UnsupportedOperation.StoppedModeStopCharging",
                format!("The instance `{}` is not postpaid by hour, so it cannot stop charging when stopped.", inst.id()),
            ));
        }
        Ok(())
    }
}

/// Checks `StopType`, when given.
fn check_stop_type(stop_type: Option<&str>) -> ApiResult<()> {
    match stop_type {
        Some(t) => one_of("StopType", t, &STOP_TYPES),
        None => Ok(()),
    }
}

/// The checked `StoppedMode`, `KEEP_CHARGING` when omitted.
fn stopped_mode(req: &StopInstancesRequest) -> ApiResult<String> {
    let mode = req
        .stopped_mode
        .clone()
        .unwrap_or_else(|| "KEEP_CHARGING".to_owned());
    one_of("StoppedMode", &mode, &STOPPED_MODES)?;
    Ok(mode)
}
