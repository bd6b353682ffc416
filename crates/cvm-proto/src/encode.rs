//! Wire encoding: parameters to a query string or form body (RFC 3986), and back.

use thiserror::Error;

use crate::params::{byte_table, KeyError, Params, ParamsError};

/// For each byte, whether it is sent as itself: `A-Z a-z 0-9 - _ . ~`. Every other byte is
/// percent-encoded, with upper-case hex.
const UNRESERVED: [bool; 256] =
    byte_table!(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `text` is sent as itself: only `A-Z a-z 0-9 - _ . ~`.
pub fn is_unreserved(text: &str) -> bool {
    is_unreserved_bytes(text.as_bytes())
}

/// [`is_unreserved`] of bytes.
pub(crate) fn is_unreserved_bytes(bytes: &[u8]) -> bool {
    all_bytes(bytes, unreserved_byte)
}

/// Whether a key is made only of letters, digits and `.`, as every key of a generated type is:
/// such a key is sent as itself and holds no `_`.
pub(crate) fn is_plain_key(key: &str) -> bool {
    all_bytes(key.as_bytes(), |b| alphanumeric_byte(b) | (b == b'.'))
}

/// Whether `name` is a wire name: letters and digits, at least one.
pub(crate) fn is_wire_name(name: &str) -> bool {
    !name.is_empty() && all_bytes(name.as_bytes(), alphanumeric_byte)
}

/// Whether `ok` holds for every byte of `text` (and for `a`, which pads a short text).
#[inline]
fn all_bytes(bytes: &[u8], ok: impl Fn(u8) -> bool + Copy) -> bool {
    // Sixteen bytes at a time without a branch per byte, which the compiler turns into vector
    // compares. Most keys and values are shorter than that or not a multiple of it, so the last
    // block overlaps the one before it, and a text shorter than a block is padded with a letter:
    // no byte goes through a loop of its own (callgrind: 88 instructions per call on the
    // walkthrough's parameters, of which 25 pairs are checked per request, before this).
    let block_ok = |block: &[u8]| block.iter().fold(true, |all, &b| all & ok(b));
    let Some(last_start) = bytes.len().checked_sub(16) else {
        return block_ok(&short_block(bytes));
    };
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if !block_ok(chunk) {
            return false;
        }
    }
    chunks.remainder().is_empty() || block_ok(bytes.get(last_start..).unwrap_or_default())
}

/// A block of 16 bytes holding every byte of `bytes` (shorter than that) and otherwise `a`,
/// built from two overlapping copies of a fixed size (8 or 4 bytes, each one load) rather than
/// one copy of unknown length, which is a call to `memcpy` (callgrind: 17 instructions less per
/// value on the walkthrough's 25).
#[inline]
fn short_block(bytes: &[u8]) -> [u8; 16] {
    let mut block = [b'a'; 16];
    let n = bytes.len();
    let mut put = |width: usize| {
        let (head, tail) = (bytes.get(..width), bytes.get(n.saturating_sub(width)..));
        if let (Some(head), Some(tail), Some(to_head)) = (head, tail, block.get_mut(..width)) {
            to_head.copy_from_slice(head);
            if let Some(to_tail) = block.get_mut(n - width..n) {
                to_tail.copy_from_slice(tail);
            }
        }
    };
    if n >= 8 {
        put(8);
    } else if n >= 4 {
        put(4);
    } else {
        for (to, from) in block.iter_mut().zip(bytes) {
            *to = *from;
        }
    }
    block
}

/// `A-Z a-z 0-9` as arithmetic.
#[inline]
fn alphanumeric_byte(b: u8) -> bool {
    ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10)
}

/// [`UNRESERVED`] as arithmetic, for [`is_unreserved`]'s vector loop.
#[inline]
fn unreserved_byte(b: u8) -> bool {
    alphanumeric_byte(b) | (b == b'-') | (b == b'.') | (b == b'_') | (b == b'~')
}

