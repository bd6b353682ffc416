//! Offline validation of a request against the service's spec: the checks the service makes
//! before it runs an action (unknown, missing and mistyped parameters), made before anything is
//! signed or sent.
//!
//! Two forms are checked: flat signature-v1 parameters ([`check_params`], where every value is
//! text and lists are `Name.0`, `Name.1`, ...) and the JSON body of a TC3 request
//! ([`check_json`], where JSON types must match the spec). Both walk the request's fields and
//! the data types they hold in the spec's tables ([`crate::api::spec`]); the first violation in
//! key order is the error, as the service reports one problem per request. A deprecated field is
//! not an error: it is returned as a warning, since the service still accepts it.
//!
//! ```
//! use cvm_proto::validate::{self, Problem};
//!
//! let spec = validate::action("DescribeInstances").expect("a CVM action");
//! let params = cvm_proto::Params::from_pairs([("Limit", "ten")])?;
//! let err = validate::check_params(spec, validate::CVM_OBJECTS, &params).unwrap_err();
//! assert_eq!(err.path, "Limit");
//! assert!(matches!(err.problem, Problem::WrongType { .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};
use thiserror::Error;

use crate::api::spec::{object, ActionSpec, FieldSpec, FieldType, ObjectSpec};
use crate::filters::nearest;
use crate::params::Params;
use crate::request::COMMON_PARAMS;

/// The data types that CVM requests hold, for [`check_params`] and [`check_json`].
pub const CVM_OBJECTS: &[ObjectSpec] = crate::api::cvm::OBJECTS;

/// The spec of the CVM action called `name`.
pub fn action(name: &str) -> Option<&'static ActionSpec> {
    crate::api::cvm::SPEC.iter().find(|a| a.name == name)
}

/// The CVM action name within a few edits of `name`, as a suggestion for a misspelt one.
pub fn suggest_action(name: &str) -> Option<&'static str> {
    let names: Vec<&'static str> = crate::api::cvm::SPEC.iter().map(|a| a.name).collect();
    nearest(name, &names)
}

/// What is wrong with one parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The action (or the data type at this place) has no field of this name.
    Unknown {
        /// A known name within a few edits, if there is one.
        suggestion: Option<&'static str>,
    },
    /// A required field is absent.
    Missing,
    /// The value is not of the field's type.
    WrongType {
        /// What the field holds, e.g. `an integer (int64)`.
        expected: String,
    },
    /// The service has disabled the field; it is still accepted.
    Deprecated,
}

/// A parameter that the service would refuse (or, for [`Problem::Deprecated`], warn about).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub struct Violation {
    /// Where: the flat name, e.g. `DataDisks.0.DiskSize`.
    pub path: String,
    /// What is wrong there.
    pub problem: Problem,
}

impl Violation {
    fn new(path: impl Into<String>, problem: Problem) -> Self {
        Self {
            path: path.into(),
            problem,
        }
    }

    /// The service's error code for this violation: `UnknownParameter`, `MissingParameter` or
    /// `InvalidParameterValue`.
    pub fn code(&self) -> &'static str {
        match self.problem {
            Problem::Unknown { .. } => "UnknownParameter",
            Problem::Missing => "MissingParameter",
            Problem::WrongType { .. } | Problem::Deprecated => "InvalidParameterValue",
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        match &self.problem {
            Problem::Unknown {
                suggestion: Some(s),
            } => write!(
                f,
                "the parameter `{path}` is not recognized (did you mean `{s}`?)"
            ),
            Problem::Unknown { suggestion: None } => {
                write!(f, "the parameter `{path}` is not recognized")
            }
            Problem::Missing => write!(f, "the required parameter `{path}` is missing"),
            Problem::WrongType { expected } => {
                write!(f, "the parameter `{path}` must be {expected}")
            }
            Problem::Deprecated => write!(f, "the parameter `{path}` is deprecated"),
        }
    }
}

/// Warnings about an accepted request: its deprecated parameters.
pub type Warnings = Vec<Violation>;

