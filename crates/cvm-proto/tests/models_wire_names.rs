//! Every wire name of PROTOCOL.md section 5 round-trips through its model type.
//!
//! Generated once from the spec's field lists: each case is an object holding every documented
//! member of one structure with a sample value; it must deserialize (request types reject unknown
//! keys) and serialize back to the same JSON (reply types would drop unknown keys).

use cvm_proto::models::*;
use serde::{de::DeserializeOwned, Serialize};

fn round_trip<T: Serialize + DeserializeOwned>(name: &str, text: &str) {
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let parsed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{name} does not accept {value}: {e}"));
    let again = serde_json::to_value(&parsed).expect("serializes");
    assert_eq!(again, value, "{name} does not round-trip");
}

#[test]
fn filter_wire_names() {
    round_trip::<Filter>(
        "Filter",
        r#"
        {
            "Name": "s",
            "Values": [
                "s"
            ]
        }
        "#,
    );
}

#[test]
fn instance_type_config_wire_names() {
    round_trip::<InstanceTypeConfig>(
        "InstanceTypeConfig",
        r#"
        {
            "Zone": "s",
            "InstanceType": "s",
            "InstanceFamily": "s",
            "GPU": 7,
            "CPU": 7,
            "Memory": 7,
            "FPGA": 7,
            "GpuCount": 1.5,
            "GpuType": "s",
            "GpuMemory": 1.5
        }
        "#,
    );
}

#[test]
fn instance_charge_prepaid_wire_names() {
    round_trip::<InstanceChargePrepaid>(
        "InstanceChargePrepaid",
        r#"
        {
            "Period": 7,
            "RenewFlag": "s"
        }
        "#,
    );
}

#[test]
fn placement_wire_names() {
    round_trip::<Placement>(
        "Placement",
        r#"
        {
            "Zone": "s",
            "ProjectId": 7,
            "HostIds": [
                "s"
            ],
            "HostId": "s",
            "DedicatedResourcePackTenancy": "s",
            "DedicatedResourcePackIds": [
                "s"
            ],
            "RackId": "s"
        }
        "#,
    );
}

#[test]
fn placement_info_wire_names() {
    round_trip::<Placement>(
        "Placement",
        r#"
        {
            "Zone": "s",
            "ProjectId": 7,
            "HostIds": [
                "s"
            ],
            "HostId": "s",
            "DedicatedResourcePackTenancy": "s",
            "DedicatedResourcePackIds": [
                "s"
            ],
            "RackId": "s"
        }
        "#,
    );
}

#[test]
fn system_disk_wire_names() {
    round_trip::<SystemDisk>(
        "SystemDisk",
        r#"
        {
            "DiskType": "s",
            "DiskId": "s",
            "DiskSize": 7,
            "CdcId": "s",
            "DiskName": "s",
            "Encrypt": true,
            "KmsKeyId": "s"
        }
        "#,
    );
}

#[test]
fn system_disk_info_wire_names() {
    round_trip::<SystemDisk>(
        "SystemDisk",
        r#"
        {
            "DiskType": "s",
            "DiskId": "s",
            "DiskSize": 7,
            "CdcId": "s",
            "DiskName": "s",
            "Encrypt": true,
            "KmsKeyId": "s"
        }
        "#,
    );
}

#[test]
fn data_disk_wire_names() {
    round_trip::<DataDisk>(
        "DataDisk",
        r#"
        {
            "DiskSize": 7,
            "DiskType": "s",
            "DiskId": "s",
            "DeleteWithInstance": true,
            "SnapshotId": "s",
            "Encrypt": true,
            "KmsKeyId": "s",
            "ThroughputPerformance": 7,
            "CdcId": "s",
            "BurstPerformance": true,
            "DiskName": "s"
        }
        "#,
    );
}

#[test]
fn data_disk_info_wire_names() {
    round_trip::<DataDisk>(
        "DataDisk",
        r#"
        {
            "DiskSize": 7,
            "DiskType": "s",
            "DiskId": "s",
            "DeleteWithInstance": true,
            "SnapshotId": "s",
            "Encrypt": true,
            "KmsKeyId": "s",
            "ThroughputPerformance": 7,
            "CdcId": "s",
            "BurstPerformance": true,
            "DiskName": "s"
        }
        "#,
    );
}

