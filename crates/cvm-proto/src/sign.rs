//! The canonical string to sign, its HMAC-SHA1 / HMAC-SHA256 signature, and constant-time verification.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;
use thiserror::Error;

use crate::params::{is_sensitive, Params, REDACTED};
use crate::request::HttpMethod;

/// The parameter that carries the signature; it is never part of the string to sign.
pub const SIGNATURE: &str = "Signature";

/// The HMAC algorithm of a signature-v1 request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureMethod {
    /// HMAC-SHA1, what the service uses when `SignatureMethod` is absent or anything but `HmacSHA256`.
    HmacSha1,
    /// HMAC-SHA256, selected by the exact parameter value `HmacSHA256`.
    #[default]
    HmacSha256,
}

impl SignatureMethod {
    /// The algorithm the service applies for a given `SignatureMethod` parameter value (or its absence).
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some("HmacSHA256") => SignatureMethod::HmacSha256,
            _ => SignatureMethod::HmacSha1,
        }
    }

    /// The parameter value naming this algorithm: `HmacSHA1` or `HmacSHA256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
        }
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not `HmacSHA1` or `HmacSHA256`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown signature method {0:?}; expected HmacSHA1 or HmacSHA256")]
pub struct UnknownSignatureMethod(pub String);

impl FromStr for SignatureMethod {
    type Err = UnknownSignatureMethod;

    /// Parses a user's choice strictly (case-insensitive), unlike [`SignatureMethod::from_param`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("HmacSHA1") {
            Ok(SignatureMethod::HmacSha1)
        } else if s.eq_ignore_ascii_case("HmacSHA256") {
            Ok(SignatureMethod::HmacSha256)
        } else {
            Err(UnknownSignatureMethod(s.to_owned()))
        }
    }
}

/// Why a parameter set cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignError {
    /// Two keys become the same key once `_` is rewritten to `.`, so one of them would be lost.
    #[error("parameters {first:?} and {second:?} both sign as {signed:?}")]
    Collision {
        /// One key as given.
        first: String,
        /// The other key as given.
        second: String,
        /// The key both become in the string to sign.
        signed: String,
    },
    /// The host is empty or holds characters that cannot be in a `Host` header.
    #[error("invalid host {0:?} for the string to sign")]
    Host(String),
    /// The path does not start with `/` or holds `?`, `#`, whitespace or control characters.
    #[error("invalid path {0:?} for the string to sign")]
    Path(String),
}

/// Builds `METHOD + host + path + "?" + k=v&...` over raw values, keys rewritten `_` to `.` and
/// sorted by bytes, `Signature` left out.
pub fn string_to_sign(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
) -> Result<String, SignError> {
    build(method, host, path, params, |_, v| v)
}

/// The same string with the values of `SecretId`, `Token` and passwords replaced by a marker, for showing to people.
pub fn redacted_string_to_sign(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
) -> Result<String, SignError> {
    build(method, host, path, params, |k, v| {
        if k == "SecretId" || is_sensitive(k) {
            REDACTED
        } else {
            v
        }
    })
}

fn build<'a>(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &'a Params,
    shown: impl Fn(&str, &'a str) -> &'a str,
) -> Result<String, SignError> {
    check_host(host)?;
    check_path(path)?;
    let entries = signed_entries(params)?;
    let len = method.as_str().len()
        + host.len()
        + path.len()
        + 1
        + entries
            .iter()
            .map(|(k, v)| k.len() + shown(k, v).len() + 2)
            .sum::<usize>();
    let mut out = String::with_capacity(len);
    out.push_str(method.as_str());
    out.push_str(host);
    out.push_str(path);
    out.push('?');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(shown(k, v));
    }
    Ok(out)
}

/// The parameters as they are signed: `Signature` dropped, `_` rewritten to `.`, in byte order.
fn signed_entries(params: &Params) -> Result<Vec<(Cow<'_, str>, &str)>, SignError> {
    let mut entries: Vec<(Cow<'_, str>, &str)> = params
        .iter()
        .filter(|(k, _)| *k != SIGNATURE)
        .map(|(k, v)| {
            let key = if k.contains('_') {
                Cow::Owned(k.replace('_', "."))
            } else {
                Cow::Borrowed(k)
            };
            (key, v)
        })
        .collect();
    if entries.iter().any(|(k, _)| matches!(k, Cow::Owned(_))) {
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            let signed = w[0].0.to_string();
            let mut originals = params
                .iter()
                .map(|(k, _)| k)
                .filter(|k| k.replace('_', ".") == signed);
            let first = originals.next().unwrap_or_default().to_owned();
            let second = originals.next().unwrap_or_default().to_owned();
            return Err(SignError::Collision {
                first,
                second,
                signed,
            });
        }
    }
    Ok(entries)
}

fn check_host(host: &str) -> Result<(), SignError> {
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if ok {
        Ok(())
    } else {
        Err(SignError::Host(host.to_owned()))
    }
}

fn check_path(path: &str) -> Result<(), SignError> {
    let ok = path.starts_with('/')
        && !path
            .chars()
            .any(|c| matches!(c, '?' | '#') || c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(SignError::Path(path.to_owned()))
    }
}

/// The raw HMAC digest of `message` under `key`.
pub fn digest(method: SignatureMethod, key: &[u8], message: &[u8]) -> Vec<u8> {
    // `new_from_slice` cannot fail for HMAC: any key length is valid.
    match method {
        SignatureMethod::HmacSha1 => match Hmac::<sha1::Sha1>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(message);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => unreachable!("HMAC takes keys of any length"),
        },
        SignatureMethod::HmacSha256 => match Hmac::<sha2::Sha256>::new_from_slice(key) {
            Ok(mut m) => {
                m.update(message);
                m.finalize().into_bytes().to_vec()
            }
            Err(_) => unreachable!("HMAC takes keys of any length"),
        },
    }
}

