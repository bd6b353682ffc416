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
    all_bytes(bytes, unreserved_byte, |w| {
        alphanumeric_word(w)
            | eq_word(w, b'-')
            | eq_word(w, b'.')
            | eq_word(w, b'_')
            | eq_word(w, b'~')
    })
}

/// Whether a key is made only of letters, digits and `.`, as every key of a generated type is:
/// such a key is sent as itself and holds no `_`.
pub(crate) fn is_plain_key(key: &str) -> bool {
    all_bytes(
        key.as_bytes(),
        |b| alphanumeric_byte(b) | (b == b'.'),
        |w| alphanumeric_word(w) | eq_word(w, b'.'),
    )
}

/// Whether `name` is a wire name: letters and digits, at least one.
pub(crate) fn is_wire_name(name: &str) -> bool {
    !name.is_empty() && all_bytes(name.as_bytes(), alphanumeric_byte, alphanumeric_word)
}

/// Whether `name` is a region name's text: lower-case letters, digits and `-`, at least one.
pub(crate) fn is_region_text(name: &str) -> bool {
    !name.is_empty()
        && all_bytes(
            name.as_bytes(),
            |b| lower_byte(b) | digit_byte(b) | (b == b'-'),
            |w| lower_word(w) | digit_word(w) | eq_word(w, b'-'),
        )
}

/// Whether `ok` holds for every byte of `text`. `ok_word` is the same test of the eight bytes
/// of a word at once, each answered in its top bit, for words of ASCII bytes only. Both must
/// pass `a`, with which a text shorter than a block is padded.
#[inline]
fn all_bytes(
    bytes: &[u8],
    ok: impl Fn(u8) -> bool + Copy,
    ok_word: impl Fn(u64) -> u64 + Copy,
) -> bool {
    debug_assert!(ok(b'a') && ok_word(splat(b'a')) == HIGH);
    // Sixteen bytes at a time without a branch per byte, which the compiler turns into vector
    // compares. Most keys and values are shorter than that or not a multiple of it, so the last
    // block overlaps the one before it, and a text shorter than a block is checked as two words
    // in registers: no byte goes through a loop of its own.
    let block_ok = |block: &[u8]| block.iter().fold(true, |all, &b| all & ok(b));
    let Some(last_start) = bytes.len().checked_sub(16) else {
        let (low, high) = short_words(bytes);
        let word_ok = |w: u64| (w & HIGH == 0) & (ok_word(w) == HIGH);
        return word_ok(low) & word_ok(high);
    };
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if !block_ok(chunk) {
            return false;
        }
    }
    chunks.remainder().is_empty() || block_ok(bytes.get(last_start..).unwrap_or_default())
}

/// The top bit of each byte of a word.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte of a word.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// For a word of ASCII bytes, the top bit of each byte that is at least `lo` (above 0): no sum
/// carries into the next byte, as each byte and each addend is below 0x80.
#[inline]
fn ge_word(w: u64, lo: u8) -> u64 {
    w.wrapping_add(splat(0x80 - lo)) & HIGH
}

/// For a word of ASCII bytes, the top bit of each byte that is at most `hi` (below 0x80).
#[inline]
fn le_word(w: u64, hi: u8) -> u64 {
    !w.wrapping_add(splat(0x7f - hi)) & HIGH
}

/// For a word of ASCII bytes, the top bit of each byte equal to `c` (below 0x80).
#[inline]
fn eq_word(w: u64, c: u8) -> u64 {
    !(w ^ splat(c)).wrapping_add(splat(0x7f)) & HIGH
}

/// [`alphanumeric_byte`] of each byte of a word of ASCII bytes, in its top bit.
#[inline]
fn alphanumeric_word(w: u64) -> u64 {
    lower_word(w | splat(0x20)) | digit_word(w)
}

/// [`lower_byte`] of each byte of a word of ASCII bytes, in its top bit.
#[inline]
fn lower_word(w: u64) -> u64 {
    ge_word(w, b'a') & le_word(w, b'z')
}

/// [`digit_byte`] of each byte of a word of ASCII bytes, in its top bit.
#[inline]
fn digit_word(w: u64) -> u64 {
    ge_word(w, b'0') & le_word(w, b'9')
}

/// Two words holding every byte of `bytes` (shorter than 16) and otherwise `a`, from at most
/// two loads of 8 or 4 bytes each (overlapping where the text is shorter than both). Building a
/// padded block in memory instead, in pieces read back whole, cost a failed store forwarding on
/// every call: `perf` put 11% of a walkthrough prepare in this check (callgrind: 4%).
#[inline]
fn short_words(bytes: &[u8]) -> (u64, u64) {
    const PAD: u64 = splat(b'a');
    let n = bytes.len();
    let load8 = |at: usize| {
        bytes
            .get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(PAD, u64::from_le_bytes)
    };
    let load4 = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, |b| u64::from(u32::from_le_bytes(b)))
    };
    let byte = |at: usize| u64::from(bytes.get(at).copied().unwrap_or(b'a'));
    if n >= 8 {
        (load8(0), load8(n - 8))
    } else if n >= 4 {
        (load4(0) | load4(n - 4) << 32, PAD)
    } else if n > 0 {
        // The first, middle and last bytes cover a text of one to three.
        (
            byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16 | PAD << 24,
            PAD,
        )
    } else {
        (PAD, PAD)
    }
}

/// `A-Z a-z 0-9` as arithmetic.
#[inline]
fn alphanumeric_byte(b: u8) -> bool {
    lower_byte(b | 0x20) | digit_byte(b)
}

/// `a-z` as arithmetic.
#[inline]
fn lower_byte(b: u8) -> bool {
    b.wrapping_sub(b'a') < 26
}

/// `0-9` as arithmetic.
#[inline]
fn digit_byte(b: u8) -> bool {
    b.wrapping_sub(b'0') < 10
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

    /// The word tests agree with the byte tests on every ASCII byte in every position.
    #[test]
    fn the_word_checks_agree_with_the_byte_checks() {
        for b in 0..0x80u8 {
            for at in 0..8 {
                let w = splat(b'a') & !(0xff << (8 * at)) | u64::from(b) << (8 * at);
                let bit = |m: u64| m & (0x80 << (8 * at)) != 0;
                assert_eq!(bit(alphanumeric_word(w)), alphanumeric_byte(b), "{b} {at}");
                assert_eq!(bit(eq_word(w, b'.')), b == b'.', "{b} {at}");
                assert_eq!(bit(ge_word(w, b'0')), b >= b'0', "{b} {at}");
                assert_eq!(bit(le_word(w, b'9')), b <= b'9', "{b} {at}");
                // The other bytes are `a`, which every test passes but the equalities.
                assert_eq!(alphanumeric_word(w) | (0x80 << (8 * at)), HIGH);
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
    fn region_texts() {
        for b in 0..=255u8 {
            let text = char::from(b).to_string();
            let ok = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
            assert_eq!(is_region_text(&text), ok, "{b}");
        }
        assert!(!is_region_text(""));
        let long = "ap-guangzhou-3-na-siliconvalley-0123456789";
        for len in 1..=long.len() {
            let name = &long[..len];
            assert!(is_region_text(name), "{name}");
            for i in 0..len {
                for bad in [
                    "A", "Z", "_", ".", " ", "`", "{", "/", ":", "\u{0}", "\u{7f}", "\u{80}", "测",
                ] {
                    let mut n = name.to_owned();
                    n.replace_range(i..=i, bad);
                    assert!(!is_region_text(&n), "{n:?}");
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
