//! The credentials chain: explicit credentials, then environment variables, then the profile file.
//!
//! Parsing of the environment and the file's text is here; the transports only read them and pass
//! them in, so both resolve credentials identically.

use std::collections::BTreeMap;

use thiserror::Error;
use zeroize::Zeroizing;

use crate::credentials::{Credentials, CredentialsError};

/// Environment variable holding the secret id.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding the optional session token.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// Environment variable naming the profile (section) of the credentials file.
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";
/// Environment variable overriding the credentials file's path.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Environment variable holding the default region.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// The credentials file below the home directory.
pub const DEFAULT_FILE: &str = ".tencentcloud/credentials";
/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// Why no usable credentials were found. Messages name the source and key, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ChainError {
    /// A source was partly configured: a required key is missing.
    #[error("{source_name}: {key} is missing")]
    Missing {
        /// The source, e.g. `environment` or a file path.
        source_name: String,
        /// The missing key.
        key: String,
    },
    /// A value in a source is unusable.
    #[error("{source_name}: {key}: {error}")]
    Invalid {
        /// The source.
        source_name: String,
        /// The key whose value is bad.
        key: String,
        /// What is wrong with it.
        error: CredentialsError,
    },
    /// The credentials file is not valid ini text.
    #[error("{path} line {line}: {reason}")]
    Malformed {
        /// The file.
        path: String,
        /// The 1-based line number.
        line: usize,
        /// What is wrong (the line itself is not shown, as it may hold a secret).
        reason: &'static str,
    },
    /// The credentials file has no section for the profile.
    #[error("{path}: no profile [{profile}]")]
    NoProfile {
        /// The file.
        path: String,
        /// The profile looked for.
        profile: String,
    },
    /// The credentials file could not be read.
    #[error("{path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// No source had credentials.
    #[error("no credentials found: set {ENV_SECRET_ID} and {ENV_SECRET_KEY}, or create {path}")]
    NotFound {
        /// The credentials file that was looked for.
        path: String,
    },
}

/// Where resolved credentials came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Given by the caller.
    Explicit,
    /// The `TENCENTCLOUD_*` environment variables.
    Environment,
    /// A profile of a credentials file.
    File {
        /// The file.
        path: String,
        /// The profile (section).
        profile: String,
    },
}

/// Credentials from the environment: `None` when neither id nor key is set, an error when only one is.
pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Option<Credentials>, ChainError> {
    let get = |k: &str| env(k).filter(|v| !v.is_empty());
    let (id, key) = (get(ENV_SECRET_ID), get(ENV_SECRET_KEY));
    let source = || "environment".to_owned();
    let (id, key) = match (id, key) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(ChainError::Missing {
                source_name: source(),
                key: ENV_SECRET_KEY.into(),
            })
        }
        (None, Some(_)) => {
            return Err(ChainError::Missing {
                source_name: source(),
                key: ENV_SECRET_ID.into(),
            })
        }
        (Some(id), Some(key)) => (id, key),
    };
    fn invalid(key: &'static str) -> impl Fn(CredentialsError) -> ChainError {
        move |error| ChainError::Invalid {
            source_name: "environment".into(),
            key: key.into(),
            error,
        }
    }
    let mut creds = Credentials::new(id, key).map_err(|e| match e {
        CredentialsError::Empty("secret id")
        | CredentialsError::Whitespace("secret id")
        | CredentialsError::Control("secret id") => invalid(ENV_SECRET_ID)(e),
        _ => invalid(ENV_SECRET_KEY)(e),
    })?;
    if let Some(token) = get(ENV_SESSION_TOKEN) {
        creds = creds
            .with_token(token)
            .map_err(invalid(ENV_SESSION_TOKEN))?;
    }
    Ok(Some(creds))
}

/// Reads the credentials file at a path: its text, `Ok(None)` when it does not exist, or why it cannot be read.
pub type ReadFile<'a> = dyn FnMut(&str) -> Result<Option<Zeroizing<String>>, String> + 'a;

/// One section of an ini file: keys and values, the values zeroized on drop since they hold secrets.
pub type Section = BTreeMap<String, Zeroizing<String>>;

