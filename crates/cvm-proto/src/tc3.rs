//! TC3-HMAC-SHA256, the signature of API 3.0: canonical request, string to sign, derived key,
//! `Authorization` header, and its strict parsing and constant-time verification.
//!
//! Pure like the rest of the crate: the timestamp and every header value are arguments. The
//! signing key depends only on the secret key, the UTC date and the service, so a caller that
//! signs many requests keeps one [`SigningKey`] per day ([`SigningKey::derive`]).

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use thiserror::Error;
use zeroize::Zeroize;

/// The algorithm's name, first in the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "TC3-HMAC-SHA256";
/// The last segment of a credential scope.
pub const REQUEST_SCOPE: &str = "tc3_request";
/// The `Content-Type` of a JSON POST, as the official SDKs send it.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// The value of `X-TC-Content-SHA256` that leaves the body out of the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The headers a request signs unless told otherwise (the official Python SDK's choice).
pub const DEFAULT_SIGNED_HEADERS: &str = "content-type;host";

type HmacSha256 = Hmac<Sha256>;

/// Why an `Authorization` header or a TC3 request cannot be verified.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum Tc3Error {
    /// The header does not start with `TC3-HMAC-SHA256 `.
    #[error("the Authorization header does not use {ALGORITHM}")]
    Algorithm,
    /// A part (`Credential`, `SignedHeaders`, `Signature`) is missing, repeated or malformed.
    #[error("malformed Authorization header: {0}")]
    Malformed(&'static str),
    /// The signed headers do not include `content-type` and `host`, or are not sorted lower-case names.
    #[error("SignedHeaders must be sorted lower-case names including content-type and host")]
    SignedHeaders,
    /// A signed header was not sent.
    #[error("signed header {0:?} is missing from the request")]
    MissingHeader(String),
    /// The credential scope's date is not the UTC date of the timestamp.
    #[error("the credential scope's date is not the date of the timestamp")]
    Date,
    /// The credential scope names another service.
    #[error("the credential scope names service {0:?}")]
    Service(String),
}

