//! The credentials chain of the official SDKs: explicit credentials, then environment variables,
//! then the profile files (`~/.tencentcloud/credentials`, `/etc/tencentcloud/credentials`, tccli's
//! `~/.tccli/<profile>.credential`), then the CVM instance role, then the TKE OIDC role.
//!
//! [`plan`] decides everything that needs no network: it reads the environment and the files'
//! text through the functions it is given and answers a [`Plan`]. The instance role and STS
//! requests of a dynamic plan are built and parsed by [`crate::metadata`] and [`crate::sts`]; the
//! shared client crate sends them through the transport.

use std::collections::BTreeMap;

use thiserror::Error;
use zeroize::Zeroizing;

use crate::credentials::{Credentials, CredentialsError};
use crate::json::JsonError;
use crate::sts::RoleRequest;

/// Environment variable holding the secret id.
pub const ENV_SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// Environment variable holding the secret key.
pub const ENV_SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Environment variable holding the optional session token.
pub const ENV_SESSION_TOKEN: &str = "TENCENTCLOUD_SESSION_TOKEN";
/// The session token's name as tccli reads it (used when `TENCENTCLOUD_SESSION_TOKEN` is unset).
pub const ENV_TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Environment variable overriding the instance metadata endpoint (e.g. an emulator's URL).
pub const ENV_METADATA_ENDPOINT: &str = "TENCENTCLOUD_METADATA_ENDPOINT";
/// Environment variable overriding the STS endpoint (e.g. an emulator's URL).
pub const ENV_STS_ENDPOINT: &str = "TENCENTCLOUD_STS_ENDPOINT";
/// The region of a TKE cluster, sent with `AssumeRoleWithWebIdentity`.
pub const ENV_TKE_REGION: &str = "TKE_REGION";
/// The OIDC provider id of a TKE cluster.
pub const ENV_TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// The file holding a TKE pod's web identity token (re-read at every refresh).
pub const ENV_TKE_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// The role a TKE pod assumes.
pub const ENV_TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";
/// Environment variable naming the profile (section) of the credentials file.
pub const ENV_PROFILE: &str = "TENCENTCLOUD_PROFILE";
/// Environment variable overriding the credentials file's path.
pub const ENV_CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// Environment variable holding the default region.
pub const ENV_REGION: &str = "TENCENTCLOUD_REGION";
/// The credentials file below the home directory.
pub const DEFAULT_FILE: &str = ".tencentcloud/credentials";
/// The system-wide credentials file, read after the one below the home directory.
pub const SYSTEM_FILE: &str = "/etc/tencentcloud/credentials";
/// tccli's directory below the home directory, holding `<profile>.credential` and `<profile>.configure`.
pub const TCCLI_DIR: &str = ".tccli";
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
    #[error("no credentials found; looked at: {}", looked.join("; "))]
    NotFound {
        /// Every place looked at, each with why it gave nothing.
        looked: Vec<String>,
    },
    /// A source that must be fetched (instance role, STS) failed.
    #[error("{source_name}: {reason}")]
    Fetch {
        /// The source, e.g. `STS AssumeRole qcs::cam::uin/1:roleName/ops`.
        source_name: String,
        /// What went wrong (never a secret).
        reason: String,
    },
    /// A tccli JSON file is unusable.
    #[error("{path}: not a tccli JSON file: {reason}")]
    BadJson {
        /// The file.
        path: String,
        /// What is wrong (never a value).
        reason: String,
    },
    /// A member of a tccli JSON file has the wrong JSON type.
    #[error("{path}: {key} is not {expected}")]
    WrongType {
        /// The file.
        path: String,
        /// The member, dotted from the top, e.g. `_sys_param.region`.
        key: &'static str,
        /// What it must be, e.g. `a string`.
        expected: &'static str,
    },
}

