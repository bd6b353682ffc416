//! `RunInstances`' request checks, in the service's order, gathered into a [`RunPlan`] before
//! anything is created.

use cvm_proto::models::{Image, Placement, RunInstancesRequest};

use super::billing::{charge_type_of, check_billing, Billing};
use super::disks::{check_data_disks, check_system_disk};
use super::login::check_login_settings;
use super::network::check_security_groups;
use super::{has_id_form, mismatch, range};
use crate::config::InstanceTypeSpec;
use crate::error::{ApiFailure, ApiResult};
use crate::sim::Sim;

/// The most instances one `RunInstances` call creates.
pub(super) const MAX_LAUNCH_COUNT: i64 = 500;

/// Everything `RunInstances` decided before creating anything.
pub(super) struct RunPlan {
    pub zone: String,
    pub instance_type: String,
    pub cpu: i64,
    pub memory: i64,
    pub gpu: i64,
    pub image: Image,
    pub billing: Billing,
    pub count: usize,
    pub names: Vec<String>,
    pub public_ip: bool,
    pub private_ips: Vec<String>,
    pub windows: bool,
}

impl Sim {
    /// Checks a `RunInstances` request for the caller in `region` and plans what it creates.
    pub(super) fn plan_run(
        &self,
        owner: &str,
        region: &str,
        req: &RunInstancesRequest,
    ) -> ApiResult<RunPlan> {
        check_launch_template(req)?;
        let billing = check_billing(req)?;
        let zone = self.check_placement(region, req.placement.as_ref())?;
        let instance_type = instance_type_of(req)?;
        let spec = self.instance_type_spec(&instance_type, zone)?;
        let image = self.check_image(owner, region, req.image_id.as_deref(), &instance_type)?;
        let windows = image.platform.as_deref() == Some("Windows");
        check_system_disk(req, &image)?;
        check_data_disks(&req.data_disks)?;
        let count = check_count(req)?;
        let public_ip = self.check_internet(req, count)?;
        if let Some(login) = &req.login_settings {
            check_login_settings(login, windows)?;
            self.check_key_pairs_exist(owner, region, &login.key_ids)?;
        }
        check_security_groups(&req.security_group_ids)?;
        let private_ips = self.check_vpc(req.virtual_private_cloud.as_ref(), count)?;
        if let Some(h) = &req.host_name {
            check_host_name(h, windows)?;
        }
        if let Some(data) = &req.user_data {
            check_user_data(data)?;
        }
        let name = instance_name_of(req)?;
        check_client_token_text(req.client_token.as_deref())?;
        self.check_quota(owner, region, count)?;
        self.check_zone_quota(owner, region, zone, &billing.charge_type, count)?;
        Ok(RunPlan {
            zone: zone.to_owned(),
            instance_type,
            cpu: spec.cpu,
            memory: spec.memory,
            gpu: spec.gpu,
            image,
            billing,
            count,
            names: instance_names(&name, count),
            public_ip,
            private_ips,
            windows,
        })
    }

