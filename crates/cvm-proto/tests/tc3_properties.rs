//! Property tests of TC3-HMAC-SHA256 over whole prepared requests, verified the way the service
//! verifies what it receives: parse `Authorization`, check the scope's date against
//! `X-TC-Timestamp`, rebuild the canonical request from the path, query, headers and body as sent,
//! and compare the signature under the key derived for the scope.
//!
//! - a request `prepare` signs verifies with the same secret key;
//! - one changed byte of the POST body, of the GET query, or of a signed header's value
//!   (`Host`, `Content-Type`) makes it fail;
//! - another secret key fails, and so does a scope whose date is not the timestamp's (even when
//!   the signature is made consistently for that other date);
//! - `Authorization::parse` never panics, and parses every header `tc3::authorization` writes
//!   from valid parts back to those parts.
#![allow(clippy::unwrap_used)]

use cvm_proto::sign::SignatureMethod;
use cvm_proto::tc3::{self, Authorization, SigningKey, Tc3Error};
use cvm_proto::{prepare, Context, Credentials, Endpoint, HttpMethod, HttpRequest, COMMON_PARAMS};
use proptest::prelude::*;
use serde_json::{Map, Value};

const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";

/// The last second of 9999-12-31: every timestamp up to it has a four-digit year.
const MAX_TIMESTAMP: u64 = 253_402_300_799;

/// Why a received request does not verify.
#[derive(Debug, PartialEq)]
enum Rejected {
    /// The request lacks a header the verifier needs.
    NoHeader(&'static str),
    /// `X-TC-Timestamp` is not a number.
    Timestamp,
    /// `Authorization::parse`, the date check or `canonical_request_of` refused it.
    Tc3(Tc3Error),
    /// Everything was well-formed but the signature is not the key's.
    Signature,
}

/// The path and query of `url` exactly as sent (the query empty when there is none).
fn path_and_query(url: &str) -> (&str, &str) {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path_and_query = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
    path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""))
}

/// Header `name` of `headers`, case-insensitively, as an HTTP server would look it up.
fn lookup<'h>(headers: &'h [(&'static str, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Verifies `request` as the service would, with the secret key `secret_key`.
fn verify(request: &HttpRequest, secret_key: &str) -> Result<(), Rejected> {
    let header = |name: &str| lookup(&request.headers, name);
    let auth_text = header("Authorization").ok_or(Rejected::NoHeader("Authorization"))?;
    let auth = Authorization::parse(auth_text).map_err(Rejected::Tc3)?;
    let timestamp: u64 = header("X-TC-Timestamp")
        .ok_or(Rejected::NoHeader("X-TC-Timestamp"))?
        .parse()
        .map_err(|_| Rejected::Timestamp)?;
    if auth.date != tc3::date_of(timestamp) {
        return Err(Rejected::Tc3(Tc3Error::Date));
    }
    signature_matches(request, &auth, timestamp, secret_key)
}

/// The signature check alone, without the date check: whether `auth`'s signature is that of the
/// request under the key `secret_key` derives for `auth`'s scope.
fn signature_matches(
    request: &HttpRequest,
    auth: &Authorization<'_>,
    timestamp: u64,
    secret_key: &str,
) -> Result<(), Rejected> {
    let header = |name: &str| lookup(&request.headers, name);
    let (path, query) = path_and_query(&request.url);
    let canonical = tc3::canonical_request_of(
        auth,
        request.method.as_str(),
        path,
        query,
        &header,
        &request.body,
    )
    .map_err(Rejected::Tc3)?;
    let sts = tc3::string_to_sign(timestamp, auth.date, auth.service, &canonical);
    let key = SigningKey::derive(secret_key.as_bytes(), auth.date, auth.service);
    if key.verify(&sts, auth.signature) {
        Ok(())
    } else {
        Err(Rejected::Signature)
    }
}

/// Parameter names as actions use them, none of them a common parameter.
fn key() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z]{0,11}".prop_filter("a common parameter", |k| {
        !COMMON_PARAMS.contains(&k.as_str())
    })
}

/// String values with spaces and non-ASCII text (CJK, accents, emoji), any string, or integers.
fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-z0-9 ]{0,12}".prop_map(Value::from),
        "[ a-zé未命名😀-]{0,12}".prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u32>().prop_map(Value::from),
    ]
}

fn params() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(key(), value(), 1..6).prop_map(|m| m.into_iter().collect())
}

