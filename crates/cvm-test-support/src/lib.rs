//! Fixtures and helpers shared by the workspace's tests, examples and benches (`publish = false`).
//!
//! [`walkthrough`] is the request this project started from, as data; [`secrets`] the test
//! credentials and the check that none of them leaks; [`script`] a scripted, recording stand-in
//! for a transport that each client's tests wrap in its own `HttpSend`; [`raw`] tiny loopback
//! servers that hang, drop or answer raw bytes; [`setup`] an emulator and client builders tuned
//! for tests. Nothing here depends on a transport crate, so the blocking and the async tests use
//! the same helpers without depending on each other.

pub mod raw;
pub mod script;
pub mod secrets;
pub mod setup;
pub mod walkthrough;

/// Everything above in one import, for integration tests.
pub mod prelude {
    pub use crate::raw::*;
    pub use crate::script::*;
    pub use crate::secrets::*;
    pub use crate::setup::*;
}
