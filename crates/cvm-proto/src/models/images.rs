//! Machine images: `DescribeImages`, the [`Image`]s it reports and the [`Snapshot`]s they are
//! built from.

use serde::{Deserialize, Serialize};

use super::{null_as_empty, Filter, TagInfo};
use crate::action::Action;

/// A snapshot that an image is built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Snapshot {
    /// The snapshot ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// The kind of disk it was taken from, e.g. `SYSTEM_DISK`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_usage: Option<String>,
    /// The disk size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<i64>,
}

/// A machine image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Image {
    /// The image ID, e.g. `img-xxxxxxxx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The operating system name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_name: Option<String>,
    /// `PUBLIC_IMAGE`, `PRIVATE_IMAGE` or `SHARED_IMAGE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// When the image was created, RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// The image name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// The image description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_description: Option<String>,
    /// The image size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_size: Option<i64>,
    /// `x86_64`, `arm` or `i386`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// `CREATING`, `NORMAL`, `CREATEFAILED`, `SYNCING`, `IMPORTING` or `IMPORTFAILED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_state: Option<String>,
    /// The operating system platform, e.g. `CentOS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The account that created the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_creator: Option<String>,
    /// `OFFICIAL`, `CREATE_IMAGE` or `EXTERNAL_IMPORT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_source: Option<String>,
    /// Synchronization progress in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_percent: Option<i64>,
    /// Whether the image supports cloud-init.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_support_cloudinit: Option<bool>,
    /// The snapshots the image is built from.
    #[serde(deserialize_with = "null_as_empty")]
    pub snapshot_set: Vec<Snapshot>,
    /// The tags.
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<TagInfo>,
    /// The operating system license type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    /// The image family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_family: Option<String>,
    /// Whether the image is deprecated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_deprecated: Option<bool>,
    /// The cache status in a cloud dedicated cluster (CDC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdc_cache_status: Option<String>,
}

/// `DescribeImages`: lists images by ID or by filters, one page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeImagesRequest {
    /// The images to describe; not together with filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_ids: Vec<String>,
    /// Filters (at most 10, five values each), e.g. `image-type` or `platform`; not together with IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// The index of the first result; 0 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<u64>,
    /// The page size; 20 when omitted, at most 100.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<u64>,
    /// Only images usable by this instance type.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_type: Option<String>,
}

/// The reply to `DescribeImages`: one page of images and the total count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeImagesResponse {
    /// The images of this page.
    #[serde(deserialize_with = "null_as_empty")]
    pub image_set: Vec<Image>,
    /// How many images match in total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
}

impl Action for DescribeImagesRequest {
    const NAME: &'static str = "DescribeImages";
    const READ_ONLY: bool = true;
    type Output = DescribeImagesResponse;
}