fn method() -> impl Strategy<Value = HttpMethod> {
    prop_oneof![Just(HttpMethod::Get), Just(HttpMethod::Post)]
}

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop_oneof![
        Just(Endpoint::global()),
        Just(Endpoint::regional("ap-guangzhou").unwrap()),
        Just(Endpoint::parse("http://127.0.0.1:9000/").unwrap()),
        Just(Endpoint::legacy()),
    ]
}

/// One signed request and what it was signed with.
#[derive(Debug)]
struct Case {
    request: HttpRequest,
    secret_key: String,
    timestamp: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        params(),
        method(),
        0..=MAX_TIMESTAMP,
        prop::option::of("[A-Za-z0-9+/=]{8,64}"),
        "[A-Za-z0-9]{8,40}",
        endpoint(),
    )
        .prop_map(|(params, method, timestamp, token, secret_key, endpoint)| {
            let mut creds = Credentials::new(SECRET_ID, secret_key.as_str()).unwrap();
            if let Some(token) = token {
                creds = creds.with_token(token).unwrap();
            }
            let ctx = Context::new(timestamp, 1)
                .region("ap-guangzhou")
                .method(method)
                .signature_method(SignatureMethod::Tc3HmacSha256);
            let prepared = prepare(
                "DescribeInstances",
                &Value::Object(params),
                &creds,
                &endpoint,
                &ctx,
            )
            .unwrap();
            Case {
                request: prepared.request,
                secret_key,
                timestamp,
            }
        })
}

/// The same request with byte `at` (modulo its length) of `bytes` XORed with `flip`.
fn flip_byte(bytes: &mut [u8], at: prop::sample::Index, flip: u8) {
    let at = at.index(bytes.len());
    bytes[at] ^= flip;
}

/// The same request with header `name`'s value changed by one byte (an ASCII one, so the value
/// stays text).
fn with_header_byte_changed(
    request: &HttpRequest,
    name: &str,
    at: prop::sample::Index,
    flip: u8,
) -> HttpRequest {
    let mut changed = request.clone();
    let (_, value) = changed
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .unwrap();
    let mut bytes = std::mem::take(value).into_bytes();
    flip_byte(&mut bytes, at, flip);
    *value = String::from_utf8(bytes).unwrap();
    changed
}

/// Some date `YYYY-MM-DD` other than `date`.
fn other_date(timestamp: u64, shift_days: u64) -> String {
    let shifted = if timestamp >= shift_days * 86_400 {
        timestamp - shift_days * 86_400
    } else {
        timestamp + shift_days * 86_400
    };
    tc3::date_of(shifted)
}

/// Some valid signed-header list: sorted, unique lower-case names with `content-type` and `host`.
fn signed_headers() -> impl Strategy<Value = String> {
    prop::collection::btree_set("[a-z0-9-]{1,16}", 0..4).prop_map(|mut names| {
        names.insert("content-type".to_owned());
        names.insert("host".to_owned());
        names.into_iter().collect::<Vec<_>>().join(";")
    })
}

/// Valid parts of an `Authorization` header: a secret id and a service of visible ASCII without
/// `/` or `,`, a date of the four-digit years, a valid signed-header list, 64 hex digits.
#[derive(Debug, Clone)]
struct Parts {
    secret_id: String,
    date: String,
    service: String,
    signed_headers: String,
    signature: String,
}

impl Parts {
    fn header(&self) -> String {
        tc3::authorization(
            &self.secret_id,
            &self.date,
            &self.service,
            &self.signed_headers,
            &self.signature,
        )
    }

    fn as_authorization(&self) -> Authorization<'_> {
        Authorization {
            secret_id: &self.secret_id,
            date: &self.date,
            service: &self.service,
            signed_headers: &self.signed_headers,
            signature: &self.signature,
        }
    }
}

fn valid_parts() -> impl Strategy<Value = Parts> {
    (
        "[!-~&&[^/,]]{1,40}",
        0..=MAX_TIMESTAMP,
        "[!-~&&[^/,]]{1,16}",
        signed_headers(),
        prop::array::uniform32(any::<u8>()),
    )
        .prop_map(
            |(secret_id, timestamp, service, signed_headers, signature)| Parts {
                secret_id,
                date: tc3::date_of(timestamp),
                service,
                signed_headers,
                signature: signature.iter().map(|b| format!("{b:02x}")).collect(),
            },
        )
}

