//! Lenient readers for the reply side of the generated structs (hand-written, not generated).
//!
//! The service sometimes sends a number as a string (`"TotalCount": "3"`), `null` for an absent
//! value or list, and an empty string for an absent number. These readers accept all of those,
//! from JSON and from flat parameters alike (where every value arrives as text).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::REDACTED)
    }
}

/// A scalar read from a number, a boolean or its text.
pub(crate) trait Lenient: Sized {
    /// What an error says was expected.
    const EXPECTED: &'static str;
    /// The value of a signed integer, if it fits.
    fn from_i64(v: i64) -> Option<Self>;
    /// The value of an unsigned integer, if it fits.
    fn from_u64(v: u64) -> Option<Self>;
    /// The value of a float, if it fits.
    fn from_f64(v: f64) -> Option<Self>;
    /// The value of a boolean, if the type is one.
    fn from_bool(v: bool) -> Option<Self>;
    /// The value of a text (already trimmed, not empty).
    fn from_text(v: &str) -> Option<Self>;
}

impl Lenient for i64 {
    const EXPECTED: &'static str = "an integer or its text";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        // Only integral values in range; the cast is then exact.
        (v.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&v))
            .then_some(v as i64)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_text(v: &str) -> Option<Self> {
        v.parse().ok()
    }
}

impl Lenient for u64 {
    const EXPECTED: &'static str = "an unsigned integer or its text";
    fn from_i64(v: i64) -> Option<Self> {
        u64::try_from(v).ok()
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    fn from_f64(v: f64) -> Option<Self> {
        // Only integral values in range; the cast is then exact.
        (v.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&v)).then_some(v as u64)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_text(v: &str) -> Option<Self> {
        v.parse().ok()
    }
}

impl Lenient for f64 {
    const EXPECTED: &'static str = "a number or its text";
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_text(v: &str) -> Option<Self> {
        v.parse::<f64>().ok().filter(|f| f.is_finite())
    }
}

impl Lenient for bool {
    const EXPECTED: &'static str = "a boolean, 0 or 1, or its text";
    fn from_i64(v: i64) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn from_u64(v: u64) -> Option<Self> {
        match v {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
    fn from_text(v: &str) -> Option<Self> {
        match v {
            "true" | "True" | "TRUE" | "1" => Some(true),
            "false" | "False" | "FALSE" | "0" => Some(false),
            _ => None,
        }
    }
}

/// Reads an optional lenient scalar: `null` and `""` are `None`.
struct OptVisitor<T>(PhantomData<T>);

impl<T: Lenient> OptVisitor<T> {
    fn fail<E: de::Error>(unexpected: de::Unexpected<'_>) -> E {
        E::invalid_value(unexpected, &T::EXPECTED)
    }
}

impl<'de, T: Lenient> Visitor<'de> for OptVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        T::from_bool(v)
            .map(Some)
            .ok_or_else(|| Self::fail(de::Unexpected::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        T::from_i64(v)
            .map(Some)
            .ok_or_else(|| Self::fail(de::Unexpected::Signed(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        T::from_u64(v)
            .map(Some)
            .ok_or_else(|| Self::fail(de::Unexpected::Unsigned(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        T::from_f64(v)
            .map(Some)
            .ok_or_else(|| Self::fail(de::Unexpected::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        T::from_text(t)
            .map(Some)
            .ok_or_else(|| Self::fail(de::Unexpected::Str(v)))
    }
}

/// A lenient scalar that must be present (a list element).
// Only services whose replies hold lists of numbers use it.
#[allow(dead_code)]
struct Item<T>(T);

impl<'de, T: Lenient> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match d.deserialize_any(OptVisitor::<T>(PhantomData))? {
            Some(v) => Ok(Item(v)),
            None => Err(de::Error::invalid_value(de::Unexpected::Unit, &T::EXPECTED)),
        }
    }
}

/// Reads an optional integer, float or boolean that may come as its text, `null` or `""`.
pub(crate) fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<Option<T>, D::Error> {
    d.deserialize_option(OptVisitor::<T>(PhantomData))
}

/// Reads a list that may come as `null` (an empty list).
pub(crate) fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Option::<Vec<T>>::deserialize(d).map(Option::unwrap_or_default)
}

/// Reads a list of integers, floats or booleans that may come as `null`, each maybe as its text.
#[allow(dead_code)]
pub(crate) fn lenient_list<'de, D: Deserializer<'de>, T: Lenient>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    struct Items<T>(PhantomData<T>);
    impl<'de, T: Lenient> Visitor<'de> for Items<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(Item(v)) = seq.next_element::<Item<T>>()? {
                out.push(v);
            }
            Ok(out)
        }
    }
    struct Nullable<T>(PhantomData<T>);
    impl<'de, T: Lenient> Visitor<'de> for Nullable<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(Items(PhantomData))
        }
    }
    d.deserialize_option(Nullable(PhantomData))
}
