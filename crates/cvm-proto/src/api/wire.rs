//! Readers for the reply side of the generated structs (hand-written, not generated): the
//! struct reader that their generated `Deserialize` calls, and lenient readers of their members.
//!
//! The service sometimes sends a number as a string (`"TotalCount": "3"`), `null` for an absent
//! value or list, and an empty string for an absent number. These readers accept all of those,
//! from JSON and from flat parameters alike (where every value arrives as text).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// A reply-side (or both-sides) struct that [`read_struct`] reads key by key: the generated
/// `Deserialize` of each, in place of serde's derive, which expanded to about ten times the code.
pub(crate) trait Fields: Default {
    /// The struct's name, for errors.
    const NAME: &'static str;
    /// The wire names of its fields, sorted by byte, each once: a field's index is its place.
    const FIELDS: &'static [&'static str];
    /// The index of the field a key names, or `None` for a key the struct does not know. (A
    /// `match` on the names, which the compiler turns into length tests and word compares:
    /// a binary search of [`Fields::FIELDS`] cost 8x as many instructions.)
    fn index(key: &str) -> Option<usize>;
    /// Reads the value of field `index` (a place in [`Fields::FIELDS`]) from `map` into `self`.
    fn read<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;
}

/// Reads a [`Fields`] struct from an object: fields it does not know are skipped, absent ones
/// keep their defaults, and a field given twice is an error (as with serde's derive). Unlike the
/// derive, it does not read a struct from a list of its fields' values, nor a key given as a
/// field's number (neither JSON nor flat parameters have them).
pub(crate) fn read_struct<'de, T: Fields, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    // One bit per field records the fields seen.
    const { assert!(T::FIELDS.len() <= 64) };
    d.deserialize_struct(T::NAME, T::FIELDS, StructVisitor::<T>(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Fields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct ")?;
        f.write_str(T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        read_fields(&mut out, &mut map)?;
        Ok(out)
    }
}

/// Reads an object's entries into `out`, which holds its defaults: unknown keys are skipped and
/// a field given twice is an error.
fn read_fields<'de, T: Fields, A: MapAccess<'de>>(
    out: &mut T,
    map: &mut A,
) -> Result<(), A::Error> {
    // `read_struct` holds a struct to 64 fields (the generator refuses more).
    let mut seen = 0u64;
    while let Some(key) = map.next_key_seed(FieldIndex::<T>(PhantomData))? {
        match key {
            Some(index) => {
                let bit = 1u64 << index;
                if seen & bit != 0 {
                    return Err(de::Error::duplicate_field(T::FIELDS[index]));
                }
                seen |= bit;
                out.read(index, map)?;
            }
            None => {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

/// Reads a list of [`Fields`] structs that may come as `null` (an empty list) into the list it
/// holds, each element read in its place rather than built apart and moved in: an `Instance` is
/// 1.6 KB, and perf put its moves through the readers' return values at about 4% of a parse.
/// It makes the calls [`List`] makes of the deserializer, so it accepts and refuses the same input.
pub(crate) struct StructList<'a, T>(pub(crate) &'a mut Vec<T>);

impl<'de, T: Fields> DeserializeSeed<'de> for StructList<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: Fields> Visitor<'de> for StructList<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(Elements(self.0))
    }
}

/// The elements of a [`StructList`].
struct Elements<'a, T>(&'a mut Vec<T>);

impl<'de, T: Fields> Visitor<'de> for Elements<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // As serde's own list reader: trust a stated length only up to 1 MiB of elements.
        let cap = (1 << 20) / std::mem::size_of::<T>().max(1);
        self.0.reserve(seq.size_hint().unwrap_or(0).min(cap));
        while seq.next_element_seed(Slot(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

/// One element of a [`StructList`]: the deserializer calls it only when there is one, so it
/// appends a default element and reads the object into it.
struct Slot<'a, T>(&'a mut Vec<T>);

impl<'de, T: Fields> DeserializeSeed<'de> for Slot<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let at = self.0.len();
        self.0.push(T::default());
        d.deserialize_struct(T::NAME, T::FIELDS, InPlace(&mut self.0[at]))
    }
}

/// Reads an object into a struct in its place.
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: Fields> Visitor<'de> for InPlace<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct ")?;
        f.write_str(T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        read_fields(self.0, &mut map)
    }
}

/// Reads a key as the index of the field it names, or `None` for a key the struct does not know.
struct FieldIndex<T>(PhantomData<T>);

