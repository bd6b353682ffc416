//! TC3 `Authorization` headers as a server receives them (any text; invalid UTF-8 replaced):
//! parsing never panics; whatever parses is well-formed and writes back, with
//! `tc3::authorization`, to a header that parses to the same parts; and rebuilding the canonical
//! request from a few fixed headers never panics, for a parsed header or for the input's text taken
//! as an unchecked signed-header list.

use cvm_proto::tc3::{self, Authorization, SigningKey};

/// The headers a received request carries, lower-case as a server's lookup sees them.
const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/json; charset=utf-8"),
    ("host", "cvm.tencentcloudapi.com"),
    ("x-tc-action", "DescribeInstances"),
    ("x-tc-timestamp", "1551113065"),
    ("x-tc-content-sha256", tc3::UNSIGNED_PAYLOAD),
    ("", "an empty name"),
];

/// The documented example's timestamp.
const TIMESTAMP: u64 = 1_551_113_065;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    let header = |name: &str| {
        HEADERS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    };
    // The signed headers are a server's own lookup; without `x-tc-content-sha256` the body signs.
    let signed_body = |name: &str| header(name).filter(|_| name != "x-tc-content-sha256");

    if let Ok(auth) = Authorization::parse(text) {
        check_parsed(&auth);
        for lookup in [
            &header as &dyn Fn(&str) -> Option<&'static str>,
            &signed_body,
        ] {
            if let Ok(canonical) = tc3::canonical_request_of(&auth, "POST", "/", "", lookup, data) {
                check_canonical(&auth, &canonical);
            }
        }
    }

    // `canonical_request_of` takes any `Authorization`, not only parsed ones: the input's text as
    // the signed-header list, method, path and query must not make it panic either.
    let unchecked = Authorization {
        secret_id: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        date: "2019-02-25",
        service: "cvm",
        signed_headers: text,
        signature: "",
    };
    let (path, query) = text.split_once('?').unwrap_or((text, ""));
    let _ = tc3::canonical_request_of(&unchecked, text, path, query, &header, data);
    let _ = tc3::canonical_request_of(&unchecked, "GET", "/", query, &signed_body, data);
}

/// A parsed header is well-formed and survives being written again.
fn check_parsed(auth: &Authorization<'_>) {
    assert!(
        !auth.secret_id.is_empty() && !auth.service.is_empty(),
        "{auth:?}"
    );
    assert!(!auth.secret_id.contains(['/', ',']), "{auth:?}");
    assert_eq!(auth.date.len(), 10, "{auth:?}");
    assert_eq!(auth.signature.len(), 64, "{auth:?}");
    let names: Vec<&str> = auth.header_names().collect();
    assert!(
        names.contains(&"content-type") && names.contains(&"host"),
        "{auth:?}"
    );
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{auth:?}");

    let written = tc3::authorization(
        auth.secret_id,
        auth.date,
        auth.service,
        auth.signed_headers,
        auth.signature,
    );
    let again = Authorization::parse(&written)
        .unwrap_or_else(|e| panic!("{written:?} written from {auth:?} does not parse: {e}"));
    assert_eq!(&again, auth, "{written:?}");
    // The written form is canonical: writing it again gives the same text.
    let rewritten = tc3::authorization(
        again.secret_id,
        again.date,
        again.service,
        again.signed_headers,
        again.signature,
    );
    assert_eq!(rewritten, written);
}

/// A rebuilt canonical request has the six lines of TC3 (the headers' one line each), and its key
/// verifies its own signature of it.
fn check_canonical(auth: &Authorization<'_>, canonical: &str) {
    let lines: Vec<&str> = canonical.split('\n').collect();
    let headers = auth.header_names().count();
    assert_eq!(lines.len(), 6 + headers, "{canonical:?}");
    assert_eq!(lines[0], "POST");
    assert_eq!(lines[lines.len() - 2], auth.signed_headers);
    let hash = lines[lines.len() - 1];
    assert_eq!(hash.len(), 64, "{canonical:?}");
    let sts = tc3::string_to_sign(TIMESTAMP, auth.date, auth.service, canonical);
    let key = SigningKey::derive(b"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", auth.date, auth.service);
    assert!(key.verify(&sts, &key.sign(&sts)));
}
