//! Launch templates and their versions: `CreateLaunchTemplate`, `DescribeLaunchTemplates`,
//! `CreateLaunchTemplateVersion`, `DescribeLaunchTemplateVersions`,
//! `ModifyLaunchTemplateDefaultVersion`, `DeleteLaunchTemplateVersions` and
//! `DeleteLaunchTemplate`.
//!
//! A version keeps the request's launch settings as `LaunchTemplateVersionData` (passwords
//! dropped), with the service's defaults filled in; a new version starts from the version it
//! names (or the default one) and overrides what the request gives. The default version cannot
//! be deleted (`InvalidParameterValue.LaunchTemplateDefaultVersion`).

use cvm_proto::api::cvm::{
    CreateLaunchTemplateRequest, CreateLaunchTemplateResponse, CreateLaunchTemplateVersionRequest,
    CreateLaunchTemplateVersionResponse, DeleteLaunchTemplateRequest, DeleteLaunchTemplateResponse,
    DeleteLaunchTemplateVersionsRequest, DeleteLaunchTemplateVersionsResponse,
    DescribeLaunchTemplateVersionsRequest, DescribeLaunchTemplateVersionsResponse,
    DescribeLaunchTemplatesRequest, DescribeLaunchTemplatesResponse, EnhancedService,
    InternetAccessible, LaunchTemplateInfo, LaunchTemplateVersionData, LaunchTemplateVersionInfo,
    Placement, RunAutomationServiceEnabled, RunMonitorServiceEnabled, RunSecurityServiceEnabled,
    SystemDisk, VirtualPrivateCloud,
};
use serde::Serialize;
use serde_json::Value;

