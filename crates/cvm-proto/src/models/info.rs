//! Reply-side twins of the request-side structures, named with the API's `Info` suffix: the
//! same wire names, every member optional, lists reading `null` as empty. Each has a `From`
//! conversion from its request-side type, which the emulator uses to echo what was requested;
//! the conversions never copy a password.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{
    null_as_empty, CpuTopology, DataDisk, InternetAccessible, LoginSettings, Metadata,
    MetadataItem, Placement, Redacted, SystemDisk, Tag, VirtualPrivateCloud,
};

/// Where an instance is placed, as a reply reports it (reply-side twin of [`Placement`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PlacementInfo {
    /// The availability zone, e.g. `ap-guangzhou-2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The project ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<i64>,
    /// Dedicated host IDs.
    #[serde(deserialize_with = "null_as_empty")]
    pub host_ids: Vec<String>,
    /// The dedicated host ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_id: Option<String>,
    /// The tenancy of a dedicated resource pack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedicated_resource_pack_tenancy: Option<String>,
    /// Dedicated resource pack IDs.
    #[serde(deserialize_with = "null_as_empty")]
    pub dedicated_resource_pack_ids: Vec<String>,
    /// The rack ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rack_id: Option<String>,
}

/// The system disk of an instance, as a reply reports it (reply-side twin of [`SystemDisk`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SystemDiskInfo {
    /// The disk type, e.g. `CLOUD_PREMIUM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_type: Option<String>,
    /// The disk ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_id: Option<String>,
    /// The size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<i64>,
    /// The ID of the cloud dedicated cluster (CDC) the disk belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdc_id: Option<String>,
    /// The disk name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_name: Option<String>,
    /// Whether the disk is encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypt: Option<bool>,
    /// The KMS key used to encrypt the disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

/// A data disk of an instance, as a reply reports it (reply-side twin of [`DataDisk`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DataDiskInfo {
    /// The size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<i64>,
    /// The disk type, e.g. `CLOUD_SSD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_type: Option<String>,
    /// The disk ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_id: Option<String>,
    /// Whether the disk is destroyed with the instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_with_instance: Option<bool>,
    /// The snapshot the disk was created from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// Whether the disk is encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encrypt: Option<bool>,
    /// The KMS key used to encrypt the disk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    /// Extra throughput in MB/s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_performance: Option<i64>,
    /// The ID of the cloud dedicated cluster (CDC) the disk belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdc_id: Option<String>,
    /// Whether burst performance is enabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burst_performance: Option<bool>,
    /// The disk name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_name: Option<String>,
}

/// The VPC and subnet of an instance, as a reply reports them (reply-side twin of [`VirtualPrivateCloud`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct VirtualPrivateCloudInfo {
    /// The VPC ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// The subnet ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    /// Whether the instance serves as a public gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_vpc_gateway: Option<bool>,
    /// The private IPv4 addresses.
    #[serde(deserialize_with = "null_as_empty")]
    pub private_ip_addresses: Vec<String>,
    /// The number of IPv6 addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_address_count: Option<u64>,
}

/// Public network access of an instance, as a reply reports it (reply-side twin of [`InternetAccessible`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InternetAccessibleInfo {
    /// The network billing type, e.g. `TRAFFIC_POSTPAID_BY_HOUR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_charge_type: Option<String>,
    /// The maximum outbound bandwidth in Mbps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_max_bandwidth_out: Option<i64>,
    /// Whether a public IP was requested (an input-only member the service normally does not return).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_ip_assigned: Option<bool>,
    /// The bandwidth package ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_package_id: Option<String>,
    /// The internet service provider of the public IP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet_service_provider: Option<String>,
    /// The type of public IPv4 address.
    #[serde(rename = "IPv4AddressType", skip_serializing_if = "Option::is_none")]
    pub ipv4_address_type: Option<String>,
    /// The type of public IPv6 address.
    #[serde(rename = "IPv6AddressType", skip_serializing_if = "Option::is_none")]
    pub ipv6_address_type: Option<String>,
    /// The anti-DDoS package ID.
    #[serde(rename = "AntiDDoSPackageId", skip_serializing_if = "Option::is_none")]
    pub anti_ddos_package_id: Option<String>,
}

/// Login settings of an instance, as a reply reports them (reply-side twin of [`LoginSettings`]).
///
/// The service does not return passwords; should one arrive, `Debug` still hides it.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoginSettingsInfo {
    /// The login password, normally absent from replies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// SSH key IDs bound to the instance.
    #[serde(deserialize_with = "null_as_empty")]
    pub key_ids: Vec<String>,
    /// Whether the image's login settings were kept (`"true"`/`"false"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_image_login: Option<String>,
}

impl fmt::Debug for LoginSettingsInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSettingsInfo")
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field("key_ids", &self.key_ids)
            .field("keep_image_login", &self.keep_image_login)
            .finish()
    }
}

/// A tag as a reply reports it (reply-side twin of [`Tag`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TagInfo {
    /// The tag key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The tag value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A metadata entry as a reply reports it (reply-side twin of [`MetadataItem`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MetadataItemInfo {
    /// The metadata key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The metadata value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Custom metadata of an instance as a reply reports it (reply-side twin of [`Metadata`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct MetadataInfo {
    /// The entries.
    #[serde(deserialize_with = "null_as_empty")]
    pub items: Vec<MetadataItemInfo>,
}

/// The CPU topology of an instance as a reply reports it (reply-side twin of [`CpuTopology`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CpuTopologyInfo {
    /// The number of physical CPU cores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub core_count: Option<i64>,
    /// The number of threads per core.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_per_core: Option<i64>,
}

