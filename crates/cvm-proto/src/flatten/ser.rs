//! Serialization: any `Serialize` struct or map written as flat parameters, with one key
//! buffer reused for every key.

use std::fmt::{Display, Write as _};

use serde::ser::{self, Serialize};
use thiserror::Error;

use super::{push_u64, MAX_DEPTH};
use crate::params::{check_key, KeyError, Params, ParamsError};

/// How many values may be nested inside one another while serializing, wrappers such as
/// `Option` and newtypes included; it bounds recursion for values that nest without adding keys.
const MAX_NEST: usize = 8 * MAX_DEPTH;

/// Why a value could not be flattened into parameters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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
    merge_into(flattener.out, params)
}

/// Adds the freshly flattened `flat` to `params`, failing on the first key already there; on
/// failure `params` is left as it was.
pub(super) fn merge_into(flat: Params, params: &mut Params) -> Result<(), FlattenError> {
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

/// Appends a finite float in its `Display` form (the shortest that reads back exactly, never
/// with an exponent), with `0` for both zeros.
pub(super) fn write_float(out: &mut String, v: f64) {
    if v == 0.0 {
        out.push('0');
    } else {
        let _ = write!(out, "{v}");
    }
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

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::{Serialize, Serializer};
    use serde_json::json;

    use super::*;
    use crate::flatten::fixtures::*;

    #[test]
    fn run_instances_flattens_like_vector_s2() {
        let p = to_params(&run_instances()).unwrap();
        assert_eq!(pairs(&p), RUN_INSTANCES);
    }

    // --- serialization: scalars -----------------------------------------------------------------

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

    // --- serialization: keys ----------------------------------------------------------------------

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
}
