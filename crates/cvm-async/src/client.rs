//! The async [`Client`], its [`ClientBuilder`], and batches of calls that share one back-off.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use cvm_client::{
    BuildClient, Builder, Clock, ConfigError, Core, CredentialStep, Error, Next, RefreshStep,
    SendsWith,
};
use cvm_proto::check_region;
use cvm_proto::envelope::Reply;
use cvm_proto::sts;
use cvm_proto::Action;
use cvm_proto::{Call, ClientConfig};
use cvm_proto::{Credentials, TransportError};
use cvm_proto::{WaitOptions, WaitTarget, Waiter};
use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::time::Instant;

use crate::clock::TokioClock;
use crate::http::{HttpSend, ReqwestTransport};

/// Builds an async [`Client`]; the same builder as the blocking client's, with the same methods.
pub type ClientBuilder = Builder<Client>;

/// An async CVM client: credentials, settings, one connection pool and the clock correction.
///
/// It is `Send + Sync` and cheap to clone (clones share the pool, the credentials and the clock
/// correction). Its [`Core`] holds the settings, credentials and clock correction. Dropping a
/// call's future cancels the call: nothing runs on, and no further attempt is sent. `Debug` shows no secret.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    /// The settings with another region, for a client made by [`Client::with_region`].
    regional: Option<Arc<ClientConfig>>,
    /// The back-off shared by the calls of one batch.
    gate: Option<Arc<Gate>>,
}

struct Shared {
    core: Core,
    http: Arc<dyn HttpSend>,
    /// Held while credentials are refreshed, so that concurrent calls wait for one refresh.
    refresh: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("core", &self.shared.core)
            .field("region", &self.config().region)
            .finish_non_exhaustive()
    }
}

impl BuildClient for Client {
    type Transport = Arc<dyn HttpSend>;

    fn default_transport(config: &ClientConfig) -> Result<Self::Transport, Error> {
        let pool = ReqwestTransport::new(config)?;
        Ok(Arc::new(pool))
    }

    fn default_clock() -> Arc<dyn Clock> {
        Arc::new(TokioClock::new())
    }

    fn assemble(core: Core, http: Self::Transport) -> Self {
        let shared = Arc::new(Shared {
            core,
            http,
            refresh: tokio::sync::Mutex::new(()),
        });
        Client {
            shared,
            regional: None,
            gate: None,
        }
    }
}

/// Any async [`HttpSend`] can be given to [`ClientBuilder::transport`](Builder::transport).
impl<H: HttpSend + 'static> SendsWith<H> for Client {
    fn hold(http: H) -> Arc<dyn HttpSend> {
        Arc::new(http)
    }
}

impl Client {
    /// A builder with the defaults: credentials from the chain, region from the environment, the global endpoint.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The settings, credentials, clock correction, clock and random source (shared by every clone).
    pub fn core(&self) -> &Core {
        &self.shared.core
    }

    /// The settings every call of this client uses (those of [`Core::config`] but for a region set by [`with_region`](Self::with_region)).
    pub fn config(&self) -> &ClientConfig {
        self.regional
            .as_deref()
            .unwrap_or_else(|| self.shared.core.config())
    }

    /// A client for `region` sharing this one's pool, credentials and clock correction; the endpoint stays the same.
    pub fn with_region(&self, region: impl Into<String>) -> Result<Client, Error> {
        let region = region.into();
        check_region(&region).map_err(ConfigError::from)?;
        let mut config = self.config().clone();
        config.region = Some(region);
        Ok(Client {
            regional: Some(Arc::new(config)),
            ..self.clone()
        })
    }

