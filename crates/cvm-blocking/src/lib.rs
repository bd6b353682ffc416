//! Blocking client for Tencent Cloud CVM's query-style "signature v1" API, over ureq 3 with rustls.
//!
//! Every protocol decision (signing, retries, clock correction, waiting) is made by
//! [`cvm_proto`]; what both transports share (the [`Builder`], the credentials chain, the clock
//! and random source, the attempt bookkeeping, the [`Error`] type) is `cvm-client`'s. This crate
//! sends with ureq and sleeps.
//!
//! ```
//! use cvm_blocking::proto::models::DescribeZonesRequest;
//! use cvm_blocking::{Client, Credentials};
//! use cvm_sim::{SimConfig, SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
//!
//! // A local emulator stands in for the service here. Against the service, leave out the
//! // endpoint and the credentials: they come from the environment or the profile file.
//! let service = SimServer::start(SimConfig::default())?;
//! let client = Client::builder()
//!     .endpoint(service.endpoint())
//!     .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)?)
//!     .region("ap-guangzhou")
//!     .build()?;
//! let zones = client.call(&DescribeZonesRequest::default())?;
//! println!("{} zones (RequestId {})", zones.output.zone_set.len(), zones.request_id);
//! assert!(!zones.output.zone_set.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod api;
mod client;
mod http;
mod paginate;

pub use client::{Client, ClientBuilder};
// What both transports share (builder, core, error, clock, randomness) and the protocol types
// their API uses, from cvm-client.
pub use cvm_client::*;
pub use http::{HttpSend, UreqTransport};
pub use paginate::{Items, Pages};
