//! `cvm start|stop|reboot ID... [--wait]` and `cvm wait ID... --state S`.

use std::time::Duration;

use cvm_blocking::{Client, WaitTarget};
use cvm_proto::models::{
    InstanceState, RebootInstancesRequest, StartInstancesRequest, StopInstancesRequest,
};
use serde_json::json;

use crate::output::say;
use crate::output::{self, Failure, Output};

/// Options shared by start, stop and reboot.
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
    /// For stop and reboot: SOFT (default), HARD or SOFT_FIRST.
    #[arg(long)]
    stop_type: Option<String>,
}

/// Which power operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// StartInstances.
    Start,
    /// StopInstances.
    Stop,
    /// RebootInstances.
    Reboot,
}

/// Runs start, stop or reboot.
pub(crate) fn run(client: &Client, op: Op, args: &Args, out: &Output) -> Result<(), Failure> {
    let ids = args.ids.clone();
    let (request_id, target, action) = match op {
        Op::Start => {
            if args.stop_type.is_some() {
                return Err(Failure::usage(
                    "--stop-type applies to stop and reboot only",
                ));
            }
            let r = client.call(&StartInstancesRequest::new(ids.clone()))?;
            (r.request_id, InstanceState::Running, "StartInstances")
        }
        Op::Stop => {
            let req = StopInstancesRequest {
                instance_ids: ids.clone(),
                stop_type: args.stop_type.clone(),
                ..StopInstancesRequest::default()
            };
            (
                client.call(&req)?.request_id,
                InstanceState::Stopped,
                "StopInstances",
            )
        }
        Op::Reboot => {
            let mut req = RebootInstancesRequest::new(ids.clone());
            req.stop_type = args.stop_type.clone();
            (
                client.call(&req)?.request_id,
                InstanceState::Running,
                "RebootInstances",
            )
        }
    };
    if args.wait {
        if op == Op::Reboot {
            // A reboot passes through REBOOTING; give the service a moment to report it.
            std::thread::sleep(Duration::from_millis(200));
        }
        super::wait(
            client,
            &ids,
            WaitTarget::State(target.clone()),
            Duration::from_secs(args.wait_timeout),
            out,
        )?;
    }
    if out.json() {
        output::print_json(
            &json!({"Action": action, "InstanceIds": ids, "RequestId": request_id, "Waited": args.wait}),
        )
    } else {
        let state = if args.wait {
            target.as_str().to_owned()
        } else {
            "accepted".to_owned()
        };
        say!(
            "{action} {}: {state} (RequestId {request_id})",
            ids.join(" ")
        );
        Ok(())
    }
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
}

/// Runs `cvm wait`; the global `--timeout` bounds the whole wait (600 s by default).
pub(crate) fn wait(
    client: &Client,
    args: &WaitArgs,
    timeout: Duration,
    out: &Output,
) -> Result<(), Failure> {
    super::wait(client, &args.ids, args.state.clone(), timeout, out)?;
    if out.json() {
        output::print_json(&json!({"InstanceIds": args.ids, "State": args.state.to_string()}))
    } else {
        say!("{}: {}", args.ids.join(" "), args.state);
        Ok(())
    }
}
