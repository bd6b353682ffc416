//! The checked spec: every object by name, the side of the API each is on, and the checks that the
//! generated code compiles.

use std::collections::{BTreeMap, BTreeSet};

use crate::names::RESERVED;
use crate::spec::{scalar, ObjectDef, Spec, INSTANCE_STATE};
use crate::Error;

/// Which side of the API a struct is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// Reachable only from requests: strict, written as parameters.
    Request,
    /// Reachable only from replies (or from nothing): tolerant, read by its generated reader.
    Reply,
    /// Reachable from both: read like a reply and written like a request.
    Both,
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

/// The objects of a spec by name, the side each is on, and the request and response names.
pub(crate) struct Ctx<'a> {
    /// Every object by name.
    pub(crate) objects: BTreeMap<&'a str, &'a ObjectDef>,
    /// The side of every object.
    pub(crate) sides: BTreeMap<&'a str, Side>,
    /// The names of the actions' request objects.
    pub(crate) requests: BTreeSet<&'a str>,
    /// The names of the actions' response objects.
    pub(crate) responses: BTreeSet<&'a str>,
}

impl<'a> Ctx<'a> {
    /// Whether a value of object `name` can hold a float anywhere in its tree, so that the check
    /// for NaN and infinities before a JSON body must look inside it.
    pub(crate) fn holds_float(&self, name: &'a str) -> bool {
        reach(&self.objects, vec![name]).iter().any(|n| {
            self.objects
                .get(n)
                .is_some_and(|o| o.fields.iter().any(|f| f.member == "float"))
        })
    }

    /// Checks `spec` (names, field kinds, action objects, no object inside itself) and gives
    /// each object its side.
    pub(crate) fn new(spec: &'a Spec) -> Result<Self, Error> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render;

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
}
