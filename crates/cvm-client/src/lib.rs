//! What the `cvm` transports share and that is not pure: the [`Builder`], the credentials chain,
//! the [`Clock`] and [`Random`] source behind small traits, the attempt and poll bookkeeping of
//! [`Core`], and the [`Error`] type. It has no HTTP dependency: `cvm-blocking` adds ureq and
//! `cvm-async` adds reqwest and tokio, and neither depends on the other.
//!
//! Every decision is [`cvm_proto`]'s. A transport writes one loop per call:
//!
//! 1. `let mut attempts = core.attempts::<Output>(core.typed_call(&request)?);`
//! 2. `let prepared = attempts.request_with(&credentials)?;` signs the next attempt (corrected
//!    clock, fresh nonce) with the credentials of [`Core::credentials_step`]: ready ones, or a
//!    [`Refresh`] to drive first (under a lock, so that concurrent calls share one refresh) by
//!    sending the requests its [`Refresh::step`] yields within their timeouts;
//! 3. send `prepared.request`, reading at most `config.body_limit + 1` bytes of the reply;
//! 4. `match attempts.after(outcome)`: [`Next::Done`] ends the call, [`Next::Sleep`] says how
//!    long to sleep (and whether the service throttled), then go back to 2.
//!
//! ```
//! use cvm_client::{Builder, BuildClient, Core, Next, VirtualClock};
//! use cvm_proto::models::{DescribeZonesRequest, DescribeZonesResponse};
//! use cvm_proto::{Credentials, HttpResponse};
//! use std::sync::Arc;
//!
//! /// A "transport" that answers every request itself: the whole driver loop, without a network.
//! #[derive(Debug)]
//! struct Canned(Core);
//!
//! impl BuildClient for Canned {
//!     type Transport = ();
//!     fn default_transport(_: &cvm_proto::ClientConfig) -> Result<(), cvm_client::Error> {
//!         Ok(())
//!     }
//!     fn assemble(core: Core, _: ()) -> Self {
//!         Canned(core)
//!     }
//! }
//!
//! let client: Canned = Builder::default()
//!     .credentials(Credentials::new("AKIDexample", "secret")?)
//!     .region("ap-guangzhou")
//!     .clock(Arc::new(VirtualClock::new(1_700_000_000)))
//!     .build()?;
//! let core = &client.0;
//! let call = core.typed_call(&DescribeZonesRequest::default())?;
//! let mut attempts = core.attempts::<DescribeZonesResponse>(call);
//! let mut replies = [
//!     r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"a"}}"#,
//!     r#"{"Response":{"TotalCount":0,"ZoneSet":[],"RequestId":"b"}}"#,
//! ]
//! .into_iter();
//! let reply = loop {
//!     let prepared = attempts.request()?;
//!     assert!(prepared.request.url.starts_with("https://cvm.tencentcloudapi.com/"));
//!     let outcome = Ok(HttpResponse::new(200, replies.next().unwrap()));
//!     match attempts.after(outcome) {
//!         Next::Done(result) => break result?,
//!         Next::Sleep { after, throttled } => {
//!             assert!(throttled);
//!             core.clock().sleep(after);
//!         }
//!     }
//! };
//! assert_eq!(reply.request_id, "b");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
mod clock;
mod core;
mod error;
mod provider;
mod random;

pub use builder::{BuildClient, Builder, SendsWith};
pub use clock::{system_unix_now, Clock, SystemClock, VirtualClock};
pub use core::{Attempts, Core, Next, Observer, Polls};
pub use cvm_proto as proto;
pub use cvm_proto::envelope::Reply;
pub use cvm_proto::retry::RetryPolicy;
pub use cvm_proto::{
    ClientConfig, Credentials, Endpoint, HttpResponse, TransportError, WaitOptions, WaitTarget,
    Waiter,
};
pub use error::{ConfigError, Error, ErrorClass};
pub use provider::{CredentialStep, FetchSettings, Refresh, RefreshStep};
pub use random::{OsRandom, Random, SeededRandom};