/// The `YYYY-MM-DD` UTC date of Unix time `timestamp`.
pub fn date_of(timestamp: u64) -> String {
    let days = i64::try_from(timestamp / 86_400).unwrap_or(i64::MAX);
    let (y, m, d) = crate::time::civil_from_days(days);
    match (
        u8::try_from(y / 100),
        u8::try_from(y % 100),
        u8::try_from(m),
        u8::try_from(d),
    ) {
        // Years 0 to 9999 (all real ones) without the formatting machinery: this runs per request.
        (Ok(century @ 0..=99), Ok(year), Ok(month), Ok(day)) => {
            let mut out = String::with_capacity(10);
            for (i, two) in [century, year, month, day].into_iter().enumerate() {
                if i > 1 {
                    out.push('-');
                }
                out.push(char::from(b'0' + two / 10));
                out.push(char::from(b'0' + two % 10));
            }
            out
        }
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Lower-case hex of SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends the lower-case hex of `bytes`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        unreachable!("HMAC takes keys of any length")
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// The key a day's requests to one service are signed with: `HMAC(HMAC(HMAC("TC3" + key, date),
/// service), "tc3_request")`. Zeroized when dropped; `Debug` shows only its scope.
#[derive(Clone)]
pub struct SigningKey {
    key: [u8; 32],
    date: String,
    service: String,
}

impl SigningKey {
    /// Derives the key of `secret_key` for `date` (`YYYY-MM-DD`) and `service` (e.g. `cvm`).
    pub fn derive(secret_key: &[u8], date: &str, service: &str) -> Self {
        let mut prefixed = Vec::with_capacity(3 + secret_key.len());
        prefixed.extend_from_slice(b"TC3");
        prefixed.extend_from_slice(secret_key);
        let mut k_date = hmac(&prefixed, date.as_bytes());
        prefixed.zeroize();
        let mut k_service = hmac(&k_date, service.as_bytes());
        k_date.zeroize();
        let key = hmac(&k_service, REQUEST_SCOPE.as_bytes());
        k_service.zeroize();
        Self {
            key,
            date: date.to_owned(),
            service: service.to_owned(),
        }
    }

    /// The date this key signs for.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// The service this key signs for.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Lower-case hex of the HMAC of `string_to_sign` under this key: the request's signature.
    pub fn sign(&self, string_to_sign: &str) -> String {
        hex(&hmac(&self.key, string_to_sign.as_bytes()))
    }

    /// Whether `claimed` is this key's signature of `string_to_sign`, compared in constant time.
    pub fn verify(&self, string_to_sign: &str, claimed: &str) -> bool {
        let expected = self.sign(string_to_sign);
        expected.len() == claimed.len() && bool::from(expected.as_bytes().ct_eq(claimed.as_bytes()))
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("date", &self.date)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

/// The canonical request: `METHOD\nPATH\nQUERY\nCANONICAL_HEADERS\nSIGNED_HEADERS\nPAYLOAD_HASH`.
///
/// `headers` are the signed headers as (lower-case name, value) in the order of
/// `signed_headers`; values are trimmed. `query` is the query string exactly as sent (empty for POST).
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(&str, &str)],
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let mut out = String::with_capacity(
        64 + query.len()
            + headers
                .iter()
                .map(|(n, v)| n.len() + v.len() + 2)
                .sum::<usize>(),
    );
    out.push_str(method);
    out.push('\n');
    out.push_str(path);
    out.push('\n');
    out.push_str(query);
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name);
        out.push(':');
        out.push_str(value.trim());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(signed_headers);
    out.push('\n');
    out.push_str(payload_hash);
    out
}

/// `TC3-HMAC-SHA256\nTIMESTAMP\nDATE/SERVICE/tc3_request\nhex(sha256(canonical request))`.
pub fn string_to_sign(
    timestamp: u64,
    date: &str,
    service: &str,
    canonical_request: &str,
) -> String {
    let hash = Sha256::digest(canonical_request.as_bytes());
    let mut out = String::with_capacity(
        ALGORITHM.len() + 20 + date.len() + service.len() + REQUEST_SCOPE.len() + 5 + 64,
    );
    out.push_str(ALGORITHM);
    out.push('\n');
    out.push_str(crate::flatten::decimal(timestamp, &mut itoa::Buffer::new()));
    out.push('\n');
    push_scope(&mut out, date, service);
    out.push('\n');
    push_hex(&mut out, &hash);
    out
}

/// Appends `DATE/SERVICE/tc3_request`.
fn push_scope(out: &mut String, date: &str, service: &str) {
    out.push_str(date);
    out.push('/');
    out.push_str(service);
    out.push('/');
    out.push_str(REQUEST_SCOPE);
}

/// The `Authorization` header's value.
pub fn authorization(
    secret_id: &str,
    date: &str,
    service: &str,
    signed_headers: &str,
    signature: &str,
) -> String {
    const CREDENTIAL: &str = " Credential=";
    const SIGNED_HEADERS: &str = ", SignedHeaders=";
    const SIGNATURE: &str = ", Signature=";
    let mut out = String::with_capacity(
        ALGORITHM.len()
            + CREDENTIAL.len()
            + secret_id.len()
            + date.len()
            + service.len()
            + REQUEST_SCOPE.len()
            + 3
            + SIGNED_HEADERS.len()
            + signed_headers.len()
            + SIGNATURE.len()
            + signature.len(),
    );
    out.push_str(ALGORITHM);
    out.push_str(CREDENTIAL);
    out.push_str(secret_id);
    out.push('/');
    push_scope(&mut out, date, service);
    out.push_str(SIGNED_HEADERS);
    out.push_str(signed_headers);
    out.push_str(SIGNATURE);
    out.push_str(signature);
    out
}

/// The parts of a parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization<'a> {
    /// The secret id of the credential scope.
    pub secret_id: &'a str,
    /// The date of the credential scope, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The service of the credential scope.
    pub service: &'a str,
    /// The signed header names, as sent (`content-type;host`).
    pub signed_headers: &'a str,
    /// The hex signature.
    pub signature: &'a str,
}

