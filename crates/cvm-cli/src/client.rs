//! Building a blocking client from the global flags, with `-v` tracing of each attempt.

use std::sync::Arc;
use std::time::Duration;

use cvm_blocking::{Client, HttpResponse, HttpSend, UreqTransport};
use cvm_proto::profile::ENV_REGION;
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::{ClientConfig, TransportError};
use cvm_proto::{Credentials, Endpoint};
use cvm_proto::{HttpMethod, HttpRequest, Prepared};

use crate::output::Failure;

/// The flags every command that talks to an endpoint shares.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GlobalArgs {
    /// Endpoint URL, e.g. https://cvm.tencentcloudapi.com/ or http://127.0.0.1:8080/ for `cvm sim`.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "CVM_ENDPOINT"
    )]
    pub endpoint: Option<String>,
    /// Region, e.g. ap-guangzhou (default: TENCENTCLOUD_REGION, else the profile's region).
    #[arg(long, global = true, help_heading = "Global options")]
    pub region: Option<String>,
    /// Profile of ~/.tencentcloud/credentials to use (default: TENCENTCLOUD_PROFILE or "default").
    #[arg(long, global = true, help_heading = "Global options")]
    pub profile: Option<String>,
    /// HmacSHA1 or HmacSHA256 (signature v1), or TC3-HMAC-SHA256 (API 3.0: JSON bodies, X-TC-* headers).
    #[arg(long, global = true, help_heading = "Global options", default_value = "HmacSHA256", value_parser = parse_signature_method)]
    pub signature_method: SignatureMethod,
    /// get or post.
    #[arg(long, global = true, help_heading = "Global options", default_value = "post", value_parser = parse_http_method)]
    pub http_method: HttpMethod,
    /// Seconds one attempt may take, 30 by default (waits are bounded by --wait-timeout).
    #[arg(long, global = true, help_heading = "Global options")]
    pub timeout: Option<f64>,
    /// Allow a plain http:// endpoint on another machine (credentials and passwords cross the network in clear text).
    #[arg(long, global = true, help_heading = "Global options")]
    pub allow_insecure_http: bool,
    /// Show each attempt's method, URL and string to sign (SecretId, Token, passwords redacted) on stderr.
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
}

fn parse_signature_method(s: &str) -> Result<SignatureMethod, String> {
    s.parse()
        .map_err(|e: sign::UnknownSignatureMethod| e.to_string())
}

fn parse_http_method(s: &str) -> Result<HttpMethod, String> {
    s.parse()
        .map_err(|e: cvm_proto::UnknownHttpMethod| e.to_string())
}

