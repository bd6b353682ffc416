//! The strict JSON reader (`json::parse_value`, `json::parse_object`) on any bytes. It never
//! panics, and it agrees with a reference built here from serde_json's own `Value` and a
//! reader that keeps every key of every object: it accepts exactly the JSON texts with no key
//! twice in one object, and then gives serde_json's value; a text serde_json refuses is a
//! `Syntax` or `NotUtf8` error; a text refused only for a repeat is a `DuplicateKey` whose key
//! (when short enough to be shown whole) is one the reference finds repeated; a value written
//! back is read again. `parse_object` is `parse_value` narrowed to objects.

use std::collections::HashSet;
use std::fmt;

use cvm_proto::json::{parse_object, parse_value, JsonError, SHOWN_KEY_CHARS};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let strict = parse_value(data);
    let reference = serde_json::from_slice::<Value>(data);
    match (&strict, &reference) {
        (Ok(value), Ok(expected)) => assert_eq!(value, expected, "{:?}", lossy(data)),
        (Ok(value), Err(e)) => panic!("accepted {value:?}, serde_json says {e}"),
        (Err(JsonError::NotUtf8 { valid_up_to }), _) => {
            let utf8 = std::str::from_utf8(data).err().map(|e| e.valid_up_to());
            assert_eq!(utf8, Some(*valid_up_to));
        }
        (Err(JsonError::Syntax { .. }), Err(_)) => {}
        (Err(JsonError::Syntax { message, .. }), Ok(v)) => {
            panic!("refused {v:?} as bad JSON: {message}")
        }
        (Err(JsonError::DuplicateKey { key, .. }), Ok(_)) => {
            let repeated = repeated_keys(data);
            assert!(
                !repeated.is_empty(),
                "no key is repeated in {:?}",
                lossy(data)
            );
            let whole: Vec<String> = repeated
                .iter()
                .filter(|k| k.chars().count() <= SHOWN_KEY_CHARS)
                .map(|k| format!("{k:?}"))
                .collect();
            if key.ends_with('"') {
                assert!(whole.contains(key), "{key} is not among {whole:?}");
            }
        }
        // The repeat came before the syntax error that serde_json stopped at; there is no
        // value to compare.
        (Err(JsonError::DuplicateKey { .. }), Err(_)) => {}
        (Err(JsonError::NotObject { .. }), _) => panic!("parse_value never says NotObject"),
    }
    if let (Ok(_), Ok(_)) = (&strict, &reference) {
        assert!(
            repeated_keys(data).is_empty(),
            "a repeat was let through: {:?}",
            lossy(data)
        );
    }
    // A value written back has no repeat, so it is read as serde_json reads it. (Not always as
    // the value itself: without serde_json's `float_roundtrip` a float may read back one unit
    // of the last place away.)
    if let Ok(value) = &strict {
        let text = serde_json::to_vec(value).unwrap();
        assert_eq!(
            parse_value(&text).ok(),
            serde_json::from_slice::<Value>(&text).ok()
        );
    }
    match (parse_object(data), strict) {
        (Ok(map), Ok(Value::Object(expected))) => assert_eq!(map, expected),
        (Err(JsonError::NotObject { found }), Ok(other)) => {
            assert!(!other.is_object(), "{found}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("parse_object gave {a:?} where parse_value gave {b:?}"),
    }
}

fn lossy(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// The keys that some object of `data` has more than once; empty when there is none or
/// serde_json cannot read `data`.
fn repeated_keys(data: &[u8]) -> Vec<String> {
    serde_json::from_slice::<AllPairs>(data)
        .map(|p| p.0)
        .unwrap_or_default()
}

/// What a reader that keeps every key of every object finds repeated.
struct AllPairs(Vec<String>);

impl<'de> Deserialize<'de> for AllPairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PairsVisitor).map(AllPairs)
    }
}

struct PairsVisitor;

impl<'de> Visitor<'de> for PairsVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(AllPairs(inner)) = seq.next_element()? {
            out.extend(inner);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        let mut out = Vec::new();
        while let Some((key, AllPairs(inner))) = map.next_entry::<String, AllPairs>()? {
            keys.push(key);
            out.extend(inner);
        }
        let mut seen = HashSet::new();
        out.extend(keys.into_iter().filter(|k| !seen.insert(k.clone())));
        Ok(out)
    }
}
