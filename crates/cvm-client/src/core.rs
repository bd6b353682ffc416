//! The transport-independent half of a client, shared by the blocking and the async client.
//!
//! [`Core`] holds the resolved settings, credentials, clock correction, clock and random source;
//! [`Attempts`] keeps one call's bookkeeping and [`Polls`] one wait's. A client only loops: ask
//! for the next request, send it, hand over the outcome, and sleep as long as [`Next`] says. The
//! decisions themselves are [`cvm_proto`]'s; this module reads the clock and draws random numbers.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cvm_proto::envelope::Reply;
use cvm_proto::models::{DescribeInstancesStatusRequest, DescribeInstancesStatusResponse};
use cvm_proto::profile::{ChainError, Source};
use cvm_proto::retry;
use cvm_proto::Action;
use cvm_proto::Credentials;
use cvm_proto::HttpResponse;
use cvm_proto::{Call, CallError, ClientConfig, Step, Timing, TransportError};
use cvm_proto::{PrepareError, Prepared};
use cvm_proto::{WaitOptions, WaitStep, WaitTarget, Waiter};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::clock::Clock;
use crate::error::Error;
use crate::provider::{CredentialStep, FetchSettings, Provider, Refresh};
use crate::random::{self, Random};

/// A client's settings, credentials (and where they came from), clock correction, clock and random source.
///
/// Both clients hand it out with `core()`. `Debug` shows no secret.
pub struct Core {
    config: ClientConfig,
    provider: Provider,
    clock_offset: AtomicI64,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    observer: Option<Observer>,
}

