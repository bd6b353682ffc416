//! Custom images: `CreateImage` (a `PRIVATE_IMAGE` in `CREATING`, then `NORMAL`),
//! `ModifyImageAttribute`, `ModifyImageSharePermission`, `DescribeImageSharePermission`,
//! `DeleteImages` and `SyncImages`.
//!
//! Only the caller's own images may be changed: a public image is answered
//! `UnauthorizedOperation.ImageNotBelongToAccount`, an image shared with the caller
//! `UnsupportedOperation.SharedImageModifyUnsupported`; an image still `CREATING` cannot be
//! shared, copied or deleted (`InvalidImageId.IncorrectState`), nor a shared one deleted
//! (`InvalidImageId.InShared`).

use std::time::Duration;

use cvm_proto::api::cvm::{
    CreateImageRequest, CreateImageResponse, DeleteImagesRequest, DeleteImagesResponse,
    DescribeImageSharePermissionRequest, DescribeImageSharePermissionResponse, Image,
    ModifyImageAttributeRequest, ModifyImageAttributeResponse, ModifyImageSharePermissionRequest,
    ModifyImageSharePermissionResponse, SharePermission, Snapshot, SyncImage, SyncImagesRequest,
    SyncImagesResponse,
};
use cvm_proto::models::{self, InstanceState};

