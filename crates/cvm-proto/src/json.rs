//! Strict reading of a JSON object from bytes: UTF-8, one value and nothing after it, and no key
//! twice in any object at any depth.
//!
//! `serde_json::Value` keeps the last of two values under one key and drops the other without
//! a word. Where a person or a client hands us a request (the JSON that `cvm call --params`,
//! `cvm flatten` and `cvm sign` read, the emulator's API 3.0 and STS bodies, tccli's files), a
//! repeated key is a mistake to report, so [`parse_object`] refuses it, naming the key and
//! where it was.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The most characters of a repeated key an error shows; a longer key is cut, with `…` after it.
pub const SHOWN_KEY_CHARS: usize = 64;

/// Why bytes are not one strict JSON object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// The bytes are not UTF-8.
    #[error("input is not UTF-8 (invalid byte at offset {valid_up_to})")]
    NotUtf8 {
        /// The length of the valid prefix.
        valid_up_to: usize,
    },
    /// The text is not JSON, or has more after the value.
    #[error("input is not valid JSON: {message}")]
    Syntax {
        /// serde_json's description, with the line and column (which may quote the text).
        message: String,
        /// The line (from 1) of the error, 0 when it is not at a place in the text.
        line: usize,
        /// The column (from 1) of the error on that line.
        column: usize,
    },
    /// An object has the same key twice.
    #[error("input has the key {key} twice in one object, at line {line} column {column}")]
    DuplicateKey {
        /// The key as a JSON string (quoted and escaped), cut after [`SHOWN_KEY_CHARS`]
        /// characters.
        key: String,
        /// The line (from 1) where it came again.
        line: usize,
        /// The column (from 1) where the repeated key ends on that line.
        column: usize,
    },
    /// The value is JSON, but not an object.
    #[error("input must be a JSON object, not {found}")]
    NotObject {
        /// What it is instead: `null`, `a boolean`, `a number`, `a string` or `an array`.
        found: &'static str,
    },
}

/// Parses `bytes` as one JSON object, refusing non-UTF-8, trailing data and a key repeated in
/// any object at any depth.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, JsonError> {
    match parse_value(bytes)? {
        Value::Object(map) => Ok(map),
        other => Err(JsonError::NotObject {
            found: kind(&other),
        }),
    }
}

/// Parses `bytes` as one JSON value of any kind, with the checks of [`parse_object`].
pub fn parse_value(bytes: &[u8]) -> Result<Value, JsonError> {
    let text = std::str::from_utf8(bytes).map_err(|e| JsonError::NotUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    let repeat = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Strict { repeat: &repeat }
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    read.map_err(|e| match repeat.into_inner() {
        Some(key) => JsonError::DuplicateKey {
            key: shown_key(&key),
            line: e.line(),
            column: e.column(),
        },
        None => JsonError::Syntax {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        },
    })
}

/// What a JSON value is, as an error names it.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a [`Value`] as serde_json's own visitor does, but fails on a repeated key, which it
/// leaves in `repeat` for the error.
#[derive(Clone, Copy)]
struct Strict<'a> {
    repeat: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // JSON text has no NaN or infinity, and serde_json refuses a number out of range, so
        // this holds for every text; the check keeps it so for any other deserializer.
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                *self.repeat.borrow_mut() = Some(key);
                return Err(de::Error::custom("a key is repeated"));
            }
            let v = map.next_value_seed(self)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// A key as an error shows it: a JSON string, cut after [`SHOWN_KEY_CHARS`] characters.
fn shown_key(key: &str) -> String {
    match key.char_indices().nth(SHOWN_KEY_CHARS) {
        Some((at, _)) => format!("{}…", Value::from(&key[..at])),
        None => Value::from(key).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_and_keeps_every_value() {
        let map = parse_object(br#"{"a":[1,{"b":null}],"c":-1.5,"d":"x","e":true}"#).unwrap();
        assert_eq!(map["a"][1]["b"], Value::Null);
        assert_eq!(map["c"], -1.5);
        assert_eq!(map["d"], "x");
        assert_eq!(map["e"], true);
        // The same key in different objects is no repeat.
        let map = parse_object(br#"{"a":{"k":1},"b":{"k":2},"k":[{"k":3}]}"#).unwrap();
        assert_eq!(map["k"][0]["k"], 3);
        assert_eq!(parse_value(b" [1, 2] ").unwrap(), serde_json::json!([1, 2]));
    }

    #[test]
    fn refuses_repeated_keys_at_any_depth() {
        for (text, key) in [
            (r#"{"a":1,"a":2}"#, r#""a""#),
            (r#"{"a":1,"b":{"c":1,"c":2}}"#, r#""c""#),
            (r#"{"a":[{"x":1},{"y":1,"y":1}]}"#, r#""y""#),
            // Escapes that spell the same key are the same key.
            (r#"{"a":1,"\u0061":2}"#, r#""a""#),
        ] {
            let err = parse_object(text.as_bytes()).unwrap_err();
            let JsonError::DuplicateKey {
                key: shown, line, ..
            } = &err
            else {
                panic!("{text}: {err:?}");
            };
            assert_eq!((shown.as_str(), *line), (key, 1), "{text}");
            let shown = format!("input has the key {key} twice in one object, at line 1 column");
            assert!(err.to_string().starts_with(&shown), "{err}");
        }
    }

    #[test]
    fn the_place_of_a_repeat_is_told() {
        let err = parse_object(b"{\n  \"a\": 1,\n  \"a\": 2\n}").unwrap_err();
        assert_eq!(
            err,
            JsonError::DuplicateKey {
                key: r#""a""#.into(),
                line: 3,
                column: 5
            }
        );
        // A key that holds the words of the message is still read back whole.
        let text = r#"{"k at line 1 column 2":1,"k at line 1 column 2":2}"#;
        let JsonError::DuplicateKey { key, .. } = parse_object(text.as_bytes()).unwrap_err() else {
            panic!()
        };
        assert_eq!(key, r#""k at line 1 column 2""#);
    }

    #[test]
    fn a_long_repeated_key_is_cut() {
        let key = "é".repeat(1000);
        let text = format!(r#"{{"{key}":1,"{key}":2}}"#);
        let err = parse_object(text.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("{:?}…", "é".repeat(SHOWN_KEY_CHARS))),
            "{err}"
        );
        assert!(err.len() < 300, "{err}");
        // The key is shown as JSON writes it: an escape stays an escape.
        let text = r#"{"a\u001b\"":1,"a\u001b\"":2}"#;
        let err = parse_object(text.as_bytes()).unwrap_err();
        let JsonError::DuplicateKey { key, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(key, r#""a\u001b\"""#);
    }

    #[test]
    fn other_bad_input_has_its_own_error() {
        assert_eq!(
            parse_object(b"[1]"),
            Err(JsonError::NotObject { found: "an array" })
        );
        assert_eq!(
            parse_object(b"null"),
            Err(JsonError::NotObject { found: "null" })
        );
        assert_eq!(
            parse_object(b"{\"a\":1}\xff"),
            Err(JsonError::NotUtf8 { valid_up_to: 7 })
        );
        for bad in [
            &b"{} x"[..],
            b"",
            b"{",
            b"{\"a\":NaN}",
            b"{\"a\":1e999}",
            b"{\"a\":01}",
        ] {
            assert!(
                matches!(parse_object(bad), Err(JsonError::Syntax { .. })),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        // Nesting past serde_json's limit is an error, not a stack overflow.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            parse_value(deep.as_bytes()),
            Err(JsonError::Syntax { .. })
        ));
    }
}
