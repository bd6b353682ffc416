//! The generated `Deserialize` of reply-side and both-sides structs, for `wire::read_struct`.

use std::fmt::Write as _;

use crate::names::{by_wire_name, Field};
use crate::spec::{lenient, member_type, scalar};
use crate::Error;

/// The `Deserialize` of a reply-side or both-sides struct: its wire names sorted, the index of
/// each, and one `read` arm per field, for `crate::api::wire::read_struct`.
pub(crate) fn render_fields(s: &mut String, name: &str, fields: &[Field<'_>]) -> Result<(), Error> {
    if fields.len() > 64 {
        return Err(Error::Spec(format!(
            "{name}: {} fields, more than a reply struct's 64",
            fields.len()
        )));
    }
    let sorted = by_wire_name(fields);
    let _ = writeln!(s, "\nimpl crate::api::wire::Fields for {name} {{");
    let _ = writeln!(s, "    const NAME: &'static str = \"{name}\";");
    let names: Vec<String> = sorted
        .iter()
        .map(|f| format!("\"{}\"", f.def.name))
        .collect();
    let _ = writeln!(
        s,
        "    const FIELDS: &'static [&'static str] = &[{}];",
        names.join(", ")
    );
    if sorted.is_empty() {
        s.push_str("    fn index(_key: &str) -> Option<usize> {\n        None\n    }\n");
        s.push_str("    fn read<'de, A: serde::de::MapAccess<'de>>(&mut self, _index: usize, _map: &mut A) -> Result<(), A::Error> {\n        Ok(())\n    }\n}\n");
    } else {
        s.push_str("    fn index(key: &str) -> Option<usize> {\n        match key {\n");
        for (i, f) in sorted.iter().enumerate() {
            let _ = writeln!(s, "            \"{}\" => Some({i}),", f.def.name);
        }
        s.push_str("            _ => None,\n        }\n    }\n");
        s.push_str("    fn read<'de, A: serde::de::MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error> {\n");
        s.push_str("        match index {\n");
        for (i, f) in sorted.iter().enumerate() {
            let (elem, ident) = (member_type(f.def), &f.ident);
            let list = f.def.ty == "list";
            let read = |w: &str| {
                format!("self.{ident} = map.next_value::<crate::api::wire::{w}<{elem}>>()?.0")
            };
            let arm = match (list, lenient(&f.def.member)) {
                (true, true) => read("LenientList"),
                // A list of structs is read into its place (see `StructList`).
                (true, false) if scalar(&f.def.member).is_none() => {
                    format!("map.next_value_seed(crate::api::wire::StructList(&mut self.{ident}))?")
                }
                (true, false) => read("List"),
                (false, true) => read("LenientValue"),
                (false, false) => format!("self.{ident} = map.next_value()?"),
            };
            let _ = writeln!(s, "            {i} => {arm},");
        }
        // Never reached (`index` gives no other index), but the value is still read past.
        s.push_str("            _ => { map.next_value::<serde::de::IgnoredAny>()?; }\n        }\n        Ok(())\n    }\n}\n");
    }
    let _ = writeln!(s, "\nimpl<'de> serde::Deserialize<'de> for {name} {{");
    s.push_str("    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {\n        crate::api::wire::read_struct(d)\n    }\n}\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::render;
    use crate::spec::testing::*;

    /// A reply is read by its sorted wire names, each by the reader of its kind; a reply of
    /// more fields than the reader's 64-bit record of seen fields is refused with the spec.
    #[test]
    fn replies_read_their_fields_by_sorted_wire_names() {
        let field = |name: &str, ty: &str, member: &str| {
            format!(r#"{{"name":"{name}","type":"{ty}","member":"{member}"}}"#)
        };
        let reply = [
            field("Zone", "string", "string"),
            field("Count", "int", "int64"),
            field("Ids", "list", "string"),
            field("Sizes", "list", "uint64"),
            field("CPU", "int", "int64"),
            field("Disks", "list", "Disk"),
        ]
        .join(",");
        let mut spec = action_with("", &reply);
        let disk = r#"{"name":"Disk","fields":[{"name":"Size","type":"int","member":"int64"}]}"#;
        spec.objects.push(serde_json::from_str(disk).unwrap());
        let code = render(&spec).unwrap();
        let start = code
            .find("impl crate::api::wire::Fields for AResponse {")
            .unwrap();
        let body = &code[start..start + code[start..].find("\n}\n").unwrap()];
        assert!(
            body.contains(r#"&["CPU", "Count", "Disks", "Ids", "Sizes", "Zone"]"#),
            "{body}"
        );
        for arm in [
            "0 => self.cpu = map.next_value::<crate::api::wire::LenientValue<i64>>()?.0,",
            "1 => self.count = map.next_value::<crate::api::wire::LenientValue<i64>>()?.0,",
            // A list of structs is read into its place.
            "2 => map.next_value_seed(crate::api::wire::StructList(&mut self.disks))?,",
            "3 => self.ids = map.next_value::<crate::api::wire::List<String>>()?.0,",
            "4 => self.sizes = map.next_value::<crate::api::wire::LenientList<u64>>()?.0,",
            "5 => self.zone = map.next_value()?,",
        ] {
            assert!(body.contains(arm), "{arm} in {body}");
        }
        assert!(body.contains(r#""Sizes" => Some(4),"#), "{body}");
        assert!(code.contains("impl<'de> serde::Deserialize<'de> for AResponse {"));
        assert!(!code.contains("derive(Debug, Clone, Default, PartialEq, serde::Deserialize)"));

        let many: Vec<String> = (0..65)
            .map(|i| field(&format!("F{i}"), "string", "string"))
            .collect();
        assert!(render(&action_with("", &many.join(","))).is_err());
        let most: Vec<String> = (0..64)
            .map(|i| field(&format!("F{i}"), "string", "string"))
            .collect();
        assert!(render(&action_with("", &most.join(","))).is_ok());
    }
}
