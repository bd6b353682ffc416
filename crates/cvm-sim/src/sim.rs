//! The pure core: [`Sim::handle`] turns one HTTP request and the current time into one response.
//!
//! Everything time-based (state transitions, rate limits, the replay window) is evaluated lazily
//! against the `now` each call passes in; the core has no threads, timers or I/O. How replays
//! are recognised, and what that costs in memory, is told in the `nonces` module.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use cvm_proto::encode::{self, DecodeError};
use cvm_proto::models::{Instance, InstanceState};
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::validate;
use cvm_proto::LEGACY_PATH;
use cvm_proto::{Credentials, Params};
use cvm_proto::{HttpMethod, COMMON_PARAMS, DEFAULT_VERSION, MAX_GET_URL, MAX_POST_BODY};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::actions::{DescribedCache, Reply};
use crate::auth::{account_in, check_token, check_window};
use crate::config::{AccountConfig, FaultKind, FaultRule, RateLimit, SimConfig, Transitions};
use crate::error::{ApiFailure, ApiResult, SimError};
use crate::nonces::{NonceCache, NonceCacheFull, NonceRecord};
use crate::request::{
    Handled, ShellFault, SimRequest, SimResponse, TC3_SINGLE_HEADERS, V1_SINGLE_HEADERS,
};
use crate::resources::{Order, Resources};

/// The key under which [`Counters::requests_by_action`] counts actions the emulator does not implement.
pub const OTHER_ACTION: &str = "(other)";

/// Which gateway a request reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gateway {
    /// `/`: API 3.0 error codes.
    Api3,
    /// `/v2/index.php`: the legacy gateway's names for the common errors.
    Legacy,
}

/// Request and instance counts, for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counters {
    /// Requests handled, whatever their outcome.
    pub requests: u64,
    /// Requests per `Action` parameter value, counted once the parameters decode; unknown actions count under [`OTHER_ACTION`].
    pub requests_by_action: BTreeMap<String, u64>,
    /// Error replies per error code (API 3.0 names).
    pub errors_by_code: BTreeMap<String, u64>,
    /// Faults injected.
    pub faults_injected: u64,
    /// Instances ever created.
    pub instances_created: u64,
    /// Instances that finished terminating and disappeared.
    pub instances_terminated: u64,
    /// Requests being served right now (filled in by the HTTP shell).
    pub in_flight: u64,
    /// The most requests ever served at once (filled in by the HTTP shell).
    pub max_in_flight: u64,
}

/// A pending automatic state change of an instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    /// The state reached.
    pub to: InstanceState,
    /// When, on the clock passed to [`Sim::handle`], in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// Whether the instance disappears instead (end of termination).
    pub remove: bool,
}

/// An instance as the emulator keeps it: its owner and region, creation order, and the reply model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimInstance {
    /// The account owning it.
    pub owner: String,
    /// Its region.
    pub region: String,
    /// Creation order, unique.
    pub seq: u64,
    /// The pending automatic transition, if any.
    pub transition: Option<Transition>,
    /// What `DescribeInstances` reports.
    pub model: Instance,
}

impl SimInstance {
    /// The instance id.
    pub fn id(&self) -> &str {
        self.model.instance_id.as_deref().unwrap_or_default()
    }

    /// The zone the instance is placed in (empty if it has none).
    pub fn zone(&self) -> &str {
        self.model
            .placement
            .as_ref()
            .and_then(|p| p.zone.as_deref())
            .unwrap_or_default()
    }

    /// The current state.
    pub fn state(&self) -> InstanceState {
        self.model
            .instance_state
            .clone()
            .unwrap_or(InstanceState::Pending)
    }
}

pub(crate) struct Account {
    pub creds: Credentials,
    pub owner: String,
    /// When temporary credentials issued by the emulator's STS or metadata service expire.
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Duration,
}

/// What stops a request short of a normal reply.
pub(crate) enum Stop {
    /// An API error envelope.
    Api(ApiFailure),
    /// A transport-level fault replacing the reply.
    Fault(FaultKind),
}

impl From<ApiFailure> for Stop {
    fn from(f: ApiFailure) -> Self {
        Stop::Api(f)
    }
}

/// Per-request context.
pub(crate) struct Cx {
    pub gateway: Gateway,
    pub request_id: String,
    /// A legacy-gateway request without `Version` (pre-2017 v2 API).
    pub v2: bool,
    /// `Language=en-US`.
    pub english: bool,
    /// Injected: new instances end in `LAUNCH_FAILED`.
    pub launch_failed: bool,
    /// A fault for the shell after processing.
    pub after: Option<ShellFault>,
}

