//! Sans-IO core of the `cvm` workspace for Tencent Cloud CVM's query-style "signature v1" API.
//!
//! Pure functions and plain data only: [`flatten`] turns any `Serialize` into flat [`Params`],
//! [`sign`] builds the canonical string to sign and its signature, [`encode`] writes and reads
//! query strings and form bodies, [`request::prepare`] produces a transport-agnostic signed
//! [`HttpRequest`], and [`envelope`] parses replies into typed results or typed errors.
//! Time, nonces and randomness are always arguments: this crate performs no I/O.

mod action;
mod call;
mod credentials;
pub mod encode;
mod endpoint;
pub mod envelope;
pub mod filters;
pub mod flatten;
pub mod models;
mod paginate;
mod params;
pub mod profile;
mod request;
mod response;
pub mod retry;
pub mod sign;
pub mod time;
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
    prepare, prepare_flat, sign_request, Context, HttpMethod, HttpRequest, PrepareError, Prepared,
    UnknownHttpMethod, COMMON_PARAMS, DEFAULT_VERSION, FORM_CONTENT_TYPE, MAX_GET_URL,
    MAX_POST_BODY, REQUEST_CLIENT,
};
pub use response::HttpResponse;
pub use wait::{WaitError, WaitOptions, WaitStep, WaitTarget, Waiter, MAX_IDS as MAX_WAIT_IDS};
