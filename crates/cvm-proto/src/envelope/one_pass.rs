//! One pass over an ordinary successful reply, `{"Response": {..., "RequestId": "..."}}`: the
//! typed output is read while `RequestId` is picked out of the same object on the way.
//!
//! It only ever accepts; anything out of the ordinary (an `Error` member, a legacy envelope, a
//! second `Response`, a missing or repeated `RequestId`, any parse error) makes it hand the body
//! to the two-pass path, which decides it exactly as before. So an answer from here is always the
//! answer the two-pass path would give.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IgnoredAny, IntoDeserializer};
use serde::de::{MapAccess, Visitor};
use serde::Deserializer;

use super::Reply;

/// The reason given inside the parser when this path hands the body over; never shown.
const HAND_OVER: &str = "left to the two-pass path";

/// The typed reply in one pass, or `None` when the two-pass path must decide.
pub(super) fn parse_success<T: DeserializeOwned>(text: &str) -> Option<Reply<T>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let reply = (&mut de).deserialize_map(Top(PhantomData)).ok()?;
    de.end().ok()?;
    Some(reply)
}

fn hand_over<E: de::Error>() -> E {
    E::custom(HAND_OVER)
}

/// The top level: exactly one member, `Response`.
struct Top<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for Top<T> {
    type Value = Reply<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with a Response member")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Reply<T>, A::Error> {
        if map.next_key_seed(IsResponse)? != Some(true) {
            return Err(hand_over());
        }
        let reply = map.next_value_seed(Response(PhantomData))?;
        if map.next_key::<IgnoredAny>()?.is_some() {
            return Err(hand_over());
        }
        Ok(reply)
    }
}

/// Reads a key and says whether it is `Response`, without allocating.
struct IsResponse;

impl<'de> DeserializeSeed<'de> for IsResponse {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for IsResponse {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == "Response")
    }
}

/// The `Response` object: `T` reads it through [`Snoop`], which keeps the `RequestId`.
struct Response<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Response<T> {
    type Value = Reply<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Reply<T>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Response<T> {
    type Value = Reply<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the Response object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Reply<T>, A::Error> {
        let mut snoop = Snoop {
            map,
            key: Key::Other,
            request_id: None,
        };
        let output = T::deserialize(SnoopDeserializer(&mut snoop))?;
        let request_id = snoop.request_id.ok_or_else(hand_over)?;
        Ok(Reply { output, request_id })
    }
}

/// What the key just read was.
#[derive(Clone, Copy)]
enum Key {
    RequestId,
    Other,
}

/// The `Response` object's entries as `T` sees them (all of them, `RequestId` included), with
/// the `RequestId` kept on the way and an `Error` member refused.
struct Snoop<A> {
    map: A,
    key: Key,
    request_id: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Snoop<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(KeySeed {
            seed,
            key: &mut self.key,
        })
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.key {
            Key::Other => self.map.next_value_seed(seed),
            Key::RequestId => {
                if self.request_id.is_some() {
                    return Err(hand_over());
                }
                let id: String = self.map.next_value()?;
                let value = seed.deserialize(id.as_str().into_deserializer())?;
                self.request_id = Some(id);
                Ok(value)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Hands `T` the snooped map, whatever it asks for.
struct SnoopDeserializer<'a, A>(&'a mut Snoop<A>);

impl<'de, A: MapAccess<'de>> Deserializer<'de> for SnoopDeserializer<'_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Reads a key of `Response`, notes whether it is `RequestId`, refuses `Error`, and gives it to
/// `T`'s own key reader.
struct KeySeed<'a, K> {
    seed: K,
    key: &'a mut Key,
}

impl<'a, K> KeySeed<'a, K> {
    fn classify<E: de::Error>(&mut self, key: &str) -> Result<(), E> {
        *self.key = match key {
            "Error" => return Err(hand_over()),
            key if super::is_request_id(key) => Key::RequestId,
            _ => Key::Other,
        };
        Ok(())
    }
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, K> {
    type Value = K::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for KeySeed<'_, K> {
    type Value = K::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(mut self, v: &'de str) -> Result<K::Value, E> {
        self.classify(v)?;
        self.seed.deserialize(BorrowedStrDeserializer::new(v))
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<K::Value, E> {
        self.classify(v)?;
        self.seed.deserialize(v.into_deserializer())
    }
}