/// The emulated service: accounts, catalog, instances, replay and rate-limit state, PRNG and counters.
pub struct Sim {
    pub(crate) config: SimConfig,
    pub(crate) accounts: HashMap<String, Account>,
    /// The STS and metadata side: issued credentials and request counts.
    pub(crate) sts: crate::sts::StsState,
    pub(crate) instances: BTreeMap<u64, SimInstance>,
    pub(crate) by_id: HashMap<String, u64>,
    pub(crate) next_seq: u64,
    pub(crate) client_tokens: HashMap<(String, String), Vec<String>>,
    pub(crate) used_ips: HashSet<String>,
    pub(crate) counters: Counters,
    pub(crate) rng: ChaCha8Rng,
    next_due: Option<Duration>,
    nonces: NonceCache,
    generation: u64,
    buckets: HashMap<(String, String), Bucket>,
    fault_rng: ChaCha8Rng,
    fault_matches: Vec<u64>,
    /// Key pairs, custom images, placement groups, launch templates, timers and orders.
    pub(crate) resources: Resources,
    /// The JSON of instances as `DescribeInstances` last wrote them (not state: a cache).
    pub(crate) described: DescribedCache,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("accounts", &self.accounts.len())
            .field("instances", &self.instances.len())
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

fn check_config(config: &SimConfig) -> Result<(), SimError> {
    let bad = |m: String| Err(SimError::Config(m));
    let mut zones = HashSet::new();
    for r in &config.regions {
        for z in &r.zones {
            if !zones.insert(z.zone.as_str()) {
                return bad(format!("zone {:?} is listed twice", z.zone));
            }
        }
    }
    for t in &config.instance_types {
        if let Some(z) = t.zones.iter().find(|z| !zones.contains(z.as_str())) {
            return bad(format!(
                "instance type {:?} names unknown zone {z:?}",
                t.instance_type
            ));
        }
    }
    if let Some(i) = config.images.iter().find(|i| i.image_id.is_none()) {
        return bad(format!("an image has no ImageId: {:?}", i.image_name));
    }
    for f in &config.faults {
        if !(0.0..=1.0).contains(&f.probability) {
            return bad(format!(
                "fault probability {} is not between 0 and 1",
                f.probability
            ));
        }
    }
    if let Some(RateLimit {
        requests_per_second,
        burst,
    }) = config.rate_limit
    {
        let ok = |x: f64| x.is_finite() && x > 0.0;
        if !ok(requests_per_second) || !ok(burst) {
            return bad("rate limit values must be positive numbers".to_owned());
        }
    }
    Ok(())
}

fn account(cfg: &AccountConfig) -> Result<Account, SimError> {
    let wrap = |source| SimError::Credentials {
        secret_id: cfg.secret_id.clone(),
        source,
    };
    let mut creds =
        Credentials::new(cfg.secret_id.clone(), cfg.secret_key.clone()).map_err(wrap)?;
    if let Some(t) = &cfg.token {
        creds = creds.with_token(t.clone()).map_err(wrap)?;
    }
    Ok(Account {
        creds,
        owner: cfg.owner().to_owned(),
        expires_at: None,
    })
}

fn failure_message(e: &DecodeError) -> String {
    match e {
        DecodeError::MissingEquals { .. } => {
            "Url key and value should be splited by `=`.".to_owned()
        }
        DecodeError::Duplicate(k) => format!("The parameter `{k}` appears more than once."),
        other => format!("The request parameters cannot be decoded: {other}."),
    }
}

fn required<'p>(params: &'p Params, name: &str) -> ApiResult<&'p str> {
    params.get(name).ok_or_else(|| ApiFailure::missing(name))
}

/// The failure of a request that gives header `name`, which is read once, more than once.
pub(crate) fn repeated_header(name: &str) -> ApiFailure {
    let code = match name {
        "authorization" => "AuthFailure.InvalidAuthorization",
        _ => "InvalidParameter",
    };
    ApiFailure::new(
        code,
        format!("The header `{name}` is given more than once."),
    )
}

fn too_large(what: &str) -> ApiFailure {
    ApiFailure::new(
        "AuthFailure.SignatureFailure",
        format!("The request {what} exceeds the size limit of signature v1 (GET URL 32 KB, POST body 1 MB); please use TC3-HMAC-SHA256 for large requests."),
    )
}

fn is_form(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';').next().is_some_and(|m| {
            m.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    })
}

fn random_unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[derive(Serialize, Deserialize)]
struct RngState {
    seed: String,
    stream: u64,
    word_pos: String,
}

fn rng_state(rng: &ChaCha8Rng) -> RngState {
    RngState {
        seed: rng.get_seed().iter().map(|b| format!("{b:02x}")).collect(),
        stream: rng.get_stream(),
        word_pos: rng.get_word_pos().to_string(),
    }
}

