//! The CVM instance role: the metadata service's requests and the parsing of its replies.
//!
//! A CVM with a CAM role bound answers `GET /latest/meta-data/cam/security-credentials/` with the
//! role's name and `GET .../<role>` with the role's temporary credentials as JSON. Off-cloud the
//! host does not resolve; the caller bounds the exchange with a short timeout.

use serde::Deserialize;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::credentials::{Credentials, CredentialsError};
use crate::endpoint::Endpoint;
use crate::request::{HttpMethod, HttpRequest};
use crate::sts::{TemporaryCredentials, REPLY_LIMIT};

/// The metadata service of a CVM.
pub const DEFAULT_ENDPOINT: &str = "http://metadata.tencentyun.com/";
/// The path listing the instance's role, below the endpoint.
pub const ROLE_PATH: &str = "latest/meta-data/cam/security-credentials/";

/// `http://metadata.tencentyun.com/`.
pub fn default_endpoint() -> Endpoint {
    Endpoint::parse(DEFAULT_ENDPOINT).unwrap_or_else(|_| Endpoint::global())
}

/// Why the metadata service gave no usable credentials. Messages never contain a key or token.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The instance has no role bound (the service answered 404 or an empty list).
    #[error("no CAM role is bound to this instance")]
    NoRole,
    /// The role name is not a plain name (it is put into a path).
    #[error("the role name is not a plain name")]
    BadRoleName,
    /// The service answered with an unexpected status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The reply is too large, not UTF-8 or not the expected JSON.
    #[error("unusable reply: {0}")]
    Reply(String),
    /// The JSON's `Code` is not `Success`.
    #[error("the metadata service answered Code {0:?}")]
    Code(String),
    /// The credentials in the reply are unusable.
    #[error("the role's credentials are unusable: {0}")]
    Credentials(#[from] CredentialsError),
}

fn base(endpoint: &Endpoint) -> String {
    let url = endpoint.url();
    if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    }
}

fn get(endpoint: &Endpoint, url: String) -> HttpRequest {
    HttpRequest {
        method: HttpMethod::Get,
        url,
        headers: vec![("Host", endpoint.host_header())],
        body: Vec::new(),
    }
}

/// The request listing the instance's role.
pub fn role_list_request(endpoint: &Endpoint) -> HttpRequest {
    get(endpoint, format!("{}{ROLE_PATH}", base(endpoint)))
}

