//! The client's error type: failed calls, credentials, configuration and waits.

use cvm_proto::envelope::{self, ApiError};
use cvm_proto::profile::{ChainError, ENV_REGION};
use cvm_proto::CallError;
use cvm_proto::EndpointError;
use cvm_proto::WaitError;
use thiserror::Error;

/// A client setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was given and the environment names none.
    #[error("no region given: pass one or set {ENV_REGION}")]
    MissingRegion,
    /// No region was given and tccli's configure file, where it would be looked up next,
    /// cannot be read or used.
    #[error("cannot read the region: {0}")]
    RegionFile(ChainError),
    /// An environment variable the client reads is set to bytes that are not UTF-8.
    #[error("the environment variable {name} is set but not valid UTF-8, so it can be neither used nor taken as unset")]
    NotUnicode {
        /// The variable.
        name: String,
    },
    /// The endpoint URL or the region name is malformed.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The endpoint is plain `http://` to a host that is not this machine, which would send the
    /// SecretId, the session token, the signature and any password in clear text.
    #[error("refusing plain http:// to {host}: credentials and passwords would cross the network in clear text; use https:// or allow it explicitly (--allow-insecure-http)")]
    InsecureHttp {
        /// The endpoint's host.
        host: String,
    },
}

/// Why a client could not be built or a call or wait failed.
///
/// Messages never contain the secret key, the session token or a request's signature.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// The call failed: the request could not be built, the service answered with an error, or the exchange failed.
    #[error(transparent)]
    Call(#[from] CallError),
    /// No usable credentials were found.
    #[error(transparent)]
    Credentials(#[from] ChainError),
    /// A client setting is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A wait ended without the instances reaching the target.
    #[error(transparent)]
    Wait(#[from] WaitError),
    /// The operating system's random number generator failed.
    #[error("cannot draw random numbers: {0}")]
    Random(String),
    /// A call that carries an idempotency token failed after an attempt that may have taken
    /// effect: whether it did is unknown, and repeating the call with the same token tells.
    #[error("{action} may have taken effect: {source}; repeat it with ClientToken {client_token} to get its result")]
    Unconfirmed {
        /// The action.
        action: String,
        /// The token to repeat the call with (it returns the result of the attempt that took effect).
        client_token: String,
        /// Why the last attempt failed.
        source: Box<Error>,
    },
}

/// The broad class of an error, for choosing an exit status or a reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The caller's input or setup is wrong: configuration, credentials, or a request that cannot be built.
    Usage,
    /// The service answered with an API error (see [`Error::api`]).
    Api,
    /// The reply was not a usable envelope: a non-200 status, bad JSON, or too large.
    InvalidReply,
    /// The HTTP exchange failed below HTTP (connection refused, reset, TLS).
    Transport,
    /// An attempt or a wait ran out of time.
    Timeout,
    /// A wait cannot succeed: an instance failed or vanished.
    WaitFailed,
    /// The random number generator failed.
    System,
    /// A call may have taken effect but its result is unknown; it carries the token to repeat it with.
    Unconfirmed,
}

impl Error {
    /// The broad class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            Error::Call(CallError::Prepare(_)) | Error::Credentials(_) | Error::Config(_) => {
                ErrorClass::Usage
            }
            Error::Call(CallError::Reply(envelope::Error::Api(_))) => ErrorClass::Api,
            Error::Call(CallError::Reply(_)) => ErrorClass::InvalidReply,
            Error::Call(CallError::Transport {
                timed_out: true, ..
            }) => ErrorClass::Timeout,
            // A kind of call failure added later is taken as one below HTTP until it is classified.
            Error::Call(_) => ErrorClass::Transport,
            Error::Wait(WaitError::TimedOut { .. }) => ErrorClass::Timeout,
            Error::Wait(WaitError::BadIds(_)) => ErrorClass::Usage,
            Error::Wait(_) => ErrorClass::WaitFailed,
            Error::Random(_) => ErrorClass::System,
            Error::Unconfirmed { .. } => ErrorClass::Unconfirmed,
        }
    }

    /// The idempotency token to repeat a call with, when its effect is unknown.
    pub fn client_token(&self) -> Option<&str> {
        match self {
            Error::Unconfirmed { client_token, .. } => Some(client_token),
            _ => None,
        }
    }

    /// The API error, when the service sent one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Call(e) => e.api(),
            Error::Unconfirmed { source, .. } => source.api(),
            _ => None,
        }
    }

    /// Whether the service answered with an API error.
    pub fn is_api(&self) -> bool {
        self.api().is_some()
    }

    /// Whether the HTTP exchange failed below HTTP, a timeout included.
    pub fn is_transport(&self) -> bool {
        match self {
            Error::Call(e) => matches!(e, CallError::Transport { .. }),
            Error::Unconfirmed { source, .. } => source.is_transport(),
            _ => false,
        }
    }

    /// Whether an attempt or a wait ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.class() == ErrorClass::Timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn classes_and_display() {
        let api = Error::from(CallError::Reply(envelope::Error::Api(ApiError::new(
            "InvalidZone.MismatchRegion",
            "zone does not match",
            Some("req-1".into()),
        ))));
        assert_eq!(
            api.to_string(),
            "InvalidZone.MismatchRegion: zone does not match (RequestId req-1)"
        );
        assert!(api.is_api() && !api.is_transport());
        assert_eq!(api.class(), ErrorClass::Api);
        let t = Error::from(CallError::Transport {
            timed_out: true,
            message: "timeout: global".into(),
        });
        assert!(t.is_transport() && t.is_timeout());
        let w = Error::from(WaitError::TimedOut {
            waited: Duration::from_secs(1),
            pending: "x".into(),
            target: "RUNNING".into(),
        });
        assert!(w.is_timeout() && !w.is_transport());
        assert_eq!(
            Error::from(ConfigError::MissingRegion).class(),
            ErrorClass::Usage
        );
        let big = Error::from(CallError::Reply(envelope::Error::TooLarge {
            size: 2,
            limit: 1,
        }));
        assert_eq!(big.class(), ErrorClass::InvalidReply);
    }
}
