//! The emulated actions: dispatch by action name, and the checks several actions share.
//!
//! Each resource group answers its actions in its own module: [`catalog`] (regions, zones,
//! instance types), [`images`], [`instances`] (describe, status, terminate) and [`power`]
//! (start, stop, reboot). `RunInstances` is answered by [`launch`], from the plan that
//! [`launch_plan`] builds out of the request checks in [`billing`], [`disks`], [`network`] and
//! [`login`].
//!
//! The actions emulated since are routed in [`routes`] (one module per resource group:
//! [`key_pairs`], ..., [`quotas`], [`sale_configs`]), parse the generated `cvm_proto::api::cvm` requests and answer with the
//! generated replies.

mod action_timers;
mod billing;
mod catalog;
mod custom_images;
mod disks;
mod images;
mod instance_settings;
mod instances;
mod key_pairs;
mod launch;
mod launch_plan;
mod launch_templates;
mod login;
mod network;
mod owned;
mod placement_groups;
mod power;
mod prices;
mod quotas;
mod reconfigure;
mod required_fields;
pub(crate) use required_fields::DescribedCache;
mod routes;
mod sale_configs;

use std::collections::HashSet;
use std::time::Duration;

use cvm_proto::flatten::{from_params, UnflattenError};
use cvm_proto::models::{
    DescribeImagesRequest, DescribeInstanceTypeConfigsRequest, DescribeInstancesRequest,
    DescribeInstancesStatusRequest, DescribeRegionsRequest, DescribeZonesRequest, Filter,
    RebootInstancesRequest, RunInstancesRequest, StartInstancesRequest, StopInstancesRequest,
    TerminateInstancesRequest,
};
use cvm_proto::validate;
use cvm_proto::{Action, Params};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::config::RegionConfig;
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Cx, Gateway, Sim, SimInstance};

const MAX_IDS: usize = 100;
const MAX_FILTERS: usize = 10;

/// The content of an action's `Response` (without `RequestId`): a JSON object, already serialized
/// (building a `serde_json::Value` tree first, then copying it into the envelope, cost more than
/// the action itself; see the `sim` bench).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply(Vec<u8>);

impl Reply {
    /// A reply already serialized: `json` must be a JSON object, `{...}`.
    pub(crate) fn from_json(json: Vec<u8>) -> Self {
        Reply(json)
    }

    /// The serialized object, `{...}`.
    pub(crate) fn into_json(self) -> Vec<u8> {
        self.0
    }
}

/// One call of a regional action, as its handler sees it.
struct Call<'a> {
    /// The account making the call.
    owner: &'a str,
    /// The region it is made in, resolved from the `Region` parameter.
    region: String,
    /// The action's own parameters (the common ones removed).
    params: Params,
    /// The per-request context.
    cx: &'a Cx,
    /// The request clock.
    now: Duration,
}

impl Call<'_> {
    /// The action's typed request.
    fn parse<T: DeserializeOwned>(&self) -> ApiResult<T> {
        parse(&self.params)
    }
}

/// How an action is answered.
#[derive(Clone, Copy)]
enum Handler {
    /// For the whole account: the `Region` parameter is not read.
    Account(fn(&Sim, &Params, &Cx) -> ApiResult<Reply>),
    /// In one region, resolved (and checked) before the action's own parameters are read.
    Regional(fn(&mut Sim, &Call<'_>) -> ApiResult<Reply>),
}

/// Every emulated action, named by its request model, with its handler.
const ROUTES: [(&str, Handler); 11] = [
    (
        DescribeRegionsRequest::NAME,
        Handler::Account(|sim, params, cx| sim.describe_regions(parse(params)?, cx)),
    ),
    (
        DescribeZonesRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_zones(call, call.parse()?)),
    ),
    (
        DescribeInstanceTypeConfigsRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instance_type_configs(call, call.parse()?)),
    ),
    (
        DescribeImagesRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_images(call, call.parse()?)),
    ),
    (
        DescribeInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances(call, call.parse()?)),
    ),
    (
        DescribeInstancesStatusRequest::NAME,
        Handler::Regional(|sim, call| sim.describe_instances_status(call, call.parse()?)),
    ),
    (
        RunInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.run_instances(call, call.parse()?)),
    ),
    (
        StartInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.start_instances(call, call.parse()?)),
    ),
    (
        StopInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.stop_instances(call, call.parse()?)),
    ),
    (
        RebootInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.reboot_instances(call, call.parse()?)),
    ),
    (
        TerminateInstancesRequest::NAME,
        Handler::Regional(|sim, call| sim.terminate_instances(call, call.parse()?)),
    ),
];