/// Where resolved credentials came from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// A role assumed with STS `AssumeRole` using long-term keys from another source.
    AssumedRole {
        /// The role's ARN.
        role_arn: String,
        /// Where the keys that assumed it came from.
        via: Box<Source>,
    },
    /// The CVM instance role, from the metadata service.
    InstanceRole {
        /// The role's name.
        role: String,
    },
    /// A TKE OIDC role, assumed with `AssumeRoleWithWebIdentity`.
    WebIdentity {
        /// The role's ARN.
        role_arn: String,
        /// The OIDC provider.
        provider_id: String,
    },
    /// Not yet known: the instance role and the TKE OIDC role are tried at the first call.
    Pending,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Explicit => f.write_str("given by the caller"),
            Source::Environment => f.write_str("environment (TENCENTCLOUD_SECRET_ID)"),
            Source::File { path, profile } => write!(f, "{path} [{profile}]"),
            Source::AssumedRole { role_arn, via } => {
                write!(f, "role {role_arn} assumed with keys from {via}")
            }
            Source::InstanceRole { role } => write!(f, "CVM instance role {role}"),
            Source::WebIdentity {
                role_arn,
                provider_id,
            } => write!(f, "TKE OIDC role {role_arn} (provider {provider_id})"),
            Source::Pending => f.write_str("instance role or TKE OIDC role, not yet fetched"),
        }
    }
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
    let token = get(ENV_SESSION_TOKEN)
        .map(|t| (ENV_SESSION_TOKEN, t))
        .or_else(|| get(ENV_TOKEN).map(|t| (ENV_TOKEN, t)));
    if let Some((name, token)) = token {
        creds = creds.with_token(token).map_err(invalid(name))?;
    }
    Ok(Some(creds))
}

/// Reads the credentials file at a path: its text, `Ok(None)` when it does not exist, or why it cannot be read.
pub type ReadFile<'a> = dyn FnMut(&str) -> Result<Option<Zeroizing<String>>, String> + 'a;

/// One section of an ini file: keys and values, the values zeroized on drop since they hold secrets.
pub type Section = BTreeMap<String, Zeroizing<String>>;

/// Parses ini text into sections of `key = value`; `#` and `;` start comment lines. A leading
/// byte-order mark, which Windows editors write at the start of a UTF-8 file, is not text.
pub fn parse_ini(text: &str, path: &str) -> Result<BTreeMap<String, Section>, ChainError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
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

/// A profile's keys and, when it names `role_arn`, the role to assume with them.
#[derive(Debug, Clone)]
pub struct ProfileEntry {
    /// The profile's keys.
    pub credentials: Credentials,
    /// The role to assume with them, if the profile names one.
    pub role: Option<RoleRequest>,
}

fn which_key(e: &CredentialsError, id: &'static str, key: &'static str) -> &'static str {
    if matches!(
        e,
        CredentialsError::Empty("secret id")
            | CredentialsError::Whitespace("secret id")
            | CredentialsError::Control("secret id")
    ) {
        id
    } else {
        key
    }
}

