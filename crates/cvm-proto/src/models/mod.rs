//! Typed requests and replies of the CVM 2017-03-12 API actions this workspace uses.
//!
//! Each action has a request struct `<Action>Request` implementing [`Action`] and a reply struct
//! `<Action>Response` holding the content of the reply's `Response` object without its
//! `RequestId` (the envelope parser extracts that separately). Rust field names are the snake_case
//! of the wire names; the wire names are exactly the API's (`CPU`, `GPUInfo`, `IPv6Addresses`, ...).
//!
//! # Request side and reply side
//!
//! Requests are strict, because the emulator deserializes them from flat parameters and must answer
//! `UnknownParameter` for any key the service does not know: request structs and every structure
//! they contain carry `#[serde(deny_unknown_fields)]`, required members are plain fields (so a
//! missing one is a deserialization error), optional members are `Option`s omitted when `None`,
//! and lists are omitted when empty. Requests use neither `flatten` nor untagged enums, so the
//! flat-parameter serializer and deserializer only ever see plain structs, sequences and scalars.
//!
//! Replies are tolerant, because the service adds fields over time and sends `null` for absent
//! values: every reply struct is `#[serde(default)]`, every scalar or nested structure is an
//! `Option`, every list reads `null` as empty ([`null_as_empty`]) and unknown fields are ignored.
//!
//! The API uses some structures (`Placement`, `SystemDisk`, `DataDisk`, ...) in both directions.
//! One Rust type cannot be both strict and tolerant, so each of those that appears in a reply has a
//! reply-side twin with an `Info` suffix, the API's own naming for output structures such as
//! `ZoneInfo`: [`PlacementInfo`], [`SystemDiskInfo`], [`DataDiskInfo`], [`InternetAccessibleInfo`],
//! [`VirtualPrivateCloudInfo`], [`LoginSettingsInfo`], [`TagInfo`], [`MetadataInfo`],
//! [`MetadataItemInfo`] and [`CpuTopologyInfo`]. A twin has the same wire names, all optional, and a
//! `From` conversion from its request-side type for the emulator, which echoes what was requested;
//! the conversions never copy a password.
//!
//! When a reply is serialized (by the emulator), `None` members are omitted and lists are always
//! written, as `[]` when empty, like the service does.
//!
//! Times (`CreatedTime`, `ExpiredTime`) stay strings: the service sends RFC 3339 UTC with either a
//! `Z` or a `+00:00` suffix. Instance states are the open enum [`InstanceState`]. Passwords never
//! appear in `Debug` output.
//!
//! [`Action`]: crate::action::Action

use std::fmt;

use serde::{Deserialize, Deserializer};

mod catalog;
mod common;
mod images;
mod info;
mod instances;
mod lifecycle;
mod power;
mod state;
#[cfg(test)]
mod tests;

pub use catalog::{
    DescribeInstanceTypeConfigsRequest, DescribeInstanceTypeConfigsResponse,
    DescribeRegionsRequest, DescribeRegionsResponse, DescribeZonesRequest, DescribeZonesResponse,
    InstanceTypeConfig, RegionInfo, ZoneInfo,
};
pub use common::{
    ActionTimer, CpuTopology, DataDisk, EnhancedService, Externals, Filter, InstanceChargePrepaid,
    InstanceMarketOptionsRequest, InternetAccessible, LaunchTemplate, LoginSettings, Metadata,
    MetadataItem, NetworkInterfaces, Placement, RunAutomationServiceEnabled,
    RunMonitorServiceEnabled, RunSecurityServiceEnabled, SpotMarketOptions, StorageBlock,
    SystemDisk, Tag, TagSpecification, VirtualPrivateCloud,
};
pub use images::{DescribeImagesRequest, DescribeImagesResponse, Image, Snapshot};
pub use info::{
    CpuTopologyInfo, DataDiskInfo, InternetAccessibleInfo, LoginSettingsInfo, MetadataInfo,
    MetadataItemInfo, PlacementInfo, SystemDiskInfo, TagInfo, VirtualPrivateCloudInfo,
};
pub use instances::{
    DescribeInstancesRequest, DescribeInstancesResponse, DescribeInstancesStatusRequest,
    DescribeInstancesStatusResponse, GPUInfo, Instance, InstanceStatus,
};
pub use lifecycle::{
    RunInstancesRequest, RunInstancesResponse, TerminateInstancesRequest,
    TerminateInstancesResponse,
};
pub use power::{
    RebootInstancesRequest, RebootInstancesResponse, StartInstancesRequest, StartInstancesResponse,
    StopInstancesRequest, StopInstancesResponse,
};
pub use state::InstanceState;

use crate::action::ActionInfo;

/// The facts of every action with a typed model here, for calls made by name.
pub const ACTIONS: &[ActionInfo] = &[
    ActionInfo::of::<DescribeInstanceTypeConfigsRequest>(),
    ActionInfo::of::<DescribeZonesRequest>(),
    ActionInfo::of::<DescribeRegionsRequest>(),
    ActionInfo::of::<DescribeImagesRequest>(),
    ActionInfo::of::<DescribeInstancesRequest>(),
    ActionInfo::of::<DescribeInstancesStatusRequest>(),
    ActionInfo::of::<RunInstancesRequest>(),
    ActionInfo::of::<TerminateInstancesRequest>(),
    ActionInfo::of::<StartInstancesRequest>(),
    ActionInfo::of::<StopInstancesRequest>(),
    ActionInfo::of::<RebootInstancesRequest>(),
];

/// Reads a list that the service may send as JSON `null`, turning `null` into an empty list.
pub fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Stands in for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
