//! Emulator configuration: accounts, catalog, quotas, rate limits, virtual durations, clock skew and faults.

use std::fmt;
use std::time::Duration;

use cvm_proto::models::Image;
use serde::{Deserialize, Serialize};

use crate::catalog;
use crate::error::SimError;
use crate::price_table::PriceTable;

/// The secret id of the default test account.
pub const DEFAULT_SECRET_ID: &str = "AKIDsimEXAMPLE1234567890abcdefghijkl";
/// The secret key of the default test account (a test credential, printed by `serve_forever`).
pub const DEFAULT_SECRET_KEY: &str = "simsecretEXAMPLE1234567890abcdef";

/// The default of [`SimConfig::max_nonces`]: 2^20 triples, at most about 72 MiB of memory (see
/// the crate documentation, "The replay cache").
pub const DEFAULT_MAX_NONCES: usize = 1 << 20;

/// Reads and writes a [`Duration`] as whole milliseconds.
mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

/// Everything a [`crate::Sim`] starts from; `Default` is a realistic setup with one test account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Seed of every random choice (ids, addresses, request ids, faults), for reproducible runs.
    pub seed: u64,
    /// The accounts whose credentials are accepted.
    pub accounts: Vec<AccountConfig>,
    /// The regions served, each with its zones.
    pub regions: Vec<RegionConfig>,
    /// The instance-type catalog.
    pub instance_types: Vec<InstanceTypeSpec>,
    /// The images, in the API's own reply format.
    pub images: Vec<Image>,
    /// Resource quotas.
    pub quotas: Quotas,
    /// The per-SecretId, per-action request rate limit; `None` disables it.
    pub rate_limit: Option<RateLimit>,
    /// How long each state transition takes in virtual time.
    pub transitions: Transitions,
    /// Seconds added to the caller's clock to get the emulator's clock, to simulate skew.
    pub clock_offset_secs: i64,
    /// The largest accepted distance between `Timestamp` and the emulator's clock, in seconds.
    pub timestamp_window_secs: u64,
    /// The most (SecretId, Nonce, Timestamp) triples remembered at once to answer
    /// `InvalidRequest.ReplayAttack`; while that many are inside the window, further signature-v1
    /// requests are answered `RequestLimitExceeded` rather than forgetting one (see the crate
    /// documentation, "The replay cache", for the memory this bounds).
    pub max_nonces: usize,
    /// Faults to inject, checked in order; the first one that fires applies.
    pub faults: Vec<FaultRule>,
    /// Limits of the HTTP shell.
    pub http: HttpConfig,
    /// The STS and instance metadata side: credential lifetime, instance role, OIDC providers.
    pub sts: crate::sts::StsConfig,
    /// What instances, disks and bandwidth cost, for `InquiryPrice*` and prepaid orders.
    pub prices: PriceTable,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 0x5eed,
            accounts: vec![AccountConfig::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)],
            regions: catalog::regions(),
            instance_types: catalog::instance_types(),
            images: catalog::images(),
            quotas: Quotas::default(),
            rate_limit: Some(RateLimit::default()),
            transitions: Transitions::default(),
            clock_offset_secs: 0,
            timestamp_window_secs: 300,
            max_nonces: DEFAULT_MAX_NONCES,
            faults: Vec::new(),
            http: HttpConfig::default(),
            sts: crate::sts::StsConfig::default(),
            prices: PriceTable::default(),
        }
    }
}

impl SimConfig {
    /// Parses a JSON configuration; members left out keep their default values.
    pub fn from_json(text: &str) -> Result<Self, SimError> {
        serde_json::from_str(text).map_err(|e| SimError::Config(e.to_string()))
    }

    /// The same configuration with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The same configuration with one more account.
    pub fn with_account(mut self, account: AccountConfig) -> Self {
        self.accounts.push(account);
        self
    }

    /// The same configuration with exactly these accounts.
    pub fn with_accounts(mut self, accounts: Vec<AccountConfig>) -> Self {
        self.accounts = accounts;
        self
    }

    /// The same configuration with another rate limit (`None` disables it).
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// The same configuration with other transition durations.
    pub fn with_transitions(mut self, transitions: Transitions) -> Self {
        self.transitions = transitions;
        self
    }

    /// The same configuration with another instance quota per account and region.
    pub fn with_max_instances(mut self, max: u32) -> Self {
        self.quotas.max_instances_per_region = max;
        self
    }

    /// The same configuration with the emulator's clock `secs` seconds ahead of the caller's (negative: behind).
    pub fn with_clock_offset(mut self, secs: i64) -> Self {
        self.clock_offset_secs = secs;
        self
    }

    /// The same configuration with one more fault rule.
    pub fn with_fault(mut self, rule: FaultRule) -> Self {
        self.faults.push(rule);
        self
    }