/// Checks flat signature-v1 parameters (common parameters such as `Action` and `Region` are
/// skipped): the first unknown, mistyped or missing parameter is the error.
pub fn check_params(
    spec: &ActionSpec,
    objects: &'static [ObjectSpec],
    params: &Params,
) -> Result<Warnings, Violation> {
    let mut warnings = Vec::new();
    // Every object node present, e.g. `Placement` or `DataDisks.0`, for the required checks.
    let mut nodes: Vec<(String, &'static ObjectSpec)> = Vec::new();
    // Every key prefix present, e.g. `DataDisks`, `DataDisks.0`, `DataDisks.0.DiskSize`.
    let mut present: BTreeSet<&str> = BTreeSet::new();
    for (key, value) in params.iter() {
        if COMMON_PARAMS.contains(&key) {
            continue;
        }
        let mut end = 0;
        for segment in key.split('.') {
            end += segment.len();
            present.insert(key.get(..end).unwrap_or(key));
            end += 1;
        }
        check_key(spec.fields, objects, key, value, &mut nodes, &mut warnings)?;
    }
    missing(spec.fields, "", &present)?;
    nodes.sort_by(|a, b| a.0.cmp(&b.0));
    nodes.dedup_by(|a, b| a.0 == b.0);
    for (node, object) in &nodes {
        missing(object.fields, node, &present)?;
    }
    Ok(warnings)
}

/// Walks one flat key down the spec, checking each segment's name and the value's type.
fn check_key(
    top: &'static [FieldSpec],
    objects: &'static [ObjectSpec],
    key: &str,
    value: &str,
    nodes: &mut Vec<(String, &'static ObjectSpec)>,
    warnings: &mut Warnings,
) -> Result<(), Violation> {
    let mut fields = top;
    let mut segments = key.split('.').peekable();
    let mut end = 0;
    let here = |end: usize| key.get(..end).unwrap_or(key).to_owned();
    while let Some(segment) = segments.next() {
        end += segment.len();
        let Some(field) = fields.iter().find(|f| f.name == segment) else {
            let names: Vec<&'static str> = fields.iter().map(|f| f.name).collect();
            return Err(Violation::new(
                here(end),
                Problem::Unknown {
                    suggestion: nearest(segment, &names),
                },
            ));
        };
        if field.deprecated {
            warnings.push(Violation::new(here(end), Problem::Deprecated));
        }
        // A list is `Name.N` followed by what one element holds.
        let element = field.ty == FieldType::List;
        if element {
            let Some(index) = segments.next() else {
                return Err(Violation::new(here(end), wrong_type(field, false)));
            };
            end += 1 + index.len();
            if !is_index(index) {
                return Err(Violation::new(
                    here(end),
                    Problem::Unknown { suggestion: None },
                ));
            }
        }
        let nested = if is_primitive(field.member) {
            None
        } else {
            object(objects, field.member)
        };
        match (nested, segments.peek()) {
            (Some(spec), Some(_)) => {
                nodes.push((here(end), spec));
                fields = spec.fields;
                end += 1;
            }
            (Some(_), None) => {
                return Err(Violation::new(
                    here(end),
                    Problem::WrongType {
                        expected: format!(
                            "an object ({}) given as `{}.Name=...`",
                            field.member,
                            here(end)
                        ),
                    },
                ))
            }
            (None, Some(_)) => {
                return Err(Violation::new(
                    format!(
                        "{}.{}",
                        here(end),
                        segments.peek().copied().unwrap_or_default()
                    ),
                    Problem::Unknown { suggestion: None },
                ))
            }
            (None, None) => {
                return if text_fits(field.member, value) {
                    Ok(())
                } else {
                    Err(Violation::new(here(end), wrong_type(field, element)))
                }
            }
        }
    }
    Ok(())
}

/// The first required field of `fields` that no key under `node` holds.
fn missing(fields: &[FieldSpec], node: &str, present: &BTreeSet<&str>) -> Result<(), Violation> {
    for field in fields.iter().filter(|f| f.required) {
        let path = if node.is_empty() {
            field.name.to_owned()
        } else {
            format!("{node}.{}", field.name)
        };
        if !present.contains(path.as_str()) {
            return Err(Violation::new(path, Problem::Missing));
        }
    }
    Ok(())
}

/// Checks the JSON body of a TC3 request: every key must be a field, every value of the field's
/// JSON type, and every required field present (`null` counts as absent).
pub fn check_json(
    spec: &ActionSpec,
    objects: &'static [ObjectSpec],
    body: &Value,
) -> Result<Warnings, Violation> {
    let mut warnings = Vec::new();
    match body {
        Value::Object(map) => check_object(spec.fields, objects, map, "", &mut warnings)?,
        _ => {
            return Err(Violation::new(
                "",
                Problem::WrongType {
                    expected: "a JSON object".into(),
                },
            ))
        }
    }
    Ok(warnings)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn check_object(
    fields: &'static [FieldSpec],
    objects: &'static [ObjectSpec],
    map: &Map<String, Value>,
    prefix: &str,
    warnings: &mut Warnings,
) -> Result<(), Violation> {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    for key in keys {
        let path = join(prefix, key);
        if prefix.is_empty() && COMMON_PARAMS.contains(&key.as_str()) {
            continue;
        }
        let Some(field) = fields.iter().find(|f| f.name == key) else {
            let names: Vec<&'static str> = fields.iter().map(|f| f.name).collect();
            return Err(Violation::new(
                path,
                Problem::Unknown {
                    suggestion: nearest(key, &names),
                },
            ));
        };
        if field.deprecated {
            warnings.push(Violation::new(path.clone(), Problem::Deprecated));
        }
        let value = &map[key];
        match (field.ty, value) {
            (_, Value::Null) => {}
            (FieldType::List, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check_value(field, objects, item, &format!("{path}.{i}"), true, warnings)?;
                }
            }
            (FieldType::List, _) => return Err(Violation::new(path, wrong_type(field, false))),
            _ => check_value(field, objects, value, &path, false, warnings)?,
        }
    }
    for field in fields.iter().filter(|f| f.required) {
        if map.get(field.name).is_none_or(Value::is_null) {
            return Err(Violation::new(join(prefix, field.name), Problem::Missing));
        }
    }
    Ok(())
}

/// Checks one value (or one list element) against the field's member type.
fn check_value(
    field: &FieldSpec,
    objects: &'static [ObjectSpec],
    value: &Value,
    path: &str,
    element: bool,
    warnings: &mut Warnings,
) -> Result<(), Violation> {
    if !is_primitive(field.member) {
        return match (object(objects, field.member), value) {
            (Some(spec), Value::Object(map)) => {
                check_object(spec.fields, objects, map, path, warnings)
            }
            // A data type the tables do not hold (reply-only): nothing to check inside.
            (None, Value::Object(_)) => Ok(()),
            _ => Err(Violation::new(path, wrong_type(field, element))),
        };
    }
    let fits = match (field.member, value) {
        ("int64", Value::Number(n)) => n.is_i64(),
        ("uint64", Value::Number(n)) => n.is_u64(),
        ("float", Value::Number(_)) => true,
        ("bool", Value::Bool(_)) => true,
        ("int64" | "uint64" | "float" | "bool", _) => false,
        (_, Value::String(_)) => true,
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(Violation::new(path, wrong_type(field, element)))
    }
}

/// Whether `member` names a primitive rather than a data type.
fn is_primitive(member: &str) -> bool {
    matches!(
        member,
        "string" | "int64" | "uint64" | "float" | "bool" | "datetime" | "datetime_iso" | "date"
    )
}

/// Whether a list index is in canonical form: `0`, or digits without a leading zero.
fn is_index(name: &str) -> bool {
    match name.as_bytes() {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.len() < 10 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// Whether the text of a flat value reads as `member`.
fn text_fits(member: &str, value: &str) -> bool {
    match member {
        "int64" => value.parse::<i64>().is_ok(),
        "uint64" => value.parse::<u64>().is_ok(),
        "float" => value.parse::<f64>().is_ok_and(f64::is_finite),
        "bool" => matches!(
            value,
            "true" | "false" | "TRUE" | "FALSE" | "True" | "False"
        ),
        _ => true,
    }
}

/// The type a field (or, with `element`, one of its elements) holds, in words.
fn describe(field: &FieldSpec, element: bool) -> String {
    let member = match field.member {
        "int64" => "an integer (int64)".to_owned(),
        "uint64" => "a non-negative integer (uint64)".to_owned(),
        "float" => "a number".to_owned(),
        "bool" => "a boolean (true or false)".to_owned(),
        "string" => "a string".to_owned(),
        "datetime" | "datetime_iso" | "date" => format!("a string ({})", field.member),
        other => format!("an object ({other})"),
    };
    if field.ty == FieldType::List && !element {
        format!(
            "a list of {}",
            member.trim_start_matches("an ").trim_start_matches("a ")
        )
    } else {
        member
    }
}

fn wrong_type(field: &FieldSpec, element: bool) -> Problem {
    Problem::WrongType {
        expected: describe(field, element),
    }
}

/// A JSON input skeleton of `spec`: every field with its type as a placeholder string (e.g.
/// `"int64"`, `"string (required)"`), lists as one-element arrays and data types expanded.
pub fn skeleton(spec: &ActionSpec, objects: &'static [ObjectSpec]) -> Value {
    Value::Object(skeleton_of(spec.fields, objects, 0))
}

fn skeleton_of(
    fields: &'static [FieldSpec],
    objects: &'static [ObjectSpec],
    depth: usize,
) -> Map<String, Value> {
    let mut out = Map::new();
    for field in fields {
        let mut note = String::new();
        if field.required {
            note.push_str(" (required)");
        }
        if field.deprecated {
            note.push_str(" (deprecated)");
        }
        let member = if is_primitive(field.member) {
            Value::String(format!("{}{note}", field.member))
        } else {
            match object(objects, field.member) {
                // Data types can nest themselves; stop expanding deep down.
                Some(spec) if depth < 6 => {
                    Value::Object(skeleton_of(spec.fields, objects, depth + 1))
                }
                _ => Value::String(format!("{}{note}", field.member)),
            }
        };
        let value = if field.ty == FieldType::List {
            Value::Array(vec![member])
        } else {
            member
        };
        out.insert(field.name.to_owned(), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(name: &str) -> &'static ActionSpec {
        action(name).expect("known action")
    }

    fn flat(pairs: &[(&str, &str)]) -> Result<Warnings, Violation> {
        let params = Params::from_pairs(pairs.iter().copied()).expect("valid keys");
        check_params(spec("RunInstances"), CVM_OBJECTS, &params)
    }

    #[test]
    fn a_valid_flat_request_passes() {
        let ok = flat(&[
            ("Action", "RunInstances"),
            ("Region", "ap-guangzhou"),
            ("Placement.Zone", "ap-guangzhou-2"),
            ("ImageId", "img-1"),
            ("InstanceCount", "2"),
            ("DataDisks.0.DiskSize", "100"),
            ("DataDisks.0.DiskType", "CLOUD_SSD"),
            ("DataDisks.10.DiskSize", "50"),
            ("TagSpecification.0.ResourceType", "instance"),
            ("TagSpecification.0.Tags.0.Key", "k"),
            ("TagSpecification.0.Tags.0.Value", "v"),
            ("DryRun", "true"),
        ]);
        assert_eq!(ok, Ok(vec![]));
    }

    #[test]
    fn unknown_names_have_suggestions() {
        let err = flat(&[("Placement.Zon", "z"), ("Placement.Zone", "z")]).unwrap_err();
        assert_eq!(err.path, "Placement.Zon");
        assert_eq!(
            err.problem,
            Problem::Unknown {
                suggestion: Some("Zone")
            }
        );
        assert_eq!(err.code(), "UnknownParameter");
        let err = flat(&[("ImageID", "x")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the parameter `ImageID` is not recognized (did you mean `ImageId`?)"
        );
        let err = flat(&[("Frobnicate", "x")]).unwrap_err();
        assert_eq!(err.problem, Problem::Unknown { suggestion: None });
    }

    #[test]
    fn lists_and_objects_must_have_their_shape() {
        assert_eq!(flat(&[("DataDisks", "1")]).unwrap_err().path, "DataDisks");
        assert_eq!(
            flat(&[("DataDisks.x.DiskSize", "1")]).unwrap_err().path,
            "DataDisks.x"
        );
        assert_eq!(
            flat(&[("DataDisks.01.DiskSize", "1")]).unwrap_err().path,
            "DataDisks.01"
        );
        assert_eq!(
            flat(&[("Placement", "1")]).unwrap_err().code(),
            "InvalidParameterValue"
        );
        assert_eq!(flat(&[("ImageId.x", "1")]).unwrap_err().path, "ImageId.x");
        assert_eq!(
            flat(&[("Placement.Zone", "z"), ("InstanceCount", "two")]).unwrap_err(),
            Violation::new(
                "InstanceCount",
                Problem::WrongType {
                    expected: "an integer (int64)".into()
                }
            )
        );
        let params = Params::from_pairs([("HostCount", "-1")]).expect("keys");
        let err = check_params(spec("AllocateHosts"), CVM_OBJECTS, &params).unwrap_err();
        assert_eq!(err.path, "HostCount");
    }

    #[test]
    fn required_fields_at_every_level() {
        let params = Params::from_pairs([("StopType", "SOFT")]).expect("keys");
        assert_eq!(
            check_params(spec("StopInstances"), CVM_OBJECTS, &params).unwrap_err(),
            Violation::new("InstanceIds", Problem::Missing)
        );
        // A present object must hold its own required members.
        let err = flat(&[("Placement.ProjectId", "0")]).unwrap_err();
        assert_eq!(err, Violation::new("Placement.Zone", Problem::Missing));
        assert_eq!(err.code(), "MissingParameter");
        let params = Params::from_pairs([("Filters.0.Values.0", "x")]).expect("keys");
        let err = check_params(spec("DescribeInstances"), CVM_OBJECTS, &params).unwrap_err();
        assert_eq!(err, Violation::new("Filters.0.Name", Problem::Missing));
    }

    #[test]
    fn json_types_are_strict() {
        let run = spec("RunInstances");
        let ok = json!({"Placement": {"Zone": "z"}, "InstanceCount": 1, "DataDisks": [{"DiskSize": 10}], "DryRun": false});
        assert_eq!(check_json(run, CVM_OBJECTS, &ok), Ok(vec![]));
        let err = check_json(
            run,
            CVM_OBJECTS,
            &json!({"Placement": {"Zone": "z"}, "InstanceCount": "1"}),
        )
        .unwrap_err();
        assert_eq!(err.path, "InstanceCount");
        let err = check_json(
            run,
            CVM_OBJECTS,
            &json!({"Placement": {"Zone": "z"}, "DataDisks": [{"DiskSize": 1.5}]}),
        )
        .unwrap_err();
        assert_eq!(err.path, "DataDisks.0.DiskSize");
        let err = check_json(run, CVM_OBJECTS, &json!({"Placement": {"Zon": "z"}})).unwrap_err();
        assert_eq!(
            err.problem,
            Problem::Unknown {
                suggestion: Some("Zone")
            }
        );
        let err = check_json(
            spec("StopInstances"),
            CVM_OBJECTS,
            &json!({"InstanceIds": null}),
        )
        .unwrap_err();
        assert_eq!(err, Violation::new("InstanceIds", Problem::Missing));
        let err = check_json(
            run,
            CVM_OBJECTS,
            &json!({"Placement": {"Zone": "z"}, "DataDisks": {"DiskSize": 1}}),
        )
        .unwrap_err();
        assert_eq!(err.path, "DataDisks");
        assert!(check_json(run, CVM_OBJECTS, &json!([1])).is_err());
    }

    #[test]
    fn every_action_accepts_its_empty_required_skeleton() {
        // Each action's required fields, filled with values of the right type, pass both checks.
        for spec in crate::api::cvm::SPEC {
            let mut params = Params::new();
            let mut body = Map::new();
            for field in spec.fields.iter().filter(|f| f.required) {
                let (text, value) = match field.member {
                    "int64" | "uint64" => ("1", json!(1)),
                    "float" => ("1.5", json!(1.5)),
                    "bool" => ("true", json!(true)),
                    _ => ("x", json!("x")),
                };
                if field.ty == FieldType::List && is_primitive(field.member) {
                    params
                        .insert(format!("{}.0", field.name), text)
                        .expect("key");
                    body.insert(field.name.into(), json!([value]));
                } else if is_primitive(field.member) {
                    params.insert(field.name, text).expect("key");
                    body.insert(field.name.into(), value);
                }
            }
            if spec
                .fields
                .iter()
                .any(|f| f.required && !is_primitive(f.member))
            {
                continue;
            }
            assert!(
                check_params(spec, CVM_OBJECTS, &params).is_ok(),
                "{}",
                spec.name
            );
            assert!(
                check_json(spec, CVM_OBJECTS, &Value::Object(body)).is_ok(),
                "{}",
                spec.name
            );
        }
    }

    #[test]
    fn skeletons_name_every_field() {
        let s = skeleton(spec("RunInstances"), CVM_OBJECTS);
        assert_eq!(s["Placement"]["Zone"], json!("string (required)"));
        assert_eq!(s["DataDisks"][0]["DiskSize"], json!("int64 (required)"));
        assert_eq!(s["InstanceCount"], json!("int64"));
        assert_eq!(
            s.as_object().map(Map::len),
            Some(spec("RunInstances").fields.len())
        );
    }

    #[test]
    fn action_names_and_suggestions() {
        assert_eq!(crate::api::cvm::SPEC.len(), 106);
        assert!(action("RunInstances").is_some());
        assert!(action("RunInstance").is_none());
        assert_eq!(suggest_action("RunInstance"), Some("RunInstances"));
        assert_eq!(suggest_action("Xyzzy"), None);
    }
}