/// The keys, token and role of one profile's values, named as `names` (id, key, token, role ARN, session name).
fn entry_of(
    get: &dyn Fn(&str) -> Option<String>,
    names: [&'static str; 5],
    source_name: &str,
) -> Result<ProfileEntry, ChainError> {
    let [id_name, key_name, token_name, arn_name, session_name] = names;
    let field = |key: &str| {
        get(key)
            .filter(|v| !v.is_empty())
            .map(Zeroizing::new)
            .ok_or_else(|| ChainError::Missing {
                source_name: source_name.to_owned(),
                key: key.to_owned(),
            })
    };
    let invalid = |key: &str| {
        let source_name = source_name.to_owned();
        let key = key.to_owned();
        move |error| ChainError::Invalid {
            source_name,
            key,
            error,
        }
    };
    let id = field(id_name)?;
    let key = field(key_name)?;
    let mut credentials = Credentials::new(id.as_str(), key.as_str())
        .map_err(|e| invalid(which_key(&e, id_name, key_name))(e))?;
    if let Some(token) = get(token_name)
        .filter(|t| !t.is_empty())
        .map(Zeroizing::new)
    {
        credentials = credentials
            .with_token(token.as_str())
            .map_err(invalid(token_name))?;
    }
    let role = get(arn_name).filter(|a| !a.is_empty()).map(|arn| {
        let mut role = RoleRequest::new(arn);
        if let Some(name) = get(session_name).filter(|n| !n.is_empty()) {
            role.role_session_name = name;
        }
        role
    });
    Ok(ProfileEntry { credentials, role })
}

/// Profile `profile` of a credentials file's text: `secret_id`, `secret_key`, optional `token`,
/// and optional `role_arn` and `role_session_name` of a role to assume with those keys.
pub fn profile_entry(text: &str, path: &str, profile: &str) -> Result<ProfileEntry, ChainError> {
    let sections = parse_ini(text, path)?;
    let section = sections.get(profile).ok_or_else(|| ChainError::NoProfile {
        path: path.to_owned(),
        profile: profile.to_owned(),
    })?;
    let get = |k: &str| section.get(k).map(|v| v.as_str().to_owned());
    entry_of(
        &get,
        [
            "secret_id",
            "secret_key",
            "token",
            "role_arn",
            "role_session_name",
        ],
        &format!("{path} [{profile}]"),
    )
}

/// Credentials from profile `profile` of a credentials file's text (`secret_id`, `secret_key`, optional `token`).
pub fn from_profile_text(text: &str, path: &str, profile: &str) -> Result<Credentials, ChainError> {
    profile_entry(text, path, profile).map(|e| e.credentials)
}

/// The byte-order mark some editors write at the start of a UTF-8 file.
pub const BOM: char = '\u{feff}';

fn tccli_json(
    text: &str,
    path: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, ChainError> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    // serde's message may quote the text, and a key may be anything, so only the place is told.
    // A key given twice is refused: which of its values is meant is not for us to guess.
    let reason = match crate::json::parse_object(text.as_bytes()) {
        Ok(map) => return Ok(map),
        Err(JsonError::NotObject { .. }) => "the top level is not an object".to_owned(),
        Err(JsonError::DuplicateKey { line, column, .. }) => {
            format!("a key is given twice in one object, at line {line} column {column}")
        }
        Err(JsonError::Syntax { line, column, .. }) => {
            format!("invalid JSON at line {line} column {column}")
        }
        // The text came in as a `&str`.
        Err(JsonError::NotUtf8 { .. }) => "the text is not UTF-8".to_owned(),
    };
    Err(ChainError::BadJson {
        path: path.to_owned(),
        reason,
    })
}

/// The keys and role of a tccli credential file's JSON text (`secretId`, `secretKey`, optional
/// `token`, `role-arn` and `role-session-name`).
pub fn tccli_credential(text: &str, path: &str) -> Result<ProfileEntry, ChainError> {
    let map = tccli_json(text, path)?;
    let get = |k: &str| map.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    entry_of(
        &get,
        [
            "secretId",
            "secretKey",
            "token",
            "role-arn",
            "role-session-name",
        ],
        path,
    )
}

/// The region of the tccli configure file `path`, from its JSON text: `_sys_param.region` (or a
/// top-level `region`, as older tccli wrote it); `None` when absent, empty or `null`. A text that
/// is not one JSON object (a key given twice included), a `_sys_param` that is not an object or
/// a region that is not a string is an error rather than no region, so that the region is not
/// silently taken from elsewhere.
pub fn tccli_region(text: &str, path: &str) -> Result<Option<String>, ChainError> {
    use serde_json::Value;
    let wrong = |key, expected| ChainError::WrongType {
        path: path.to_owned(),
        key,
        expected,
    };
    let value = tccli_json(text, path)?;
    let in_sys = match value.get("_sys_param") {
        None | Some(Value::Null) => None,
        Some(Value::Object(sys)) => sys.get("region"),
        Some(_) => return Err(wrong("_sys_param", "an object")),
    };
    let (key, region) = match (in_sys, value.get("region")) {
        (Some(region), _) => ("_sys_param.region", region),
        (None, Some(region)) => ("region", region),
        (None, None) => return Ok(None),
    };
    match region {
        Value::String(region) => Ok((!region.is_empty()).then(|| region.clone())),
        Value::Null => Ok(None),
        _ => Err(wrong(key, "a string")),
    }
}

/// The path of tccli's file `<profile>.<ext>` below `home`, when the profile is a plain name.
pub fn tccli_file(home: &str, profile: &str, ext: &str) -> Option<String> {
    let plain = !profile.is_empty()
        && profile
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b))
        && !profile.starts_with('.');
    plain.then(|| format!("{}/{TCCLI_DIR}/{profile}.{ext}", home.trim_end_matches('/')))
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

