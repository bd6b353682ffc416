//! Sans-IO core of the `cvm` workspace for Tencent Cloud CVM's API (signature v1).
//!
//! Pure functions and plain data only: time, nonces, jitter, environment maps and file contents
//! are arguments, and this crate performs no I/O. Drivers (`cvm-blocking` over ureq, `cvm-async`
//! over reqwest, or your own) move the bytes and sleep; every decision is made here.
//!
//! # The driver loop
//!
//! 1. Make a [`Call`] of a typed request ([`Call::typed`]) or of any action by name
//!    ([`Call::new`]); give it a fresh `ClientToken` source for actions that take one.
//! 2. Ask [`Call::request`] for the next attempt with the (corrected) Unix time and a fresh
//!    nonce: it returns a [`Prepared`] whose [`HttpRequest`] is plain data for any HTTP client
//!    (with the `http` feature it converts into an `http::Request<Vec<u8>>`).
//! 3. Send it, reading at most `config.body_limit + 1` bytes, and hand the [`HttpResponse`] to
//!    [`Call::on_response`] (or a failure below HTTP to [`Call::on_transport_error`]).
//! 4. On [`Step::Done`] the call is over. On [`Step::Retry`], adopt its `clock_offset` if it has
//!    one, pause the calls sharing a budget if it is `throttled`, sleep `after`, and go to 2.
//!
//! The same shape drives waits ([`Waiter`]) and listings ([`Paginator`]). Below, the emulator's
//! pure core plays the service, so the whole loop runs without a network:
//!
//! ```
//! use std::time::Duration;
//! use cvm_proto::models::{DescribeZonesRequest, DescribeZonesResponse};
//! use cvm_proto::{Call, ClientConfig, Credentials, Step, Timing};
//! use cvm_sim::{Sim, SimConfig, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
//!
//! let mut service = Sim::new(SimConfig::default())?;
//! let credentials = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)?;
//! let mut config = ClientConfig::default();
//! config.region = Some("ap-guangzhou".into());
//!
//! let now = 1_706_400_000;
//! let mut call = Call::typed(&DescribeZonesRequest::default(), String::new)?;
//! let mut nonce = 0;
//! let reply = loop {
//!     nonce += 1;
//!     let prepared = call.request(&config, &credentials, now, nonce)?;
//!     // "Send" it: here the emulator answers in-process; a real driver uses HTTP.
//!     let answer = service.handle(&SimRequest::from_prepared(&prepared.request), Duration::from_secs(now));
//!     let response = cvm_proto::HttpResponse::from(answer.response);
//!     let timing = Timing { now, elapsed: Duration::ZERO, jitter: 0.5 };
//!     match call.on_response::<DescribeZonesResponse>(&config, &response, timing) {
//!         Step::Done(result) => break result?,
//!         Step::Retry { after, .. } => std::thread::sleep(after),
//!     }
//! };
//! assert_eq!(reply.output.zone_set[0].zone.as_deref(), Some("ap-guangzhou-2"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules that are namespaces of functions stay public: [`flatten`] (any `Serialize` to flat
//! [`Params`] and back), [`sign`] (the string to sign, HMAC, constant-time verification),
//! [`encode`] (RFC 3986 query strings and form bodies), [`envelope`] (typed replies and typed,
//! classified errors), [`json`] (a JSON object read strictly, no key twice), [`retry`] (the
//! retry policy and its decisions), [`profile`] (credentials from an environment map and file
//! text), [`filters`], [`time`], [`models`] (the typed actions this workspace uses), [`api`]
//! (every action, generated) and [`validate`] (requests checked against the spec before they
//! are sent). Everything else is re-exported once at the root.

mod action;
pub mod api;
mod call;
mod credentials;
pub mod encode;
mod endpoint;
pub mod envelope;
pub mod filters;
pub mod flatten;
#[cfg(feature = "http")]
mod http_types;
pub mod json;
pub mod metadata;
pub mod models;
mod paginate;
mod params;
pub mod profile;
mod request;
mod response;
pub mod retry;
pub mod sign;
pub mod sts;
pub mod tc3;
mod tc3_request;
pub mod time;
pub mod validate;
mod wait;

pub use action::{info as action_info, Action, ActionInfo};
pub use call::{Call, CallError, ClientConfig, Step, Timing, TransportError, DRY_RUN_PASSED};
pub use credentials::{Credentials, CredentialsError};
pub use endpoint::{
    check_region, Endpoint, EndpointError, Scheme, GLOBAL_HOST, LEGACY_HOST, LEGACY_PATH,
};
pub use paginate::{Page, Paginated, Paginator, MAX_LIMIT as MAX_PAGE_LIMIT};
pub use params::{
    check_key, is_sensitive, Iter as ParamsIter, KeyError, Params, ParamsError, REDACTED,
};
pub use request::{
    is_secret_header, prepare, prepare_action, prepare_flat, sign_request, Context, HttpMethod,
    HttpRequest, PrepareError, Prepared, UnknownHttpMethod, COMMON_PARAMS, DEFAULT_VERSION,
    FORM_CONTENT_TYPE, MAX_GET_URL, MAX_POST_BODY, REQUEST_CLIENT, TC3_TOKEN_HEADER, V1_TOO_LARGE,
};
pub use response::HttpResponse;
pub use tc3_request::{MAX_TC3_BODY, SERVICE};
pub use wait::{WaitError, WaitOptions, WaitStep, WaitTarget, Waiter, MAX_IDS as MAX_WAIT_IDS};
