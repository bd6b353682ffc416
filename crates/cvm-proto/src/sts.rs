//! Temporary credentials: the STS requests that issue them (`AssumeRole`, signed with TC3 for
//! service `sts`, and `AssumeRoleWithWebIdentity`, sent unsigned as the SDKs do), the parsing of
//! their replies, and the decision whether credentials are due for a refresh.
//!
//! Everything here is pure: the caller passes the clock's reading and sends the [`HttpRequest`]s
//! itself. Reply parsing never panics and never puts a secret into an error.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::credentials::{Credentials, CredentialsError};
use crate::endpoint::{check_region, Endpoint, EndpointError};
use crate::envelope;
use crate::request::{HttpMethod, HttpRequest, TC3_TOKEN_HEADER};
use crate::tc3;

/// The STS host of the SDKs.
pub const STS_HOST: &str = "sts.tencentcloudapi.com";
/// The service name in an STS request's credential scope.
pub const STS_SERVICE: &str = "sts";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// The region STS requests carry when none is known (the SDKs' choice).
pub const STS_DEFAULT_REGION: &str = "ap-guangzhou";
/// How long assumed credentials are asked to last, in seconds (the SDKs' default).
pub const DEFAULT_DURATION_SECS: u32 = 7200;
/// The session name used when none is configured.
pub const DEFAULT_SESSION_NAME: &str = "cvm-rs-session";
/// The largest STS or metadata reply read.
pub const REPLY_LIMIT: usize = 64 * 1024;
/// How long before expiry temporary credentials are refreshed by default.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// `https://sts.tencentcloudapi.com/`.
pub fn default_endpoint() -> Endpoint {
    Endpoint::parse(&format!("https://{STS_HOST}/")).unwrap_or_else(|_| Endpoint::global())
}

/// Why temporary credentials could not be obtained from a reply, or a request not built.
/// Messages never contain a key, a token or the web identity token.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum StsError {
    /// The service answered with an API error.
    #[error("{code}: {message}")]
    Api {
        /// The error code, e.g. `InvalidParameter.RoleNotExist`.
        code: String,
        /// The service's message.
        message: String,
    },
    /// The reply was not a usable envelope (status, size, JSON or shape).
    #[error("unusable reply: {0}")]
    Reply(String),
    /// The reply's credentials are unusable.
    #[error("the issued credentials are unusable: {0}")]
    Credentials(#[from] CredentialsError),
    /// A parameter of the request is unusable.
    #[error("{0}")]
    Parameter(String),
    /// The region is malformed.
    #[error(transparent)]
    Region(#[from] EndpointError),
}

/// Credentials that expire, with the Unix second they expire at.
#[derive(Debug, Clone)]
pub struct TemporaryCredentials {
    /// The secret id, key and session token.
    pub credentials: Credentials,
    /// When they stop being accepted, in Unix seconds.
    pub expires_at: i64,
}

/// Whether credentials expiring at `expires_at` must be refreshed at Unix time `now`: when fewer
/// than `margin` remain (or they have expired). `None` (long-term credentials) never needs it.
pub fn needs_refresh(expires_at: Option<i64>, now: i64, margin: Duration) -> bool {
    let margin = i64::try_from(margin.as_secs()).unwrap_or(i64::MAX);
    expires_at.is_some_and(|at| now >= at.saturating_sub(margin))
}

/// Whether credentials expiring at `expires_at` may still be used at `now` (a failed refresh falls back to them).
pub fn still_valid(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_none_or(|at| now < at)
}

/// What to ask STS for: the role and the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRequest {
    /// The role's ARN, e.g. `qcs::cam::uin/100000000001:roleName/ops`.
    pub role_arn: String,
    /// The session name recorded by CAM.
    pub role_session_name: String,
    /// How long the credentials should last, in seconds.
    pub duration_seconds: u32,
}

impl RoleRequest {
    /// `role_arn` with the default session name and duration.
    pub fn new(role_arn: impl Into<String>) -> Self {
        RoleRequest {
            role_arn: role_arn.into(),
            role_session_name: DEFAULT_SESSION_NAME.to_owned(),
            duration_seconds: DEFAULT_DURATION_SECS,
        }
    }

    fn check(&self) -> Result<(), StsError> {
        let visible = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic());
        if !visible(&self.role_arn) {
            return Err(StsError::Parameter(
                "the role ARN is empty or holds spaces or control characters".into(),
            ));
        }
        if !visible(&self.role_session_name) {
            return Err(StsError::Parameter(
                "the role session name is empty or holds spaces or control characters".into(),
            ));
        }
        Ok(())
    }
}

/// The headers and body shared by both STS requests.
fn sts_request(
    endpoint: &Endpoint,
    action: &str,
    region: &str,
    timestamp: u64,
    body: Vec<u8>,
) -> Result<(HttpRequest, String), StsError> {
    check_region(region)?;
    let host = endpoint.host_header();
    let url = endpoint.url();
    let headers = vec![
        ("Host", host.clone()),
        ("Content-Type", tc3::JSON_CONTENT_TYPE.to_owned()),
        ("X-TC-Action", action.to_owned()),
        ("X-TC-Version", STS_VERSION.to_owned()),
        ("X-TC-Timestamp", timestamp.to_string()),
        ("X-TC-Region", region.to_owned()),
    ];
    Ok((
        HttpRequest {
            method: HttpMethod::Post,
            url,
            headers,
            body,
        },
        host,
    ))
}