#[test]
fn virtual_private_cloud_wire_names() {
    round_trip::<VirtualPrivateCloud>(
        "VirtualPrivateCloud",
        r#"
        {
            "VpcId": "s",
            "SubnetId": "s",
            "AsVpcGateway": true,
            "PrivateIpAddresses": [
                "s"
            ],
            "Ipv6AddressCount": 7
        }
        "#,
    );
}

#[test]
fn virtual_private_cloud_info_wire_names() {
    round_trip::<VirtualPrivateCloud>(
        "VirtualPrivateCloud",
        r#"
        {
            "VpcId": "s",
            "SubnetId": "s",
            "AsVpcGateway": true,
            "PrivateIpAddresses": [
                "s"
            ],
            "Ipv6AddressCount": 7
        }
        "#,
    );
}

#[test]
fn internet_accessible_wire_names() {
    round_trip::<InternetAccessible>(
        "InternetAccessible",
        r#"
        {
            "InternetChargeType": "s",
            "InternetMaxBandwidthOut": 7,
            "PublicIpAssigned": true,
            "BandwidthPackageId": "s",
            "InternetServiceProvider": "s",
            "IPv4AddressType": "s",
            "IPv6AddressType": "s",
            "AntiDDoSPackageId": "s"
        }
        "#,
    );
}

#[test]
fn internet_accessible_info_wire_names() {
    round_trip::<InternetAccessible>(
        "InternetAccessible",
        r#"
        {
            "InternetChargeType": "s",
            "InternetMaxBandwidthOut": 7,
            "PublicIpAssigned": true,
            "BandwidthPackageId": "s",
            "InternetServiceProvider": "s",
            "IPv4AddressType": "s",
            "IPv6AddressType": "s",
            "AntiDDoSPackageId": "s"
        }
        "#,
    );
}

#[test]
fn login_settings_wire_names() {
    round_trip::<LoginSettings>(
        "LoginSettings",
        r#"
        {
            "Password": "s",
            "KeyIds": [
                "s"
            ],
            "KeepImageLogin": "s"
        }
        "#,
    );
}

#[test]
fn login_settings_info_wire_names() {
    round_trip::<LoginSettings>(
        "LoginSettings",
        r#"
        {
            "Password": "s",
            "KeyIds": [
                "s"
            ],
            "KeepImageLogin": "s"
        }
        "#,
    );
}

#[test]
fn enhanced_service_wire_names() {
    round_trip::<EnhancedService>(
        "EnhancedService",
        r#"
        {
            "SecurityService": {
                "Enabled": true
            },
            "MonitorService": {
                "Enabled": true
            },
            "AutomationService": {
                "Enabled": true
            }
        }
        "#,
    );
}

#[test]
fn action_timer_wire_names() {
    round_trip::<ActionTimer>(
        "ActionTimer",
        r#"
        {
            "TimerAction": "s",
            "ActionTime": "s",
            "Externals": {
                "ReleaseAddress": true,
                "UnsupportNetworks": [
                    "s"
                ],
                "StorageBlockAttr": {
                    "Type": "s",
                    "MinSize": 7,
                    "MaxSize": 7
                }
            },
            "ActionTimerId": "s",
            "Status": "s",
            "InstanceId": "s"
        }
        "#,
    );
}