fn rng_from(state: &RngState) -> Result<ChaCha8Rng, SimError> {
    let bad = || SimError::State("bad PRNG state".to_owned());
    let bytes = state.seed.as_bytes();
    if bytes.len() != 64 {
        return Err(bad());
    }
    let mut seed = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let text = std::str::from_utf8(pair).map_err(|_| bad())?;
        seed[i] = u8::from_str_radix(text, 16).map_err(|_| bad())?;
    }
    let mut rng = ChaCha8Rng::from_seed(seed);
    rng.set_stream(state.stream);
    rng.set_word_pos(state.word_pos.parse().map_err(|_| bad())?);
    Ok(rng)
}

#[derive(Serialize, Deserialize)]
struct TokenRecord {
    owner: String,
    token: String,
    instance_ids: Vec<String>,
}

/// A state dump as it is written, borrowing from the [`Sim`]; read back as a [`State`].
#[derive(Serialize)]
struct StateView<'a> {
    version: u32,
    next_seq: u64,
    instances: Vec<&'a SimInstance>,
    client_tokens: Vec<TokenView<'a>>,
    counters: &'a Counters,
    rng: RngState,
    fault_rng: RngState,
    fault_matches: &'a [u64],
    nonces: Vec<NonceRecord>,
    resources: &'a Resources,
}

/// A [`TokenRecord`] borrowing from the [`Sim`].
#[derive(Serialize)]
struct TokenView<'a> {
    owner: &'a str,
    token: &'a str,
    instance_ids: &'a [String],
}

#[derive(Serialize, Deserialize)]
struct State {
    version: u32,
    next_seq: u64,
    instances: Vec<SimInstance>,
    client_tokens: Vec<TokenRecord>,
    counters: Counters,
    rng: RngState,
    fault_rng: RngState,
    fault_matches: Vec<u64>,
    /// Absent from dumps written before nonces were saved.
    #[serde(default)]
    nonces: Vec<NonceRecord>,
    /// Absent from dumps written before key pairs, images, templates, ... were emulated.
    #[serde(default)]
    resources: Resources,
}

impl Sim {
    /// An emulator with `config`'s accounts and catalog and no instances.
    pub fn new(config: SimConfig) -> Result<Sim, SimError> {
        check_config(&config)?;
        let mut accounts = HashMap::new();
        for a in &config.accounts {
            if accounts.insert(a.secret_id.clone(), account(a)?).is_some() {
                return Err(SimError::Config(format!(
                    "secret id {:?} is listed twice",
                    a.secret_id
                )));
            }
        }
        let rng = ChaCha8Rng::seed_from_u64(config.seed);
        let mut fault_rng = ChaCha8Rng::seed_from_u64(config.seed);
        fault_rng.set_stream(1);
        let nonces = NonceCache::new(config.timestamp_window_secs, config.max_nonces);
        Ok(Sim {
            fault_matches: vec![0; config.faults.len()],
            config,
            accounts,
            sts: crate::sts::StsState::default(),
            instances: BTreeMap::new(),
            by_id: HashMap::new(),
            next_seq: 1,
            client_tokens: HashMap::new(),
            used_ips: HashSet::new(),
            counters: Counters::default(),
            rng,
            next_due: None,
            nonces,
            generation: 0,
            buckets: HashMap::new(),
            fault_rng,
            resources: Resources::default(),
            described: DescribedCache::default(),
        })
    }

    /// A number that grows whenever what [`Sim::dump_state`] saves may have changed in a way that
    /// someone was told about: a nonce remembered, an authenticated action performed (whatever its
    /// outcome), an instance changed through [`Sim::instance_mut`] or [`Sim::set_state`].
    ///
    /// The HTTP shell compares it with the generation it last wrote to its state file, and writes
    /// before it replies if it grew. (Transitions that merely come due with time do not count:
    /// they come due again, from the saved state, after a restart.)
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many (SecretId, Nonce, Timestamp) triples are remembered right now.
    pub fn remembered_nonces(&self) -> usize {
        self.nonces.len()
    }

    /// The configuration in force.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The counters.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// The prepaid purchases and renewals charged so far, oldest first.
    pub fn orders(&self) -> &[Order] {
        &self.resources.orders
    }

    /// Sets every counter back to zero.
    pub fn reset_counters(&mut self) {
        self.counters = Counters::default();
    }

    /// Adds or replaces an account.
    pub fn add_account(&mut self, cfg: AccountConfig) -> Result<(), SimError> {
        let acc = account(&cfg)?;
        self.config
            .accounts
            .retain(|a| a.secret_id != cfg.secret_id);
        self.accounts.insert(cfg.secret_id.clone(), acc);
        self.config.accounts.push(cfg);
        Ok(())
    }

    /// Removes the account with `secret_id`; its instances stay.
    pub fn remove_account(&mut self, secret_id: &str) {
        self.config.accounts.retain(|a| a.secret_id != secret_id);
        self.accounts.remove(secret_id);
    }