impl<'a> Authorization<'a> {
    /// Parses `TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=..., Signature=...`
    /// strictly: each part once, a well-formed scope and date, signed headers that are sorted,
    /// unique lower-case names including `content-type` and `host`, and 64 hex digits.
    pub fn parse(header: &'a str) -> Result<Self, Tc3Error> {
        let rest = header
            .strip_prefix(ALGORITHM)
            .and_then(|r| r.strip_prefix(' '))
            .ok_or(Tc3Error::Algorithm)?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let part = part.trim_start_matches(' ');
            let (key, value) = part
                .split_once('=')
                .ok_or(Tc3Error::Malformed("a part is not key=value"))?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed,
                "Signature" => &mut signature,
                _ => return Err(Tc3Error::Malformed("unknown part")),
            };
            if slot.replace(value).is_some() {
                return Err(Tc3Error::Malformed("a part is repeated"));
            }
        }
        let credential = credential.ok_or(Tc3Error::Malformed("no Credential"))?;
        let signed_headers = signed.ok_or(Tc3Error::Malformed("no SignedHeaders"))?;
        let signature = signature.ok_or(Tc3Error::Malformed("no Signature"))?;
        let mut scope = credential.split('/');
        let (Some(secret_id), Some(date), Some(service), Some(REQUEST_SCOPE), None) = (
            scope.next(),
            scope.next(),
            scope.next(),
            scope.next(),
            scope.next(),
        ) else {
            return Err(Tc3Error::Malformed(
                "Credential is not ID/DATE/SERVICE/tc3_request",
            ));
        };
        if secret_id.is_empty() || service.is_empty() {
            return Err(Tc3Error::Malformed("Credential has an empty part"));
        }
        if !is_date(date) {
            return Err(Tc3Error::Malformed("the credential date is not YYYY-MM-DD"));
        }
        check_signed_headers(signed_headers)?;
        if signature.len() != 64
            || !signature
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(Tc3Error::Malformed(
                "Signature is not 64 lower-case hex digits",
            ));
        }
        Ok(Self {
            secret_id,
            date,
            service,
            signed_headers,
            signature,
        })
    }

    /// The signed header names, in order.
    pub fn header_names(&self) -> impl Iterator<Item = &'a str> {
        self.signed_headers.split(';')
    }
}

