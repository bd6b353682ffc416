//! The HTTP layer: a small async trait that sends one prepared request, and its reqwest implementation.
//!
//! [`Client`](crate::Client) uses [`ReqwestTransport`] unless given another [`HttpSend`], so tests
//! and embedders can plug in any HTTP client (or a scripted fake).

use std::error::Error as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use cvm_client::Error;
use cvm_proto::HttpResponse;
use cvm_proto::{CallError, ClientConfig, TransportError};
use cvm_proto::{HttpMethod, HttpRequest, REQUEST_CLIENT};

/// The future an [`HttpSend`] returns: the reply, or how the exchange failed below HTTP.
pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one signed request and returns the reply, or how the exchange failed below HTTP.
///
/// Implementations must not treat HTTP error statuses as failures, must read at most
/// `body_limit + 1` body bytes (so that an oversize reply is detected without reading it all),
/// must set [`TransportError::maybe_sent`] to false only when the request certainly never
/// reached the service, and must stop all work when the future is dropped.
pub trait HttpSend: Send + Sync {
    /// Sends `request`; the reply body is read up to `body_limit + 1` bytes.
    fn send<'a>(&'a self, request: &'a HttpRequest, body_limit: usize) -> SendFuture<'a>;
}

impl<T: HttpSend + ?Sized> HttpSend for Arc<T> {
    fn send<'a>(&'a self, request: &'a HttpRequest, body_limit: usize) -> SendFuture<'a> {
        (**self).send(request, body_limit)
    }
}

/// The default transport: one `reqwest::Client` (a connection pool, rustls for HTTPS) per client.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    /// How long one exchange (sending, the reply's head and its body) may take in all; `None`
    /// leaves it to the `reqwest::Client`'s own settings.
    timeout: Option<Duration>,
}

impl ReqwestTransport {
    /// A pool with the config's connect and overall timeouts, no redirects, and no proxy for a loopback endpoint.
    ///
    /// The overall timeout is one deadline around each exchange rather than reqwest's own
    /// `timeout`, which boxes its timer and wraps the body in a second future that polls it on
    /// every frame: the same limit, at about 1.1k fewer instructions per call (callgrind,
    /// `examples/profile_transport`).
    pub fn new(config: &ClientConfig) -> Result<Self, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(REQUEST_CLIENT)
            .tcp_nodelay(true);
        if config.endpoint.is_loopback() {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            Error::Call(CallError::Transport {
                timed_out: false,
                message: format!("cannot set up the HTTP client: {}", chain(&e)),
            })
        })?;
        Ok(Self {
            client,
            timeout: Some(config.timeout),
        })
    }

    /// Sends through an existing `reqwest::Client`, with whatever settings it has.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            timeout: None,
        }
    }

    async fn exchange(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, reqwest::Error> {
        let mut builder = match request.method {
            HttpMethod::Get => self.client.get(&request.url),
            HttpMethod::Post => self.client.post(&request.url).body(request.body.clone()),
        };
        // The `Host` header sent is the one signed; hyper then adds none of its own.
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        let mut response = builder.send().await?;
        let status = response.status().as_u16();
        let mut headers = Vec::with_capacity(response.headers().len());
        for (name, value) in response.headers() {
            if let Ok(value) = value.to_str() {
                headers.push((name.as_str().to_owned(), value.to_owned()));
            }
        }
        let cap = body_limit.saturating_add(1);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            let room = cap - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() == cap {
                break;
            }
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

impl HttpSend for ReqwestTransport {
    fn send<'a>(&'a self, request: &'a HttpRequest, body_limit: usize) -> SendFuture<'a> {
        Box::pin(async move {
            let exchange = self.exchange(request, body_limit);
            let outcome = match self.timeout {
                Some(limit) => match tokio::time::timeout(limit, exchange).await {
                    Ok(outcome) => outcome,
                    Err(_) => return Err(timed_out(limit)),
                },
                None => exchange.await,
            };
            outcome.map_err(|e| transport_error(&e, request))
        })
    }
}

/// The failure of an exchange that outlasted `limit`: it may have been sent.
fn timed_out(limit: Duration) -> TransportError {
    TransportError {
        maybe_sent: true,
        timed_out: true,
        message: format!("no complete reply within {limit:?}"),
    }
}

/// Classifies a reqwest failure: whether it was a timeout and whether the request may have been sent.
/// The message never contains the URL's query, which carries the signature and any session token.
fn transport_error(error: &reqwest::Error, request: &HttpRequest) -> TransportError {
    TransportError {
        // A failed connection attempt (refused, DNS, TLS handshake, connect timeout) sent nothing;
        // a builder error never left this process.
        maybe_sent: !(error.is_connect() || error.is_builder()),
        timed_out: error.is_timeout(),
        message: request.redact(chain(error)),
    }
}

/// The error and its sources, without the query of the URL reqwest puts in its own message.
fn chain(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(query) = error.url().and_then(reqwest::Url::query) {
        if !query.is_empty() {
            message = message.replace(query, "<redacted>");
        }
    }
    let mut source = error.source();
    while let Some(e) = source {
        message.push_str(": ");
        message.push_str(&e.to_string());
        source = e.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refused_connection_was_not_sent_and_hides_the_query() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let url = format!("http://127.0.0.1:{port}/?SecretId=AKID&Token=tok&Signature=sig");
        let config = {
            let mut v = ClientConfig::default();
            v.endpoint = cvm_proto::Endpoint::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
            v
        };
        let transport = ReqwestTransport::new(&config).unwrap();
        let request = HttpRequest {
            method: HttpMethod::Get,
            url,
            headers: vec![("Host", format!("127.0.0.1:{port}"))],
            body: vec![],
        };
        let err = transport.send(&request, 100).await.unwrap_err();
        assert!(!err.maybe_sent && !err.timed_out, "{err:?}");
        assert!(
            !err.message.contains("tok") && !err.message.contains("sig"),
            "{}",
            err.message
        );
        assert!(err.message.contains("127.0.0.1"), "{}", err.message);
    }
}
