//! Fixtures and helpers shared by the workspace's tests, examples and benches (`publish = false`).
//!
//! [`walkthrough`] is the request this project started from, as data; the [`prelude`] holds the
//! test credentials and the check that none of them leaks, a scripted, recording stand-in for a
//! transport that each client's tests wrap in its own `HttpSend`, tiny loopback servers that
//! hang, drop or answer raw bytes, and an emulator and client builders tuned for tests. Nothing here depends on a transport crate, so the blocking and the async tests use
//! the same helpers without depending on each other.

mod chain;
mod raw;
mod script;
mod secrets;
mod setup;
pub mod walkthrough;

/// The helpers in one import, for integration tests.
pub mod prelude {
    pub use crate::chain::*;
    pub use crate::raw::*;
    pub use crate::script::*;
    pub use crate::secrets::*;
    pub use crate::setup::*;
}