    /// Calls a typed action, retrying as the retry policy allows.
    pub fn call<A: Action>(
        &self,
        request: &A,
    ) -> impl Future<Output = Result<Reply<A::Output>, Error>> + Send + '_ {
        let call = self.shared.core.typed_call(request);
        async move { self.run(call?).await }
    }

    /// Calls any action with any serializable parameters and returns the raw `Response` object.
    pub fn call_json<P: Serialize + ?Sized>(
        &self,
        action: &str,
        params: &P,
    ) -> impl Future<Output = Result<Reply<serde_json::Value>, Error>> + Send + '_ {
        let call = self.shared.core.json_call(action, params);
        async move { self.run(call?).await }
    }

    /// Polls `DescribeInstancesStatus` until every instance reaches `target`, calling `progress`
    /// after each answered poll; returns the waiter with the last states seen.
    ///
    /// A poll that fails transiently after its own retries (a lost reply, a gateway error,
    /// throttling) is polled through until the deadline; any other failure ends the wait with it.
    pub async fn wait_until(
        &self,
        ids: impl IntoIterator<Item = impl Into<String>>,
        target: WaitTarget,
        options: WaitOptions,
        mut progress: impl FnMut(&Waiter),
    ) -> Result<Waiter, Error> {
        let mut polls = self.shared.core.polls(ids, target, options)?;
        loop {
            let next = match self.call(&polls.request()).await {
                Ok(reply) => polls.after(&reply.output, &mut progress),
                Err(error) => polls.after_error(error),
            };
            match next {
                Next::Done(result) => return result,
                Next::Sleep { after, .. } => tokio::time::sleep(after).await,
            }
        }
    }

    /// Runs `f` on every item, at most `max_in_flight` at once (0 counts as 1), and returns the outputs in input order.
    ///
    /// `f` gets a clone of this client whose calls share one back-off: once any of them is told
    /// `RequestLimitExceeded`, none sends another attempt until that back-off has passed.
    pub async fn batch<I, F, Fut>(
        &self,
        items: I,
        max_in_flight: usize,
        mut f: F,
    ) -> Vec<Fut::Output>
    where
        I: IntoIterator,
        F: FnMut(Client, I::Item) -> Fut,
        Fut: Future,
    {
        let gated = Client {
            gate: Some(Arc::default()),
            ..self.clone()
        };
        let mut done: Vec<(usize, Fut::Output)> = stream::iter(items.into_iter().enumerate())
            .map(|(i, item)| {
                let work = f(gated.clone(), item);
                async move { (i, work.await) }
            })
            .buffer_unordered(max_in_flight.max(1))
            .collect()
            .await;
        done.sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, output)| output).collect()
    }

    /// Calls every request as a [`batch`](Self::batch): e.g. `TerminateInstances` of 100 ids each
    /// with `ids.chunks(100).map(TerminateInstancesRequest::new)`.
    pub async fn call_all<A, I>(
        &self,
        requests: I,
        max_in_flight: usize,
    ) -> Vec<Result<Reply<A::Output>, Error>>
    where
        A: Action,
        I: IntoIterator<Item = A>,
    {
        self.batch(requests, max_in_flight, |client, request| async move {
            client.call(&request).await
        })
        .await
    }

    /// Calls `request` once in each region as a [`batch`](Self::batch), e.g. `DescribeInstances` everywhere.
    pub async fn call_in_regions<A, R>(
        &self,
        regions: R,
        request: &A,
        max_in_flight: usize,
    ) -> Vec<Result<Reply<A::Output>, Error>>
    where
        A: Action,
        R: IntoIterator,
        R::Item: Into<String>,
    {
        self.batch(regions, max_in_flight, |client, region| async move {
            client.with_region(region)?.call(request).await
        })
        .await
    }

    /// The credentials to sign with now, fetching or refreshing them first when they are due:
    /// one caller refreshes while the others wait (asynchronously) for its result.
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        let core = &self.shared.core;
        if let CredentialStep::Ready(c) = core.credentials_step() {
            return Ok(c);
        }
        let _turn = self.shared.refresh.lock().await;
        let mut refresh = match core.credentials_step() {
            CredentialStep::Ready(c) => return Ok(c),
            CredentialStep::Refresh(refresh) => refresh,
        };
        let mut outcome = None;
        while let RefreshStep::Send { request, timeout } = refresh.step(outcome.take()) {
            let sent =
                tokio::time::timeout(timeout, self.shared.http.send(&request, sts::REPLY_LIMIT))
                    .await;
            outcome = Some(sent.unwrap_or_else(|_| {
                Err(TransportError {
                    maybe_sent: true,
                    timed_out: true,
                    message: format!("no reply within {timeout:?}"),
                })
            }));
        }
        core.finish_refresh(refresh)
    }

    /// Drives one call through its attempts: wait for the batch's gate, sign, send, let the call
    /// decide, sleep, repeat. Nothing is held across an await but the call's own state.
    async fn run<T: DeserializeOwned>(&self, call: Call) -> Result<Reply<T>, Error> {
        let config = self.config();
        let mut attempts = self.shared.core.attempts_with(call, config);
        let mut renewed = false;
        let mut first = true;
        loop {
            if let Some(gate) = &self.gate {
                gate.pass().await;
            }
            let credentials = self.credentials().await?;
            let request = attempts.request_with(&credentials)?.request;
            if first && self.gate.is_some() {
                // In a batch, every call signs its first request before any is sent, so that
                // they go out in one burst: the transport's connection tasks then run once for
                // the batch instead of being woken (and parking again) between signatures.
                first = false;
                yield_once().await;
            }
            let outcome = self.shared.http.send(&request, config.body_limit).await;
            // The step is taken apart before sleeping, so that no reply is held across the await.
            let (after, throttled) = match attempts.after(outcome) {
                // Fetched credentials the service refused are renewed once and the call sent again
                // (an authentication failure did nothing).
                Next::Done(Err(e))
                    if !renewed && self.shared.core.renew_after(&credentials, &e) =>
                {
                    renewed = true;
                    continue;
                }
                Next::Done(result) => return result,
                Next::Sleep { after, throttled } => (after, throttled),
            };
            if let (true, Some(gate)) = (throttled, &self.gate) {
                gate.close_for(after);
            }
            tokio::time::sleep(after).await;
        }
    }
}