/// The TKE OIDC role configured by the `TKE_*` environment variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentityConfig {
    /// The region sent with the request (`TKE_REGION`).
    pub region: String,
    /// The OIDC provider (`TKE_PROVIDER_ID`).
    pub provider_id: String,
    /// The file with the web identity token (`TKE_WEB_IDENTITY_TOKEN_FILE`), read at every refresh.
    pub token_file: String,
    /// The role to assume (`TKE_ROLE_ARN`) and the session.
    pub role: RoleRequest,
}

/// The TKE OIDC role of the environment: `None` when no `TKE_*` variable is set, an error naming
/// the first missing one when only some are.
pub fn web_identity_from_env(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<WebIdentityConfig>, ChainError> {
    let get = |k: &str| env(k).filter(|v| !v.is_empty());
    let names = [
        ENV_TKE_REGION,
        ENV_TKE_PROVIDER_ID,
        ENV_TKE_TOKEN_FILE,
        ENV_TKE_ROLE_ARN,
    ];
    if names.iter().all(|n| get(n).is_none()) {
        return Ok(None);
    }
    let need = |k: &str| {
        get(k).ok_or_else(|| ChainError::Missing {
            source_name: "TKE OIDC environment".into(),
            key: k.to_owned(),
        })
    };
    let region = need(ENV_TKE_REGION)?;
    crate::endpoint::check_region(&region).map_err(|_| ChainError::Fetch {
        source_name: "TKE OIDC environment".into(),
        reason: format!("{ENV_TKE_REGION} is not a region name"),
    })?;
    Ok(Some(WebIdentityConfig {
        region,
        provider_id: need(ENV_TKE_PROVIDER_ID)?,
        token_file: need(ENV_TKE_TOKEN_FILE)?,
        role: RoleRequest::new(need(ENV_TKE_ROLE_ARN)?),
    }))
}

/// What the chain found without a network.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Plan {
    /// Credentials to use as they are.
    Static {
        /// The credentials.
        credentials: Credentials,
        /// Where they came from.
        source: Source,
    },
    /// Keys that assume a role with STS `AssumeRole` (a profile naming `role_arn`).
    AssumeRole {
        /// The keys that sign `AssumeRole`.
        credentials: Credentials,
        /// The role.
        role: RoleRequest,
        /// Where the keys came from.
        source: Source,
    },
    /// No keys anywhere: try the CVM instance role, then the TKE OIDC role when configured.
    Dynamic {
        /// The places already looked at, each with why it gave nothing (for the final error).
        looked: Vec<String>,
        /// The TKE OIDC role, if the environment configures one.
        web_identity: Option<WebIdentityConfig>,
    },
}

fn entry_plan(entry: ProfileEntry, source: Source) -> Plan {
    match entry.role {
        Some(role) => Plan::AssumeRole {
            credentials: entry.credentials,
            role,
            source,
        },
        None => Plan::Static {
            credentials: entry.credentials,
            source,
        },
    }
}

