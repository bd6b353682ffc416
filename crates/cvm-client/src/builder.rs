//! The client builder, shared by the blocking and the async client: settings, the credentials
//! chain and the region, the clock and random source, then the transport.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cvm_proto::metadata;
use cvm_proto::profile::{
    self, ChainError, Plan, Source, ENV_METADATA_ENDPOINT, ENV_REGION, ENV_STS_ENDPOINT,
};
use cvm_proto::retry::RetryPolicy;
use cvm_proto::sign::SignatureMethod;
use cvm_proto::sts::{self, RoleRequest};
use cvm_proto::ClientConfig;
use cvm_proto::Credentials;
use cvm_proto::Endpoint;
use cvm_proto::HttpMethod;
use cvm_proto::Scheme;
use zeroize::Zeroizing;

use crate::clock::{Clock, SystemClock};
use crate::core::{Core, Observer};
use crate::error::{ConfigError, Error};
use crate::provider::{FetchSettings, Kind, Provider};
use crate::random::{OsRandom, Random};

type EnvFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// The process environment, noting the first variable asked for that is set to bytes that are
/// not UTF-8: `std::env::var(..).ok()` would read it as unset, and the next source (another
/// account's keys, say) would be used without a word.
#[derive(Clone, Default)]
struct ProcessEnv {
    not_unicode: Arc<std::sync::Mutex<Option<String>>>,
}

impl ProcessEnv {
    /// The variable `key`, `None` when unset or not UTF-8 (which is noted).
    fn read(&self, key: &str) -> Option<String> {
        match std::env::var(key) {
            Ok(value) => Some(value),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => {
                if let Ok(mut first) = self.not_unicode.lock() {
                    first.get_or_insert_with(|| key.to_owned());
                }
                None
            }
        }
    }

    /// An error naming the first variable read so far that was not UTF-8.
    fn check(&self) -> Result<(), ConfigError> {
        let first = self.not_unicode.lock().ok().and_then(|first| first.clone());
        match first {
            Some(name) => Err(ConfigError::NotUnicode { name }),
            None => Ok(()),
        }
    }
}

/// A client that a [`Builder`] can build: how it holds a transport, its default one, and how it is put together.
pub trait BuildClient: Sized {
    /// A transport as the builder holds it, e.g. `Arc<dyn HttpSend>`.
    type Transport;

    /// The transport used when none was given, made from the settings (timeouts, proxy).
    fn default_transport(config: &ClientConfig) -> Result<Self::Transport, Error>;

    /// The clock used when none was given: the system clock, or one that agrees with the client's timers.
    fn default_clock() -> Arc<dyn Clock> {
        Arc::new(SystemClock::new())
    }

    /// The client around the resolved settings and credentials and its transport.
    fn assemble(core: Core, transport: Self::Transport) -> Self;
}

/// A client that can send through a transport of type `H` (given to [`Builder::transport`]).
pub trait SendsWith<H>: BuildClient {
    /// `http` as the builder holds it.
    fn hold(http: H) -> Self::Transport;
}

/// Builds a client of type `C`; every setting of [`ClientConfig`] has a method.
///
/// The blocking and the async client both use it, as `cvm_blocking::ClientBuilder` and `cvm_async::ClientBuilder`.
pub struct Builder<C: BuildClient> {
    config: ClientConfig,
    credentials: Option<Credentials>,
    profile: Option<String>,
    require_region: bool,
    allow_insecure_http: bool,
    endpoint_error: Option<ConfigError>,
    env: Option<Box<EnvFn>>,
    clock: Option<Arc<dyn Clock>>,
    random: Option<Arc<dyn Random>>,
    observer: Option<Observer>,
    http: Option<C::Transport>,
    metadata_endpoint: Option<Endpoint>,
    metadata_timeout: Option<Duration>,
    sts_endpoint: Option<Endpoint>,
    refresh_margin: Option<Duration>,
    assume_role: Option<RoleRequest>,
}

impl<C: BuildClient> Default for Builder<C> {
    fn default() -> Self {
        Self {
            config: ClientConfig::default(),
            credentials: None,
            profile: None,
            require_region: true,
            allow_insecure_http: false,
            endpoint_error: None,
            env: None,
            clock: None,
            random: None,
            observer: None,
            http: None,
            metadata_endpoint: None,
            metadata_timeout: None,
            sts_endpoint: None,
            refresh_margin: None,
            assume_role: None,
        }
    }
}

impl<C: BuildClient> fmt::Debug for Builder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("profile", &self.profile)
            .field("require_region", &self.require_region)
            .finish_non_exhaustive()
    }
}

impl<C: BuildClient> Builder<C> {
    /// Uses these credentials instead of the chain (environment, profile files, tccli's file,
    /// instance role, TKE OIDC role).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Uses the keys the chain finds (or [`credentials`](Self::credentials)) only to assume `role`
    /// with STS `AssumeRole`, and signs calls with the role's temporary credentials.
    pub fn assume_role(mut self, role: RoleRequest) -> Self {
        self.assume_role = Some(role);
        self
    }

