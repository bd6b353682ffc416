//! The shape of every generated request, as data: for offline validation of parameters before
//! anything is sent (hand-written type definitions; the tables are in each service module).

#[cfg(feature = "server")]
use std::fmt::Debug;

#[cfg(feature = "server")]
use serde::de::DeserializeOwned;

#[cfg(feature = "server")]
use crate::Action;

/// The wire type of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A string (also dates and times).
    String,
    /// An integer (`int64` or `uint64`).
    Int,
    /// A floating-point number.
    Float,
    /// A boolean.
    Bool,
    /// A list of `member`.
    List,
    /// A nested object named by `member`.
    Object,
}

/// One field of a request or of a data type a request holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The wire name.
    pub name: &'static str,
    /// The wire type.
    pub ty: FieldType,
    /// The primitive (`string`, `int64`, `uint64`, `float`, `bool`, `datetime`,
    /// `datetime_iso`, `date`) or the object name; for a list, that of its elements.
    pub member: &'static str,
    /// Whether a request must carry it.
    pub required: bool,
    /// Whether the service has disabled it.
    pub deprecated: bool,
}

/// The fields of one action's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The action name.
    pub name: &'static str,
    /// The request object's name (the Rust type's name).
    pub request: &'static str,
    /// Whether the service marks the action deprecated.
    pub deprecated: bool,
    /// The request's fields in the service's order.
    pub fields: &'static [FieldSpec],
}

/// The fields of one data type that requests hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectSpec {
    /// The object name (the Rust type's name).
    pub name: &'static str,
    /// Its fields in the service's order.
    pub fields: &'static [FieldSpec],
}

/// The object called `name` in a service's `OBJECTS` table.
pub fn object(objects: &'static [ObjectSpec], name: &str) -> Option<&'static ObjectSpec> {
    objects.iter().find(|o| o.name == name)
}

/// Something done with each typed request of a service, through its `visit_requests` (with the
/// `server` feature, which derives `Deserialize` for requests).
#[cfg(feature = "server")]
pub trait RequestVisitor {
    /// Called with the request type `A` and its entry in the service's `SPEC`.
    fn visit<A>(&mut self, spec: &'static ActionSpec)
    where
        A: Action
            + crate::flatten::Flatten
            + DeserializeOwned
            + Debug
            + Clone
            + PartialEq
            + Default;
}