    /// Replaces the fault rules and their call counts.
    pub fn set_faults(&mut self, faults: Vec<FaultRule>) {
        self.fault_matches = vec![0; faults.len()];
        self.config.faults = faults;
    }

    /// Replaces the rate limit (`None` disables it) and forgets the buckets.
    pub fn set_rate_limit(&mut self, limit: Option<RateLimit>) {
        self.config.rate_limit = limit;
        self.buckets.clear();
    }

    /// Replaces the transition durations for operations started from now on.
    pub fn set_transitions(&mut self, transitions: Transitions) {
        self.config.transitions = transitions;
    }

    /// Sets the emulator's clock `secs` seconds ahead of the request clock (negative: behind).
    pub fn set_clock_offset(&mut self, secs: i64) {
        self.config.clock_offset_secs = secs;
    }

    /// The emulator's clock in Unix seconds for a request clock reading `now`.
    pub fn server_time(&self, now: Duration) -> i64 {
        i64::try_from(now.as_secs())
            .unwrap_or(i64::MAX)
            .saturating_add(self.config.clock_offset_secs)
    }

    /// Every instance, in creation order.
    pub fn instances(&self) -> impl Iterator<Item = &SimInstance> {
        self.instances.values()
    }

    /// The instance `id`, if it exists.
    pub fn instance(&self, id: &str) -> Option<&SimInstance> {
        self.by_id.get(id).and_then(|seq| self.instances.get(seq))
    }