    /// Where the CVM instance role is fetched from (`TENCENTCLOUD_METADATA_ENDPOINT`, else
    /// `http://metadata.tencentyun.com/`), e.g. an emulator's endpoint in tests.
    pub fn metadata_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.metadata_endpoint = Some(endpoint);
        self
    }

    /// How long one metadata request may take in all (1 s by default), which bounds how long the
    /// chain takes off-cloud, where there is no metadata service.
    pub fn metadata_timeout(mut self, timeout: Duration) -> Self {
        self.metadata_timeout = Some(timeout);
        self
    }

    /// Where STS requests go (`TENCENTCLOUD_STS_ENDPOINT`, else `https://sts.tencentcloudapi.com/`).
    pub fn sts_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.sts_endpoint = Some(endpoint);
        self
    }

    /// Fetched credentials are renewed once less than `margin` remains before they expire (5 minutes by default).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = Some(margin);
        self
    }

    /// Reads this profile of the credentials file, skipping the environment's keys.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// The region sent with every call; `TENCENTCLOUD_REGION`, else tccli's configured one, when not given.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self.require_region = true;
        self
    }

    /// Sends no region, for region-less actions such as `DescribeRegions`.
    pub fn no_region(mut self) -> Self {
        self.config.region = None;
        self.require_region = false;
        self
    }

    /// Where requests go; the global endpoint by default.
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.config.endpoint = endpoint;
        self.endpoint_error = None;
        self
    }

    /// Where requests go, as a URL such as `http://127.0.0.1:8080/`; a bad URL fails [`build`](Self::build).
    pub fn endpoint_url(mut self, url: &str) -> Self {
        match Endpoint::parse(url) {
            Ok(endpoint) => return self.endpoint(endpoint),
            Err(e) => self.endpoint_error = Some(e.into()),
        }
        self
    }

    /// Allows a plain `http://` endpoint on another machine (loopback is always allowed), which
    /// sends credentials and passwords in clear text; refused by default.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Replaces every setting at once (region and endpoint included).
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self.endpoint_error = None;
        self
    }

    /// How failed attempts are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = policy;
        self
    }

    /// How long one attempt may take in all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The largest reply body accepted.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.config.body_limit = bytes;
        self
    }

    /// GET or POST.
    pub fn http_method(mut self, method: HttpMethod) -> Self {
        self.config.http_method = method;
        self
    }

    /// HmacSHA256 or HmacSHA1.
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.config.signature_method = method;
        self
    }

    /// The API version sent.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.config.version = version.into();
        self
    }

    /// The `Language` parameter, or none.
    pub fn language(mut self, language: Option<String>) -> Self {
        self.config.language = language;
        self
    }

    /// The `RequestClient` parameter, or none.
    pub fn request_client(mut self, request_client: Option<String>) -> Self {
        self.config.request_client = request_client;
        self
    }

    /// Where environment variables are read from; the process environment by default.
    pub fn env(mut self, env: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.env = Some(Box::new(env));
        self
    }

    /// Reads the time from `clock` (and, in the blocking client, sleeps on it), e.g. a [`VirtualClock`](crate::VirtualClock) in tests.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Draws nonces, client tokens and jitter from `random`; the operating system's generator by default.
    pub fn random(mut self, random: Arc<dyn Random>) -> Self {
        self.random = Some(random);
        self
    }

    /// Shows every attempt's prepared request to `observe` before it is sent, e.g. to trace the
    /// redacted string to sign; it must not log [`Prepared::string_to_sign`](cvm_proto::Prepared::string_to_sign), which holds secrets.
    pub fn on_attempt(
        mut self,
        observe: impl Fn(&cvm_proto::Prepared) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observe));
        self
    }

    /// Sends requests through `http` instead of a transport built from the settings (whose timeouts then do not apply).
    pub fn transport<H>(mut self, http: H) -> Self
    where
        C: SendsWith<H>,
    {
        self.http = Some(C::hold(http));
        self
    }

    /// Resolves credentials and region, checks the settings, and builds the client.
    pub fn build(self) -> Result<C, Error> {
        if let Some(e) = self.endpoint_error {
            return Err(e.into());
        }
        let endpoint = &self.config.endpoint;
        if endpoint.scheme() == Scheme::Http && !endpoint.is_loopback() && !self.allow_insecure_http
        {
            return Err(ConfigError::InsecureHttp {
                host: endpoint.host().to_owned(),
            }
            .into());
        }
        // Only the variables a step reads count, each checked before what it read is used.
        let process = ProcessEnv::default();
        let env: Box<EnvFn> = match self.env {
            Some(env) => env,
            None => {
                let process = process.clone();
                Box::new(move |key: &str| process.read(key))
            }
        };
        // Read where a step needs it, so that a home that is not UTF-8 stops only those.
        let home = || {
            env("HOME")
                .or_else(|| env("USERPROFILE"))
                .filter(|h| !h.is_empty())
        };
        let mut config = self.config;
        if self.require_region && config.region.is_none() {
            let from_env = env(ENV_REGION).filter(|r| !r.is_empty());
            process.check()?;
            let region = match from_env {
                Some(region) => Ok(Some(region)),
                None => tccli_region(&*env, home().as_deref(), self.profile.as_deref()),
            };
            process.check()?;
            config.region = region.map_err(ConfigError::RegionFile)?;
        }
        match &config.region {
            Some(region) => cvm_proto::check_region(region).map_err(ConfigError::from)?,
            None if self.require_region => return Err(ConfigError::MissingRegion.into()),
            None => {}
        }
        let endpoint_from = |given: Option<Endpoint>, var: &str, default: fn() -> Endpoint| {
            if let Some(e) = given {
                return Ok(e);
            }
            let url = env(var).filter(|v| !v.is_empty());
            process.check()?;
            match url {
                Some(url) => Endpoint::parse(&url).map_err(ConfigError::from),
                None => Ok(default()),
            }
        };
        let sts_endpoint =
            endpoint_from(self.sts_endpoint, ENV_STS_ENDPOINT, sts::default_endpoint)?;
        if sts_endpoint.scheme() == Scheme::Http
            && !sts_endpoint.is_loopback()
            && !self.allow_insecure_http
        {
            return Err(ConfigError::InsecureHttp {
                host: sts_endpoint.host().to_owned(),
            }
            .into());
        }
        let fetch = FetchSettings {
            metadata_endpoint: endpoint_from(
                self.metadata_endpoint,
                ENV_METADATA_ENDPOINT,
                metadata::default_endpoint,
            )?,
            metadata_timeout: self.metadata_timeout.unwrap_or(Duration::from_secs(1)),
            sts_endpoint,
            sts_timeout: config.timeout,
            sts_region: config
                .region
                .clone()
                .unwrap_or_else(|| sts::STS_DEFAULT_REGION.to_owned()),
            refresh_margin: self.refresh_margin.unwrap_or(sts::DEFAULT_REFRESH_MARGIN),
        };
        let home = if self.credentials.is_some() {
            None
        } else {
            home()
        };
        let plan = profile::plan(
            self.credentials,
            self.profile.as_deref(),
            &*env,
            home.as_deref(),
            &mut read_file,
        );
        process.check()?;
        let plan = plan?;
        let provider = match (plan, self.assume_role) {
            (
                Plan::Static {
                    credentials,
                    source,
                },
                None,
            ) => Provider::new(Kind::Static, source, Some(credentials), fetch),
            (
                Plan::Static {
                    credentials: keys,
                    source: via,
                }
                | Plan::AssumeRole {
                    credentials: keys,
                    source: via,
                    ..
                },
                Some(role),
            )
            | (
                Plan::AssumeRole {
                    credentials: keys,
                    role,
                    source: via,
                },
                None,
            ) => Provider::new(
                Kind::AssumeRole { keys, role, via },
                Source::Pending,
                None,
                fetch,
            ),
            (Plan::Dynamic { looked, .. }, Some(_)) => {
                return Err(ChainError::NotFound { looked }.into())
            }
            (
                Plan::Dynamic {
                    looked,
                    web_identity,
                },
                None,
            ) => Provider::new(
                Kind::Probe {
                    looked,
                    web_identity,
                },
                Source::Pending,
                None,
                fetch,
            ),
            (_, _) => return Err(ChainError::NotFound { looked: Vec::new() }.into()),
        };
        let http = match self.http {
            Some(http) => http,
            None => C::default_transport(&config)?,
        };
        let clock = self.clock.unwrap_or_else(C::default_clock);
        let random = self.random.unwrap_or_else(|| Arc::new(OsRandom));
        let core = Core::new(config, provider, clock, random, self.observer);
        Ok(C::assemble(core, http))
    }
}

/// The region of tccli's `~/.tccli/<profile>.configure`: `None` when there is no such file or
/// it names no region, an error when it cannot be read or used.
fn tccli_region(
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&str>,
    profile: Option<&str>,
) -> Result<Option<String>, ChainError> {
    let profile = profile
        .map(str::to_owned)
        .or_else(|| env(profile::ENV_PROFILE).filter(|p| !p.is_empty()))
        .unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned());
    let Some(path) = home.and_then(|home| profile::tccli_file(home, &profile, "configure")) else {
        return Ok(None);
    };
    let text = read_file(&path).map_err(|reason| ChainError::Unreadable {
        path: path.clone(),
        reason,
    })?;
    match text {
        Some(text) => profile::tccli_region(&text, &path),
        None => Ok(None),
    }
}

/// Reads the credentials file: `Ok(None)` when it does not exist.
fn read_file(path: &str) -> Result<Option<Zeroizing<String>>, String> {
    match std::fs::read_to_string(Path::new(path)) {
        Ok(text) => Ok(Some(Zeroizing::new(text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}
