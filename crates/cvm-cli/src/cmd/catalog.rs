//! `cvm zones`, `cvm regions` and `cvm images`: what the service offers.

use cvm_blocking::Client;
use cvm_proto::models::{
    DescribeImagesRequest, DescribeRegionsRequest, DescribeZonesRequest, Image,
};
use serde_json::json;

use crate::output::{self, Failure, Output};

/// Runs `cvm zones`.
pub(crate) fn zones(client: &Client, out: &Output) -> Result<(), Failure> {
    let reply = client.call(&DescribeZonesRequest::default())?;
    if out.json() {
        return output::print_json(
            &serde_json::to_value(&reply.output).map_err(|e| Failure::usage(e.to_string()))?,
        );
    }
    let rows: Vec<Vec<String>> = reply
        .output
        .zone_set
        .iter()
        .map(|z| {
            vec![
                z.zone.clone().unwrap_or_default(),
                z.zone_id.clone().unwrap_or_default(),
                z.zone_name.clone().unwrap_or_default(),
                z.zone_state.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::print_table(&["ZONE", "ZONE_ID", "NAME", "STATE"], &rows);
    Ok(())
}

/// Runs `cvm regions`.
pub(crate) fn regions(client: &Client, out: &Output) -> Result<(), Failure> {
    let reply = client.call(&DescribeRegionsRequest::default())?;
    if out.json() {
        return output::print_json(
            &serde_json::to_value(&reply.output).map_err(|e| Failure::usage(e.to_string()))?,
        );
    }
    let rows: Vec<Vec<String>> = reply
        .output
        .region_set
        .iter()
        .map(|r| {
            vec![
                r.region.clone().unwrap_or_default(),
                r.region_name.clone().unwrap_or_default(),
                r.region_state.clone().unwrap_or_default(),
            ]
        })
        .collect();
    output::print_table(&["REGION", "NAME", "STATE"], &rows);
    Ok(())
}

/// Options of `cvm images`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImagesArgs {
    /// Only these image ids.
    #[arg(long = "id")]
    ids: Vec<String>,
    /// A filter as name=value: image-id, image-type, image-name, platform, tag-key, ...
    #[arg(long = "filter", value_parser = super::instances::parse_filter)]
    filters: Vec<(String, String)>,
}

/// Runs `cvm images`: every page.
pub(crate) fn images(client: &Client, args: &ImagesArgs, out: &Output) -> Result<(), Failure> {
    let filters = super::instances::filters(&args.filters);
    cvm_proto::filters::check_names(cvm_proto::filters::IMAGE_FILTER_NAMES, &filters)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let request = DescribeImagesRequest {
        image_ids: args.ids.clone(),
        filters,
        limit: Some(100),
        ..DescribeImagesRequest::default()
    };
    let all: Result<Vec<Image>, _> = client.paginate(request).collect();
    let all = all?;
    if out.json() {
        let set = serde_json::to_value(&all).map_err(|e| Failure::usage(e.to_string()))?;
        return output::print_json(&json!({"TotalCount": all.len(), "ImageSet": set}));
    }
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|i| {
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            vec![
                s(&i.image_id),
                s(&i.image_name),
                s(&i.image_type),
                s(&i.platform),
                s(&i.os_name),
                s(&i.image_state),
            ]
        })
        .collect();
    output::print_table(&["ID", "NAME", "TYPE", "PLATFORM", "OS", "STATE"], &rows);
    Ok(())
}
