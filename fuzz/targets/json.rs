//! The strict JSON reader (`json::parse_value`, `json::parse_object`) on any bytes. It never
//! panics, and it agrees with a reference built here from serde_json's own `Value` and a
//! reader that notes the first key an object repeats (in a list, not a map) and stops there:
//! with no repeat it gives serde_json's value or a `Syntax` error exactly when serde_json
//! does, and a `DuplicateKey` names the reference's key at the reference's place. Non-UTF-8 is
//! `NotUtf8` at the first bad byte; a value written back is read again; `parse_object` is
//! `parse_value` narrowed to objects.

use std::cell::RefCell;
use std::fmt;

use cvm_proto::json::{parse_object, parse_value, JsonError, SHOWN_KEY_CHARS};
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let strict = parse_value(data);
    if let Err(e) = std::str::from_utf8(data) {
        assert_eq!(
            strict,
            Err(JsonError::NotUtf8 {
                valid_up_to: e.valid_up_to()
            })
        );
        return;
    }
    let reference = serde_json::from_slice::<Value>(data);
    match (&strict, first_repeat(data)) {
        (Ok(value), None) => assert_eq!(Some(value), reference.as_ref().ok(), "{:?}", lossy(data)),
        (Err(JsonError::Syntax { line, column, .. }), None) => {
            let e = reference.expect_err("serde_json reads what was refused as bad JSON");
            assert_eq!((*line, *column), (e.line(), e.column()));
        }
        (Err(JsonError::DuplicateKey { key, line, column }), Some((repeat, at))) => {
            assert_eq!(*key, shown(&repeat), "{:?}", lossy(data));
            assert_eq!((*line, *column), at, "{:?}", lossy(data));
        }
        (got, repeat) => panic!(
            "{:?}: the reader gives {got:?}, the reference finds the repeat {repeat:?}",
            lossy(data)
        ),
    }
    // A value written back has no repeat, so it is read as serde_json reads it. (Not always as
    // the value itself: without serde_json's `float_roundtrip` a float may read back one unit
    // of the last place away.)
    if let Ok(value) = &strict {
        let text = serde_json::to_vec(value).expect("a Value is written");
        let again = parse_value(&text).expect("a written value is read back");
        assert_eq!(
            Ok(again),
            serde_json::from_slice::<Value>(&text).map_err(|_| ())
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

/// `key` as the reader shows it: a JSON string of at most [`SHOWN_KEY_CHARS`] characters, then
/// `…` when it was longer.
fn shown(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() > SHOWN_KEY_CHARS {
        let head: String = chars[..SHOWN_KEY_CHARS].iter().collect();
        format!(
            "{}…",
            serde_json::to_string(&head).expect("a string is written")
        )
    } else {
        serde_json::to_string(key).expect("a string is written")
    }
}

/// The first key that some object of `data` repeats, in the order serde_json reads, and the
/// line and column where serde_json stood when it came; `None` when there is none before the
/// end or before a syntax error.
fn first_repeat(data: &[u8]) -> Option<(String, (usize, usize))> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(data);
    let result = Notes(&found).deserialize(&mut de).and_then(|()| de.end());
    let key = found.into_inner()?;
    let e = result.expect_err("a repeat stops the reading");
    Some((key, (e.line(), e.column())))
}

/// A seed that reads any JSON value and notes a repeated key in the cell, failing there.
#[derive(Clone, Copy)]
struct Notes<'a>(&'a RefCell<Option<String>>);

impl<'de> DeserializeSeed<'de> for Notes<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Notes<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                *self.0.borrow_mut() = Some(key);
                return Err(A::Error::custom("repeat"));
            }
            keys.push(key);
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}