/// Parses ini text into sections of `key = value`; `#` and `;` start comment lines.
pub fn parse_ini(text: &str, path: &str) -> Result<BTreeMap<String, Section>, ChainError> {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    let mut current: Option<String> = None;
    let bad = |line: usize, reason: &'static str| ChainError::Malformed {
        path: path.to_owned(),
        line,
        reason,
    };
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest
                .strip_suffix(']')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad(line_no, "a section header must be [name]"))?;
            if sections.contains_key(name) {
                return Err(bad(line_no, "this section appears twice"));
            }
            sections.insert(name.to_owned(), BTreeMap::new());
            current = Some(name.to_owned());
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| bad(line_no, "expected key = value"))?;
        let key = key.trim();
        if key.is_empty() {
            return Err(bad(line_no, "the key before '=' is empty"));
        }
        let section = current
            .as_ref()
            .and_then(|c| sections.get_mut(c))
            .ok_or_else(|| bad(line_no, "key = value before any [section]"))?;
        if section
            .insert(key.to_owned(), Zeroizing::new(value.trim().to_owned()))
            .is_some()
        {
            return Err(bad(line_no, "this key appears twice in its section"));
        }
    }
    Ok(sections)
}

/// Credentials from profile `profile` of a credentials file's text (`secret_id`, `secret_key`, optional `token`).
pub fn from_profile_text(text: &str, path: &str, profile: &str) -> Result<Credentials, ChainError> {
    let sections = parse_ini(text, path)?;
    let section = sections.get(profile).ok_or_else(|| ChainError::NoProfile {
        path: path.to_owned(),
        profile: profile.to_owned(),
    })?;
    let source_name = format!("{path} [{profile}]");
    let field = |key: &str| {
        section
            .get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ChainError::Missing {
                source_name: source_name.clone(),
                key: key.to_owned(),
            })
    };
    let invalid = |key: &str| {
        let source_name = source_name.clone();
        let key = key.to_owned();
        move |error| ChainError::Invalid {
            source_name,
            key,
            error,
        }
    };
    let id = field("secret_id")?;
    let key = field("secret_key")?;
    let mut creds = Credentials::new(id.as_str(), key.as_str()).map_err(|e| {
        let which = if matches!(
            e,
            CredentialsError::Empty("secret id")
                | CredentialsError::Whitespace("secret id")
                | CredentialsError::Control("secret id")
        ) {
            "secret_id"
        } else {
            "secret_key"
        };
        invalid(which)(e)
    })?;
    if let Some(token) = section.get("token").filter(|t| !t.is_empty()) {
        creds = creds.with_token(token.as_str()).map_err(invalid("token"))?;
    }
    Ok(creds)
}

/// The credentials file's path: `TENCENTCLOUD_CREDENTIALS_FILE`, else `~/.tencentcloud/credentials` when a home is known.
pub fn credentials_file(
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&str>,
) -> Option<(String, bool)> {
    if let Some(path) = env(ENV_CREDENTIALS_FILE).filter(|p| !p.is_empty()) {
        return Some((path, true));
    }
    home.map(|h| (format!("{}/{DEFAULT_FILE}", h.trim_end_matches('/')), false))
}