/// Walks the chain as far as it goes without a network: `explicit`, then the environment, then
/// profile `profile` (else `TENCENTCLOUD_PROFILE`, else `default`) of `TENCENTCLOUD_CREDENTIALS_FILE`
/// alone, or of `~/.tencentcloud/credentials`, `/etc/tencentcloud/credentials` and tccli's
/// `~/.tccli/<profile>.credential` in that order.
///
/// A profile named by the caller or `TENCENTCLOUD_PROFILE` must exist: when no file has it the
/// answer is an error, not the instance role. `read_file` returns a file's text, `Ok(None)` when
/// it does not exist, or the reason it cannot be read.
pub fn plan(
    explicit: Option<Credentials>,
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&str>,
    read_file: &mut ReadFile<'_>,
) -> Result<Plan, ChainError> {
    if let Some(credentials) = explicit {
        return Ok(Plan::Static {
            credentials,
            source: Source::Explicit,
        });
    }
    let mut looked = Vec::new();
    // A profile named by the caller skips the environment's keys, as a user naming one expects.
    if profile.is_none() {
        if let Some(credentials) = from_env(env)? {
            return Ok(Plan::Static {
                credentials,
                source: Source::Environment,
            });
        }
        looked.push(format!(
            "environment ({ENV_SECRET_ID} and {ENV_SECRET_KEY} unset)"
        ));
    }
    let named = profile
        .map(str::to_owned)
        .or_else(|| env(ENV_PROFILE).filter(|p| !p.is_empty()));
    let explicit_profile = named.is_some();
    let profile = named.unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    let mut files: Vec<(String, bool)> = Vec::new();
    match credentials_file(env, home) {
        Some((path, true)) => files.push((path, true)),
        Some((path, false)) => {
            files.push((path, false));
            files.push((SYSTEM_FILE.to_owned(), false));
        }
        None => {
            looked.push(format!("~/{DEFAULT_FILE} (no home directory)"));
            files.push((SYSTEM_FILE.to_owned(), false));
        }
    }
    let only_named_file = files.first().is_some_and(|(_, named)| *named);
    for (path, named) in files {
        match read_file(&path) {
            Ok(Some(text)) => match profile_entry(&text, &path, &profile) {
                Ok(entry) => {
                    let source = Source::File {
                        path,
                        profile: profile.clone(),
                    };
                    return Ok(entry_plan(entry, source));
                }
                Err(ChainError::NoProfile { .. }) if !explicit_profile && !named => {
                    looked.push(format!("{path} (no [{profile}] profile)"));
                }
                Err(e) => return Err(e),
            },
            Ok(None) if named => {
                return Err(ChainError::Unreadable {
                    path,
                    reason: "file not found".into(),
                })
            }
            Ok(None) => looked.push(format!("{path} (not found)")),
            Err(reason) => return Err(ChainError::Unreadable { path, reason }),
        }
    }
    if !only_named_file {
        if let Some(path) = home.and_then(|h| tccli_file(h, &profile, "credential")) {
            match read_file(&path) {
                Ok(Some(text)) => {
                    let entry = tccli_credential(&text, &path)?;
                    return Ok(entry_plan(entry, Source::File { path, profile }));
                }
                Ok(None) => looked.push(format!("{path} (not found)")),
                Err(reason) => return Err(ChainError::Unreadable { path, reason }),
            }
        }
    }
    if explicit_profile {
        return Err(match looked.iter().find(|l| l.contains("profile)")) {
            Some(l) => ChainError::NoProfile {
                path: l.split(" (").next().unwrap_or_default().to_owned(),
                profile,
            },
            None => ChainError::NotFound { looked },
        });
    }
    Ok(Plan::Dynamic {
        looked,
        web_identity: web_identity_from_env(env)?,
    })
}