    /// The same configuration with another STS and metadata side.
    pub fn with_sts(mut self, sts: crate::sts::StsConfig) -> Self {
        self.sts = sts;
        self
    }

    /// The same configuration with other HTTP limits.
    pub fn with_http(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }
}

/// One set of accepted credentials: a secret id, its key, and for temporary credentials the session token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    /// The `SecretId`.
    pub secret_id: String,
    /// The secret key that signs requests.
    pub secret_key: String,
    /// The session token requests must carry as `Token`; `None` for long-term keys, which must not send one.
    #[serde(default)]
    pub token: Option<String>,
    /// The account that owns resources; keys with the same owner see the same instances (the secret id when omitted).
    #[serde(default)]
    pub owner: Option<String>,
}

impl AccountConfig {
    /// Long-term credentials owning their own resources.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        AccountConfig {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            token: None,
            owner: None,
        }
    }

    /// The same credentials as temporary ones that must carry `token`.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The same credentials acting for the account `owner`.
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// The account that owns the resources these credentials create.
    pub fn owner(&self) -> &str {
        self.owner.as_deref().unwrap_or(&self.secret_id)
    }
}

impl fmt::Debug for AccountConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountConfig")
            .field("secret_id", &self.secret_id)
            .field("secret_key", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("owner", &self.owner)
            .finish()
    }
}

/// A region and its availability zones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    /// The region, e.g. `ap-guangzhou`.
    pub region: String,
    /// The display name in Chinese, e.g. `华南地区(广州)`.
    pub name: String,
    /// The display name in English, e.g. `South China(Guangzhou)`.
    pub name_en: String,
    /// `AVAILABLE` or `UNAVAILABLE`.
    #[serde(default = "available")]
    pub state: String,
    /// Short names the legacy gateway also accepts, e.g. `gz`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The zones.
    pub zones: Vec<ZoneConfig>,
}

fn available() -> String {
    "AVAILABLE".to_owned()
}

/// An availability zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZoneConfig {
    /// The zone, e.g. `ap-guangzhou-2`.
    pub zone: String,
    /// The numeric zone id as a string, e.g. `100002`.
    pub zone_id: String,
    /// The display name in Chinese, e.g. `广州二区`.
    pub name: String,
    /// The display name in English, e.g. `Guangzhou Zone 2`.
    pub name_en: String,
    /// `AVAILABLE` or `UNAVAILABLE`.
    #[serde(default = "available")]
    pub state: String,
}

/// An instance type and the zones that offer it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceTypeSpec {
    /// The instance type, e.g. `S2.MEDIUM4`.
    pub instance_type: String,
    /// The family, e.g. `S2`.
    pub family: String,
    /// CPU cores.
    pub cpu: i64,
    /// Memory in GiB.
    pub memory: i64,
    /// GPUs.
    #[serde(default)]
    pub gpu: i64,
    /// The zones offering it.
    pub zones: Vec<String>,
}

/// Resource quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quotas {
    /// Instances one account may hold in one region (terminating ones included).
    pub max_instances_per_region: u32,
    /// Custom images one account may hold in one region.
    pub max_images_per_region: u32,
    /// Placement groups one account may hold in one region.
    pub max_placement_groups_per_region: u32,
    /// Launch templates one account may hold in one region.
    pub max_launch_templates_per_region: u32,
    /// Pay-as-you-go (`POSTPAID_BY_HOUR`) instances one account may hold in one zone.
    pub max_postpaid_instances_per_zone: u32,
    /// Prepaid (`PREPAID`) instances one account may hold in one zone.
    pub max_prepaid_instances_per_zone: u32,
    /// Spot (`SPOTPAID`) instances one account may hold in one zone.
    pub max_spot_instances_per_zone: u32,
}

impl Quotas {
    /// The instances of `charge_type` one account may hold in one zone; `None` for a charge
    /// type without a zone quota.
    pub fn per_zone(&self, charge_type: &str) -> Option<u32> {
        match charge_type {
            "POSTPAID_BY_HOUR" => Some(self.max_postpaid_instances_per_zone),
            "PREPAID" => Some(self.max_prepaid_instances_per_zone),
            "SPOTPAID" => Some(self.max_spot_instances_per_zone),
            _ => None,
        }
    }
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            max_instances_per_region: 100,
            max_images_per_region: 50,
            max_placement_groups_per_region: 10,
            max_launch_templates_per_region: 30,
            max_postpaid_instances_per_zone: 500,
            max_prepaid_instances_per_zone: 200,
            max_spot_instances_per_zone: 100,
        }
    }
}

/// A token bucket per SecretId and action, refilled lazily from the request clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per second.
    pub requests_per_second: f64,
    /// Requests that may arrive at once.
    pub burst: f64,
}

impl Default for RateLimit {
    /// 20 requests per second, the service's documented default for most actions.
    fn default() -> Self {
        RateLimit {
            requests_per_second: 20.0,
            burst: 20.0,
        }
    }
}