/// The TC3-signed `AssumeRole` request of `role` made with `credentials` at Unix time `timestamp`.
pub fn assume_role_request(
    endpoint: &Endpoint,
    region: &str,
    credentials: &Credentials,
    role: &RoleRequest,
    timestamp: u64,
) -> Result<HttpRequest, StsError> {
    role.check()?;
    let body = json!({
        "RoleArn": role.role_arn,
        "RoleSessionName": role.role_session_name,
        "DurationSeconds": role.duration_seconds,
    })
    .to_string()
    .into_bytes();
    let (mut request, host) = sts_request(endpoint, "AssumeRole", region, timestamp, body)?;
    let date = tc3::date_of(timestamp);
    let canonical = tc3::canonical_request(
        "POST",
        endpoint.path(),
        "",
        &[("content-type", tc3::JSON_CONTENT_TYPE), ("host", &host)],
        tc3::DEFAULT_SIGNED_HEADERS,
        &tc3::sha256_hex(&request.body),
    );
    let string_to_sign = tc3::string_to_sign(timestamp, &date, STS_SERVICE, &canonical);
    let signature = credentials.tc3_sign(&date, STS_SERVICE, &string_to_sign);
    if let Some(token) = credentials.token() {
        request.headers.push((TC3_TOKEN_HEADER, token.to_owned()));
    }
    request.headers.push((
        "Authorization",
        tc3::authorization(
            credentials.secret_id(),
            &date,
            STS_SERVICE,
            tc3::DEFAULT_SIGNED_HEADERS,
            &signature,
        ),
    ));
    Ok(request)
}

/// The `AssumeRoleWithWebIdentity` request (OIDC, e.g. a TKE pod's service-account token): no
/// signature, `Authorization: SKIP`, as the SDKs send it.
pub fn assume_role_with_web_identity_request(
    endpoint: &Endpoint,
    region: &str,
    provider_id: &str,
    web_identity_token: &str,
    role: &RoleRequest,
    timestamp: u64,
) -> Result<HttpRequest, StsError> {
    role.check()?;
    if provider_id.is_empty() || web_identity_token.trim().is_empty() {
        return Err(StsError::Parameter(
            "the OIDC provider id and the web identity token must not be empty".into(),
        ));
    }
    let body = Zeroizing::new(
        json!({
            "ProviderId": provider_id,
            "WebIdentityToken": web_identity_token.trim(),
            "RoleArn": role.role_arn,
            "RoleSessionName": role.role_session_name,
            "DurationSeconds": role.duration_seconds,
        })
        .to_string(),
    );
    let (mut request, _) = sts_request(
        endpoint,
        "AssumeRoleWithWebIdentity",
        region,
        timestamp,
        body.as_bytes().to_vec(),
    )?;
    request.headers.push(("Authorization", "SKIP".to_owned()));
    Ok(request)
}

/// Reads a string straight into zeroized memory.
pub(crate) fn secret<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Zeroizing<String>, D::Error> {
    String::deserialize(d).map(Zeroizing::new)
}

#[derive(Deserialize)]
struct StsCredentials {
    #[serde(rename = "TmpSecretId")]
    id: String,
    #[serde(rename = "TmpSecretKey")]
    #[serde(deserialize_with = "crate::sts::secret")]
    key: Zeroizing<String>,
    #[serde(rename = "Token")]
    #[serde(deserialize_with = "crate::sts::secret")]
    token: Zeroizing<String>,
}

#[derive(Deserialize)]
struct StsOutput {
    #[serde(rename = "Credentials")]
    credentials: StsCredentials,
    #[serde(rename = "ExpiredTime")]
    expired_time: i64,
}

/// The temporary credentials of an `AssumeRole` or `AssumeRoleWithWebIdentity` reply.
pub fn parse_reply(status: u16, body: &[u8]) -> Result<TemporaryCredentials, StsError> {
    match envelope::parse::<StsOutput>(status, body, REPLY_LIMIT) {
        Ok(reply) => {
            let c = reply.output.credentials;
            let credentials =
                Credentials::new(c.id, c.key.as_str())?.with_token(c.token.as_str())?;
            Ok(TemporaryCredentials {
                credentials,
                expires_at: reply.output.expired_time,
            })
        }
        Err(envelope::Error::Api(e)) => Err(StsError::Api {
            code: e.code,
            message: e.message,
        }),
        Err(e) => Err(StsError::Reply(reply_failure(status, body.len(), &e))),
    }
}

