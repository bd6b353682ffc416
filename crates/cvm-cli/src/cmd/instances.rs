//! `cvm instances` and `cvm status`: list instances and their states, page by page.

use std::collections::BTreeMap;

use cvm_blocking::Client;
use cvm_proto::models::{DescribeInstancesRequest, DescribeInstancesStatusRequest, Filter};
use serde_json::json;

use crate::output::{Failure, Format, Output, View};

/// Options of `cvm instances`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Only these instance ids (at most 100).
    #[arg(long = "id")]
    ids: Vec<String>,
    /// A filter as name=value, e.g. zone=ap-guangzhou-2 or instance-state=RUNNING; values of one name are ORed.
    #[arg(long = "filter", value_parser = parse_filter)]
    filters: Vec<(String, String)>,
    /// Every page, not only the first.
    #[arg(long)]
    all: bool,
    /// Page size (1 to 100).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(i64).range(1..=100))]
    limit: i64,
}

/// Parses `name=value`.
pub(crate) fn parse_filter(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("filter {s:?} must be name=value")),
    }
}

/// Filters from `name=value` pairs, values of the same name in one filter.
pub(crate) fn filters(pairs: &[(String, String)]) -> Vec<Filter> {
    let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, value) in pairs {
        by_name.entry(name).or_default().push(value.clone());
    }
    by_name
        .into_iter()
        .map(|(name, values)| Filter::new(name, values))
        .collect()
}

const INSTANCES: View = View {
    list: "InstanceSet",
    columns: &[
        ("ID", "InstanceId"),
        ("NAME", "InstanceName"),
        ("STATE", "InstanceState"),
        ("TYPE", "InstanceType"),
        ("ZONE", "Placement.Zone"),
        ("PRIVATE_IP", "PrivateIpAddresses"),
        ("PUBLIC_IP", "PublicIpAddresses"),
        ("CREATED", "CreatedTime"),
    ],
};

const STATUS: View = View {
    list: "InstanceStatusSet",
    columns: &[("ID", "InstanceId"), ("STATE", "InstanceState")],
};

/// Runs `cvm instances`: the DescribeInstances response (with `--all`, every page in one).
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let filters = filters(&args.filters);
    cvm_proto::filters::check_names(cvm_proto::filters::INSTANCE_FILTER_NAMES, &filters)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let request = DescribeInstancesRequest {
        instance_ids: args.ids.clone(),
        filters,
        limit: Some(args.limit),
        ..DescribeInstancesRequest::default()
    };
    let (instances, total, request_id) = if args.all {
        let (all, request_id) = super::all_pages(client, request)?;
        let n = all.len() as i64;
        (all, n, request_id)
    } else {
        let reply = client.call(&request)?;
        let total = reply.output.total_count.unwrap_or(0);
        (reply.output.instance_set, total, reply.request_id)
    };
    let shown = instances.len() as i64;
    let set = serde_json::to_value(&instances).map_err(|e| Failure::usage(e.to_string()))?;
    out.emit(
        &json!({"TotalCount": total, "InstanceSet": set, "RequestId": request_id}),
        Some(&INSTANCES),
    )?;
    if shown < total && out.format == Format::Table && out.query.is_none() {
        out.hint(&format!("({shown} of {total}; --all lists every page)"));
    }
    Ok(())
}

/// Options of `cvm status`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// Instance ids; every instance when none.
    ids: Vec<String>,
}

/// Runs `cvm status`: the state of each instance, every page as one DescribeInstancesStatus response.
pub(crate) fn status(client: &Client, args: &StatusArgs, out: &Output) -> Result<(), Failure> {
    let request = DescribeInstancesStatusRequest {
        instance_ids: args.ids.clone(),
        limit: Some(100),
        ..DescribeInstancesStatusRequest::default()
    };
    let (all, request_id) = super::all_pages(client, request)?;
    let set = serde_json::to_value(&all).map_err(|e| Failure::usage(e.to_string()))?;
    out.emit(
        &json!({"TotalCount": all.len(), "InstanceStatusSet": set, "RequestId": request_id}),
        Some(&STATUS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_group_values_by_name() {
        let pairs = vec![
            parse_filter("zone=a").unwrap(),
            parse_filter("instance-state=RUNNING").unwrap(),
            parse_filter("zone=b").unwrap(),
        ];
        let f = filters(&pairs);
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].name, "zone");
        assert_eq!(f[1].values, ["a", "b"]);
        assert!(parse_filter("novalue").is_err());
        assert!(parse_filter("=x").is_err());
        assert_eq!(
            parse_filter("tag:env=a=b").unwrap(),
            ("tag:env".to_owned(), "a=b".to_owned())
        );
    }
}