    /// The instance `id` for changing; pending transitions are re-examined at the next request.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut SimInstance> {
        self.next_due = Some(Duration::ZERO);
        self.generation += 1;
        let seq = self.by_id.get(id)?;
        self.instances.get_mut(seq)
    }

    /// Puts instance `id` in `state` at once, cancelling its pending transition; false if there is no such instance.
    pub fn set_state(&mut self, id: &str, state: InstanceState) -> bool {
        match self.instance_mut(id) {
            Some(inst) => {
                inst.model.instance_state = Some(state);
                inst.transition = None;
                true
            }
            None => false,
        }
    }

    /// Applies every transition due at `now` (also done at the start of each request).
    pub fn advance(&mut self, now: Duration) {
        let now_ms = ms(now);
        match self.next_due {
            Some(due) if ms(due) <= now_ms => {}
            _ => return,
        }
        let mut next: Option<u64> = None;
        let mut gone = Vec::new();
        for (seq, inst) in &mut self.instances {
            let Some(t) = &inst.transition else { continue };
            if t.at_ms > now_ms {
                next = Some(next.map_or(t.at_ms, |n| n.min(t.at_ms)));
                continue;
            }
            if t.remove {
                gone.push(*seq);
                continue;
            }
            let to = t.to.clone();
            let failed = to == InstanceState::LaunchFailed;
            inst.model.stop_charging_mode = Some(match to {
                InstanceState::Stopped => inst
                    .model
                    .stop_charging_mode
                    .clone()
                    .filter(|m| m == "STOP_CHARGING")
                    .unwrap_or_else(|| "KEEP_CHARGING".to_owned()),
                _ => "NOT_APPLICABLE".to_owned(),
            });
            inst.model.instance_state = Some(to);
            inst.model.latest_operation_state =
                Some(if failed { "FAILED" } else { "SUCCESS" }.to_owned());
            inst.transition = None;
        }
        for seq in gone {
            if let Some(inst) = self.instances.remove(&seq) {
                self.by_id.remove(inst.id());
                for ip in inst
                    .model
                    .private_ip_addresses
                    .iter()
                    .chain(&inst.model.public_ip_addresses)
                {
                    self.used_ips.remove(ip);
                }
                self.counters.instances_terminated += 1;
            }
        }
        self.next_due = next.map(Duration::from_millis);
    }

    /// Schedules `seq` to reach `to` (or disappear) `after` from `now`.
    pub(crate) fn schedule(
        &mut self,
        seq: u64,
        to: InstanceState,
        now: Duration,
        after: Duration,
        remove: bool,
    ) {
        let at = now.saturating_add(after);
        if let Some(inst) = self.instances.get_mut(&seq) {
            inst.transition = Some(Transition {
                to,
                at_ms: ms(at),
                remove,
            });
            self.next_due = Some(self.next_due.map_or(at, |d| d.min(at)));
        }
    }

    /// A version-4 UUID drawn from the seeded PRNG.
    pub(crate) fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        // Written digit by digit: one allocation instead of one per byte (this runs every request).
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(36);
        for (i, x) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push('-');
            }
            out.push(char::from(HEX[usize::from(x >> 4)]));
            out.push(char::from(HEX[usize::from(x & 0x0f)]));
        }
        out
    }

    /// Handles one request at request-clock time `now` (since the Unix epoch).
    pub fn handle(&mut self, req: &SimRequest, now: Duration) -> Handled {
        self.counters.requests += 1;
        // RFC 9112 (3.2): a server must answer 400 to a request with more than one Host line.
        if req.repeated_header(["host"]).is_some() {
            return Handled {
                response: SimResponse::new(
                    400,
                    "text/plain; charset=utf-8",
                    b"400 Bad Request: more than one Host header\n".to_vec(),
                ),
                fault: None,
            };
        }
        if let Some(handled) = self.handle_credentials(req, now) {
            return handled;
        }
        let gateway = match req.path.as_str() {
            "/" => Gateway::Api3,
            LEGACY_PATH => Gateway::Legacy,
            _ => {
                return Handled {
                    response: SimResponse::new(
                        404,
                        "text/plain; charset=utf-8",
                        b"404 page not found\n".to_vec(),
                    ),
                    fault: None,
                }
            }
        };
        self.advance(now);
        let mut cx = Cx {
            gateway,
            request_id: self.uuid(),
            v2: false,
            english: false,
            launch_failed: false,
            after: None,
        };
        let response = match self.process(req, now, &mut cx) {
            Ok(body) => self.success(&cx, body),
            Err(Stop::Api(failure)) => self.failure(&cx, failure),
            Err(Stop::Fault(kind)) => return self.transport_fault(kind),
        };
        Handled {
            response,
            fault: cx.after,
        }
    }

    /// `{"Response":{...,"RequestId":"..."}}`, written around the serialized reply.
    fn success(&self, cx: &Cx, body: Reply) -> SimResponse {
        let object = body.into_json();
        // The reply is a serialized object, `{...}`: everything but its closing brace is kept.
        let fields = object
            .get(1..object.len().saturating_sub(1))
            .unwrap_or_default();
        let mut out = Vec::with_capacity(fields.len() + cx.request_id.len() + 32);
        out.extend_from_slice(b"{\"Response\":{");
        out.extend_from_slice(fields);
        if !fields.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\"RequestId\":");
        // A string always serializes.
        let _ = serde_json::to_writer(&mut out, &cx.request_id);
        out.extend_from_slice(b"}}");
        SimResponse::new(200, "application/json", out)
    }

    fn failure(&mut self, cx: &Cx, failure: ApiFailure) -> SimResponse {
        *self
            .counters
            .errors_by_code
            .entry(failure.code.to_string())
            .or_default() += 1;
        if cx.v2 {
            let (code, desc) = match failure.code.as_ref() {
                "AuthFailure.SignatureFailure" => (4100, "InvalidParameter.SignatureFailure"),
                "AuthFailure.SecretIdNotFound" => (4104, "InvalidParameter.SecretIdNotFound"),
                "AuthFailure.SignatureExpire" | "InvalidRequest.ReplayAttack" => {
                    (4500, "InvalidRequest.ReplayAttack")
                }
                "AuthFailure.TokenFailure" => (4100, "InvalidRequest.TokenCheckFailed"),
                "RequestLimitExceeded" => (4400, "InvalidRequest.RequestConcurrencyExceeded"),
                "InternalError" => (5100, "InternalError"),
                _ => (4000, "InvalidParameter"),
            };
            return envelope(&json!({"code": code, "message": failure.message, "codeDesc": desc}));
        }
        let code = match cx.gateway {
            Gateway::Api3 => failure.code.clone(),
            Gateway::Legacy => failure.legacy_code(),
        };
        envelope(&json!({
            "Response": {
                "Error": {"Code": code, "Message": failure.message},
                "RequestId": cx.request_id,
            }
        }))
    }

    fn transport_fault(&mut self, kind: FaultKind) -> Handled {
        let (status, text) = match kind {
            FaultKind::ServiceUnavailable => (503, "503 Service Temporarily Unavailable"),
            FaultKind::BadGateway => (502, "502 Bad Gateway"),
            _ => {
                return Handled {
                    response: SimResponse::new(200, "application/json", Vec::new()),
                    fault: Some(ShellFault::DropUnprocessed),
                }
            }
        };
        let body = format!(
            "<html>\r\n<head><title>{text}</title></head>\r\n<body>\r\n<center><h1>{text}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n"
        );
        Handled {
            response: SimResponse::new(status, "text/html", body.into_bytes()),
            fault: None,
        }
    }

    fn process(&mut self, req: &SimRequest, now: Duration, cx: &mut Cx) -> Result<Reply, Stop> {
        let method = match req.method.as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            other => {
                return Err(ApiFailure::new(
                    "UnsupportedProtocol",
                    format!("The HTTP method `{other}` is not supported; use GET or POST."),
                )
                .into())
            }
        };
        let tc3 = cx.gateway == Gateway::Api3 && req.header("authorization").is_some();
        let single = if tc3 {
            TC3_SINGLE_HEADERS
        } else {
            V1_SINGLE_HEADERS
        };
        if let Some(name) = req.repeated_header(single.iter().copied()) {
            return Err(repeated_header(name).into());
        }
        if let Some(authorization) = req.header("authorization") {
            if cx.gateway == Gateway::Api3 {
                return self.process_tc3(req, method, authorization, now, cx);
            }
        }
        let host = req.header("host").unwrap_or_default();
        let raw: &[u8] = match method {
            HttpMethod::Get => {
                let query = if req.query.is_empty() {
                    0
                } else {
                    1 + req.query.len()
                };
                if "http://".len() + host.len() + req.path.len() + query > MAX_GET_URL {
                    return Err(too_large("URL").into());
                }
                &req.query
            }
            HttpMethod::Post => {
                let declared = req
                    .header("content-length")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                if req.body.len() > MAX_POST_BODY || declared > MAX_POST_BODY as u64 {
                    return Err(too_large("body").into());
                }
                if !is_form(req.header("content-type")) {
                    return Err(ApiFailure::new(
                        "InvalidRequest",
                        "A signature-v1 POST must have Content-Type application/x-www-form-urlencoded; JSON and multipart bodies require TC3-HMAC-SHA256.",
                    )
                    .into());
                }
                &req.body
            }
        };
        let params =
            encode::decode(raw).map_err(|e| ApiFailure::invalid_parameter(failure_message(&e)))?;

        let action = required(&params, "Action")?.to_owned();
        self.count_action(&action);
        let version = params.get("Version");
        if version.is_none() {
            match cx.gateway {
                Gateway::Legacy => cx.v2 = true,
                Gateway::Api3 => return Err(ApiFailure::missing("Version").into()),
            }
        }
        let secret_id = required(&params, "SecretId")?.to_owned();
        let timestamp = required(&params, "Timestamp")?;
        let nonce = required(&params, "Nonce")?;
        let signature = required(&params, "Signature")?;
        let timestamp: i64 = timestamp
            .parse()
            .map_err(|_| ApiFailure::invalid_parameter("Parameter `Timestamp` type error."))?;
        let nonce: i64 = nonce
            .parse()
            .map_err(|_| ApiFailure::invalid_parameter("Parameter `Nonce` type error."))?;
        if let Some(v) = version {
            if v != DEFAULT_VERSION {
                return Err(ApiFailure::new(
                    "NoSuchVersion",
                    format!("The requested version `{v}` of service `cvm` does not exist."),
                )
                .into());
            }
        }
        if !cx.v2 {
            crate::actions::check_action(&action)?;
        }
        cx.english = params.get("Language") == Some("en-US");

        // Authentication, in the service's order.
        let account = account_in(&self.accounts, &secret_id)?;
        let server_now = self.server_time(now);
        check_window(timestamp, server_now, self.config.timestamp_window_secs)?;
        self.nonces.prune(server_now);
        if self.nonces.contains(&secret_id, nonce, timestamp) {
            return Err(ApiFailure::new(
                "InvalidRequest.ReplayAttack",
                format!("The Nonce {nonce} with Timestamp {timestamp} was already used by this SecretId; the server time is {server_now}."),
            )
            .into());
        }
        check_token(account, params.get("Token"), server_now)?;
        let algorithm = SignatureMethod::from_param(params.get("SignatureMethod"));
        let verified = sign::string_to_sign(method, host, &req.path, &params)
            .is_ok_and(|sts| account.creds.verify(algorithm, &sts, signature));
        if !verified {
            return Err(ApiFailure::new(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
            .into());
        }
        let owner = account.owner.clone();
        match self.nonces.insert(&secret_id, nonce, timestamp, server_now) {
            Ok(true) => self.generation += 1,
            Ok(false) => {}
            Err(NonceCacheFull) => {
                return Err(ApiFailure::new(
                    "RequestLimitExceeded",
                    format!("The emulator remembers at most {} nonces inside the {}-second window to recognise replays, and that many are in use; retry in a few seconds.", self.nonces.max, self.config.timestamp_window_secs),
                )
                .into())
            }
        }

        if cx.v2 {
            self.throttle(&secret_id, &action, now)?;
            self.inject_fault(&action, cx)?;
            return Err(ApiFailure::new(
                "InvalidAction",
                format!("The pre-2017 (v2) action `{action}` is not emulated by cvm-sim; send Version=2017-03-12."),
            )
            .into());
        }
        let params = match cx.gateway {
            Gateway::Api3 => params,
            Gateway::Legacy => rewrite_underscores(params)?,
        };
        self.perform(&action, &secret_id, &owner, &params, cx, now)
    }

    /// Counts a request by action; unknown names are lumped together so that garbage cannot grow the map.
    pub(crate) fn count_action(&mut self, action: &str) {
        let counted = if validate::action(action).is_some() {
            action
        } else {
            OTHER_ACTION
        };
        *self
            .counters
            .requests_by_action
            .entry(counted.to_owned())
            .or_default() += 1;
    }

    /// What follows a request's authentication, whatever its scheme: rate limits, injected
    /// faults, then the action itself.
    pub(crate) fn perform(
        &mut self,
        action: &str,
        secret_id: &str,
        owner: &str,
        params: &Params,
        cx: &mut Cx,
        now: Duration,
    ) -> Result<Reply, Stop> {
        // Whatever follows may change what a state dump holds (instances, client tokens, PRNGs).
        self.generation += 1;
        self.throttle(secret_id, action, now)?;
        self.inject_fault(action, cx)?;
        Ok(self.dispatch(action, owner, params, cx, now)?)
    }

    fn throttle(&mut self, secret_id: &str, action: &str, now: Duration) -> ApiResult<()> {
        let Some(limit) = self.config.rate_limit else {
            return Ok(());
        };
        let bucket = self
            .buckets
            .entry((secret_id.to_owned(), action.to_owned()))
            .or_insert(Bucket {
                tokens: limit.burst,
                last: now,
            });
        let elapsed = now.saturating_sub(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limit.requests_per_second).min(limit.burst);
        bucket.last = bucket.last.max(now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(ApiFailure::new(
                "RequestLimitExceeded",
                format!("Your current request times equals to `{}` in a second, which exceeds the frequency limit `{}` for a second. Please reduce the frequency of calls.", limit.requests_per_second.ceil() + 1.0, limit.requests_per_second),
            ))
        }
    }

    fn inject_fault(&mut self, action: &str, cx: &mut Cx) -> Result<(), Stop> {
        let mut fired = None;
        for (i, rule) in self.config.faults.iter().enumerate() {
            if !rule.matches(action) {
                continue;
            }
            let seen = self.fault_matches.get(i).copied().unwrap_or(0);
            if let Some(slot) = self.fault_matches.get_mut(i) {
                *slot += 1;
            }
            if fired.is_some() || rule.first.is_some_and(|n| seen >= n) {
                continue;
            }
            if rule.probability >= 1.0 || random_unit(&mut self.fault_rng) < rule.probability {
                fired = Some(rule.kind);
            }
        }
        let Some(kind) = fired else { return Ok(()) };
        self.counters.faults_injected += 1;
        match kind {
            FaultKind::DropBeforeProcessing | FaultKind::BadGateway | FaultKind::ServiceUnavailable => {
                Err(Stop::Fault(kind))
            }
            FaultKind::RequestLimitExceeded => Err(ApiFailure::new(
                "RequestLimitExceeded",
                "Your current request times exceeds the frequency limit. Please reduce the frequency of calls.",
            )
            .into()),
            FaultKind::InternalError => Err(ApiFailure::new("InternalError", "An internal error has occurred. Retry your request.").into()),
            FaultKind::DropAfterProcessing => {
                cx.after = Some(ShellFault::DropProcessed);
                Ok(())
            }
            FaultKind::Delay { millis } => {
                cx.after = Some(ShellFault::Delay(Duration::from_millis(millis)));
                Ok(())
            }
            FaultKind::LaunchFailed => {
                cx.launch_failed = true;
                Ok(())
            }
        }
    }

    /// The parameters of the action itself: everything but the common parameters.
    pub(crate) fn action_params(params: &Params) -> Params {
        let mut out = Params::with_capacity(params.len());
        for (k, v) in params.iter().filter(|(k, _)| !COMMON_PARAMS.contains(k)) {
            // Keys were validated when decoded, so inserting them again cannot fail.
            let _ = out.insert(k, v);
        }
        out
    }

    /// Everything needed to rebuild the emulator's instances, client tokens, counters, PRNG
    /// positions and the nonces still inside the window (so that a replay is still refused after
    /// a restart).
    pub fn dump_state(&self) -> Value {
        serde_json::to_value(self.state_view()).unwrap_or(Value::Null)
    }

    /// The [`Sim::dump_state`] value as compact JSON, serialized straight from the state.
    pub(crate) fn state_json(&self) -> Result<Vec<u8>, SimError> {
        serde_json::to_vec(&self.state_view()).map_err(|e| SimError::State(e.to_string()))
    }

    fn state_view(&self) -> StateView<'_> {
        let mut tokens: Vec<TokenView<'_>> = self
            .client_tokens
            .iter()
            .map(|((owner, token), ids)| TokenView {
                owner,
                token,
                instance_ids: ids,
            })
            .collect();
        tokens.sort_by(|a, b| (a.owner, a.token).cmp(&(b.owner, b.token)));
        StateView {
            version: 1,
            next_seq: self.next_seq,
            instances: self.instances.values().collect(),
            client_tokens: tokens,
            counters: &self.counters,
            rng: rng_state(&self.rng),
            fault_rng: rng_state(&self.fault_rng),
            fault_matches: &self.fault_matches,
            nonces: self.nonces.records(),
            resources: &self.resources,
        }
    }

    /// Replaces instances, client tokens, counters, PRNG positions and remembered nonces with those
    /// of a [`Sim::dump_state`] value (a dump without nonces, from an older version, loads none).
    pub fn load_state(&mut self, value: Value) -> Result<(), SimError> {
        let state: State =
            serde_json::from_value(value).map_err(|e| SimError::State(e.to_string()))?;
        if state.version != 1 {
            return Err(SimError::State(format!(
                "unsupported state version {}",
                state.version
            )));
        }
        let mut instances = BTreeMap::new();
        let mut by_id = HashMap::new();
        let mut used_ips = HashSet::new();
        for inst in state.instances {
            let id = inst.id().to_owned();
            if id.is_empty()
                || by_id.insert(id.clone(), inst.seq).is_some()
                || instances.contains_key(&inst.seq)
            {
                return Err(SimError::State(format!(
                    "duplicate or missing instance id {id:?}"
                )));
            }
            used_ips.extend(inst.model.private_ip_addresses.iter().cloned());
            used_ips.extend(inst.model.public_ip_addresses.iter().cloned());
            instances.insert(inst.seq, inst);
        }
        let max_seq = instances.keys().next_back().copied().unwrap_or(0);
        self.rng = rng_from(&state.rng)?;
        self.fault_rng = rng_from(&state.fault_rng)?;
        self.next_seq = state.next_seq.max(max_seq + 1);
        self.instances = instances;
        self.by_id = by_id;
        self.used_ips = used_ips;
        self.client_tokens = state
            .client_tokens
            .into_iter()
            .map(|t| ((t.owner, t.token), t.instance_ids))
            .collect();
        self.counters = state.counters;
        if state.fault_matches.len() == self.config.faults.len() {
            self.fault_matches = state.fault_matches;
        }
        self.nonces = NonceCache::from_records(
            self.config.timestamp_window_secs,
            self.config.max_nonces,
            state.nonces,
        );
        self.resources = state.resources;
        self.next_due = Some(Duration::ZERO);
        Ok(())
    }
}

