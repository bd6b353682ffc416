//! The generated direct flattening of request-side structs (signature v1 parameters).

use std::fmt::Write as _;

use crate::model::Side;
use crate::names::{by_wire_name, Field};

/// The direct flattening of a request-side type: its fields by wire name in byte order, which
/// is the order of their parameters (see `cvm_proto::flatten::Flatten`).
pub(crate) fn render_flatten(
    s: &mut String,
    name: &str,
    fields: &[Field<'_>],
    side: Side,
    holds_float: bool,
) {
    let sorted = by_wire_name(fields);
    let _ = writeln!(s, "\nimpl crate::flatten::Flatten for {name} {{");
    // The trait's default is `true`, the safe answer for types written by hand.
    if !holds_float {
        s.push_str("    const HOLDS_FLOAT: bool = false;\n\n");
    }
    // Fields written in byte order of their names, each once (every name is a wire name, as the
    // spec's check makes sure): the writer may trust the order (its default, `false`, is the
    // safe answer for types written by hand).
    let strictly_sorted = sorted
        .windows(2)
        .all(|p| p[0].def.name.as_bytes() < p[1].def.name.as_bytes());
    if strictly_sorted {
        s.push_str("    const IN_ORDER: bool = true;\n\n");
    }
    let w = if sorted.is_empty() { "_w" } else { "w" };
    let _ = writeln!(
        s,
        "    fn flatten(&self, {w}: &mut crate::flatten::Writer<'_>) -> Result<(), crate::flatten::FlattenError> {{"
    );
    // An absent field writes nothing, so its key is not even built.
    for f in sorted {
        let (wire, ident) = (&f.def.name, &f.ident);
        if f.def.ty == "list" {
            let _ = writeln!(
                s,
                "        if !self.{ident}.is_empty() {{ w.field(\"{wire}\", &self.{ident})?; }}"
            );
        } else if side == Side::Request && f.def.required {
            let _ = writeln!(s, "        w.field(\"{wire}\", &self.{ident})?;");
        } else {
            let _ = writeln!(
                s,
                "        if let Some(v) = &self.{ident} {{ w.field(\"{wire}\", v)?; }}"
            );
        }
    }
    s.push_str("        Ok(())\n    }\n}\n");
}

#[cfg(test)]
mod tests {
    use crate::render;
    use crate::spec::testing::*;

    /// A type writes its fields sorted by name and says so; a name that is not a wire name,
    /// which could sort its keys otherwise, is refused with the spec.
    #[test]
    fn fields_are_written_in_order_and_say_so() {
        let field =
            |name: &str| format!(r#"{{"name":"{name}","type":"string","member":"string"}}"#);
        let bad = one_action(&format!("{},{}", field("Tag-Key"), field("Tag")));
        assert!(render(&bad).is_err());
        let spec = one_action(&format!("{},{}", field("Zone"), field("Name")));
        let code = render(&spec).unwrap();
        let body = |ty: &str| {
            let start = code
                .find(&format!("impl crate::flatten::Flatten for {ty} {{"))
                .unwrap();
            let end = start + code[start..].find("\n}\n").unwrap();
            code[start..end].to_owned()
        };
        let a = body("ARequest");
        assert!(a.contains("const IN_ORDER: bool = true;"), "{a}");
        assert!(
            a.find("\"Name\"").unwrap() < a.find("\"Zone\"").unwrap(),
            "{a}"
        );
    }
}
