//! Request-side structures: the strict (`deny_unknown_fields`) building blocks that requests
//! contain, such as [`Filter`], [`Placement`] and [`Tag`]. Those that replies also carry have an
//! `Info` twin in the `info` module.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Redacted;

/// A filter of a `Describe*` request: its values are OR-ed, different filters are AND-ed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Filter {
    /// The filter name in kebab-case, e.g. `zone` or `instance-state`.
    pub name: String,
    /// The accepted values.
    pub values: Vec<String>,
}

impl Filter {
    /// A filter on `name` accepting any of `values`, e.g. `Filter::new("zone", ["ap-guangzhou-2"])`.
    pub fn new<I, V>(name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        Filter {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

/// Billing of a prepaid (`PREPAID`) instance: the period and the renewal behaviour.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InstanceChargePrepaid {
    /// The purchase period in months: 1-12, 24, 36, 48 or 60.
    pub period: i64,
    /// `NOTIFY_AND_AUTO_RENEW`, `NOTIFY_AND_MANUAL_RENEW` (default) or `DISABLE_NOTIFY_AND_MANUAL_RENEW`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub renew_flag: Option<String>,
}

/// Where an instance is placed: its availability zone, project and dedicated hosts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Placement {
    /// The availability zone, e.g. `ap-guangzhou-2`.
    pub zone: String,
    /// The project ID; 0 (the default project) when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub project_id: Option<i64>,
    /// Dedicated host IDs to create the instance on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub host_ids: Vec<String>,
    /// The dedicated host ID to create the instance on.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub host_id: Option<String>,
    /// The tenancy of a dedicated resource pack.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dedicated_resource_pack_tenancy: Option<String>,
    /// Dedicated resource pack IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dedicated_resource_pack_ids: Vec<String>,
    /// The rack ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rack_id: Option<String>,
}

impl Placement {
    /// A placement in `zone` with every other member left to the service's defaults.
    pub fn new(zone: impl Into<String>) -> Self {
        Placement {
            zone: zone.into(),
            ..Default::default()
        }
    }
}

/// The system disk of an instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SystemDisk {
    /// The disk type, e.g. `LOCAL_BASIC`, `CLOUD_BASIC`, `CLOUD_SSD` or `CLOUD_PREMIUM`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_type: Option<String>,
    /// The disk ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_id: Option<String>,
    /// The size in GiB; 50 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_size: Option<i64>,
    /// The ID of the cloud dedicated cluster (CDC) the disk belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cdc_id: Option<String>,
    /// The disk name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_name: Option<String>,
    /// Whether the disk is encrypted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encrypt: Option<bool>,
    /// The KMS key used to encrypt the disk.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kms_key_id: Option<String>,
}

/// A data disk of an instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DataDisk {
    /// The size in GiB (in steps of 10).
    pub disk_size: i64,
    /// The disk type, as for the system disk plus `LOCAL_NVME` and `LOCAL_PRO`; `LOCAL_BASIC` when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_type: Option<String>,
    /// The disk ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_id: Option<String>,
    /// Whether the disk is destroyed with the instance; true when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delete_with_instance: Option<bool>,
    /// The snapshot to create the disk from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub snapshot_id: Option<String>,
    /// Whether the disk is encrypted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub encrypt: Option<bool>,
    /// The KMS key used to encrypt the disk.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kms_key_id: Option<String>,
    /// Extra throughput to buy, in MB/s.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub throughput_performance: Option<i64>,
    /// The ID of the cloud dedicated cluster (CDC) the disk belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cdc_id: Option<String>,
    /// Whether burst performance is enabled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub burst_performance: Option<bool>,
    /// The disk name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub disk_name: Option<String>,
}

impl DataDisk {
    /// A data disk of `disk_size` GiB and type `disk_type`, e.g. `DataDisk::new("CLOUD_SSD", 100)`.
    pub fn new(disk_type: impl Into<String>, disk_size: i64) -> Self {
        DataDisk {
            disk_size,
            disk_type: Some(disk_type.into()),
            ..Default::default()
        }
    }
}

/// The VPC and subnet an instance is attached to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct VirtualPrivateCloud {
    /// The VPC ID, e.g. `vpc-xxxxxxxx`.
    pub vpc_id: String,
    /// The subnet ID, e.g. `subnet-xxxxxxxx`.
    pub subnet_id: String,
    /// Whether the instance serves as a public gateway.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub as_vpc_gateway: Option<bool>,
    /// The private IPv4 addresses to assign; their number must equal `InstanceCount`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_ip_addresses: Vec<String>,
    /// How many IPv6 addresses to assign.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ipv6_address_count: Option<u64>,
}

/// Public network access of an instance: billing, bandwidth and public IP.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InternetAccessible {
    /// `BANDWIDTH_PREPAID`, `TRAFFIC_POSTPAID_BY_HOUR`, `BANDWIDTH_POSTPAID_BY_HOUR` or `BANDWIDTH_PACKAGE`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internet_charge_type: Option<String>,
    /// The maximum outbound bandwidth in Mbps; 0 (no public IP) when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internet_max_bandwidth_out: Option<i64>,
    /// Whether to assign a public IP; allowed only with a bandwidth above 0.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub public_ip_assigned: Option<bool>,
    /// The bandwidth package ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bandwidth_package_id: Option<String>,
    /// The internet service provider of the public IP.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internet_service_provider: Option<String>,
    /// The type of public IPv4 address.
    #[serde(
        rename = "IPv4AddressType",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub ipv4_address_type: Option<String>,
    /// The type of public IPv6 address.
    #[serde(
        rename = "IPv6AddressType",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub ipv6_address_type: Option<String>,
    /// The anti-DDoS package ID.
    #[serde(
        rename = "AntiDDoSPackageId",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub anti_ddos_package_id: Option<String>,
}

