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

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::action::Action;

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

// ---------------------------------------------------------------------------------------------
// Instance state
// ---------------------------------------------------------------------------------------------

/// The state of an instance (`Instance.InstanceState`, `InstanceStatus.InstanceState`), open to
/// values this crate does not know yet.
///
/// Always build it with [`str::parse`] or `From<&str>`, which map the documented values to their
/// variants; it (de)serializes as the plain wire string, and unknown values round-trip unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InstanceState {
    /// `PENDING`: being created.
    Pending,
    /// `LAUNCH_FAILED`: creation failed (terminal).
    LaunchFailed,
    /// `RUNNING`: running.
    Running,
    /// `STOPPED`: stopped.
    Stopped,
    /// `STARTING`: being started.
    Starting,
    /// `STOPPING`: being stopped.
    Stopping,
    /// `REBOOTING`: being rebooted.
    Rebooting,
    /// `SHUTDOWN`: stopped and awaiting destruction (e.g. a prepaid instance in the recycle bin).
    Shutdown,
    /// `TERMINATING`: being destroyed.
    Terminating,
    /// `ENTER_RESCUE_MODE`: entering rescue mode.
    EnterRescueMode,
    /// `RESCUE_MODE`: in rescue mode.
    RescueMode,
    /// `EXIT_RESCUE_MODE`: leaving rescue mode.
    ExitRescueMode,
    /// `ENTER_SERVICE_LIVE_MIGRATE`: entering a service live migration.
    EnterServiceLiveMigrate,
    /// `SERVICE_LIVE_MIGRATE`: in a service live migration.
    ServiceLiveMigrate,
    /// `EXIT_SERVICE_LIVE_MIGRATE`: leaving a service live migration.
    ExitServiceLiveMigrate,
    /// A value not documented when this crate was written, kept verbatim.
    Other(String),
}

impl InstanceState {
    /// The 15 documented states, in the order of the API documentation.
    pub const KNOWN: [InstanceState; 15] = [
        InstanceState::Pending,
        InstanceState::LaunchFailed,
        InstanceState::Running,
        InstanceState::Stopped,
        InstanceState::Starting,
        InstanceState::Stopping,
        InstanceState::Rebooting,
        InstanceState::Shutdown,
        InstanceState::Terminating,
        InstanceState::EnterRescueMode,
        InstanceState::RescueMode,
        InstanceState::ExitRescueMode,
        InstanceState::EnterServiceLiveMigrate,
        InstanceState::ServiceLiveMigrate,
        InstanceState::ExitServiceLiveMigrate,
    ];

    /// The wire spelling, e.g. `RUNNING`; an unknown state gives back its original text.
    pub fn as_str(&self) -> &str {
        match self {
            InstanceState::Pending => "PENDING",
            InstanceState::LaunchFailed => "LAUNCH_FAILED",
            InstanceState::Running => "RUNNING",
            InstanceState::Stopped => "STOPPED",
            InstanceState::Starting => "STARTING",
            InstanceState::Stopping => "STOPPING",
            InstanceState::Rebooting => "REBOOTING",
            InstanceState::Shutdown => "SHUTDOWN",
            InstanceState::Terminating => "TERMINATING",
            InstanceState::EnterRescueMode => "ENTER_RESCUE_MODE",
            InstanceState::RescueMode => "RESCUE_MODE",
            InstanceState::ExitRescueMode => "EXIT_RESCUE_MODE",
            InstanceState::EnterServiceLiveMigrate => "ENTER_SERVICE_LIVE_MIGRATE",
            InstanceState::ServiceLiveMigrate => "SERVICE_LIVE_MIGRATE",
            InstanceState::ExitServiceLiveMigrate => "EXIT_SERVICE_LIVE_MIGRATE",
            InstanceState::Other(other) => other,
        }
    }

