//! `cvm instances` and `cvm status`: list instances and their states, page by page.

use std::collections::BTreeMap;

use cvm_blocking::Client;
use cvm_proto::models::{
    DescribeInstancesRequest, DescribeInstancesStatusRequest, Filter, Instance,
};
use serde_json::json;

use crate::output::{self, Failure, Output};

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

fn row(i: &Instance) -> Vec<String> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    vec![
        opt(&i.instance_id),
        opt(&i.instance_name),
        i.instance_state
            .as_ref()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
        opt(&i.instance_type),
        i.placement
            .as_ref()
            .and_then(|p| p.zone.clone())
            .unwrap_or_default(),
        i.private_ip_addresses.join(","),
        i.public_ip_addresses.join(","),
        opt(&i.created_time),
    ]
}

/// Runs `cvm instances`.
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
    let (instances, total) = if args.all {
        let all: Result<Vec<Instance>, _> = client.paginate(request).collect();
        let all = all?;
        let n = all.len() as i64;
        (all, n)
    } else {
        let reply = client.call(&request)?;
        let total = reply.output.total_count.unwrap_or(0);
        (reply.output.instance_set, total)
    };
    if out.json() {
        let set = serde_json::to_value(&instances).map_err(|e| Failure::usage(e.to_string()))?;
        return output::print_json(&json!({"TotalCount": total, "InstanceSet": set}));
    }
    let rows: Vec<Vec<String>> = instances.iter().map(row).collect();
    output::print_table(
        &[
            "ID",
            "NAME",
            "STATE",
            "TYPE",
            "ZONE",
            "PRIVATE_IP",
            "PUBLIC_IP",
            "CREATED",
        ],
        &rows,
    );
    if (rows.len() as i64) < total {
        eprintln!("({} of {total}; --all lists every page)", rows.len());
    }
    Ok(())
}

/// Options of `cvm status`.
#[derive(Debug, clap::Args)]
pub(crate) struct StatusArgs {
    /// Instance ids; every instance when none.
    ids: Vec<String>,
}

/// Runs `cvm status`: the state of each instance, all pages.
pub(crate) fn status(client: &Client, args: &StatusArgs, out: &Output) -> Result<(), Failure> {
    let request = DescribeInstancesStatusRequest {
        instance_ids: args.ids.clone(),
        limit: Some(100),
        ..DescribeInstancesStatusRequest::default()
    };
    let all: Result<Vec<_>, _> = client.paginate(request).collect();
    let all = all?;
    if out.json() {
        let set = serde_json::to_value(&all).map_err(|e| Failure::usage(e.to_string()))?;
        return output::print_json(&json!({"TotalCount": all.len(), "InstanceStatusSet": set}));
    }
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|s| {
            vec![
                s.instance_id.clone().unwrap_or_default(),
                s.instance_state
                    .as_ref()
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    output::print_table(&["ID", "STATE"], &rows);
    Ok(())
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