/// The static part of [`plan`]: credentials that need no network, else [`ChainError::NotFound`]
/// naming the places looked at (a role to assume or fetch needs a client).
pub fn resolve(
    explicit: Option<Credentials>,
    profile: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    home: Option<&str>,
    read_file: &mut ReadFile<'_>,
) -> Result<(Credentials, Source), ChainError> {
    match plan(explicit, profile, env, home, read_file)? {
        Plan::Static {
            credentials,
            source,
        } => Ok((credentials, source)),
        Plan::AssumeRole { role, source, .. } => Err(ChainError::NotFound {
            looked: vec![format!(
                "{source} (names role {}, which needs STS)",
                role.role_arn
            )],
        }),
        Plan::Dynamic { looked, .. } => Err(ChainError::NotFound { looked }),
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
    fn a_leading_byte_order_mark_is_not_text() {
        let c = from_profile_text(&format!("{BOM}{FILE}"), "f", "default").unwrap();
        assert_eq!(c.secret_id(), "AKIDfile");
        let json = format!(r#"{BOM}{{"secretId":"AKIDtccli","secretKey":"k"}}"#);
        let entry = tccli_credential(&json, "f").unwrap();
        assert_eq!(entry.credentials.secret_id(), "AKIDtccli");
        // Only at the start: anywhere else it is part of a line, which is then malformed.
        let err = from_profile_text(&format!("{FILE}{BOM}[x]\n"), "f", "default").unwrap_err();
        assert!(
            matches!(err, ChainError::Malformed { line: 10, .. }),
            "{err}"
        );
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

    fn files(
        map: &'static [(&'static str, &'static str)],
    ) -> impl FnMut(&str) -> Result<Option<Zeroizing<String>>, String> {
        move |p: &str| {
            Ok(map
                .iter()
                .find(|(k, _)| *k == p)
                .map(|(_, v)| Zeroizing::new((*v).to_owned())))
        }
    }

    #[test]
    fn tccli_token_is_read_when_session_token_is_unset() {
        let c = from_env(&env(&[
            (ENV_SECRET_ID, "AKID"),
            (ENV_SECRET_KEY, "k"),
            (ENV_TOKEN, "tccli-token"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.token(), Some("tccli-token"));
        let c = from_env(&env(&[
            (ENV_SECRET_ID, "AKID"),
            (ENV_SECRET_KEY, "k"),
            (ENV_TOKEN, "tccli-token"),
            (ENV_SESSION_TOKEN, "sdk-token"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.token(), Some("sdk-token"));
    }

    #[test]
    fn home_file_then_system_file_then_tccli() {
        let mut read = files(&[(SYSTEM_FILE, "[default]\nsecret_id=AKIDetc\nsecret_key=k\n")]);
        let (c, s) = resolve(None, None, &env(&[]), Some("/h"), &mut read).unwrap();
        assert_eq!(c.secret_id(), "AKIDetc");
        assert_eq!(s.to_string(), "/etc/tencentcloud/credentials [default]");
        // A home file without the default profile is passed over, not an error.
        let mut read = files(&[
            (
                "/h/.tencentcloud/credentials",
                "[ops]\nsecret_id=AKIDops\nsecret_key=k\n",
            ),
            (
                "/h/.tccli/default.credential",
                r#"{"secretId":"AKIDtccli","secretKey":"k","token":"t"}"#,
            ),
        ]);
        let (c, s) = resolve(None, None, &env(&[]), Some("/h"), &mut read).unwrap();
        assert_eq!((c.secret_id(), c.token()), ("AKIDtccli", Some("t")));
        assert!(matches!(s, Source::File { ref path, .. } if path.ends_with(".credential")));
        let mut none = files(&[]);
        let err = resolve(None, None, &env(&[]), Some("/h"), &mut none).unwrap_err();
        let text = err.to_string();
        for place in [
            "environment",
            "/h/.tencentcloud/credentials (not found)",
            "/etc/tencentcloud/credentials (not found)",
            "/h/.tccli/default.credential (not found)",
        ] {
            assert!(text.contains(place), "{text}");
        }
    }

    #[test]
    fn a_profile_role_is_assumed_with_its_keys() {
        let mut read = files(&[(
            "/h/.tencentcloud/credentials",
            "[default]\nsecret_id=AKIDbase\nsecret_key=k\nrole_arn=qcs::cam::uin/1:roleName/ops\nrole_session_name=deploy\n",
        )]);
        let p = plan(None, None, &env(&[]), Some("/h"), &mut read).unwrap();
        let Plan::AssumeRole {
            credentials, role, ..
        } = p
        else {
            panic!("{p:?}")
        };
        assert_eq!(credentials.secret_id(), "AKIDbase");
        assert_eq!(role.role_arn, "qcs::cam::uin/1:roleName/ops");
        assert_eq!(role.role_session_name, "deploy");
        let entry = tccli_credential(
            r#"{"secretId":"AKID","secretKey":"k","role-arn":"qcs::cam::uin/1:roleName/x","role-session-name":"s"}"#,
            "f",
        )
        .unwrap();
        assert_eq!(entry.role.unwrap().role_session_name, "s");
    }

    #[test]
    fn tccli_files_are_checked_without_quoting_them() {
        let err = tccli_credential(r#"{"secretId":"AKID"}"#, "f").unwrap_err();
        assert_eq!(err.to_string(), "f: secretKey is missing");
        let err =
            tccli_credential(r#"{"secretId":"AKID","secretKey": topsecret}"#, "f").unwrap_err();
        assert!(matches!(err, ChainError::BadJson { .. }));
        assert!(!err.to_string().contains("topsecret"));
        assert!(tccli_credential("[]", "f").is_err());
        // Two secret keys: which one is meant is not guessed, and neither is shown.
        let text = "{\"secretId\":\"AKID\",\n\"secretKey\":\"old\",\n\"secretKey\":\"new\"}";
        let err = tccli_credential(text, "f").unwrap_err();
        assert_eq!(
            err.to_string(),
            "f: not a tccli JSON file: a key is given twice in one object, at line 3 column 11"
        );
        let region = |text: &str| tccli_region(text, "f").map_err(|e| e.to_string());
        assert_eq!(
            region(r#"{"_sys_param":{"region":"ap-beijing","output":"json"}}"#),
            Ok(Some("ap-beijing".into()))
        );
        assert_eq!(
            region(r#"{"region":"ap-shanghai"}"#),
            Ok(Some("ap-shanghai".into()))
        );
        assert_eq!(
            region(&format!(r#"{BOM}{{"region":"ap-chengdu"}}"#)),
            Ok(Some("ap-chengdu".into()))
        );
        for none in [
            "{}",
            r#"{"_sys_param":{"output":"json"}}"#,
            r#"{"_sys_param":{"region":""}}"#,
            r#"{"region":null}"#,
        ] {
            assert_eq!(region(none), Ok(None), "{none}");
        }
        // An unusable file is said so, not read as having no region.
        assert_eq!(
            region("nope"),
            Err("f: not a tccli JSON file: invalid JSON at line 1 column 2".into())
        );
        assert_eq!(
            region("{\"_sys_param\":{\"region\":\"ap-beijing\",\n\"region\":\"ap-hongkong\"}}"),
            Err(
                "f: not a tccli JSON file: a key is given twice in one object, at line 2 column 8"
                    .into()
            )
        );
        assert_eq!(
            region(r#"{"_sys_param":{"region":7}}"#),
            Err("f: _sys_param.region is not a string".into())
        );
        assert_eq!(
            region(r#"{"region":["ap-beijing"]}"#),
            Err("f: region is not a string".into())
        );
        assert_eq!(
            region(r#"{"_sys_param":"ap-beijing","region":"ap-shanghai"}"#),
            Err("f: _sys_param is not an object".into())
        );
        assert_eq!(
            region(r#"{"_sys_param":null,"region":"ap-shanghai"}"#),
            Ok(Some("ap-shanghai".into()))
        );
        assert_eq!(
            tccli_file("/h/", "ops", "configure").as_deref(),
            Some("/h/.tccli/ops.configure")
        );
        assert_eq!(tccli_file("/h", "../x", "credential"), None);
    }

    #[test]
    fn nothing_static_plans_the_instance_role_then_oidc() {
        let mut none = files(&[]);
        let p = plan(None, None, &env(&[]), Some("/h"), &mut none).unwrap();
        assert!(matches!(p, Plan::Dynamic { web_identity: None, ref looked } if looked.len() == 4));
        let tke = env(&[
            (ENV_TKE_REGION, "ap-guangzhou"),
            (ENV_TKE_PROVIDER_ID, "prov"),
            (ENV_TKE_TOKEN_FILE, "/var/run/token"),
            (ENV_TKE_ROLE_ARN, "qcs::cam::uin/1:roleName/pod"),
        ]);
        let p = plan(None, None, &tke, Some("/h"), &mut none).unwrap();
        let Plan::Dynamic {
            web_identity: Some(w),
            ..
        } = p
        else {
            panic!("{p:?}")
        };
        assert_eq!(
            (w.provider_id.as_str(), w.token_file.as_str()),
            ("prov", "/var/run/token")
        );
        let err = web_identity_from_env(&env(&[(ENV_TKE_PROVIDER_ID, "p")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "TKE OIDC environment: TKE_REGION is missing"
        );
        // A named profile that no file has is an error, not a reason to ask the network.
        let err = plan(None, Some("ops"), &env(&[]), Some("/h"), &mut none).unwrap_err();
        assert!(matches!(err, ChainError::NotFound { .. }), "{err}");
    }
}
