//! A faithful local emulator of Tencent Cloud's CVM API endpoint (signature v1 and TC3-HMAC-SHA256,
//! with STS and the metadata service), strict about signatures and about requests it could read two
//! ways: a key given twice in a JSON body, or a header whose one value counts given twice.
//!
//! The core, [`Sim`], is pure: [`Sim::handle`] takes one [`SimRequest`] and the current time and
//! returns one [`Handled`] response, with every time-based behaviour (state transitions, rate
//! limits, the replay window) evaluated lazily against that time. [`SimServer`] is a thin loopback
//! HTTP shell around it, and [`serve_forever`] runs one until Ctrl-C.
//!
//! ```
//! use std::time::Duration;
//! use cvm_proto::{prepare, Context, Credentials};
//! use cvm_sim::{Sim, SimConfig, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
//!
//! let mut sim = Sim::new(SimConfig::default()).unwrap();
//! let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).unwrap();
//! let now = 1_706_400_000;
//! let ctx = Context::new(now, 1).region("ap-guangzhou");
//! let req = prepare("DescribeZones", &serde_json::json!({}), &creds, &cvm_proto::Endpoint::global(), &ctx).unwrap().request;
//! let reply = sim.handle(&SimRequest::from_prepared(&req), Duration::from_secs(now)).response;
//! assert_eq!(reply.error_code(), None);
//! assert_eq!(reply.response().unwrap()["ZoneSet"][0]["Zone"], "ap-guangzhou-2");
//! ```
//!
//! # The replay cache
//!
//! The (SecretId, Nonce, Timestamp) triples of accepted signature-v1 requests are remembered while
//! their timestamp is inside the ±[`SimConfig::timestamp_window_secs`] window, to answer
//! `InvalidRequest.ReplayAttack`; they are saved with the rest of the state
//! ([`Sim::dump_state`]), so a replay is refused after a restart too. Every insertion first
//! forgets the entries whose timestamp has left the window, and at most
//! [`SimConfig::max_nonces`] (default [`DEFAULT_MAX_NONCES`], 2^20) are kept: while that many are
//! inside the window, further signature-v1 requests are answered `RequestLimitExceeded` rather
//! than forgetting one. An entry takes about 49 bytes (measured by `tests/nonce_memory.rs`), at
//! most about 72, so the default cap bounds the cache at about 72 MiB.
//!
//! # The state file
//!
//! With a state file ([`SimServer::serve_sim_with_state`], `cvm sim --state FILE`), the HTTP shell
//! writes the whole state (mode 0600: it holds owner SecretIds and ClientTokens) atomically to a
//! temporary file in the same directory, fsyncs it, renames it over the file and fsyncs the
//! directory, before it replies to any request that may have changed it; concurrent requests
//! share one write. Nothing acknowledged is lost if the process is killed. Each write holds the
//! whole state, so it costs time in proportion to the instances and the nonces inside the window.

mod actions;
mod auth;
pub mod catalog;
mod config;
mod error;
mod nonces;
mod price_table;
mod request;
mod resources;
mod server;
mod sim;
mod sts;
mod tc3;
mod time;

pub use actions::ACTIONS;
pub use config::{
    AccountConfig, FaultKind, FaultRule, HttpConfig, InstanceTypeSpec, Quotas, RateLimit,
    RegionConfig, SimConfig, Transitions, ZoneConfig, DEFAULT_MAX_NONCES, DEFAULT_SECRET_ID,
    DEFAULT_SECRET_KEY,
};
pub use error::SimError;
pub use price_table::{DiskPrice, InstanceTypePrice, PriceTable};
pub use request::{Handled, ShellFault, SimRequest, SimResponse};
pub use resources::Order;
pub use server::{serve_forever, ShellStats, SimServer};
pub use sim::{Counters, Sim, SimInstance, Transition, OTHER_ACTION};
pub use sts::{OidcProvider, StsConfig, StsCounters, METADATA_ROLE_PATH};
pub use time::{format_utc, parse_utc};
