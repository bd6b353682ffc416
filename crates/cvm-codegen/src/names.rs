//! Rust names for wire names: snake_case fields, keywords, and the names a struct cannot take.

use std::collections::BTreeSet;

use crate::spec::{FieldDef, ObjectDef};
use crate::Error;

/// Rust keywords: a field named like one is written with `r#`.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Object names the generated code cannot use as struct names.
pub(crate) const RESERVED: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Into",
    "IntoIterator",
    "Iterator",
    "Self",
    "ACTIONS",
    "SPEC",
    "OBJECTS",
];

/// The snake_case of a PascalCase wire name: `GPUInfo` -> `gpu_info`, `IPv6Addresses` -> `ipv6_addresses`.
pub fn snake_case(wire: &str) -> String {
    let wire = wire.replace("IPv6", "Ipv6").replace("IPv4", "Ipv4");
    let chars: Vec<char> = wire.chars().collect();
    let mut out = String::with_capacity(wire.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = if i > 0 {
                chars.get(i - 1).copied()
            } else {
                None
            };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// What serde's `rename_all = "PascalCase"` makes of a snake_case field name.
fn serde_pascal(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut capitalize = true;
    for c in snake.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A field ready to render.
pub(crate) struct Field<'a> {
    /// The field as the spec gives it.
    pub(crate) def: &'a FieldDef,
    /// The Rust identifier (maybe `r#type`).
    pub(crate) ident: String,
    /// The identifier without `r#`, for method names.
    pub(crate) bare: String,
    /// The wire name when `rename_all` would not give it.
    pub(crate) rename: Option<&'a str>,
}

/// The fields of `object` ready to render, refusing names that would not compile or would clash.
pub(crate) fn fields(object: &ObjectDef, skip_request_id: bool) -> Result<Vec<Field<'_>>, Error> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for def in &object.fields {
        if skip_request_id && def.name == "RequestId" {
            continue;
        }
        if def.name.is_empty() || !def.name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::Spec(format!(
                "{}.{}: unexpected field name",
                object.name, def.name
            )));
        }
        let bare = snake_case(&def.name);
        if matches!(bare.as_str(), "self" | "super" | "crate") {
            return Err(Error::Spec(format!(
                "{}.{}: field name cannot be an identifier",
                object.name, def.name
            )));
        }
        let ident = if KEYWORDS.contains(&bare.as_str()) {
            format!("r#{bare}")
        } else {
            bare.clone()
        };
        if !seen.insert(bare.clone()) {
            return Err(Error::Spec(format!(
                "{}.{}: two fields are both `{bare}` in Rust",
                object.name, def.name
            )));
        }
        let rename = (serde_pascal(&bare) != def.name).then_some(def.name.as_str());
        out.push(Field {
            def,
            ident,
            bare,
            rename,
        });
    }
    Ok(out)
}

/// The fields in byte order of their wire names: the order of their parameters, and the order
/// of a reply's field table.
pub(crate) fn by_wire_name<'a, 'b>(fields: &'a [Field<'b>]) -> Vec<&'a Field<'b>> {
    let mut sorted: Vec<&Field<'_>> = fields.iter().collect();
    sorted.sort_by(|a, b| a.def.name.as_bytes().cmp(b.def.name.as_bytes()));
    sorted
}

/// Whether a wire name holds a secret that `Debug` must not show.
pub(crate) fn secret(wire: &str) -> bool {
    matches!(wire, "Password" | "Token" | "SecretKey")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_wire_names() {
        assert_eq!(snake_case("CPU"), "cpu");
        assert_eq!(snake_case("GPUInfo"), "gpu_info");
        assert_eq!(snake_case("IPv6Addresses"), "ipv6_addresses");
        assert_eq!(snake_case("InstanceId"), "instance_id");
        assert_eq!(snake_case("Ipv6AddressCount"), "ipv6_address_count");
        assert_eq!(serde_pascal("gpu_info"), "GpuInfo");
        assert_eq!(serde_pascal("instance_id"), "InstanceId");
    }
}