/// The actions the emulator implements.
pub const ACTIONS: [&str; ROUTES.len() + routes::MORE.len()] = {
    let mut names = [""; ROUTES.len() + routes::MORE.len()];
    let mut i = 0;
    while i < ROUTES.len() {
        names[i] = ROUTES[i].0;
        i += 1;
    }
    while i < names.len() {
        names[i] = routes::MORE[i - ROUTES.len()].0;
        i += 1;
    }
    names
};

impl Sim {
    /// Runs an authenticated action and returns the content of its `Response`.
    pub(crate) fn dispatch(
        &mut self,
        action: &str,
        owner: &str,
        params: &Params,
        cx: &Cx,
        now: Duration,
    ) -> ApiResult<Reply> {
        let action_params = Self::action_params(params);
        let spec = validate::action(action).ok_or_else(|| unknown_action(action))?;
        validate::check_params(spec, validate::CVM_OBJECTS, &action_params)
            .map_err(|v| violation(&v))?;
        let handler = ROUTES
            .iter()
            .chain(routes::MORE.iter())
            .find(|(name, _)| *name == action)
            .map(|&(_, handler)| handler)
            .ok_or_else(|| {
                ApiFailure::new(
                    "UnsupportedOperation",
                    format!("The action `{action}` is valid but not emulated by cvm-sim; its request passed the spec's checks."),
                )
            })?;
        match handler {
            Handler::Account(handle) => handle(self, &action_params, cx),
            Handler::Regional(handle) => {
                let region = self.resolve_region(params.get("Region"), cx.gateway)?;
                self.settle_images(now);
                let call = Call {
                    owner,
                    region,
                    params: action_params,
                    cx,
                    now,
                };
                handle(self, &call)
            }
        }
    }

    /// The region named `value`, or on the legacy gateway one of its aliases.
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

    fn region_config(&self, region: &str) -> Option<&RegionConfig> {
        self.config.regions.iter().find(|r| r.region == region)
    }

    fn zone_in_region(&self, region: &str, zone: &str) -> bool {
        self.region_config(region)
            .is_some_and(|r| r.zones.iter().any(|z| z.zone == zone))
    }

    /// The caller's instances in `region`, in creation order.
    fn owned<'a>(
        &'a self,
        owner: &'a str,
        region: &'a str,
    ) -> impl Iterator<Item = &'a SimInstance> + 'a {
        self.instances
            .values()
            .filter(move |i| i.owner == owner && i.region == region)
    }
}

/// A member that the spec requires (so validation has already refused its absence), or `MissingParameter`.
pub(crate) fn given<T>(value: Option<T>, path: &str) -> ApiResult<T> {
    value.ok_or_else(|| ApiFailure::missing(path))
}

/// `InvalidAction` unless `action` is one of the service's (emulated or not).
pub(crate) fn check_action(action: &str) -> ApiResult<()> {
    match validate::action(action) {
        Some(_) => Ok(()),
        None => Err(unknown_action(action)),
    }
}

fn unknown_action(action: &str) -> ApiFailure {
    ApiFailure::new(
        "InvalidAction",
        format!("The requested action `{action}` does not exist."),
    )
}

/// The service's error for a request that breaks the spec.
pub(crate) fn violation(v: &validate::Violation) -> ApiFailure {
    let path = &v.path;
    match &v.problem {
        validate::Problem::Unknown { .. } => ApiFailure::new(
            "UnknownParameter",
            format!("The parameter `{path}` is not recognized."),
        ),
        validate::Problem::Missing => ApiFailure::missing(path),
        validate::Problem::WrongType { expected } => ApiFailure::invalid_parameter(format!(
            "Parameter `{path}` type error: expected {expected}."
        )),
        _ => ApiFailure::invalid_value(format!("Parameter `{path}`: {v}.")),
    }
}

/// An action's typed request, with the service's errors for unknown, missing and mistyped parameters.
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

/// A typed reply as the JSON object it is sent as, serialized straight from the type.
fn object<T: Serialize>(reply: &T) -> ApiResult<Reply> {
    let mut out = Vec::with_capacity(128);
    match serde_json::to_writer(&mut out, reply) {
        Ok(()) if out.first() == Some(&b'{') && out.last() == Some(&b'}') => Ok(Reply(out)),
        _ => Err(ApiFailure::new(
            "InternalError",
            "The reply could not be built.",
        )),
    }
}

/// Whether `id` is `prefix` followed by 8 lower-case letters or digits, e.g. `ins-1a2b3c4d`.
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

/// The checked `Offset` (default 0) and `Limit` (default 20, at most 100) of a paged reply.
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

/// Checks the number of `Filters` and of values in each.
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

/// Checks that the parameter `what` is between `lo` and `hi`, both included.
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

/// Checks that the parameter `what` is one of `allowed`.
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