/// What was wrong with a reply that is not an API error, without quoting it (it may hold a secret).
pub(crate) fn reply_failure(status: u16, len: usize, e: &envelope::Error) -> String {
    match e {
        envelope::Error::TooLarge { limit, .. } => format!("the reply exceeds {limit} bytes"),
        envelope::Error::HttpStatus { status, .. } => format!("HTTP status {status}"),
        envelope::Error::InvalidJson { .. } => {
            format!("HTTP {status}, {len} bytes of invalid JSON")
        }
        envelope::Error::Shape { .. } => {
            "the Response lacks Credentials.TmpSecretId/TmpSecretKey/Token or ExpiredTime".into()
        }
        _ => format!("HTTP {status}, {len} bytes without a Response"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Endpoint {
        Endpoint::parse("http://127.0.0.1:9000/").unwrap()
    }

    #[test]
    fn refresh_is_due_within_the_margin() {
        let m = Duration::from_secs(300);
        assert!(!needs_refresh(None, 1_000, m));
        assert!(!needs_refresh(Some(2_000), 1_699, m));
        assert!(needs_refresh(Some(2_000), 1_700, m));
        assert!(needs_refresh(Some(2_000), 5_000, m));
        assert!(!needs_refresh(Some(2_000), 1_999, Duration::ZERO));
        assert!(needs_refresh(Some(i64::MIN), 0, Duration::MAX));
        assert!(still_valid(Some(2_000), 1_999) && !still_valid(Some(2_000), 2_000));
        assert!(still_valid(None, i64::MAX));
    }

    #[test]
    fn assume_role_is_tc3_signed_for_sts() {
        let c = Credentials::new("AKIDbase", "basekey")
            .unwrap()
            .with_token("basetoken")
            .unwrap();
        let role = RoleRequest::new("qcs::cam::uin/1:roleName/ops");
        let r = assume_role_request(&sim(), "ap-guangzhou", &c, &role, 1_700_000_000).unwrap();
        assert_eq!(r.method, HttpMethod::Post);
        assert_eq!(r.url, "http://127.0.0.1:9000/");
        let h = |n: &str| {
            r.headers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(h("X-TC-Action"), Some("AssumeRole"));
        assert_eq!(h("X-TC-Version"), Some(STS_VERSION));
        assert_eq!(h("X-TC-Token"), Some("basetoken"));
        let auth = h("Authorization").unwrap();
        let parsed = tc3::Authorization::parse(auth).unwrap();
        assert_eq!((parsed.service, parsed.secret_id), ("sts", "AKIDbase"));
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["RoleArn"], "qcs::cam::uin/1:roleName/ops");
        assert_eq!(body["DurationSeconds"], 7200);
        let mut bad = role.clone();
        bad.role_arn = "a b".into();
        assert!(assume_role_request(&sim(), "ap-guangzhou", &c, &bad, 1).is_err());
    }

    #[test]
    fn web_identity_is_unsigned() {
        let role = RoleRequest::new("qcs::cam::uin/1:roleName/pod");
        let r = assume_role_with_web_identity_request(
            &sim(),
            "ap-beijing",
            "prov",
            "jwt.jwt.jwt\n",
            &role,
            1,
        )
        .unwrap();
        assert!(r.headers.contains(&("Authorization", "SKIP".to_owned())));
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["WebIdentityToken"], "jwt.jwt.jwt");
        assert_eq!(body["ProviderId"], "prov");
        assert!(
            assume_role_with_web_identity_request(&sim(), "ap-beijing", "p", " ", &role, 1)
                .is_err()
        );
    }

    #[test]
    fn replies_parse_or_fail_typed_without_secrets() {
        let ok = br#"{"Response":{"Credentials":{"TmpSecretId":"AKIDtmp","TmpSecretKey":"tmpkey","Token":"tmptoken"},"ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","RequestId":"r"}}"#;
        let t = parse_reply(200, ok).unwrap();
        assert_eq!(t.credentials.secret_id(), "AKIDtmp");
        assert_eq!(t.credentials.token(), Some("tmptoken"));
        assert_eq!(t.expires_at, 1_700_007_200);
        let err = parse_reply(
            200,
            br#"{"Response":{"Error":{"Code":"InvalidParameter.RoleNotExist","Message":"no"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(err, StsError::Api { ref code, .. } if code == "InvalidParameter.RoleNotExist")
        );
        let shape = br#"{"Response":{"Credentials":{"TmpSecretId":"AKIDtmp","TmpSecretKey":"tmpkey"},"RequestId":"r"}}"#;
        let err = parse_reply(200, shape).unwrap_err();
        assert!(!err.to_string().contains("tmpkey"), "{err}");
        for body in [&b"not json"[..], b"", b"{}", b"[1]", b"{\"Response\":7}"] {
            assert!(parse_reply(200, body).is_err());
        }
        assert!(parse_reply(502, b"<html>").is_err());
        let empty_key = br#"{"Response":{"Credentials":{"TmpSecretId":"AKIDtmp","TmpSecretKey":"","Token":"t"},"ExpiredTime":1,"RequestId":"r"}}"#;
        assert!(matches!(
            parse_reply(200, empty_key),
            Err(StsError::Credentials(_))
        ));
    }
}
