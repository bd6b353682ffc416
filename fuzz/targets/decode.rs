//! Query-string and form-body decoding never panics, and whatever decodes re-encodes and decodes
//! to the same parameters. The input is tried whole (a form body) and, when it holds a `?`, as
//! the query part of a URL.

use cvm_proto::encode;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    round_trip(data);
    if let Some(q) = data.iter().position(|&b| b == b'?') {
        round_trip(&data[q + 1..]);
    }
}

fn round_trip(data: &[u8]) {
    if let Ok(params) = encode::decode(data) {
        let encoded = encode::encode(&params);
        let again = encode::decode(encoded.as_bytes());
        assert_eq!(again.as_ref(), Ok(&params), "re-encoded as {encoded:?}");
        // Encoding is canonical: encoding what was decoded again gives the same bytes.
        assert_eq!(encode::encode(&params), encoded);
    }
}
