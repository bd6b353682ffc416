//! Helpers of the async integration tests only (beside the shared ones of `cvm-test-support`):
//! the reqwest transport with a record of attempts.
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cvm_async::proto::HttpRequest;
use cvm_async::proto::Params;
use cvm_async::{ClientConfig, Endpoint, HttpSend, ReqwestTransport, SendFuture};

use cvm_test_support::prelude::params_of;

/// The reqwest transport, recording every attempt's parameters and counting answered attempts.
pub(crate) struct Recording {
    inner: ReqwestTransport,
    sent: Mutex<Vec<Params>>,
    answered: AtomicUsize,
}

impl Recording {
    /// A recording reqwest transport for `endpoint`, with the default timeouts.
    pub(crate) fn new(endpoint: Endpoint) -> Arc<Self> {
        let config = {
            let mut v = ClientConfig::default();
            v.endpoint = endpoint;
            v
        };
        Arc::new(Self {
            inner: ReqwestTransport::new(&config).unwrap(),
            sent: Mutex::new(Vec::new()),
            answered: AtomicUsize::new(0),
        })
    }

    /// The parameters of every attempt begun so far.
    pub(crate) fn sent(&self) -> Vec<Params> {
        self.sent.lock().unwrap().clone()
    }

    /// How many attempts have come back, answered or failed.
    pub(crate) fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }
}

impl HttpSend for Recording {
    fn send<'a>(&'a self, request: &'a HttpRequest, body_limit: usize) -> SendFuture<'a> {
        self.sent.lock().unwrap().push(params_of(request));
        Box::pin(async move {
            let outcome = self.inner.send(request, body_limit).await;
            self.answered.fetch_add(1, Ordering::SeqCst);
            outcome
        })
    }
}