/// The signature of `string_to_sign`: standard base64 (with padding) of its HMAC under `key`.
pub fn signature(method: SignatureMethod, key: &[u8], string_to_sign: &str) -> String {
    STANDARD.encode(digest(method, key, string_to_sign.as_bytes()))
}

/// Whether `claimed` is the signature of `string_to_sign` under `key`, compared in constant time.
pub fn verify(method: SignatureMethod, key: &[u8], string_to_sign: &str, claimed: &str) -> bool {
    let expected = signature(method, key, string_to_sign);
    expected.len() == claimed.len() && bool::from(expected.as_bytes().ct_eq(claimed.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().copied()).unwrap()
    }

    #[test]
    fn doc_vector_d1() {
        let p = params(&[
            ("Action", "DescribeInstances"),
            ("InstanceIds.0", "ins-09dx96dg"),
            ("Limit", "20"),
            ("Nonce", "11886"),
            ("Offset", "0"),
            ("Region", "ap-guangzhou"),
            ("SecretId", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"),
            ("Timestamp", "1465185768"),
            ("Version", "2017-03-12"),
        ]);
        let sts = string_to_sign(HttpMethod::Get, "cvm.tencentcloudapi.com", "/", &p).unwrap();
        assert_eq!(sts, "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12");
        let method = SignatureMethod::from_param(p.get("SignatureMethod"));
        assert_eq!(method, SignatureMethod::HmacSha1);
        let sig = signature(method, b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", &sts);
        assert_eq!(sig, "EliP9YW3pW28FpsEdkXt/+WcGeI=");
        assert!(verify(
            method,
            b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            &sts,
            &sig
        ));
        assert!(!verify(
            method,
            b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLF",
            &sts,
            &sig
        ));
        assert!(!verify(
            method,
            b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            &sts,
            "short"
        ));
    }

    #[test]
    fn signature_method_follows_the_service() {
        assert_eq!(SignatureMethod::from_param(None), SignatureMethod::HmacSha1);
        assert_eq!(
            SignatureMethod::from_param(Some("HmacSHA256")),
            SignatureMethod::HmacSha256
        );
        assert_eq!(
            SignatureMethod::from_param(Some("hmacsha256")),
            SignatureMethod::HmacSha1
        );
        assert_eq!(
            SignatureMethod::from_param(Some("HmacSHA1")),
            SignatureMethod::HmacSha1
        );
        assert_eq!(
            "hmacsha256".parse::<SignatureMethod>().unwrap(),
            SignatureMethod::HmacSha256
        );
        assert!("SHA3".parse::<SignatureMethod>().is_err());
    }

    #[test]
    fn signature_is_excluded_and_underscores_sign_as_dots() {
        let p = params(&[
            ("InstanceIds_0", "i"),
            ("Signature", "x"),
            ("Action", "A"),
            ("Instance.X", "y"),
        ]);
        let sts = string_to_sign(HttpMethod::Post, "h", "/", &p).unwrap();
        // `InstanceIds.0` sorts after `Instance.X` once rewritten, although `InstanceIds_0` sorts first as given.
        assert_eq!(sts, "POSTh/?Action=A&Instance.X=y&InstanceIds.0=i");
    }

    #[test]
    fn rewrite_collision_is_an_error() {
        let p = params(&[("A_B", "1"), ("A.B", "2")]);
        let err = string_to_sign(HttpMethod::Get, "h", "/", &p).unwrap_err();
        assert!(
            matches!(err, SignError::Collision { ref signed, .. } if signed == "A.B"),
            "{err}"
        );
    }

    #[test]
    fn empty_values_are_kept() {
        let p = params(&[("A", ""), ("B", "1")]);
        assert_eq!(
            string_to_sign(HttpMethod::Get, "h", "/", &p).unwrap(),
            "GETh/?A=&B=1"
        );
    }

    #[test]
    fn bad_host_and_path_are_errors() {
        let p = Params::new();
        assert!(matches!(
            string_to_sign(HttpMethod::Get, "", "/", &p),
            Err(SignError::Host(_))
        ));
        assert!(matches!(
            string_to_sign(HttpMethod::Get, "a b", "/", &p),
            Err(SignError::Host(_))
        ));
        assert!(matches!(
            string_to_sign(HttpMethod::Get, "h", "x", &p),
            Err(SignError::Path(_))
        ));
        assert!(matches!(
            string_to_sign(HttpMethod::Get, "h", "/a?b", &p),
            Err(SignError::Path(_))
        ));
        assert_eq!(
            string_to_sign(HttpMethod::Get, "127.0.0.1:8080", "/v2/index.php", &p).unwrap(),
            "GET127.0.0.1:8080/v2/index.php?"
        );
    }

    #[test]
    fn redaction_hides_secret_values() {
        let p = params(&[
            ("SecretId", "AKID"),
            ("Token", "tok"),
            ("LoginSettings.Password", "pw"),
            ("Zone", "z"),
        ]);
        let s = redacted_string_to_sign(HttpMethod::Get, "h", "/", &p).unwrap();
        assert_eq!(
            s,
            "GETh/?LoginSettings.Password=<redacted>&SecretId=<redacted>&Token=<redacted>&Zone=z"
        );
    }
}
