//! The emulated actions: validation, business rules, and their replies.

use std::collections::HashSet;
use std::net::Ipv4Addr;
use std::time::Duration;

use cvm_proto::flatten::{from_params, UnflattenError};
use cvm_proto::models::*;
use cvm_proto::Params;
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::RegionConfig;
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Cx, Gateway, Sim, SimInstance};
use crate::time;

const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const MAX_IDS: usize = 100;
const MAX_FILTERS: usize = 10;
const PASSWORD_SPECIALS: &str = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";
/// Documentation address blocks (RFC 5737), so that no emulated public address belongs to anyone.
const PUBLIC_POOLS: [[u8; 3]; 3] = [[203, 0, 113], [198, 51, 100], [192, 0, 2]];
const SYSTEM_DISK_TYPES: [&str; 8] = [
    "LOCAL_BASIC",
    "LOCAL_SSD",
    "CLOUD_BASIC",
    "CLOUD_SSD",
    "CLOUD_PREMIUM",
    "CLOUD_BSSD",
    "CLOUD_HSSD",
    "CLOUD_TSSD",
];
const INTERNET_CHARGE_TYPES: [&str; 4] = [
    "BANDWIDTH_PREPAID",
    "TRAFFIC_POSTPAID_BY_HOUR",
    "BANDWIDTH_POSTPAID_BY_HOUR",
    "BANDWIDTH_PACKAGE",
];
const RENEW_FLAGS: [&str; 3] = [
    "NOTIFY_AND_AUTO_RENEW",
    "NOTIFY_AND_MANUAL_RENEW",
    "DISABLE_NOTIFY_AND_MANUAL_RENEW",
];
const STOP_TYPES: [&str; 3] = ["SOFT", "HARD", "SOFT_FIRST"];

fn parse<T: DeserializeOwned>(params: &Params) -> ApiResult<T> {
    from_params(params).map_err(|e| match &e {
        UnflattenError::UnknownField { key, .. } => ApiFailure::new(
            "UnknownParameter",
            format!("The parameter `{key}` is not recognized."),
        ),
        UnflattenError::MissingField { key, .. } => ApiFailure::missing(&key.to_string()),
        UnflattenError::InvalidValue { key, expected, .. } => ApiFailure::invalid_parameter(
            format!("Parameter `{key}` type error: expected {expected}."),
        ),
        _ => ApiFailure::invalid_parameter(e.to_string()),
    })
}

fn object<T: Serialize>(reply: &T) -> ApiResult<Map<String, Value>> {
    match serde_json::to_value(reply) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiFailure::new(
            "InternalError",
            "The reply could not be built.",
        )),
    }
}

