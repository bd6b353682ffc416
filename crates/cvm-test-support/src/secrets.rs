//! The test credentials, and the check that none of their secrets reaches any output.
#![allow(clippy::unwrap_used)]

use std::fmt::{Debug, Display};

use cvm_proto::Credentials;

/// The secret key of the test credentials; it must never appear in any output.
pub const SECRET_KEY: &str = "sEcReTkEy-never-printed-0123456789";
/// The session token of the test credentials; it must never appear in any output.
pub const TOKEN: &str = "tOkEn-never-printed-abcdefghij";
/// The secret id of the test credentials.
pub const SECRET_ID: &str = "AKIDtestclient0000000000000000000000";
/// The instance password of the tests' `RunInstances`; it must never appear in any output.
pub const PASSWORD: &str = "Walk-through-1";

/// The test credentials, with their session token.
pub fn creds() -> Credentials {
    Credentials::new(SECRET_ID, SECRET_KEY)
        .unwrap()
        .with_token(TOKEN)
        .unwrap()
}

/// Fails if `text` contains the secret key or the token.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET_KEY), "secret key leaked in: {text}");
    assert!(!text.contains(TOKEN), "token leaked in: {text}");
}

/// Fails if the error's text or `Debug` shows a secret; returns it for further checks.
pub fn checked<E: Display + Debug>(err: E) -> E {
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
    err
}
