//! Every one of the service's actions is checked against the spec, over signature v1 (flat
//! parameters) and TC3 (a JSON body), with the service's error codes; an action that passes the
//! checks but is not emulated says so with `UnsupportedOperation`.
#![allow(clippy::unwrap_used)]

mod common;

use common::Client;
use cvm_proto::api::cvm::{OBJECTS, SPEC};
use cvm_proto::api::spec::{object, FieldSpec, FieldType};
use cvm_proto::sign::SignatureMethod;
use serde_json::{json, Map, Value};

fn clients() -> [(&'static str, Client); 2] {
    let mut tc3 = Client::default();
    tc3.signature_method = SignatureMethod::Tc3HmacSha256;
    [("v1", Client::default()), ("TC3", tc3)]
}

/// A value of the field's member type (one element, for a list's member).
fn sample(field: &FieldSpec, depth: usize) -> Value {
    match field.member {
        "int64" | "uint64" => json!(1),
        "float" => json!(1.5),
        "bool" => json!(true),
        "string" | "datetime" | "datetime_iso" | "date" => json!("x"),
        other => match object(OBJECTS, other) {
            Some(spec) if depth < 8 => {
                let mut members = required_only(spec.fields, depth + 1);
                // An empty object vanishes when flattened: give it its first simple member.
                if members.is_empty() {
                    if let Some(f) = spec
                        .fields
                        .iter()
                        .find(|f| f.ty != FieldType::List && f.ty != FieldType::Object)
                    {
                        members.insert(f.name.to_owned(), sample(f, depth + 1));
                    }
                }
                Value::Object(members)
            }
            _ => json!({}),
        },
    }
}

/// The request's required fields, each with a value of its type.
fn required_only(fields: &[FieldSpec], depth: usize) -> Map<String, Value> {
    let mut out = Map::new();
    for field in fields.iter().filter(|f| f.required) {
        let value = sample(field, depth);
        let value = if field.ty == FieldType::List {
            json!([value])
        } else {
            value
        };
        out.insert(field.name.to_owned(), value);
    }
    out
}

#[test]
fn an_unknown_parameter_is_refused_by_every_action() {
    for (scheme, mut c) in clients() {
        for spec in SPEC {
            let mut params = required_only(spec.fields, 0);
            params.insert("NoSuchParameterAnywhere".into(), json!("1"));
            let code = c.err(spec.name, Value::Object(params));
            assert_eq!(code, "UnknownParameter", "{scheme} {}", spec.name);
        }
    }
}

#[test]
fn a_missing_required_parameter_is_refused_by_every_action_that_has_one() {
    let mut checked = 0;
    for (scheme, mut c) in clients() {
        for spec in SPEC {
            let Some(first) = spec.fields.iter().find(|f| f.required) else {
                continue;
            };
            let mut params = required_only(spec.fields, 0);
            params.remove(first.name);
            let resp = c.call(spec.name, Value::Object(params));
            assert_eq!(
                resp.error_code().as_deref(),
                Some("MissingParameter"),
                "{scheme} {}",
                spec.name
            );
            let message = resp.response().unwrap()["Error"]["Message"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(
                message.contains(first.name),
                "{scheme} {}: {message}",
                spec.name
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn a_wrongly_typed_parameter_is_refused_by_every_action_that_has_a_typed_one() {
    let mut checked = 0;
    for (scheme, mut c) in clients() {
        for spec in SPEC {
            let typed = spec.fields.iter().find(|f| {
                f.ty != FieldType::List && matches!(f.member, "int64" | "uint64" | "bool")
            });
            let Some(field) = typed else { continue };
            let mut params = required_only(spec.fields, 0);
            params.insert(field.name.to_owned(), json!("not-a-number"));
            let code = c.err(spec.name, Value::Object(params));
            assert_eq!(
                code, "InvalidParameter",
                "{scheme} {} {}",
                spec.name, field.name
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn json_types_are_checked_over_tc3_only_where_flattening_loses_them() {
    let [(_, mut v1), (_, mut tc3)] = clients();
    // A number where the spec says string is fine as v1 text, but wrong as TC3 JSON.
    let params = json!({"InstanceIds": [1]});
    assert_eq!(
        tc3.err("DescribeInstances", params.clone()),
        "InvalidParameter"
    );
    // (v1 passes the spec's checks and fails the emulator's own: the id is not an instance id.)
    assert_eq!(
        v1.err("DescribeInstances", params),
        "InvalidInstanceId.Malformed"
    );
    // A nested unknown key and a nested missing one, in both schemes.
    for mut c in [v1, tc3] {
        let params = json!({"Filters": [{"Name": "zone", "Valuez": ["x"]}]});
        assert_eq!(c.err("DescribeInstances", params), "UnknownParameter");
        let params = json!({"Filters": [{"Name": "zone"}]});
        assert_eq!(c.err("DescribeInstances", params), "MissingParameter");
    }
}

#[test]
fn a_valid_request_to_an_action_that_is_not_emulated_says_so() {
    let emulated = cvm_sim::ACTIONS;
    let mut unsupported = 0;
    for (scheme, mut c) in clients() {
        for spec in SPEC {
            let params = Value::Object(required_only(spec.fields, 0));
            let resp = c.call(spec.name, params);
            let code = resp.error_code();
            if emulated.contains(&spec.name) {
                // Emulated actions answer with their own checks (ids that do not exist, ...).
                assert_ne!(
                    code.as_deref(),
                    Some("UnsupportedOperation"),
                    "{}",
                    spec.name
                );
                continue;
            }
            assert_eq!(
                code.as_deref(),
                Some("UnsupportedOperation"),
                "{scheme} {}",
                spec.name
            );
            let message = resp.response().unwrap()["Error"]["Message"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(message.contains("not emulated"), "{message}");
            unsupported += 1;
        }
    }
    assert_eq!(unsupported, 2 * (SPEC.len() - emulated.len()));
}
