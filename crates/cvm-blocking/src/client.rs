//! The blocking [`Client`] and its [`ClientBuilder`].

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use cvm_proto::envelope::Reply;
use cvm_proto::Action;
use cvm_proto::{Call, ClientConfig};
use cvm_proto::{WaitOptions, WaitTarget, Waiter};
use serde::de::DeserializeOwned;
use serde::Serialize;

use cvm_client::{BuildClient, Builder, Core, CredentialStep, Error, Next, RefreshStep, SendsWith};
use cvm_proto::sts;
use cvm_proto::Credentials;

use crate::http::{HttpSend, UreqTransport};

/// Builds a blocking [`Client`]; every setting of [`ClientConfig`] has a method.
pub type ClientBuilder = Builder<Client>;

/// A blocking CVM client: credentials, settings, one HTTP agent and the clock correction.
///
/// It is `Send + Sync`: share it (e.g. in an `Arc`) between threads. Its [`Core`] holds the
/// settings, credentials and clock correction. `Debug` shows no secret.
pub struct Client {
    core: Core,
    http: Arc<dyn HttpSend>,
    /// Held while credentials are refreshed, so that concurrent calls wait for one refresh.
    refresh: Mutex<()>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

impl BuildClient for Client {
    type Transport = Arc<dyn HttpSend>;

    fn default_transport(config: &ClientConfig) -> Result<Self::Transport, Error> {
        Ok(Arc::new(UreqTransport::new(config)))
    }

    fn assemble(core: Core, http: Self::Transport) -> Self {
        Client {
            core,
            http,
            refresh: Mutex::new(()),
        }
    }
}

impl<H: HttpSend + 'static> SendsWith<H> for Client {
    fn hold(http: H) -> Self::Transport {
        Arc::new(http)
    }
}

impl Client {
    /// A builder with the defaults: credentials from the chain, region from the environment, the global endpoint.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The settings, credentials, clock correction, clock and random source.
    pub fn core(&self) -> &Core {
        &self.core
    }

    /// The settings every call uses.
    pub fn config(&self) -> &ClientConfig {
        self.core.config()
    }

    /// Calls a typed action, retrying as the retry policy allows.
    pub fn call<A: Action>(&self, request: &A) -> Result<Reply<A::Output>, Error> {
        self.run(self.core.typed_call(request)?)
    }

    /// Calls any action with any serializable parameters and returns the raw `Response` object.
    pub fn call_json<P: Serialize + ?Sized>(
        &self,
        action: &str,
        params: &P,
    ) -> Result<Reply<serde_json::Value>, Error> {
        self.run(self.core.json_call(action, params)?)
    }

    /// Polls `DescribeInstancesStatus` until every instance reaches `target`, calling `progress`
    /// after each answered poll; returns the waiter with the last states seen.
    ///
    /// A poll that fails transiently after its own retries (a lost reply, a gateway error,
    /// throttling) is polled through until the deadline; any other failure ends the wait with it.
    pub fn wait_until<I, S>(
        &self,
        ids: I,
        target: WaitTarget,
        options: WaitOptions,
        mut progress: impl FnMut(&Waiter),
    ) -> Result<Waiter, Error>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut polls = self.core.polls(ids, target, options)?;
        loop {
            let next = match self.call(&polls.request()) {
                Ok(reply) => polls.after(&reply.output, &mut progress),
                Err(error) => polls.after_error(error),
            };
            match next {
                Next::Done(result) => return result,
                Next::Sleep { after, .. } => self.core.clock().sleep(after),
            }
        }
    }

    /// The credentials to sign with now, fetching or refreshing them first when they are due:
    /// one caller refreshes while the others wait for its result.
    pub fn credentials(&self) -> Result<Credentials, Error> {
        if let CredentialStep::Ready(c) = self.core.credentials_step() {
            return Ok(c);
        }
        let _turn = self.refresh.lock().unwrap_or_else(PoisonError::into_inner);
        match self.core.credentials_step() {
            CredentialStep::Ready(c) => Ok(c),
            CredentialStep::Refresh(mut refresh) => {
                let mut outcome = None;
                while let RefreshStep::Send { request, timeout } = refresh.step(outcome.take()) {
                    outcome = Some(self.http.send_within(&request, sts::REPLY_LIMIT, timeout));
                }
                self.core.finish_refresh(refresh)
            }
        }
    }

    /// Drives one call through its attempts: sign, send, let the call decide, sleep, repeat.
    fn run<T: DeserializeOwned>(&self, call: Call) -> Result<Reply<T>, Error> {
        let mut attempts = self.core.attempts(call);
        let mut renewed = false;
        loop {
            let credentials = self.credentials()?;
            let outcome = self.http.send(
                &attempts.request_with(&credentials)?.request,
                self.config().body_limit,
            );
            match attempts.after(outcome) {
                // Fetched credentials the service refused are renewed once and the call sent again
                // (an authentication failure did nothing).
                Next::Done(Err(e)) if !renewed && self.core.renew_after(&credentials, &e) => {
                    renewed = true;
                }
                Next::Done(result) => return result,
                Next::Sleep { after, .. } => self.core.clock().sleep(after),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn client_is_send_and_sync() {
        assert_send_sync::<Client>();
        assert_send_sync::<Error>();
        assert_send_sync::<ClientBuilder>();
    }
}
