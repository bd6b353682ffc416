//! The transport-independent half of a client, shared with the async client of `cvm-async`.
//!
//! [`Core`] holds the resolved settings, credentials and clock correction; [`Attempts`] keeps one
//! call's bookkeeping and [`Polls`] one wait's. A client only loops: ask for the next request,
//! send it, hand over the outcome, and sleep as long as [`Next`] says. The decisions themselves
//! are [`cvm_proto`]'s; this module adds the clock, the random draws and the clock correction.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cvm_proto::action::Action;
use cvm_proto::call::{Call, CallError, ClientConfig, Step, TransportError};
use cvm_proto::credentials::Credentials;
use cvm_proto::envelope::{self, ErrorKind, Reply};
use cvm_proto::models::{DescribeInstancesStatusRequest, DescribeInstancesStatusResponse};
use cvm_proto::profile::Source;
use cvm_proto::request::{HttpRequest, PrepareError};
use cvm_proto::retry;
use cvm_proto::wait::{WaitOptions, WaitStep, WaitTarget, Waiter};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;

use crate::error::Error;
use crate::http::HttpResponse;

/// A client's settings, credentials (and where they came from) and clock correction.
///
/// Both clients deref to their `Core`, so these accessors are the clients' own. `Debug` shows no secret.
pub struct Core {
    config: ClientConfig,
    credentials: Credentials,
    source: Source,
    clock_offset: AtomicI64,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("source", &self.source)
            .field("clock_offset", &self.clock_offset())
            .finish()
    }
}

impl Core {
    pub(crate) fn new(config: ClientConfig, credentials: Credentials, source: Source) -> Self {
        Self {
            config,
            credentials,
            source,
            clock_offset: AtomicI64::new(0),
        }
    }

    /// The settings every call uses.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The credentials in use (their `Debug` shows only the secret id).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Where the credentials came from.
    pub fn credentials_source(&self) -> &Source {
        &self.source
    }

    /// Seconds added to the local clock for every request, learnt from the service after an expired signature.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }

    /// Sets the clock correction, e.g. one remembered from an earlier run.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.clock_offset.store(seconds, Ordering::Relaxed);
    }

    /// Starts the attempts of `call` with these settings.
    pub fn attempts<T>(&self, call: Call) -> Attempts<'_, T> {
        self.attempts_with(call, &self.config)
    }

    /// Starts the attempts of `call` with other settings (e.g. another region), these credentials and this clock.
    pub fn attempts_with<'a, T>(&'a self, call: Call, config: &'a ClientConfig) -> Attempts<'a, T> {
        Attempts {
            core: self,
            config,
            call,
            start: Instant::now(),
            output: PhantomData,
        }
    }
}

/// What a client does after an attempt or a poll.
#[derive(Debug)]
pub enum Next<T> {
    /// The call or wait is over.
    Done(Result<T, Error>),
    /// Sleep, then try again.
    Sleep {
        /// How long to sleep.
        after: Duration,
        /// Whether the service asked to slow down (`RequestLimitExceeded`), so that calls sharing its budget can all pause.
        throttled: bool,
    },
}

/// One call across its attempts: signs each request afresh and turns each outcome into a [`Next`].
pub struct Attempts<'a, T> {
    core: &'a Core,
    config: &'a ClientConfig,
    call: Call,
    start: Instant,
    output: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Attempts<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempts")
            .field("call", &self.call)
            .field("elapsed", &self.start.elapsed())
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Attempts<'_, T> {
    /// The signed request of the next attempt, at the corrected clock and with a fresh nonce.
    pub fn request(&self) -> Result<HttpRequest, Error> {
        let now = retry::adjusted_now(unix_now(), self.core.clock_offset());
        let nonce = retry::nonce(random_u32()?);
        Ok(self
            .call
            .request(self.config, &self.core.credentials, now, nonce)?)
    }

    /// Takes what the transport got for that request; adopts the service's clock when told to.
    pub fn after(&mut self, outcome: Result<HttpResponse, TransportError>) -> Next<Reply<T>> {
        let config = self.config;
        let elapsed = self.start.elapsed();
        let (step, throttled) = match outcome {
            Ok(response) => {
                let step = self.call.on_reply::<T>(
                    config,
                    response.status,
                    response.header("Date"),
                    &response.body,
                    elapsed,
                    jitter(),
                );
                let throttled = matches!(step, Step::Retry { .. })
                    && is_throttled(&response, config.body_limit);
                (true_size(step, response.content_length()), throttled)
            }
            Err(error) => {
                let step = self
                    .call
                    .on_transport_error(config, error, elapsed, jitter());
                (step, false)
            }
        };
        match step {
            Step::Done(result) => Next::Done(result.map_err(Error::from)),
            Step::Retry { after, server_time } => {
                if let Some(server_time) = server_time {
                    let offset = retry::clock_offset(server_time, unix_now());
                    self.core.set_clock_offset(offset);
                }
                Next::Sleep { after, throttled }
            }
        }
    }
}

/// Whether a reply is the service's `RequestLimitExceeded`.
fn is_throttled(response: &HttpResponse, limit: usize) -> bool {
    match envelope::parse::<IgnoredAny>(response.status, &response.body, limit) {
        Err(envelope::Error::Api(api)) => api.kind == ErrorKind::Throttled,
        _ => false,
    }
}

