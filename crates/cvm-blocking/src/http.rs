//! The HTTP layer: a small trait that sends one prepared request, and its ureq implementation.
//!
//! [`Client`](crate::Client) uses [`UreqTransport`] unless given another [`HttpSend`], so tests
//! and embedders can plug in any HTTP client (or a scripted fake).

use std::io::{self, Read};
use std::sync::Arc;
use std::time::Duration;

use cvm_proto::HttpResponse;
use cvm_proto::{ClientConfig, TransportError};
use cvm_proto::{HttpMethod, HttpRequest, REQUEST_CLIENT};
use ureq::Timeout;

/// Sends one signed request and returns the reply, or how the exchange failed below HTTP.
///
/// Implementations must not treat HTTP error statuses as failures, must read at most
/// `body_limit + 1` body bytes (so that an oversize reply is detected without reading it all),
/// and must set [`TransportError::maybe_sent`] to false only when the request certainly never
/// reached the service (connection refused, DNS failure, TLS handshake failure).
pub trait HttpSend: Send + Sync {
    /// Sends `request`; the reply body is read up to `body_limit + 1` bytes.
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError>;

    /// Sends `request`, giving up after `timeout` in all, connection included (used to fetch
    /// credentials, e.g. from a metadata service that off-cloud does not exist). The default
    /// ignores `timeout`; [`UreqTransport`] honours it.
    fn send_within(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let _ = timeout;
        self.send(request, body_limit)
    }
}

impl<T: HttpSend + ?Sized> HttpSend for Arc<T> {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        (**self).send(request, body_limit)
    }

    fn send_within(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        (**self).send_within(request, body_limit, timeout)
    }
}

impl<T: HttpSend + ?Sized> HttpSend for Box<T> {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        (**self).send(request, body_limit)
    }

    fn send_within(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        (**self).send_within(request, body_limit, timeout)
    }
}

/// The default transport: one `ureq::Agent` (connection reuse, rustls for HTTPS) per client.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

impl UreqTransport {
    /// An agent with the config's connect and overall timeouts, HTTP error statuses returned
    /// as replies, no redirects, and no proxy for a loopback endpoint.
    pub fn new(config: &ClientConfig) -> Self {
        let proxy = if config.endpoint.is_loopback() {
            None
        } else {
            ureq::Proxy::try_from_env()
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            // A client shared by many threads keeps a connection per thread instead of reconnecting.
            .max_idle_connections(256)
            .max_idle_connections_per_host(64)
            .user_agent(REQUEST_CLIENT)
            .proxy(proxy)
            .build()
            .into();
        Self { agent }
    }

    fn exchange(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Option<Duration>,
    ) -> Result<HttpResponse, ureq::Error> {
        // The `Host` header sent is the one signed; ureq then adds none of its own.
        let headers = request.headers.iter();
        let mut response = match request.method {
            HttpMethod::Get => {
                let mut builder = self.agent.get(&request.url);
                if let Some(t) = timeout {
                    builder = builder
                        .config()
                        .timeout_global(Some(t))
                        .timeout_connect(Some(t))
                        .build();
                }
                for (name, value) in headers {
                    builder = builder.header(*name, value.as_str());
                }
                builder.call()?
            }
            HttpMethod::Post => {
                let mut builder = self.agent.post(&request.url);
                if let Some(t) = timeout {
                    builder = builder
                        .config()
                        .timeout_global(Some(t))
                        .timeout_connect(Some(t))
                        .build();
                }
                for (name, value) in headers {
                    builder = builder.header(*name, value.as_str());
                }
                builder.send(&request.body[..])?
            }
        };
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        let cap = u64::try_from(body_limit)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(cap)
            .read_to_end(&mut body)
            .map_err(ureq::Error::from)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

impl HttpSend for UreqTransport {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        self.exchange(request, body_limit, None)
            .map_err(|e| transport_error(&e, request))
    }

    fn send_within(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        self.exchange(request, body_limit, Some(timeout))
            .map_err(|e| transport_error(&e, request))
    }
}

/// Classifies a ureq failure: whether it was a timeout and whether the request may have been sent.
/// The message never contains the URL's query, which carries the signature and any session token.
fn transport_error(error: &ureq::Error, request: &HttpRequest) -> TransportError {
    let (maybe_sent, timed_out) = match error {
        // Timeouts while resolving or connecting happen before a byte of the request is written.
        // A global timeout can fire in any phase, so it counts as possibly sent.
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => (false, true),
        ureq::Error::Timeout(_) => (true, true),
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::Http(_)
        | ureq::Error::InvalidProxyUrl
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::RequireHttpsOnly(_)
        | ureq::Error::Tls(_)
        | ureq::Error::TlsRequired
        | ureq::Error::Pem(_)
        | ureq::Error::Rustls(_) => (false, false),
        ureq::Error::Io(e) => (!is_connect_error(e), e.kind() == io::ErrorKind::TimedOut),
        _ => (true, false),
    };
    TransportError {
        maybe_sent,
        timed_out,
        message: request.redact(error.to_string()),
    }
}

/// I/O errors that only a connection attempt produces, so the request was not sent.
fn is_connect_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_failures() {
        let url = "http://h/?SecretId=AKID&Token=tok&Signature=sig";
        let request = HttpRequest {
            method: HttpMethod::Get,
            url: url.into(),
            headers: vec![],
            body: vec![],
        };
        let url = &request;
        let refused = ureq::Error::Io(io::Error::new(io::ErrorKind::ConnectionRefused, "refused"));
        assert!(!transport_error(&refused, url).maybe_sent);
        let reset = ureq::Error::Io(io::Error::new(io::ErrorKind::ConnectionReset, "reset"));
        assert!(transport_error(&reset, url).maybe_sent);
        let connect = transport_error(&ureq::Error::Timeout(Timeout::Connect), url);
        assert!(connect.timed_out && !connect.maybe_sent);
        let recv = transport_error(&ureq::Error::Timeout(Timeout::RecvResponse), url);
        assert!(recv.timed_out && recv.maybe_sent);
        assert!(!transport_error(&ureq::Error::HostNotFound, url).maybe_sent);
        let bad = transport_error(&ureq::Error::BadUri(request.url.clone()), url);
        assert!(
            !bad.message.contains("tok") && !bad.message.contains("sig"),
            "{}",
            bad.message
        );
    }
}
