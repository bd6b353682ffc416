//! Describing instances: `DescribeInstances` and `DescribeInstancesStatus`, and what they
//! report, [`Instance`] (with its [`GPUInfo`]) and [`InstanceStatus`].

use serde::{Deserialize, Serialize};

use super::{
    null_as_empty, CpuTopologyInfo, DataDiskInfo, Filter, InstanceState, InternetAccessibleInfo,
    LoginSettingsInfo, MetadataInfo, PlacementInfo, SystemDiskInfo, TagInfo,
    VirtualPrivateCloudInfo,
};
use crate::action::Action;

/// The GPUs of an instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GPUInfo {
    /// The number of GPUs, fractional for vGPU types.
    #[serde(rename = "GPUCount", skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<f64>,
    /// The GPU addresses.
    #[serde(rename = "GPUId", deserialize_with = "null_as_empty")]
    pub gpu_id: Vec<String>,
    /// The GPU model.
    #[serde(rename = "GPUType", skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
}

/// A CVM instance as `DescribeInstances` reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    /// Where the instance is placed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement: Option<PlacementInfo>,
    /// The instance ID, e.g. `ins-xxxxxxxx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The instance type, e.g. `S1.SMALL1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// The number of CPU cores.
    #[serde(rename = "CPU", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// The memory in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// `NORMAL`, `EXPIRED` or `PROTECTIVELY_ISOLATED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restrict_state: Option<String>,
    /// The instance name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
    /// The billing type, e.g. `POSTPAID_BY_HOUR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_charge_type: Option<String>,
    /// The system disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_disk: Option<SystemDiskInfo>,
    /// The data disks.
    #[serde(deserialize_with = "null_as_empty")]
    pub data_disks: Vec<DataDiskInfo>,
    /// The private IPv4 addresses.
    #[serde(deserialize_with = "null_as_empty")]
    pub private_ip_addresses: Vec<String>,
    /// The public IPv4 addresses (JSON `null` when there are none).
    #[serde(deserialize_with = "null_as_empty")]
    pub public_ip_addresses: Vec<String>,
    /// Public network access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_accessible: Option<InternetAccessibleInfo>,
    /// The VPC and subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub virtual_private_cloud: Option<VirtualPrivateCloudInfo>,
    /// The image the instance was created from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The renewal flag of a prepaid instance; absent or `null` for postpaid ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renew_flag: Option<String>,
    /// When the instance was created, RFC 3339 UTC (`...Z` or `...+00:00`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// When a prepaid instance expires, RFC 3339 UTC; absent or `null` for postpaid ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired_time: Option<String>,
    /// The operating system name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_name: Option<String>,
    /// The security group IDs.
    #[serde(deserialize_with = "null_as_empty")]
    pub security_group_ids: Vec<String>,
    /// The login settings (key IDs; never the password).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_settings: Option<LoginSettingsInfo>,
    /// The instance state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_state: Option<InstanceState>,
    /// The tags.
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<TagInfo>,
    /// `KEEP_CHARGING`, `STOP_CHARGING` or `NOT_APPLICABLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_charging_mode: Option<String>,
    /// The globally unique ID of the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// The latest operation, e.g. `StopInstances`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_operation: Option<String>,
    /// The state of the latest operation: `SUCCESS`, `OPERATING` or `FAILED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_operation_state: Option<String>,
    /// The request ID of the latest operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_operation_request_id: Option<String>,
    /// The IPv6 addresses.
    #[serde(rename = "IPv6Addresses", deserialize_with = "null_as_empty")]
    pub ipv6_addresses: Vec<String>,
    /// The CAM role name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cam_role_name: Option<String>,
    /// The high-performance computing cluster ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hpc_cluster_id: Option<String>,
    /// The RDMA IP addresses of a high-performance computing cluster.
    #[serde(deserialize_with = "null_as_empty")]
    pub rdma_ip_addresses: Vec<String>,
    /// The dedicated cluster ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedicated_cluster_id: Option<String>,
    /// Why the instance is isolated: `ARREAR`, `EXPIRE`, `MANMADE` or `NOTISOLATED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isolated_source: Option<String>,
    /// The disaster recovery group IDs.
    #[serde(deserialize_with = "null_as_empty")]
    pub disaster_recover_group_ids: Vec<String>,
    /// The GPUs.
    #[serde(rename = "GPUInfo", skip_serializing_if = "Option::is_none")]
    pub gpu_info: Option<GPUInfo>,
    /// The operating system license type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    /// Whether termination protection is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_api_termination: Option<bool>,
    /// The host name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// The default login user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_login_user: Option<String>,
    /// The default login port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_login_port: Option<i64>,
    /// The error message of the latest operation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest_operation_error_msg: Option<String>,
    /// Whether jumbo frames are enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_jumbo_frame: Option<bool>,
    /// Custom metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<MetadataInfo>,
    /// The public IPv6 addresses.
    #[serde(rename = "PublicIPv6Addresses", deserialize_with = "null_as_empty")]
    pub public_ipv6_addresses: Vec<String>,
    /// The CPU topology.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_topology: Option<CpuTopologyInfo>,
    /// The partition number in a placement group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition_number: Option<i64>,
}

