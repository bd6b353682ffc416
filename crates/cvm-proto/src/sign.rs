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

/// How a request is signed: signature v1 with HMAC-SHA1 or HMAC-SHA256, or TC3-HMAC-SHA256 (API 3.0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureMethod {
    /// Signature v1 with HMAC-SHA1, what the service uses when `SignatureMethod` is absent or anything but `HmacSHA256`.
    HmacSha1,
    /// Signature v1 with HMAC-SHA256, selected by the exact parameter value `HmacSHA256`.
    #[default]
    HmacSha256,
    /// TC3-HMAC-SHA256: `X-TC-*` headers, a JSON body for POST, a key derived per day (see [`crate::tc3`]).
    Tc3HmacSha256,
}

impl SignatureMethod {
    /// The algorithm the service applies for a given `SignatureMethod` parameter value (or its absence).
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some("HmacSHA256") => SignatureMethod::HmacSha256,
            _ => SignatureMethod::HmacSha1,
        }
    }

    /// The name of this method: `HmacSHA1`, `HmacSHA256` (the v1 parameter values) or `TC3-HMAC-SHA256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMethod::HmacSha1 => "HmacSHA1",
            SignatureMethod::HmacSha256 => "HmacSHA256",
            SignatureMethod::Tc3HmacSha256 => crate::tc3::ALGORITHM,
        }
    }

    /// Whether this is TC3-HMAC-SHA256 rather than signature v1.
    pub fn is_tc3(self) -> bool {
        self == SignatureMethod::Tc3HmacSha256
    }
}

impl fmt::Display for SignatureMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not `HmacSHA1`, `HmacSHA256` or `TC3-HMAC-SHA256`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown signature method {0:?}; expected HmacSHA1, HmacSHA256 or TC3-HMAC-SHA256")]
pub struct UnknownSignatureMethod(pub String);

impl FromStr for SignatureMethod {
    type Err = UnknownSignatureMethod;

    /// Parses a user's choice strictly (case-insensitive), unlike [`SignatureMethod::from_param`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("HmacSHA1") {
            Ok(SignatureMethod::HmacSha1)
        } else if s.eq_ignore_ascii_case("HmacSHA256") {
            Ok(SignatureMethod::HmacSha256)
        } else if s.eq_ignore_ascii_case(crate::tc3::ALGORITHM) || s.eq_ignore_ascii_case("TC3") {
            Ok(SignatureMethod::Tc3HmacSha256)
        } else {
            Err(UnknownSignatureMethod(s.to_owned()))
        }
    }
}

/// Why a parameter set cannot be signed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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
    let mut out = String::new();
    write_string_to_sign(&mut out, method, host, path, params)?;
    Ok(out)
}

/// Writes the [`string_to_sign`] to the end of `out`, which it grows once at most: a caller that
/// signs many requests can reuse one buffer.
pub fn write_string_to_sign(
    out: &mut String,
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
) -> Result<(), SignError> {
    // A set built in key order holds its pairs as they are signed: copied in one piece.
    let Some(pairs) = params.signed_pairs() else {
        return build(out, method, host, path, params, |_, v| v);
    };
    check_host(host)?;
    check_path(path)?;
    write_head(out, method, host, path, pairs.len());
    out.push_str(pairs);
    Ok(())
}

/// Writes `METHOD + host + path + "?"` (both already checked), with room for `pairs_len` more
/// bytes.
fn write_head(out: &mut String, method: HttpMethod, host: &str, path: &str, pairs_len: usize) {
    out.reserve(method.as_str().len() + host.len() + path.len() + 1 + pairs_len);
    out.push_str(method.as_str());
    out.push_str(host);
    out.push_str(path);
    out.push('?');
}

/// The same string with the values of `SecretId`, `Token` and passwords replaced by a marker, for showing to people.
pub fn redacted_string_to_sign(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
) -> Result<String, SignError> {
    let mut out = String::new();
    build(&mut out, method, host, path, params, |k, v| {
        if k == "SecretId" || is_sensitive(k) {
            REDACTED
        } else {
            v
        }
    })?;
    Ok(out)
}

fn build<'a>(
    out: &mut String,
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &'a Params,
    shown: impl Fn(&str, &'a str) -> &'a str,
) -> Result<(), SignError> {
    check_host(host)?;
    check_path(path)?;
    let signed = || params.iter().filter(|(k, _)| *k != SIGNATURE);
    // Keys with `_` are rewritten and may then sort differently: sort those sets apart.
    let rewritten = if params.has_underscore_key() {
        Some(signing_order(params)?)
    } else {
        None
    };
    // Room for everything (a rewritten key is as long as it was; `Signature` is left out).
    write_head(
        out,
        method,
        host,
        path,
        params.text_len() + 2 * params.len(),
    );
    match &rewritten {
        // Parameters are kept in byte order of their keys, which is the signing order.
        None => write_pairs(out, signed().map(|(k, v)| (k, shown(k, v)))),
        Some(entries) => write_pairs(
            out,
            entries
                .iter()
                .map(|e| (e.signed.as_ref(), shown(&e.signed, e.value))),
        ),
    }
    Ok(())
}