/// Whether `role` may be put into the credentials path: CAM's role-name characters only.
pub fn is_role_name(role: &str) -> bool {
    !role.is_empty()
        && role.len() <= 128
        && role
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

/// The request for the credentials of `role`.
pub fn role_credentials_request(
    endpoint: &Endpoint,
    role: &str,
) -> Result<HttpRequest, MetadataError> {
    if !is_role_name(role) {
        return Err(MetadataError::BadRoleName);
    }
    Ok(get(
        endpoint,
        format!("{}{ROLE_PATH}{role}", base(endpoint)),
    ))
}

fn text(status: u16, body: &[u8]) -> Result<&str, MetadataError> {
    match status {
        200 => {}
        404 => return Err(MetadataError::NoRole),
        other => return Err(MetadataError::Status(other)),
    }
    if body.len() > REPLY_LIMIT {
        return Err(MetadataError::Reply(format!(
            "the reply exceeds {REPLY_LIMIT} bytes"
        )));
    }
    std::str::from_utf8(body).map_err(|_| MetadataError::Reply("the reply is not UTF-8".into()))
}

/// The role named by the role list reply: its first non-empty line.
pub fn parse_role_list(status: u16, body: &[u8]) -> Result<String, MetadataError> {
    let role = text(status, body)?
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or(MetadataError::NoRole)?;
    if !is_role_name(role) {
        return Err(MetadataError::BadRoleName);
    }
    Ok(role.to_owned())
}

#[derive(Deserialize)]
struct RoleReply {
    #[serde(rename = "TmpSecretId")]
    id: String,
    #[serde(rename = "TmpSecretKey")]
    #[serde(deserialize_with = "crate::sts::secret")]
    key: Zeroizing<String>,
    #[serde(rename = "Token")]
    #[serde(deserialize_with = "crate::sts::secret")]
    token: Zeroizing<String>,
    #[serde(rename = "ExpiredTime")]
    expired_time: i64,
    #[serde(rename = "Code", default)]
    code: Option<String>,
}

/// The role's temporary credentials from the credentials reply.
pub fn parse_role_credentials(
    status: u16,
    body: &[u8],
) -> Result<TemporaryCredentials, MetadataError> {
    let text = text(status, body)?;
    // serde's message may quote a value, so only the kind of failure is told.
    let reply: RoleReply = serde_json::from_str(text).map_err(|_| {
        MetadataError::Reply(
            "expected JSON with TmpSecretId, TmpSecretKey, Token and ExpiredTime".into(),
        )
    })?;
    if let Some(code) = reply.code.filter(|c| c != "Success") {
        return Err(MetadataError::Code(code.chars().take(64).collect()));
    }
    let credentials =
        Credentials::new(reply.id, reply.key.as_str())?.with_token(reply.token.as_str())?;
    Ok(TemporaryCredentials {
        credentials,
        expires_at: reply.expired_time,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_address_the_role_path() {
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        let list = role_list_request(&e);
        assert_eq!(
            list.url,
            "http://127.0.0.1:8080/latest/meta-data/cam/security-credentials/"
        );
        assert_eq!(list.method, HttpMethod::Get);
        let r = role_credentials_request(&default_endpoint(), "CVM_QcsRole").unwrap();
        assert_eq!(
            r.url,
            "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/CVM_QcsRole"
        );
        for bad in ["", "../x", "a/b", "a b", "a?b"] {
            assert_eq!(
                role_credentials_request(&e, bad).unwrap_err(),
                MetadataError::BadRoleName
            );
        }
    }

    #[test]
    fn role_list_replies() {
        assert_eq!(
            parse_role_list(200, b"CVM_QcsRole\n").unwrap(),
            "CVM_QcsRole"
        );
        assert_eq!(
            parse_role_list(404, b"").unwrap_err(),
            MetadataError::NoRole
        );
        assert_eq!(
            parse_role_list(200, b"  \n").unwrap_err(),
            MetadataError::NoRole
        );
        assert_eq!(
            parse_role_list(500, b"x").unwrap_err(),
            MetadataError::Status(500)
        );
        assert_eq!(
            parse_role_list(200, b"a/../b").unwrap_err(),
            MetadataError::BadRoleName
        );
        assert!(parse_role_list(200, &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn credentials_replies() {
        let ok = br#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"tmpkey","ExpiredTime":1700007200,"Expiration":"2023-11-15T00:13:20Z","Token":"tmptoken","Code":"Success"}"#;
        let t = parse_role_credentials(200, ok).unwrap();
        assert_eq!(t.credentials.secret_id(), "AKIDtmp");
        assert_eq!(t.credentials.token(), Some("tmptoken"));
        assert_eq!(t.expires_at, 1_700_007_200);
        let failed = br#"{"TmpSecretId":"a","TmpSecretKey":"tmpkey","ExpiredTime":1,"Token":"t","Code":"Failed"}"#;
        assert_eq!(
            parse_role_credentials(200, failed).unwrap_err(),
            MetadataError::Code("Failed".into())
        );
        for body in [
            &b"{"[..],
            b"[]",
            b"{\"TmpSecretId\":\"x\",\"TmpSecretKey\":\"tmpkey\"}",
            b"null",
        ] {
            let err = parse_role_credentials(200, body).unwrap_err();
            assert!(!err.to_string().contains("tmpkey"));
        }
        let big = vec![b' '; REPLY_LIMIT + 1];
        assert!(matches!(
            parse_role_credentials(200, &big),
            Err(MetadataError::Reply(_))
        ));
    }
}
