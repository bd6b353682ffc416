//! The account resources besides instances: key pairs, custom images, placement groups, launch
//! templates, action timers and prepaid orders, kept in the generated reply types and saved with
//! the rest of the state.

use cvm_proto::api::cvm::{
    ActionTimer, DisasterRecoverGroup, Image, KeyPair, LaunchTemplateVersionData, SharePermission,
};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything the emulator keeps besides instances; each list is in creation order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Resources {
    pub key_pairs: Vec<SimKeyPair>,
    pub images: Vec<SimImage>,
    pub groups: Vec<SimGroup>,
    pub templates: Vec<SimTemplate>,
    pub timers: Vec<SimTimer>,
    pub orders: Vec<Order>,
    /// The `UserData` last given for each instance, by instance id.
    pub user_data: BTreeMap<String, String>,
    /// How many times each instance was moved to a smaller type, by instance id.
    pub degrades: BTreeMap<String, i64>,
    /// The placement group each `CreateDisasterRecoverGroup` client token created, by token.
    pub group_tokens: BTreeMap<String, String>,
}

/// A key pair of one account in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SimKeyPair {
    pub owner: String,
    pub region: String,
    /// What `DescribeKeyPairs` reports (never the private key).
    pub model: KeyPair,
}

/// A custom image of one account in one region, and whom it is shared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SimImage {
    pub owner: String,
    pub region: String,
    /// What `DescribeImages` reports.
    pub model: Image,
    /// The accounts it is shared with, in the order they were added.
    pub shared_with: Vec<SharePermission>,
    /// When it leaves `CREATING` for `NORMAL`, in milliseconds on the request clock.
    pub ready_at_ms: Option<u64>,
}

/// A placement (disaster-recover) group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SimGroup {
    pub owner: String,
    pub region: String,
    /// What `DescribeDisasterRecoverGroups` reports; its `InstanceIds` are kept up to date.
    pub model: DisasterRecoverGroup,
}

/// A launch template and its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SimTemplate {
    pub owner: String,
    pub region: String,
    pub id: String,
    pub name: String,
    pub created: String,
    pub default_version: u64,
    /// The highest version number handed out so far (deleted ones are not reused).
    pub latest_version: u64,
    pub versions: Vec<TemplateVersion>,
}

/// One version of a launch template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TemplateVersion {
    pub number: u64,
    pub description: String,
    pub created: String,
    pub data: LaunchTemplateVersionData,
}

/// A scheduled start, stop or termination of an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SimTimer {
    pub owner: String,
    pub region: String,
    /// What `DescribeInstancesActionTimer` reports.
    pub model: ActionTimer,
}

/// One prepaid purchase or renewal the emulator charged, with the price `InquiryPrice*` quoted for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The account charged.
    pub owner: String,
    /// The action that placed the order, e.g. `RunInstances` or `RenewInstances`.
    pub action: String,
    /// The instances it concerns.
    pub instance_ids: Vec<String>,
    /// The discounted total, in the currency of the price table.
    pub amount: f64,
}
