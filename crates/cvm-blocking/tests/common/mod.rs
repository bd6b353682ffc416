//! Helpers of the blocking client's integration tests: the shared ones of `cvm-test-support`,
//! and [`Fake`], its scripted [`Script`] as a blocking [`HttpSend`].
#![allow(dead_code, clippy::unwrap_used)]

use std::sync::Arc;

use cvm_blocking::proto::HttpRequest;
use cvm_blocking::{Client, ClientBuilder, HttpResponse, HttpSend, TransportError};
pub(crate) use cvm_test_support::prelude::*;

/// A blocking transport that records every request's decoded parameters and answers from a [`Script`].
pub(crate) struct Fake(Script);

impl Fake {
    pub(crate) fn script(answers: impl IntoIterator<Item = Answer>) -> Arc<Self> {
        Arc::new(Self(Script::new(answers)))
    }

    pub(crate) fn with(
        responder: impl Fn(&cvm_blocking::proto::Params) -> Answer + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(Self(Script::with(responder)))
    }

    /// The parameters of every attempt so far.
    pub(crate) fn sent(&self) -> Vec<cvm_blocking::proto::Params> {
        self.0.sent()
    }

    pub(crate) fn attempts(&self) -> usize {
        self.0.attempts()
    }
}

impl HttpSend for Fake {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        self.0.answer(request, body_limit)
    }
}

/// A client builder with the test credentials, a region, fast retries and `fake` as transport.
pub(crate) fn builder(fake: &Arc<Fake>) -> ClientBuilder {
    Client::builder()
        .credentials(creds())
        .region("ap-guangzhou")
        .retry(fast_retry(4))
        .transport(Arc::clone(fake))
}
