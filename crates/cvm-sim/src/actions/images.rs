//! Images: `DescribeImages`, over the catalogue's images and the caller's own and shared ones
//! (made by the actions in `custom_images`).

use cvm_proto::api::cvm::{DescribeImagesResponse, Image};
use cvm_proto::models::{DescribeImagesRequest, Filter};

use super::required_fields::reply_image;
use super::{check_filters, has_id_form, invalid_filter, object, page, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

impl Sim {
    /// `DescribeImages`: the catalogue's images and those the caller owns or was shared in the
    /// region, by id or by filters, one page of them.
    pub(super) fn describe_images(
        &self,
        call: &Call<'_>,
        req: DescribeImagesRequest,
    ) -> ApiResult<Reply> {
        check_image_selection(&req)?;
        check_filters(&req.filters, 5)?;
        let (offset, limit) = page(
            req.offset.map(|o| i64::try_from(o).unwrap_or(i64::MAX)),
            req.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        )?;
        let x86_only = self.x86_only(req.instance_type.as_deref())?;
        let mut matching = Vec::new();
        let mut all = Vec::new();
        for image in &self.config.images {
            all.push(reply_image(image));
        }
        all.extend(self.visible_images(call));
        for image in &all {
            if !req.image_ids.is_empty()
                && !req
                    .image_ids
                    .iter()
                    .any(|id| image.image_id.as_ref() == Some(id))
            {
                continue;
            }
            if x86_only && image.architecture.as_deref() != Some("x86_64") {
                continue;
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= image_matches(image, f)?;
            }
            if keep {
                matching.push(image.clone());
            }
        }
        let total = matching.len();
        let set = matching.into_iter().skip(offset).take(limit).collect();
        object(&DescribeImagesResponse {
            image_set: set,
            total_count: Some(total as i64),
        })
    }

    /// Whether only x86 images are wanted: those for a given `InstanceType`, which must exist.
    fn x86_only(&self, instance_type: Option<&str>) -> ApiResult<bool> {
        match instance_type {
            None => Ok(false),
            Some(t)
                if self
                    .config
                    .instance_types
                    .iter()
                    .any(|s| s.instance_type == t) =>
            {
                Ok(true)
            }
            Some(t) => Err(ApiFailure::new(
                "InvalidParameterValue.InstanceTypeNotFound",
                format!("The instance type `{t}` does not exist."),
            )),
        }
    }
}

/// Images are selected by `ImageIds` (well-formed) or by `Filters`, not both.
fn check_image_selection(req: &DescribeImagesRequest) -> ApiResult<()> {
    if !req.image_ids.is_empty() && !req.filters.is_empty() {
        return Err(ApiFailure::new(
            "InvalidParameter.InvalidParameterCoexistImageIdsFilters",
            "`ImageIds` and `Filters` cannot be specified at the same time.",
        ));
    }
    if let Some(id) = req.image_ids.iter().find(|id| !has_id_form(id, "img-")) {
        return Err(ApiFailure::new(
            "InvalidImageId.Malformed",
            format!("The image ID `{id}` is malformed; it looks like `img-xxxxxxxx`."),
        ));
    }
    Ok(())
}

/// Whether an image satisfies one `DescribeImages` filter.
fn image_matches(image: &Image, filter: &Filter) -> ApiResult<bool> {
    let any = |c: Option<&str>| filter.values.iter().any(|v| c == Some(v.as_str()));
    Ok(match filter.name.as_str() {
        "image-id" => any(image.image_id.as_deref()),
        "image-type" => any(image.image_type.as_deref()),
        "image-name" => any(image.image_name.as_deref()),
        "platform" => any(image.platform.as_deref()),
        "tag-key" => image.tags.iter().any(|t| any(t.key.as_deref())),
        "tag-value" => image.tags.iter().any(|t| any(t.value.as_deref())),
        "dedicated-cluster-id" | "cdc-cache-status" => false,
        name => match name.strip_prefix("tag:") {
            Some(key) => image
                .tags
                .iter()
                .any(|t| t.key.as_deref() == Some(key) && any(t.value.as_deref())),
            None => return Err(invalid_filter(name)),
        },
    })
}