use super::owned::{check_generated_filters, check_ids, internal};
use super::{has_id_form, invalid_filter, mismatch, object, page, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::resources::{SimTemplate, TemplateVersion};
use crate::sim::Sim;

/// Versions one launch template may hold.
const MAX_VERSIONS: usize = 30;

/// Request members that are not launch settings.
const NOT_DATA: [&str; 6] = [
    "LaunchTemplateName",
    "LaunchTemplateId",
    "LaunchTemplateVersion",
    "LaunchTemplateVersionDescription",
    "LaunchTemplateTagSpecification",
    "DryRun",
];

impl Sim {
    /// `CreateLaunchTemplate`: a template whose version 1 holds the request's launch settings.
    pub(super) fn create_launch_template(
        &mut self,
        call: &Call<'_>,
        req: CreateLaunchTemplateRequest,
    ) -> ApiResult<Reply> {
        let name = req.launch_template_name.clone();
        let n = name.chars().count();
        if !(2..=128).contains(&n) {
            return Err(ApiFailure::new(
                "InvalidParameterValue.InvalidLaunchTemplateName",
                "A launch template name has 2 to 128 characters.",
            ));
        }
        if self.templates_of(call).any(|t| t.name == name) {
            return Err(ApiFailure::new(
                "InvalidParameterValue.InvalidLaunchTemplateName",
                format!("A launch template named `{name}` already exists."),
            ));
        }
        let max = self.config.quotas.max_launch_templates_per_region as usize;
        if self.templates_of(call).count() >= max {
            return Err(ApiFailure::new(
                "LimitExceeded.LaunchTemplateQuota",
                format!("At most {max} launch templates may be held in one region."),
            ));
        }
        let data = self.version_data(call, &req, None, Some(&req.image_id), &req.placement)?;
        let description = check_description(req.launch_template_version_description.as_deref())?;
        if req.dry_run == Some(true) {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let id = self.new_id("lt-");
        let created = self.iso_now(call);
        self.resources.templates.push(SimTemplate {
            owner: call.owner.to_owned(),
            region: call.region.clone(),
            id: id.clone(),
            name,
            created: created.clone(),
            default_version: 1,
            latest_version: 1,
            versions: vec![TemplateVersion {
                number: 1,
                description,
                created,
                data,
            }],
        });
        object(&CreateLaunchTemplateResponse {
            launch_template_id: Some(id),
        })
    }

    /// `CreateLaunchTemplateVersion`: a new version, from a named (or the default) version overridden by the request.
    pub(super) fn create_launch_template_version(
        &mut self,
        call: &Call<'_>,
        req: CreateLaunchTemplateVersionRequest,
    ) -> ApiResult<Reply> {
        let index = self.template_index(call, &req.launch_template_id)?;
        let template = self.resources.templates.get(index).ok_or_else(internal)?;
        let base_number = match req.launch_template_version {
            Some(v) => u64::try_from(v).map_err(|_| bad_version(v))?,
            None => template.default_version,
        };
        let base = template
            .versions
            .iter()
            .find(|v| v.number == base_number)
            .ok_or_else(|| not_found_version(&req.launch_template_id, base_number))?
            .data
            .clone();
        if template.versions.len() >= MAX_VERSIONS {
            return Err(ApiFailure::new(
                "LimitExceeded.LaunchTemplateVersionQuota",
                format!("A launch template holds at most {MAX_VERSIONS} versions."),
            ));
        }
        let data = self.version_data(
            call,
            &req,
            Some(&base),
            req.image_id.as_deref(),
            &req.placement,
        )?;
        let description = check_description(req.launch_template_version_description.as_deref())?;
        if req.dry_run == Some(true) {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let created = self.iso_now(call);
        let template = self
            .resources
            .templates
            .get_mut(index)
            .ok_or_else(internal)?;
        template.latest_version += 1;
        let number = template.latest_version;
        template.versions.push(TemplateVersion {
            number,
            description,
            created,
            data,
        });
        object(&CreateLaunchTemplateVersionResponse {
            launch_template_version_number: Some(i64::try_from(number).unwrap_or(i64::MAX)),
        })
    }

    /// `DescribeLaunchTemplates`: the caller's templates, by id or name filter, one page of them.
    pub(super) fn describe_launch_templates(
        &self,
        call: &Call<'_>,
        req: DescribeLaunchTemplatesRequest,
    ) -> ApiResult<Reply> {
        check_ids(
            &req.launch_template_ids,
            "lt-",
            "InvalidParameterValue.LaunchTemplateIdMalformed",
        )?;
        check_generated_filters(&req.filters, 5)?;
        let (offset, limit) = page(req.offset, req.limit)?;
        let mut matching = Vec::new();
        for t in self.templates_of(call) {
            if !req.launch_template_ids.is_empty() && !req.launch_template_ids.contains(&t.id) {
                continue;
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= match f.name.as_str() {
                    "LaunchTemplateName" | "launch-template-name" => {
                        f.values.iter().any(|v| v == &t.name)
                    }
                    other => return Err(invalid_filter(other)),
                };
            }
            if keep {
                matching.push(LaunchTemplateInfo {
                    latest_version_number: Some(t.latest_version),
                    launch_template_id: Some(t.id.clone()),
                    launch_template_name: Some(t.name.clone()),
                    default_version_number: Some(t.default_version),
                    launch_template_version_count: Some(t.versions.len() as u64),
                    created_by: Some(t.owner.clone()),
                    creation_time: Some(t.created.clone()),
                });
            }
        }
        let total = matching.len();
        object(&DescribeLaunchTemplatesResponse {
            total_count: Some(total as i64),
            launch_template_set: matching.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// `DescribeLaunchTemplateVersions`: a template's versions, by number, range or default, one page of them.
    pub(super) fn describe_launch_template_versions(
        &self,
        call: &Call<'_>,
        req: DescribeLaunchTemplateVersionsRequest,
    ) -> ApiResult<Reply> {
        let index = self.template_index(call, &req.launch_template_id)?;
        let t = self.resources.templates.get(index).ok_or_else(internal)?;
        let (offset, limit) = page(
            req.offset.map(|o| i64::try_from(o).unwrap_or(i64::MAX)),
            req.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        )?;
        for n in &req.launch_template_versions {
            if !t.versions.iter().any(|v| v.number == *n) {
                return Err(not_found_version(&t.id, *n));
            }
        }
        let set: Vec<LaunchTemplateVersionInfo> = t
            .versions
            .iter()
            .filter(|v| {
                (req.launch_template_versions.is_empty()
                    || req.launch_template_versions.contains(&v.number))
                    && req.min_version.is_none_or(|m| v.number >= m)
                    && req.max_version.is_none_or(|m| v.number <= m)
                    && (req.default_version != Some(true) || v.number == t.default_version)
            })
            .map(|v| LaunchTemplateVersionInfo {
                launch_template_version: Some(v.number),
                launch_template_version_data: Some(v.data.clone()),
                creation_time: Some(v.created.clone()),
                launch_template_id: Some(t.id.clone()),
                is_default_version: Some(v.number == t.default_version),
                launch_template_version_description: Some(v.description.clone()),
                created_by: Some(t.owner.clone()),
            })
            .collect();
        let total = set.len();
        object(&DescribeLaunchTemplateVersionsResponse {
            total_count: Some(total as u64),
            launch_template_version_set: set.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// `ModifyLaunchTemplateDefaultVersion`: another existing version becomes the default.
    pub(super) fn modify_launch_template_default_version(
        &mut self,
        call: &Call<'_>,
        req: ModifyLaunchTemplateDefaultVersionRequest,
    ) -> ApiResult<Reply> {
        let index = self.template_index(call, &req.launch_template_id)?;
        let number =
            u64::try_from(req.default_version).map_err(|_| bad_version(req.default_version))?;
        let t = self
            .resources
            .templates
            .get_mut(index)
            .ok_or_else(internal)?;
        if !t.versions.iter().any(|v| v.number == number) {
            return Err(not_found_version(&req.launch_template_id, number));
        }
        if t.default_version == number {
            return Err(ApiFailure::new(
                "InvalidParameterValue.LaunchTemplateIdVerSetAlready",
                format!("Version {number} is already the default version."),
            ));
        }
        t.default_version = number;
        object(&ModifyLaunchTemplateDefaultVersionResponse {})
    }

    /// `DeleteLaunchTemplateVersions`: deletes versions other than the default one.
    pub(super) fn delete_launch_template_versions(
        &mut self,
        call: &Call<'_>,
        req: DeleteLaunchTemplateVersionsRequest,
    ) -> ApiResult<Reply> {
        let index = self.template_index(call, &req.launch_template_id)?;
        if req.launch_template_versions.is_empty() {
            return Err(ApiFailure::missing("LaunchTemplateVersions"));
        }
        let t = self
            .resources
            .templates
            .get_mut(index)
            .ok_or_else(internal)?;
        let mut numbers = Vec::new();
        for &v in &req.launch_template_versions {
            let n = u64::try_from(v).map_err(|_| bad_version(v))?;
            if !t.versions.iter().any(|x| x.number == n) {
                return Err(not_found_version(&req.launch_template_id, n));
            }
            if n == t.default_version {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.LaunchTemplateDefaultVersion",
                    format!("Version {n} is the default version, which cannot be deleted."),
                ));
            }
            numbers.push(n);
        }
        t.versions.retain(|v| !numbers.contains(&v.number));
        object(&DeleteLaunchTemplateVersionsResponse {})
    }

    /// `DeleteLaunchTemplate`: deletes a template and all its versions.
    pub(super) fn delete_launch_template(
        &mut self,
        call: &Call<'_>,
        req: DeleteLaunchTemplateRequest,
    ) -> ApiResult<Reply> {
        let index = self.template_index(call, &req.launch_template_id)?;
        self.resources.templates.remove(index);
        object(&DeleteLaunchTemplateResponse {})
    }

    /// The launch settings of a version: `base` (if any) overridden by the request's members,
    /// checked, passwords dropped and the service's defaults filled in.
    fn version_data<R: Serialize>(
        &self,
        call: &Call<'_>,
        req: &R,
        base: Option<&LaunchTemplateVersionData>,
        image_id: Option<&str>,
        placement: &Placement,
    ) -> ApiResult<LaunchTemplateVersionData> {
        if let Some(zone) = placement.zone.as_deref() {
            if !self.zone_in_region(&call.region, zone) {
                return Err(mismatch(zone, &call.region));
            }
        }
        if let Some(id) = image_id {
            if !has_id_form(id, "img-") {
                return Err(ApiFailure::new(
                    "InvalidImageId.Malformed",
                    format!("The image ID `{id}` is malformed; it looks like `img-xxxxxxxx`."),
                ));
            }
            let known = self
                .config
                .images
                .iter()
                .any(|i| i.image_id.as_deref() == Some(id))
                || self
                    .usable_custom_image(call.owner, &call.region, id)
                    .is_some();
            if !known {
                return Err(ApiFailure::new(
                    "InvalidImageId.NotFound",
                    format!("The image `{id}` is not found."),
                ));
            }
        }
        let mut merged = match base {
            Some(b) => serde_json::to_value(b).map_err(|_| internal())?,
            None => Value::Object(serde_json::Map::new()),
        };
        let given = serde_json::to_value(req).map_err(|_| internal())?;
        if let (Value::Object(m), Value::Object(g)) = (&mut merged, given) {
            for (k, v) in g {
                if !NOT_DATA.contains(&k.as_str()) && !v.is_null() {
                    m.insert(k, v);
                }
            }
        }
        let mut data: LaunchTemplateVersionData =
            serde_json::from_value(merged).map_err(|_| internal())?;
        fill_defaults(&mut data);
        Ok(data)
    }

    fn templates_of<'a>(&'a self, call: &'a Call<'_>) -> impl Iterator<Item = &'a SimTemplate> {
        self.resources
            .templates
            .iter()
            .filter(move |t| t.owner == call.owner && t.region == call.region)
    }

    /// The position of the caller's template `id`, or `InvalidParameterValue.LaunchTemplate*`.
    pub(super) fn template_index(&self, call: &Call<'_>, id: &str) -> ApiResult<usize> {
        check_ids(
            &[id.to_owned()],
            "lt-",
            "InvalidParameterValue.LaunchTemplateIdMalformed",
        )?;
        self.resources
            .templates
            .iter()
            .position(|t| t.owner == call.owner && t.region == call.region && t.id == id)
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidParameterValue.LaunchTemplateIdNotExisted",
                    format!("The launch template `{id}` does not exist."),
                )
            })
    }
}

use cvm_proto::api::cvm::{
    ModifyLaunchTemplateDefaultVersionRequest, ModifyLaunchTemplateDefaultVersionResponse,
};

/// A version description: at most 255 characters.
fn check_description(d: Option<&str>) -> ApiResult<String> {
    let d = d.unwrap_or_default();
    if d.chars().count() > 255 {
        return Err(ApiFailure::new(
            "InvalidParameterValue.InvalidLaunchTemplateVersionDescription",
            "A version description has at most 255 characters.",
        ));
    }
    Ok(d.to_owned())
}

fn bad_version(v: i64) -> ApiFailure {
    ApiFailure::new(
        "InvalidParameterValue.LaunchTemplateVersion",
        format!("The version number `{v}` is invalid."),
    )
}

fn not_found_version(id: &str, n: u64) -> ApiFailure {
    ApiFailure::new(
        "InvalidParameterValue.LaunchTemplateIdVerNotExisted",
        format!("The launch template `{id}` has no version {n}."),
    )
}

/// The service's defaults for what a version leaves out, as `RunInstances` would apply them.
fn fill_defaults(d: &mut LaunchTemplateVersionData) {
    let p = d.placement.get_or_insert_with(Placement::default);
    p.zone.get_or_insert_with(String::new);
    p.project_id.get_or_insert(0);
    d.instance_type
        .get_or_insert_with(|| "S1.SMALL1".to_owned());
    d.instance_name.get_or_insert_with(|| "未命名".to_owned());
    d.instance_charge_type
        .get_or_insert_with(|| "POSTPAID_BY_HOUR".to_owned());
    let s = d.system_disk.get_or_insert_with(SystemDisk::default);
    s.disk_type
        .get_or_insert_with(|| "CLOUD_PREMIUM".to_owned());
    s.disk_size.get_or_insert(50);
    s.encrypt.get_or_insert(false);
    s.kms_key_id.get_or_insert_with(String::new);
    let i = d
        .internet_accessible
        .get_or_insert_with(InternetAccessible::default);
    i.internet_charge_type
        .get_or_insert_with(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned());
    i.internet_max_bandwidth_out.get_or_insert(0);
    let v = d
        .virtual_private_cloud
        .get_or_insert_with(VirtualPrivateCloud::default);
    v.vpc_id.get_or_insert_with(String::new);
    v.subnet_id.get_or_insert_with(String::new);
    v.as_vpc_gateway.get_or_insert(false);
    d.image_id.get_or_insert_with(String::new);
    d.instance_count.get_or_insert(1);
    let e = d
        .enhanced_service
        .get_or_insert_with(EnhancedService::default);
    e.security_service
        .get_or_insert_with(RunSecurityServiceEnabled::default)
        .enabled
        .get_or_insert(true);
    e.monitor_service
        .get_or_insert_with(RunMonitorServiceEnabled::default)
        .enabled
        .get_or_insert(true);
    e.automation_service
        .get_or_insert_with(RunAutomationServiceEnabled::default)
        .enabled
        .get_or_insert(false);
    d.disable_api_termination.get_or_insert(false);
    if let Some(l) = d.login_settings.as_mut() {
        l.password = None;
    }
}