/// The state of one instance as `DescribeInstancesStatus` reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceStatus {
    /// The instance ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The instance state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_state: Option<InstanceState>,
}

/// `DescribeInstances`: lists instances by ID or by filters, one page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeInstancesRequest {
    /// The instances to describe (at most 100); not together with filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_ids: Vec<String>,
    /// Filters (at most 10, five values each), e.g. `zone` or `instance-state`; not together with IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// The index of the first result; 0 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<i64>,
    /// The page size; 20 when omitted, at most 100.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<i64>,
}

/// The reply to `DescribeInstances`: one page of instances and the total count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstancesResponse {
    /// How many instances match in total (not the page size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The instances of this page.
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_set: Vec<Instance>,
}

impl Action for DescribeInstancesRequest {
    const NAME: &'static str = "DescribeInstances";
    const READ_ONLY: bool = true;
    type Output = DescribeInstancesResponse;
}

/// `DescribeInstancesStatus`: the states of instances, one page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeInstancesStatusRequest {
    /// The instances to describe (at most 100); all instances when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instance_ids: Vec<String>,
    /// The index of the first result; 0 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<i64>,
    /// The page size; 20 when omitted, at most 100.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<i64>,
}

/// The reply to `DescribeInstancesStatus`: one page of states and the total count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstancesStatusResponse {
    /// How many instances match in total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The states of this page.
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_status_set: Vec<InstanceStatus>,
}

impl Action for DescribeInstancesStatusRequest {
    const NAME: &'static str = "DescribeInstancesStatus";
    const READ_ONLY: bool = true;
    type Output = DescribeInstancesStatusResponse;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{InstanceState, LoginSettingsInfo, TagInfo};
    use serde_json::json;

