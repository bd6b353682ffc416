//! The typed actions that this workspace's hand-written layer uses (the walkthrough, waiters,
//! paginators, filters, the CLI's commands): the generated types of [`crate::api::cvm`] under
//! their own names, plus the open enum [`InstanceState`] that the generated `Instance` and
//! `InstanceStatus` use for their `InstanceState` fields.
//!
//! There is one type per wire object: `models::RunInstancesRequest` *is*
//! `api::cvm::RunInstancesRequest`. See [`crate::api`] for the conventions (strict requests,
//! tolerant replies, `new` with the required fields, `with_` setters). The request checks that
//! the emulator makes before it reads a request are [`crate::validate`]'s, from the spec.
//!
//! Times (`CreatedTime`, `ExpiredTime`) stay strings; [`crate::time`] reads them. Passwords
//! never appear in `Debug` output.

mod state;
#[cfg(test)]
mod tests;

pub use crate::api::cvm::{
    ActionTimer, CpuTopology, DataDisk, DescribeImagesRequest, DescribeImagesResponse,
    DescribeInstanceTypeConfigsRequest, DescribeInstanceTypeConfigsResponse,
    DescribeInstancesRequest, DescribeInstancesResponse, DescribeInstancesStatusRequest,
    DescribeInstancesStatusResponse, DescribeRegionsRequest, DescribeRegionsResponse,
    DescribeZonesRequest, DescribeZonesResponse, EnhancedService, Externals, Filter, GPUInfo,
    Image, Instance, InstanceChargePrepaid, InstanceMarketOptionsRequest, InstanceStatus,
    InstanceTypeConfig, InternetAccessible, LaunchTemplate, LoginSettings, Metadata, MetadataItem,
    NetworkInterfaces, Placement, RebootInstancesRequest, RebootInstancesResponse, RegionInfo,
    RunAutomationServiceEnabled, RunInstancesRequest, RunInstancesResponse,
    RunMonitorServiceEnabled, RunSecurityServiceEnabled, Snapshot, SpotMarketOptions,
    StartInstancesRequest, StartInstancesResponse, StopInstancesRequest, StopInstancesResponse,
    StorageBlock, SystemDisk, Tag, TagSpecification, TerminateInstancesRequest,
    TerminateInstancesResponse, VirtualPrivateCloud, ZoneInfo,
};
pub use state::InstanceState;

use crate::action::ActionInfo;

/// The facts of the actions that the hand-written layer and the emulator's first handlers use.
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
