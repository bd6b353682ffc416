//! Errors of the emulator's own API (configuration, state files, the server), and the API errors it answers with.

use std::borrow::Cow;

use thiserror::Error;

/// Why the emulator could not be configured, started, or could not load or save its state.
#[derive(Debug, Error)]
pub enum SimError {
    /// The configuration is not valid JSON for [`crate::SimConfig`] or is inconsistent.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// An account's credentials are malformed.
    #[error("account {secret_id:?} has invalid credentials: {source}")]
    Credentials {
        /// The account's secret id.
        secret_id: String,
        /// What is wrong.
        source: cvm_proto::CredentialsError,
    },
    /// A state dump could not be read back.
    #[error("invalid emulator state: {0}")]
    State(String),
    /// A socket, file or runtime operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl SimError {
    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        SimError::Io {
            what: what.into(),
            source,
        }
    }
}

/// An API error the emulator answers with: its API 3.0 code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiFailure {
    pub code: Cow<'static, str>,
    pub message: String,
}

impl ApiFailure {
    pub(crate) fn new(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        ApiFailure {
            code: code.into(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameter", message)
    }

    pub(crate) fn invalid_value(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValue", message)
    }

    pub(crate) fn missing(name: &str) -> Self {
        Self::new(
            "MissingParameter",
            format!("The request is missing a required parameter `{name}`."),
        )
    }

    pub(crate) fn combination(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterCombination", message)
    }

    /// The code the legacy gateway (`/v2/index.php`) uses for the same condition.
    pub(crate) fn legacy_code(&self) -> Cow<'static, str> {
        let mapped = match self.code.as_ref() {
            "AuthFailure.SignatureFailure" => "InvalidParameter.SignatureFailure",
            "AuthFailure.SecretIdNotFound" => "InvalidParameter.SecretIdNotFound",
            "AuthFailure.SignatureExpire" => "InvalidRequest.ReplayAttack",
            "AuthFailure.TokenFailure" => "InvalidRequest.TokenCheckFailed",
            "InvalidAction" => "InvalidAction.NotFound",
            "RequestLimitExceeded" => "InvalidRequest.RequestConcurrencyExceeded",
            "UnsupportedProtocol" => "InvalidRequest.UnsupportedProtocol",
            _ => return self.code.clone(),
        };
        Cow::Borrowed(mapped)
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiFailure>;
