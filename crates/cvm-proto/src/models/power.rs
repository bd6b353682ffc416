//! Changing the power state of instances: `StartInstances`, `StopInstances` and
//! `RebootInstances`.

use serde::{Deserialize, Serialize};

use crate::action::Action;

/// `StartInstances`: starts `STOPPED` instances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StartInstancesRequest {
    /// The instances (at most 100).
    pub instance_ids: Vec<String>,
}

impl StartInstancesRequest {
    /// A request starting `instance_ids`.
    pub fn new<I, V>(instance_ids: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        StartInstancesRequest {
            instance_ids: instance_ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// The reply to `StartInstances` (nothing besides the request ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StartInstancesResponse {}

impl Action for StartInstancesRequest {
    const NAME: &'static str = "StartInstances";
    const READ_ONLY: bool = false;
    type Output = StartInstancesResponse;
}

/// `StopInstances`: stops `RUNNING` instances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StopInstancesRequest {
    /// The instances (at most 100).
    pub instance_ids: Vec<String>,
    /// Deprecated in favour of `StopType`: true forces a hard stop.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub force_stop: Option<bool>,
    /// `SOFT` (default), `HARD` or `SOFT_FIRST`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stop_type: Option<String>,
    /// `KEEP_CHARGING` (default) or `STOP_CHARGING` (postpaid only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stopped_mode: Option<String>,
}

impl StopInstancesRequest {
    /// A request stopping `instance_ids` with default options.
    pub fn new<I, V>(instance_ids: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        StopInstancesRequest {
            instance_ids: instance_ids.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}

/// The reply to `StopInstances` (nothing besides the request ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopInstancesResponse {}

impl Action for StopInstancesRequest {
    const NAME: &'static str = "StopInstances";
    const READ_ONLY: bool = false;
    type Output = StopInstancesResponse;
}

/// `RebootInstances`: reboots `RUNNING` instances.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RebootInstancesRequest {
    /// The instances (at most 100).
    pub instance_ids: Vec<String>,
    /// Deprecated in favour of `StopType`: true forces a hard reboot.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub force_reboot: Option<bool>,
    /// `SOFT` (default), `HARD` or `SOFT_FIRST`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stop_type: Option<String>,
}

impl RebootInstancesRequest {
    /// A request rebooting `instance_ids` with default options.
    pub fn new<I, V>(instance_ids: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        RebootInstancesRequest {
            instance_ids: instance_ids.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}

/// The reply to `RebootInstances` (nothing besides the request ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RebootInstancesResponse {}

impl Action for RebootInstancesRequest {
    const NAME: &'static str = "RebootInstances";
    const READ_ONLY: bool = false;
    type Output = RebootInstancesResponse;
}
