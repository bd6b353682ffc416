//! One generated struct: its declaration, `Debug` where it holds a secret, its constructor and
//! setters.

use std::fmt::Write as _;

use crate::flatten::render_flatten;
use crate::model::Side;
use crate::names::{fields, secret, Field};
use crate::readers::render_fields;
use crate::spec::{member_type, ObjectDef};
use crate::Error;

/// One struct of `o` on `side`, with its `Debug`, its reader or flattening, and its builders.
pub(crate) fn render_struct(
    s: &mut String,
    o: &ObjectDef,
    side: Side,
    doc: &str,
    skip_request_id: bool,
    holds_float: bool,
) -> Result<(), Error> {
    let fields = fields(o, skip_request_id)?;
    let has_secret = fields.iter().any(|f| secret(&f.def.name));
    let name = &o.name;
    let _ = writeln!(s, "\n/// {doc}");
    let debug = if has_secret { "" } else { "Debug, " };
    // The direction a client does not need is derived only for the emulator (feature `server`).
    // Replies are read by the generated `Fields` (below), not by serde's derive.
    let (derives, reverse) = match side {
        Side::Request => (", serde::Serialize", Some("serde::Deserialize")),
        Side::Reply => ("", Some("serde::Serialize")),
        Side::Both => (", serde::Serialize", None),
    };
    let _ = writeln!(s, "#[derive({debug}Clone, Default, PartialEq{derives})]");
    if let Some(reverse) = reverse {
        let _ = writeln!(s, "#[cfg_attr(feature = \"server\", derive({reverse}))]");
    }
    let mut container = Vec::new();
    if fields.iter().any(|f| f.rename.is_none()) {
        container.push("rename_all = \"PascalCase\"");
    }
    if side == Side::Request {
        container.push("deny_unknown_fields");
    }
    if !container.is_empty() {
        let _ = writeln!(s, "{}", serde_attr(side, &container.join(", ")));
    }
    if fields.is_empty() {
        let _ = writeln!(s, "pub struct {name} {{}}");
    } else {
        let _ = writeln!(s, "pub struct {name} {{");
        for f in &fields {
            render_field(s, f, side);
        }
        s.push_str("}\n");
    }
    if has_secret {
        let _ = writeln!(s, "\nimpl std::fmt::Debug for {name} {{");
        s.push_str("    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n");
        let _ = writeln!(s, "        f.debug_struct(\"{name}\")");
        for f in &fields {
            let value = if !secret(&f.def.name) {
                format!("&self.{}", f.ident)
            } else if side == Side::Request && f.def.required {
                "&crate::api::wire::Redacted".to_owned()
            } else {
                format!(
                    "&self.{}.as_ref().map(|_| crate::api::wire::Redacted)",
                    f.ident
                )
            };
            let _ = writeln!(s, "            .field(\"{}\", {value})", f.bare);
        }
        s.push_str("            .finish()\n    }\n}\n");
    }
    if matches!(side, Side::Reply | Side::Both) {
        render_fields(s, name, &fields)?;
    }
    if matches!(side, Side::Request | Side::Both) {
        render_flatten(s, name, &fields, side, holds_float);
        let _ = writeln!(s, "\nimpl {name} {{");
        render_constructor(s, &fields, side);
        for f in &fields {
            s.push('\n');
            render_setter(s, f, side);
        }
        s.push_str("}\n");
    }
    Ok(())
}