/// Returns `Pending` once (waking itself at once), so that the other futures of a batch are polled first.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await;
}

/// The back-off shared by a batch: the moment before which no call of the batch sends an attempt.
#[derive(Debug, Default)]
struct Gate {
    open_at: Mutex<Option<Instant>>,
}

impl Gate {
    /// Waits until the gate is open (its lock is never held across the wait).
    async fn pass(&self) {
        loop {
            let open_at = *self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
            match open_at {
                Some(at) if at > Instant::now() => tokio::time::sleep_until(at).await,
                _ => return,
            }
        }
    }

    /// Keeps the gate shut for at least `after` from now.
    fn close_for(&self, after: Duration) {
        let until = Instant::now() + after;
        let mut open_at = self.open_at.lock().unwrap_or_else(PoisonError::into_inner);
        if open_at.is_none_or(|at| at < until) {
            *open_at = Some(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn client_is_send_sync_and_its_calls_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        assert_send_sync::<Client>();
        assert_send_sync::<ClientBuilder>();
        let client = Client::builder()
            .credentials(cvm_proto::Credentials::new("AKIDx", "k").unwrap())
            .region("ap-guangzhou")
            .build()
            .unwrap();
        let request = cvm_proto::models::DescribeZonesRequest::default();
        assert_send(&client.call(&request));
        assert_send(&client.wait_until(
            ["ins-1"],
            WaitTarget::Gone,
            WaitOptions::default(),
            |_| {},
        ));
        assert_send(&client.call_all([request.clone()], 2));
        assert_send(&client.call_in_regions(["ap-beijing"], &request, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn the_gate_holds_everyone_until_the_longest_back_off() {
        let gate = Gate::default();
        let start = Instant::now();
        gate.pass().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        gate.close_for(Duration::from_millis(300));
        gate.close_for(Duration::from_millis(100));
        gate.pass().await;
        assert_eq!(start.elapsed(), Duration::from_millis(300));
        gate.pass().await;
        assert_eq!(start.elapsed(), Duration::from_millis(300));
    }
}