    /// The required placement's zone, in `region`, with a project that may exist.
    fn check_placement<'r>(
        &self,
        region: &str,
        placement: Option<&'r Placement>,
    ) -> ApiResult<&'r str> {
        let placement = placement.ok_or_else(|| ApiFailure::missing("Placement.Zone"))?;
        let zone = placement
            .zone
            .as_deref()
            .ok_or_else(|| ApiFailure::missing("Placement.Zone"))?;
        if !self.zone_in_region(region, zone) {
            return Err(mismatch(zone, region));
        }
        if placement.project_id.is_some_and(|p| p < 0) {
            return Err(ApiFailure::new(
                "InvalidProjectId.NotFound",
                "The project ID is not found.",
            ));
        }
        Ok(zone)
    }

    /// The catalog entry of `instance_type`, which must be sold in `zone`.
    fn instance_type_spec(&self, instance_type: &str, zone: &str) -> ApiResult<&InstanceTypeSpec> {
        let spec = self
            .config
            .instance_types
            .iter()
            .find(|t| t.instance_type == instance_type)
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    format!("The instance type `{instance_type}` does not exist."),
                )
            })?;
        if !spec.zones.iter().any(|z| z == zone) {
            return Err(ApiFailure::new(
                "ResourceUnavailable.InstanceType",
                format!("The instance type `{instance_type}` is not sold in zone `{zone}`."),
            ));
        }
        Ok(spec)
    }

    /// The required image `image_id` (the catalogue's, or the caller's own or shared one in
    /// `region`), usable (`NORMAL`, x86) on `instance_type`.
    pub(super) fn check_image(
        &self,
        owner: &str,
        region: &str,
        image_id: Option<&str>,
        instance_type: &str,
    ) -> ApiResult<Image> {
        let image_id = image_id.ok_or_else(|| ApiFailure::missing("ImageId"))?;
        if !has_id_form(image_id, "img-") {
            return Err(ApiFailure::new(
                "InvalidImageId.Malformed",
                format!("The image ID `{image_id}` is malformed; it looks like `img-xxxxxxxx`."),
            ));
        }
        let image = self
            .config
            .images
            .iter()
            .find(|i| i.image_id.as_deref() == Some(image_id))
            .cloned()
            .or_else(|| self.usable_custom_image(owner, region, image_id))
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidImageId.NotFound",
                    format!("The image `{image_id}` is not found."),
                )
            })?;
        if image.image_state.as_deref().is_some_and(|s| s != "NORMAL") {
            return Err(ApiFailure::new(
                "InvalidImageId.IncorrectState",
                format!("The image `{image_id}` is not in state NORMAL."),
            ));
        }
        if image.architecture.as_deref().is_some_and(|a| a != "x86_64") {
            return Err(ApiFailure::new(
                "InvalidParameterValue.InvalidImageForGivenInstanceType",
                format!("The image `{image_id}` cannot run on instance type `{instance_type}`."),
            ));
        }
        Ok(image)
    }

    /// The caller may hold at most the region's instance quota, those being created included.
    fn check_quota(&self, owner: &str, region: &str, count: usize) -> ApiResult<()> {
        let held = self.owned(owner, region).count();
        let max = self.config.quotas.max_instances_per_region as usize;
        if held + count > max {
            return Err(ApiFailure::new(
                "InstancesQuotaLimitExceeded",
                format!("Creating {count} instances would exceed the quota of {max} instances in region `{region}` ({held} in use)."),
            ));
        }
        Ok(())
    }

    /// The caller may hold at most the zone's quota of instances billed `charge_type`, the
    /// `count` more being created (or moved to `charge_type`) included.
    pub(super) fn check_zone_quota(
        &self,
        owner: &str,
        region: &str,
        zone: &str,
        charge_type: &str,
        count: usize,
    ) -> ApiResult<()> {
        let Some(max) = self.config.quotas.per_zone(charge_type) else {
            return Ok(());
        };
        let held = self.held_in_zone(owner, region, zone, charge_type);
        if held + count > max as usize {
            let code = match charge_type {
                "PREPAID" => "LimitExceeded.PrepayQuota",
                "SPOTPAID" => "LimitExceeded.SpotQuota",
                _ => "LimitExceeded.InstanceQuota",
            };
            return Err(ApiFailure::new(
                code,
                format!("{count} more `{charge_type}` instances would exceed the quota of {max} in zone `{zone}` ({held} in use)."),
            ));
        }
        Ok(())
    }

    /// How many instances billed `charge_type` the caller holds in `zone` (terminating ones included).
    pub(super) fn held_in_zone(
        &self,
        owner: &str,
        region: &str,
        zone: &str,
        charge_type: &str,
    ) -> usize {
        self.owned(owner, region)
            .filter(|i| i.zone() == zone && charge_type_of(i) == charge_type)
            .count()
    }

    /// Every key pair `LoginSettings.KeyIds` names must be the caller's, in `region`.
    fn check_key_pairs_exist(
        &self,
        owner: &str,
        region: &str,
        key_ids: &[String],
    ) -> ApiResult<()> {
        let missing = key_ids.iter().find(|id| {
            !self.resources.key_pairs.iter().any(|k| {
                k.owner == owner && k.region == region && k.model.key_id.as_deref() == Some(id)
            })
        });
        match missing {
            Some(id) => Err(ApiFailure::new(
                "InvalidParameterValue.KeyPairNotFound",
                format!("The key pair `{id}` is not found."),
            )),
            None => Ok(()),
        }
    }
}

/// cvm-sim has no launch templates, so none is found.
fn check_launch_template(req: &RunInstancesRequest) -> ApiResult<()> {
    if req.launch_template.is_some() {
        return Err(ApiFailure::new(
            "InvalidParameterValue.LaunchTemplateNotFound",
            "The launch template is not found (cvm-sim has no launch templates).",
        ));
    }
    Ok(())
}

