//! Creating and destroying instances: `RunInstances` and `TerminateInstances`.

use serde::{Deserialize, Serialize};

use super::{
    null_as_empty, ActionTimer, CpuTopology, DataDisk, EnhancedService, InstanceChargePrepaid,
    InstanceMarketOptionsRequest, InternetAccessible, LaunchTemplate, LoginSettings, Metadata,
    NetworkInterfaces, Placement, SystemDisk, TagSpecification, VirtualPrivateCloud,
};
use crate::action::Action;

/// `RunInstances`: creates instances; build it with `RunInstancesRequest { .., ..Default::default() }`.
///
/// Set [`client_token`](Self::client_token) so that retries cannot create instances twice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RunInstancesRequest {
    /// `PREPAID`, `POSTPAID_BY_HOUR` (default), `CDHPAID`, `SPOTPAID` or `CDCPAID`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_charge_type: Option<String>,
    /// The prepaid period and renewal; required with `PREPAID`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_charge_prepaid: Option<InstanceChargePrepaid>,
    /// Where to create the instances; effectively required unless a launch template is used.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub placement: Option<Placement>,
    /// The instance type, e.g. `S1.SMALL1`; the service picks one when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_type: Option<String>,
    /// The image ID (`img-xxxxxxxx`); effectively required unless a launch template is used.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub image_id: Option<String>,
    /// The system disk; the service's default when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub system_disk: Option<SystemDisk>,
    /// The data disks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_disks: Vec<DataDisk>,
    /// The VPC and subnet; the classic network when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub virtual_private_cloud: Option<VirtualPrivateCloud>,
    /// Public network access; no public bandwidth when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internet_accessible: Option<InternetAccessible>,
    /// How many instances to create; 1 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_count: Option<i64>,
    /// The minimum number of instances for partial fulfilment.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min_count: Option<i64>,
    /// The instance name (at most 128 characters; several instances get numeric suffixes).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_name: Option<String>,
    /// The login settings; a random password sent by console message when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub login_settings: Option<LoginSettings>,
    /// Security group IDs (`sg-xxxxxxxx`); the project's default group when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    /// The agents to enable; enabled by default for public images.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enhanced_service: Option<EnhancedService>,
    /// The idempotency key: unique per logical request, at most 64 ASCII characters, reused on retries.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
    /// The host name inside the operating system.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub host_name: Option<String>,
    /// A scheduled action, such as a timed termination.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action_timer: Option<ActionTimer>,
    /// Disaster recovery group IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disaster_recover_group_ids: Vec<String>,
    /// Tags to attach to the created resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag_specification: Vec<TagSpecification>,
    /// Market options (spot instances).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_market_options: Option<InstanceMarketOptionsRequest>,
    /// User data as base64 text (at most 16 KB); send such requests by POST.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_data: Option<String>,
    /// Custom metadata.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metadata: Option<Metadata>,
    /// When true, only validate parameters, quota and stock; nothing is created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dry_run: Option<bool>,
    /// The CPU topology.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cpu_topology: Option<CpuTopology>,
    /// The CAM role to bind.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cam_role_name: Option<String>,
    /// The high-performance computing cluster ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hpc_cluster_id: Option<String>,
    /// A launch template to create the instances from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub launch_template: Option<LaunchTemplate>,
    /// The dedicated cluster ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dedicated_cluster_id: Option<String>,
    /// CHC physical server IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chc_ids: Vec<String>,
    /// The partition number in a placement group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub partition_number: Option<i64>,
    /// Whether termination protection is on; false when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disable_api_termination: Option<bool>,
    /// Whether jumbo frames are enabled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enable_jumbo_frame: Option<bool>,
    /// Elastic network interfaces to attach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_interfaces: Vec<NetworkInterfaces>,
}

/// The reply to `RunInstances`: only the IDs; creation continues asynchronously.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RunInstancesResponse {
    /// The IDs of the instances being created; poll until `RUNNING` or `LAUNCH_FAILED`.
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_id_set: Vec<String>,
}

impl Action for RunInstancesRequest {
    const NAME: &'static str = "RunInstances";
    const READ_ONLY: bool = false;
    const CLIENT_TOKEN: Option<&'static str> = Some("ClientToken");
    type Output = RunInstancesResponse;

    /// Safe to resend when it carries a `ClientToken`, or when it is a dry run that creates nothing.
    fn is_idempotent(&self) -> bool {
        self.client_token.is_some() || self.dry_run == Some(true)
    }
}

/// `TerminateInstances`: destroys instances (a prepaid one first goes to the recycle bin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TerminateInstancesRequest {
    /// The instances (at most 100, all with the same billing type).
    pub instance_ids: Vec<String>,
    /// Whether to release their elastic IPs; false when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub release_address: Option<bool>,
    /// Whether to release their prepaid data disks; false when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub release_prepaid_data_disks: Option<bool>,
}

impl TerminateInstancesRequest {
    /// A request terminating `instance_ids` with default options.
    pub fn new<I, V>(instance_ids: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        TerminateInstancesRequest {
            instance_ids: instance_ids.into_iter().map(Into::into).collect(),
            ..Default::default()
        }
    }
}

/// The reply to `TerminateInstances` (nothing besides the request ID).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TerminateInstancesResponse {}

impl Action for TerminateInstancesRequest {
    const NAME: &'static str = "TerminateInstances";
    const READ_ONLY: bool = false;
    /// Terminating twice is terminating once.
    const IDEMPOTENT: bool = true;
    /// A repeat that finds the instance already going or gone.
    const ALREADY_DONE: &'static [&'static str] = &[
        "UnsupportedOperation.InstanceStateShuttingDown",
        "UnsupportedOperation.InstanceStateTerminating",
        "UnsupportedOperation.InstanceStateTerminated",
        "InvalidInstanceId.NotFound",
    ];
    type Output = TerminateInstancesResponse;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::tests::walkthrough;
    use serde_json::json;

    #[test]
    fn walkthrough_run_instances_serializes() {
        let value = serde_json::to_value(walkthrough()).expect("serializes");
        assert_eq!(
            value,
            json!({
                "Placement": {"Zone": "ap-guangzhou-2"},
                "InstanceChargeType": "POSTPAID_BY_HOUR",
                "ImageId": "img-pmqg1cw7",
                "InstanceType": "S1.SMALL1",
                "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
                "DataDisks": [{"DiskType": "LOCAL_BASIC", "DiskSize": 100}],
                "InternetAccessible": {
                    "InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
                    "InternetMaxBandwidthOut": 10,
                    "PublicIpAssigned": true
                },
                "InstanceCount": 1,
                "InstanceName": "QCLOUD-TEST",
                "LoginSettings": {"Password": "Qcloud@TestApi123++"},
                "EnhancedService": {
                    "SecurityService": {"Enabled": true},
                    "MonitorService": {"Enabled": true}
                }
            })
        );
        let back: RunInstancesRequest = serde_json::from_value(value).expect("parses back");
        assert_eq!(back, walkthrough());
    }
}