/// Appends `k=v` pairs joined by `&`.
fn write_pairs<'a>(out: &mut String, pairs: impl Iterator<Item = (&'a str, &'a str)>) {
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// One parameter in the string to sign: its key as sent, its key as signed (`_` read as `.`), its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedParam<'a> {
    /// The key as it is sent on the wire.
    pub sent: &'a str,
    /// The key as it appears in the string to sign.
    pub signed: Cow<'a, str>,
    /// The raw value.
    pub value: &'a str,
}

/// The parameters in the order of the string to sign: `Signature` dropped, keys with `_` signed
/// as `.` and sorted by their signed form; two keys that sign alike are an error.
pub fn signing_order(params: &Params) -> Result<Vec<SignedParam<'_>>, SignError> {
    let mut entries: Vec<SignedParam<'_>> = params
        .iter()
        .filter(|(k, _)| *k != SIGNATURE)
        .map(|(k, v)| SignedParam {
            sent: k,
            signed: if k.contains('_') {
                Cow::Owned(k.replace('_', "."))
            } else {
                Cow::Borrowed(k)
            },
            value: v,
        })
        .collect();
    if entries.iter().any(|e| matches!(e.signed, Cow::Owned(_))) {
        entries.sort_by(|a, b| a.signed.as_bytes().cmp(b.signed.as_bytes()));
        if let Some(w) = entries.windows(2).find(|w| w[0].signed == w[1].signed) {
            return Err(SignError::Collision {
                first: w[0].sent.to_owned(),
                second: w[1].sent.to_owned(),
                signed: w[0].signed.to_string(),
            });
        }
    }
    Ok(entries)
}