    /// Whether the instance is moving between states on its own and should be polled again:
    /// `PENDING`, `STARTING`, `STOPPING`, `REBOOTING`, `TERMINATING` and the `ENTER_*`/`EXIT_*` states.
    ///
    /// `SHUTDOWN` (a recycle-bin state that lasts until a second terminate or expiry), the rescue and
    /// live-migration modes themselves, and unknown states are not transitional.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            InstanceState::Pending
                | InstanceState::Starting
                | InstanceState::Stopping
                | InstanceState::Rebooting
                | InstanceState::Terminating
                | InstanceState::EnterRescueMode
                | InstanceState::ExitRescueMode
                | InstanceState::EnterServiceLiveMigrate
                | InstanceState::ExitServiceLiveMigrate
        )
    }

    /// Whether this is one of the 15 documented states rather than [`InstanceState::Other`].
    pub fn is_known(&self) -> bool {
        !matches!(self, InstanceState::Other(_))
    }
}

impl From<&str> for InstanceState {
    fn from(s: &str) -> Self {
        InstanceState::KNOWN
            .iter()
            .find(|known| known.as_str() == s)
            .cloned()
            .unwrap_or_else(|| InstanceState::Other(s.to_owned()))
    }
}

impl From<String> for InstanceState {
    fn from(s: String) -> Self {
        match InstanceState::from(s.as_str()) {
            InstanceState::Other(_) => InstanceState::Other(s),
            known => known,
        }
    }
}

impl FromStr for InstanceState {
    type Err = Infallible;

    /// Maps a wire value (case-sensitive) to its state; never fails, unknown values become `Other`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(InstanceState::from(s))
    }
}

impl fmt::Display for InstanceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for InstanceState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InstanceState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(InstanceState::from)
    }
}

// ---------------------------------------------------------------------------------------------
// Request-side structures
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Reply-side structures
// ---------------------------------------------------------------------------------------------

/// An instance type available in a zone, with its CPU, memory and accelerators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InstanceTypeConfig {
    /// The availability zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The instance type, e.g. `S1.SMALL1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// The instance family, e.g. `S1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_family: Option<String>,
    /// The number of GPUs.
    #[serde(rename = "GPU", skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
    /// The number of CPU cores.
    #[serde(rename = "CPU", skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    /// The memory in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// The number of FPGAs.
    #[serde(rename = "FPGA", skip_serializing_if = "Option::is_none")]
    pub fpga: Option<i64>,
    /// The number of GPUs, fractional for vGPU types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_count: Option<f64>,
    /// The GPU model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    /// The GPU memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_memory: Option<f64>,
}

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

/// An availability zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ZoneInfo {
    /// The zone, e.g. `ap-guangzhou-2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    /// The display name of the zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    /// The numeric zone ID as a string, e.g. `"100002"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    /// `AVAILABLE` or `UNAVAILABLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_state: Option<String>,
}

/// A region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RegionInfo {
    /// The region, e.g. `ap-guangzhou`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The display name of the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    /// The region state, e.g. `AVAILABLE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_state: Option<String>,
}

/// A snapshot that an image is built from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Snapshot {
    /// The snapshot ID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// The kind of disk it was taken from, e.g. `SYSTEM_DISK`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_usage: Option<String>,
    /// The disk size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disk_size: Option<i64>,
}

/// A machine image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Image {
    /// The image ID, e.g. `img-xxxxxxxx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// The operating system name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_name: Option<String>,
    /// `PUBLIC_IMAGE`, `PRIVATE_IMAGE` or `SHARED_IMAGE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_type: Option<String>,
    /// When the image was created, RFC 3339 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_time: Option<String>,
    /// The image name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    /// The image description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_description: Option<String>,
    /// The image size in GiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_size: Option<i64>,
    /// `x86_64`, `arm` or `i386`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// `CREATING`, `NORMAL`, `CREATEFAILED`, `SYNCING`, `IMPORTING` or `IMPORTFAILED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_state: Option<String>,
    /// The operating system platform, e.g. `CentOS`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// The account that created the image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_creator: Option<String>,
    /// `OFFICIAL`, `CREATE_IMAGE` or `EXTERNAL_IMPORT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_source: Option<String>,
    /// Synchronization progress in percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_percent: Option<i64>,
    /// Whether the image supports cloud-init.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_support_cloudinit: Option<bool>,
    /// The snapshots the image is built from.
    #[serde(deserialize_with = "null_as_empty")]
    pub snapshot_set: Vec<Snapshot>,
    /// The tags.
    #[serde(deserialize_with = "null_as_empty")]
    pub tags: Vec<TagInfo>,
    /// The operating system license type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    /// The image family.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_family: Option<String>,
    /// Whether the image is deprecated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_deprecated: Option<bool>,
    /// The cache status in a cloud dedicated cluster (CDC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cdc_cache_status: Option<String>,
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

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

