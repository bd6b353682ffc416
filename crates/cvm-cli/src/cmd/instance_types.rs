//! `cvm instance-types`: the instance types on offer, filtered by zone, family or type.

use cvm_blocking::Client;
use cvm_proto::models::{DescribeInstanceTypeConfigsRequest, Filter};

use crate::output::{self, Failure, Output, View};

const TYPES: View = View {
    list: "InstanceTypeConfigSet",
    columns: &[
        ("TYPE", "InstanceType"),
        ("FAMILY", "InstanceFamily"),
        ("ZONE", "Zone"),
        ("CPU", "CPU"),
        ("MEMORY_GIB", "Memory"),
        ("GPU", "GPU"),
    ],
};

/// Options of `cvm instance-types`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only this zone, e.g. ap-guangzhou-2.
    #[arg(long)]
    zone: Option<String>,
    /// Only this family, e.g. S2.
    #[arg(long)]
    family: Option<String>,
    /// Only this type, e.g. S2.MEDIUM4.
    #[arg(long = "type")]
    instance_type: Option<String>,
}

/// The request for these filters.
pub(crate) fn request(
    zone: Option<&str>,
    family: Option<&str>,
    instance_type: Option<&str>,
) -> DescribeInstanceTypeConfigsRequest {
    let filters = [
        ("zone", zone),
        ("instance-family", family),
        ("instance-type", instance_type),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.map(|v| Filter::new(name, [v])))
    .collect();
    DescribeInstanceTypeConfigsRequest { filters }
}

/// Runs the command: the DescribeInstanceTypeConfigs response.
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let req = request(
        args.zone.as_deref(),
        args.family.as_deref(),
        args.instance_type.as_deref(),
    );
    let reply = client.call(&req)?;
    out.emit(
        &output::response(&reply.output, &reply.request_id)?,
        Some(&TYPES),
    )
}
