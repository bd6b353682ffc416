//! `cvm start|stop|reboot ID... [--wait]` and `cvm wait ID... --state S`.

use std::time::Duration;

use cvm_blocking::{Client, WaitTarget};
use cvm_proto::models::{
    InstanceState, RebootInstancesRequest, StartInstancesRequest, StopInstancesRequest,
};
use serde_json::json;

use crate::output::{self, Failure, Output};

/// Options of start, and of stop and reboot before their own.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Instance ids (at most 100).
    #[arg(required = true)]
    ids: Vec<String>,
    /// Wait until the operation has finished.
    #[arg(long)]
    wait: bool,
    /// Seconds to wait at most with --wait.
    #[arg(long, default_value_t = 600)]
    wait_timeout: u64,
}

/// Options of `cvm stop`.
#[derive(Debug, clap::Args)]
pub(crate) struct StopArgs {
    #[command(flatten)]
    pub(crate) common: Args,
    /// SOFT (default), HARD or SOFT_FIRST.
    #[arg(long)]
    stop_type: Option<String>,
    /// KEEP_CHARGING (default) or STOP_CHARGING: whether a pay-as-you-go instance is billed while stopped.
    #[arg(long)]
    stopped_mode: Option<String>,
}

/// Options of `cvm reboot`.
#[derive(Debug, clap::Args)]
pub(crate) struct RebootArgs {
    #[command(flatten)]
    pub(crate) common: Args,
    /// SOFT (default), HARD or SOFT_FIRST.
    #[arg(long)]
    stop_type: Option<String>,
}

/// Which power operation, with its own options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    /// StartInstances.
    Start,
    /// StopInstances.
    Stop {
        /// `StopType`.
        stop_type: Option<String>,
        /// `StoppedMode`.
        stopped_mode: Option<String>,
    },
    /// RebootInstances.
    Reboot {
        /// `StopType`.
        stop_type: Option<String>,
    },
}

impl StopArgs {
    /// The operation these options ask for.
    pub(crate) fn op(&self) -> Op {
        Op::Stop {
            stop_type: self.stop_type.clone(),
            stopped_mode: self.stopped_mode.clone(),
        }
    }
}

impl RebootArgs {
    /// The operation these options ask for.
    pub(crate) fn op(&self) -> Op {
        Op::Reboot {
            stop_type: self.stop_type.clone(),
        }
    }
}

/// Runs start, stop or reboot: the service's response (`RequestId`), plus `Instances` with `--wait`.
pub(crate) fn run(client: &Client, op: Op, args: &Args, out: &Output) -> Result<(), Failure> {
    let ids = args.ids.clone();
    let rebooting = matches!(op, Op::Reboot { .. });
    let (request_id, target) = match op {
        Op::Start => {
            let r = client.call(&StartInstancesRequest::new(ids.clone()))?;
            (r.request_id, InstanceState::Running)
        }
        Op::Stop {
            stop_type,
            stopped_mode,
        } => {
            let req = StopInstancesRequest {
                instance_ids: ids.clone(),
                stop_type,
                stopped_mode,
                ..StopInstancesRequest::default()
            };
            (client.call(&req)?.request_id, InstanceState::Stopped)
        }
        Op::Reboot { stop_type } => {
            let mut req = RebootInstancesRequest::new(ids.clone());
            req.stop_type = stop_type;
            (client.call(&req)?.request_id, InstanceState::Running)
        }
    };
    let mut doc = json!({ "RequestId": request_id });
    if args.wait {
        if rebooting {
            // A reboot passes through REBOOTING; give the service a moment to report it.
            std::thread::sleep(Duration::from_millis(200));
        }
        doc["Instances"] = super::wait(
            client,
            &ids,
            WaitTarget::State(target),
            Duration::from_secs(args.wait_timeout),
            out,
        )?;
    }
    out.emit(&doc, Some(&output::INSTANCES_VIEW))
}

/// Options of `cvm wait`.
#[derive(Debug, clap::Args)]
pub(crate) struct WaitArgs {
    /// Instance ids (at most 100).
    #[arg(required = true)]
    ids: Vec<String>,
    /// RUNNING, STOPPED, TERMINATED (gone) or any other instance state.
    #[arg(long)]
    state: WaitTarget,
    /// Seconds to wait at most; the wait polls until then, the last poll at the deadline.
    #[arg(long, default_value_t = 600)]
    wait_timeout: u64,
}

/// Runs `cvm wait`; `--wait-timeout` bounds the whole wait, the global `--timeout` each poll.
/// Prints `Instances`, each instance's id and the state it reached.
pub(crate) fn wait(client: &Client, args: &WaitArgs, out: &Output) -> Result<(), Failure> {
    let timeout = Duration::from_secs(args.wait_timeout);
    let states = super::wait(client, &args.ids, args.state.clone(), timeout, out)?;
    out.emit(
        &json!({ "Instances": states }),
        Some(&output::INSTANCES_VIEW),
    )
}
