//! Blocking client for Tencent Cloud CVM's query-style "signature v1" API, over ureq 3 with rustls.
//!
//! Every protocol decision (signing, retries, clock correction, waiting) is made by
//! [`cvm_proto`]; what both transports share (the [`Builder`], the credentials chain, the clock
//! and random source, the attempt bookkeeping, the [`Error`] type) is `cvm-client`'s. This crate
//! sends with ureq and sleeps.
//!
//! ```no_run
//! use cvm_blocking::Client;
//! use cvm_blocking::proto::models::DescribeZonesRequest;
//!
//! let client = Client::builder().region("ap-guangzhou").build()?;
//! let zones = client.call(&DescribeZonesRequest::default())?;
//! println!("{} zones (RequestId {})", zones.output.zone_set.len(), zones.request_id);
//! # Ok::<(), cvm_blocking::Error>(())
//! ```

mod client;
mod http;
mod paginate;

pub use client::{Client, ClientBuilder};
pub use cvm_client::{
    BuildClient, Builder, Clock, ConfigError, Core, Error, ErrorClass, OsRandom, Random,
    SeededRandom, SendsWith, SystemClock, VirtualClock,
};
pub use cvm_proto as proto;
pub use cvm_proto::envelope::Reply;
pub use cvm_proto::retry::RetryPolicy;
pub use cvm_proto::{ClientConfig, TransportError};
pub use cvm_proto::{Credentials, Endpoint, HttpResponse};
pub use cvm_proto::{WaitOptions, WaitTarget, Waiter};
pub use http::{HttpSend, UreqTransport};
pub use paginate::{Items, Pages};