fn has_id_form(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix).is_some_and(|rest| {
        rest.len() == 8
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// Checks the form and number of instance ids and drops repeats, keeping the first of each.
fn instance_ids(ids: &[String]) -> ApiResult<Vec<String>> {
    if ids.len() > MAX_IDS {
        return Err(ApiFailure::new(
            "InvalidParameterValue.LimitExceeded",
            format!(
                "At most {MAX_IDS} values of `InstanceIds` may be given; got {}.",
                ids.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if !has_id_form(id, "ins-") {
            return Err(ApiFailure::new(
                "InvalidInstanceId.Malformed",
                format!("The instance ID `{id}` is malformed; it looks like `ins-xxxxxxxx`."),
            ));
        }
        if seen.insert(id.as_str()) {
            out.push(id.clone());
        }
    }
    Ok(out)
}

fn page(offset: Option<i64>, limit: Option<i64>) -> ApiResult<(usize, usize)> {
    let offset = offset.unwrap_or(0);
    let limit = limit.unwrap_or(20);
    if offset < 0 {
        return Err(ApiFailure::invalid_value(format!(
            "The value `{offset}` of `Offset` is invalid; it must not be negative."
        )));
    }
    if !(0..=100).contains(&limit) {
        return Err(ApiFailure::invalid_value(format!(
            "The value `{limit}` of `Limit` is invalid; it must be between 0 and 100."
        )));
    }
    Ok((
        usize::try_from(offset).unwrap_or(usize::MAX),
        usize::try_from(limit).unwrap_or(100),
    ))
}

fn check_filters(filters: &[Filter], max_values: usize) -> ApiResult<()> {
    if filters.len() > MAX_FILTERS {
        return Err(ApiFailure::new(
            "InvalidParameterValue.LimitExceeded",
            format!(
                "At most {MAX_FILTERS} `Filters` may be given; got {}.",
                filters.len()
            ),
        ));
    }
    if let Some(f) = filters.iter().find(|f| f.values.len() > max_values) {
        return Err(ApiFailure::new(
            "InvalidFilterValue.LimitExceeded",
            format!(
                "The filter `{}` has {} values; at most {max_values} are allowed.",
                f.name,
                f.values.len()
            ),
        ));
    }
    Ok(())
}

fn invalid_filter(name: &str) -> ApiFailure {
    ApiFailure::new(
        "InvalidFilter",
        format!("The filter `{name}` is not supported."),
    )
}

fn mismatch(zone: &str, region: &str) -> ApiFailure {
    ApiFailure::new(
        "InvalidZone.MismatchRegion",
        format!("The zone `{zone}` does not exist in region `{region}`."),
    )
}

fn state_error(id: &str, state: &InstanceState) -> ApiFailure {
    let camel: String = state
        .as_str()
        .split('_')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => first
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    ApiFailure::new(
        format!("UnsupportedOperation.InstanceState{camel}"),
        format!("The instance `{id}` is in state `{state}`, which does not allow this operation."),
    )
}

fn range(what: &str, value: i64, lo: i64, hi: i64) -> ApiResult<()> {
    if (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(ApiFailure::new(
            "InvalidParameterValue.Range",
            format!("The value `{value}` of `{what}` is out of range; it must be between {lo} and {hi}."),
        ))
    }
}

fn one_of(what: &str, value: &str, allowed: &[&str]) -> ApiResult<()> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiFailure::invalid_value(format!(
            "The value `{value}` of `{what}` is invalid; allowed values are {}.",
            allowed.join(", ")
        )))
    }
}

/// Linux: 8-30 characters from at least 2 of 4 classes (lower, upper, digit, special); Windows: 12-30 from at least 3.
fn check_password(password: &str, windows: bool) -> ApiResult<()> {
    let (min, classes_needed) = if windows { (12, 3) } else { (8, 2) };
    let len = password.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(c);
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    let os = if windows { "Windows" } else { "Linux" };
    if len < min
        || len > 30
        || password.starts_with('/')
        || !password.chars().all(allowed)
        || classes < classes_needed
    {
        return Err(ApiFailure::new(
            "InvalidPassword",
            format!("The password does not meet the complexity requirements: a {os} password has {min} to 30 characters from at least {classes_needed} of lower-case letters, upper-case letters, digits and the symbols {PASSWORD_SPECIALS}, and does not start with '/'."),
        ));
    }
    Ok(())
}

fn is_base64(text: &str) -> bool {
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

fn charge_type_of(inst: &SimInstance) -> &str {
    inst.model
        .instance_charge_type
        .as_deref()
        .unwrap_or("POSTPAID_BY_HOUR")
}

/// Whether an instance satisfies one `DescribeInstances` filter.
fn instance_matches(inst: &SimInstance, filter: &Filter) -> ApiResult<bool> {
    let m = &inst.model;
    let any = |candidates: &[Option<&str>]| {
        filter
            .values
            .iter()
            .any(|v| candidates.contains(&Some(v.as_str())))
    };
    let list = |items: &[String]| filter.values.iter().any(|v| items.contains(v));
    let placement = m.placement.as_ref();
    let vpc = m.virtual_private_cloud.as_ref();
    let name = filter.name.as_str();
    Ok(match name {
        "zone" => any(&[placement.and_then(|p| p.zone.as_deref())]),
        "project-id" => {
            let project = placement
                .and_then(|p| p.project_id)
                .unwrap_or(0)
                .to_string();
            any(&[Some(project.as_str())])
        }
        "host-id" => any(&[placement.and_then(|p| p.host_id.as_deref())]),
        "dedicated-cluster-id" => any(&[m.dedicated_cluster_id.as_deref()]),
        "vpc-id" => any(&[vpc.and_then(|v| v.vpc_id.as_deref())]),
        "subnet-id" => any(&[vpc.and_then(|v| v.subnet_id.as_deref())]),
        "instance-id" => any(&[m.instance_id.as_deref()]),
        "uuid" => any(&[m.uuid.as_deref()]),
        "security-group-id" => list(&m.security_group_ids),
        "instance-name" => any(&[m.instance_name.as_deref()]),
        "instance-charge-type" => any(&[m.instance_charge_type.as_deref()]),
        "instance-state" => any(&[m.instance_state.as_ref().map(InstanceState::as_str)]),
        "private-ip-address" => list(&m.private_ip_addresses),
        "public-ip-address" => list(&m.public_ip_addresses),
        "ipv6-address" => list(&m.ipv6_addresses),
        "tag-key" => m.tags.iter().any(|t| any(&[t.key.as_deref()])),
        "tag-value" => m.tags.iter().any(|t| any(&[t.value.as_deref()])),
        "creation-start-time" | "creation-end-time" => {
            let created = m
                .created_time
                .as_deref()
                .and_then(time::parse_utc)
                .unwrap_or(0);
            let mut ok = false;
            for v in &filter.values {
                let bound = time::parse_utc(v).ok_or_else(|| {
                    ApiFailure::new(
                        "InvalidParameterValue.InvalidTimeFormat",
                        format!("The time `{v}` of filter `{name}` is not in the form `YYYY-MM-DD hh:mm:ss`."),
                    )
                })?;
                ok |= if name == "creation-start-time" {
                    created >= bound
                } else {
                    created <= bound
                };
            }
            ok
        }
        _ => match name.strip_prefix("tag:") {
            Some(key) => m
                .tags
                .iter()
                .any(|t| t.key.as_deref() == Some(key) && any(&[t.value.as_deref()])),
            None => return Err(invalid_filter(name)),
        },
    })
}

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

/// Adds `months` calendar months to a Unix time, keeping the day where the month allows.
fn add_months(secs: i64, months: i64) -> i64 {
    let text = time::format_utc(secs);
    let (y, m): (i64, i64) = (
        text[0..4].parse().unwrap_or(1970),
        text[5..7].parse().unwrap_or(1),
    );
    let d: i64 = text[8..10].parse().unwrap_or(1);
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let rest = &text[10..];
    (0..4)
        .find_map(|back| time::parse_utc(&format!("{ny:04}-{nm:02}-{:02}{rest}", d - back)))
        .unwrap_or(secs)
}

/// Everything `RunInstances` decided before creating anything.
struct RunPlan {
    zone: String,
    instance_type: String,
    cpu: i64,
    memory: i64,
    gpu: i64,
    image: Image,
    charge_type: String,
    period: Option<i64>,
    renew_flag: Option<String>,
    count: usize,
    names: Vec<String>,
    public_ip: bool,
    private_ips: Vec<String>,
    windows: bool,
}

impl Sim {
    fn region_config(&self, region: &str) -> Option<&RegionConfig> {
        self.config.regions.iter().find(|r| r.region == region)
    }

    fn resolve_region(&self, value: Option<&str>, gateway: Gateway) -> ApiResult<String> {
        let Some(value) = value else {
            return Err(ApiFailure::missing("Region"));
        };
        let found = self.config.regions.iter().find(|r| {
            r.region == value
                || (gateway == Gateway::Legacy && r.aliases.iter().any(|a| a == value))
        });
        match found {
            Some(r) => Ok(r.region.clone()),
            None => Err(ApiFailure::new(
                "UnsupportedRegion",
                format!("The region `{value}` is not supported by this API."),
            )),
        }
    }

    fn zone_in_region(&self, region: &str, zone: &str) -> bool {
        self.region_config(region)
            .is_some_and(|r| r.zones.iter().any(|z| z.zone == zone))
    }

    /// Runs an authenticated action and returns the content of its `Response`.
    pub(crate) fn dispatch(
        &mut self,
        action: &str,
        owner: &str,
        params: &Params,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        let p = Self::action_params(params);
        if action == "DescribeRegions" {
            let _: DescribeRegionsRequest = parse(&p)?;
            return self.describe_regions(cx);
        }
        let region = self.resolve_region(params.get("Region"), cx.gateway)?;
        match action {
            "DescribeZones" => {
                let _: DescribeZonesRequest = parse(&p)?;
                self.describe_zones(&region, cx)
            }
            "DescribeInstanceTypeConfigs" => {
                self.describe_instance_type_configs(&region, parse(&p)?)
            }
            "DescribeImages" => self.describe_images(parse(&p)?),
            "DescribeInstances" => self.describe_instances(owner, &region, parse(&p)?),
            "DescribeInstancesStatus" => self.describe_instances_status(owner, &region, parse(&p)?),
            "RunInstances" => self.run_instances(owner, &region, parse(&p)?, cx, now),
            "StartInstances" => self.start_instances(owner, &region, parse(&p)?, cx, now),
            "StopInstances" => self.stop_instances(owner, &region, parse(&p)?, cx, now),
            "RebootInstances" => self.reboot_instances(owner, &region, parse(&p)?, cx, now),
            "TerminateInstances" => self.terminate_instances(owner, &region, parse(&p)?, cx, now),
            other => Err(ApiFailure::new(
                "InvalidAction",
                format!("The requested action `{other}` does not exist."),
            )),
        }
    }

    fn describe_regions(&self, cx: &Cx) -> ApiResult<Map<String, Value>> {
        let set: Vec<RegionInfo> = self
            .config
            .regions
            .iter()
            .map(|r| RegionInfo {
                region: Some(r.region.clone()),
                region_name: Some(if cx.english { &r.name_en } else { &r.name }.clone()),
                region_state: Some(r.state.clone()),
            })
            .collect();
        object(&DescribeRegionsResponse {
            total_count: Some(set.len() as u64),
            region_set: set,
        })
    }

    fn describe_zones(&self, region: &str, cx: &Cx) -> ApiResult<Map<String, Value>> {
        let set: Vec<ZoneInfo> = self
            .region_config(region)
            .map(|r| r.zones.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|z| ZoneInfo {
                zone: Some(z.zone.clone()),
                zone_name: Some(if cx.english { &z.name_en } else { &z.name }.clone()),
                zone_id: Some(z.zone_id.clone()),
                zone_state: Some(z.state.clone()),
            })
            .collect();
        object(&DescribeZonesResponse {
            total_count: Some(set.len() as u64),
            zone_set: set,
        })
    }

    fn describe_instance_type_configs(
        &self,
        region: &str,
        req: DescribeInstanceTypeConfigsRequest,
    ) -> ApiResult<Map<String, Value>> {
        check_filters(&req.filters, 1)?;
        for f in &req.filters {
            match f.name.as_str() {
                "zone" => {
                    if let Some(z) = f.values.iter().find(|z| !self.zone_in_region(region, z)) {
                        return Err(mismatch(z, region));
                    }
                }
                "instance-family" | "instance-type" => {}
                other => return Err(invalid_filter(other)),
            }
        }
        let zones = self
            .region_config(region)
            .map(|r| r.zones.as_slice())
            .unwrap_or_default();
        let mut set = Vec::new();
        for z in zones {
            for t in self
                .config
                .instance_types
                .iter()
                .filter(|t| t.zones.contains(&z.zone))
            {
                let keep = req.filters.iter().all(|f| {
                    let field = match f.name.as_str() {
                        "zone" => &z.zone,
                        "instance-family" => &t.family,
                        _ => &t.instance_type,
                    };
                    f.values.contains(field)
                });
                if keep {
                    set.push(InstanceTypeConfig {
                        zone: Some(z.zone.clone()),
                        instance_type: Some(t.instance_type.clone()),
                        instance_family: Some(t.family.clone()),
                        gpu: Some(t.gpu),
                        cpu: Some(t.cpu),
                        memory: Some(t.memory),
                        fpga: Some(0),
                        gpu_count: Some(t.gpu as f64),
                        gpu_type: None,
                        gpu_memory: None,
                    });
                }
            }
        }
        object(&DescribeInstanceTypeConfigsResponse {
            instance_type_config_set: set,
        })
    }

    fn describe_images(&self, req: DescribeImagesRequest) -> ApiResult<Map<String, Value>> {
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
        check_filters(&req.filters, 5)?;
        let (offset, limit) = page(
            req.offset.map(|o| i64::try_from(o).unwrap_or(i64::MAX)),
            req.limit.map(|l| i64::try_from(l).unwrap_or(i64::MAX)),
        )?;
        let x86_only = match &req.instance_type {
            None => false,
            Some(t)
                if self
                    .config
                    .instance_types
                    .iter()
                    .any(|s| &s.instance_type == t) =>
            {
                true
            }
            Some(t) => {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.InstanceTypeNotFound",
                    format!("The instance type `{t}` does not exist."),
                ))
            }
        };
        let mut matching = Vec::new();
        for image in &self.config.images {
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

    fn owned<'a>(
        &'a self,
        owner: &'a str,
        region: &'a str,
    ) -> impl Iterator<Item = &'a SimInstance> + 'a {
        self.instances
            .values()
            .filter(move |i| i.owner == owner && i.region == region)
    }

    fn describe_instances(
        &self,
        owner: &str,
        region: &str,
        req: DescribeInstancesRequest,
    ) -> ApiResult<Map<String, Value>> {
        if !req.instance_ids.is_empty() && !req.filters.is_empty() {
            return Err(ApiFailure::combination(
                "`InstanceIds` and `Filters` cannot be specified at the same time.",
            ));
        }
        let ids = instance_ids(&req.instance_ids)?;
        check_filters(&req.filters, 5)?;
        for f in req.filters.iter().filter(|f| f.name == "zone") {
            if let Some(z) = f.values.iter().find(|z| !self.zone_in_region(region, z)) {
                return Err(mismatch(z, region));
            }
        }
        let (offset, limit) = page(req.offset, req.limit)?;
        let mut matching = Vec::new();
        for inst in self.owned(owner, region) {
            if !ids.is_empty() && !ids.iter().any(|id| id == inst.id()) {
                continue;
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= instance_matches(inst, f)?;
            }
            if keep {
                matching.push(inst);
            }
        }
        let total = matching.len();
        let set = matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|i| i.model.clone())
            .collect();
        object(&DescribeInstancesResponse {
            total_count: Some(total as i64),
            instance_set: set,
        })
    }

    fn describe_instances_status(
        &self,
        owner: &str,
        region: &str,
        req: DescribeInstancesStatusRequest,
    ) -> ApiResult<Map<String, Value>> {
        let ids = instance_ids(&req.instance_ids)?;
        let (offset, limit) = page(req.offset, req.limit)?;
        let matching: Vec<&SimInstance> = self
            .owned(owner, region)
            .filter(|i| ids.is_empty() || ids.iter().any(|id| id == i.id()))
            .collect();
        let total = matching.len();
        let set = matching
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|i| InstanceStatus {
                instance_id: i.model.instance_id.clone(),
                instance_state: i.model.instance_state.clone(),
            })
            .collect();
        object(&DescribeInstancesStatusResponse {
            total_count: Some(total as i64),
            instance_status_set: set,
        })
    }

    /// The creation-order keys of the caller's instances `ids` in `region`, or `InvalidInstanceId.*`.
    fn targets(&self, owner: &str, region: &str, ids: &[String]) -> ApiResult<Vec<u64>> {
        let ids = instance_ids(ids)?;
        let mut seqs = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in &ids {
            match self.by_id.get(id).and_then(|s| self.instances.get(s)) {
                Some(inst) if inst.owner == owner && inst.region == region => seqs.push(inst.seq),
                _ => missing.push(format!("`{id}`")),
            }
        }
        if !missing.is_empty() {
            return Err(ApiFailure::new(
                "InvalidInstanceId.NotFound",
                format!("The instance {} is not found.", missing.join(", ")),
            ));
        }
        Ok(seqs)
    }

    fn require_state(&self, seqs: &[u64], allowed: &[InstanceState]) -> ApiResult<()> {
        for seq in seqs {
            if let Some(inst) = self.instances.get(seq) {
                let state = inst.state();
                if !allowed.contains(&state) {
                    return Err(state_error(inst.id(), &state));
                }
            }
        }
        Ok(())
    }

    /// Puts `seq` into `state` for operation `op` and schedules its end.
    #[allow(clippy::too_many_arguments)]
    fn begin(
        &mut self,
        seq: u64,
        state: InstanceState,
        op: &str,
        cx: &Cx,
        now: Duration,
        to: InstanceState,
        after: Duration,
        remove: bool,
    ) {
        if let Some(inst) = self.instances.get_mut(&seq) {
            inst.model.instance_state = Some(state);
            inst.model.latest_operation = Some(op.to_owned());
            inst.model.latest_operation_state = Some("OPERATING".to_owned());
            inst.model.latest_operation_request_id = Some(cx.request_id.clone());
        }
        self.schedule(seq, to, now, after, remove);
    }

    fn start_instances(
        &mut self,
        owner: &str,
        region: &str,
        req: StartInstancesRequest,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        let seqs = self.targets(owner, region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Stopped])?;
        let after = self.config.transitions.start;
        for seq in seqs {
            self.begin(
                seq,
                InstanceState::Starting,
                "StartInstances",
                cx,
                now,
                InstanceState::Running,
                after,
                false,
            );
        }
        object(&StartInstancesResponse {})
    }

    fn stop_instances(
        &mut self,
        owner: &str,
        region: &str,
        req: StopInstancesRequest,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        if let Some(t) = &req.stop_type {
            one_of("StopType", t, &STOP_TYPES)?;
        }
        let mode = req
            .stopped_mode
            .clone()
            .unwrap_or_else(|| "KEEP_CHARGING".to_owned());
        one_of("StoppedMode", &mode, &["KEEP_CHARGING", "STOP_CHARGING"])?;
        let seqs = self.targets(owner, region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Running])?;
        if mode == "STOP_CHARGING" {
            if let Some(inst) = seqs
                .iter()
                .filter_map(|s| self.instances.get(s))
                .find(|i| charge_type_of(i) != "POSTPAID_BY_HOUR")
            {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.StoppedModeStopCharging",
                    format!("The instance `{}` is not postpaid by hour, so it cannot stop charging when stopped.", inst.id()),
                ));
            }
        }
        let after = self.config.transitions.stop;
        for seq in seqs {
            self.begin(
                seq,
                InstanceState::Stopping,
                "StopInstances",
                cx,
                now,
                InstanceState::Stopped,
                after,
                false,
            );
            if let Some(inst) = self.instances.get_mut(&seq) {
                inst.model.stop_charging_mode = Some(mode.clone());
            }
        }
        object(&StopInstancesResponse {})
    }

    fn reboot_instances(
        &mut self,
        owner: &str,
        region: &str,
        req: RebootInstancesRequest,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        if let Some(t) = &req.stop_type {
            one_of("StopType", t, &STOP_TYPES)?;
        }
        let seqs = self.targets(owner, region, &req.instance_ids)?;
        self.require_state(&seqs, &[InstanceState::Running])?;
        let after = self.config.transitions.reboot;
        for seq in seqs {
            self.begin(
                seq,
                InstanceState::Rebooting,
                "RebootInstances",
                cx,
                now,
                InstanceState::Running,
                after,
                false,
            );
        }
        object(&RebootInstancesResponse {})
    }

    fn terminate_instances(
        &mut self,
        owner: &str,
        region: &str,
        req: TerminateInstancesRequest,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        let seqs = self.targets(owner, region, &req.instance_ids)?;
        let kinds: HashSet<bool> = seqs
            .iter()
            .filter_map(|s| self.instances.get(s))
            .map(|i| charge_type_of(i) == "PREPAID")
            .collect();
        if kinds.len() > 1 {
            return Err(ApiFailure::new(
                "UnsupportedOperation.InstanceMixedPricingModel",
                "Instances of different billing modes cannot be terminated in one request.",
            ));
        }
        let prepaid = kinds.contains(&true);
        let mut allowed = vec![
            InstanceState::Running,
            InstanceState::Stopped,
            InstanceState::LaunchFailed,
        ];
        if prepaid {
            allowed.push(InstanceState::Shutdown);
        }
        self.require_state(&seqs, &allowed)?;
        let after = self.config.transitions.terminate;
        for seq in seqs {
            let state = self.instances.get(&seq).map(SimInstance::state);
            let to_recycle_bin =
                prepaid && matches!(state, Some(InstanceState::Running | InstanceState::Stopped));
            if to_recycle_bin {
                if let Some(inst) = self.instances.get_mut(&seq) {
                    inst.model.instance_state = Some(InstanceState::Shutdown);
                    inst.model.latest_operation = Some("TerminateInstances".to_owned());
                    inst.model.latest_operation_state = Some("SUCCESS".to_owned());
                    inst.model.latest_operation_request_id = Some(cx.request_id.clone());
                    inst.model.isolated_source = Some("MANMADE".to_owned());
                    inst.transition = None;
                }
            } else {
                self.begin(
                    seq,
                    InstanceState::Terminating,
                    "TerminateInstances",
                    cx,
                    now,
                    InstanceState::Terminating,
                    after,
                    true,
                );
            }
        }
        object(&TerminateInstancesResponse {})
    }

    fn random_suffix(&mut self) -> String {
        (0..8)
            .map(|_| {
                char::from(ID_ALPHABET[(self.rng.next_u32() % ID_ALPHABET.len() as u32) as usize])
            })
            .collect()
    }

    fn new_instance_id(&mut self) -> String {
        for _ in 0..64 {
            let id = format!("ins-{}", self.random_suffix());
            if !self.by_id.contains_key(&id) {
                return id;
            }
        }
        // Practically unreachable; creation order makes this one unique among emulator-made ids.
        let mut n = self.next_seq;
        let mut tail = Vec::with_capacity(8);
        for _ in 0..8 {
            tail.push(ID_ALPHABET[(n % 36) as usize]);
            n /= 36;
        }
        tail.reverse();
        format!("ins-{}", String::from_utf8_lossy(&tail))
    }

    fn alloc_private_ip(&mut self) -> String {
        for _ in 0..256 {
            let r = self.rng.next_u32();
            let ip = format!(
                "10.{}.{}.{}",
                r >> 24,
                (r >> 16) & 0xff,
                2 + (r & 0xffff) % 253
            );
            if self.used_ips.insert(ip.clone()) {
                return ip;
            }
        }
        for n in 0u32..(1 << 24) {
            let ip = format!("10.{}.{}.{}", n >> 16, (n >> 8) & 0xff, n & 0xff);
            if n & 0xff >= 2 && n & 0xff <= 254 && self.used_ips.insert(ip.clone()) {
                return ip;
            }
        }
        "10.255.255.254".to_owned()
    }

    fn free_public_ips(&self) -> usize {
        let used = self
            .used_ips
            .iter()
            .filter(|ip| {
                PUBLIC_POOLS
                    .iter()
                    .any(|p| ip.starts_with(&format!("{}.{}.{}.", p[0], p[1], p[2])))
            })
            .count();
        (PUBLIC_POOLS.len() * 253).saturating_sub(used)
    }

    fn alloc_public_ip(&mut self) -> Option<String> {
        let candidate = |pool: usize, host: u32| {
            let p = PUBLIC_POOLS[pool % PUBLIC_POOLS.len()];
            format!("{}.{}.{}.{}", p[0], p[1], p[2], 2 + host % 253)
        };
        for _ in 0..64 {
            let r = self.rng.next_u32();
            let ip = candidate((r >> 16) as usize, r & 0xffff);
            if self.used_ips.insert(ip.clone()) {
                return Some(ip);
            }
        }
        for pool in 0..PUBLIC_POOLS.len() {
            for host in 0..253 {
                let ip = candidate(pool, host);
                if self.used_ips.insert(ip.clone()) {
                    return Some(ip);
                }
            }
        }
        None
    }

    fn plan_run(&self, owner: &str, region: &str, req: &RunInstancesRequest) -> ApiResult<RunPlan> {
        if req.launch_template.is_some() {
            return Err(ApiFailure::new(
                "InvalidParameterValue.LaunchTemplateNotFound",
                "The launch template is not found (cvm-sim has no launch templates).",
            ));
        }
        let charge_type = req
            .instance_charge_type
            .clone()
            .unwrap_or_else(|| "POSTPAID_BY_HOUR".to_owned());
        match charge_type.as_str() {
            "PREPAID" | "POSTPAID_BY_HOUR" | "SPOTPAID" => {}
            "CDHPAID" | "CDCPAID" => {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.InstanceChargeType",
                    format!("`{charge_type}` needs dedicated hosts or clusters, which cvm-sim does not emulate."),
                ))
            }
            _ => one_of("InstanceChargeType", &charge_type, &["PREPAID", "POSTPAID_BY_HOUR", "CDHPAID", "SPOTPAID", "CDCPAID"])?,
        }
        let (period, renew_flag) = if charge_type == "PREPAID" {
            let prepaid = req
                .instance_charge_prepaid
                .as_ref()
                .ok_or_else(|| ApiFailure::missing("InstanceChargePrepaid.Period"))?;
            if !matches!(prepaid.period, 1..=12 | 24 | 36 | 48 | 60) {
                return Err(ApiFailure::new(
                    "InvalidPeriod",
                    format!("The period `{}` is invalid; allowed periods are 1-12, 24, 36, 48 and 60 months.", prepaid.period),
                ));
            }
            let flag = prepaid
                .renew_flag
                .clone()
                .unwrap_or_else(|| "NOTIFY_AND_MANUAL_RENEW".to_owned());
            one_of("InstanceChargePrepaid.RenewFlag", &flag, &RENEW_FLAGS)?;
            (Some(prepaid.period), Some(flag))
        } else {
            (None, None)
        };

        let placement = req
            .placement
            .as_ref()
            .ok_or_else(|| ApiFailure::missing("Placement.Zone"))?;
        if !self.zone_in_region(region, &placement.zone) {
            return Err(mismatch(&placement.zone, region));
        }
        if placement.project_id.is_some_and(|p| p < 0) {
            return Err(ApiFailure::new(
                "InvalidProjectId.NotFound",
                "The project ID is not found.",
            ));
        }

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
        if !spec.zones.contains(&placement.zone) {
            return Err(ApiFailure::new(
                "ResourceUnavailable.InstanceType",
                format!(
                    "The instance type `{instance_type}` is not sold in zone `{}`.",
                    placement.zone
                ),
            ));
        }

        let image_id = req
            .image_id
            .as_deref()
            .ok_or_else(|| ApiFailure::missing("ImageId"))?;
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
        let windows = image.platform.as_deref() == Some("Windows");

        let system_disk = req.system_disk.clone().unwrap_or_default();
        if let Some(t) = &system_disk.disk_type {
            one_of("SystemDisk.DiskType", t, &SYSTEM_DISK_TYPES)?;
        }
        let system_size = system_disk.disk_size.unwrap_or(50);
        range("SystemDisk.DiskSize", system_size, 20, 1024)?;
        if image.image_size.is_some_and(|s| s > system_size) {
            return Err(ApiFailure::new(
                "InvalidImageId.TooLarge",
                format!(
                    "The image `{image_id}` needs a system disk of at least {} GB.",
                    image.image_size.unwrap_or(0)
                ),
            ));
        }
        if req.data_disks.len() > 21 {
            return Err(ApiFailure::new(
                "InvalidParameterValue.LimitExceeded",
                "At most 21 data disks may be attached.",
            ));
        }
        let mut local_disks = 0;
        for (i, d) in req.data_disks.iter().enumerate() {
            let t = d.disk_type.as_deref().unwrap_or("LOCAL_BASIC");
            let mut types = SYSTEM_DISK_TYPES.to_vec();
            types.extend(["LOCAL_NVME", "LOCAL_PRO"]);
            one_of(&format!("DataDisks.{i}.DiskType"), t, &types)?;
            range(&format!("DataDisks.{i}.DiskSize"), d.disk_size, 10, 32_000)?;
            if d.disk_size % 10 != 0 {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.Range",
                    format!(
                        "The size `{}` of `DataDisks.{i}.DiskSize` must be a multiple of 10 GB.",
                        d.disk_size
                    ),
                ));
            }
            if t == "CLOUD_SSD" && d.disk_size < 100 {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall",
                    "A CLOUD_SSD data disk must be at least 100 GB.",
                ));
            }
            if let Some(s) = &d.snapshot_id {
                if !has_id_form(s, "snap-") {
                    return Err(ApiFailure::new(
                        "InvalidParameterValue.SnapshotIdMalformed",
                        format!("The snapshot ID `{s}` is malformed."),
                    ));
                }
            }
            if t.starts_with("LOCAL_") {
                local_disks += 1;
            }
        }
        if local_disks > 1 || req.data_disks.len() - local_disks > 20 {
            return Err(ApiFailure::new(
                "InvalidParameterValue.LimitExceeded",
                "At most 1 local and 20 cloud data disks may be attached.",
            ));
        }

        let count = req.instance_count.unwrap_or(1);
        range("InstanceCount", count, 1, 500)?;
        if let Some(min) = req.min_count {
            range("MinCount", min, 1, count)?;
        }
        let count = usize::try_from(count).unwrap_or(1);

        let internet = req.internet_accessible.clone().unwrap_or_default();
        if let Some(t) = &internet.internet_charge_type {
            one_of(
                "InternetAccessible.InternetChargeType",
                t,
                &INTERNET_CHARGE_TYPES,
            )?;
        }
        let bandwidth = internet.internet_max_bandwidth_out.unwrap_or(0);
        range(
            "InternetAccessible.InternetMaxBandwidthOut",
            bandwidth,
            0,
            200,
        )?;
        if internet.public_ip_assigned == Some(true) && bandwidth == 0 {
            return Err(ApiFailure::combination(
                "`InternetAccessible.PublicIpAssigned` may be true only when `InternetMaxBandwidthOut` is greater than 0.",
            ));
        }
        if let Some(id) = &internet.bandwidth_package_id {
            if !has_id_form(id, "bwp-") {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.BandwidthPackageIdMalformed",
                    format!("The bandwidth package ID `{id}` is malformed; it looks like `bwp-xxxxxxxx`."),
                ));
            }
        }
        let public_ip = bandwidth > 0 && internet.public_ip_assigned != Some(false);
        if public_ip && self.free_public_ips() < count {
            return Err(ApiFailure::new(
                "ResourcesSoldOut.EipInsufficient",
                "Public IP addresses are sold out.",
            ));
        }

        if let Some(login) = &req.login_settings {
            let given = [
                login.password.is_some(),
                !login.key_ids.is_empty(),
                login.keep_image_login.is_some(),
            ];
            if given.iter().filter(|&&b| b).count() > 1 {
                return Err(ApiFailure::new(
                    "InvalidParameter.ParameterConflict",
                    "Only one of `LoginSettings.Password`, `LoginSettings.KeyIds` and `LoginSettings.KeepImageLogin` may be given.",
                ));
            }
            if let Some(p) = &login.password {
                check_password(p, windows)?;
            }
            if let Some(k) = login.key_ids.iter().find(|k| !has_id_form(k, "skey-")) {
                return Err(ApiFailure::new(
                    "InvalidKeyPairId.Malformed",
                    format!("The key pair ID `{k}` is malformed; it looks like `skey-xxxxxxxx`."),
                ));
            }
            if windows && !login.key_ids.is_empty() {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.KeyPairUnsupportedWindows",
                    "Key pairs cannot log in to Windows instances.",
                ));
            }
            if let Some(k) = &login.keep_image_login {
                one_of(
                    "LoginSettings.KeepImageLogin",
                    &k.to_ascii_lowercase(),
                    &["true", "false"],
                )?;
            }
        }

        if let Some(sg) = req
            .security_group_ids
            .iter()
            .find(|s| !has_id_form(s, "sg-"))
        {
            return Err(ApiFailure::new(
                "InvalidSgId.Malformed",
                format!("The security group ID `{sg}` is malformed; it looks like `sg-xxxxxxxx`."),
            ));
        }
        if req.security_group_ids.len() > 5 {
            return Err(ApiFailure::new(
                "LimitExceeded.AssociateUSGLimitExceeded",
                "An instance can join at most 5 security groups.",
            ));
        }

        let mut private_ips = Vec::new();
        if let Some(vpc) = &req.virtual_private_cloud {
            if !has_id_form(&vpc.vpc_id, "vpc-") {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.VpcIdMalformed",
                    format!(
                        "The VPC ID `{}` is malformed; it looks like `vpc-xxxxxxxx`.",
                        vpc.vpc_id
                    ),
                ));
            }
            if !has_id_form(&vpc.subnet_id, "subnet-") {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.SubnetIdMalformed",
                    format!(
                        "The subnet ID `{}` is malformed; it looks like `subnet-xxxxxxxx`.",
                        vpc.subnet_id
                    ),
                ));
            }
            if !vpc.private_ip_addresses.is_empty() {
                if vpc.private_ip_addresses.len() != count {
                    return Err(ApiFailure::combination("The number of `VirtualPrivateCloud.PrivateIpAddresses` must equal `InstanceCount`."));
                }
                let mut seen = HashSet::new();
                for ip in &vpc.private_ip_addresses {
                    let canonical = ip
                        .parse::<Ipv4Addr>()
                        .map_err(|_| {
                            ApiFailure::new(
                                "InvalidParameterValue.IPAddressMalformed",
                                format!("The IP address `{ip}` is malformed."),
                            )
                        })?
                        .to_string();
                    if self.used_ips.contains(&canonical) || !seen.insert(canonical.clone()) {
                        return Err(ApiFailure::new(
                            "VpcIpIsUsed",
                            format!("The private IP `{ip}` is already in use."),
                        ));
                    }
                    private_ips.push(canonical);
                }
            }
        }

        if let Some(h) = &req.host_name {
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
        }
        if let Some(data) = &req.user_data {
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
        }
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
        if let Some(t) = &req.client_token {
            if !t.is_ascii() {
                return Err(ApiFailure::invalid_value("`ClientToken` must be ASCII."));
            }
        }

        let held = self.owned(owner, region).count();
        let max = self.config.quotas.max_instances_per_region as usize;
        if held + count > max {
            return Err(ApiFailure::new(
                "InstancesQuotaLimitExceeded",
                format!("Creating {count} instances would exceed the quota of {max} instances in region `{region}` ({held} in use)."),
            ));
        }
        Ok(RunPlan {
            zone: placement.zone.clone(),
            instance_type,
            cpu: spec.cpu,
            memory: spec.memory,
            gpu: spec.gpu,
            image,
            charge_type,
            period,
            renew_flag,
            count,
            names: instance_names(&name, count),
            public_ip,
            private_ips,
            windows,
        })
    }

    fn run_instances(
        &mut self,
        owner: &str,
        region: &str,
        req: RunInstancesRequest,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Map<String, Value>> {
        if let Some(t) = &req.client_token {
            if t.len() > 64 {
                return Err(ApiFailure::new(
                    "InvalidClientToken.TooLong",
                    "The ClientToken is longer than 64 characters.",
                ));
            }
        }
        let dry_run = req.dry_run == Some(true);
        let token_key = req
            .client_token
            .as_ref()
            .map(|t| (owner.to_owned(), t.clone()));
        if !dry_run {
            if let Some(ids) = token_key.as_ref().and_then(|k| self.client_tokens.get(k)) {
                return object(&RunInstancesResponse {
                    instance_id_set: ids.clone(),
                });
            }
        }
        let plan = self.plan_run(owner, region, &req)?;
        if dry_run {
            return Err(ApiFailure::new(
                "DryRunOperation",
                "The request would have succeeded, but the DryRun parameter was set.",
            ));
        }
        let created_secs = self.server_time(now);
        let created = time::format_utc(created_secs);
        let expired = plan
            .period
            .map(|p| time::format_utc(add_months(created_secs, p)));
        let internet = req.internet_accessible.clone().unwrap_or_default();
        let mut ids = Vec::with_capacity(plan.count);
        for i in 0..plan.count {
            let id = self.new_instance_id();
            let private_ip = match plan.private_ips.get(i) {
                Some(ip) => {
                    self.used_ips.insert(ip.clone());
                    ip.clone()
                }
                None => self.alloc_private_ip(),
            };
            let public_ips: Vec<String> = if plan.public_ip {
                self.alloc_public_ip().into_iter().collect()
            } else {
                Vec::new()
            };
            let octets: Vec<&str> = private_ip.split('.').collect();
            let platform = plan.image.platform.clone().unwrap_or_default();
            let host_name = req.host_name.clone().unwrap_or_else(|| {
                format!(
                    "VM-{}-{}-{}",
                    octets.get(2).unwrap_or(&"0"),
                    octets.get(3).unwrap_or(&"0"),
                    platform.to_ascii_lowercase()
                )
            });
            let mut system_disk = SystemDiskInfo::from(req.system_disk.clone().unwrap_or_default());
            system_disk
                .disk_type
                .get_or_insert_with(|| "CLOUD_PREMIUM".to_owned());
            system_disk.disk_size.get_or_insert(50);
            system_disk.disk_id = Some(format!("disk-{}", self.random_suffix()));
            let mut data_disks = Vec::with_capacity(req.data_disks.len());
            for d in &req.data_disks {
                let mut info = DataDiskInfo::from(d.clone());
                info.disk_type
                    .get_or_insert_with(|| "LOCAL_BASIC".to_owned());
                info.delete_with_instance.get_or_insert(true);
                info.encrypt.get_or_insert(false);
                info.disk_id = Some(format!("disk-{}", self.random_suffix()));
                data_disks.push(info);
            }
            let mut internet_info = InternetAccessibleInfo::from(internet.clone());
            internet_info
                .internet_charge_type
                .get_or_insert_with(|| "TRAFFIC_POSTPAID_BY_HOUR".to_owned());
            internet_info.internet_max_bandwidth_out.get_or_insert(0);
            let mut placement = PlacementInfo::from(req.placement.clone().unwrap_or_default());
            placement.zone = Some(plan.zone.clone());
            placement.project_id.get_or_insert(0);
            let tags: Vec<TagInfo> = req
                .tag_specification
                .iter()
                .filter(|t| t.resource_type == "instance")
                .flat_map(|t| t.tags.iter().cloned().map(TagInfo::from))
                .collect();
            let uuid = self.uuid();
            let model = Instance {
                placement: Some(placement),
                instance_id: Some(id.clone()),
                instance_type: Some(plan.instance_type.clone()),
                cpu: Some(plan.cpu),
                memory: Some(plan.memory),
                restrict_state: Some("NORMAL".to_owned()),
                instance_name: plan.names.get(i).cloned(),
                instance_charge_type: Some(plan.charge_type.clone()),
                system_disk: Some(system_disk),
                data_disks,
                private_ip_addresses: vec![private_ip],
                public_ip_addresses: public_ips,
                internet_accessible: Some(internet_info),
                virtual_private_cloud: req.virtual_private_cloud.clone().map(|v| {
                    let mut info = VirtualPrivateCloudInfo::from(v);
                    info.private_ip_addresses.clear();
                    info.as_vpc_gateway.get_or_insert(false);
                    info
                }),
                image_id: plan.image.image_id.clone(),
                renew_flag: plan.renew_flag.clone(),
                created_time: Some(created.clone()),
                expired_time: expired.clone(),
                os_name: plan.image.os_name.clone(),
                security_group_ids: req.security_group_ids.clone(),
                login_settings: req.login_settings.clone().map(LoginSettingsInfo::from),
                instance_state: Some(InstanceState::Pending),
                tags,
                stop_charging_mode: Some("NOT_APPLICABLE".to_owned()),
                uuid: Some(uuid),
                latest_operation: Some("RunInstances".to_owned()),
                latest_operation_state: Some("OPERATING".to_owned()),
                latest_operation_request_id: Some(cx.request_id.clone()),
                isolated_source: Some("NOTISOLATED".to_owned()),
                gpu_info: (plan.gpu > 0).then(|| GPUInfo {
                    gpu_count: Some(plan.gpu as f64),
                    gpu_id: Vec::new(),
                    gpu_type: Some("NVIDIA T4".to_owned()),
                }),
                license_type: Some("TencentCloud".to_owned()),
                disable_api_termination: Some(req.disable_api_termination.unwrap_or(false)),
                host_name: Some(host_name),
                default_login_user: Some(
                    match platform.as_str() {
                        "Windows" => "Administrator",
                        "Ubuntu" => "ubuntu",
                        _ => "root",
                    }
                    .to_owned(),
                ),
                default_login_port: Some(if plan.windows { 3389 } else { 22 }),
                enable_jumbo_frame: Some(req.enable_jumbo_frame.unwrap_or(false)),
                metadata: req.metadata.clone().map(MetadataInfo::from),
                cpu_topology: req.cpu_topology.clone().map(CpuTopologyInfo::from),
                cam_role_name: req.cam_role_name.clone(),
                hpc_cluster_id: req.hpc_cluster_id.clone(),
                dedicated_cluster_id: req.dedicated_cluster_id.clone(),
                partition_number: req.partition_number,
                ..Default::default()
            };
            let seq = self.next_seq;
            self.next_seq += 1;
            self.instances.insert(
                seq,
                SimInstance {
                    owner: owner.to_owned(),
                    region: region.to_owned(),
                    seq,
                    transition: None,
                    model,
                },
            );
            self.by_id.insert(id.clone(), seq);
            let to = if cx.launch_failed {
                InstanceState::LaunchFailed
            } else {
                InstanceState::Running
            };
            let after = self.config.transitions.launch;
            self.schedule(seq, to, now, after, false);
            self.counters.instances_created += 1;
            ids.push(id);
        }
        if let Some(key) = token_key {
            self.client_tokens.insert(key, ids.clone());
        }
        object(&RunInstancesResponse {
            instance_id_set: ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        assert!(check_password("Qcloud@TestApi123++", false).is_ok());
        assert!(check_password("Qcloud@TestApi123++", true).is_ok());
        assert!(check_password("abcdefgh", false).is_err());
        assert!(check_password("abcdefg1", false).is_ok());
        assert!(check_password("abcdef1", false).is_err());
        assert!(check_password("abcdefgh12AB", true).is_ok());
        assert!(check_password("abcdefgh1234", true).is_err());
        assert!(check_password("/bcdefgh12AB", false).is_err());
        assert!(check_password("abcd efgh12", false).is_err());
        assert!(check_password(&"aA1".repeat(11), false).is_err());
    }

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

    #[test]
    fn months_and_base64() {
        let jan31 = time::parse_utc("2023-01-31T10:00:00Z").unwrap_or(0);
        assert_eq!(
            time::format_utc(add_months(jan31, 1)),
            "2023-02-28T10:00:00Z"
        );
        assert_eq!(
            time::format_utc(add_months(jan31, 12)),
            "2024-01-31T10:00:00Z"
        );
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("aGVsbG8"));
        assert!(!is_base64("a=bc"));
    }
}