/// The canonical request a received request was signed over, rebuilt from what arrived: the
/// signed headers named by `auth` (looked up with `header`, case-insensitively), the query as
/// received, and the body's hash (or that of `UNSIGNED-PAYLOAD` when `X-TC-Content-SHA256` says so).
pub fn canonical_request_of<'h>(
    auth: &Authorization<'_>,
    method: &str,
    path: &str,
    query: &str,
    header: &dyn Fn(&str) -> Option<&'h str>,
    body: &[u8],
) -> Result<String, Tc3Error> {
    let mut headers = Vec::new();
    for name in auth.header_names() {
        let value = header(name).ok_or_else(|| Tc3Error::MissingHeader(name.to_owned()))?;
        headers.push((name, value));
    }
    let payload_hash = if header("x-tc-content-sha256") == Some(UNSIGNED_PAYLOAD) {
        sha256_hex(UNSIGNED_PAYLOAD.as_bytes())
    } else {
        sha256_hex(body)
    };
    Ok(canonical_request(
        method,
        path,
        query,
        &headers,
        auth.signed_headers,
        &payload_hash,
    ))
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn check_signed_headers(list: &str) -> Result<(), Tc3Error> {
    let names: Vec<&str> = list.split(';').collect();
    let well_formed = names.iter().all(|n| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let sorted_unique = names.windows(2).all(|w| w[0] < w[1]);
    if well_formed && sorted_unique && names.contains(&"content-type") && names.contains(&"host") {
        Ok(())
    } else {
        Err(Tc3Error::SignedHeaders)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc() {
        assert_eq!(date_of(1551113065), "2019-02-25");
        assert_eq!(date_of(1735689599), "2024-12-31");
        assert_eq!(date_of(1735689600), "2025-01-01");
        assert_eq!(date_of(0), "1970-01-01");
        // The fast path agrees with the formatter everywhere, up to years past 9999.
        let reference = |t: u64| {
            let days = i64::try_from(t / 86_400).unwrap_or(i64::MAX);
            let (y, m, d) = crate::time::civil_from_days(days);
            format!("{y:04}-{m:02}-{d:02}")
        };
        let mut t = 0u64;
        while t < 400 * 366 * 86_400 {
            assert_eq!(date_of(t), reference(t), "{t}");
            t += 86_400 * 29 + 3_599;
        }
        for t in [253_402_300_799, 253_402_300_800, 1 << 40, 1 << 50] {
            assert_eq!(date_of(t), reference(t), "{t}");
        }
        assert_eq!(date_of(253_402_300_800), "10000-01-01");
    }

    #[test]
    fn the_documented_example() {
        // The official signature v3 documentation's worked example.
        let body = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let canonical = canonical_request(
            "POST",
            "/",
            "",
            &[
                ("content-type", "application/json; charset=utf-8"),
                ("host", "cvm.tencentcloudapi.com"),
            ],
            DEFAULT_SIGNED_HEADERS,
            &sha256_hex(body.as_bytes()),
        );
        let sts = string_to_sign(1551113065, "2019-02-25", "cvm", &canonical);
        let key = SigningKey::derive(b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "2019-02-25", "cvm");
        let sig = key.sign(&sts);
        assert_eq!(
            sig,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert!(key.verify(&sts, &sig));
        assert!(!key.verify(&sts, &sig.replace('7', "8")));
        assert!(!format!("{key:?}").contains("Gu5t"));
        let header = authorization(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "2019-02-25",
            "cvm",
            DEFAULT_SIGNED_HEADERS,
            &sig,
        );
        let parsed = Authorization::parse(&header).unwrap();
        assert_eq!(parsed.secret_id, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE");
        assert_eq!(parsed.date, "2019-02-25");
        assert_eq!(parsed.service, "cvm");
        assert_eq!(
            parsed.header_names().collect::<Vec<_>>(),
            ["content-type", "host"]
        );
        assert_eq!(parsed.signature, sig);
    }

    #[test]
    fn malformed_headers_are_refused() {
        let sig = "a".repeat(64);
        let good = format!("TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature={sig}");
        assert!(Authorization::parse(&good).is_ok());
        let x_tc = good.replace("content-type;host", "content-type;host;x-tc-action");
        assert!(Authorization::parse(&x_tc).is_ok());
        for bad in [
            good.replace("TC3-HMAC-SHA256", "TC3-HMAC-SHA1"),
            good.replace("tc3_request", "tc2_request"),
            good.replace("2019-02-25", "2019-2-25"),
            good.replace("content-type;host", "host;content-type"),
            good.replace("content-type;host", "host"),
            good.replace("content-type;host", "Content-Type;host"),
            good.replace("content-type;host", "content-type;content-type;host"),
            good.replace(&sig, &"A".repeat(64)),
            good.replace(&sig, "abc"),
            good.replace("Credential=AKID/", "Credential=/"),
            format!("{good}, Signature={sig}"),
            good.replace(", SignedHeaders=content-type;host", ""),
            String::new(),
            "TC3-HMAC-SHA256".into(),
        ] {
            assert!(Authorization::parse(&bad).is_err(), "{bad}");
        }
    }
}
