//! Blocking client for Tencent Cloud CVM's query-style "signature v1" API, over ureq 3 with rustls.
//!
//! Every protocol decision (signing, retries, clock correction, waiting) is made by
//! [`cvm_proto`]; this crate moves bytes, reads the clock, the environment and the credentials
//! file, draws random numbers and sleeps. All of that but the sending and the sleeping is shared
//! with the async client of `cvm-async`: the [`Builder`], the [`Error`] type and the [`driver`].
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

mod builder;
mod client;
pub mod driver;
mod error;
pub mod http;
mod paginate;

pub use builder::{BuildClient, Builder, SendsWith};
pub use client::{Client, ClientBuilder};
pub use cvm_proto as proto;
pub use cvm_proto::call::{ClientConfig, TransportError};
pub use cvm_proto::retry::RetryPolicy;
pub use cvm_proto::wait::{WaitOptions, WaitTarget, Waiter};
pub use cvm_proto::{Credentials, Endpoint, Reply};
pub use driver::Core;
pub use error::{ConfigError, Error, ErrorClass};
pub use http::{HttpResponse, HttpSend, UreqTransport};
pub use paginate::{Items, Pages};