/// A function shown every attempt's prepared request before it is sent (e.g. `cvm -v`).
pub type Observer = Arc<dyn Fn(&Prepared) + Send + Sync>;

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("config", &self.config)
            .field("credentials", &self.provider)
            .field("clock_offset", &self.clock_offset())
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Core {
    pub(crate) fn new(
        config: ClientConfig,
        provider: Provider,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        observer: Option<Observer>,
    ) -> Self {
        Self {
            config,
            provider,
            clock_offset: AtomicI64::new(0),
            clock,
            random,
            observer,
        }
    }

    /// The settings every call uses.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The credentials in use (their `Debug` shows only the secret id); `None` before the first
    /// call of a client whose credentials are fetched (instance role, OIDC role, assumed role).
    pub fn credentials(&self) -> Option<Credentials> {
        self.provider.current()
    }

    /// Where the credentials came from ([`Source::Pending`] until a fetched source has answered).
    pub fn credentials_source(&self) -> Source {
        self.provider.source()
    }

    /// Where fetched credentials come from and how early they are refreshed.
    pub fn fetch_settings(&self) -> &FetchSettings {
        self.provider.settings()
    }

    /// How many times credentials have been fetched (0 for credentials that are not fetched).
    pub fn credential_refreshes(&self) -> u64 {
        self.provider.refreshes()
    }

    /// The credentials to sign the next attempt with, or the [`Refresh`] that must come first:
    /// fetched credentials are renewed once less than the refresh margin remains. A client drives
    /// a refresh while holding its refresh lock, asking this again once it holds it.
    pub fn credentials_step(&self) -> CredentialStep {
        self.provider.step(self.corrected_now())
    }

    /// Stores what a driven [`Refresh`] obtained and returns the credentials to sign with; when
    /// it failed, credentials that have not expired yet are kept.
    pub fn finish_refresh(&self, refresh: Box<Refresh>) -> Result<Credentials, Error> {
        Ok(self.provider.finish(refresh, self.corrected_now())?)
    }

    /// Whether a call signed with `credentials` that failed with `error` should be sent again
    /// after renewing them: the service refused the fetched credentials' token
    /// (`AuthFailure.TokenFailure`, e.g. they expired early by its clock). The credentials are
    /// then marked expired, so the next [`credentials_step`](Self::credentials_step) renews them.
    pub fn renew_after(&self, credentials: &Credentials, error: &Error) -> bool {
        let refused = matches!(error, Error::Call(e) if e.api().is_some_and(|a| a.code == "AuthFailure.TokenFailure"));
        refused && self.provider.expire(credentials.secret_id())
    }

    fn corrected_now(&self) -> u64 {
        retry::adjusted_now(self.clock.unix_now(), self.clock_offset())
    }

    /// The clock this client reads (and, for the blocking client, sleeps on).
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// Seconds added to the local clock for every request, learnt from the service after an expired signature.
    pub fn clock_offset(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }

    /// Sets the clock correction, e.g. one remembered from an earlier run.
    pub fn set_clock_offset(&self, seconds: i64) {
        self.clock_offset.store(seconds, Ordering::Relaxed);
    }

    /// A call of a typed request, with a fresh `ClientToken` where the action takes one.
    pub fn typed_call<A: Action>(&self, request: &A) -> Result<Call, Error> {
        self.with_token(|token| Call::typed(request, token))
    }

    /// A call of any action with any serializable parameters, with a fresh `ClientToken` where the action takes one.
    pub fn json_call<P: Serialize + ?Sized>(
        &self,
        action: &str,
        params: &P,
    ) -> Result<Call, Error> {
        self.with_token(|token| Call::new(action, params, token))
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
            start: self.clock.monotonic(),
            jitter: AtomicU64::new(NO_JITTER),
            output: PhantomData,
        }
    }

    /// Starts a wait for `ids` (1 to 100) to reach `target`, now.
    pub fn polls<I, S>(
        &self,
        ids: I,
        target: WaitTarget,
        options: WaitOptions,
    ) -> Result<Polls<'_>, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids = ids.into_iter().map(Into::into).collect();
        Ok(Polls {
            core: self,
            waiter: Waiter::new(ids, target, options)?,
            start: self.clock.monotonic(),
        })
    }

    /// Runs `build` with a token source drawn from this client's random source.
    fn with_token(
        &self,
        build: impl FnOnce(&mut dyn FnMut() -> String) -> Result<Call, PrepareError>,
    ) -> Result<Call, Error> {
        let mut failed = None;
        let call = build(&mut || {
            let mut bytes = [0u8; 16];
            match self.random.fill(&mut bytes) {
                Ok(()) => retry::client_token(bytes),
                Err(e) => {
                    failed = Some(e);
                    String::new()
                }
            }
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(call.map_err(CallError::from)?),
        }
    }

    /// The timing of an outcome, with `drawn` (a random `u32` drawn with the attempt's nonce)
    /// for the jitter, or a fresh draw when there is none.
    fn timing(&self, start: Duration, drawn: Option<u32>) -> Timing {
        Timing {
            now: self.clock.unix_now(),
            elapsed: self.clock.monotonic().saturating_sub(start),
            jitter: drawn.map_or_else(|| random::jitter_from(&*self.random), random::jitter_of),
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
    start: Duration,
    /// The random `u32` for the last attempt's back-off jitter, drawn with its nonce (one draw
    /// from the random source per attempt instead of two), or [`NO_JITTER`].
    jitter: AtomicU64,
    output: PhantomData<fn() -> T>,
}

/// No jitter drawn yet (a `u32` never reaches it).
const NO_JITTER: u64 = u64::MAX;

impl<T> fmt::Debug for Attempts<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attempts")
            .field("call", &self.call)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> Attempts<'_, T> {
    /// The signed request of the next attempt with the client's current credentials (see
    /// [`request_with`](Self::request_with) for credentials that may need a refresh first).
    pub fn request(&self) -> Result<Prepared, Error> {
        let credentials = self.core.credentials().ok_or_else(|| ChainError::Fetch {
            source_name: "credentials".into(),
            reason: "not fetched yet; drive Core::credentials_step before the first attempt".into(),
        })?;
        self.request_with(&credentials)
    }

    /// The signed request of the next attempt, signed with `credentials` at the corrected clock
    /// and with a fresh nonce, with what was signed; the client's attempt observer (if any) sees it first.
    pub fn request_with(&self, credentials: &Credentials) -> Result<Prepared, Error> {
        let now = retry::adjusted_now(self.core.clock.unix_now(), self.core.clock_offset());
        let mut drawn = [0u8; 8];
        self.core.random.fill(&mut drawn)?;
        let [a, b, c, d, e, f, g, h] = drawn;
        let nonce = retry::nonce(u32::from_le_bytes([a, b, c, d]));
        self.jitter.store(
            u64::from(u32::from_le_bytes([e, f, g, h])),
            Ordering::Relaxed,
        );
        let prepared = self.call.request(self.config, credentials, now, nonce)?;
        if let Some(observe) = &self.core.observer {
            observe(&prepared);
        }
        Ok(prepared)
    }

    /// Takes what the transport got for that request; adopts the service's clock when told to.
    pub fn after(&mut self, outcome: Result<HttpResponse, TransportError>) -> Next<Reply<T>> {
        let drawn = self.jitter.swap(NO_JITTER, Ordering::Relaxed);
        let timing = self.core.timing(self.start, u32::try_from(drawn).ok());
        let step =
            self.call
                .on_outcome(self.config, outcome.as_ref().map_err(Clone::clone), timing);
        match step {
            Step::Done(Err(e))
                if self.call.may_have_applied() && self.call.client_token().is_some() =>
            {
                Next::Done(Err(Error::Unconfirmed {
                    action: self.call.action().to_owned(),
                    client_token: self.call.client_token().unwrap_or_default().to_owned(),
                    source: Box::new(Error::from(e)),
                }))
            }
            Step::Done(result) => Next::Done(result.map_err(Error::from)),
            Step::Retry {
                after,
                throttled,
                clock_offset,
                ..
            } => {
                if let Some(offset) = clock_offset {
                    self.core.set_clock_offset(offset);
                }
                Next::Sleep { after, throttled }
            }
        }
    }
}

impl Polls<'_> {
    /// Takes a poll that failed after its own retries: a transient failure is polled through
    /// until the deadline; any other ends the wait with that error.
    pub fn after_error(&mut self, error: Error) -> Next<Waiter> {
        let elapsed = self.core.clock.monotonic().saturating_sub(self.start);
        let again = match &error {
            Error::Call(call) => self.waiter.on_poll_error(call, elapsed),
            _ => None,
        };
        match again {
            Some(after) => Next::Sleep {
                after,
                throttled: false,
            },
            None if matches!(&error, Error::Call(e) if e.is_transient()) => {
                Next::Done(Err(self.waiter.timed_out(elapsed).into()))
            }
            None => Next::Done(Err(error)),
        }
    }
}

