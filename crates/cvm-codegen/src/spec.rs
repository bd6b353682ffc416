//! The facts in `spec/<service>.json`, as the generator reads them, and the Rust types of their
//! members.

use serde::Deserialize;

/// The facts of one service, as `spec/<service>.json` holds them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The service name, e.g. `cvm`.
    pub service: String,
    /// The API version, e.g. `2017-03-12`.
    pub version: String,
    /// Where the facts were extracted from.
    pub source: String,
    /// Every action.
    pub actions: Vec<ActionDef>,
    /// Every request, response and data type.
    pub objects: Vec<ObjectDef>,
}

/// One action.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    /// The action name.
    pub name: String,
    /// The name of its request object.
    pub input: String,
    /// The name of its response object.
    pub output: String,
    /// `online` or `deprecated`.
    pub status: String,
}

/// One object: a request, a response or a data type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    /// The object name.
    pub name: String,
    /// `in`, `out` or `both` for data types (unused: the generator computes reachability).
    #[serde(default)]
    pub usage: Option<String>,
    /// Its fields in the source's order.
    pub fields: Vec<FieldDef>,
}

/// One field of an object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The wire name.
    pub name: String,
    /// `string`, `int`, `float`, `bool`, `list` or `object`.
    #[serde(rename = "type")]
    pub ty: String,
    /// A primitive or an object name; the element type of a list.
    pub member: String,
    /// Required in a request.
    #[serde(default)]
    pub required: bool,
    /// May be `null` in a reply.
    #[serde(default)]
    pub nullable: bool,
    /// Always present in a reply.
    #[serde(default)]
    pub output_required: bool,
    /// Disabled by the service.
    #[serde(default)]
    pub deprecated: bool,
}

/// Reply fields of string type whose values form a known set, each read as a hand-written open
/// enum instead of a `String`: (service, object, field, the pseudo-member naming the enum).
pub const TYPED_FIELDS: &[(&str, &str, &str, &str)] = &[
    ("cvm", "Instance", "InstanceState", INSTANCE_STATE),
    ("cvm", "InstanceStatus", "InstanceState", INSTANCE_STATE),
];

/// The pseudo-member of fields read as `crate::models::InstanceState`.
pub(crate) const INSTANCE_STATE: &str = "instance_state";

/// Gives the fields of [`TYPED_FIELDS`] their pseudo-members.
pub(crate) fn type_fields(spec: &mut Spec) {
    for o in &mut spec.objects {
        for f in &mut o.fields {
            let typed = TYPED_FIELDS.iter().find(|(service, object, field, _)| {
                *service == spec.service && *object == o.name && *field == f.name
            });
            if let Some((.., member)) = typed {
                if f.ty == "string" && f.member == "string" {
                    f.member = (*member).to_owned();
                }
            }
        }
    }
}

/// The Rust type of a scalar member, or `None` for an object name.
pub(crate) fn scalar(member: &str) -> Option<&'static str> {
    Some(match member {
        INSTANCE_STATE => "crate::models::InstanceState",
        "string" | "datetime" | "datetime_iso" | "date" => "String",
        "int64" => "i64",
        "uint64" => "u64",
        "float" => "f64",
        "bool" => "bool",
        _ => return None,
    })
}

/// Whether a scalar member is read leniently on the reply side.
pub(crate) fn lenient(member: &str) -> bool {
    matches!(member, "int64" | "uint64" | "float" | "bool")
}

/// The Rust type of one element (or of a non-list member).
pub(crate) fn member_type(def: &FieldDef) -> String {
    scalar(&def.member).map_or_else(|| def.member.clone(), str::to_owned)
}

/// Small specs for the tests of the other modules.
#[cfg(test)]
pub(crate) mod testing {
    use super::Spec;

    /// A spec of one action `A` whose request has `fields` (JSON) and whose reply has none.
    pub(crate) fn one_action(fields: &str) -> Spec {
        action_with(fields, "")
    }

    /// A spec of one action `A` whose request and reply have these fields (JSON).
    pub(crate) fn action_with(request: &str, reply: &str) -> Spec {
        let json = format!(
            r#"{{"service":"t","version":"v","source":"test",
              "actions":[{{"name":"A","input":"ARequest","output":"AResponse","status":"online"}}],
              "objects":[{{"name":"ARequest","fields":[{request}]}},{{"name":"AResponse","fields":[{reply}]}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }
}