    fn describe_instances_reply() -> serde_json::Value {
        serde_json::from_str(
            r#"{
            "TotalCount": 2,
            "InstanceSet": [
                {
                    "Placement": {
                        "Zone": "ap-guangzhou-2",
                        "ProjectId": 0,
                        "HostId": null,
                        "HostIds": null,
                        "NewPlacementField": {"Nested": [1, 2]}
                    },
                    "InstanceId": "ins-xlsmtqad",
                    "Uuid": "68b510db-b4c1-4630-a62b-73d0c7c970f9",
                    "InstanceState": "RUNNING",
                    "InstanceType": "S1.SMALL1",
                    "CPU": 1,
                    "Memory": 1,
                    "RestrictState": "NORMAL",
                    "InstanceName": "QCLOUD-TEST",
                    "InstanceChargeType": "POSTPAID_BY_HOUR",
                    "SystemDisk": {
                        "DiskType": "LOCAL_BASIC",
                        "DiskId": "disk-a1b2c3d4",
                        "DiskSize": 50,
                        "CdcId": null
                    },
                    "DataDisks": [
                        {
                            "DiskSize": 100,
                            "DiskType": "LOCAL_BASIC",
                            "DiskId": "disk-e5f6g7h8",
                            "DeleteWithInstance": true,
                            "SnapshotId": null,
                            "Encrypt": false,
                            "KmsKeyId": null,
                            "ThroughputPerformance": 0,
                            "CdcId": null
                        }
                    ],
                    "PrivateIpAddresses": ["10.0.0.12"],
                    "PublicIpAddresses": null,
                    "InternetAccessible": {
                        "InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
                        "InternetMaxBandwidthOut": 10,
                        "IPv4AddressType": "WanIP"
                    },
                    "VirtualPrivateCloud": {
                        "VpcId": "vpc-jdnsjskd",
                        "SubnetId": "subnet-a1s2d3f4",
                        "AsVpcGateway": false,
                        "PrivateIpAddresses": ["10.0.0.12"],
                        "Ipv6AddressCount": 0
                    },
                    "ImageId": "img-pmqg1cw7",
                    "RenewFlag": null,
                    "CreatedTime": "2020-09-22T00:00:00+00:00",
                    "ExpiredTime": null,
                    "OsName": "CentOS 7.8 64bit",
                    "SecurityGroupIds": ["sg-p1ezv4wz"],
                    "LoginSettings": {"Password": null, "KeyIds": null, "KeepImageLogin": null},
                    "Tags": [{"Key": "env", "Value": "test"}],
                    "StopChargingMode": "NOT_APPLICABLE",
                    "LatestOperation": "RunInstances",
                    "LatestOperationState": "SUCCESS",
                    "LatestOperationRequestId": "c7de1287-061d-4ace-8caf-6ad8e5a2f29a",
                    "LatestOperationErrorMsg": null,
                    "IPv6Addresses": null,
                    "CamRoleName": null,
                    "HpcClusterId": "",
                    "RdmaIpAddresses": null,
                    "DedicatedClusterId": "",
                    "IsolatedSource": "NOTISOLATED",
                    "DisasterRecoverGroupIds": [],
                    "GPUInfo": null,
                    "LicenseType": "TencentCloud",
                    "DisableApiTermination": false,
                    "HostName": "VM-0-12-centos",
                    "DefaultLoginUser": "root",
                    "DefaultLoginPort": 22,
                    "EnableJumboFrame": false,
                    "Metadata": {"Items": [{"Key": "role", "Value": "web"}]},
                    "PublicIPv6Addresses": [],
                    "CpuTopology": {"CoreCount": null, "ThreadPerCore": null},
                    "PartitionNumber": 0,
                    "SomeFutureField": {"Whatever": true}
                },
                {
                    "InstanceId": "ins-7ok2kw2z",
                    "InstanceState": "HIBERNATING",
                    "CreatedTime": "2021-03-01T12:30:00Z",
                    "InstanceChargeType": "PREPAID",
                    "RenewFlag": "NOTIFY_AND_MANUAL_RENEW",
                    "ExpiredTime": "2021-04-01T12:30:00Z",
                    "PublicIpAddresses": ["203.0.113.7"],
                    "GPUInfo": {"GPUCount": 0.25, "GPUId": ["gpu-1"], "GPUType": "T4"}
                }
            ],
            "RequestId": "6ef60bec-0242-43af-bb20-270359fb54a7"
        }"#,
        )
        .expect("valid JSON")
    }

    #[test]
    fn describe_instances_reply_parses() {
        let reply: DescribeInstancesResponse =
            serde_json::from_value(describe_instances_reply()).expect("reply parses");
        assert_eq!(reply.total_count, Some(2));
        assert_eq!(reply.instance_set.len(), 2);

        let first = &reply.instance_set[0];
        assert_eq!(first.instance_id.as_deref(), Some("ins-xlsmtqad"));
        assert_eq!(first.instance_state, Some(InstanceState::Running));
        assert_eq!(first.cpu, Some(1));
        assert_eq!(
            first.placement.as_ref().and_then(|p| p.zone.as_deref()),
            Some("ap-guangzhou-2")
        );
        assert!(first
            .placement
            .as_ref()
            .is_some_and(|p| p.host_ids.is_empty()));
        assert!(first.public_ip_addresses.is_empty());
        assert!(first.ipv6_addresses.is_empty());
        assert!(first.rdma_ip_addresses.is_empty());
        assert_eq!(first.renew_flag, None);
        assert_eq!(first.expired_time, None);
        assert_eq!(
            first.created_time.as_deref(),
            Some("2020-09-22T00:00:00+00:00")
        );
        assert_eq!(first.data_disks.len(), 1);
        assert_eq!(first.data_disks[0].disk_size, Some(100));
        assert_eq!(first.data_disks[0].delete_with_instance, Some(true));
        assert_eq!(
            first
                .internet_accessible
                .as_ref()
                .and_then(|i| i.internet_max_bandwidth_out),
            Some(10)
        );
        assert_eq!(
            first
                .internet_accessible
                .as_ref()
                .and_then(|i| i.ipv4_address_type.as_deref()),
            Some("WanIP")
        );
        assert_eq!(
            first
                .virtual_private_cloud
                .as_ref()
                .and_then(|v| v.vpc_id.as_deref()),
            Some("vpc-jdnsjskd")
        );
        assert_eq!(
            first.tags,
            vec![TagInfo {
                key: Some("env".into()),
                value: Some("test".into())
            }]
        );
        assert_eq!(first.metadata.as_ref().map(|m| m.items.len()), Some(1));
        assert_eq!(first.login_settings, Some(LoginSettingsInfo::default()));
        assert_eq!(first.gpu_info, None);
        assert_eq!(first.default_login_port, Some(22));
        assert_eq!(first.latest_operation_state.as_deref(), Some("SUCCESS"));

        let second = &reply.instance_set[1];
        assert_eq!(
            second.instance_state,
            Some(InstanceState::Other("HIBERNATING".into()))
        );
        assert_eq!(second.created_time.as_deref(), Some("2021-03-01T12:30:00Z"));
        assert_eq!(second.public_ip_addresses, vec!["203.0.113.7".to_owned()]);
        let gpu = second.gpu_info.as_ref().expect("GPUInfo present");
        assert_eq!(gpu.gpu_count, Some(0.25));
        assert_eq!(gpu.gpu_id, vec!["gpu-1".to_owned()]);
        assert_eq!(gpu.gpu_type.as_deref(), Some("T4"));
        assert_eq!(second.placement, None);
    }

    #[test]
    fn reply_reserializes_with_absent_members_omitted() {
        let reply: DescribeInstancesResponse =
            serde_json::from_value(describe_instances_reply()).expect("reply parses");
        let again = serde_json::to_value(&reply).expect("serializes");
        let second = &again["InstanceSet"][1];
        assert_eq!(second["InstanceState"], json!("HIBERNATING"));
        assert_eq!(second["GPUInfo"]["GPUCount"], json!(0.25));
        assert!(second.get("Placement").is_none());
        assert!(second.get("ImageId").is_none());
        assert_eq!(second["Tags"], json!([]));
        assert!(again.get("RequestId").is_none());
        // Serializing and parsing again gives the same value.
        let back: DescribeInstancesResponse = serde_json::from_value(again).expect("parses");
        assert_eq!(back, reply);
    }
}