/// How long each transitional state lasts, in virtual time measured by the `now` given to `handle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Transitions {
    /// `PENDING` to `RUNNING`.
    #[serde(with = "millis")]
    pub launch: Duration,
    /// `STOPPING` to `STOPPED`.
    #[serde(with = "millis")]
    pub stop: Duration,
    /// `STARTING` to `RUNNING`.
    #[serde(with = "millis")]
    pub start: Duration,
    /// `REBOOTING` to `RUNNING`.
    #[serde(with = "millis")]
    pub reboot: Duration,
    /// `TERMINATING` to gone.
    #[serde(with = "millis")]
    pub terminate: Duration,
    /// A custom image from `CREATING` to `NORMAL`.
    #[serde(with = "millis")]
    pub create_image: Duration,
}

impl Default for Transitions {
    fn default() -> Self {
        Transitions {
            launch: Duration::from_secs(2),
            stop: Duration::from_secs(1),
            start: Duration::from_secs(1),
            reboot: Duration::from_secs(1),
            terminate: Duration::from_secs(1),
            create_image: Duration::from_secs(3),
        }
    }
}

impl Transitions {
    /// Every transition takes `d`.
    pub fn all(d: Duration) -> Self {
        Transitions {
            launch: d,
            stop: d,
            start: d,
            reboot: d,
            terminate: d,
            create_image: d,
        }
    }

    /// Every transition completes by the next request.
    pub fn instant() -> Self {
        Self::all(Duration::ZERO)
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultKind {
    /// Close the connection without processing the request or replying.
    DropBeforeProcessing,
    /// Process the request, then close the connection instead of replying (the effect happened).
    DropAfterProcessing,
    /// Reply HTTP 502 with a non-JSON body, without processing.
    BadGateway,
    /// Reply HTTP 503 with a non-JSON body, without processing.
    ServiceUnavailable,
    /// Process the request and hold the reply back this long.
    Delay {
        /// The delay in milliseconds.
        millis: u64,
    },
    /// Answer `RequestLimitExceeded` without processing.
    RequestLimitExceeded,
    /// Answer `InternalError` without processing.
    InternalError,
    /// Process a `RunInstances` normally, but its instances end in `LAUNCH_FAILED` instead of `RUNNING`.
    LaunchFailed,
}

/// When a fault fires: for which actions, for what fraction of calls, and optionally only for the first N.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// What happens.
    pub kind: FaultKind,
    /// The actions it applies to; empty means every action.
    #[serde(default)]
    pub actions: Vec<String>,
    /// The fraction of matching calls that fail, from 0 to 1.
    #[serde(default = "one")]
    pub probability: f64,
    /// Only the first this many matching calls are eligible.
    #[serde(default)]
    pub first: Option<u64>,
}

fn one() -> f64 {
    1.0
}

impl FaultRule {
    /// A fault for every call of every action.
    pub fn new(kind: FaultKind) -> Self {
        FaultRule {
            kind,
            actions: Vec::new(),
            probability: 1.0,
            first: None,
        }
    }

    /// The same rule restricted to `action` (may be called repeatedly).
    pub fn for_action(mut self, action: impl Into<String>) -> Self {
        self.actions.push(action.into());
        self
    }

    /// The same rule firing for a fraction `p` of matching calls.
    pub fn with_probability(mut self, p: f64) -> Self {
        self.probability = p;
        self
    }

    /// The same rule limited to the first `n` matching calls.
    pub fn first(mut self, n: u64) -> Self {
        self.first = Some(n);
        self
    }

    /// Whether the rule concerns `action`.
    pub fn matches(&self, action: &str) -> bool {
        self.actions.is_empty() || self.actions.iter().any(|a| a == action)
    }
}

/// Limits of the HTTP shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Connections served at once; further ones are closed at once.
    pub max_connections: usize,
    /// Connections one client IP address may hold open at once; its further ones are closed at
    /// once while other clients are still accepted, so that one client cannot take every slot.
    pub max_connections_per_ip: usize,
    /// How long a client may take to send a request head, in milliseconds.
    pub header_read_timeout_ms: u64,
    /// How long a client may take to send a request body, in milliseconds; a body still
    /// incomplete then is answered `408 Request Timeout` and the connection closed.
    pub body_read_timeout_ms: u64,
    /// The largest request head (request line and headers) read, in bytes; a longer one is
    /// answered `431 Request Header Fields Too Large` and the connection closed.
    pub max_header_bytes: usize,
    /// Worker threads of the server's runtime.
    pub worker_threads: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_connections: 1024,
            max_connections_per_ip: 256,
            header_read_timeout_ms: 5_000,
            body_read_timeout_ms: 10_000,
            max_header_bytes: 128 * 1024,
            worker_threads: 2,
        }
    }
}
