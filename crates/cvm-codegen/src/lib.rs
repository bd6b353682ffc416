//! The generator of cvm-proto's typed API modules.
//!
//! It reads the facts in `spec/<service>.json` (see `spec/README.md`) and renders
//! `crates/cvm-proto/src/api/generated/<service>.rs` for each of [`SERVICES`], plus the
//! `crates/cvm-proto/src/api/mod.rs` that declares them, and the typed methods of the clients
//! (`crates/cvm-blocking/src/api.rs`, `crates/cvm-async/src/api.rs`). Rendering is a pure function of the
//! spec, so the same input always gives the same bytes; the generated files are marked
//! `rustfmt_skip`, so `cargo fmt` leaves them as written.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The services generated, each with the cvm-proto feature that enables it (`None`: always on).
pub const SERVICES: &[(&str, Option<&str>)] =
    &[("cvm", None), ("vpc", Some("vpc")), ("cbs", Some("cbs"))];

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

/// Why the generator could not render a service.
#[derive(Debug)]
pub enum Error {
    /// A spec file could not be read.
    Io(PathBuf, std::io::Error),
    /// A spec file is not valid JSON of the expected shape.
    Json(PathBuf, serde_json::Error),
    /// The spec holds something the generator does not handle.
    Spec(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(path, e) => write!(f, "{}: {e}", path.display()),
            Error::Json(path, e) => write!(f, "{}: {e}", path.display()),
            Error::Spec(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// One file the generator writes: its path relative to the workspace root and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The path relative to the workspace root.
    pub path: PathBuf,
    /// The complete text.
    pub text: String,
}

/// The directory of the generated modules, relative to the workspace root.
pub const API_DIR: &str = "crates/cvm-proto/src/api";

/// Every file the generator writes, rendered from the spec files under `root` (the workspace root).
pub fn outputs(root: &Path) -> Result<Vec<Output>, Error> {
    let mut out = Vec::new();
    let mut cvm = None;
    for (service, _) in SERVICES {
        let path = root.join("spec").join(format!("{service}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Io(path.clone(), e))?;
        let mut spec: Spec =
            serde_json::from_str(&text).map_err(|e| Error::Json(path.clone(), e))?;
        if *service == "cvm" {
            // The clients' methods are rendered from the spec as written, before typing.
            cvm = Some(spec.clone());
        }
        type_fields(&mut spec);
        if spec.service != *service {
            return Err(Error::Spec(format!(
                "{}: service is {:?}",
                path.display(),
                spec.service
            )));
        }
        out.push(Output {
            path: Path::new(API_DIR)
                .join("generated")
                .join(format!("{service}.rs")),
            text: render(&spec)?,
        });
    }
    out.push(Output {
        path: Path::new(API_DIR).join("mod.rs"),
        text: render_mod(),
    });
    let cvm = cvm.ok_or_else(|| Error::Spec("no cvm service in SERVICES".into()))?;
    for (krate, flavour) in [
        ("cvm-blocking", Flavour::Blocking),
        ("cvm-async", Flavour::Async),
    ] {
        out.push(Output {
            path: Path::new("crates").join(krate).join("src").join("api.rs"),
            text: render_client(&cvm, flavour),
        });
    }
    Ok(out)
}

/// Which client [`render_client`] writes methods for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `cvm-blocking`: methods return the result.
    Blocking,
    /// `cvm-async`: methods return a future.
    Async,
}

/// One typed method per action of `spec` on a client, each a thin call of its generic `call`.
pub fn render_client(spec: &Spec, flavour: Flavour) -> String {
    let mut s = String::new();
    let service = &spec.service;
    let _ = writeln!(s, "// Generated by cvm-codegen from spec/{service}.json: do not edit; run `cargo run -p cvm-codegen`.");
    let _ = writeln!(
        s,
        "//! One typed method per {} action on [`Client`], each the generic [`Client::call`] of its request type.",
        service.to_ascii_uppercase()
    );
    s.push_str("#![cfg_attr(rustfmt, rustfmt_skip)]\n\n");
    let _ = writeln!(s, "use cvm_proto::api::{service}::*;\n");
    s.push_str("use crate::{Client, Error, Reply};\n\n");
    s.push_str("impl Client {\n");
    for (i, a) in spec.actions.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let method = snake_case(&a.name);
        let kind = if is_read_only(&a.name) {
            "; it only reads"
        } else if REPEATABLE.iter().any(|(n, _)| *n == a.name) {
            "; repeating it is safe"
        } else {
            ""
        };
        let deprecated = if a.status == "deprecated" {
            " The service marks it deprecated."
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "    /// Calls `{}`{kind}, retrying as the retry policy allows.{deprecated}",
            a.name
        );
        match flavour {
            Flavour::Blocking => {
                let _ = writeln!(
                    s,
                    "    pub fn {method}(&self, request: &{}) -> Result<Reply<{}>, Error> {{\n        self.call(request)\n    }}",
                    a.input, a.output
                );
            }
            Flavour::Async => {
                let _ = writeln!(
                    s,
                    "    pub async fn {method}(&self, request: &{}) -> Result<Reply<{}>, Error> {{\n        self.call(request).await\n    }}",
                    a.input, a.output
                );
            }
        }
    }
    s.push_str("}\n");
    s
}

/// The outputs whose file under `root` is missing or differs.
pub fn stale(root: &Path, outputs: &[Output]) -> Vec<PathBuf> {
    outputs
        .iter()
        .filter(|o| {
            std::fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(o.text.as_str())
        })
        .map(|o| o.path.clone())
        .collect()
}

/// The module declaring the generated services and the hand-written helpers beside them.
pub fn render_mod() -> String {
    let mut s = String::new();
    s.push_str(MOD_DOC);
    s.push_str("\npub mod spec;\nmod wire;\n\n");
    // In name order, as rustfmt orders module declarations.
    let mut services = SERVICES.to_vec();
    services.sort_unstable();
    for (service, feature) in services {
        if let Some(feature) = feature {
            let _ = writeln!(s, "#[cfg(feature = \"{feature}\")]");
        }
        let _ = writeln!(s, "#[path = \"generated/{service}.rs\"]");
        let _ = writeln!(s, "pub mod {service};");
    }
    s
}

const MOD_DOC: &str = r#"// Generated by cvm-codegen: do not edit; run `cargo run -p cvm-codegen`.
//! Typed requests and replies of every action of the CVM API (and, behind the `vpc` and `cbs`
//! features, of the VPC and CBS APIs), generated from the facts in `spec/<service>.json`.
//!
//! Each service module has, for every action `X`, a request `XRequest` implementing
//! [`Action`](crate::Action) and a reply `XResponse` (the content of the reply's `Response`
//! object without `RequestId`), one struct per data type, `ACTIONS` (the facts of every action,
//! for calls by name), `SPEC` and `OBJECTS` (every request field and every field of the data
//! types requests hold, for offline validation: see [`spec`]) and `visit_requests`.
//!
//! # Names
//!
//! Rust fields are the snake_case of the wire names, with `r#` before keywords; a field whose
//! wire name is not the PascalCase of its Rust name (`CPU`, `GPUInfo`, `IPv6Addresses`) carries
//! its wire name in `#[serde(rename)]` for serde's `Serialize` (replies find their fields by the
//! wire names written out, see below). Struct names are the wire names.
//!
//! # Three kinds of structs
//!
//! - **Request side** (request objects, and data types reachable only from requests): strict,
//!   as the emulator must answer `UnknownParameter` for keys the service does not know:
//!   `#[serde(deny_unknown_fields)]`, required members are plain fields (a missing one is an
//!   error), optional ones are `Option`s omitted when `None`, lists are omitted when empty.
//! - **Reply side** (response objects, and data types reachable only from replies): tolerant,
//!   as the service adds fields and sends `null` and numbers as strings: absent fields are
//!   empty, unknown fields ignored, every scalar and nested struct an `Option`, lists read
//!   `null` as empty, and integers, floats and booleans accept a number (or boolean) or its
//!   text. A field given twice is an error. Their `Deserialize` is generated, not derived: the
//!   sorted wire names and a match of each to its field, read by `wire::read_struct` (serde's
//!   derive expanded to about ten times as much code, half of the crate's build time).
//! - **Both sides** (data types reachable from requests and from replies, such as `Placement`):
//!   generated once, tolerant when read like a reply-side struct and written like a
//!   request-side one (`None` and empty lists omitted). Every member is an `Option`, even one a
//!   request requires, because a reply may leave it out; and unknown fields are ignored, so the
//!   emulator cannot reject an unknown key nested in one of them. The alternative, two types
//!   per data type (a strict one and an `Info` twin, as the hand-written `models` do), would
//!   double the generated code and make callers convert between twins; `SPEC` still says which
//!   members a request requires, so offline validation loses nothing.
//!
//! Requests use neither `flatten` nor untagged enums, so [`crate::flatten`] handles them (for
//! signature v1), and `serde_json` writes them for TC3. Times stay strings. Structs with a
//! secret member (`Password`, `Token`, `SecretKey`) implement `Debug` by hand and show it as
//! `<redacted>`.
//!
//! # Building requests
//!
//! Request-side and both-sides structs have a `new` that takes the fields requests require (so
//! the compiler checks them) and a `with_<field>` method per field, taking anything that
//! converts into the member (or, for a list, any iterator of such):
//! `StopInstancesRequest::new(["ins-1"]).with_stop_type("SOFT")`,
//! `RunInstancesRequest::new().with_image_id("img-x").with_placement(Placement::new("ap-guangzhou-2"))`.
//! Both clients have one method per CVM action (`client.run_instances(&request)`), generated
//! beside them from the same spec.
"#;

/// Reply fields of string type whose values form a known set, each read as a hand-written open
/// enum instead of a `String`: (service, object, field, the pseudo-member naming the enum).
pub const TYPED_FIELDS: &[(&str, &str, &str, &str)] = &[
    ("cvm", "Instance", "InstanceState", INSTANCE_STATE),
    ("cvm", "InstanceStatus", "InstanceState", INSTANCE_STATE),
];

/// The pseudo-member of fields read as `crate::models::InstanceState`.
const INSTANCE_STATE: &str = "instance_state";

/// Gives the fields of [`TYPED_FIELDS`] their pseudo-members.
fn type_fields(spec: &mut Spec) {
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

fn scalar(member: &str) -> Option<&'static str> {
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
fn lenient(member: &str) -> bool {
    matches!(member, "int64" | "uint64" | "float" | "bool")
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Object names the generated code cannot use as struct names.
const RESERVED: &[&str] = &[
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

/// Which side of the API a struct is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Reply,
    Both,
}

/// A field ready to render.
struct Field<'a> {
    def: &'a FieldDef,
    /// The Rust identifier (maybe `r#type`).
    ident: String,
    /// The identifier without `r#`, for method names.
    bare: String,
    /// The wire name when `rename_all` would not give it.
    rename: Option<&'a str>,
}

fn fields(object: &ObjectDef, skip_request_id: bool) -> Result<Vec<Field<'_>>, Error> {
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

/// Whether a wire name holds a secret that `Debug` must not show.
fn secret(wire: &str) -> bool {
    matches!(wire, "Password" | "Token" | "SecretKey")
}

/// The Rust type of one element (or of a non-list member).
fn member_type(def: &FieldDef) -> String {
    scalar(&def.member).map_or_else(|| def.member.clone(), str::to_owned)
}

/// The objects reachable from `roots` through fields (the roots included).
fn reach<'a>(objects: &BTreeMap<&'a str, &'a ObjectDef>, roots: Vec<&'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        if seen.insert(n) {
            if let Some(o) = objects.get(n) {
                stack.extend(
                    o.fields
                        .iter()
                        .map(|f| f.member.as_str())
                        .filter(|m| objects.contains_key(m)),
                );
            }
        }
    }
    seen
}

struct Ctx<'a> {
    objects: BTreeMap<&'a str, &'a ObjectDef>,
    sides: BTreeMap<&'a str, Side>,
    requests: BTreeSet<&'a str>,
    responses: BTreeSet<&'a str>,
}