/// `DescribeInstanceTypeConfigs`: the instance types available in the region.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeInstanceTypeConfigsRequest {
    /// Filters by `zone`, `instance-family` or `instance-type` (at most 10, one value each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
}

/// The reply to `DescribeInstanceTypeConfigs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeInstanceTypeConfigsResponse {
    /// The matching instance types.
    #[serde(deserialize_with = "null_as_empty")]
    pub instance_type_config_set: Vec<InstanceTypeConfig>,
}

impl Action for DescribeInstanceTypeConfigsRequest {
    const NAME: &'static str = "DescribeInstanceTypeConfigs";
    type Output = DescribeInstanceTypeConfigsResponse;
}

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
    type Output = TerminateInstancesResponse;
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
    type Output = DescribeInstancesStatusResponse;
}

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
    type Output = RebootInstancesResponse;
}

/// `DescribeZones`: the availability zones of the request's `Region` (no action parameters).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeZonesRequest {}

/// The reply to `DescribeZones`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeZonesResponse {
    /// The number of zones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The zones.
    #[serde(deserialize_with = "null_as_empty")]
    pub zone_set: Vec<ZoneInfo>,
}

impl Action for DescribeZonesRequest {
    const NAME: &'static str = "DescribeZones";
    type Output = DescribeZonesResponse;
}

/// `DescribeRegions`: all regions (no action parameters; no `Region` needed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescribeRegionsRequest {}

/// The reply to `DescribeRegions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeRegionsResponse {
    /// The number of regions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The regions.
    #[serde(deserialize_with = "null_as_empty")]
    pub region_set: Vec<RegionInfo>,
}

impl Action for DescribeRegionsRequest {
    const NAME: &'static str = "DescribeRegions";
    type Output = DescribeRegionsResponse;
}

/// `DescribeImages`: lists images by ID or by filters, one page at a time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DescribeImagesRequest {
    /// The images to describe; not together with filters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_ids: Vec<String>,
    /// Filters (at most 10, five values each), e.g. `image-type` or `platform`; not together with IDs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// The index of the first result; 0 when omitted.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub offset: Option<u64>,
    /// The page size; 20 when omitted, at most 100.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub limit: Option<u64>,
    /// Only images usable by this instance type.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub instance_type: Option<String>,
}

/// The reply to `DescribeImages`: one page of images and the total count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeImagesResponse {
    /// The images of this page.
    #[serde(deserialize_with = "null_as_empty")]
    pub image_set: Vec<Image>,
    /// How many images match in total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
}

impl Action for DescribeImagesRequest {
    const NAME: &'static str = "DescribeImages";
    type Output = DescribeImagesResponse;
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn unknown_instance_state_round_trips() {
        let status: InstanceStatus = serde_json::from_value(
            json!({"InstanceId": "ins-1", "InstanceState": "FREEZING_SOLID"}),
        )
        .expect("parses");
        assert_eq!(
            status.instance_state,
            Some(InstanceState::Other("FREEZING_SOLID".into()))
        );
        assert_eq!(
            serde_json::to_value(&status).expect("serializes"),
            json!({"InstanceId": "ins-1", "InstanceState": "FREEZING_SOLID"})
        );
        let null_state: InstanceStatus =
            serde_json::from_value(json!({"InstanceState": null})).expect("parses");
        assert_eq!(null_state.instance_state, None);
    }