impl<'de, T: Fields> DeserializeSeed<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, T: Fields> Visitor<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::index(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(v).ok().and_then(T::index))
    }
}

/// An optional integer, float or boolean read by [`lenient`].
pub(crate) struct LenientValue<T>(pub(crate) Option<T>);

impl<'de, T: Lenient> Deserialize<'de> for LenientValue<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient(d).map(LenientValue)
    }
}

/// A list read by [`list`]: `null` is empty.
pub(crate) struct List<T>(pub(crate) Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        list(d).map(List)
    }
}

/// A list of integers, floats or booleans read by [`lenient_list`].
// Only services whose replies hold lists of numbers use it.
#[allow(dead_code)]
pub(crate) struct LenientList<T>(pub(crate) Vec<T>);

impl<'de, T: Lenient> Deserialize<'de> for LenientList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient_list(d).map(LenientList)
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

/// Checks what the generator wrote for `T`: its names sorted, each once, and `index` finding
/// exactly what a search of them finds, for each name and for names near it (in another case,
/// one letter short or long).
#[cfg(test)]
pub(crate) fn check_fields<T: Fields>() {
    assert!(
        T::FIELDS
            .windows(2)
            .all(|w| w[0].as_bytes() < w[1].as_bytes()),
        "{}: names not sorted or repeated",
        T::NAME
    );
    let search = |key: &str| T::FIELDS.iter().position(|n| *n == key);
    for name in T::FIELDS {
        let lower = name.to_lowercase();
        let longer = format!("{name}s");
        let probes = [
            *name,
            lower.as_str(),
            &name[..name.len() - 1],
            longer.as_str(),
        ];
        for probe in probes {
            assert_eq!(T::index(probe), search(probe), "{}: {probe:?}", T::NAME);
        }
        assert!(T::index(name).is_some(), "{}.{name}", T::NAME);
    }
    assert_eq!(T::index(""), None, "{}", T::NAME);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct read as the generated ones are.
    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        id: Option<String>,
        count: Option<i64>,
        names: Vec<String>,
    }

    impl Fields for Sample {
        const NAME: &'static str = "Sample";
        const FIELDS: &'static [&'static str] = &["Count", "Id", "Names"];
        fn index(key: &str) -> Option<usize> {
            match key {
                "Count" => Some(0),
                "Id" => Some(1),
                "Names" => Some(2),
                _ => None,
            }
        }
        fn read<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match index {
                0 => self.count = map.next_value::<LenientValue<i64>>()?.0,
                1 => self.id = map.next_value()?,
                2 => self.names = map.next_value::<List<String>>()?.0,
                _ => {}
            }
            Ok(())
        }
    }

    impl<'de> Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read_struct(d)
        }
    }

    fn read(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn the_check_of_generated_fields_finds_a_wrong_index() {
        check_fields::<Sample>();
        #[derive(Default)]
        struct Off;
        impl Fields for Off {
            const NAME: &'static str = "Off";
            const FIELDS: &'static [&'static str] = &["A", "B"];
            fn index(key: &str) -> Option<usize> {
                (key == "A" || key == "B").then_some(0)
            }
            fn read<'de, A: MapAccess<'de>>(
                &mut self,
                _: usize,
                _: &mut A,
            ) -> Result<(), A::Error> {
                Ok(())
            }
        }
        assert!(std::panic::catch_unwind(check_fields::<Off>).is_err());
    }

    #[test]
    fn fields_are_found_in_any_order_and_unknown_ones_skipped() {
        let s = read(r#"{"Names":["a"],"Other":{"Id":"x"},"Id":"i-1","Count":"3"}"#).unwrap();
        assert_eq!(
            s,
            Sample {
                id: Some("i-1".into()),
                count: Some(3),
                names: vec!["a".into()],
            }
        );
        assert_eq!(read("{}").unwrap(), Sample::default());
        assert_eq!(
            read(r#"{"Names":null,"Count":""}"#).unwrap(),
            Sample::default()
        );
        // A key spelled with an escape is the same key; a key in another case is another.
        assert_eq!(read(r#"{"\u0049d":"e"}"#).unwrap().id.as_deref(), Some("e"));
        assert_eq!(read(r#"{"id":"e"}"#).unwrap(), Sample::default());
    }

    #[test]
    fn a_field_given_twice_or_a_value_of_another_shape_is_an_error() {
        let e = read(r#"{"Id":"a","Count":1,"Id":"b"}"#).unwrap_err();
        assert!(e.contains("duplicate field `Id`"), "{e}");
        // Unknown keys may repeat: they are skipped, as the derive skipped them.
        assert!(read(r#"{"X":1,"X":2}"#).is_ok());
        for (json, expected) in [
            (r#"["i-1",3,[]]"#, "expected struct Sample"),
            (r#""text""#, "expected struct Sample"),
            (r#"{"Count":"three"}"#, "an integer or its text"),
            (r#"{"Id":7}"#, "expected a string"),
            (r#"{"Names":"a"}"#, "expected a sequence"),
        ] {
            let e = read(json).unwrap_err();
            assert!(e.contains(expected), "{json}: {e}");
        }
    }

    /// An object of one list of samples, `A`, read by [`List`] when `IN_PLACE` is false and by
    /// [`StructList`] when it is true.
    #[derive(Debug, Default, PartialEq)]
    struct Holder<const IN_PLACE: bool> {
        a: Vec<Sample>,
    }

    impl<const IN_PLACE: bool> Fields for Holder<IN_PLACE> {
        const NAME: &'static str = "Holder";
        const FIELDS: &'static [&'static str] = &["A"];
        fn index(key: &str) -> Option<usize> {
            (key == "A").then_some(0)
        }
        fn read<'de, A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
            if IN_PLACE {
                map.next_value_seed(StructList(&mut self.a))
            } else {
                self.a = map.next_value::<List<Sample>>()?.0;
                Ok(())
            }
        }
    }

    impl<'de, const IN_PLACE: bool> Deserialize<'de> for Holder<IN_PLACE> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            read_struct(d)
        }
    }

    #[test]
    fn a_list_of_structs_read_in_place_is_read_as_the_list_reader_reads_it() {
        let cases = [
            r#"{"A":null}"#,
            r#"{"A":[]}"#,
            r#"{}"#,
            r#"{"A":[{"Id":"i-1","Count":"2","Names":["x"]},{},{"Other":1,"Names":null}]}"#,
            r#"{"A":[{"Id":"i-1"},null]}"#,
            r#"{"A":[{"Id":"a","Id":"b"}]}"#,
            r#"{"A":[{"Count":"three"}]}"#,
            r#"{"A":{"Id":"a"}}"#,
            r#"{"A":"a"}"#,
            r#"{"A":[["i-1"]]}"#,
            r#"{"A":[{"Id":"a"},]}"#,
            r#"{"A":[{"Id":"a"}"#,
        ];
        for json in cases {
            let by_list = serde_json::from_str::<Holder<false>>(json).map(|h| h.a);
            let in_place = serde_json::from_str::<Holder<true>>(json).map(|h| h.a);
            assert_eq!(
                in_place.map_err(|e| e.to_string()),
                by_list.map_err(|e| e.to_string()),
                "{json}"
            );
        }
        let ok = serde_json::from_str::<Holder<true>>(cases[3]).unwrap().a;
        assert_eq!(ok.len(), 3);
        assert_eq!(ok[0].count, Some(2));
        assert_eq!(ok[2], Sample::default());

        // Flat parameters, whose lists state their length, give the same too.
        let flat = [
            vec![("A.0.Id", "i-1"), ("A.1.Count", "3"), ("A.1.Names.0", "n")],
            vec![("A.0.Id", "i-1"), ("A.2.Id", "i-3")],
            vec![("A.0.Count", "x")],
            vec![("A.Id", "i-1")],
            vec![("A", "a")],
        ];
        for pairs in flat {
            let mut params = crate::Params::new();
            for (k, v) in &pairs {
                params.insert(*k, *v).unwrap();
            }
            let by_list = crate::flatten::from_params::<Holder<false>>(&params).map(|h| h.a);
            let in_place = crate::flatten::from_params::<Holder<true>>(&params).map(|h| h.a);
            assert_eq!(
                in_place.map_err(|e| e.to_string()),
                by_list.map_err(|e| e.to_string()),
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn a_key_as_bytes_is_matched_when_it_is_text() {
        use serde::de::value::{BytesDeserializer, Error};
        let seed = FieldIndex::<Sample>(PhantomData);
        let found = seed.deserialize(BytesDeserializer::<Error>::new(b"Names"));
        assert_eq!(found, Ok(Some(2)));
        let seed = FieldIndex::<Sample>(PhantomData);
        assert_eq!(
            seed.deserialize(BytesDeserializer::<Error>::new(b"\xff")),
            Ok(None)
        );
    }
}