/// The well-formed instance type (`FAMILY.SIZE`), `S1.SMALL1` when omitted.
fn instance_type_of(req: &RunInstancesRequest) -> ApiResult<String> {
    let instance_type = req
        .instance_type
        .clone()
        .unwrap_or_else(|| "S1.SMALL1".to_owned());
    let well_formed = instance_type.split_once('.').is_some_and(|(f, s)| {
        !f.is_empty()
            && !s.is_empty()
            && instance_type
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
    });
    if !well_formed {
        return Err(ApiFailure::new(
            "InvalidInstanceType.Malformed",
            format!(
                "The instance type `{instance_type}` is malformed; it looks like `S5.MEDIUM4`."
            ),
        ));
    }
    Ok(instance_type)
}

/// The number of instances to create (1 to 500, 1 when omitted), with `MinCount` not above it.
fn check_count(req: &RunInstancesRequest) -> ApiResult<usize> {
    let count = req.instance_count.unwrap_or(1);
    range("InstanceCount", count, 1, MAX_LAUNCH_COUNT)?;
    if let Some(min) = req.min_count {
        range("MinCount", min, 1, count)?;
    }
    Ok(usize::try_from(count).unwrap_or(1))
}

/// A host name has 2 to 60 (Windows: 15) letters, digits and `-.{}:,`, not starting or ending
/// with `.` or `-`; a Windows one has no `.`.
pub(super) fn check_host_name(h: &str, windows: bool) -> ApiResult<()> {
    let max = if windows { 15 } else { 60 };
    let ok = (2..=max).contains(&h.chars().count())
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.{}:,".contains(c))
        && !h.starts_with(['.', '-'])
        && !h.ends_with(['.', '-'])
        && !(windows && h.contains('.'));
    if !ok {
        return Err(ApiFailure::new(
            "InvalidParameterValue.IllegalHostName",
            format!("The host name `{h}` is invalid."),
        ));
    }
    Ok(())
}

/// User data is base64 text of at most 16 KB.
pub(super) fn check_user_data(data: &str) -> ApiResult<()> {
    if !is_base64(data) {
        return Err(ApiFailure::new(
            "InvalidParameterValue.InvalidUserDataFormat",
            "`UserData` must be base64 text.",
        ));
    }
    if data.len() > 16 * 1024 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.TooLarge",
            "`UserData` may be at most 16 KB.",
        ));
    }
    Ok(())
}

/// Whether `text` is padded base64 of the standard alphabet.
pub(super) fn is_base64(text: &str) -> bool {
    let b = text.as_bytes();
    if b.is_empty() || b.len() % 4 != 0 {
        return false;
    }
    let pad = b.iter().rev().take_while(|&&c| c == b'=').count();
    pad <= 2
        && b[..b.len() - pad]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
}

/// The instance name of at most 128 characters, `未命名` ("unnamed") when omitted.
fn instance_name_of(req: &RunInstancesRequest) -> ApiResult<String> {
    let name = req
        .instance_name
        .clone()
        .unwrap_or_else(|| "未命名".to_owned());
    if name.chars().count() > 128 {
        return Err(ApiFailure::new(
            "InvalidInstanceName.TooLong",
            "`InstanceName` may have at most 128 characters.",
        ));
    }
    Ok(name)
}

/// A client token is ASCII text.
fn check_client_token_text(token: Option<&str>) -> ApiResult<()> {
    if let Some(t) = token {
        if !t.is_ascii() {
            return Err(ApiFailure::invalid_value("`ClientToken` must be ASCII."));
        }
    }
    Ok(())
}

/// The instance names for `count` instances: `{R:x}` counts up from x, else several get `-1`, `-2`, ... suffixes.
fn instance_names(base: &str, count: usize) -> Vec<String> {
    if let Some(start) = base.find("{R:") {
        if let Some(len) = base[start..].find('}') {
            let inner = &base[start + 3..start + len];
            if let Ok(first) = inner.parse::<u64>() {
                return (0..count as u64)
                    .map(|i| {
                        format!(
                            "{}{}{}",
                            &base[..start],
                            first + i,
                            &base[start + len + 1..]
                        )
                    })
                    .collect();
            }
        }
    }
    if count == 1 {
        vec![base.to_owned()]
    } else {
        (1..=count).map(|i| format!("{base}-{i}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::instances::state_error;
    use super::*;
    use cvm_proto::models::InstanceState;

    #[test]
    fn names_and_states() {
        assert_eq!(instance_names("web", 1), ["web"]);
        assert_eq!(instance_names("web", 2), ["web-1", "web-2"]);
        assert_eq!(instance_names("web{R:7}x", 2), ["web7x", "web8x"]);
        assert_eq!(
            state_error("ins-1", &InstanceState::LaunchFailed).code,
            "UnsupportedOperation.InstanceStateLaunchFailed"
        );
        assert_eq!(
            state_error("ins-1", &InstanceState::Stopped).code,
            "UnsupportedOperation.InstanceStateStopped"
        );
    }
}