/// Resolves the chain: `explicit`, then the environment, then the profile file (named by
/// `profile`, else `TENCENTCLOUD_PROFILE`, else `default`). `read_file` returns the file's text,
/// `Ok(None)` when it does not exist, or the reason it cannot be read; the text is zeroized after use.
pub fn resolve(
    explicit: Option<Credentials>,
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&str>,
    read_file: &mut ReadFile<'_>,
) -> Result<(Credentials, Source), ChainError> {
    if let Some(c) = explicit {
        return Ok((c, Source::Explicit));
    }
    // A profile named by the caller skips the environment's keys, as a user naming one expects.
    if profile.is_none() {
        if let Some(c) = from_env(env)? {
            return Ok((c, Source::Environment));
        }
    }
    let profile = profile
        .map(str::to_owned)
        .or_else(|| env(ENV_PROFILE).filter(|p| !p.is_empty()))
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    let Some((path, named)) = credentials_file(env, home) else {
        return Err(ChainError::NotFound {
            path: format!("~/{DEFAULT_FILE}"),
        });
    };
    match read_file(&path) {
        Ok(Some(text)) => {
            let c = from_profile_text(&text, &path, &profile)?;
            Ok((c, Source::File { path, profile }))
        }
        Ok(None) if named => Err(ChainError::Unreadable {
            path,
            reason: "file not found".into(),
        }),
        Ok(None) => Err(ChainError::NotFound { path }),
        Err(reason) => Err(ChainError::Unreadable { path, reason }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const FILE: &str = "# comment\n[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n\n[ops]\nsecret_id=AKIDops\nsecret_key=opskey\ntoken = opstoken\n";

    fn no_file(_: &str) -> Result<Option<Zeroizing<String>>, String> {
        Ok(None)
    }

    #[test]
    fn explicit_then_env_then_file() {
        let e = env(&[(ENV_SECRET_ID, "AKIDenv"), (ENV_SECRET_KEY, "envkey")]);
        let explicit = Credentials::new("AKIDx", "k").unwrap();
        let (c, s) = resolve(Some(explicit), None, &e, None, &mut no_file).unwrap();
        assert_eq!((c.secret_id(), s), ("AKIDx", Source::Explicit));
        let (c, s) = resolve(None, None, &e, None, &mut no_file).unwrap();
        assert_eq!((c.secret_id(), s), ("AKIDenv", Source::Environment));
        let mut read = |p: &str| {
            assert_eq!(p, "/home/u/.tencentcloud/credentials");
            Ok(Some(Zeroizing::new(FILE.to_owned())))
        };
        let (c, _) = resolve(None, None, &env(&[]), Some("/home/u"), &mut read).unwrap();
        assert_eq!(c.secret_id(), "AKIDfile");
        let (c, s) = resolve(
            None,
            None,
            &env(&[(ENV_PROFILE, "ops")]),
            Some("/home/u/"),
            &mut read,
        )
        .unwrap();
        assert_eq!(c.secret_id(), "AKIDops");
        assert_eq!(c.token(), Some("opstoken"));
        assert!(matches!(s, Source::File { ref profile, .. } if profile == "ops"));
    }

    #[test]
    fn credentials_file_override_and_errors() {
        let e = env(&[(ENV_CREDENTIALS_FILE, "/etc/creds")]);
        let err = resolve(None, None, &e, Some("/home/u"), &mut no_file).unwrap_err();
        assert_eq!(err.to_string(), "/etc/creds: file not found");
        let err = resolve(None, None, &env(&[]), Some("/h"), &mut no_file).unwrap_err();
        assert!(matches!(err, ChainError::NotFound { .. }));
        let err = resolve(None, None, &env(&[]), Some("/h"), &mut |_| {
            Err("permission denied".into())
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/h/.tencentcloud/credentials: permission denied"
        );
        let err = resolve(None, Some("nope"), &env(&[]), Some("/h"), &mut |_| {
            Ok(Some(Zeroizing::new(FILE.to_owned())))
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/h/.tencentcloud/credentials: no profile [nope]"
        );
    }

    #[test]
    fn partial_env_names_the_missing_key() {
        let err = from_env(&env(&[(ENV_SECRET_ID, "AKID")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment: TENCENTCLOUD_SECRET_KEY is missing"
        );
        let err = from_env(&env(&[(ENV_SECRET_KEY, "topsecret")])).unwrap_err();
        assert!(!err.to_string().contains("topsecret"));
        let err = from_env(&env(&[
            (ENV_SECRET_ID, "AKID"),
            (ENV_SECRET_KEY, " topsecret"),
        ]))
        .unwrap_err();
        assert_eq!(err.to_string(), "environment: TENCENTCLOUD_SECRET_KEY: the secret key has leading or trailing whitespace");
        assert!(from_env(&env(&[])).unwrap().is_none());
    }

    #[test]
    fn malformed_files_name_the_line_not_the_secret() {
        for (text, line) in [
            ("[default]\nsecret_key topsecret\n", 2),
            ("secret_key = topsecret\n", 1),
            ("[default]\nsecret_key = a\nsecret_key = topsecret\n", 3),
            ("[]\n", 1),
            ("[a]\n[a]\n", 2),
            ("[a\n", 1),
        ] {
            let err = from_profile_text(text, "f", "default").unwrap_err();
            assert!(
                matches!(err, ChainError::Malformed { line: l, .. } if l == line),
                "{text:?}: {err}"
            );
            assert!(!err.to_string().contains("topsecret"));
        }
        let err = from_profile_text("[default]\nsecret_id = AKID\n", "f", "default").unwrap_err();
        assert_eq!(err.to_string(), "f [default]: secret_key is missing");
    }
}