use super::owned::{check_ids, convert, tags_for};
use super::required_fields::complete_image;
use super::{object, one_of, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::resources::SimImage;
use crate::sim::Sim;

impl Sim {
    /// Moves custom images whose creation is over to `NORMAL` (done before every regional action).
    pub(crate) fn settle_images(&mut self, now: Duration) {
        let now_ms = u64::try_from(now.as_millis()).unwrap_or(u64::MAX);
        for image in &mut self.resources.images {
            if image.ready_at_ms.is_some_and(|at| at <= now_ms) {
                image.ready_at_ms = None;
                image.model.image_state = Some("NORMAL".to_owned());
                image.model.sync_percent = Some(100);
            }
        }
    }

    /// The caller's own images in the region and those shared with it (as `SHARED_IMAGE`).
    pub(super) fn visible_images(&self, call: &Call<'_>) -> Vec<Image> {
        let mut out = Vec::new();
        for image in self
            .resources
            .images
            .iter()
            .filter(|i| i.region == call.region)
        {
            if image.owner == call.owner {
                out.push(image.model.clone());
            } else if image
                .shared_with
                .iter()
                .any(|s| s.account_id.as_deref() == Some(call.owner))
            {
                let mut shared = image.model.clone();
                shared.image_type = Some("SHARED_IMAGE".to_owned());
                out.push(shared);
            }
        }
        out
    }

    /// A custom image the caller may launch from, in the hand-written model `RunInstances` checks.
    pub(super) fn usable_custom_image(
        &self,
        owner: &str,
        region: &str,
        id: &str,
    ) -> Option<models::Image> {
        self.resources
            .images
            .iter()
            .find(|i| {
                i.region == region
                    && i.model.image_id.as_deref() == Some(id)
                    && (i.owner == owner
                        || i.shared_with
                            .iter()
                            .any(|s| s.account_id.as_deref() == Some(owner)))
            })
            .and_then(|i| convert(&i.model).ok())
    }

    /// `CreateImage`: an image of a running or stopped instance's system disk, `CREATING` for a while.
    pub(super) fn create_image(
        &mut self,
        call: &Call<'_>,
        req: CreateImageRequest,
    ) -> ApiResult<Reply> {
        let Some(instance_id) = req.instance_id.as_deref() else {
            return Err(ApiFailure::missing("InstanceId"));
        };
        if !req.snapshot_ids.is_empty() {
            return Err(ApiFailure::new(
                "InvalidParameter.ImageIdsSnapshotIdsMustOne",
                "cvm-sim makes images from instances only, not from snapshots.",
            ));
        }
        check_image_name(&req.image_name)?;
        let seq = self.owned_instance(call, instance_id)?;
        self.require_state(&[seq], &[InstanceState::Running, InstanceState::Stopped])?;
        if let Some(f) = &req.force_poweroff {
            one_of("ForcePoweroff", f, &["true", "false", "TRUE", "FALSE"])?;
        }
        if self
            .own_images(call)
            .any(|i| i.model.image_name.as_deref() == Some(&req.image_name))
        {
            return Err(ApiFailure::new(
                "InvalidImageName.Duplicate",
                format!("An image named `{}` already exists.", req.image_name),
            ));
        }
        let max = self.config.quotas.max_images_per_region as usize;
        if self.own_images(call).count() >= max {
            return Err(ApiFailure::new(
                "ImageQuotaLimitExceeded",
                format!("At most {max} custom images may be held in one region."),
            ));
        }
        if req.dry_run == Some(true) {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let inst = self.at(seq)?.model.clone();
        let source = inst.image_id.as_deref().and_then(|id| {
            self.config
                .images
                .iter()
                .find(|i| i.image_id.as_deref() == Some(id))
                .cloned()
                .or_else(|| self.usable_custom_image(call.owner, &call.region, id))
        });
        let disk_size = inst
            .system_disk
            .as_ref()
            .and_then(|d| d.disk_size)
            .unwrap_or(50);
        let image_id = self.new_id("img-");
        let snapshot_id = self.new_id("snap-");
        let mut model = Image {
            image_id: Some(image_id.clone()),
            os_name: inst.os_name.clone(),
            image_type: Some("PRIVATE_IMAGE".to_owned()),
            created_time: Some(self.iso_now(call)),
            image_name: Some(req.image_name.clone()),
            image_description: Some(req.image_description.clone().unwrap_or_default()),
            image_size: Some(disk_size),
            architecture: source
                .as_ref()
                .and_then(|s| s.architecture.clone())
                .or_else(|| Some("x86_64".to_owned())),
            image_state: Some("CREATING".to_owned()),
            platform: source.as_ref().and_then(|s| s.platform.clone()),
            image_creator: Some(call.owner.to_owned()),
            image_source: Some("CREATE_IMAGE".to_owned()),
            sync_percent: Some(0),
            is_support_cloudinit: source.as_ref().and_then(|s| s.is_support_cloudinit),
            snapshot_set: vec![Snapshot {
                snapshot_id: Some(snapshot_id),
                disk_usage: Some("SYSTEM_DISK".to_owned()),
                disk_size: Some(disk_size),
            }],
            tags: tags_for(&req.tag_specification, "image"),
            license_type: inst.license_type.clone(),
            image_family: req.image_family.clone(),
            image_deprecated: Some(false),
            cdc_cache_status: None,
        };
        complete_image(&mut model);
        self.add_image(call, model);
        object(&CreateImageResponse {
            image_id: Some(image_id),
        })
    }

    /// `ModifyImageAttribute`: the name, description, family or deprecation of an own image.
    pub(super) fn modify_image_attribute(
        &mut self,
        call: &Call<'_>,
        req: ModifyImageAttributeRequest,
    ) -> ApiResult<Reply> {
        let index = self.own_image_index(call, &req.image_id)?;
        if let Some(name) = &req.image_name {
            check_image_name(name)?;
            let taken = self.own_images(call).any(|i| {
                i.model.image_name.as_deref() == Some(name.as_str())
                    && i.model.image_id.as_deref() != Some(req.image_id.as_str())
            });
            if taken {
                return Err(ApiFailure::new(
                    "InvalidImageName.Duplicate",
                    format!("An image named `{name}` already exists."),
                ));
            }
        }
        if let Some(image) = self.resources.images.get_mut(index) {
            let m = &mut image.model;
            if let Some(v) = req.image_name {
                m.image_name = Some(v);
            }
            if let Some(v) = req.image_description {
                m.image_description = Some(v);
            }
            if let Some(v) = req.image_family {
                m.image_family = Some(v);
            }
            if let Some(v) = req.image_deprecated {
                m.image_deprecated = Some(v);
            }
        }
        object(&ModifyImageAttributeResponse {})
    }

    /// `ModifyImageSharePermission`: shares a `NORMAL` own image with accounts (`SHARE`) or stops (`CANCEL`).
    pub(super) fn modify_image_share_permission(
        &mut self,
        call: &Call<'_>,
        req: ModifyImageSharePermissionRequest,
    ) -> ApiResult<Reply> {
        one_of("Permission", &req.permission, &["SHARE", "CANCEL"])?;
        if req.account_ids.is_empty() {
            return Err(ApiFailure::missing("AccountIds"));
        }
        let index = self.own_image_index(call, &req.image_id)?;
        self.require_normal(index)?;
        if req.account_ids.iter().any(|a| a == call.owner) {
            return Err(ApiFailure::new(
                "InvalidAccountIs.YourSelf",
                "An image cannot be shared with its own account.",
            ));
        }
        let now = self.iso_now(call);
        if let Some(image) = self.resources.images.get_mut(index) {
            for account in &req.account_ids {
                let has = image
                    .shared_with
                    .iter()
                    .any(|s| s.account_id.as_deref() == Some(account));
                if req.permission == "SHARE" && !has {
                    image.shared_with.push(SharePermission {
                        created_time: Some(now.clone()),
                        account_id: Some(account.clone()),
                    });
                } else if req.permission == "CANCEL" {
                    image
                        .shared_with
                        .retain(|s| s.account_id.as_deref() != Some(account));
                }
            }
        }
        object(&ModifyImageSharePermissionResponse {})
    }

    /// `DescribeImageSharePermission`: the accounts an own image is shared with.
    pub(super) fn describe_image_share_permission(
        &self,
        call: &Call<'_>,
        req: DescribeImageSharePermissionRequest,
    ) -> ApiResult<Reply> {
        let index = self.own_image_index(call, &req.image_id)?;
        let set = self
            .resources
            .images
            .get(index)
            .map(|i| i.shared_with.clone())
            .unwrap_or_default();
        object(&DescribeImageSharePermissionResponse {
            share_permission_set: set,
        })
    }

    /// `DeleteImages`: deletes own images that are `NORMAL` and shared with nobody.
    pub(super) fn delete_images(
        &mut self,
        call: &Call<'_>,
        req: DeleteImagesRequest,
    ) -> ApiResult<Reply> {
        if req.image_ids.is_empty() {
            return Err(ApiFailure::missing("ImageIds"));
        }
        let mut doomed = Vec::new();
        for id in &req.image_ids {
            let index = self.own_image_index(call, id)?;
            self.require_normal(index)?;
            if self
                .resources
                .images
                .get(index)
                .is_some_and(|i| !i.shared_with.is_empty())
            {
                return Err(ApiFailure::new(
                    "InvalidImageId.InShared",
                    format!("The image `{id}` is shared; cancel its sharing first."),
                ));
            }
            doomed.push(id.clone());
        }
        if req.dry_run == Some(true) {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let (owner, region) = (call.owner, call.region.as_str());
        self.resources.images.retain(|i| {
            !(i.owner == owner
                && i.region == region
                && doomed
                    .iter()
                    .any(|d| i.model.image_id.as_deref() == Some(d)))
        });
        object(&DeleteImagesResponse {})
    }

    /// `SyncImages`: copies `NORMAL` own images to other regions, where they are `CREATING` for a while.
    pub(super) fn sync_images(
        &mut self,
        call: &Call<'_>,
        req: SyncImagesRequest,
    ) -> ApiResult<Reply> {
        if req.image_ids.is_empty() {
            return Err(ApiFailure::missing("ImageIds"));
        }
        if req.destination_regions.is_empty() {
            return Err(ApiFailure::missing("DestinationRegions"));
        }
        for r in &req.destination_regions {
            if !self.config.regions.iter().any(|c| &c.region == r) || r == &call.region {
                return Err(ApiFailure::new(
                    "InvalidRegion.NotFound",
                    format!("The destination region `{r}` is not another region of this API."),
                ));
            }
        }
        if let Some(name) = &req.image_name {
            check_image_name(name)?;
        }
        let mut sources = Vec::new();
        for id in &req.image_ids {
            let index = self.own_image_index(call, id)?;
            self.require_normal(index)?;
            if let Some(i) = self.resources.images.get(index) {
                sources.push(i.model.clone());
            }
        }
        if req.dry_run == Some(true) {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let mut set = Vec::new();
        for source in &sources {
            for region in &req.destination_regions {
                let mut copy = source.clone();
                let id = self.new_id("img-");
                copy.image_id = Some(id.clone());
                copy.image_state = Some("CREATING".to_owned());
                copy.sync_percent = Some(0);
                copy.created_time = Some(self.iso_now(call));
                if let Some(name) = &req.image_name {
                    copy.image_name = Some(name.clone());
                }
                let in_region = Call {
                    owner: call.owner,
                    region: region.clone(),
                    params: cvm_proto::Params::new(),
                    cx: call.cx,
                    now: call.now,
                };
                self.add_image(&in_region, copy);
                set.push(SyncImage {
                    image_id: Some(id),
                    region: Some(region.clone()),
                });
            }
        }
        if req.image_set_required != Some(true) {
            set.clear();
        }
        object(&SyncImagesResponse { image_set: set })
    }

    /// Keeps a new image for the caller in the call's region, `CREATING` until the transition ends.
    fn add_image(&mut self, call: &Call<'_>, model: Image) {
        let after = self.config.transitions.create_image;
        let at = call.now.saturating_add(after);
        self.resources.images.push(SimImage {
            owner: call.owner.to_owned(),
            region: call.region.clone(),
            model,
            shared_with: Vec::new(),
            ready_at_ms: Some(u64::try_from(at.as_millis()).unwrap_or(u64::MAX)),
        });
        self.settle_images(call.now);
    }

    /// The caller's own custom images in the region (those counted against its image quota).
    pub(super) fn own_images<'a>(
        &'a self,
        call: &'a Call<'_>,
    ) -> impl Iterator<Item = &'a SimImage> {
        self.resources
            .images
            .iter()
            .filter(move |i| i.owner == call.owner && i.region == call.region)
    }

    /// The position of the caller's own image `id`, or the service's error for any other image.
    fn own_image_index(&self, call: &Call<'_>, id: &str) -> ApiResult<usize> {
        check_ids(&[id.to_owned()], "img-", "InvalidImageId.Malformed")?;
        if let Some(index) = self.resources.images.iter().position(|i| {
            i.owner == call.owner
                && i.region == call.region
                && i.model.image_id.as_deref() == Some(id)
        }) {
            return Ok(index);
        }
        if self
            .config
            .images
            .iter()
            .any(|i| i.image_id.as_deref() == Some(id))
        {
            return Err(ApiFailure::new(
                "UnauthorizedOperation.ImageNotBelongToAccount",
                format!("The image `{id}` is a catalogue image, not one of this account's."),
            ));
        }
        if self
            .usable_custom_image(call.owner, &call.region, id)
            .is_some()
        {
            return Err(ApiFailure::new(
                "UnsupportedOperation.SharedImageModifyUnsupported",
                format!("The image `{id}` is shared with this account by another one."),
            ));
        }
        Err(ApiFailure::new(
            "InvalidImageId.NotFound",
            format!("The image `{id}` is not found."),
        ))
    }

    fn require_normal(&self, index: usize) -> ApiResult<()> {
        match self.resources.images.get(index) {
            Some(i) if i.model.image_state.as_deref() == Some("NORMAL") => Ok(()),
            Some(i) => Err(ApiFailure::new(
                "InvalidImageId.IncorrectState",
                format!(
                    "The image `{}` is `{}`, not `NORMAL`.",
                    i.model.image_id.as_deref().unwrap_or_default(),
                    i.model.image_state.as_deref().unwrap_or_default()
                ),
            )),
            None => Err(super::owned::internal()),
        }
    }
}

/// An image name: 1 to 60 characters.
fn check_image_name(name: &str) -> ApiResult<()> {
    let n = name.chars().count();
    if n == 0 || n > 60 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.TooLong",
            "An image name has 1 to 60 characters.",
        ));
    }
    Ok(())
}