/// One member of a struct, with the serde attributes of its side.
fn render_field(s: &mut String, f: &Field<'_>, side: Side) {
    let d = f.def;
    let deprecated = if d.deprecated {
        " Deprecated by the service."
    } else {
        ""
    };
    let _ = writeln!(s, "    /// `{}` (wire name).{deprecated}", d.name);
    let elem = member_type(d);
    let list = d.ty == "list";
    let mut attrs: Vec<String> = Vec::new();
    if let Some(wire) = f.rename {
        attrs.push(format!("rename = \"{wire}\""));
    }
    let ty = match side {
        Side::Request => {
            if d.required {
                if list {
                    format!("Vec<{elem}>")
                } else {
                    elem
                }
            } else if list {
                attrs.push("default".into());
                attrs.push("skip_serializing_if = \"Vec::is_empty\"".into());
                format!("Vec<{elem}>")
            } else {
                attrs.push("default".into());
                attrs.push("skip_serializing_if = \"Option::is_none\"".into());
                format!("Option<{elem}>")
            }
        }
        Side::Reply | Side::Both => {
            if list {
                // Read by `readers::render_fields` (`null` is an empty list, numbers may be text).
                if side == Side::Both {
                    attrs.push("skip_serializing_if = \"Vec::is_empty\"".into());
                }
                format!("Vec<{elem}>")
            } else {
                attrs.push("skip_serializing_if = \"Option::is_none\"".into());
                format!("Option<{elem}>")
            }
        }
    };
    if !attrs.is_empty() {
        let _ = writeln!(s, "    {}", serde_attr(side, &attrs.join(", ")));
    }
    let _ = writeln!(s, "    pub {}: {ty},", f.ident);
}

/// A `#[serde(...)]` attribute: a reply-side struct derives serde's `Serialize` only with the
/// feature `server` (and `Deserialize` never), so its attributes are there only with it too.
fn serde_attr(side: Side, attrs: &str) -> String {
    if side == Side::Reply {
        format!("#[cfg_attr(feature = \"server\", serde({attrs}))]")
    } else {
        format!("#[serde({attrs})]")
    }
}

/// `new`, taking the fields a request requires (so that the compiler checks them); the others
/// start empty and are set with the `with_` methods.
fn render_constructor(s: &mut String, fields: &[Field<'_>], side: Side) {
    let required: Vec<&Field<'_>> = fields.iter().filter(|f| f.def.required).collect();
    if required.is_empty() {
        s.push_str(
            "    /// An empty value: nothing is required; set fields with the `with_` methods.\n",
        );
        s.push_str("    pub fn new() -> Self {\n        Self::default()\n    }\n");
        return;
    }
    let names: Vec<String> = required
        .iter()
        .map(|f| format!("`{}`", f.def.name))
        .collect();
    let _ = writeln!(
        s,
        "    /// A value with what requests require ({}); set the other fields with the `with_` methods.",
        names.join(", ")
    );
    let args: Vec<String> = required
        .iter()
        .map(|f| {
            let elem = member_type(f.def);
            if f.def.ty == "list" {
                format!("{}: impl IntoIterator<Item = impl Into<{elem}>>", f.ident)
            } else {
                format!("{}: impl Into<{elem}>", f.ident)
            }
        })
        .collect();
    let _ = writeln!(s, "    pub fn new({}) -> Self {{", args.join(", "));
    s.push_str("        Self {\n");
    for f in &required {
        let value = if f.def.ty == "list" {
            format!("{}.into_iter().map(Into::into).collect()", f.ident)
        } else if side == Side::Request {
            format!("{}.into()", f.ident)
        } else {
            format!("Some({}.into())", f.ident)
        };
        let _ = writeln!(s, "            {}: {value},", f.ident);
    }
    if required.len() < fields.len() {
        s.push_str("            ..Self::default()\n");
    }
    s.push_str("        }\n    }\n");
}

/// The `with_<field>` method of one field.
fn render_setter(s: &mut String, f: &Field<'_>, side: Side) {
    let d = f.def;
    let elem = member_type(d);
    let _ = writeln!(s, "    /// Sets `{}`.", d.name);
    let ident = &f.ident;
    if d.ty == "list" {
        let _ = writeln!(
            s,
            "    pub fn with_{}<I: IntoIterator<Item = V>, V: Into<{elem}>>(mut self, values: I) -> Self {{",
            f.bare
        );
        let _ = writeln!(
            s,
            "        self.{ident} = values.into_iter().map(Into::into).collect();"
        );
    } else {
        let _ = writeln!(
            s,
            "    pub fn with_{}(mut self, value: impl Into<{elem}>) -> Self {{",
            f.bare
        );
        if side == Side::Request && d.required {
            let _ = writeln!(s, "        self.{ident} = value.into();");
        } else {
            let _ = writeln!(s, "        self.{ident} = Some(value.into());");
        }
    }
    s.push_str("        self\n    }\n");
}
