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
//! [`from_params`] reads flat parameters back into any `Deserialize` type, as the local emulator
//! does with incoming requests. Values arrive as strings and are parsed as the type asks:
//! booleans accept `true`, `True`, `TRUE` and the `false` forms; list indices must run `0..n`
//! without gaps or leading zeros. Every error names the full flat key it is about.

use std::fmt::{self, Display, Write as _};

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde::ser::{self, Serialize};
use thiserror::Error;

use crate::params::{check_key, is_sensitive, KeyError, Params, ParamsError, REDACTED};

/// The largest number of `.`-separated segments a flattened key may have.
pub const MAX_DEPTH: usize = 32;

/// How many values may be nested inside one another while serializing, wrappers such as
/// `Option` and newtypes included; it bounds recursion for values that nest without adding keys.
const MAX_NEST: usize = 8 * MAX_DEPTH;

/// How many characters of an offending value an [`UnflattenError::InvalidValue`] shows.
const SHOWN_CHARS: usize = 64;

/// What an error shows in place of a value made of nested parameters.
const NESTED: &str = "(nested parameters)";

// ---------------------------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------------------------

/// Why a value could not be flattened into parameters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FlattenError {
    /// The top-level value is not a struct, a map, or an `Option` of one.
    #[error("only a struct or a map can be flattened into parameters, not {found}")]
    NotAnObject {
        /// What was found instead, such as "a list" or "a string".
        found: &'static str,
    },
    /// A float is NaN or infinite.
    #[error("parameter {key:?} is not a finite number")]
    NonFinite {
        /// The flat key of the float.
        key: String,
    },
    /// A key holds a character that cannot be sent or signed.
    #[error("parameter key {key:?} is malformed: {source}")]
    BadKey {
        /// The flat key.
        key: String,
        /// What is wrong with it.
        source: KeyError,
    },
    /// A field name or map key is empty, or starts or ends with `.`, or holds `..`.
    #[error("parameter key {key:?} has an empty segment")]
    EmptySegment {
        /// The flat key, up to and including the offending segment.
        key: String,
    },
    /// Two values give the same key, or the key is already in the target set.
    #[error("parameter {key:?} is produced twice")]
    Duplicate {
        /// The repeated key.
        key: String,
    },
    /// The value nests more than [`MAX_DEPTH`] levels deep.
    #[error("parameter {key:?} is nested too deeply (at most {MAX_DEPTH} segments)")]
    TooDeep {
        /// The flat key where the limit was passed.
        key: String,
    },
    /// The value holds something that has no flat form, such as bytes or a float map key.
    #[error("parameter {key:?}: {what} cannot be flattened")]
    Unsupported {
        /// The flat key where it was found.
        key: String,
        /// What it is.
        what: &'static str,
    },
    /// A `Serialize` implementation reported an error of its own.
    #[error("parameter {key:?}: {message}")]
    Custom {
        /// The flat key being written when it happened.
        key: String,
        /// The implementation's message.
        message: String,
    },
}

impl ser::Error for FlattenError {
    fn custom<T: Display>(msg: T) -> Self {
        FlattenError::Custom {
            key: String::new(),
            message: msg.to_string(),
        }
    }
}

/// Flattens `value`, a struct or map (or an `Option` of one), into a new parameter set.
pub fn to_params<T: Serialize + ?Sized>(value: &T) -> Result<Params, FlattenError> {
    let mut params = Params::new();
    flatten_into(value, &mut params)?;
    Ok(params)
}

/// Flattens `value` into an existing set; a key already present is a [`FlattenError::Duplicate`].
///
/// On error `params` is left unchanged.
pub fn flatten_into<T: Serialize + ?Sized>(
    value: &T,
    params: &mut Params,
) -> Result<(), FlattenError> {
    if params.is_empty() {
        // Nothing to collide with: write into the set directly (using its room), and empty it
        // again on failure.
        let mut out = std::mem::take(params);
        out.clear();
        let mut flattener = Flattener::with_output(out);
        let result = flattener.run(value);
        *params = flattener.out;
        return result.inspect_err(|_| params.clear());
    }
    let mut flattener = Flattener::new();
    flattener.run(value)?;
    let flat = flattener.out;
    // Check everything first, so that a failure leaves `params` as it was.
    if let Some((key, _)) = flat.iter().find(|(key, _)| params.contains(key)) {
        return Err(FlattenError::Duplicate {
            key: key.to_owned(),
        });
    }
    for (key, value) in &flat {
        params.insert_str(key, value).map_err(|e| match e {
            ParamsError::Duplicate(key) => FlattenError::Duplicate { key },
            ParamsError::Key(source) => FlattenError::BadKey {
                key: key.to_owned(),
                source,
            },
        })?;
    }
    Ok(())
}

/// Writes the decimal digits of `n` into `buf` and returns them.
fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut used = 0;
    for slot in buf.iter_mut().rev() {
        // `n % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        used += 1;
        if n == 0 {
            break;
        }
    }
    let start = buf.len().saturating_sub(used);
    buf.get(start..).unwrap_or_default()
}

/// The decimal form of `n`, written into `buf`.
pub(crate) fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    // Digits are ASCII.
    std::str::from_utf8(digits(n, buf)).unwrap_or_default()
}

/// Appends the decimal form of `n` to `out`.
fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    out.extend(digits(n, &mut buf).iter().map(|&b| char::from(b)));
}

/// Where the key stood before a segment was pushed: its length and depth.
#[derive(Debug, Clone, Copy)]
struct Mark {
    len: usize,
    depth: usize,
}

/// The serializer state: one key buffer reused for every key, and the parameters produced so
/// far, unsorted until the end.
struct Flattener {
    key: String,
    out: Params,
    depth: usize,
    nest: usize,
}

impl Flattener {
    fn new() -> Self {
        Self::with_output(Params::new())
    }

    /// A flattener that adds to `out`, which must hold no parameters.
    fn with_output(out: Params) -> Self {
        Self {
            key: String::with_capacity(64),
            out,
            depth: 0,
            nest: 0,
        }
    }

    /// Serializes `value`, then sorts the parameters and checks their keys.
    fn run<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.nested(value)?;
        self.out.sort();
        let keys = || self.out.iter().map(|(key, _)| key);
        if let Some(key) = keys()
            .zip(keys().skip(1))
            .find_map(|(a, b)| (a == b).then_some(a))
        {
            return Err(FlattenError::Duplicate {
                key: key.to_owned(),
            });
        }
        for key in keys() {
            check_key(key).map_err(|source| FlattenError::BadKey {
                key: key.to_owned(),
                source,
            })?;
        }
        Ok(())
    }

    fn key(&self) -> &str {
        &self.key
    }

    fn mark(&self) -> Mark {
        Mark {
            len: self.key.len(),
            depth: self.depth,
        }
    }

    fn reset(&mut self, mark: Mark) {
        self.key.truncate(mark.len);
        self.depth = mark.depth;
    }

    /// Appends `.name` (or `name` at the top) to the key.
    fn push_name(&mut self, name: &str) -> Result<Mark, FlattenError> {
        let mark = self.append_segment(|key| key.push_str(name));
        let mut segments = 1;
        if name.as_bytes().contains(&b'.') {
            if name.split('.').any(str::is_empty) {
                return Err(self.fail(mark, |key| FlattenError::EmptySegment { key }));
            }
            segments = name.split('.').count();
        } else if name.is_empty() {
            return Err(self.fail(mark, |key| FlattenError::EmptySegment { key }));
        }
        self.enter(mark, segments)
    }

    /// Appends `.` and a segment written by `write` to the key.
    fn push_with(&mut self, write: impl FnOnce(&mut String)) -> Result<Mark, FlattenError> {
        let mark = self.append_segment(write);
        self.enter(mark, 1)
    }

    /// Appends `.` (unless at the top) and what `write` writes to the key, returning the mark
    /// of the key before.
    fn append_segment(&mut self, write: impl FnOnce(&mut String)) -> Mark {
        let mark = self.mark();
        if mark.len > 0 {
            self.key.push('.');
        }
        write(&mut self.key);
        mark
    }

    fn enter(&mut self, mark: Mark, segments: usize) -> Result<Mark, FlattenError> {
        self.depth += segments;
        if self.depth > MAX_DEPTH {
            return Err(self.fail(mark, |key| FlattenError::TooDeep { key }));
        }
        Ok(mark)
    }

    /// Builds an error naming the current key, then restores the key to `mark`.
    fn fail(&mut self, mark: Mark, make: impl FnOnce(String) -> FlattenError) -> FlattenError {
        let error = make(self.key().to_owned());
        self.reset(mark);
        error
    }

    /// Serializes a value nested in the current one, naming the key in its custom errors.
    fn nested<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        if self.nest >= MAX_NEST {
            return Err(FlattenError::TooDeep {
                key: self.key().to_owned(),
            });
        }
        self.nest += 1;
        let result = value.serialize(&mut *self);
        self.nest -= 1;
        result.map_err(|e| match e {
            FlattenError::Custom { key, message } if key.is_empty() => FlattenError::Custom {
                key: self.key().to_owned(),
                message,
            },
            other => other,
        })
    }

    /// Fails with `NotAnObject` when at the top level, where only objects are allowed.
    fn not_top(&self, found: &'static str) -> Result<(), FlattenError> {
        if self.key().is_empty() {
            Err(FlattenError::NotAnObject { found })
        } else {
            Ok(())
        }
    }

    /// Writes a parameter: the current key, with the value that `write` appends.
    fn emit(
        &mut self,
        found: &'static str,
        write: impl FnOnce(&mut String),
    ) -> Result<(), FlattenError> {
        self.not_top(found)?;
        self.out.push_with(&self.key, write);
        Ok(())
    }

    /// Writes a float, which must be finite, in its `Display` form (which is the shortest that
    /// reads back exactly and never has an exponent), with `0` for both zeros.
    fn emit_float(
        &mut self,
        finite: bool,
        v: impl Display + Copy,
        zero: bool,
    ) -> Result<(), FlattenError> {
        self.not_top("a number")?;
        if !finite {
            return Err(FlattenError::NonFinite {
                key: self.key().to_owned(),
            });
        }
        self.emit("a number", |out| {
            if zero {
                out.push('0');
            } else {
                let _ = write!(out, "{v}");
            }
        })
    }

    fn emit_int(&mut self, negative: bool, magnitude: u64) -> Result<(), FlattenError> {
        self.emit("an integer", |out| {
            if negative {
                out.push('-');
            }
            push_u64(out, magnitude);
        })
    }

    fn compound(&mut self, restore: Mark) -> Compound<'_> {
        Compound {
            f: self,
            restore,
            index: 0,
            key: None,
        }
    }
}