/// Appends `text` to `out` percent-encoded per RFC 3986 (space as `%20`).
pub fn encode_component(text: &str, out: &mut String) {
    // Most keys and values need no escaping.
    if is_unreserved(text) {
        out.push_str(text);
        return;
    }
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if UNRESERVED[usize::from(b)] {
            continue;
        }
        // A run of unreserved bytes is ASCII, so it starts and ends on character boundaries.
        out.push_str(text.get(run..i).unwrap_or_default());
        out.push('%');
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
        run = i + 1;
    }
    out.push_str(text.get(run..).unwrap_or_default());
}

/// Appends `k=v` pairs joined by `&`, both sides percent-encoded, to `out`.
pub fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, out: &mut String) {
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(k, out);
        out.push('=');
        encode_component(v, out);
    }
}

/// The query string or form body for `params`, in key order.
pub fn encode(params: &Params) -> String {
    let mut out = String::with_capacity(params.text_len() + 2 * params.len());
    encode_pairs(params.iter(), &mut out);
    out
}

/// Why a query string or form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A `key=value` pair has no `=`.
    #[error("parameter {pair:?} has no '=' between key and value")]
    MissingEquals {
        /// The pair as received (shortened when long).
        pair: String,
    },
    /// A `%` is not followed by two hex digits.
    #[error("malformed percent-encoding at byte {offset}")]
    BadPercent {
        /// Byte offset of the `%` in the input.
        offset: usize,
    },
    /// A decoded key or value is not valid UTF-8.
    #[error("parameter text at byte {offset} is not valid UTF-8")]
    NotUtf8 {
        /// Byte offset of the pair in the input.
        offset: usize,
    },
    /// A decoded key is malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The same key appears twice.
    #[error("parameter {0:?} appears more than once")]
    Duplicate(String),
}

/// Decodes a query string or `application/x-www-form-urlencoded` body: `+` is a space, `%XX` in
/// either case; empty segments (`a=1&&b=2`) carry nothing and are skipped.
pub fn decode(input: &[u8]) -> Result<Params, DecodeError> {
    // Room for every pair (each has an `=`); the text is never longer than the input.
    let pairs = input.iter().filter(|&&b| b == b'=').count();
    let mut params = Params::with_room(pairs, input.len());
    let (mut key, mut value) = (Vec::new(), Vec::new());
    let mut offset = 0;
    for segment in input.split(|&b| b == b'&') {
        let start = offset;
        offset += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        let Some(eq) = segment.iter().position(|&b| b == b'=') else {
            return Err(DecodeError::MissingEquals {
                pair: excerpt(segment),
            });
        };
        let (raw_key, raw_value) = segment.split_at(eq);
        let raw_value = raw_value.get(1..).unwrap_or_default();
        let key = decode_into(raw_key, start, &mut key)?;
        let value = decode_into(raw_value, start + eq + 1, &mut value)?;
        params.insert_str(key, value).map_err(|e| match e {
            ParamsError::Key(k) => DecodeError::Key(k),
            ParamsError::Duplicate(k) => DecodeError::Duplicate(k),
        })?;
    }
    Ok(params)
}

/// Decodes one form-encoded component (`+` is a space, `%XX` in either case) that starts at `offset` of the input.
pub fn decode_component(raw: &[u8], offset: usize) -> Result<String, DecodeError> {
    let mut out = Vec::with_capacity(raw.len());
    decode_into(raw, offset, &mut out)?;
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8 { offset })
}

