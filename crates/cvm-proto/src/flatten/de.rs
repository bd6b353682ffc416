//! Deserialization: flat parameters read back into any `Deserialize` type, through the tree
//! of their `.`-separated keys; every error names the full flat key it is about.

use std::fmt::{self, Display};

use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use thiserror::Error;

use super::{push_u64, MAX_DEPTH};
use crate::params::{is_sensitive, Params, REDACTED};

mod tree;

use tree::{build_tree, index_children, IndexProblem, Node};

/// How many characters of an offending value an [`UnflattenError::InvalidValue`] shows.
const SHOWN_CHARS: usize = 64;

/// What an error shows in place of a value made of nested parameters.
const NESTED: &str = "(nested parameters)";

/// Why flat parameters could not be read into the requested type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::flatten::fixtures::*;

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
        pub(super) struct Buf(pub Vec<u8>);

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