/// A truncated oversize body reports the size the service announced rather than the bytes read.
fn true_size<T>(step: Step<T>, content_length: Option<usize>) -> Step<T> {
    match step {
        Step::Done(Err(CallError::Reply(envelope::Error::TooLarge { size, limit }))) => {
            let size = content_length.filter(|&n| n > size).unwrap_or(size);
            Step::Done(Err(CallError::Reply(envelope::Error::TooLarge {
                size,
                limit,
            })))
        }
        other => other,
    }
}

/// One wait across its polls: the [`Waiter`] and when the wait began.
#[derive(Debug, Clone)]
pub struct Polls {
    waiter: Waiter,
    start: Instant,
}

impl Polls {
    /// A wait for `ids` (1 to 100) to reach `target`, starting now.
    pub fn new<I, S>(ids: I, target: WaitTarget, options: WaitOptions) -> Result<Self, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = ids.into_iter().map(Into::into).collect();
        Ok(Self {
            waiter: Waiter::new(ids, target, options)?,
            start: Instant::now(),
        })
    }

    /// The request of the next poll.
    pub fn request(&self) -> DescribeInstancesStatusRequest {
        self.waiter.request()
    }

    /// Takes a poll's reply, shows the waiter to `progress`, and answers what comes next.
    pub fn after(
        &mut self,
        reply: &DescribeInstancesStatusResponse,
        progress: &mut dyn FnMut(&Waiter),
    ) -> Next<Waiter> {
        let step = self.waiter.on_reply(reply, self.start.elapsed());
        progress(&self.waiter);
        match step {
            WaitStep::PollAfter(after) => Next::Sleep {
                after,
                throttled: false,
            },
            WaitStep::Done => Next::Done(Ok(self.waiter.clone())),
            WaitStep::Failed(e) => Next::Done(Err(e.into())),
        }
    }
}

/// A call of a typed request, with a fresh `ClientToken` where the action takes one.
pub fn typed_call<A: Action>(request: &A) -> Result<Call, Error> {
    with_token(|token| Call::typed(request, token))
}

/// A call of any action with any serializable parameters, with a fresh `ClientToken` where the action takes one.
pub fn json_call<P: Serialize + ?Sized>(action: &str, params: &P) -> Result<Call, Error> {
    with_token(|token| Call::new(action, params, token))
}

/// Runs `build` with a token source and reports a failure of the random number generator.
fn with_token(
    build: impl FnOnce(&mut dyn FnMut() -> String) -> Result<Call, PrepareError>,
) -> Result<Call, Error> {
    let mut failed = None;
    let call = build(&mut || token_or(&mut failed));
    match failed {
        Some(e) => Err(e),
        None => Ok(call.map_err(CallError::from)?),
    }
}

/// Unix seconds of the local clock (0 if it is before 1970).
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random_u32() -> Result<u32, Error> {
    getrandom::u32().map_err(|e| Error::Random(e.to_string()))
}

/// A random value in 0..=1 for backoff jitter; full backoff if randomness fails.
fn jitter() -> f64 {
    getrandom::u32().map_or(1.0, |r| f64::from(r) / f64::from(u32::MAX))
}

/// A fresh `ClientToken`, or an empty one with the failure recorded in `failed`.
fn token_or(failed: &mut Option<Error>) -> String {
    let mut bytes = [0u8; 16];
    match getrandom::fill(&mut bytes) {
        Ok(()) => retry::client_token(bytes),
        Err(e) => {
            *failed = Some(Error::Random(e.to_string()));
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cvm_proto::models::{DescribeZonesRequest, RunInstancesRequest};

    #[test]
    fn tokens_are_fresh_hex() {
        let mut failed = None;
        let a = token_or(&mut failed);
        let b = token_or(&mut failed);
        assert!(failed.is_none());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        let j = jitter();
        assert!((0.0..=1.0).contains(&j));
    }

    #[test]
    fn calls_get_a_token_only_where_the_action_takes_one() {
        let run = typed_call(&RunInstancesRequest::default()).unwrap();
        assert_eq!(run.params().get("ClientToken").map(str::len), Some(32));
        let zones = typed_call(&DescribeZonesRequest::default()).unwrap();
        assert_eq!(zones.params().get("ClientToken"), None);
        let json = json_call("RunInstances", &serde_json::json!({})).unwrap();
        assert!(json.params().get("ClientToken").is_some());
    }

    #[test]
    fn throttling_is_told_apart() {
        let creds = Credentials::new("AKIDx", "k").unwrap();
        let core = Core::new(ClientConfig::default(), creds, Source::Explicit);
        let mut attempts: Attempts<'_, IgnoredAny> =
            core.attempts(typed_call(&DescribeZonesRequest::default()).unwrap());
        let reply = |code: &str| {
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: format!(
                    r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m"}},"RequestId":"r"}}}}"#
                )
                .into_bytes(),
            })
        };
        assert!(matches!(
            attempts.after(reply("RequestLimitExceeded")),
            Next::Sleep {
                throttled: true,
                ..
            }
        ));
        assert!(matches!(
            attempts.after(reply("InternalError")),
            Next::Sleep {
                throttled: false,
                ..
            }
        ));
        assert!(matches!(
            attempts.after(reply("InvalidParameter")),
            Next::Done(Err(_))
        ));
    }
}
