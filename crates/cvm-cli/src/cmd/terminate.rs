//! `cvm terminate ID...`: destroy instances, optionally waiting until they are gone.

use cvm_blocking::{Client, WaitTarget};
use cvm_proto::models::TerminateInstancesRequest;

use crate::output::{self, Failure, Output};

/// Options of `cvm terminate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Instance ids, e.g. ins-r8hr2upy (at most 100).
    #[arg(required = true)]
    ids: Vec<String>,
    /// Wait until the instances are gone.
    #[arg(long)]
    wait: bool,
    /// Seconds to wait at most with --wait.
    #[arg(long, default_value_t = 600)]
    wait_timeout: u64,
}

/// Runs the command: the TerminateInstances response, plus `Instances` with `--wait`.
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let reply = client.call(&TerminateInstancesRequest::new(args.ids.iter().cloned()))?;
    let mut doc = output::response(&reply.output, &reply.request_id)?;
    if args.wait {
        doc["Instances"] = super::wait(
            client,
            &args.ids,
            WaitTarget::Gone,
            std::time::Duration::from_secs(args.wait_timeout),
            out,
        )?;
    }
    out.emit(&doc, Some(&output::INSTANCES_VIEW))
}
