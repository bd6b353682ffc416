//! The environment variables the CLI reads itself (the library checks its own).

use cvm_blocking::ConfigError;

use crate::output::Failure;

/// The value of the variable `name`: `None` when it is unset or empty, an error (the library's
/// own) when it is set to bytes that are not UTF-8, which would otherwise read as unset.
pub(crate) fn text(name: &str) -> Result<Option<String>, Failure> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value).filter(|v| !v.is_empty())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(cvm_blocking::Error::from(ConfigError::NotUnicode {
                name: name.to_owned(),
            })
            .into())
        }
    }
}