    #[test]
    fn instance_state_strings() {
        let mut seen = std::collections::HashSet::new();
        for state in InstanceState::KNOWN {
            assert!(state.is_known());
            assert!(seen.insert(state.as_str().to_owned()), "duplicate {state}");
            let parsed: InstanceState = state.as_str().parse().expect("infallible");
            assert_eq!(parsed, state);
            assert_eq!(state.to_string(), state.as_str());
            assert_eq!(InstanceState::from(state.as_str().to_owned()), state);
            let json = serde_json::to_value(&state).expect("serializes");
            assert_eq!(json, json!(state.as_str()));
            assert_eq!(
                serde_json::from_value::<InstanceState>(json).expect("parses"),
                state
            );
        }
        let other: InstanceState = "running".parse().expect("infallible");
        assert_eq!(other, InstanceState::Other("running".into()));
        assert!(!other.is_known());
        assert_eq!(other.as_str(), "running");
    }

    #[test]
    fn transitional_states() {
        let transitional: Vec<&str> = InstanceState::KNOWN
            .iter()
            .filter(|s| s.is_transitional())
            .map(InstanceState::as_str)
            .collect();
        assert_eq!(
            transitional,
            [
                "PENDING",
                "STARTING",
                "STOPPING",
                "REBOOTING",
                "TERMINATING",
                "ENTER_RESCUE_MODE",
                "EXIT_RESCUE_MODE",
                "ENTER_SERVICE_LIVE_MIGRATE",
                "EXIT_SERVICE_LIVE_MIGRATE",
            ]
        );
        assert!(!InstanceState::Other("NEW".into()).is_transitional());
    }

