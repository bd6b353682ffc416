//! Flattening of nested values into signature-v1 query parameters, and back.
//!
//! [`to_params`] and [`flatten_into`] turn any `Serialize` struct or map into flat [`Params`]:
//! nested objects become `Parent.Child`, lists become `Name.0`, `Name.1`, ... (0-based,
//! contiguous), so a list of objects gives `DataDisks.0.DiskType` and a nested list
//! `Filters.0.Values.1`. `None`, unit, empty lists and empty objects are omitted; an empty
//! string is kept (`Key=`); booleans are `true` / `false`; integers are decimal; floats are the
//! shortest decimal that reads back exactly, never with an exponent; NaN and infinities are
//! errors. Enum unit variants are their (serde) name; other variants are written externally
//! tagged, as `Key.Variant...`.
//!
//! Keys are not escaped: a map key holding `.` is written as is and reads back as nested keys,
//! and two values that end up with the same key are an error. A key has at most [`MAX_DEPTH`]
//! segments.
//!
//! The generated request types also implement [`Flatten`], which writes the same parameters
//! directly, field by field in signing order ([`flatten_direct`]).
//!
//! [`from_params`] reads flat parameters back into any `Deserialize` type, as the local emulator
//! does with incoming requests. Values arrive as strings and are parsed as the type asks:
//! booleans accept `true`, `True`, `TRUE` and the `false` forms; list indices must run `0..n`
//! without gaps or leading zeros. Every error names the full flat key it is about.
//!
//! [`Params`]: crate::params::Params

// The serializer is in `ser`, the deserializer in `de` (with the tree of parameters it walks in
// `de::tree`); tests that go through both directions are in `tests`, on shapes from `fixtures`
// that the tests of `ser` and `de` use too.
mod de;
mod direct;
#[cfg(test)]
mod fixtures;
mod ser;
#[cfg(test)]
mod tests;

pub use de::{from_params, UnflattenError};
pub(crate) use direct::flatten_with_common;
pub use direct::{check_finite, flatten_direct, Flatten, Writer};
pub use ser::{flatten_into, to_params, FlattenError};

/// The largest number of `.`-separated segments a flattened key may have.
pub const MAX_DEPTH: usize = 32;

/// The decimal form of `n`, written into `buf`.
pub(crate) fn decimal(n: u64, buf: &mut itoa::Buffer) -> &str {
    buf.format(n)
}

/// Appends the decimal form of `n` to `out`.
fn push_u64(out: &mut String, n: u64) {
    out.push_str(decimal(n, &mut itoa::Buffer::new()));
}

#[cfg(test)]
mod decimal_tests {
    use proptest::prelude::*;

    proptest! {
        /// Both forms of an integer's text are its `Display` form, for every `u64`.
        #[test]
        fn decimal_is_display(n in any::<u64>()) {
            let mut out = String::from("k=");
            super::push_u64(&mut out, n);
            prop_assert_eq!(&out[2..], n.to_string());
            let mut buf = itoa::Buffer::new();
            prop_assert_eq!(super::decimal(n, &mut buf), n.to_string());
        }
    }

    #[test]
    fn edges() {
        let mut buf = itoa::Buffer::new();
        for n in [0, 9, 10, 99, 100, u64::MAX] {
            assert_eq!(super::decimal(n, &mut buf), n.to_string());
        }
    }
}