impl GlobalArgs {
    /// `--timeout` as a duration, `default` seconds when absent; a non-positive or absurd value is a usage error.
    pub(crate) fn timeout_or(&self, default: f64) -> Result<Duration, Failure> {
        let secs = self.timeout.unwrap_or(default);
        if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
            Ok(Duration::from_secs_f64(secs))
        } else {
            Err(Failure::usage(format!(
                "--timeout must be a number of seconds between 0 and 86400, not {secs}"
            )))
        }
    }

    /// The attempt timeout (`--timeout`, 30 s by default).
    pub(crate) fn timeout(&self) -> Result<Duration, Failure> {
        self.timeout_or(30.0)
    }

    /// A client for actions that take no region (DescribeRegions): `--region` is sent if given, never required.
    pub(crate) fn regionless_client(&self) -> Result<Client, Failure> {
        match &self.region {
            Some(_) => self.client(None, None),
            None => self.build(None, None, true),
        }
    }

    /// A client for these flags; `credentials` overrides the chain (the demo uses the emulator's).
    pub(crate) fn client(
        &self,
        credentials: Option<Credentials>,
        endpoint: Option<Endpoint>,
    ) -> Result<Client, Failure> {
        self.build(credentials, endpoint, false)
    }

    /// A client whose calls are retried within `budget` (e.g. `run --wait`'s deadline): a call
    /// with a ClientToken is retried on every transient outcome until then.
    pub(crate) fn client_within(&self, budget: Duration) -> Result<Client, Failure> {
        let builder = self.builder(None, None, false)?;
        self.announced(
            builder
                .retry(cvm_blocking::RetryPolicy::default().with_deadline(budget))
                .build()?,
        )
    }

    fn build(
        &self,
        credentials: Option<Credentials>,
        endpoint: Option<Endpoint>,
        no_region: bool,
    ) -> Result<Client, Failure> {
        self.announced(self.builder(credentials, endpoint, no_region)?.build()?)
    }

    /// With -v, resolves the credentials chain at once and says which source won (its fetches,
    /// if any, are traced above that line); the secrets themselves are never printed.
    fn announced(&self, client: Client) -> Result<Client, Failure> {
        if self.verbose {
            client.credentials()?;
            eprintln!("* credentials: {}", client.core().credentials_source());
        }
        Ok(client)
    }

    fn builder(
        &self,
        credentials: Option<Credentials>,
        endpoint: Option<Endpoint>,
        no_region: bool,
    ) -> Result<cvm_blocking::ClientBuilder, Failure> {
        let timeout = self.timeout()?;
        let mut builder = Client::builder()
            .signature_method(self.signature_method)
            .http_method(self.http_method)
            .timeout(timeout)
            .allow_insecure_http(self.allow_insecure_http);
        if let Some(c) = credentials {
            builder = builder.credentials(c);
        }
        if let Some(p) = &self.profile {
            builder = builder.profile(p.clone());
        }
        if let Some(r) = &self.region {
            builder = builder.region(r.clone());
        } else if no_region {
            builder = builder.no_region();
        } else if crate::environment::text(ENV_REGION)?.is_none() {
            // The profile's region (`cvm configure`) comes after the flag and the environment.
            if let Some(r) = crate::profile_file::default_value(self.profile.as_deref(), "region")?
            {
                builder = builder.region(r);
            }
        }
        let endpoint = match (endpoint, &self.endpoint) {
            (Some(e), _) => Some(e),
            (None, Some(url)) => {
                Some(Endpoint::parse(url).map_err(|e| Failure::usage(e.to_string()))?)
            }
            (None, None) => None,
        };
        if let Some(e) = &endpoint {
            builder = builder.endpoint(e.clone());
        }
        if self.verbose {
            // The traced transport must be built for the same endpoint (a loopback one bypasses proxies).
            let config = {
                let mut v = ClientConfig::default();
                v.timeout = timeout;
                v.endpoint = endpoint.unwrap_or_else(Endpoint::global);
                v
            };
            builder = builder
                .on_attempt(|prepared| eprintln!("{}", describe(prepared)))
                .transport(Traced {
                    inner: Arc::new(UreqTransport::new(&config)),
                });
        }
        Ok(builder)
    }
}

/// A transport that prints how each attempt ended (the attempt itself is shown by [`describe`]).
struct Traced {
    inner: Arc<dyn HttpSend>,
}

impl HttpSend for Traced {
    fn send(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        let reply = self.inner.send(request, body_limit);
        match &reply {
            Ok(r) => eprintln!("< HTTP {} ({} bytes)", r.status, r.body.len()),
            Err(e) => eprintln!("< {}", e.message),
        }
        reply
    }

    /// A credentials fetch (metadata service or STS): its URL (which holds no secret) and how it ended.
    fn send_within(
        &self,
        request: &HttpRequest,
        body_limit: usize,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let base = request.url.split('?').next().unwrap_or_default();
        eprintln!(
            "> {} {base} (credentials, within {timeout:?})",
            request.method
        );
        let reply = self.inner.send_within(request, body_limit, timeout);
        match &reply {
            Ok(r) => eprintln!("< HTTP {} ({} bytes)", r.status, r.body.len()),
            Err(e) => eprintln!("< {}", e.message),
        }
        reply
    }
}

/// `> METHOD URL` and the redacted string to sign of a prepared request.
pub(crate) fn describe(prepared: &Prepared) -> String {
    let request = &prepared.request;
    let base = request.url.split('?').next().unwrap_or_default();
    let mut out = format!(
        "> {} {base} ({})",
        request.method,
        prepared.signature_method()
    );
    if let Some(why) = prepared.fallback() {
        out.push_str(&format!("\n> note: {why}"));
    }
    if let Some(canonical) = prepared.canonical_request() {
        let indented = canonical.replace('\n', "\n>   ");
        out.push_str(&format!("\n> canonical request:\n>   {indented}"));
    }
    let sts = prepared.redacted_string_to_sign().replace('\n', "\\n");
    out.push_str(&format!("\n> string to sign: {sts}"));
    out
}
