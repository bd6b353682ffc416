//! Sans-IO core of the `cvm` workspace for Tencent Cloud CVM's query-style "signature v1" API.
//!
//! Pure functions and plain data only: [`flatten`] turns any `Serialize` into flat [`Params`],
//! [`sign`] builds the canonical string to sign and its signature, [`encode`] writes and reads
//! query strings and form bodies, [`request::prepare`] produces a transport-agnostic signed
//! [`HttpRequest`], and [`envelope`] parses replies into typed results or typed errors.
//! Time, nonces and randomness are always arguments: this crate performs no I/O.

pub mod action;
pub mod call;
pub mod credentials;
pub mod encode;
pub mod endpoint;
pub mod envelope;
pub mod filters;
pub mod flatten;
pub mod models;
pub mod paginate;
pub mod params;
pub mod profile;
pub mod request;
pub mod response;
pub mod retry;
pub mod sign;
pub mod time;
pub mod wait;

pub use action::Action;
pub use credentials::Credentials;
pub use endpoint::Endpoint;
pub use envelope::{ApiError, Error, ErrorKind, Reply};
pub use params::Params;
pub use request::{prepare, Context, HttpMethod, HttpRequest};
pub use response::HttpResponse;
pub use sign::SignatureMethod;