pub(crate) fn check_host(host: &str) -> Result<(), SignError> {
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

pub(crate) fn check_path(path: &str) -> Result<(), SignError> {
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
    let (tag, len) = mac(method, key, message);
    tag.get(..len).unwrap_or_default().to_vec()
}

/// The HMAC of `message` under `key`: the tag in the first 20 (SHA-1) or 32 (SHA-256) bytes, and
/// that length.
fn mac(method: SignatureMethod, key: &[u8], message: &[u8]) -> ([u8; 32], usize) {
    fn run<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> ([u8; 32], usize) {
        let mut out = [0u8; 32];
        // `new_from_slice` cannot fail for HMAC: any key length is valid.
        let Ok(mut m) = <M as Mac>::new_from_slice(key) else {
            unreachable!("HMAC takes keys of any length")
        };
        m.update(message);
        let tag = m.finalize().into_bytes();
        let len = tag.len().min(out.len());
        out.iter_mut().zip(tag.iter()).for_each(|(o, t)| *o = *t);
        (out, len)
    }
    match method {
        SignatureMethod::HmacSha1 => run::<Hmac<sha1::Sha1>>(key, message),
        // TC3 derives its key first (see `tc3::SigningKey`); its final step is HMAC-SHA256 too.
        SignatureMethod::HmacSha256 | SignatureMethod::Tc3HmacSha256 => {
            run::<Hmac<sha2::Sha256>>(key, message)
        }
    }
}

/// The HMAC-SHA1 and HMAC-SHA256 states of one secret key after its inner and outer padded key
/// blocks, so that each signature hashes only its message. They are key material: dropping them
/// overwrites them with the states of an empty key.
#[derive(Clone)]
pub(crate) struct KeyedMacs {
    sha1: Hmac<sha1::Sha1>,
    sha256: Hmac<sha2::Sha256>,
}

impl KeyedMacs {
    /// The states for `key`.
    pub(crate) fn new(key: &[u8]) -> Self {
        Self {
            sha1: keyed(key),
            sha256: keyed(key),
        }
    }

    /// The base64 signature of `message` with `method` (TC3 signs with a derived key, never this one).
    pub(crate) fn signature_text(&self, method: SignatureMethod, message: &[u8]) -> SignatureText {
        self.signature_text_of_parts(method, &[message])
    }

    /// The base64 signature of the message that `parts` make one after another, fed to the HMAC
    /// as they are, so that the message need not be copied into one buffer first.
    pub(crate) fn signature_text_of_parts(
        &self,
        method: SignatureMethod,
        parts: &[&[u8]],
    ) -> SignatureText {
        fn run<M: Mac + Clone>(state: &M, parts: &[&[u8]]) -> ([u8; 32], usize) {
            let mut m = state.clone();
            parts.iter().for_each(|part| m.update(part));
            let tag = m.finalize().into_bytes();
            let mut out = [0u8; 32];
            let len = tag.len().min(out.len());
            out.iter_mut().zip(tag.iter()).for_each(|(o, t)| *o = *t);
            (out, len)
        }
        let (tag, len) = match method {
            SignatureMethod::HmacSha1 => run(&self.sha1, parts),
            SignatureMethod::HmacSha256 | SignatureMethod::Tc3HmacSha256 => {
                run(&self.sha256, parts)
            }
        };
        SignatureText::of_tag(tag.get(..len).unwrap_or_default())
    }
}

fn keyed<M: Mac + hmac::digest::KeyInit>(key: &[u8]) -> M {
    match <M as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

impl Drop for KeyedMacs {
    fn drop(&mut self) {
        // Overwrite the key-derived states in place; `black_box` keeps the stores from being
        // elided as dead (the `hmac` crate offers no zeroizing of its own).
        self.sha1 = keyed(&[]);
        self.sha256 = keyed(&[]);
        std::hint::black_box(&mut *self);
    }
}

/// A signature as text (standard base64 of the HMAC, with padding), held without allocating.
#[derive(Clone, Copy)]
pub struct SignatureText {
    bytes: [u8; 44],
    len: usize,
}

impl SignatureText {
    /// The signature of `string_to_sign` under `key`.
    pub fn new(method: SignatureMethod, key: &[u8], string_to_sign: &str) -> Self {
        let (tag, len) = mac(method, key, string_to_sign.as_bytes());
        Self::of_tag(tag.get(..len).unwrap_or_default())
    }

    /// The base64 form of a tag of at most 32 bytes.
    fn of_tag(tag: &[u8]) -> Self {
        let mut bytes = [0u8; 44];
        // 32 bytes of tag make exactly 44 characters of base64, so the buffer always fits.
        let len = STANDARD.encode_slice(tag, &mut bytes).unwrap_or_default();
        Self { bytes, len }
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        // Base64 is ASCII.
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

impl fmt::Debug for SignatureText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SignatureText")
            .field(&self.as_str())
            .finish()
    }
}

/// The signature of `string_to_sign`: standard base64 (with padding) of its HMAC under `key`.
pub fn signature(method: SignatureMethod, key: &[u8], string_to_sign: &str) -> String {
    SignatureText::new(method, key, string_to_sign)
        .as_str()
        .to_owned()
}

/// Whether `claimed` is the signature of `string_to_sign` under `key`, compared in constant time.
pub fn verify(method: SignatureMethod, key: &[u8], string_to_sign: &str, claimed: &str) -> bool {
    let expected = SignatureText::new(method, key, string_to_sign);
    constant_time_eq(expected.as_str(), claimed)
}

/// Whether two signatures are equal, in time that depends only on their lengths.
pub(crate) fn constant_time_eq(expected: &str, claimed: &str) -> bool {
    expected.len() == claimed.len() && bool::from(expected.as_bytes().ct_eq(claimed.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys for the string-to-sign properties: mostly wire-like names, some with `_` (signed
    /// as `.`), and now and then `Signature` (left out of the string to sign).
    fn signing_key() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        proptest::prop_oneof![
            1 => proptest::strategy::Just(SIGNATURE.to_owned()),
            9 => "[A-Za-z][A-Za-z0-9._]{0,6}".prop_map(String::from),
        ]
    }

    proptest::proptest! {
        /// The string to sign copied in one piece from a set built in key order is the string
        /// written pair by pair, and the copy is taken exactly for a set of plain keys without
        /// `Signature` added in key order and not changed since; sets added out of order, or
        /// with a value replaced or removed, are written pair by pair.
        #[test]
        fn the_in_order_copy_is_the_pairs_written_out(
            pairs in proptest::collection::btree_map(
                signing_key(),
                "[ -~\u{e9}\u{4e2d}]{0,8}",
                0..12,
            ),
            shuffle in proptest::bool::ANY,
            change in 0..3u8,
        ) {
            let mut list: Vec<(String, String)> = pairs.into_iter().collect();
            let first = list.first().map(|(k, _)| k.clone());
            let plain = list.iter().all(|(k, _)| k != SIGNATURE && !k.contains('_'));
            if shuffle {
                list.reverse();
            }
            let in_order = !shuffle || list.len() < 2;
            let mut p = Params::from_pairs(list).unwrap();
            let changed = match (change, &first) {
                (1, Some(k)) => p.set(k.clone(), "new value").unwrap().is_some(),
                (2, Some(k)) => p.remove(k).is_some(),
                _ => false,
            };
            proptest::prop_assert_eq!(p.signed_pairs().is_some(), plain && in_order && !changed);
            for method in [HttpMethod::Get, HttpMethod::Post] {
                let mut slow = String::new();
                let want = build(&mut slow, method, "cvm.tencentcloudapi.com", "/", &p, |_, v| v)
                    .map(|()| slow);
                let got = string_to_sign(method, "cvm.tencentcloudapi.com", "/", &p);
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

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
    fn signing_order_keeps_the_key_as_sent() {
        let p = params(&[
            ("InstanceIds_0", "i"),
            ("Instance.X", "y"),
            ("Signature", "s"),
        ]);
        let order: Vec<(&str, String)> = signing_order(&p)
            .unwrap()
            .into_iter()
            .map(|e| (e.sent, e.signed.into_owned()))
            .collect();
        assert_eq!(
            order,
            [
                ("Instance.X", "Instance.X".to_owned()),
                ("InstanceIds_0", "InstanceIds.0".to_owned())
            ]
        );
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