/// One wait across its polls: the [`Waiter`] and when the wait began.
#[derive(Debug, Clone)]
pub struct Polls<'a> {
    core: &'a Core,
    waiter: Waiter,
    start: Duration,
}

impl Polls<'_> {
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
        let elapsed = self.core.clock.monotonic().saturating_sub(self.start);
        let step = self.waiter.on_reply(reply, elapsed);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::VirtualClock;
    use crate::random::{OsRandom, SeededRandom};
    use cvm_proto::models::{DescribeZonesRequest, RunInstancesRequest};
    use serde::de::IgnoredAny;

    fn core(random: Arc<dyn Random>) -> Core {
        let creds = Credentials::new("AKIDx", "k").unwrap();
        let clock = Arc::new(VirtualClock::new(1_700_000_000));
        Core::new(
            ClientConfig::default(),
            Provider::fixed(creds, Source::Explicit),
            clock,
            random,
            None,
        )
    }

    #[test]
    fn tokens_are_fresh_hex() {
        let core = core(Arc::new(OsRandom));
        let token = |c: &Call| c.params().get("ClientToken").unwrap().to_owned();
        let a = token(&core.typed_call(&RunInstancesRequest::default()).unwrap());
        let b = token(&core.typed_call(&RunInstancesRequest::default()).unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        let j = random::jitter_from(&OsRandom);
        assert!((0.0..=1.0).contains(&j));
    }

    #[test]
    fn calls_get_a_token_only_where_the_action_takes_one() {
        let core = core(Arc::new(SeededRandom::new(1)));
        let run = core.typed_call(&RunInstancesRequest::default()).unwrap();
        assert_eq!(run.params().get("ClientToken").map(str::len), Some(32));
        let zones = core.typed_call(&DescribeZonesRequest::default()).unwrap();
        assert_eq!(zones.params().get("ClientToken"), None);
        let json = core
            .json_call("RunInstances", &serde_json::json!({}))
            .unwrap();
        assert!(json.params().get("ClientToken").is_some());
    }

    #[test]
    fn throttling_is_told_apart() {
        let core = core(Arc::new(SeededRandom::new(2)));
        let mut attempts: Attempts<'_, IgnoredAny> =
            core.attempts(core.typed_call(&DescribeZonesRequest::default()).unwrap());
        let reply = |code: &str| {
            Ok(HttpResponse::new(
                200,
                format!(
                    r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"m"}},"RequestId":"r"}}}}"#
                ),
            ))
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

    /// Counts the draws from the random source (each draw `7`s).
    #[derive(Debug, Default)]
    struct Counting(std::sync::atomic::AtomicUsize);

    impl Random for Counting {
        fn fill(&self, bytes: &mut [u8]) -> Result<(), Error> {
            self.0.fetch_add(1, Ordering::Relaxed);
            bytes.fill(7);
            Ok(())
        }
    }

    #[test]
    fn an_attempt_draws_its_nonce_and_jitter_at_once() {
        let counting = Arc::new(Counting::default());
        let core = core(Arc::clone(&counting) as Arc<dyn Random>);
        let draws = || counting.0.load(Ordering::Relaxed);
        let mut attempts: Attempts<'_, IgnoredAny> =
            core.attempts(core.typed_call(&DescribeZonesRequest::default()).unwrap());
        let sent = attempts.request().unwrap();
        assert_eq!(sent.params().unwrap().get("Nonce"), Some("117901063"));
        assert_eq!(draws(), 1);
        let throttled = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r"}}"#;
        assert!(matches!(
            attempts.after(Ok(HttpResponse::new(200, throttled))),
            Next::Sleep { .. }
        ));
        assert_eq!(draws(), 1, "the jitter came with the nonce");
        // An outcome without a request of its own draws its jitter then.
        assert!(matches!(
            attempts.after(Ok(HttpResponse::new(200, throttled))),
            Next::Sleep { .. }
        ));
        assert_eq!(draws(), 2);
    }

    #[test]
    fn an_expired_signature_sets_the_clock_offset_from_the_clock() {
        let core = core(Arc::new(SeededRandom::new(3)));
        let mut attempts: Attempts<'_, IgnoredAny> =
            core.attempts(core.typed_call(&DescribeZonesRequest::default()).unwrap());
        let body = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired; server time 1700000300"},"RequestId":"r"}}"#;
        let next = attempts.after(Ok(HttpResponse::new(200, body)));
        assert!(matches!(next, Next::Sleep { .. }), "{next:?}");
        assert_eq!(core.clock_offset(), 300);
        let sent = attempts.request().unwrap();
        assert_eq!(sent.params().unwrap().get("Timestamp"), Some("1700000300"));
        let params = cvm_proto::encode::decode(&sent.request.body).unwrap();
        assert_eq!(params.get("Timestamp"), Some("1700000300"));
    }
}