// ---------------------------------------------------------------------------------------------
// Request-side to reply-side conversions (for the emulator)
// ---------------------------------------------------------------------------------------------

impl From<Placement> for PlacementInfo {
    fn from(p: Placement) -> Self {
        PlacementInfo {
            zone: Some(p.zone),
            project_id: p.project_id,
            host_ids: p.host_ids,
            host_id: p.host_id,
            dedicated_resource_pack_tenancy: p.dedicated_resource_pack_tenancy,
            dedicated_resource_pack_ids: p.dedicated_resource_pack_ids,
            rack_id: p.rack_id,
        }
    }
}

impl From<SystemDisk> for SystemDiskInfo {
    fn from(d: SystemDisk) -> Self {
        SystemDiskInfo {
            disk_type: d.disk_type,
            disk_id: d.disk_id,
            disk_size: d.disk_size,
            cdc_id: d.cdc_id,
            disk_name: d.disk_name,
            encrypt: d.encrypt,
            kms_key_id: d.kms_key_id,
        }
    }
}

impl From<DataDisk> for DataDiskInfo {
    fn from(d: DataDisk) -> Self {
        DataDiskInfo {
            disk_size: Some(d.disk_size),
            disk_type: d.disk_type,
            disk_id: d.disk_id,
            delete_with_instance: d.delete_with_instance,
            snapshot_id: d.snapshot_id,
            encrypt: d.encrypt,
            kms_key_id: d.kms_key_id,
            throughput_performance: d.throughput_performance,
            cdc_id: d.cdc_id,
            burst_performance: d.burst_performance,
            disk_name: d.disk_name,
        }
    }
}

impl From<VirtualPrivateCloud> for VirtualPrivateCloudInfo {
    fn from(v: VirtualPrivateCloud) -> Self {
        VirtualPrivateCloudInfo {
            vpc_id: Some(v.vpc_id),
            subnet_id: Some(v.subnet_id),
            as_vpc_gateway: v.as_vpc_gateway,
            private_ip_addresses: v.private_ip_addresses,
            ipv6_address_count: v.ipv6_address_count,
        }
    }
}

impl From<InternetAccessible> for InternetAccessibleInfo {
    /// Copies every member except the input-only `PublicIpAssigned`.
    fn from(i: InternetAccessible) -> Self {
        InternetAccessibleInfo {
            internet_charge_type: i.internet_charge_type,
            internet_max_bandwidth_out: i.internet_max_bandwidth_out,
            public_ip_assigned: None,
            bandwidth_package_id: i.bandwidth_package_id,
            internet_service_provider: i.internet_service_provider,
            ipv4_address_type: i.ipv4_address_type,
            ipv6_address_type: i.ipv6_address_type,
            anti_ddos_package_id: i.anti_ddos_package_id,
        }
    }
}

impl From<LoginSettings> for LoginSettingsInfo {
    /// Copies the key IDs and `KeepImageLogin` but never the password, which replies do not carry.
    fn from(l: LoginSettings) -> Self {
        LoginSettingsInfo {
            password: None,
            key_ids: l.key_ids,
            keep_image_login: l.keep_image_login,
        }
    }
}

impl From<Tag> for TagInfo {
    fn from(t: Tag) -> Self {
        TagInfo {
            key: Some(t.key),
            value: Some(t.value),
        }
    }
}

impl From<MetadataItem> for MetadataItemInfo {
    fn from(m: MetadataItem) -> Self {
        MetadataItemInfo {
            key: Some(m.key),
            value: Some(m.value),
        }
    }
}

impl From<Metadata> for MetadataInfo {
    fn from(m: Metadata) -> Self {
        MetadataInfo {
            items: m.items.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<CpuTopology> for CpuTopologyInfo {
    fn from(c: CpuTopology) -> Self {
        CpuTopologyInfo {
            core_count: c.core_count,
            thread_per_core: c.thread_per_core,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::tests::walkthrough;

    #[test]
    fn request_structures_convert_to_reply_twins() {
        let request = walkthrough();
        let placement = PlacementInfo::from(request.placement.clone().expect("set"));
        assert_eq!(placement.zone.as_deref(), Some("ap-guangzhou-2"));
        let login = LoginSettingsInfo::from(request.login_settings.clone().expect("set"));
        assert_eq!(login.password, None);
        let internet =
            InternetAccessibleInfo::from(request.internet_accessible.clone().expect("set"));
        assert_eq!(internet.internet_max_bandwidth_out, Some(10));
        assert_eq!(internet.public_ip_assigned, None);
        let disk = DataDiskInfo::from(request.data_disks[0].clone());
        assert_eq!(disk.disk_size, Some(100));
        let system = SystemDiskInfo::from(request.system_disk.clone().expect("set"));
        assert_eq!(system.disk_size, Some(50));
        let vpc = VirtualPrivateCloudInfo::from(VirtualPrivateCloud {
            vpc_id: "vpc-1".into(),
            subnet_id: "subnet-1".into(),
            ..Default::default()
        });
        assert_eq!(vpc.subnet_id.as_deref(), Some("subnet-1"));
        let metadata = MetadataInfo::from(Metadata {
            items: vec![MetadataItem {
                key: "k".into(),
                value: "v".into(),
            }],
        });
        assert_eq!(metadata.items[0].value.as_deref(), Some("v"));
        assert_eq!(TagInfo::from(Tag::new("a", "b")).key.as_deref(), Some("a"));
        let topology = CpuTopologyInfo::from(CpuTopology {
            core_count: Some(2),
            thread_per_core: Some(1),
        });
        assert_eq!(topology.core_count, Some(2));
    }
}