/// How to log in to a new instance: a password, SSH key IDs, or the image's own settings.
///
/// Its `Debug` output never shows the password.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LoginSettings {
    /// The login password (Linux 8-30 characters, Windows 12-30, from at least two character classes).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub password: Option<String>,
    /// SSH key IDs (`skey-xxxxxxxx`); not with a password, not for Windows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_ids: Vec<String>,
    /// Whether to keep the image's login settings: the string `"true"` or `"false"`, as the API types it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub keep_image_login: Option<String>,
}

impl fmt::Debug for LoginSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginSettings")
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field("key_ids", &self.key_ids)
            .field("keep_image_login", &self.keep_image_login)
            .finish()
    }
}

/// Whether the cloud security agent is enabled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RunSecurityServiceEnabled {
    /// Whether the service is enabled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enabled: Option<bool>,
}

/// Whether the cloud monitor agent is enabled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RunMonitorServiceEnabled {
    /// Whether the service is enabled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enabled: Option<bool>,
}

/// Whether the automation (TAT) agent is enabled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RunAutomationServiceEnabled {
    /// Whether the service is enabled.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub enabled: Option<bool>,
}

/// The agents (security, monitor, automation) to enable on a new instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EnhancedService {
    /// The cloud security agent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub security_service: Option<RunSecurityServiceEnabled>,
    /// The cloud monitor agent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub monitor_service: Option<RunMonitorServiceEnabled>,
    /// The automation (TAT) agent.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub automation_service: Option<RunAutomationServiceEnabled>,
}

/// Size bounds of a storage block, used by [`Externals`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StorageBlock {
    /// The storage type (wire name `Type`).
    #[serde(rename = "Type", skip_serializing_if = "Option::is_none", default)]
    pub r#type: Option<String>,
    /// The minimum size in GiB.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub min_size: Option<i64>,
    /// The maximum size in GiB.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_size: Option<i64>,
}

/// Extra settings of an [`ActionTimer`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Externals {
    /// Whether to release the public address when the timer fires.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub release_address: Option<bool>,
    /// Unsupported network types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupport_networks: Vec<String>,
    /// Storage block attributes.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub storage_block_attr: Option<StorageBlock>,
}

/// A scheduled action on an instance, such as a timed termination.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ActionTimer {
    /// The action, e.g. `TerminateInstances`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub timer_action: Option<String>,
    /// When the action runs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action_time: Option<String>,
    /// Extra settings.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub externals: Option<Externals>,
    /// The timer ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub action_timer_id: Option<String>,
    /// The timer status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<String>,
    /// The instance the timer belongs to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_id: Option<String>,
}

/// A tag: a key and its value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Tag {
    /// The tag key.
    pub key: String,
    /// The tag value.
    pub value: String,
}

impl Tag {
    /// A tag `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Tags to attach to the resources of one type created by a request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TagSpecification {
    /// The resource type, e.g. `instance`.
    pub resource_type: String,
    /// The tags.
    pub tags: Vec<Tag>,
}

/// Spot instance options: the maximum price and the request type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SpotMarketOptions {
    /// The maximum price, as a decimal string.
    pub max_price: String,
    /// The spot request type, e.g. `one-time`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub spot_instance_type: Option<String>,
}

/// Market options of a new instance (spot instances).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct InstanceMarketOptionsRequest {
    /// The spot options.
    pub spot_options: SpotMarketOptions,
    /// The market type, e.g. `spot`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub market_type: Option<String>,
}

/// One custom metadata entry of an instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct MetadataItem {
    /// The metadata key.
    pub key: String,
    /// The metadata value.
    pub value: String,
}

/// Custom metadata of an instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Metadata {
    /// The entries.
    pub items: Vec<MetadataItem>,
}

/// The CPU topology of an instance: cores and threads per core.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CpuTopology {
    /// The number of physical CPU cores.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub core_count: Option<i64>,
    /// The number of threads per core.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub thread_per_core: Option<i64>,
}

/// A launch template (and version) to create instances from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct LaunchTemplate {
    /// The launch template ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub launch_template_id: Option<String>,
    /// The template version; the default version when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub launch_template_version: Option<u64>,
}

/// An elastic network interface to attach to a new instance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct NetworkInterfaces {
    /// The interface type.
    pub interface_type: String,
    /// The VPC ID.
    pub vpc_id: String,
    /// The subnet ID.
    pub subnet_id: String,
    /// How many private IPv4 addresses to assign.
    pub private_ipv4_address_count: i64,
    /// An existing network interface ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub network_interface_id: Option<String>,
    /// Security group IDs of the interface.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_group_ids: Vec<String>,
    /// Whether the interface is deleted with the instance.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub delete_with_instance: Option<bool>,
}
