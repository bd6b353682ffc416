//! `cvm instance-types`: the instance types on offer, filtered by zone, family or type.

use cvm_blocking::Client;
use cvm_proto::models::{DescribeInstanceTypeConfigsRequest, Filter};
use serde_json::json;

use crate::output::{self, Failure, Output};

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

/// Runs the command.
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let req = request(
        args.zone.as_deref(),
        args.family.as_deref(),
        args.instance_type.as_deref(),
    );
    let reply = client.call(&req)?;
    if out.json() {
        let value =
            serde_json::to_value(&reply.output).map_err(|e| Failure::usage(e.to_string()))?;
        return output::print_json(
            &json!({"InstanceTypeConfigSet": value["InstanceTypeConfigSet"], "RequestId": reply.request_id}),
        );
    }
    let rows: Vec<Vec<String>> = reply
        .output
        .instance_type_config_set
        .iter()
        .map(|t| {
            vec![
                t.instance_type.clone().unwrap_or_default(),
                t.instance_family.clone().unwrap_or_default(),
                t.zone.clone().unwrap_or_default(),
                t.cpu.map(|c| c.to_string()).unwrap_or_default(),
                t.memory.map(|m| m.to_string()).unwrap_or_default(),
                t.gpu.map(|g| g.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    output::print_table(
        &["TYPE", "FAMILY", "ZONE", "CPU", "MEMORY_GIB", "GPU"],
        &rows,
    );
    Ok(())
}