/// [`decode_component`] into a reused buffer, returning the text it now holds.
fn decode_into<'a>(
    raw: &[u8],
    offset: usize,
    out: &'a mut Vec<u8>,
) -> Result<&'a str, DecodeError> {
    out.clear();
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = raw.get(i + 1).and_then(|&b| hex(b));
                let lo = raw.get(i + 2).and_then(|&b| hex(b));
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(DecodeError::BadPercent { offset: offset + i }),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    std::str::from_utf8(out).map_err(|_| DecodeError::NotUtf8 { offset })
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vector_check_agrees_with_the_table() {
        for b in 0..=255u8 {
            assert_eq!(unreserved_byte(b), UNRESERVED[usize::from(b)], "{b}");
        }
        let long = "abcdefghijklmnopqrstuvwxyz0123456789-_.~ABCDEFGHIJ";
        // Every length, so that short texts, whole blocks and overlapping last blocks are all
        // checked, with every byte position made bad in turn and with every kind of bad byte.
        for len in 0..=long.len() {
            let good = &long[..len];
            assert!(is_unreserved(good), "{good}");
            for i in 0..len {
                for bad_byte in ["+", " ", "%", "\u{0}", "\u{7f}", "\u{80}", "测"] {
                    let mut bad = good.to_owned();
                    bad.replace_range(i..=i, bad_byte);
                    assert!(!is_unreserved(&bad), "{bad:?}");
                }
            }
        }
    }

    #[test]
    fn plain_keys_and_wire_names() {
        for b in 0..=255u8 {
            let text = char::from(b).to_string();
            let alnum = b.is_ascii_alphanumeric();
            assert_eq!(is_wire_name(&text), alnum, "{b}");
            assert_eq!(is_plain_key(&text), alnum || b == b'.', "{b}");
        }
        assert!(!is_wire_name("") && is_plain_key(""));
        let long = "DataDisks.10.DiskSize.Placement.Zone0123456789";
        for len in 1..=long.len() {
            let key = &long[..len];
            assert!(is_plain_key(key), "{key}");
            assert_eq!(is_wire_name(key), !key.contains('.'), "{key}");
            for i in 0..len {
                for bad in ["_", "-", "~", " ", "=", "\u{80}", "测"] {
                    let mut k = key.to_owned();
                    k.replace_range(i..=i, bad);
                    assert!(!is_plain_key(&k) && !is_wire_name(&k), "{k:?}");
                }
            }
        }
    }

    #[test]
    fn encodes_rfc3986_upper_hex() {
        let mut s = String::new();
        encode_component("a b&c=1+2/~*'测", &mut s);
        assert_eq!(s, "a%20b%26c%3D1%2B2%2F~%2A%27%E6%B5%8B");
        let p = Params::from_pairs([("B", "x y"), ("A", "")]).unwrap();
        assert_eq!(encode(&p), "A=&B=x%20y");
    }

    #[test]
    fn decodes_plus_and_both_hex_cases() {
        let p = decode(b"a=x+y%2b%2B%2f&b=&&c=%E6%b5%8B").unwrap();
        assert_eq!(p.get("a"), Some("x y++/"));
        assert_eq!(p.get("b"), Some(""));
        assert_eq!(p.get("c"), Some("测"));
        assert_eq!(decode(b"").unwrap().len(), 0);
    }

    #[test]
    fn decode_errors() {
        assert_eq!(
            decode(b"a=1&b"),
            Err(DecodeError::MissingEquals { pair: "b".into() })
        );
        assert_eq!(decode(b"a=%4"), Err(DecodeError::BadPercent { offset: 2 }));
        assert_eq!(decode(b"a=%zz"), Err(DecodeError::BadPercent { offset: 2 }));
        assert_eq!(
            decode(b"ab=1&c=%"),
            Err(DecodeError::BadPercent { offset: 7 })
        );
        assert_eq!(decode(b"a=%FF"), Err(DecodeError::NotUtf8 { offset: 2 }));
        assert_eq!(decode(b"a=\xff"), Err(DecodeError::NotUtf8 { offset: 2 }));
        assert_eq!(decode(b"a=1&a=2"), Err(DecodeError::Duplicate("a".into())));
        assert!(matches!(decode(b"a%3Db=1"), Err(DecodeError::Key(_))));
        assert!(matches!(
            decode(b"=1"),
            Err(DecodeError::Key(KeyError::Empty))
        ));
    }
}
