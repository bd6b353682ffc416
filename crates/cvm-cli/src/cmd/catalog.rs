//! `cvm zones`, `cvm regions` and `cvm images`: what the service offers.

use cvm_blocking::Client;
use cvm_proto::models::{DescribeImagesRequest, DescribeRegionsRequest, DescribeZonesRequest};
use serde_json::json;

use crate::output::{self, Failure, Output, View};

const ZONES: View = View {
    list: "ZoneSet",
    columns: &[
        ("ZONE", "Zone"),
        ("ZONE_ID", "ZoneId"),
        ("NAME", "ZoneName"),
        ("STATE", "ZoneState"),
    ],
};

const REGIONS: View = View {
    list: "RegionSet",
    columns: &[
        ("REGION", "Region"),
        ("NAME", "RegionName"),
        ("STATE", "RegionState"),
    ],
};

const IMAGES: View = View {
    list: "ImageSet",
    columns: &[
        ("ID", "ImageId"),
        ("NAME", "ImageName"),
        ("TYPE", "ImageType"),
        ("PLATFORM", "Platform"),
        ("OS", "OsName"),
        ("STATE", "ImageState"),
    ],
};

/// Runs `cvm zones`: the DescribeZones response.
pub(crate) fn zones(client: &Client, out: &Output) -> Result<(), Failure> {
    let reply = client.call(&DescribeZonesRequest::default())?;
    out.emit(
        &output::response(&reply.output, &reply.request_id)?,
        Some(&ZONES),
    )
}

/// Runs `cvm regions`: the DescribeRegions response.
pub(crate) fn regions(client: &Client, out: &Output) -> Result<(), Failure> {
    let reply = client.call(&DescribeRegionsRequest::default())?;
    out.emit(
        &output::response(&reply.output, &reply.request_id)?,
        Some(&REGIONS),
    )
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

/// Runs `cvm images`: every page, as one DescribeImages response.
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
    let (all, request_id) = super::all_pages(client, request)?;
    let set = serde_json::to_value(&all).map_err(|e| Failure::usage(e.to_string()))?;
    out.emit(
        &json!({"TotalCount": all.len(), "ImageSet": set, "RequestId": request_id}),
        Some(&IMAGES),
    )
}