#[test]
fn tag_specification_wire_names() {
    round_trip::<TagSpecification>(
        "TagSpecification",
        r#"
        {
            "ResourceType": "s",
            "Tags": [
                {
                    "Key": "s",
                    "Value": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn instance_market_options_request_wire_names() {
    round_trip::<InstanceMarketOptionsRequest>(
        "InstanceMarketOptionsRequest",
        r#"
        {
            "SpotOptions": {
                "MaxPrice": "s",
                "SpotInstanceType": "s"
            },
            "MarketType": "s"
        }
        "#,
    );
}

#[test]
fn metadata_wire_names() {
    round_trip::<Metadata>(
        "Metadata",
        r#"
        {
            "Items": [
                {
                    "Key": "s",
                    "Value": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn metadata_info_wire_names() {
    round_trip::<Metadata>(
        "Metadata",
        r#"
        {
            "Items": [
                {
                    "Key": "s",
                    "Value": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn cpu_topology_wire_names() {
    round_trip::<CpuTopology>(
        "CpuTopology",
        r#"
        {
            "CoreCount": 7,
            "ThreadPerCore": 7
        }
        "#,
    );
}

#[test]
fn cpu_topology_info_wire_names() {
    round_trip::<CpuTopology>(
        "CpuTopology",
        r#"
        {
            "CoreCount": 7,
            "ThreadPerCore": 7
        }
        "#,
    );
}

#[test]
fn launch_template_wire_names() {
    round_trip::<LaunchTemplate>(
        "LaunchTemplate",
        r#"
        {
            "LaunchTemplateId": "s",
            "LaunchTemplateVersion": 7
        }
        "#,
    );
}

#[test]
fn network_interfaces_wire_names() {
    round_trip::<NetworkInterfaces>(
        "NetworkInterfaces",
        r#"
        {
            "InterfaceType": "s",
            "VpcId": "s",
            "SubnetId": "s",
            "PrivateIpv4AddressCount": 7,
            "NetworkInterfaceId": "s",
            "SecurityGroupIds": [
                "s"
            ],
            "DeleteWithInstance": true
        }
        "#,
    );
}

#[test]
fn instance_wire_names() {
    round_trip::<Instance>(
        "Instance",
        r#"
        {
            "Placement": {
                "Zone": "s",
                "ProjectId": 7,
                "HostIds": [
                    "s"
                ],
                "HostId": "s",
                "DedicatedResourcePackTenancy": "s",
                "DedicatedResourcePackIds": [
                    "s"
                ],
                "RackId": "s"
            },
            "InstanceId": "s",
            "InstanceType": "s",
            "CPU": 7,
            "Memory": 7,
            "RestrictState": "s",
            "InstanceName": "s",
            "InstanceChargeType": "s",
            "SystemDisk": {
                "DiskType": "s",
                "DiskId": "s",
                "DiskSize": 7,
                "CdcId": "s",
                "DiskName": "s",
                "Encrypt": true,
                "KmsKeyId": "s"
            },
            "DataDisks": [
                {
                    "DiskSize": 7,
                    "DiskType": "s",
                    "DiskId": "s",
                    "DeleteWithInstance": true,
                    "SnapshotId": "s",
                    "Encrypt": true,
                    "KmsKeyId": "s",
                    "ThroughputPerformance": 7,
                    "CdcId": "s",
                    "BurstPerformance": true,
                    "DiskName": "s"
                }
            ],
            "PrivateIpAddresses": [
                "s"
            ],
            "PublicIpAddresses": [
                "s"
            ],
            "InternetAccessible": {
                "InternetChargeType": "s",
                "InternetMaxBandwidthOut": 7,
                "PublicIpAssigned": true,
                "BandwidthPackageId": "s",
                "InternetServiceProvider": "s",
                "IPv4AddressType": "s",
                "IPv6AddressType": "s",
                "AntiDDoSPackageId": "s"
            },
            "VirtualPrivateCloud": {
                "VpcId": "s",
                "SubnetId": "s",
                "AsVpcGateway": true,
                "PrivateIpAddresses": [
                    "s"
                ],
                "Ipv6AddressCount": 7
            },
            "ImageId": "s",
            "RenewFlag": "s",
            "CreatedTime": "s",
            "ExpiredTime": "s",
            "OsName": "s",
            "SecurityGroupIds": [
                "s"
            ],
            "LoginSettings": {
                "Password": "s",
                "KeyIds": [
                    "s"
                ],
                "KeepImageLogin": "s"
            },
            "InstanceState": "s",
            "Tags": [
                {
                    "Key": "s",
                    "Value": "s"
                }
            ],
            "StopChargingMode": "s",
            "Uuid": "s",
            "LatestOperation": "s",
            "LatestOperationState": "s",
            "LatestOperationRequestId": "s",
            "IPv6Addresses": [
                "s"
            ],
            "CamRoleName": "s",
            "HpcClusterId": "s",
            "RdmaIpAddresses": [
                "s"
            ],
            "DedicatedClusterId": "s",
            "IsolatedSource": "s",
            "DisasterRecoverGroupIds": [
                "s"
            ],
            "GPUInfo": {
                "GPUCount": 1.5,
                "GPUId": [
                    "s"
                ],
                "GPUType": "s"
            },
            "LicenseType": "s",
            "DisableApiTermination": true,
            "HostName": "s",
            "DefaultLoginUser": "s",
            "DefaultLoginPort": 7,
            "LatestOperationErrorMsg": "s",
            "EnableJumboFrame": true,
            "Metadata": {
                "Items": [
                    {
                        "Key": "s",
                        "Value": "s"
                    }
                ]
            },
            "PublicIPv6Addresses": [
                "s"
            ],
            "CpuTopology": {
                "CoreCount": 7,
                "ThreadPerCore": 7
            },
            "PartitionNumber": 7
        }
        "#,
    );
}

#[test]
fn instance_status_wire_names() {
    round_trip::<InstanceStatus>(
        "InstanceStatus",
        r#"
        {
            "InstanceId": "s",
            "InstanceState": "s"
        }
        "#,
    );
}

#[test]
fn zone_info_wire_names() {
    round_trip::<ZoneInfo>(
        "ZoneInfo",
        r#"
        {
            "Zone": "s",
            "ZoneName": "s",
            "ZoneId": "s",
            "ZoneState": "s"
        }
        "#,
    );
}

#[test]
fn region_info_wire_names() {
    round_trip::<RegionInfo>(
        "RegionInfo",
        r#"
        {
            "Region": "s",
            "RegionName": "s",
            "RegionState": "s"
        }
        "#,
    );
}

#[test]
fn image_wire_names() {
    round_trip::<Image>(
        "Image",
        r#"
        {
            "ImageId": "s",
            "OsName": "s",
            "ImageType": "s",
            "CreatedTime": "s",
            "ImageName": "s",
            "ImageDescription": "s",
            "ImageSize": 7,
            "Architecture": "s",
            "ImageState": "s",
            "Platform": "s",
            "ImageCreator": "s",
            "ImageSource": "s",
            "SyncPercent": 7,
            "IsSupportCloudinit": true,
            "SnapshotSet": [
                {
                    "SnapshotId": "s",
                    "DiskUsage": "s",
                    "DiskSize": 7
                }
            ],
            "Tags": [
                {
                    "Key": "s",
                    "Value": "s"
                }
            ],
            "LicenseType": "s",
            "ImageFamily": "s",
            "ImageDeprecated": true,
            "CdcCacheStatus": "s"
        }
        "#,
    );
}

#[test]
fn run_security_service_enabled_wire_names() {
    round_trip::<RunSecurityServiceEnabled>(
        "RunSecurityServiceEnabled",
        r#"
        {
            "Enabled": true
        }
        "#,
    );
}

#[test]
fn run_monitor_service_enabled_wire_names() {
    round_trip::<RunMonitorServiceEnabled>(
        "RunMonitorServiceEnabled",
        r#"
        {
            "Enabled": true
        }
        "#,
    );
}

#[test]
fn run_automation_service_enabled_wire_names() {
    round_trip::<RunAutomationServiceEnabled>(
        "RunAutomationServiceEnabled",
        r#"
        {
            "Enabled": true
        }
        "#,
    );
}

#[test]
fn externals_wire_names() {
    round_trip::<Externals>(
        "Externals",
        r#"
        {
            "ReleaseAddress": true,
            "UnsupportNetworks": [
                "s"
            ],
            "StorageBlockAttr": {
                "Type": "s",
                "MinSize": 7,
                "MaxSize": 7
            }
        }
        "#,
    );
}

#[test]
fn tag_wire_names() {
    round_trip::<Tag>(
        "Tag",
        r#"
        {
            "Key": "s",
            "Value": "s"
        }
        "#,
    );
}

#[test]
fn tag_info_wire_names() {
    round_trip::<Tag>(
        "Tag",
        r#"
        {
            "Key": "s",
            "Value": "s"
        }
        "#,
    );
}

#[test]
fn spot_market_options_wire_names() {
    round_trip::<SpotMarketOptions>(
        "SpotMarketOptions",
        r#"
        {
            "MaxPrice": "s",
            "SpotInstanceType": "s"
        }
        "#,
    );
}

#[test]
fn metadata_item_wire_names() {
    round_trip::<MetadataItem>(
        "MetadataItem",
        r#"
        {
            "Key": "s",
            "Value": "s"
        }
        "#,
    );
}

#[test]
fn metadata_item_info_wire_names() {
    round_trip::<MetadataItem>(
        "MetadataItem",
        r#"
        {
            "Key": "s",
            "Value": "s"
        }
        "#,
    );
}

#[test]
fn gpu_info_wire_names() {
    round_trip::<GPUInfo>(
        "GPUInfo",
        r#"
        {
            "GPUCount": 1.5,
            "GPUId": [
                "s"
            ],
            "GPUType": "s"
        }
        "#,
    );
}

#[test]
fn snapshot_wire_names() {
    round_trip::<Snapshot>(
        "Snapshot",
        r#"
        {
            "SnapshotId": "s",
            "DiskUsage": "s",
            "DiskSize": 7
        }
        "#,
    );
}

#[test]
fn storage_block_wire_names() {
    round_trip::<StorageBlock>(
        "StorageBlock",
        r#"
        {
            "Type": "s",
            "MinSize": 7,
            "MaxSize": 7
        }
        "#,
    );
}

#[test]
fn describe_instance_type_configs_request_wire_names() {
    round_trip::<DescribeInstanceTypeConfigsRequest>(
        "DescribeInstanceTypeConfigsRequest",
        r#"
        {
            "Filters": [
                {
                    "Name": "s",
                    "Values": [
                        "s"
                    ]
                }
            ]
        }
        "#,
    );
}

#[test]
fn describe_instance_type_configs_response_wire_names() {
    round_trip::<DescribeInstanceTypeConfigsResponse>(
        "DescribeInstanceTypeConfigsResponse",
        r#"
        {
            "InstanceTypeConfigSet": [
                {
                    "Zone": "s",
                    "InstanceType": "s",
                    "InstanceFamily": "s",
                    "GPU": 7,
                    "CPU": 7,
                    "Memory": 7,
                    "FPGA": 7,
                    "GpuCount": 1.5,
                    "GpuType": "s",
                    "GpuMemory": 1.5
                }
            ]
        }
        "#,
    );
}

#[test]
fn run_instances_request_wire_names() {
    round_trip::<RunInstancesRequest>(
        "RunInstancesRequest",
        r#"
        {
            "InstanceChargeType": "s",
            "InstanceChargePrepaid": {
                "Period": 7,
                "RenewFlag": "s"
            },
            "Placement": {
                "Zone": "s",
                "ProjectId": 7,
                "HostIds": [
                    "s"
                ],
                "HostId": "s",
                "DedicatedResourcePackTenancy": "s",
                "DedicatedResourcePackIds": [
                    "s"
                ],
                "RackId": "s"
            },
            "InstanceType": "s",
            "ImageId": "s",
            "SystemDisk": {
                "DiskType": "s",
                "DiskId": "s",
                "DiskSize": 7,
                "CdcId": "s",
                "DiskName": "s",
                "Encrypt": true,
                "KmsKeyId": "s"
            },
            "DataDisks": [
                {
                    "DiskSize": 7,
                    "DiskType": "s",
                    "DiskId": "s",
                    "DeleteWithInstance": true,
                    "SnapshotId": "s",
                    "Encrypt": true,
                    "KmsKeyId": "s",
                    "ThroughputPerformance": 7,
                    "CdcId": "s",
                    "BurstPerformance": true,
                    "DiskName": "s"
                }
            ],
            "VirtualPrivateCloud": {
                "VpcId": "s",
                "SubnetId": "s",
                "AsVpcGateway": true,
                "PrivateIpAddresses": [
                    "s"
                ],
                "Ipv6AddressCount": 7
            },
            "InternetAccessible": {
                "InternetChargeType": "s",
                "InternetMaxBandwidthOut": 7,
                "PublicIpAssigned": true,
                "BandwidthPackageId": "s",
                "InternetServiceProvider": "s",
                "IPv4AddressType": "s",
                "IPv6AddressType": "s",
                "AntiDDoSPackageId": "s"
            },
            "InstanceCount": 7,
            "MinCount": 7,
            "InstanceName": "s",
            "LoginSettings": {
                "Password": "s",
                "KeyIds": [
                    "s"
                ],
                "KeepImageLogin": "s"
            },
            "SecurityGroupIds": [
                "s"
            ],
            "EnhancedService": {
                "SecurityService": {
                    "Enabled": true
                },
                "MonitorService": {
                    "Enabled": true
                },
                "AutomationService": {
                    "Enabled": true
                }
            },
            "ClientToken": "s",
            "HostName": "s",
            "ActionTimer": {
                "TimerAction": "s",
                "ActionTime": "s",
                "Externals": {
                    "ReleaseAddress": true,
                    "UnsupportNetworks": [
                        "s"
                    ],
                    "StorageBlockAttr": {
                        "Type": "s",
                        "MinSize": 7,
                        "MaxSize": 7
                    }
                },
                "ActionTimerId": "s",
                "Status": "s",
                "InstanceId": "s"
            },
            "DisasterRecoverGroupIds": [
                "s"
            ],
            "TagSpecification": [
                {
                    "ResourceType": "s",
                    "Tags": [
                        {
                            "Key": "s",
                            "Value": "s"
                        }
                    ]
                }
            ],
            "InstanceMarketOptions": {
                "SpotOptions": {
                    "MaxPrice": "s",
                    "SpotInstanceType": "s"
                },
                "MarketType": "s"
            },
            "UserData": "s",
            "Metadata": {
                "Items": [
                    {
                        "Key": "s",
                        "Value": "s"
                    }
                ]
            },
            "DryRun": true,
            "CpuTopology": {
                "CoreCount": 7,
                "ThreadPerCore": 7
            },
            "CamRoleName": "s",
            "HpcClusterId": "s",
            "LaunchTemplate": {
                "LaunchTemplateId": "s",
                "LaunchTemplateVersion": 7
            },
            "DedicatedClusterId": "s",
            "ChcIds": [
                "s"
            ],
            "PartitionNumber": 7,
            "DisableApiTermination": true,
            "EnableJumboFrame": true,
            "NetworkInterfaces": [
                {
                    "InterfaceType": "s",
                    "VpcId": "s",
                    "SubnetId": "s",
                    "PrivateIpv4AddressCount": 7,
                    "NetworkInterfaceId": "s",
                    "SecurityGroupIds": [
                        "s"
                    ],
                    "DeleteWithInstance": true
                }
            ]
        }
        "#,
    );
}

#[test]
fn run_instances_response_wire_names() {
    round_trip::<RunInstancesResponse>(
        "RunInstancesResponse",
        r#"
        {
            "InstanceIdSet": [
                "s"
            ]
        }
        "#,
    );
}

#[test]
fn terminate_instances_request_wire_names() {
    round_trip::<TerminateInstancesRequest>(
        "TerminateInstancesRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ],
            "ReleaseAddress": true,
            "ReleasePrepaidDataDisks": true
        }
        "#,
    );
}

#[test]
fn terminate_instances_response_wire_names() {
    round_trip::<TerminateInstancesResponse>(
        "TerminateInstancesResponse",
        r#"
        {}
        "#,
    );
}

#[test]
fn describe_instances_request_wire_names() {
    round_trip::<DescribeInstancesRequest>(
        "DescribeInstancesRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ],
            "Filters": [
                {
                    "Name": "s",
                    "Values": [
                        "s"
                    ]
                }
            ],
            "Offset": 7,
            "Limit": 7
        }
        "#,
    );
}

#[test]
fn describe_instances_response_wire_names() {
    round_trip::<DescribeInstancesResponse>(
        "DescribeInstancesResponse",
        r#"
        {
            "TotalCount": 7,
            "InstanceSet": [
                {
                    "Placement": {
                        "Zone": "s",
                        "ProjectId": 7,
                        "HostIds": [
                            "s"
                        ],
                        "HostId": "s",
                        "DedicatedResourcePackTenancy": "s",
                        "DedicatedResourcePackIds": [
                            "s"
                        ],
                        "RackId": "s"
                    },
                    "InstanceId": "s",
                    "InstanceType": "s",
                    "CPU": 7,
                    "Memory": 7,
                    "RestrictState": "s",
                    "InstanceName": "s",
                    "InstanceChargeType": "s",
                    "SystemDisk": {
                        "DiskType": "s",
                        "DiskId": "s",
                        "DiskSize": 7,
                        "CdcId": "s",
                        "DiskName": "s",
                        "Encrypt": true,
                        "KmsKeyId": "s"
                    },
                    "DataDisks": [
                        {
                            "DiskSize": 7,
                            "DiskType": "s",
                            "DiskId": "s",
                            "DeleteWithInstance": true,
                            "SnapshotId": "s",
                            "Encrypt": true,
                            "KmsKeyId": "s",
                            "ThroughputPerformance": 7,
                            "CdcId": "s",
                            "BurstPerformance": true,
                            "DiskName": "s"
                        }
                    ],
                    "PrivateIpAddresses": [
                        "s"
                    ],
                    "PublicIpAddresses": [
                        "s"
                    ],
                    "InternetAccessible": {
                        "InternetChargeType": "s",
                        "InternetMaxBandwidthOut": 7,
                        "PublicIpAssigned": true,
                        "BandwidthPackageId": "s",
                        "InternetServiceProvider": "s",
                        "IPv4AddressType": "s",
                        "IPv6AddressType": "s",
                        "AntiDDoSPackageId": "s"
                    },
                    "VirtualPrivateCloud": {
                        "VpcId": "s",
                        "SubnetId": "s",
                        "AsVpcGateway": true,
                        "PrivateIpAddresses": [
                            "s"
                        ],
                        "Ipv6AddressCount": 7
                    },
                    "ImageId": "s",
                    "RenewFlag": "s",
                    "CreatedTime": "s",
                    "ExpiredTime": "s",
                    "OsName": "s",
                    "SecurityGroupIds": [
                        "s"
                    ],
                    "LoginSettings": {
                        "Password": "s",
                        "KeyIds": [
                            "s"
                        ],
                        "KeepImageLogin": "s"
                    },
                    "InstanceState": "s",
                    "Tags": [
                        {
                            "Key": "s",
                            "Value": "s"
                        }
                    ],
                    "StopChargingMode": "s",
                    "Uuid": "s",
                    "LatestOperation": "s",
                    "LatestOperationState": "s",
                    "LatestOperationRequestId": "s",
                    "IPv6Addresses": [
                        "s"
                    ],
                    "CamRoleName": "s",
                    "HpcClusterId": "s",
                    "RdmaIpAddresses": [
                        "s"
                    ],
                    "DedicatedClusterId": "s",
                    "IsolatedSource": "s",
                    "DisasterRecoverGroupIds": [
                        "s"
                    ],
                    "GPUInfo": {
                        "GPUCount": 1.5,
                        "GPUId": [
                            "s"
                        ],
                        "GPUType": "s"
                    },
                    "LicenseType": "s",
                    "DisableApiTermination": true,
                    "HostName": "s",
                    "DefaultLoginUser": "s",
                    "DefaultLoginPort": 7,
                    "LatestOperationErrorMsg": "s",
                    "EnableJumboFrame": true,
                    "Metadata": {
                        "Items": [
                            {
                                "Key": "s",
                                "Value": "s"
                            }
                        ]
                    },
                    "PublicIPv6Addresses": [
                        "s"
                    ],
                    "CpuTopology": {
                        "CoreCount": 7,
                        "ThreadPerCore": 7
                    },
                    "PartitionNumber": 7
                }
            ]
        }
        "#,
    );
}

#[test]
fn describe_instances_status_request_wire_names() {
    round_trip::<DescribeInstancesStatusRequest>(
        "DescribeInstancesStatusRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ],
            "Offset": 7,
            "Limit": 7
        }
        "#,
    );
}

#[test]
fn describe_instances_status_response_wire_names() {
    round_trip::<DescribeInstancesStatusResponse>(
        "DescribeInstancesStatusResponse",
        r#"
        {
            "TotalCount": 7,
            "InstanceStatusSet": [
                {
                    "InstanceId": "s",
                    "InstanceState": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn start_instances_request_wire_names() {
    round_trip::<StartInstancesRequest>(
        "StartInstancesRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ]
        }
        "#,
    );
}

#[test]
fn start_instances_response_wire_names() {
    round_trip::<StartInstancesResponse>(
        "StartInstancesResponse",
        r#"
        {}
        "#,
    );
}

#[test]
fn stop_instances_request_wire_names() {
    round_trip::<StopInstancesRequest>(
        "StopInstancesRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ],
            "StopType": "s",
            "StoppedMode": "s"
        }
        "#,
    );
}

#[test]
fn stop_instances_response_wire_names() {
    round_trip::<StopInstancesResponse>(
        "StopInstancesResponse",
        r#"
        {}
        "#,
    );
}

#[test]
fn reboot_instances_request_wire_names() {
    round_trip::<RebootInstancesRequest>(
        "RebootInstancesRequest",
        r#"
        {
            "InstanceIds": [
                "s"
            ],
            "StopType": "s"
        }
        "#,
    );
}

#[test]
fn reboot_instances_response_wire_names() {
    round_trip::<RebootInstancesResponse>(
        "RebootInstancesResponse",
        r#"
        {}
        "#,
    );
}

#[test]
fn describe_zones_request_wire_names() {
    round_trip::<DescribeZonesRequest>(
        "DescribeZonesRequest",
        r#"
        {}
        "#,
    );
}

#[test]
fn describe_zones_response_wire_names() {
    round_trip::<DescribeZonesResponse>(
        "DescribeZonesResponse",
        r#"
        {
            "TotalCount": 7,
            "ZoneSet": [
                {
                    "Zone": "s",
                    "ZoneName": "s",
                    "ZoneId": "s",
                    "ZoneState": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn describe_regions_request_wire_names() {
    round_trip::<DescribeRegionsRequest>(
        "DescribeRegionsRequest",
        r#"
        {}
        "#,
    );
}

#[test]
fn describe_regions_response_wire_names() {
    round_trip::<DescribeRegionsResponse>(
        "DescribeRegionsResponse",
        r#"
        {
            "TotalCount": 7,
            "RegionSet": [
                {
                    "Region": "s",
                    "RegionName": "s",
                    "RegionState": "s"
                }
            ]
        }
        "#,
    );
}

#[test]
fn describe_images_request_wire_names() {
    round_trip::<DescribeImagesRequest>(
        "DescribeImagesRequest",
        r#"
        {
            "ImageIds": [
                "s"
            ],
            "Filters": [
                {
                    "Name": "s",
                    "Values": [
                        "s"
                    ]
                }
            ],
            "Offset": 7,
            "Limit": 7,
            "InstanceType": "s"
        }
        "#,
    );
}

#[test]
fn describe_images_response_wire_names() {
    round_trip::<DescribeImagesResponse>(
        "DescribeImagesResponse",
        r#"
        {
            "ImageSet": [
                {
                    "ImageId": "s",
                    "OsName": "s",
                    "ImageType": "s",
                    "CreatedTime": "s",
                    "ImageName": "s",
                    "ImageDescription": "s",
                    "ImageSize": 7,
                    "Architecture": "s",
                    "ImageState": "s",
                    "Platform": "s",
                    "ImageCreator": "s",
                    "ImageSource": "s",
                    "SyncPercent": 7,
                    "IsSupportCloudinit": true,
                    "SnapshotSet": [
                        {
                            "SnapshotId": "s",
                            "DiskUsage": "s",
                            "DiskSize": 7
                        }
                    ],
                    "Tags": [
                        {
                            "Key": "s",
                            "Value": "s"
                        }
                    ],
                    "LicenseType": "s",
                    "ImageFamily": "s",
                    "ImageDeprecated": true,
                    "CdcCacheStatus": "s"
                }
            ],
            "TotalCount": 7
        }
        "#,
    );
}