impl<'a> Ctx<'a> {
    /// Whether a value of object `name` can hold a float anywhere in its tree, so that the check
    /// for NaN and infinities before a JSON body must look inside it.
    fn holds_float(&self, name: &'a str) -> bool {
        reach(&self.objects, vec![name]).iter().any(|n| {
            self.objects
                .get(n)
                .is_some_and(|o| o.fields.iter().any(|f| f.member == "float"))
        })
    }

    fn new(spec: &'a Spec) -> Result<Self, Error> {
        let mut objects = BTreeMap::new();
        for o in &spec.objects {
            if RESERVED.contains(&o.name.as_str())
                || o.name.is_empty()
                || !o.name.starts_with(|c: char| c.is_ascii_uppercase())
                || !o.name.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(Error::Spec(format!(
                    "object name {:?} cannot be a struct name",
                    o.name
                )));
            }
            if objects.insert(o.name.as_str(), o).is_some() {
                return Err(Error::Spec(format!("object {} appears twice", o.name)));
            }
        }
        for o in &spec.objects {
            for f in &o.fields {
                let kind_ok = match f.ty.as_str() {
                    "string" => matches!(
                        f.member.as_str(),
                        "string" | "datetime" | "datetime_iso" | "date" | INSTANCE_STATE
                    ),
                    "int" => matches!(f.member.as_str(), "int64" | "uint64"),
                    "float" => f.member == "float",
                    "bool" => f.member == "bool",
                    "object" => objects.contains_key(f.member.as_str()),
                    "list" => {
                        scalar(&f.member).is_some() || objects.contains_key(f.member.as_str())
                    }
                    _ => false,
                };
                if !kind_ok {
                    return Err(Error::Spec(format!(
                        "{}.{}: type {} of {} is not handled",
                        o.name, f.name, f.ty, f.member
                    )));
                }
            }
        }
        let requests: BTreeSet<&str> = spec.actions.iter().map(|a| a.input.as_str()).collect();
        let responses: BTreeSet<&str> = spec.actions.iter().map(|a| a.output.as_str()).collect();
        for a in &spec.actions {
            for name in [&a.input, &a.output] {
                if !objects.contains_key(name.as_str()) {
                    return Err(Error::Spec(format!("action {}: no object {name}", a.name)));
                }
            }
            if a.input != format!("{}Request", a.name) || a.output != format!("{}Response", a.name)
            {
                return Err(Error::Spec(format!(
                    "action {}: unexpected object names",
                    a.name
                )));
            }
        }
        let ins = reach(&objects, requests.iter().copied().collect());
        let outs = reach(&objects, responses.iter().copied().collect());
        let mut sides = BTreeMap::new();
        for &name in objects.keys() {
            let side = match (ins.contains(name), outs.contains(name)) {
                (true, false) => Side::Request,
                (false, true) | (false, false) => Side::Reply,
                (true, true) => Side::Both,
            };
            sides.insert(name, side);
        }
        for &name in requests.iter().chain(responses.iter()) {
            if sides.get(name) == Some(&Side::Both) {
                return Err(Error::Spec(format!("{name} is used inside another object")));
            }
        }
        let ctx = Ctx {
            objects,
            sides,
            requests,
            responses,
        };
        ctx.check_acyclic()?;
        Ok(ctx)
    }

    /// Nested structs are held by value, so no object may contain itself.
    fn check_acyclic(&self) -> Result<(), Error> {
        for (&name, o) in &self.objects {
            let mut stack: Vec<&str> = o.fields.iter().map(|f| f.member.as_str()).collect();
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == name {
                    return Err(Error::Spec(format!("object {name} contains itself")));
                }
                if seen.insert(n) {
                    if let Some(o) = self.objects.get(n) {
                        stack.extend(o.fields.iter().map(|f| f.member.as_str()));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The generated module of one service.
pub fn render(spec: &Spec) -> Result<String, Error> {
    // The tables below are documented as in name order, which the spec files keep.
    if let Some(w) = spec
        .actions
        .windows(2)
        .find(|w| w[0].name.as_bytes() >= w[1].name.as_bytes())
    {
        return Err(Error::Spec(format!(
            "{}: actions out of name order at {:?}, {:?}",
            spec.service, w[0].name, w[1].name
        )));
    }
    let ctx = Ctx::new(spec)?;
    let mut s = String::new();
    let service = &spec.service;
    let upper = service.to_ascii_uppercase();
    let _ = writeln!(s, "// Generated by cvm-codegen from spec/{service}.json: do not edit; run `cargo run -p cvm-codegen`.");
    let _ = writeln!(
        s,
        "//! The {upper} API, version {}: every action's request and reply, and every data type.",
        spec.version
    );
    let _ = writeln!(s, "//!");
    let _ = writeln!(s, "//! Generated from `spec/{service}.json` ({}); see [the module above](super) for the conventions.", spec.source);
    s.push_str("#![cfg_attr(rustfmt, rustfmt_skip)]\n#![allow(clippy::upper_case_acronyms, clippy::too_many_arguments, clippy::single_match)]\n");

    // Requests and responses in action order, then the data types by name.
    for a in &spec.actions {
        let input = ctx
            .objects
            .get(a.input.as_str())
            .copied()
            .ok_or_else(|| Error::Spec(a.input.clone()))?;
        let output = ctx
            .objects
            .get(a.output.as_str())
            .copied()
            .ok_or_else(|| Error::Spec(a.output.clone()))?;
        let deprecated = if a.status == "deprecated" {
            " The service marks this action deprecated."
        } else {
            ""
        };
        render_struct(
            &mut s,
            input,
            Side::Request,
            &format!("Request of `{}`.{deprecated}", a.name),
            false,
            ctx.holds_float(&input.name),
        )?;
        render_struct(
            &mut s,
            output,
            Side::Reply,
            &format!("Reply to `{}` (without `RequestId`).", a.name),
            true,
            ctx.holds_float(&output.name),
        )?;
        render_action(&mut s, a, input);
    }
    // The structs that read themselves with `Fields`, for the test at the end.
    let mut read: Vec<&str> = spec.actions.iter().map(|a| a.output.as_str()).collect();
    for (&name, &o) in &ctx.objects {
        if ctx.requests.contains(name) || ctx.responses.contains(name) {
            continue;
        }
        let side = ctx.sides.get(name).copied().unwrap_or(Side::Reply);
        if side != Side::Request {
            read.push(name);
        }
        let what = match side {
            Side::Request => "requests",
            Side::Reply => "replies",
            Side::Both => "requests and replies",
        };
        render_struct(
            &mut s,
            o,
            side,
            &format!("`{name}` (wire name), a data type of {what}."),
            false,
            ctx.holds_float(name),
        )?;
    }

    // Tables.
    let _ = writeln!(
        s,
        "\n/// The facts of every `{service}` action, in name order."
    );
    let _ = writeln!(s, "pub const ACTIONS: &[crate::ActionInfo] = &[");
    for a in &spec.actions {
        let _ = writeln!(s, "    crate::ActionInfo::of::<{}>(),", a.input);
    }
    s.push_str("];\n");

    let _ = writeln!(
        s,
        "\n/// Every `{service}` request's fields, in action name order."
    );
    let _ = writeln!(s, "pub const SPEC: &[crate::api::spec::ActionSpec] = &[");
    for a in &spec.actions {
        let input = ctx
            .objects
            .get(a.input.as_str())
            .copied()
            .ok_or_else(|| Error::Spec(a.input.clone()))?;
        let _ = writeln!(s, "    crate::api::spec::ActionSpec {{");
        let _ = writeln!(s, "        name: \"{}\",", a.name);
        let _ = writeln!(s, "        request: \"{}\",", a.input);
        let _ = writeln!(s, "        deprecated: {},", a.status == "deprecated");
        render_field_specs(&mut s, input, "        ");
        let _ = writeln!(s, "    }},");
    }
    s.push_str("];\n");

    let _ = writeln!(
        s,
        "\n/// The fields of every data type that `{service}` requests hold, in name order."
    );
    let _ = writeln!(s, "pub const OBJECTS: &[crate::api::spec::ObjectSpec] = &[");
    for (&name, &o) in &ctx.objects {
        if ctx.requests.contains(name)
            || !matches!(ctx.sides.get(name), Some(Side::Request | Side::Both))
        {
            continue;
        }
        let _ = writeln!(s, "    crate::api::spec::ObjectSpec {{");
        let _ = writeln!(s, "        name: \"{name}\",");
        render_field_specs(&mut s, o, "        ");
        let _ = writeln!(s, "    }},");
    }
    s.push_str("];\n");

    let _ = writeln!(s, "\n/// Calls `visitor` with the type and the [`SPEC`] entry of every `{service}` request, in [`SPEC`] order.");
    s.push_str("#[cfg(feature = \"server\")]\npub fn visit_requests<V: crate::api::spec::RequestVisitor>(visitor: &mut V) {\n");
    for (i, a) in spec.actions.iter().enumerate() {
        let _ = writeln!(s, "    visitor.visit::<{}>(&SPEC[{i}]);", a.input);
    }
    s.push_str("}\n");

    s.push_str("\n/// Every struct read by its generated `Fields` finds each of its fields, and only those.\n");
    s.push_str("#[cfg(test)]\n#[test]\nfn every_reply_struct_finds_its_fields() {\n");
    for name in read {
        let _ = writeln!(s, "    crate::api::wire::check_fields::<{name}>();");
    }
    s.push_str("}\n");
    Ok(s)
}

fn render_field_specs(s: &mut String, o: &ObjectDef, indent: &str) {
    if o.fields.is_empty() {
        let _ = writeln!(s, "{indent}fields: &[],");
        return;
    }
    let _ = writeln!(s, "{indent}fields: &[");
    for f in &o.fields {
        let ty = match f.ty.as_str() {
            "string" => "String",
            "int" => "Int",
            "float" => "Float",
            "bool" => "Bool",
            "list" => "List",
            _ => "Object",
        };
        let _ = writeln!(
            s,
            "{indent}    crate::api::spec::FieldSpec {{ name: \"{}\", ty: crate::api::spec::FieldType::{ty}, member: \"{}\", required: {}, deprecated: {} }},",
            f.name, f.member, f.required, f.deprecated
        );
    }
    let _ = writeln!(s, "{indent}],");
}

fn render_struct(
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

/// The fields in byte order of their wire names: the order of their parameters, and the order
/// of a reply's field table.
fn by_wire_name<'a, 'b>(fields: &'a [Field<'b>]) -> Vec<&'a Field<'b>> {
    let mut sorted: Vec<&Field<'_>> = fields.iter().collect();
    sorted.sort_by(|a, b| a.def.name.as_bytes().cmp(b.def.name.as_bytes()));
    sorted
}

/// The direct flattening of a request-side type: its fields by wire name in byte order, which
/// is the order of their parameters (see `cvm_proto::flatten::Flatten`).
fn render_flatten(s: &mut String, name: &str, fields: &[Field<'_>], side: Side, holds_float: bool) {
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
                // Read by `render_fields` (`null` is an empty list, numbers may be text).
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

/// The `Deserialize` of a reply-side or both-sides struct: its wire names sorted, the index of
/// each, and one `read` arm per field, for `crate::api::wire::read_struct`.
fn render_fields(s: &mut String, name: &str, fields: &[Field<'_>]) -> Result<(), Error> {
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

/// Actions that are safe to repeat although they change state (repeating one has the effect of
/// doing it once), each with the error codes by which a repeat says that its effect is in place.
/// Read-only actions are repeatable anyway; every other action is not, unless it takes a
/// `ClientToken`. Knowledge of the service, not of the spec, so it is kept here by hand.
pub const REPEATABLE: &[(&str, &[&str])] = &[(
    "TerminateInstances",
    &[
        "UnsupportedOperation.InstanceStateShuttingDown",
        "UnsupportedOperation.InstanceStateTerminating",
        "UnsupportedOperation.InstanceStateTerminated",
        "InvalidInstanceId.NotFound",
    ],
)];

/// Whether an action only reads: the service's naming, `Describe*` and `Inquiry*` (prices).
pub fn is_read_only(action: &str) -> bool {
    action.starts_with("Describe") || action.starts_with("Inquiry")
}

fn render_action(s: &mut String, a: &ActionDef, input: &ObjectDef) {
    let read_only = is_read_only(&a.name);
    let _ = writeln!(s, "\nimpl crate::Action for {} {{", a.input);
    let _ = writeln!(s, "    const NAME: &'static str = \"{}\";", a.name);
    let _ = writeln!(s, "    const READ_ONLY: bool = {read_only};");
    if input.fields.iter().any(|f| f.name == "ClientToken") {
        s.push_str("    const CLIENT_TOKEN: Option<&'static str> = Some(\"ClientToken\");\n");
    }
    if let Some((_, codes)) = REPEATABLE.iter().find(|(name, _)| *name == a.name) {
        s.push_str("    const IDEMPOTENT: bool = true;\n");
        let codes: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
        let _ = writeln!(
            s,
            "    const ALREADY_DONE: &'static [&'static str] = &[{}];",
            codes.join(", ")
        );
    }
    let _ = writeln!(s, "    type Output = {};", a.output);
    s.push_str("\n    fn flatten_into(&self, params: &mut crate::Params) -> Result<(), crate::flatten::FlattenError> {\n        crate::flatten::flatten_direct(self, params)\n    }\n");
    s.push_str("\n    fn flatten_with_common(&self, params: &mut crate::Params, common: &[(&'static str, &str)]) -> Result<(), crate::PrepareError> {\n        crate::flatten::flatten_with_common(self, params, common)\n    }\n");
    s.push_str("\n    fn check_finite(&self) -> Result<(), crate::flatten::FlattenError> {\n        crate::flatten::check_finite(self)\n    }\n");
    // A request with a token, or a dry run that creates nothing, is safe to send again.
    let optional = |name: &str, ty: &str| {
        input
            .fields
            .iter()
            .any(|f| f.name == name && f.ty == ty && !f.required)
    };
    let mut safe = Vec::new();
    if optional("ClientToken", "string") {
        safe.push("self.client_token.is_some()");
    }
    if optional("DryRun", "bool") {
        safe.push("self.dry_run == Some(true)");
    }
    if !safe.is_empty() {
        s.push_str("\n    /// Safe to resend when it carries a `ClientToken` or is a dry run that changes nothing.\n");
        let _ = writeln!(
            s,
            "    fn is_idempotent(&self) -> bool {{\n        Self::IDEMPOTENT || {}\n    }}",
            safe.join(" || ")
        );
    }
    s.push_str("}\n");
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

    /// A request type says it holds no float only when none is reachable from it, through
    /// objects and lists, however often a type is reached.
    #[test]
    fn holds_float_follows_the_whole_tree() {
        let spec: Spec = serde_json::from_str(
            r#"{"service":"t","version":"v","source":"test","actions":[
              {"name":"Deep","input":"DeepRequest","output":"DeepResponse","status":"online"},
              {"name":"Plain","input":"PlainRequest","output":"PlainResponse","status":"online"}],
             "objects":[
              {"name":"PlainRequest","fields":[
                {"name":"Name","type":"string","member":"string"},
                {"name":"Loop","type":"object","member":"Loop"},
                {"name":"Again","type":"list","member":"Loop"}]},
              {"name":"Loop","fields":[{"name":"Count","type":"int","member":"int64"}]},
              {"name":"PlainResponse","fields":[]},
              {"name":"DeepRequest","fields":[{"name":"Outer","type":"list","member":"Outer"}]},
              {"name":"Outer","fields":[{"name":"Inner","type":"object","member":"Inner"}]},
              {"name":"Inner","fields":[{"name":"Ratio","type":"float","member":"float"}]},
              {"name":"DeepResponse","fields":[]}]}"#,
        )
        .unwrap();
        let ctx = Ctx::new(&spec).unwrap();
        assert!(!ctx.holds_float("PlainRequest"));
        assert!(!ctx.holds_float("Loop"));
        assert!(ctx.holds_float("DeepRequest"));
        assert!(ctx.holds_float("Outer"));
        assert!(ctx.holds_float("Inner"));
        let code = render(&spec).unwrap();
        let declares = |ty: &str| {
            let start = code
                .find(&format!("impl crate::flatten::Flatten for {ty} {{"))
                .unwrap();
            code[start..]
                .lines()
                .nth(1)
                .unwrap()
                .contains("HOLDS_FLOAT: bool = false")
        };
        assert!(declares("PlainRequest") && declares("Loop"));
        assert!(!declares("DeepRequest") && !declares("Outer") && !declares("Inner"));
        assert!(code.contains("crate::flatten::check_finite(self)"));
    }

    /// The tables say they are in name order, so a spec whose actions are not is refused.
    #[test]
    fn actions_out_of_name_order_are_refused() {
        let mut spec: Spec = serde_json::from_str(
            r#"{"service":"t","version":"v","source":"test","actions":[
              {"name":"B","input":"BRequest","output":"BResponse","status":"online"},
              {"name":"A","input":"ARequest","output":"AResponse","status":"online"}],
             "objects":[
              {"name":"ARequest","fields":[]},{"name":"AResponse","fields":[]},
              {"name":"BRequest","fields":[]},{"name":"BResponse","fields":[]}]}"#,
        )
        .unwrap();
        let err = render(&spec).unwrap_err();
        assert!(err.to_string().contains("out of name order"), "{err}");
        spec.actions.swap(0, 1);
        render(&spec).unwrap();
    }

    /// A spec of one action `A` whose request has `fields` (JSON) and whose reply has none.
    fn one_action(fields: &str) -> Spec {
        action_with(fields, "")
    }

    /// A spec of one action `A` whose request and reply have these fields (JSON).
    fn action_with(request: &str, reply: &str) -> Spec {
        let json = format!(
            r#"{{"service":"t","version":"v","source":"test",
              "actions":[{{"name":"A","input":"ARequest","output":"AResponse","status":"online"}}],
              "objects":[{{"name":"ARequest","fields":[{request}]}},{{"name":"AResponse","fields":[{reply}]}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

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
