//! Async client for Tencent Cloud CVM's query-style "signature v1" API, over reqwest (rustls) on tokio.
//!
//! It has the blocking client's shape and makes exactly its decisions: both drive [`cvm_proto`]
//! through the [`Core`] of `cvm-client`, whose builder, error type and credentials chain they
//! share (this crate does not depend on `cvm-blocking`). This crate sends with an async [`HttpSend`]
//! (reqwest by default), sleeps with `tokio::time::sleep`, and adds [batches](Client::batch)
//! with a bound on calls in flight and one back-off shared by the whole batch.
//!
//! ```
//! use cvm_async::proto::models::{DescribeInstancesRequest, DescribeZonesRequest};
//! use cvm_async::{Client, Credentials};
//! use cvm_sim::{SimConfig, SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A local emulator stands in for the service here. Against the service, leave out the
//! // endpoint and the credentials: they come from the environment or the profile file.
//! let service = SimServer::start(SimConfig::default())?;
//! let client = Client::builder()
//!     .endpoint(service.endpoint())
//!     .credentials(Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)?)
//!     .region("ap-guangzhou")
//!     .build()?;
//! let zones = client.call(&DescribeZonesRequest::default()).await?;
//! println!("{} zones (RequestId {})", zones.output.zone_set.len(), zones.request_id);
//!
//! // DescribeInstances in three regions, at most two calls in flight, replies in region order.
//! let regions = ["ap-guangzhou", "ap-shanghai", "ap-beijing"];
//! let all = client
//!     .call_in_regions(regions, &DescribeInstancesRequest::default(), 2)
//!     .await;
//! for (region, reply) in regions.iter().zip(all) {
//!     println!("{region}: {} instances", reply?.output.instance_set.len());
//! }
//! # Ok(())
//! # }
//! ```

mod api;
mod client;
mod clock;
mod http;
mod paginate;

pub use client::{Client, ClientBuilder};
pub use clock::TokioClock;
// What both transports share (builder, core, error, clock, randomness) and the protocol types
// their API uses, from cvm-client.
pub use cvm_client::*;
pub use http::{HttpSend, ReqwestTransport, SendFuture};