impl<'a> ser::Serializer for &'a mut Flattener {
    type Ok = ();
    type Error = FlattenError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), FlattenError> {
        self.emit("a boolean", |out| {
            out.push_str(if v { "true" } else { "false" })
        })
    }

    fn serialize_i8(self, v: i8) -> Result<(), FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<(), FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<(), FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<(), FlattenError> {
        self.emit_int(v < 0, v.unsigned_abs())
    }

    fn serialize_i128(self, v: i128) -> Result<(), FlattenError> {
        self.emit("an integer", |out| {
            let _ = write!(out, "{v}");
        })
    }

    fn serialize_u8(self, v: u8) -> Result<(), FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<(), FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<(), FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<(), FlattenError> {
        self.emit_int(false, v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), FlattenError> {
        self.emit("an integer", |out| {
            let _ = write!(out, "{v}");
        })
    }

    fn serialize_f32(self, v: f32) -> Result<(), FlattenError> {
        self.emit_float(v.is_finite(), v, v == 0.0)
    }

    fn serialize_f64(self, v: f64) -> Result<(), FlattenError> {
        self.emit_float(v.is_finite(), v, v == 0.0)
    }

    fn serialize_char(self, v: char) -> Result<(), FlattenError> {
        self.emit("a character", |out| out.push(v))
    }

    fn serialize_str(self, v: &str) -> Result<(), FlattenError> {
        self.emit("a string", |out| out.push_str(v))
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), FlattenError> {
        self.not_top("bytes")?;
        Err(FlattenError::Unsupported {
            key: self.key().to_owned(),
            what: "a byte string",
        })
    }

    fn serialize_none(self) -> Result<(), FlattenError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FlattenError> {
        self.nested(value)
    }

    fn serialize_unit(self) -> Result<(), FlattenError> {
        self.not_top("unit")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), FlattenError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), FlattenError> {
        self.emit("an enum variant", |out| out.push_str(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        self.nested(value)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        let mark = self.push_name(variant)?;
        let result = self.nested(value);
        self.reset(mark);
        result
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, FlattenError> {
        self.not_top("a list")?;
        let mark = self.mark();
        Ok(self.compound(mark))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, FlattenError> {
        self.not_top("a tuple")?;
        let mark = self.mark();
        Ok(self.compound(mark))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlattenError> {
        self.not_top("a tuple struct")?;
        let mark = self.mark();
        Ok(self.compound(mark))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlattenError> {
        let mark = self.push_name(variant)?;
        Ok(self.compound(mark))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, FlattenError> {
        let mark = self.mark();
        Ok(self.compound(mark))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlattenError> {
        let mark = self.mark();
        Ok(self.compound(mark))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlattenError> {
        let mark = self.push_name(variant)?;
        Ok(self.compound(mark))
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<(), FlattenError> {
        self.emit("a string", |out| {
            let _ = write!(out, "{value}");
        })
    }
}

/// A list, tuple, map or struct being serialized.
struct Compound<'a> {
    f: &'a mut Flattener,
    /// Where the key returns to at the end (before the variant name, for enum variants).
    restore: Mark,
    /// The index of the next list element.
    index: u64,
    /// The mark of the map key waiting for its value.
    key: Option<Mark>,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        let index = self.index;
        let mark = self.f.push_with(|key| push_u64(key, index))?;
        self.index += 1;
        let result = self.f.nested(value);
        self.f.reset(mark);
        result
    }

    fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), FlattenError> {
        let mark = self.f.push_name(name)?;
        let result = self.f.nested(value);
        self.f.reset(mark);
        result
    }

    fn finish(self) -> Result<(), FlattenError> {
        self.f.reset(self.restore);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.element(value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.element(value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.element(value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.element(value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FlattenError> {
        if let Some(mark) = self.key.take() {
            self.f.reset(mark);
        }
        let mark = key.serialize(MapKey { f: &mut *self.f })?;
        self.key = Some(mark);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        match self.key.take() {
            Some(mark) => {
                let result = self.f.nested(value);
                self.f.reset(mark);
                result
            }
            None => Err(FlattenError::Custom {
                key: self.f.key().to_owned(),
                message: "a map value came without its key".to_owned(),
            }),
        }
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = FlattenError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), FlattenError> {
        self.finish()
    }
}

/// Serializes a map key as one key segment pushed onto the key buffer.
struct MapKey<'a> {
    f: &'a mut Flattener,
}

impl MapKey<'_> {
    fn error(&self) -> FlattenError {
        FlattenError::Unsupported {
            key: self.f.key().to_owned(),
            what: "a map key that is not a string, a character, an integer or a unit variant",
        }
    }

    fn unsupported(self) -> Result<Mark, FlattenError> {
        Err(self.error())
    }

    fn int(self, negative: bool, magnitude: u64) -> Result<Mark, FlattenError> {
        self.f.push_with(|key| {
            if negative {
                key.push('-');
            }
            push_u64(key, magnitude);
        })
    }
}

type NoCompound = ser::Impossible<Mark, FlattenError>;

impl ser::Serializer for MapKey<'_> {
    type Ok = Mark;
    type Error = FlattenError;
    type SerializeSeq = NoCompound;
    type SerializeTuple = NoCompound;
    type SerializeTupleStruct = NoCompound;
    type SerializeTupleVariant = NoCompound;
    type SerializeMap = NoCompound;
    type SerializeStruct = NoCompound;
    type SerializeStructVariant = NoCompound;

    fn serialize_bool(self, _v: bool) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_i8(self, v: i8) -> Result<Mark, FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<Mark, FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<Mark, FlattenError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<Mark, FlattenError> {
        self.int(v < 0, v.unsigned_abs())
    }

    fn serialize_i128(self, v: i128) -> Result<Mark, FlattenError> {
        self.f.push_with(|key| {
            let _ = write!(key, "{v}");
        })
    }

    fn serialize_u8(self, v: u8) -> Result<Mark, FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<Mark, FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<Mark, FlattenError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<Mark, FlattenError> {
        self.int(false, v)
    }

    fn serialize_u128(self, v: u128) -> Result<Mark, FlattenError> {
        self.f.push_with(|key| {
            let _ = write!(key, "{v}");
        })
    }

    fn serialize_f32(self, _v: f32) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_f64(self, _v: f64) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_char(self, v: char) -> Result<Mark, FlattenError> {
        let mut buf = [0u8; 4];
        self.f.push_name(v.encode_utf8(&mut buf))
    }

    fn serialize_str(self, v: &str) -> Result<Mark, FlattenError> {
        self.f.push_name(v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_none(self) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_unit(self) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Mark, FlattenError> {
        self.f.push_name(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Mark, FlattenError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Mark, FlattenError> {
        self.unsupported()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_tuple(self, _len: usize) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<NoCompound, FlattenError> {
        Err(self.error())
    }

    fn collect_str<T: Display + ?Sized>(self, value: &T) -> Result<Mark, FlattenError> {
        self.f.push_name(&value.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Deserialization
// ---------------------------------------------------------------------------------------------

/// Why flat parameters could not be read into the requested type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UnflattenError {
    /// A key has a value of its own and also nested keys (`A=1` with `A.B=2`).
    #[error("parameter {key:?} has a value and also nested parameters")]
    LeafAndParent {
        /// The key that is both.
        key: String,
    },
    /// A key starts or ends with `.` or holds `..`.
    #[error("parameter key {key:?} has an empty segment")]
    EmptySegment {
        /// The offending key.
        key: String,
    },
    /// A key has more than [`MAX_DEPTH`] segments.
    #[error("parameter key {key:?} is nested too deeply (at most {MAX_DEPTH} segments)")]
    TooDeep {
        /// The offending key.
        key: String,
    },
    /// A list element's index is not a decimal number without leading zeros.
    #[error(
        "parameter {key:?} is not a list element: indices are 0, 1, 2, ... without leading zeros"
    )]
    BadIndex {
        /// The key of the element.
        key: String,
    },
    /// A list's indices do not run from 0 without gaps.
    #[error("list {key:?} has no element {missing}: indices must run 0, 1, 2, ... without gaps")]
    IndexGap {
        /// The key of the list.
        key: String,
        /// The first index that is missing.
        missing: usize,
    },
    /// A value does not have the requested type or form.
    #[error("parameter {key:?} is {value:?}, expected {expected}")]
    InvalidValue {
        /// The key of the value.
        key: String,
        /// What was expected.
        expected: &'static str,
        /// The value, cut to its first 64 characters, or redacted when the key names a secret.
        value: String,
    },
    /// A parameter that the target type does not know (it denies unknown fields).
    #[error("parameter {key:?} is unknown")]
    UnknownField {
        /// The full key.
        key: String,
    },
    /// A parameter that the target type requires is absent.
    #[error("parameter {key:?} is missing")]
    MissingField {
        /// The full key.
        key: String,
    },
    /// A `Deserialize` implementation reported an error of its own.
    #[error("parameter {key:?}: {message}")]
    Custom {
        /// The key being read when it happened.
        key: String,
        /// The implementation's message.
        message: String,
    },
}

impl de::Error for UnflattenError {
    fn custom<T: Display>(msg: T) -> Self {
        UnflattenError::Custom {
            key: String::new(),
            message: msg.to_string(),
        }
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        UnflattenError::UnknownField {
            key: field.to_owned(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        UnflattenError::MissingField {
            key: field.to_owned(),
        }
    }

    fn unknown_variant(variant: &str, _expected: &'static [&'static str]) -> Self {
        UnflattenError::InvalidValue {
            key: String::new(),
            expected: "one of the enum's variant names",
            value: shown("", variant),
        }
    }
}

/// Reads flat parameters into `T`, building nested values from the `.`-separated keys.
///
/// A top-level `Option` is `None` when there are no parameters at all.
pub fn from_params<T: DeserializeOwned>(params: &Params) -> Result<T, UnflattenError> {
    let root = build_tree(params)?;
    let mut path = String::new();
    T::deserialize(NodeDe {
        node: &root,
        path: &mut path,
    })
    .map_err(|e| e.at("").error)
}

/// A value in the tree of parameters: a raw value, or named children in byte order.
#[derive(Debug)]
enum Node<'a> {
    Leaf(&'a str),
    Branch(Vec<(&'a str, Node<'a>)>),
}

/// Builds the tree of `params`, rejecting empty segments, too deep keys and leaf-and-parent keys.
fn build_tree(params: &Params) -> Result<Node<'_>, UnflattenError> {
    let mut root: Vec<(&str, Node<'_>)> = Vec::new();
    for (key, value) in params.iter() {
        if key.split('.').count() > MAX_DEPTH {
            return Err(UnflattenError::TooDeep {
                key: key.to_owned(),
            });
        }
        let mut children = &mut root;
        let mut end = 0;
        let mut segments = key.split('.').peekable();
        while let Some(segment) = segments.next() {
            if segment.is_empty() {
                return Err(UnflattenError::EmptySegment {
                    key: key.to_owned(),
                });
            }
            end += segment.len();
            let prefix = || key.get(..end).unwrap_or(key).to_owned();
            let found =
                children.binary_search_by(|(name, _)| name.as_bytes().cmp(segment.as_bytes()));
            if segments.peek().is_none() {
                match found {
                    Ok(_) => return Err(UnflattenError::LeafAndParent { key: prefix() }),
                    Err(at) => children.insert(at, (segment, Node::Leaf(value))),
                }
                break;
            }
            let at = match found {
                Ok(at) => at,
                Err(at) => {
                    children.insert(at, (segment, Node::Branch(Vec::new())));
                    at
                }
            };
            children = match children.get_mut(at) {
                Some((_, Node::Branch(next))) => next,
                _ => return Err(UnflattenError::LeafAndParent { key: prefix() }),
            };
            end += 1;
        }
    }
    Ok(Node::Branch(root))
}

/// The first characters of `value` for an error message, or the redaction mark for a secret.
fn shown(key: &str, value: &str) -> String {
    if is_sensitive(key) {
        return REDACTED.to_owned();
    }
    match value.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}...", value.get(..cut).unwrap_or_default()),
        None => value.to_owned(),
    }
}

/// `path.name`, or `name` when `path` is empty.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn push_segment(path: &mut String, write: impl FnOnce(&mut String)) {
    if !path.is_empty() {
        path.push('.');
    }
    write(path);
}

/// The deserializer's error: an [`UnflattenError`] and whether its key is already filled in.
///
/// Errors made by `Deserialize` implementations do not know where they happened; the nearest
/// enclosing node fills in its key on the way out.
#[derive(Debug)]
struct DeError {
    error: UnflattenError,
    placed: bool,
}

impl DeError {
    fn placed(error: UnflattenError) -> Self {
        Self {
            error,
            placed: true,
        }
    }

    fn invalid(key: &str, expected: &'static str, value: &str) -> Self {
        Self::placed(UnflattenError::InvalidValue {
            key: key.to_owned(),
            expected,
            value: shown(key, value),
        })
    }

    /// Fills in the key of an error that does not know it yet.
    fn at(mut self, path: &str) -> Self {
        if self.placed {
            return self;
        }
        self.placed = true;
        match &mut self.error {
            UnflattenError::MissingField { key } => *key = join(path, key),
            UnflattenError::InvalidValue { key, value, .. } => {
                *key = path.to_owned();
                if is_sensitive(path) {
                    *value = REDACTED.to_owned();
                }
            }
            UnflattenError::LeafAndParent { key }
            | UnflattenError::EmptySegment { key }
            | UnflattenError::TooDeep { key }
            | UnflattenError::BadIndex { key }
            | UnflattenError::IndexGap { key, .. }
            | UnflattenError::UnknownField { key }
            | UnflattenError::Custom { key, .. } => *key = path.to_owned(),
        }
        self
    }
}

impl Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Display::fmt(&self.error, f)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: Display>(msg: T) -> Self {
        Self {
            error: de::Error::custom(msg),
            placed: false,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self {
            error: de::Error::unknown_field(field, expected),
            placed: false,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            error: de::Error::missing_field(field),
            placed: false,
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self {
            error: de::Error::unknown_variant(variant, expected),
            placed: false,
        }
    }
}

/// Why the children of a node are not a list.
enum IndexProblem<'a> {
    Bad(&'a str),
    Gap(usize),
}

/// Whether `name` is a list index in canonical form: `0`, or digits without a leading zero.
fn is_index(name: &str) -> bool {
    match name.as_bytes() {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The children of a node in index order, when their names are exactly `0..n`.
fn index_children<'a>(
    children: &'a [(&'a str, Node<'a>)],
) -> Result<Vec<Option<&'a Node<'a>>>, IndexProblem<'a>> {
    if let Some((name, _)) = children.iter().find(|(name, _)| !is_index(name)) {
        return Err(IndexProblem::Bad(name));
    }
    let mut slots = vec![None; children.len()];
    for (name, node) in children {
        // An index past the end leaves some slot below it empty: that is the gap reported.
        if let Some(slot) = name.parse::<usize>().ok().and_then(|i| slots.get_mut(i)) {
            *slot = Some(node);
        }
    }
    match slots.iter().position(Option::is_none) {
        Some(missing) => Err(IndexProblem::Gap(missing)),
        None => Ok(slots),
    }
}

/// Deserializes one node of the tree; `path` is its full key.
struct NodeDe<'a> {
    node: &'a Node<'a>,
    path: &'a mut String,
}

fn parse_int<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.starts_with('+') {
        None
    } else {
        s.parse().ok()
    }
}

fn parse_float<T: std::str::FromStr + Into<f64> + Copy>(s: &str) -> Option<T> {
    if s.starts_with('+') {
        return None;
    }
    s.parse::<T>().ok().filter(|v| (*v).into().is_finite())
}

macro_rules! deserialize_int {
    ($($method:ident $visit:ident $ty:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            const EXPECTED: &str = concat!("an integer (", stringify!($ty), ")");
            let s = self.leaf(EXPECTED)?;
            match parse_int::<$ty>(s) {
                Some(v) => visitor.$visit(v).map_err(|e: DeError| e.at(self.path)),
                None => Err(DeError::invalid(self.path, EXPECTED, s)),
            }
        }
    )*};
}

impl<'a> NodeDe<'a> {
    fn leaf(&self, expected: &'static str) -> Result<&'a str, DeError> {
        match self.node {
            Node::Leaf(s) => Ok(s),
            Node::Branch(_) => Err(DeError::invalid(self.path, expected, NESTED)),
        }
    }

    fn branch(&self, expected: &'static str) -> Result<&'a [(&'a str, Node<'a>)], DeError> {
        match self.node {
            Node::Branch(children) => Ok(children),
            Node::Leaf(s) => Err(DeError::invalid(self.path, expected, s)),
        }
    }

    fn reborrow(&mut self) -> NodeDe<'_> {
        NodeDe {
            node: self.node,
            path: &mut *self.path,
        }
    }

    fn list<'de, V: Visitor<'de>>(
        self,
        len: Option<usize>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let children = self.branch("a list")?;
        match index_children(children) {
            Ok(items) => self.visit_items(items, len, visitor),
            Err(IndexProblem::Bad(name)) => Err(DeError::placed(UnflattenError::BadIndex {
                key: join(self.path, name),
            })),
            Err(IndexProblem::Gap(missing)) => Err(DeError::placed(UnflattenError::IndexGap {
                key: self.path.clone(),
                missing,
            })),
        }
    }

    fn visit_items<'de, V: Visitor<'de>>(
        self,
        items: Vec<Option<&'a Node<'a>>>,
        len: Option<usize>,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let total = items.len();
        let base = self.path.len();
        let mut seq = Seq {
            items: items.into_iter(),
            index: 0,
            path: &mut *self.path,
            base,
        };
        let result = visitor.visit_seq(&mut seq);
        let left = seq.items.len();
        self.path.truncate(base);
        let value = result.map_err(|e: DeError| e.at(self.path))?;
        match len {
            Some(len) if left > 0 => Err(DeError::placed(UnflattenError::Custom {
                key: self.path.clone(),
                message: format!("expected a list of {len} elements, found {total}"),
            })),
            _ => Ok(value),
        }
    }

    fn visit_children<'de, V: Visitor<'de>>(
        self,
        children: &'a [(&'a str, Node<'a>)],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let base = self.path.len();
        let mut map = Map {
            children: children.iter(),
            value: None,
            path: &mut *self.path,
            base,
        };
        let result = visitor.visit_map(&mut map);
        self.path.truncate(base);
        result.map_err(|e: DeError| e.at(self.path))
    }
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node {
            Node::Leaf(s) => visitor.visit_str(s).map_err(|e: DeError| e.at(self.path)),
            Node::Branch(children) => match index_children(children) {
                Ok(items) if !items.is_empty() => self.visit_items(items, None, visitor),
                _ => self.visit_children(children, visitor),
            },
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        const EXPECTED: &str = "a boolean (true or false)";
        let s = self.leaf(EXPECTED)?;
        let v = match s {
            "true" | "True" | "TRUE" => true,
            "false" | "False" | "FALSE" => false,
            _ => return Err(DeError::invalid(self.path, EXPECTED, s)),
        };
        visitor.visit_bool(v).map_err(|e: DeError| e.at(self.path))
    }

    deserialize_int! {
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_i128 visit_i128 i128;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_u128 visit_u128 u128;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        const EXPECTED: &str = "a finite number (f32)";
        let s = self.leaf(EXPECTED)?;
        match parse_float::<f32>(s) {
            Some(v) => visitor.visit_f32(v).map_err(|e: DeError| e.at(self.path)),
            None => Err(DeError::invalid(self.path, EXPECTED, s)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        const EXPECTED: &str = "a finite number (f64)";
        let s = self.leaf(EXPECTED)?;
        match parse_float::<f64>(s) {
            Some(v) => visitor.visit_f64(v).map_err(|e: DeError| e.at(self.path)),
            None => Err(DeError::invalid(self.path, EXPECTED, s)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        const EXPECTED: &str = "a single character";
        let s = self.leaf(EXPECTED)?;
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c).map_err(|e: DeError| e.at(self.path)),
            _ => Err(DeError::invalid(self.path, EXPECTED, s)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let s = self.leaf("a string")?;
        visitor.visit_str(s).map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let s = self.leaf("a string")?;
        visitor
            .visit_bytes(s.as_bytes())
            .map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, DeError> {
        let result = match self.node {
            // Only the root can be an empty branch: no parameters at all.
            Node::Branch(children) if children.is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self.reborrow()),
        };
        result.map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit().map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let result = visitor.visit_newtype_struct(self.reborrow());
        result.map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.list(None, visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.list(Some(len), visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.list(Some(len), visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let children = self.branch("an object")?;
        self.visit_children(children, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let result = match self.node {
            Node::Leaf(name) => visitor.visit_enum(Variant {
                name,
                body: None,
                path: &mut *self.path,
            }),
            Node::Branch(children) => match children.as_slice() {
                [(name, body)] => visitor.visit_enum(Variant {
                    name,
                    body: Some(body),
                    path: &mut *self.path,
                }),
                _ => {
                    return Err(DeError::invalid(
                        self.path,
                        "an enum variant name, or one nested variant",
                        NESTED,
                    ))
                }
            },
        };
        result.map_err(|e: DeError| e.at(self.path))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit().map_err(|e: DeError| e.at(self.path))
    }
}

/// The elements of a list, in index order.
struct Seq<'a> {
    items: std::vec::IntoIter<Option<&'a Node<'a>>>,
    index: u64,
    path: &'a mut String,
    base: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'_> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
        let Some(Some(node)) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        self.path.truncate(self.base);
        push_segment(self.path, |path| push_u64(path, index));
        let result = seed
            .deserialize(NodeDe {
                node,
                path: &mut *self.path,
            })
            .map_err(|e| e.at(self.path));
        self.path.truncate(self.base);
        result.map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The children of an object, as keys and values.
struct Map<'a> {
    children: std::slice::Iter<'a, (&'a str, Node<'a>)>,
    value: Option<&'a Node<'a>>,
    path: &'a mut String,
    base: usize,
}

impl<'de> de::MapAccess<'de> for Map<'_> {
    type Error = DeError;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DeError> {
        let Some((name, node)) = self.children.next() else {
            return Ok(None);
        };
        self.path.truncate(self.base);
        push_segment(self.path, |path| path.push_str(name));
        self.value = Some(node);
        let key = Node::Leaf(name);
        seed.deserialize(NodeDe {
            node: &key,
            path: &mut *self.path,
        })
        .map(Some)
        .map_err(|e| e.at(self.path))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, DeError> {
        let Some(node) = self.value.take() else {
            return Err(de::Error::custom(
                "a map value was requested before its key",
            ));
        };
        let result = seed
            .deserialize(NodeDe {
                node,
                path: &mut *self.path,
            })
            .map_err(|e| e.at(self.path));
        self.path.truncate(self.base);
        result
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.children.len())
    }
}

/// An enum: a variant name given as a value (`Key=Variant`), or as the only child of the
/// enum's key with the variant's content below it (`Key.Variant...`).
struct Variant<'a> {
    name: &'a str,
    body: Option<&'a Node<'a>>,
    path: &'a mut String,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = DeError;
    type Variant = VariantBody<'a>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, VariantBody<'a>), DeError> {
        let base = self.path.len();
        if self.body.is_some() {
            push_segment(self.path, |path| path.push_str(self.name));
        }
        let name = Node::Leaf(self.name);
        let value = seed
            .deserialize(NodeDe {
                node: &name,
                path: &mut *self.path,
            })
            .map_err(|e| e.at(self.path))?;
        Ok((
            value,
            VariantBody {
                name: self.name,
                body: self.body,
                path: self.path,
                base,
            },
        ))
    }
}

/// The content of an enum variant; `path` ends with the variant name when there is a body.
struct VariantBody<'a> {
    name: &'a str,
    body: Option<&'a Node<'a>>,
    path: &'a mut String,
    base: usize,
}

impl VariantBody<'_> {
    /// Deserializes the variant's body with `run`, or fails when the variant was a bare name.
    fn with_body<T>(
        self,
        run: impl FnOnce(NodeDe<'_>) -> Result<T, DeError>,
    ) -> Result<T, DeError> {
        let Some(node) = self.body else {
            return Err(DeError::invalid(
                self.path,
                "an enum variant with nested parameters",
                self.name,
            ));
        };
        let result = run(NodeDe {
            node,
            path: &mut *self.path,
        })
        .map_err(|e| e.at(self.path));
        self.path.truncate(self.base);
        result
    }
}

impl<'de> de::VariantAccess<'de> for VariantBody<'_> {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        match self.body {
            None => Ok(()),
            Some(node) => Err(DeError::invalid(
                self.path,
                "nothing below a unit variant",
                match node {
                    Node::Leaf(s) => s,
                    Node::Branch(_) => NESTED,
                },
            )),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, DeError> {
        self.with_body(|de| seed.deserialize(de))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, DeError> {
        self.with_body(|de| de::Deserializer::deserialize_tuple(de, len, visitor))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.with_body(|de| de::Deserializer::deserialize_struct(de, "", fields, visitor))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::{Deserialize, Serialize, Serializer};
    use serde_json::json;

    use super::*;

    fn pairs(params: &Params) -> Vec<(&str, &str)> {
        params.iter().collect()
    }

    fn flat<T: Serialize + ?Sized>(value: &T) -> Vec<(String, String)> {
        to_params(value).unwrap().into_pairs()
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().copied()).unwrap()
    }

    // --- the walkthrough's shapes -------------------------------------------------------------

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct Placement {
        zone: String,
        project_id: Option<i64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct Disk {
        disk_type: Option<String>,
        disk_size: Option<u64>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct InternetAccessible {
        internet_charge_type: Option<String>,
        internet_max_bandwidth_out: Option<u64>,
        public_ip_assigned: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct LoginSettings {
        password: Option<String>,
        #[serde(default)]
        key_ids: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct Enabled {
        enabled: Option<bool>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct EnhancedService {
        security_service: Option<Enabled>,
        monitor_service: Option<Enabled>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct RunInstances {
        instance_charge_type: Option<String>,
        placement: Option<Placement>,
        instance_type: Option<String>,
        image_id: Option<String>,
        system_disk: Option<Disk>,
        #[serde(default)]
        data_disks: Vec<Disk>,
        internet_accessible: Option<InternetAccessible>,
        instance_count: Option<i64>,
        instance_name: Option<String>,
        login_settings: Option<LoginSettings>,
        enhanced_service: Option<EnhancedService>,
        #[serde(default)]
        security_group_ids: Vec<String>,
        dry_run: Option<bool>,
    }

    fn run_instances() -> RunInstances {
        RunInstances {
            instance_charge_type: Some("POSTPAID_BY_HOUR".into()),
            placement: Some(Placement {
                zone: "ap-guangzhou-2".into(),
                project_id: None,
            }),
            instance_type: Some("S1.SMALL1".into()),
            image_id: Some("img-pmqg1cw7".into()),
            system_disk: Some(Disk {
                disk_type: Some("LOCAL_BASIC".into()),
                disk_size: Some(50),
            }),
            data_disks: vec![Disk {
                disk_type: Some("LOCAL_BASIC".into()),
                disk_size: Some(100),
            }],
            internet_accessible: Some(InternetAccessible {
                internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
                internet_max_bandwidth_out: Some(10),
                public_ip_assigned: Some(true),
            }),
            instance_count: Some(1),
            instance_name: Some("QCLOUD-TEST".into()),
            login_settings: Some(LoginSettings {
                password: Some("Qcloud@TestApi123++".into()),
                key_ids: vec![],
            }),
            enhanced_service: Some(EnhancedService {
                security_service: Some(Enabled {
                    enabled: Some(true),
                }),
                monitor_service: Some(Enabled {
                    enabled: Some(true),
                }),
            }),
            security_group_ids: vec![],
            dry_run: None,
        }
    }

    /// The request parameters of vector S2, with booleans written `true`.
    const RUN_INSTANCES: &[(&str, &str)] = &[
        ("DataDisks.0.DiskSize", "100"),
        ("DataDisks.0.DiskType", "LOCAL_BASIC"),
        ("EnhancedService.MonitorService.Enabled", "true"),
        ("EnhancedService.SecurityService.Enabled", "true"),
        ("ImageId", "img-pmqg1cw7"),
        ("InstanceChargeType", "POSTPAID_BY_HOUR"),
        ("InstanceCount", "1"),
        ("InstanceName", "QCLOUD-TEST"),
        ("InstanceType", "S1.SMALL1"),
        (
            "InternetAccessible.InternetChargeType",
            "TRAFFIC_POSTPAID_BY_HOUR",
        ),
        ("InternetAccessible.InternetMaxBandwidthOut", "10"),
        ("InternetAccessible.PublicIpAssigned", "true"),
        ("LoginSettings.Password", "Qcloud@TestApi123++"),
        ("Placement.Zone", "ap-guangzhou-2"),
        ("SystemDisk.DiskSize", "50"),
        ("SystemDisk.DiskType", "LOCAL_BASIC"),
    ];

    #[test]
    fn run_instances_flattens_like_vector_s2() {
        let p = to_params(&run_instances()).unwrap();
        assert_eq!(pairs(&p), RUN_INSTANCES);
    }

    #[test]
    fn run_instances_reads_back() {
        let p = params(RUN_INSTANCES);
        let back: RunInstances = from_params(&p).unwrap();
        assert_eq!(back, run_instances());
    }

    #[test]
    fn run_instances_reads_doc_and_python_booleans() {
        let mut p = params(RUN_INSTANCES);
        p.set("InternetAccessible.PublicIpAssigned", "TRUE")
            .unwrap();
        p.set("EnhancedService.MonitorService.Enabled", "True")
            .unwrap();
        p.set("EnhancedService.SecurityService.Enabled", "FALSE")
            .unwrap();
        let back: RunInstances = from_params(&p).unwrap();
        let enhanced = back.enhanced_service.unwrap();
        assert_eq!(enhanced.monitor_service.unwrap().enabled, Some(true));
        assert_eq!(enhanced.security_service.unwrap().enabled, Some(false));
        assert_eq!(
            back.internet_accessible.unwrap().public_ip_assigned,
            Some(true)
        );
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct Filter {
        name: String,
        #[serde(default)]
        values: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase", deny_unknown_fields)]
    struct DescribeInstances {
        #[serde(default)]
        instance_ids: Vec<String>,
        #[serde(default)]
        filters: Vec<Filter>,
        offset: Option<i64>,
        limit: Option<i64>,
    }

    #[test]
    fn s6_empty_list_omitted_and_empty_string_kept() {
        let req = DescribeInstances {
            instance_ids: vec![],
            filters: vec![Filter {
                name: "instance-name".into(),
                values: vec![String::new()],
            }],
            offset: Some(0),
            limit: None,
        };
        let p = to_params(&req).unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("Filters.0.Name", "instance-name"),
                ("Filters.0.Values.0", ""),
                ("Offset", "0"),
            ]
        );
        assert_eq!(from_params::<DescribeInstances>(&p).unwrap(), req);
    }

    #[test]
    fn nested_lists_are_indexed_from_zero() {
        let req = DescribeInstances {
            instance_ids: vec!["ins-a".into(), "ins-b".into()],
            filters: vec![
                Filter {
                    name: "zone".into(),
                    values: vec!["ap-guangzhou-1".into(), "ap-guangzhou-2".into()],
                },
                Filter {
                    name: "instance-state".into(),
                    values: vec![],
                },
            ],
            offset: None,
            limit: Some(20),
        };
        let p = to_params(&req).unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("Filters.0.Name", "zone"),
                ("Filters.0.Values.0", "ap-guangzhou-1"),
                ("Filters.0.Values.1", "ap-guangzhou-2"),
                ("Filters.1.Name", "instance-state"),
                ("InstanceIds.0", "ins-a"),
                ("InstanceIds.1", "ins-b"),
                ("Limit", "20"),
            ]
        );
        assert_eq!(from_params::<DescribeInstances>(&p).unwrap(), req);
    }

    #[test]
    fn lists_of_eleven_and_more_keep_numeric_order_on_reading() {
        let ids: Vec<String> = (0..12).map(|i| format!("ins-{i}")).collect();
        let req = DescribeInstances {
            instance_ids: ids.clone(),
            filters: vec![],
            offset: None,
            limit: None,
        };
        let p = to_params(&req).unwrap();
        assert_eq!(p.get("InstanceIds.11"), Some("ins-11"));
        assert_eq!(
            from_params::<DescribeInstances>(&p).unwrap().instance_ids,
            ids
        );
    }

    // --- serialization: scalars -----------------------------------------------------------------

    #[derive(Serialize)]
    struct One<T> {
        v: T,
    }

    fn one<T: Serialize>(v: T) -> Result<String, FlattenError> {
        let p = to_params(&One { v })?;
        Ok(p.get("v").unwrap().to_owned())
    }

    #[test]
    fn scalars_are_written_plainly() {
        assert_eq!(one(true).unwrap(), "true");
        assert_eq!(one(false).unwrap(), "false");
        assert_eq!(one(0u8).unwrap(), "0");
        assert_eq!(one(i8::MIN).unwrap(), "-128");
        assert_eq!(one(i64::MIN).unwrap(), "-9223372036854775808");
        assert_eq!(one(u64::MAX).unwrap(), "18446744073709551615");
        assert_eq!(one(i128::MIN).unwrap(), i128::MIN.to_string());
        assert_eq!(one(u128::MAX).unwrap(), u128::MAX.to_string());
        assert_eq!(one('x').unwrap(), "x");
        assert_eq!(one('测').unwrap(), "测");
        assert_eq!(one("").unwrap(), "");
        assert_eq!(one("a b&c=d").unwrap(), "a b&c=d");
        assert_eq!(one(String::from("s")).unwrap(), "s");
    }

    #[test]
    fn floats_are_shortest_decimal_without_exponent() {
        assert_eq!(one(1e20f64).unwrap(), "100000000000000000000");
        assert_eq!(one(1.5e-7f64).unwrap(), "0.00000015");
        assert_eq!(one(0.1f64).unwrap(), "0.1");
        assert_eq!(one(1.0f64).unwrap(), "1");
        assert_eq!(one(-2.5f64).unwrap(), "-2.5");
        assert_eq!(one(0.0f64).unwrap(), "0");
        assert_eq!(one(-0.0f64).unwrap(), "0");
        assert_eq!(one(0.1f32).unwrap(), "0.1");
        assert_eq!(one(3e10f32).unwrap(), "30000000000");
        let max = one(f64::MAX).unwrap();
        assert!(!max.contains(['e', 'E']));
        assert_eq!(max.parse::<f64>().unwrap(), f64::MAX);
        let tiny = one(5e-324f64).unwrap();
        assert!(tiny.starts_with("0.000"));
        assert_eq!(tiny.parse::<f64>().unwrap(), 5e-324);
    }

    #[test]
    fn non_finite_floats_are_errors() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(
                to_params(&One { v }),
                Err(FlattenError::NonFinite { key: "v".into() })
            );
        }
        assert_eq!(
            to_params(&Some(One { v: [1.0, f32::NAN] })),
            Err(FlattenError::NonFinite { key: "v.1".into() })
        );
        assert_eq!(
            to_params(&One { v: f32::INFINITY }),
            Err(FlattenError::NonFinite { key: "v".into() })
        );
    }

    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    enum StopType {
        #[serde(rename = "SOFT")]
        Soft,
        #[serde(rename = "HARD")]
        Hard,
        SoftFirst,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Id(String);

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Pair(u8, String);

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Shapes {
        stop_type: StopType,
        other: Option<StopType>,
        id: Id,
        pair: Pair,
        tuple: (bool, i32),
        letter: char,
        wrapped: Option<Option<u8>>,
    }

    #[test]
    fn enums_newtypes_and_tuples() {
        let v = Shapes {
            stop_type: StopType::Soft,
            other: Some(StopType::SoftFirst),
            id: Id("ins-1".into()),
            pair: Pair(7, "x".into()),
            tuple: (false, -3),
            letter: 'é',
            wrapped: Some(Some(4)),
        };
        let p = to_params(&v).unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("Id", "ins-1"),
                ("Letter", "é"),
                ("Other", "SoftFirst"),
                ("Pair.0", "7"),
                ("Pair.1", "x"),
                ("StopType", "SOFT"),
                ("Tuple.0", "false"),
                ("Tuple.1", "-3"),
                ("Wrapped", "4"),
            ]
        );
        assert_eq!(from_params::<Shapes>(&p).unwrap(), v);
        let hard = params(&[
            ("Id", "i"),
            ("Letter", "l"),
            ("Pair.0", "1"),
            ("Pair.1", ""),
            ("StopType", "HARD"),
            ("Tuple.0", "TRUE"),
            ("Tuple.1", "0"),
        ]);
        let back: Shapes = from_params(&hard).unwrap();
        assert_eq!(back.stop_type, StopType::Hard);
        assert_eq!(back.other, None);
        assert_eq!(back.wrapped, None);
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Empty {}

    #[derive(Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Omitted {
        none: Option<String>,
        unit: (),
        unit_struct: Unit,
        empty_list: Vec<u8>,
        empty_tuple_list: Vec<(u8, u8)>,
        empty_struct: Empty,
        empty_map: BTreeMap<String, String>,
        list_of_empties: Vec<Empty>,
        list_of_nones: Vec<Option<u8>>,
        null: serde_json::Value,
        kept: String,
    }

    #[test]
    fn nothing_is_written_for_none_unit_and_empty_containers() {
        let v = Omitted {
            none: None,
            unit: (),
            unit_struct: Unit,
            empty_list: vec![],
            empty_tuple_list: vec![],
            empty_struct: Empty {},
            empty_map: BTreeMap::new(),
            list_of_empties: vec![Empty {}, Empty {}],
            list_of_nones: vec![None, None],
            null: serde_json::Value::Null,
            kept: String::new(),
        };
        assert_eq!(flat(&v), owned(&[("Kept", "")]));
    }

    #[test]
    fn top_level_must_be_an_object() {
        let not = |found| Err(FlattenError::NotAnObject { found });
        assert_eq!(to_params(&1u8), not("an integer"));
        assert_eq!(to_params(&-1i64), not("an integer"));
        assert_eq!(to_params(&1u128), not("an integer"));
        assert_eq!(to_params(&1.5), not("a number"));
        assert_eq!(to_params(&f64::NAN), not("a number"));
        assert_eq!(to_params(&true), not("a boolean"));
        assert_eq!(to_params("s"), not("a string"));
        assert_eq!(to_params(&'c'), not("a character"));
        assert_eq!(to_params(&()), not("unit"));
        assert_eq!(to_params(&vec![1]), not("a list"));
        assert_eq!(to_params(&Vec::<u8>::new()), not("a list"));
        assert_eq!(to_params(&(1, 2)), not("a tuple"));
        assert_eq!(to_params(&Pair(1, "a".into())), not("a tuple struct"));
        assert_eq!(to_params(&StopType::Soft), not("an enum variant"));
        assert_eq!(to_params(&Id("x".into())), not("a string"));
        assert_eq!(to_params(&json!(null)), not("unit"));
        assert_eq!(to_params(&json!([1])), not("a list"));
        assert_eq!(to_params(&Some(3)), not("an integer"));
        assert_eq!(to_params(&Bytes), not("bytes"));
        assert_eq!(to_params(&format_args!("x")), not("a string"));
    }

    #[test]
    fn top_level_options_unit_structs_and_maps_are_fine() {
        assert!(to_params(&None::<Placement>).unwrap().is_empty());
        assert!(to_params(&Unit).unwrap().is_empty());
        assert!(to_params(&Empty {}).unwrap().is_empty());
        assert!(to_params(&json!({})).unwrap().is_empty());
        let some = Some(Placement {
            zone: "z".into(),
            project_id: Some(-1),
        });
        assert_eq!(flat(&some), owned(&[("ProjectId", "-1"), ("Zone", "z")]));
        let map: HashMap<&str, u8> = [("B", 2), ("A", 1)].into_iter().collect();
        assert_eq!(flat(&map), owned(&[("A", "1"), ("B", "2")]));
    }

    struct Bytes;

    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"ab")
        }
    }

    #[test]
    fn bytes_are_unsupported() {
        assert_eq!(
            to_params(&One { v: Bytes }),
            Err(FlattenError::Unsupported {
                key: "v".into(),
                what: "a byte string"
            })
        );
    }

    // --- serialization: enums with content ----------------------------------------------------

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Point,
        Circle(f64),
        Rect(u32, u32),
        Named { name: String, tags: Vec<String> },
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Drawing {
        shapes: Vec<Shape>,
        main: Shape,
    }

    #[test]
    fn enum_variants_with_content_are_externally_tagged() {
        let v = Drawing {
            shapes: vec![
                Shape::Point,
                Shape::Circle(0.5),
                Shape::Rect(2, 3),
                Shape::Named {
                    name: "n".into(),
                    tags: vec!["a".into()],
                },
            ],
            main: Shape::Circle(2.0),
        };
        let p = to_params(&v).unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("Main.Circle", "2"),
                ("Shapes.0", "Point"),
                ("Shapes.1.Circle", "0.5"),
                ("Shapes.2.Rect.0", "2"),
                ("Shapes.2.Rect.1", "3"),
                ("Shapes.3.Named.name", "n"),
                ("Shapes.3.Named.tags.0", "a"),
            ]
        );
        assert_eq!(from_params::<Drawing>(&p).unwrap(), v);
        // At the top level a variant with content is an object.
        assert_eq!(flat(&Shape::Circle(1.0)), owned(&[("Circle", "1")]));
        assert_eq!(
            to_params(&Shape::Point),
            Err(FlattenError::NotAnObject {
                found: "an enum variant"
            })
        );
    }

    #[test]
    fn enum_reading_errors() {
        let read = |pairs: &[(&str, &str)]| from_params::<Drawing>(&params(pairs)).unwrap_err();
        assert_eq!(
            read(&[("Main", "Circle")]),
            UnflattenError::InvalidValue {
                key: "Main".into(),
                expected: "an enum variant with nested parameters",
                value: "Circle".into()
            }
        );
        assert_eq!(
            read(&[("Main", "Square")]),
            UnflattenError::InvalidValue {
                key: "Main".into(),
                expected: "one of the enum's variant names",
                value: "Square".into()
            }
        );
        assert_eq!(
            read(&[("Main.Point", "x")]),
            UnflattenError::InvalidValue {
                key: "Main.Point".into(),
                expected: "nothing below a unit variant",
                value: "x".into()
            }
        );
        assert_eq!(
            read(&[("Main.Circle", "1"), ("Main.Rect.0", "1")]),
            UnflattenError::InvalidValue {
                key: "Main".into(),
                expected: "an enum variant name, or one nested variant",
                value: NESTED.into()
            }
        );
        assert_eq!(
            read(&[("Main.Circle", "big")]),
            UnflattenError::InvalidValue {
                key: "Main.Circle".into(),
                expected: "a finite number (f64)",
                value: "big".into()
            }
        );
        assert!(matches!(
            read(&[("Main.Rect.0", "1")]),
            UnflattenError::Custom { key, .. } if key == "Main.Rect"
        ));
        assert_eq!(
            read(&[
                ("Main.Rect.0", "1"),
                ("Main.Rect.1", "1"),
                ("Main.Rect.2", "1")
            ]),
            UnflattenError::Custom {
                key: "Main.Rect".into(),
                message: "expected a list of 2 elements, found 3".into()
            }
        );
        assert_eq!(
            read(&[("Main.Named.tags.0", "1")]),
            UnflattenError::MissingField {
                key: "Main.Named.name".into()
            }
        );
        assert_eq!(
            read(&[("Main.Sq", "1")]),
            UnflattenError::InvalidValue {
                key: "Main.Sq".into(),
                expected: "one of the enum's variant names",
                value: "Sq".into()
            }
        );
    }

    // --- serialization: keys ----------------------------------------------------------------------

    #[test]
    fn map_keys_may_be_strings_chars_integers_and_unit_variants() {
        let by_int: BTreeMap<i32, &str> = [(-1, "m"), (10, "t")].into_iter().collect();
        assert_eq!(
            flat(&One { v: by_int }),
            owned(&[("v.-1", "m"), ("v.10", "t")])
        );
        let by_u128: BTreeMap<u128, &str> = [(u128::MAX, "m")].into_iter().collect();
        let key = format!("v.{}", u128::MAX);
        assert_eq!(flat(&One { v: by_u128 }), owned(&[(key.as_str(), "m")]));
        let by_char: BTreeMap<char, u8> = [('a', 1), ('é', 2)].into_iter().collect();
        assert_eq!(flat(&by_char), owned(&[("a", "1"), ("é", "2")]));
        let by_newtype: BTreeMap<String, BTreeMap<u8, Id>> =
            [("K".to_owned(), [(3, Id("x".into()))].into_iter().collect())]
                .into_iter()
                .collect();
        assert_eq!(flat(&by_newtype), owned(&[("K.3", "x")]));
        let by_variant: BTreeMap<Kind, u8> = [(Kind::Big, 1)].into_iter().collect();
        assert_eq!(flat(&by_variant), owned(&[("BIG", "1")]));
        let back: BTreeMap<Kind, u8> = from_params(&params(&[("BIG", "1")])).unwrap();
        assert_eq!(back, by_variant);
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    enum Kind {
        #[serde(rename = "BIG")]
        Big,
    }

    #[test]
    fn other_map_keys_are_unsupported() {
        let what = "a map key that is not a string, a character, an integer or a unit variant";
        let by_bool: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
        assert_eq!(
            to_params(&One { v: by_bool }),
            Err(FlattenError::Unsupported {
                key: "v".into(),
                what
            })
        );
        let by_tuple: BTreeMap<(u8, u8), u8> = [((1, 2), 1)].into_iter().collect();
        assert_eq!(
            to_params(&by_tuple),
            Err(FlattenError::Unsupported {
                key: "".into(),
                what
            })
        );
        let by_option: BTreeMap<Option<u8>, u8> = [(Some(1), 1)].into_iter().collect();
        assert_eq!(
            to_params(&by_option),
            Err(FlattenError::Unsupported {
                key: "".into(),
                what
            })
        );
        let by_unit: BTreeMap<(), u8> = [((), 1)].into_iter().collect();
        assert_eq!(
            to_params(&by_unit),
            Err(FlattenError::Unsupported {
                key: "".into(),
                what
            })
        );
        let mut float_key = Params::new();
        let mut ser = Flattener::new();
        let err = ser::Serializer::serialize_f64(MapKey { f: &mut ser }, 1.0).unwrap_err();
        assert_eq!(
            err,
            FlattenError::Unsupported {
                key: "".into(),
                what
            }
        );
        assert!(flatten_into(&json!({}), &mut float_key).is_ok());
    }

    #[test]
    fn empty_segments_are_errors() {
        let empty = |key: &str| Err(FlattenError::EmptySegment { key: key.into() });
        let map = |k: &str| -> BTreeMap<String, u8> { [(k.to_owned(), 1)].into_iter().collect() };
        assert_eq!(to_params(&One { v: map("") }), empty("v."));
        assert_eq!(to_params(&map("")), empty(""));
        assert_eq!(to_params(&One { v: map(".a") }), empty("v..a"));
        assert_eq!(to_params(&One { v: map("a.") }), empty("v.a."));
        assert_eq!(to_params(&One { v: map("a..b") }), empty("v.a..b"));
        assert_eq!(to_params(&map(".")), empty("."));
        // A dotted key that is well formed is allowed.
        assert_eq!(flat(&One { v: map("a.b") }), owned(&[("v.a.b", "1")]));
    }

    #[test]
    fn malformed_keys_are_errors() {
        let map: BTreeMap<&str, u8> = [("a b", 1)].into_iter().collect();
        assert_eq!(
            to_params(&One { v: map }),
            Err(FlattenError::BadKey {
                key: "v.a b".into(),
                source: KeyError::ForbiddenChar {
                    key: "v.a b".into(),
                    ch: ' '
                }
            })
        );
        for bad in ["a=b", "a&b", "a%b", "a\nb"] {
            let map: BTreeMap<&str, u8> = [(bad, 1)].into_iter().collect();
            assert!(
                matches!(to_params(&map), Err(FlattenError::BadKey { key, .. }) if key == bad),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn two_values_with_one_key_are_a_duplicate() {
        let v = json!({"a.b": 1, "a": {"b": 2}});
        assert_eq!(
            to_params(&v),
            Err(FlattenError::Duplicate { key: "a.b".into() })
        );
        let v = json!({"L.0": "x", "L": ["y"]});
        assert_eq!(
            to_params(&v),
            Err(FlattenError::Duplicate { key: "L.0".into() })
        );
    }

    #[test]
    fn flatten_into_adds_to_a_set_and_is_atomic() {
        let mut p = params(&[("Action", "RunInstances"), ("Version", "2017-03-12")]);
        flatten_into(&run_instances(), &mut p).unwrap();
        assert_eq!(p.len(), RUN_INSTANCES.len() + 2);
        assert_eq!(p.iter().next(), Some(("Action", "RunInstances")));
        assert_eq!(p.get("Placement.Zone"), Some("ap-guangzhou-2"));

        let mut p = params(&[("Action", "RunInstances"), ("Placement.Zone", "old")]);
        let before = p.clone();
        assert_eq!(
            flatten_into(&run_instances(), &mut p),
            Err(FlattenError::Duplicate {
                key: "Placement.Zone".into()
            })
        );
        assert_eq!(p, before);

        let bad: BTreeMap<&str, u8> = [("A", 1), ("b c", 2)].into_iter().collect();
        assert!(matches!(
            flatten_into(&bad, &mut p),
            Err(FlattenError::BadKey { .. })
        ));
        assert_eq!(p, before);
        let mut empty = Params::new();
        assert!(matches!(
            flatten_into(&bad, &mut empty),
            Err(FlattenError::BadKey { key, .. }) if key == "b c"
        ));
        assert!(empty.is_empty());
        assert_eq!(
            flatten_into(&3, &mut p),
            Err(FlattenError::NotAnObject {
                found: "an integer"
            })
        );
        assert_eq!(p, before);
    }

    fn nested_json(levels: usize, leaf: serde_json::Value) -> serde_json::Value {
        (0..levels).fold(leaf, |v, _| json!({ "a": v }))
    }

    #[test]
    fn depth_is_limited() {
        let ok = nested_json(MAX_DEPTH, json!("x"));
        let p = to_params(&ok).unwrap();
        let key = vec!["a"; MAX_DEPTH].join(".");
        assert_eq!(pairs(&p), [(key.as_str(), "x")]);
        let back: serde_json::Value = from_params(&p).unwrap();
        assert_eq!(back, ok);

        let deep = nested_json(MAX_DEPTH + 1, json!("x"));
        let key = vec!["a"; MAX_DEPTH + 1].join(".");
        assert_eq!(
            to_params(&deep),
            Err(FlattenError::TooDeep { key: key.clone() })
        );
        // Deeper than the limit without any value below is still too deep.
        let deep = nested_json(MAX_DEPTH + 1, json!({}));
        assert_eq!(to_params(&deep), Err(FlattenError::TooDeep { key }));
        // A dotted map key counts as several segments.
        let dotted = json!({ "b.c": nested_json(MAX_DEPTH - 1, json!(1)) });
        assert!(matches!(
            to_params(&dotted),
            Err(FlattenError::TooDeep { key }) if key == format!("b.c.{}", vec!["a"; MAX_DEPTH - 1].join("."))
        ));
        // Lists count like objects.
        let list = (0..MAX_DEPTH + 1).fold(json!(1), |v, _| json!([v]));
        assert!(matches!(
            to_params(&json!({ "L": list })),
            Err(FlattenError::TooDeep { .. })
        ));
    }

    #[derive(Serialize)]
    struct Chain(Option<Box<Chain>>);

    #[test]
    fn nesting_without_keys_is_limited_too() {
        let mut chain = Chain(None);
        for _ in 0..2000 {
            chain = Chain(Some(Box::new(chain)));
        }
        assert_eq!(
            to_params(&One { v: chain }),
            Err(FlattenError::TooDeep { key: "v".into() })
        );
    }

    struct Boom;

    impl Serialize for Boom {
        fn serialize<S: Serializer>(&self, _s: S) -> Result<S::Ok, S::Error> {
            Err(ser::Error::custom("boom"))
        }
    }

    #[test]
    fn custom_errors_name_the_key() {
        #[derive(Serialize)]
        struct Outer {
            a: Vec<One<Boom>>,
        }
        assert_eq!(
            to_params(&Outer {
                a: vec![One { v: Boom }]
            }),
            Err(FlattenError::Custom {
                key: "a.0.v".into(),
                message: "boom".into()
            })
        );
        assert_eq!(
            to_params(&Boom),
            Err(FlattenError::Custom {
                key: "".into(),
                message: "boom".into()
            })
        );
    }

    #[test]
    fn json_values_flatten() {
        let v = json!({
            "Placement": {"Zone": "z"},
            "Ids": ["a", ""],
            "Ratio": 0.25,
            "Big": 1e20,
            "Count": 3,
            "Neg": -4,
            "Flag": true,
            "Null": null,
            "Empty": [],
            "EmptyObj": {},
            "Nested": [[1, 2], [3]],
        });
        let p = to_params(&v).unwrap();
        assert_eq!(
            pairs(&p),
            [
                ("Big", "100000000000000000000"),
                ("Count", "3"),
                ("Flag", "true"),
                ("Ids.0", "a"),
                ("Ids.1", ""),
                ("Neg", "-4"),
                ("Nested.0.0", "1"),
                ("Nested.0.1", "2"),
                ("Nested.1.0", "3"),
                ("Placement.Zone", "z"),
                ("Ratio", "0.25"),
            ]
        );
        // Read back as JSON, every leaf is a string.
        let back: serde_json::Value = from_params(&p).unwrap();
        assert_eq!(
            back,
            json!({
                "Big": "100000000000000000000",
                "Count": "3",
                "Flag": "true",
                "Ids": ["a", ""],
                "Neg": "-4",
                "Nested": [["1", "2"], ["3"]],
                "Placement": {"Zone": "z"},
                "Ratio": "0.25",
            })
        );
    }

    #[test]
    fn flatten_errors_display_their_key() {
        let e = FlattenError::NonFinite { key: "A.B".into() };
        assert!(e.to_string().contains("\"A.B\""), "{e}");
        let e = FlattenError::Unsupported {
            key: "A.0".into(),
            what: "a byte string",
        };
        assert!(e.to_string().contains("\"A.0\""), "{e}");
        let e = <FlattenError as ser::Error>::custom("bad");
        assert_eq!(
            e,
            FlattenError::Custom {
                key: "".into(),
                message: "bad".into()
            }
        );
    }

    // --- deserialization ----------------------------------------------------------------------

    #[derive(Debug, Deserialize, PartialEq)]
    struct Val<T> {
        v: T,
    }

    fn read<T: DeserializeOwned>(value: &str) -> Result<T, UnflattenError> {
        from_params::<Val<T>>(&params(&[("v", value)])).map(|x| x.v)
    }

    fn invalid(expected: &'static str, value: &str) -> UnflattenError {
        UnflattenError::InvalidValue {
            key: "v".into(),
            expected,
            value: value.into(),
        }
    }

    #[test]
    fn booleans_accept_three_spellings() {
        for t in ["true", "True", "TRUE"] {
            assert_eq!(read::<bool>(t), Ok(true));
        }
        for f in ["false", "False", "FALSE"] {
            assert_eq!(read::<bool>(f), Ok(false));
        }
        for bad in ["1", "0", "yes", "tRue", "", " true", "true "] {
            assert_eq!(
                read::<bool>(bad),
                Err(invalid("a boolean (true or false)", bad))
            );
        }
    }

    #[test]
    fn integers_parse_strictly() {
        assert_eq!(read::<i64>("-42"), Ok(-42));
        assert_eq!(read::<u64>("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(read::<i128>(&i128::MIN.to_string()), Ok(i128::MIN));
        assert_eq!(read::<u128>(&u128::MAX.to_string()), Ok(u128::MAX));
        assert_eq!(read::<u8>("007"), Ok(7));
        for bad in ["+5", " 5", "5 ", "", "1.0", "x", "1e3"] {
            assert_eq!(read::<i32>(bad), Err(invalid("an integer (i32)", bad)));
        }
        assert_eq!(read::<u8>("300"), Err(invalid("an integer (u8)", "300")));
        assert_eq!(read::<u32>("-1"), Err(invalid("an integer (u32)", "-1")));
        assert_eq!(read::<i8>("-129"), Err(invalid("an integer (i8)", "-129")));
        assert_eq!(read::<i16>("+1"), Err(invalid("an integer (i16)", "+1")));
        assert_eq!(read::<u16>("a"), Err(invalid("an integer (u16)", "a")));
    }

    #[test]
    fn floats_parse_and_must_be_finite() {
        assert_eq!(read::<f64>("0.1"), Ok(0.1));
        assert_eq!(read::<f64>("-0.5"), Ok(-0.5));
        assert_eq!(read::<f64>("1e3"), Ok(1000.0));
        assert_eq!(read::<f64>("100000000000000000000"), Ok(1e20));
        assert_eq!(read::<f32>("0.1"), Ok(0.1));
        for bad in [
            "NaN", "nan", "inf", "-inf", "infinity", "1e400", "+1", "", "x",
        ] {
            assert_eq!(read::<f64>(bad), Err(invalid("a finite number (f64)", bad)));
        }
        assert_eq!(
            read::<f32>("1e39"),
            Err(invalid("a finite number (f32)", "1e39"))
        );
    }

    #[test]
    fn chars_strings_and_units() {
        assert_eq!(read::<char>("é"), Ok('é'));
        assert_eq!(read::<char>("ab"), Err(invalid("a single character", "ab")));
        assert_eq!(read::<char>(""), Err(invalid("a single character", "")));
        assert_eq!(read::<String>(""), Ok(String::new()));
        assert_eq!(read::<String>("测 试"), Ok("测 试".into()));
        assert_eq!(read::<Option<String>>(""), Ok(Some(String::new())));
        assert_eq!(read::<Id>("x"), Ok(Id("x".into())));
        assert_eq!(read::<()>("x"), Ok(()));
        assert_eq!(read::<serde_json::Value>("1"), Ok(json!("1")));
        assert_eq!(
            read::<serde_bytes_like::Buf>("ab"),
            Ok(serde_bytes_like::Buf(b"ab".to_vec()))
        );
    }

    mod serde_bytes_like {
        use serde::de::{Deserialize, Deserializer, Visitor};
        use std::fmt;

        #[derive(Debug, PartialEq)]
        pub struct Buf(pub Vec<u8>);

        impl<'de> Deserialize<'de> for Buf {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = Buf;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("bytes")
                    }
                    fn visit_bytes<E>(self, v: &[u8]) -> Result<Buf, E> {
                        Ok(Buf(v.to_vec()))
                    }
                }
                d.deserialize_byte_buf(V)
            }
        }
    }

    #[test]
    fn a_key_cannot_be_both_leaf_and_parent() {
        let err = |pairs: &[(&str, &str)]| from_params::<serde_json::Value>(&params(pairs));
        let lp = |key: &str| Err(UnflattenError::LeafAndParent { key: key.into() });
        assert_eq!(err(&[("A", "1"), ("A.B", "2")]), lp("A"));
        // `-` sorts before `.`, so the leaf and its children are not next to each other.
        assert_eq!(
            err(&[("A.B", "1"), ("A.B-c", "x"), ("A.B.C", "2")]),
            lp("A.B")
        );
        assert_eq!(
            err(&[("X.A.B.C", "1"), ("X.A.B", "2"), ("X.A-", "")]),
            lp("X.A.B")
        );
        assert_eq!(err(&[("A.B", "1"), ("A.B.C.D", "2")]), lp("A.B"));
    }

    #[test]
    fn list_indices_must_be_canonical() {
        let read = |pairs: &[(&str, &str)]| from_params::<DescribeInstances>(&params(pairs));
        let bad = |key: &str| Err(UnflattenError::BadIndex { key: key.into() });
        assert_eq!(read(&[("InstanceIds.x", "a")]), bad("InstanceIds.x"));
        assert_eq!(
            read(&[("InstanceIds.0", "a"), ("InstanceIds.01", "b")]),
            bad("InstanceIds.01")
        );
        assert_eq!(read(&[("InstanceIds.00", "a")]), bad("InstanceIds.00"));
        assert_eq!(read(&[("InstanceIds.-1", "a")]), bad("InstanceIds.-1"));
        assert_eq!(read(&[("InstanceIds.+1", "a")]), bad("InstanceIds.+1"));
        assert_eq!(
            read(&[("Filters.0.Name", "n"), ("Filters.0.Values.a", "")]),
            bad("Filters.0.Values.a")
        );
    }

    #[test]
    fn list_indices_must_not_have_gaps() {
        let read = |pairs: &[(&str, &str)]| from_params::<DescribeInstances>(&params(pairs));
        let gap = |key: &str, missing| {
            Err(UnflattenError::IndexGap {
                key: key.into(),
                missing,
            })
        };
        assert_eq!(
            read(&[("InstanceIds.0", "a"), ("InstanceIds.2", "b")]),
            gap("InstanceIds", 1)
        );
        assert_eq!(read(&[("InstanceIds.1", "a")]), gap("InstanceIds", 0));
        assert_eq!(
            read(&[("InstanceIds.1", "a"), ("InstanceIds.2", "b")]),
            gap("InstanceIds", 0)
        );
        assert_eq!(
            read(&[("InstanceIds.99999999999999999999999999", "a")]),
            gap("InstanceIds", 0)
        );
        assert_eq!(
            read(&[("Filters.0.Name", "n"), ("Filters.2.Name", "m")]),
            gap("Filters", 1)
        );
    }

    #[test]
    fn shapes_must_match() {
        let read = |pairs: &[(&str, &str)]| from_params::<RunInstances>(&params(pairs));
        assert_eq!(
            read(&[("Placement", "x")]),
            Err(UnflattenError::InvalidValue {
                key: "Placement".into(),
                expected: "an object",
                value: "x".into()
            })
        );
        assert_eq!(
            read(&[("DataDisks", "x")]),
            Err(UnflattenError::InvalidValue {
                key: "DataDisks".into(),
                expected: "a list",
                value: "x".into()
            })
        );
        assert_eq!(
            read(&[("Placement.Zone.X", "1")]),
            Err(UnflattenError::InvalidValue {
                key: "Placement.Zone".into(),
                expected: "a string",
                value: NESTED.into()
            })
        );
        assert_eq!(
            read(&[("InstanceCount.X", "1")]),
            Err(UnflattenError::InvalidValue {
                key: "InstanceCount".into(),
                expected: "an integer (i64)",
                value: NESTED.into()
            })
        );
        assert_eq!(
            read(&[("DataDisks.0.DiskSize", "big")]),
            Err(UnflattenError::InvalidValue {
                key: "DataDisks.0.DiskSize".into(),
                expected: "an integer (u64)",
                value: "big".into()
            })
        );
    }

    #[test]
    fn shown_values_are_cut_and_secrets_redacted() {
        let long = "x".repeat(100);
        assert_eq!(
            read::<u8>(&long),
            Err(invalid(
                "an integer (u8)",
                &format!("{}...", "x".repeat(64))
            ))
        );
        let long = "é".repeat(64);
        assert_eq!(read::<u8>(&long), Err(invalid("an integer (u8)", &long)));

        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        #[allow(dead_code)]
        struct Secret {
            token: u32,
            password: Kind,
        }
        assert_eq!(
            from_params::<Secret>(&params(&[("Token", "hunter2")])).unwrap_err(),
            UnflattenError::InvalidValue {
                key: "Token".into(),
                expected: "an integer (u32)",
                value: REDACTED.into()
            }
        );
        assert_eq!(
            from_params::<Secret>(&params(&[("Token", "1"), ("Password", "hunter2")])).unwrap_err(),
            UnflattenError::InvalidValue {
                key: "Password".into(),
                expected: "one of the enum's variant names",
                value: REDACTED.into()
            }
        );
    }

    #[test]
    fn unknown_fields_are_named_in_full() {
        let read = |pairs: &[(&str, &str)]| from_params::<RunInstances>(&params(pairs));
        let unknown = |key: &str| Err(UnflattenError::UnknownField { key: key.into() });
        assert_eq!(
            read(&[("Placement.Zone", "z"), ("Placement.Foo", "1")]),
            unknown("Placement.Foo")
        );
        assert_eq!(read(&[("Foo", "1")]), unknown("Foo"));
        assert_eq!(read(&[("Foo.Bar.0", "1")]), unknown("Foo"));
        assert_eq!(
            read(&[("DataDisks.0.Foo", "1")]),
            unknown("DataDisks.0.Foo")
        );
        assert_eq!(
            read(&[("EnhancedService.SecurityService.Enable", "true")]),
            unknown("EnhancedService.SecurityService.Enable")
        );
    }

    #[test]
    fn missing_fields_are_named_in_full() {
        let read = |pairs: &[(&str, &str)]| from_params::<RunInstances>(&params(pairs));
        fn missing<T>(key: &str) -> Result<T, UnflattenError> {
            Err(UnflattenError::MissingField { key: key.into() })
        }
        assert_eq!(
            read(&[("Placement.ProjectId", "1")]),
            missing("Placement.Zone")
        );
        let read = |pairs: &[(&str, &str)]| from_params::<DescribeInstances>(&params(pairs));
        assert_eq!(
            read(&[("Filters.0.Values.0", "x")]),
            missing("Filters.0.Name")
        );
        assert_eq!(from_params::<Placement>(&Params::new()), missing("Zone"));
    }

    #[test]
    fn unknown_fields_are_skipped_without_deny_unknown_fields() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "PascalCase")]
        struct Lenient {
            zone: String,
        }
        let p = params(&[
            ("Zone", "z"),
            ("Other.0.X", "1"),
            ("Other.1", "2"),
            ("Y", "3"),
        ]);
        assert_eq!(from_params::<Lenient>(&p), Ok(Lenient { zone: "z".into() }));
    }

    #[test]
    fn too_deep_and_empty_segment_keys() {
        let key = vec!["a"; MAX_DEPTH + 1].join(".");
        assert_eq!(
            from_params::<serde_json::Value>(&params(&[(key.as_str(), "x")])),
            Err(UnflattenError::TooDeep { key: key.clone() })
        );
        for bad in ["A..B", "A.", ".A", "."] {
            assert_eq!(
                from_params::<serde_json::Value>(&params(&[(bad, "x")])),
                Err(UnflattenError::EmptySegment { key: bad.into() })
            );
        }
    }

    #[test]
    fn json_values_read_lists_only_from_exact_indices() {
        let read =
            |pairs: &[(&str, &str)]| from_params::<serde_json::Value>(&params(pairs)).unwrap();
        assert_eq!(read(&[]), json!({}));
        assert_eq!(
            read(&[("A.0", "x"), ("A.1", "y")]),
            json!({"A": ["x", "y"]})
        );
        assert_eq!(
            read(&[("A.0", "x"), ("A.2", "y")]),
            json!({"A": {"0": "x", "2": "y"}})
        );
        assert_eq!(read(&[("A.01", "x")]), json!({"A": {"01": "x"}}));
        assert_eq!(
            read(&[("A.0.B", "x"), ("A.0.C.0", "")]),
            json!({"A": [{"B": "x", "C": [""]}]})
        );
        let top: Vec<String> = from_params(&params(&[("0", "a"), ("1", "b")])).unwrap();
        assert_eq!(top, ["a", "b"]);
        let map: BTreeMap<String, serde_json::Value> =
            from_params(&params(&[("0", "a"), ("1", "b")])).unwrap();
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn maps_with_integer_keys() {
        let p = params(&[("V.10", "b"), ("V.2", "a")]);
        let back: Val<BTreeMap<u32, String>> =
            from_params(&params(&[("v.10", "b"), ("v.2", "a")])).unwrap();
        assert_eq!(
            back.v.into_iter().collect::<Vec<_>>(),
            [(2, "a".to_owned()), (10, "b".to_owned())]
        );
        assert_eq!(
            from_params::<BTreeMap<String, BTreeMap<u32, String>>>(&params(&[("V.x", "b")])),
            Err(UnflattenError::InvalidValue {
                key: "V.x".into(),
                expected: "an integer (u32)",
                value: "x".into()
            })
        );
        assert!(from_params::<BTreeMap<String, BTreeMap<u32, String>>>(&p).is_ok());
    }

    #[test]
    fn a_top_level_option_is_none_without_parameters() {
        assert_eq!(from_params::<Option<Placement>>(&Params::new()), Ok(None));
        assert_eq!(
            from_params::<Option<Placement>>(&params(&[("Zone", "z")])),
            Ok(Some(Placement {
                zone: "z".into(),
                project_id: None
            }))
        );
    }

    #[derive(Debug, PartialEq)]
    struct Zone(String);

    impl<'de> Deserialize<'de> for Zone {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            if s.starts_with("ap-") {
                Ok(Zone(s))
            } else {
                Err(de::Error::custom("not a zone"))
            }
        }
    }

    #[test]
    fn custom_errors_are_placed_at_their_key() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "PascalCase")]
        struct Where {
            placement: Option<Holder>,
            zones: Vec<Zone>,
        }
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(rename_all = "PascalCase")]
        struct Holder {
            zone: Zone,
        }
        let custom = |key: &str| {
            Err(UnflattenError::Custom {
                key: key.into(),
                message: "not a zone".into(),
            })
        };
        let read = |pairs: &[(&str, &str)]| from_params::<Where>(&params(pairs));
        assert_eq!(
            read(&[("Placement.Zone", "eu"), ("Zones.0", "ap-1")]),
            custom("Placement.Zone")
        );
        assert_eq!(
            read(&[("Zones.0", "ap-1"), ("Zones.1", "eu")]),
            custom("Zones.1")
        );
        assert_eq!(
            read(&[("Zones.0", "ap-1")]),
            Ok(Where {
                placement: None,
                zones: vec![Zone("ap-1".into())]
            })
        );
        assert_eq!(
            read(&[("Placement.Zone", "ap-1")]),
            Err(UnflattenError::MissingField {
                key: "Zones".into()
            })
        );
    }

    #[test]
    fn unflatten_errors_are_serde_errors_and_display_their_key() {
        use serde::de::Error as _;
        assert_eq!(
            UnflattenError::missing_field("Zone"),
            UnflattenError::MissingField { key: "Zone".into() }
        );
        assert_eq!(
            UnflattenError::unknown_field("Foo", &[]),
            UnflattenError::UnknownField { key: "Foo".into() }
        );
        assert_eq!(
            UnflattenError::custom("x"),
            UnflattenError::Custom {
                key: "".into(),
                message: "x".into()
            }
        );
        let e = UnflattenError::IndexGap {
            key: "Ids".into(),
            missing: 1,
        };
        assert!(
            e.to_string().contains("\"Ids\"") && e.to_string().contains('1'),
            "{e}"
        );
        let e = UnflattenError::UnknownField {
            key: "Placement.Foo".into(),
        };
        assert!(e.to_string().contains("\"Placement.Foo\""), "{e}");
    }
}