fn envelope(v: &Value) -> SimResponse {
    SimResponse::new(
        200,
        "application/json",
        serde_json::to_vec(v).unwrap_or_default(),
    )
}

/// The legacy gateway (PHP) reads `.` in parameter names as `_`, so it maps `_` back to `.`.
fn rewrite_underscores(params: Params) -> ApiResult<Params> {
    if !params.iter().any(|(k, _)| k.contains('_')) {
        return Ok(params);
    }
    let mut out = Params::with_capacity(params.len());
    for (k, v) in params.iter() {
        let key = k.replace('_', ".");
        out.insert(key.clone(), v).map_err(|_| {
            ApiFailure::invalid_parameter(format!("The parameter `{key}` appears more than once."))
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_underscores_become_dots() {
        let p = Params::from_pairs([("InstanceIds_0", "ins-1"), ("Action", "X")]).unwrap();
        let out = rewrite_underscores(p).unwrap();
        assert_eq!(out.get("InstanceIds.0"), Some("ins-1"));
        let clash = Params::from_pairs([("A_B", "1"), ("A.B", "2")]).unwrap();
        assert_eq!(
            rewrite_underscores(clash).unwrap_err().code,
            "InvalidParameter"
        );
    }

    #[test]
    fn form_content_types() {
        assert!(is_form(Some("application/x-www-form-urlencoded")));
        assert!(is_form(Some(
            " Application/X-WWW-Form-Urlencoded ; charset=UTF-8"
        )));
        assert!(!is_form(Some("application/json")));
        assert!(!is_form(None));
    }

    #[test]
    fn prng_state_round_trips() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        rng.next_u64();
        let mut copy = rng_from(&rng_state(&rng)).unwrap();
        assert_eq!(copy.next_u64(), rng.next_u64());
        assert!(rng_from(&RngState {
            seed: "zz".into(),
            stream: 0,
            word_pos: "0".into()
        })
        .is_err());
    }

    #[test]
    fn legacy_codes() {
        let f = ApiFailure::new("AuthFailure.SignatureExpire", "m");
        assert_eq!(f.legacy_code(), "InvalidRequest.ReplayAttack");
        assert_eq!(
            ApiFailure::new("InvalidZone.MismatchRegion", "m").legacy_code(),
            "InvalidZone.MismatchRegion"
        );
    }
}
