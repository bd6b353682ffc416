//! The checks both signing schemes make before their signatures: the SecretId, the timestamp's
//! window and the session token, each answered with the service's error code.

use std::collections::HashMap;

use subtle::ConstantTimeEq;

use crate::error::{ApiFailure, ApiResult};
use crate::sim::Account;

/// The account of `secret_id`, or the service's `AuthFailure.SecretIdNotFound`.
pub(crate) fn account_in<'a>(
    accounts: &'a HashMap<String, Account>,
    secret_id: &str,
) -> ApiResult<&'a Account> {
    accounts.get(secret_id).ok_or_else(|| {
        ApiFailure::new(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        )
    })
}

/// `AuthFailure.SignatureExpire` when `timestamp` is further than `window` seconds from the server's clock.
pub(crate) fn check_window(timestamp: i64, server_now: i64, window: u64) -> ApiResult<()> {
    if timestamp.abs_diff(server_now) > window {
        return Err(ApiFailure::new(
            "AuthFailure.SignatureExpire",
            format!("Signature expired. Timestamp is {timestamp}, deviation between Timestamp and the server time {server_now} exceeds {window} seconds."),
        ));
    }
    Ok(())
}

/// `AuthFailure.TokenFailure` unless the session token presented is the account's (compared in
/// constant time), or both have none, and the account's temporary credentials have not expired
/// at the server's time `server_now`.
pub(crate) fn check_token(
    account: &Account,
    presented: Option<&str>,
    server_now: i64,
) -> ApiResult<()> {
    if account.expires_at.is_some_and(|at| server_now >= at) {
        return Err(ApiFailure::new(
            "AuthFailure.TokenFailure",
            "The session token has expired; obtain new temporary credentials.",
        ));
    }
    let ok = match (account.creds.token(), presented) {
        (None, None) => true,
        (Some(expected), Some(got)) => bool::from(expected.as_bytes().ct_eq(got.as_bytes())),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiFailure::new(
            "AuthFailure.TokenFailure",
            "The session token is invalid, expired, or does not belong to this SecretId.",
        ))
    }
}