/// What an edit puts in place of a few characters of a valid header: the header's own
/// separators and keys, or any character.
fn edit_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(",".to_owned()),
        Just(" ".to_owned()),
        Just("=".to_owned()),
        Just("/".to_owned()),
        Just(";".to_owned()),
        Just(", Signature=".to_owned()),
        Just(", Credential=".to_owned()),
        Just(", SignedHeaders=".to_owned()),
        Just("/tc3_request".to_owned()),
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_prepared_request_verifies_with_its_key(case in case()) {
        let request = &case.request;
        prop_assert_eq!(verify(request, &case.secret_key), Ok(()));
        // It is signed over what is sent: the query for GET, the body for POST.
        let (_, query) = path_and_query(&request.url);
        match request.method {
            HttpMethod::Get => {
                prop_assert!(!query.is_empty());
                prop_assert!(request.body.is_empty());
            }
            HttpMethod::Post => {
                prop_assert!(query.is_empty());
                prop_assert_eq!(lookup(&request.headers, "content-type"), Some(tc3::JSON_CONTENT_TYPE));
                let _: Value = serde_json::from_slice(&request.body).unwrap();
            }
        }
        // The header lookup is case-insensitive: the same request with lower-cased names verifies.
        let mut lowered = request.clone();
        for (name, _) in &mut lowered.headers {
            *name = match name.to_ascii_lowercase().as_str() {
                "host" => "host",
                "content-type" => "content-type",
                "authorization" => "authorization",
                "x-tc-timestamp" => "x-tc-timestamp",
                _ => *name,
            };
        }
        prop_assert_eq!(verify(&lowered, &case.secret_key), Ok(()));
    }

    #[test]
    fn one_changed_byte_of_what_is_signed_fails(
        case in case(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        ascii_flip in 1u8..=127,
        which in 0usize..2,
    ) {
        let request = &case.request;
        // The body (POST) or the query (GET).
        let mut changed = request.clone();
        match request.method {
            HttpMethod::Post => flip_byte(&mut changed.body, at, flip),
            HttpMethod::Get => {
                let query_start = changed.url.find('?').unwrap() + 1;
                let mut url = std::mem::take(&mut changed.url).into_bytes();
                flip_byte(&mut url[query_start..], at, ascii_flip);
                changed.url = String::from_utf8(url).unwrap();
            }
        }
        prop_assert_ne!(&changed, request);
        prop_assert_eq!(verify(&changed, &case.secret_key), Err(Rejected::Signature));

        // A signed header's value. The values sent are already trimmed, so one changed byte
        // (even to a space) changes the trimmed value the canonical request holds.
        let name = ["Host", "Content-Type"][which];
        let changed = with_header_byte_changed(request, name, at, ascii_flip);
        prop_assert_eq!(verify(&changed, &case.secret_key), Err(Rejected::Signature));
    }

    #[test]
    fn another_key_or_another_date_fails(
        case in case(),
        other_key in "[A-Za-z0-9]{8,40}",
        shift_days in 1u64..4000,
    ) {
        let request = &case.request;
        prop_assume!(other_key != case.secret_key);
        prop_assert_eq!(verify(request, &other_key), Err(Rejected::Signature));

        // A scope with another date: refused by the date check, and the signature is not that
        // date's either.
        let date = tc3::date_of(case.timestamp);
        let other = other_date(case.timestamp, shift_days);
        prop_assert_ne!(&other, &date);
        let auth_text = lookup(&request.headers, "Authorization").unwrap().to_owned();
        let redated_text = auth_text.replace(&format!("/{date}/"), &format!("/{other}/"));
        prop_assert_ne!(&redated_text, &auth_text);
        let mut redated = request.clone();
        for (name, value) in &mut redated.headers {
            if name.eq_ignore_ascii_case("Authorization") {
                value.clone_from(&redated_text);
            }
        }
        prop_assert_eq!(verify(&redated, &case.secret_key), Err(Rejected::Tc3(Tc3Error::Date)));
        let auth = Authorization::parse(&redated_text).unwrap();
        prop_assert_eq!(
            signature_matches(&redated, &auth, case.timestamp, &case.secret_key),
            Err(Rejected::Signature)
        );

        // Even signed consistently for the other date with the right key, the date check refuses
        // it: a key of one day cannot sign requests of another.
        let (path, query) = path_and_query(&request.url);
        let header = |name: &str| lookup(&redated.headers, name);
        let canonical = tc3::canonical_request_of(
            &auth, request.method.as_str(), path, query, &header, &request.body,
        ).unwrap();
        let sts = tc3::string_to_sign(case.timestamp, &other, auth.service, &canonical);
        let other_day_key = SigningKey::derive(case.secret_key.as_bytes(), &other, auth.service);
        let resigned_text = tc3::authorization(
            auth.secret_id, &other, auth.service, auth.signed_headers, &other_day_key.sign(&sts),
        );
        let mut resigned = request.clone();
        for (name, value) in &mut resigned.headers {
            if name.eq_ignore_ascii_case("Authorization") {
                value.clone_from(&resigned_text);
            }
        }
        let resigned_auth = Authorization::parse(&resigned_text).unwrap();
        prop_assert_eq!(
            signature_matches(&resigned, &resigned_auth, case.timestamp, &case.secret_key),
            Ok(())
        );
        prop_assert_eq!(verify(&resigned, &case.secret_key), Err(Rejected::Tc3(Tc3Error::Date)));
    }

    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = Authorization::parse(&text);
        let prefixed = format!("{} {text}", tc3::ALGORITHM);
        let _ = Authorization::parse(&prefixed);
    }

    #[test]
    fn parse_never_panics_on_near_misses(
        text in concat!(
            r"TC3-HMAC-SHA256 {0,2}((",
            r"Credential=(AKID|A/B|)(/(2019-02-25|2019-2-25|[0-9]{4}-[0-9]{2}-[0-9]{2}|))?(/(cvm|))?(/tc3_request|/tc3_request/)?",
            r"|SignedHeaders=(content-type;host|host;content-type|content-type;host;x-tc-action|content-type;;host|[a-z;-]{0,20})",
            r"|Signature=([0-9a-f]{64}|[0-9a-fA-F]{0,66})",
            r"|[A-Za-z]{0,12}=?[^,]{0,6}",
            r"), ?){0,4}",
        )
    ) {
        let text = text.trim_end_matches([',', ' ']);
        if let Ok(auth) = Authorization::parse(text) {
            // Whatever parses is well-formed.
            prop_assert_eq!(auth.signature.len(), 64);
            prop_assert_eq!(auth.date.len(), 10);
            prop_assert!(auth.header_names().any(|n| n == "host"));
        }
    }

    #[test]
    fn parse_takes_the_parts_in_any_order_and_spacing(
        parts in valid_parts(),
        order in Just([0usize, 1, 2]).prop_shuffle(),
        spaces in prop::array::uniform3(0usize..3),
    ) {
        let values = [
            format!("Credential={}/{}/{}/{}", parts.secret_id, parts.date, parts.service, tc3::REQUEST_SCOPE),
            format!("SignedHeaders={}", parts.signed_headers),
            format!("Signature={}", parts.signature),
        ];
        let mut header = format!("{} ", tc3::ALGORITHM);
        for (i, &part) in order.iter().enumerate() {
            if i > 0 {
                header.push(',');
            }
            header.push_str(&" ".repeat(spaces[i]));
            header.push_str(&values[part]);
        }
        prop_assert_eq!(Authorization::parse(&header), Ok(parts.as_authorization()), "{}", header);
    }

    #[test]
    fn parse_reads_back_what_authorization_writes(parts in valid_parts()) {
        let header = parts.header();
        let parsed = Authorization::parse(&header);
        prop_assert_eq!(parsed, Ok(parts.as_authorization()), "{}", header);
    }

    #[test]
    fn parse_never_panics_on_edited_headers(
        parts in valid_parts(),
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), 0usize..8, edit_text()),
            1..4,
        ),
    ) {
        let mut chars: Vec<char> = parts.header().chars().collect();
        for (at, len, text) in &edits {
            let start = at.index(chars.len() + 1);
            let end = (start + len).min(chars.len());
            chars.splice(start..end, text.chars());
        }
        let edited: String = chars.into_iter().collect();
        if let Ok(auth) = Authorization::parse(&edited) {
            // Whatever parses is well-formed, and writes back to a header with the same parts.
            prop_assert_eq!(auth.signature.len(), 64);
            prop_assert_eq!(auth.date.len(), 10);
            prop_assert!(auth.header_names().any(|n| n == "content-type"));
            let rewritten = tc3::authorization(
                auth.secret_id, auth.date, auth.service, auth.signed_headers, auth.signature,
            );
            prop_assert_eq!(Authorization::parse(&rewritten), Ok(auth), "{}", edited);
        }
    }
}

#[test]
fn the_url_splits_into_path_and_query_as_sent() {
    assert_eq!(
        path_and_query("https://cvm.tencentcloudapi.com/?A=1&B=%20"),
        ("/", "A=1&B=%20")
    );
    assert_eq!(
        path_and_query("https://cvm.tencentcloudapi.com/"),
        ("/", "")
    );
    assert_eq!(
        path_and_query("http://127.0.0.1:9000/v2/index.php?X=y"),
        ("/v2/index.php", "X=y")
    );
}