    fn walkthrough() -> RunInstancesRequest {
        RunInstancesRequest {
            placement: Some(Placement::new("ap-guangzhou-2")),
            instance_charge_type: Some("POSTPAID_BY_HOUR".into()),
            image_id: Some("img-pmqg1cw7".into()),
            instance_type: Some("S1.SMALL1".into()),
            system_disk: Some(SystemDisk {
                disk_type: Some("LOCAL_BASIC".into()),
                disk_size: Some(50),
                ..Default::default()
            }),
            data_disks: vec![DataDisk::new("LOCAL_BASIC", 100)],
            internet_accessible: Some(InternetAccessible {
                internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
                internet_max_bandwidth_out: Some(10),
                public_ip_assigned: Some(true),
                ..Default::default()
            }),
            instance_count: Some(1),
            instance_name: Some("QCLOUD-TEST".into()),
            login_settings: Some(LoginSettings {
                password: Some("Qcloud@TestApi123++".into()),
                ..Default::default()
            }),
            enhanced_service: Some(EnhancedService {
                security_service: Some(RunSecurityServiceEnabled {
                    enabled: Some(true),
                }),
                monitor_service: Some(RunMonitorServiceEnabled {
                    enabled: Some(true),
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

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

    #[test]
    fn passwords_never_in_debug() {
        let request = walkthrough();
        let debug = format!("{request:?}");
        assert!(!debug.contains("Qcloud@TestApi123++"), "{debug}");
        assert!(!format!("{request:#?}").contains("Qcloud@TestApi123++"));
        assert!(debug.contains("<redacted>"));
        assert!(debug.contains("QCLOUD-TEST"));

        let info = LoginSettingsInfo {
            password: Some("hunter2-secret".into()),
            ..Default::default()
        };
        let instance = Instance {
            login_settings: Some(info),
            ..Default::default()
        };
        assert!(!format!("{instance:?}").contains("hunter2-secret"));
    }

    #[test]
    fn unknown_request_fields_are_rejected() {
        assert!(serde_json::from_value::<RunInstancesRequest>(json!({"Bogus": 1})).is_err());
        assert!(serde_json::from_value::<RunInstancesRequest>(
            json!({"Placement": {"Zone": "ap-guangzhou-2", "Bogus": 1}})
        )
        .is_err());
        assert!(serde_json::from_value::<DescribeZonesRequest>(json!({"Bogus": 1})).is_err());
        assert!(serde_json::from_value::<DescribeInstancesRequest>(
            json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"], "X": 1}]})
        )
        .is_err());
        // Wire names only: the snake_case Rust name is unknown on the wire.
        assert!(serde_json::from_value::<RunInstancesRequest>(json!({"image_id": "x"})).is_err());
    }

    #[test]
    fn required_request_fields_are_required() {
        assert!(serde_json::from_value::<TerminateInstancesRequest>(json!({})).is_err());
        assert!(serde_json::from_value::<Filter>(json!({"Name": "zone"})).is_err());
        assert!(serde_json::from_value::<RunInstancesRequest>(json!({"Placement": {}})).is_err());
        let ok: TerminateInstancesRequest =
            serde_json::from_value(json!({"InstanceIds": ["ins-1"]})).expect("parses");
        assert_eq!(ok, TerminateInstancesRequest::new(["ins-1"]));
    }

    #[test]
    fn empty_requests_serialize_to_nothing() {
        assert_eq!(
            serde_json::to_value(DescribeZonesRequest {}).expect("serializes"),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(DescribeRegionsRequest {}).expect("serializes"),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(DescribeInstancesRequest::default()).expect("serializes"),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(RunInstancesRequest::default()).expect("serializes"),
            json!({})
        );
    }

    #[test]
    fn filter_and_id_constructors() {
        let request = DescribeInstancesRequest {
            filters: vec![Filter::new("zone", ["ap-guangzhou-2"])],
            limit: Some(100),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(request).expect("serializes"),
            json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"]}], "Limit": 100})
        );
        assert_eq!(
            serde_json::to_value(StopInstancesRequest::new(vec!["ins-1".to_owned()]))
                .expect("serializes"),
            json!({"InstanceIds": ["ins-1"]})
        );
        assert_eq!(
            StartInstancesRequest::new(["a", "b"]).instance_ids,
            vec!["a".to_owned(), "b".to_owned()]
        );
        assert_eq!(RebootInstancesRequest::new(["a"]).instance_ids.len(), 1);
        assert_eq!(Tag::new("k", "v").value, "v");
    }

    #[test]
    fn action_names_and_idempotency() {
        assert_eq!(RunInstancesRequest::NAME, "RunInstances");
        assert_eq!(
            DescribeInstanceTypeConfigsRequest::NAME,
            "DescribeInstanceTypeConfigs"
        );
        assert_eq!(TerminateInstancesRequest::NAME, "TerminateInstances");
        assert_eq!(DescribeInstancesRequest::NAME, "DescribeInstances");
        assert_eq!(
            DescribeInstancesStatusRequest::NAME,
            "DescribeInstancesStatus"
        );
        assert_eq!(StartInstancesRequest::NAME, "StartInstances");
        assert_eq!(StopInstancesRequest::NAME, "StopInstances");
        assert_eq!(RebootInstancesRequest::NAME, "RebootInstances");
        assert_eq!(DescribeZonesRequest::NAME, "DescribeZones");
        assert_eq!(DescribeRegionsRequest::NAME, "DescribeRegions");
        assert_eq!(DescribeImagesRequest::NAME, "DescribeImages");

        assert!(!walkthrough().is_idempotent());
        let with_token = RunInstancesRequest {
            client_token: Some("7d2b5e3c-token".into()),
            ..walkthrough()
        };
        assert!(with_token.is_idempotent());
        let dry_run = RunInstancesRequest {
            dry_run: Some(true),
            ..walkthrough()
        };
        assert!(dry_run.is_idempotent());
        assert!(DescribeInstancesRequest::default().is_idempotent());
        assert!(DescribeZonesRequest {}.is_idempotent());
        assert!(!TerminateInstancesRequest::new(["ins-1"]).is_idempotent());
        assert!(!StopInstancesRequest::new(["ins-1"]).is_idempotent());
    }

    #[test]
    fn other_replies_parse() {
        let zones: DescribeZonesResponse = serde_json::from_value(json!({
            "TotalCount": 2,
            "ZoneSet": [
                {"Zone": "ap-guangzhou-2", "ZoneName": "Guangzhou Zone 2", "ZoneId": "100002", "ZoneState": "AVAILABLE"},
                {"Zone": "ap-guangzhou-3", "ZoneName": "Guangzhou Zone 3", "ZoneId": "100003", "ZoneState": "UNAVAILABLE", "Extra": 1}
            ],
            "RequestId": "r-1"
        }))
        .expect("zones parse");
        assert_eq!(zones.total_count, Some(2));
        assert_eq!(zones.zone_set[0].zone_id.as_deref(), Some("100002"));

        let regions: DescribeRegionsResponse = serde_json::from_value(json!({
            "TotalCount": 1,
            "RegionSet": [{"Region": "ap-guangzhou", "RegionName": "South China (Guangzhou)", "RegionState": "AVAILABLE"}],
            "RequestId": "r-2"
        }))
        .expect("regions parse");
        assert_eq!(
            regions.region_set[0].region.as_deref(),
            Some("ap-guangzhou")
        );

        let images: DescribeImagesResponse = serde_json::from_value(json!({
            "ImageSet": [{
                "ImageId": "img-pmqg1cw7", "OsName": "CentOS 7.8 64bit", "ImageType": "PUBLIC_IMAGE",
                "CreatedTime": "2020-09-22T00:00:00+00:00", "ImageSize": 50, "Architecture": "x86_64",
                "ImageState": "NORMAL", "Platform": "CentOS", "ImageSource": "OFFICIAL",
                "SyncPercent": null, "IsSupportCloudinit": true,
                "SnapshotSet": [{"SnapshotId": "snap-1", "DiskUsage": "SYSTEM_DISK", "DiskSize": 50}],
                "Tags": null, "ImageDeprecated": false
            }],
            "TotalCount": 1,
            "RequestId": "r-3"
        }))
        .expect("images parse");
        assert_eq!(images.total_count, Some(1));
        assert_eq!(images.image_set[0].sync_percent, None);
        assert!(images.image_set[0].tags.is_empty());
        assert_eq!(images.image_set[0].snapshot_set[0].disk_size, Some(50));

        let types: DescribeInstanceTypeConfigsResponse = serde_json::from_value(json!({
            "InstanceTypeConfigSet": [{
                "Zone": "ap-guangzhou-2", "InstanceType": "S1.SMALL1", "InstanceFamily": "S1",
                "GPU": 0, "CPU": 1, "Memory": 1, "FPGA": 0, "GpuCount": 0.5, "GpuType": null, "GpuMemory": 0
            }],
            "RequestId": "r-4"
        }))
        .expect("types parse");
        let config = &types.instance_type_config_set[0];
        assert_eq!(
            (config.cpu, config.gpu, config.fpga),
            (Some(1), Some(0), Some(0))
        );
        assert_eq!(config.gpu_count, Some(0.5));
        assert_eq!(config.gpu_memory, Some(0.0));

        let status: DescribeInstancesStatusResponse = serde_json::from_value(json!({
            "TotalCount": 1,
            "InstanceStatusSet": [{"InstanceId": "ins-1", "InstanceState": "STOPPING"}],
            "RequestId": "r-5"
        }))
        .expect("status parses");
        assert_eq!(
            status.instance_status_set[0].instance_state,
            Some(InstanceState::Stopping)
        );

        let run: RunInstancesResponse = serde_json::from_value(
            json!({"InstanceIdSet": ["ins-1", "ins-2"], "RequestID": "r-6"}),
        )
        .expect("run parses");
        assert_eq!(run.instance_id_set.len(), 2);

        let empty: DescribeInstancesResponse =
            serde_json::from_value(json!({"InstanceSet": null, "RequestId": "r-7"}))
                .expect("null set parses");
        assert_eq!(empty, DescribeInstancesResponse::default());
        assert_eq!(
            serde_json::to_value(&empty).expect("serializes"),
            json!({"InstanceSet": []})
        );

        let ack = json!({"RequestId": "r-8"});
        serde_json::from_value::<TerminateInstancesResponse>(ack.clone()).expect("parses");
        serde_json::from_value::<StartInstancesResponse>(ack.clone()).expect("parses");
        serde_json::from_value::<StopInstancesResponse>(ack.clone()).expect("parses");
        serde_json::from_value::<RebootInstancesResponse>(ack).expect("parses");
    }

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
