//! Flattening without the serde walk: the generated types write their parameters field by
//! field, in the order the string to sign wants them.
//!
//! The generator sorts each type's fields by wire name, and a nested key `Name.Child` sorts
//! right after `Name` and before any longer sibling (`.` orders before every letter and digit),
//! so the parameters come out in byte order of their keys and need no sorting. Only list
//! indices break that order, once a list has more than ten elements (`10` sorts before `2`):
//! the writer notes it and sorts at the end. It also notes a name that does not come after its
//! sibling (a hand-written [`Flatten`] may write in any order), and then sorts and rejects a
//! repeated key. The serde flattener ([`super::flatten_into`]) gives
//! the same parameters for every generated value; a property test holds the two together.

use super::ser::{merge_into, write_float, FlattenError};
use super::{push_u64, MAX_DEPTH};
use crate::params::Params;
use std::cmp::Ordering;

/// A value that writes its own flat parameters, as the generated request types and their parts do.
pub trait Flatten {
    /// Whether a value of this type can hold a float anywhere, so that [`check_finite`] must
    /// look inside it; `true` unless the type says otherwise.
    const HOLDS_FLOAT: bool = true;

    /// Whether [`flatten`](Self::flatten) writes its fields in byte order of their names, each
    /// once, and every name a wire name (letters and digits), so that the writer checks neither
    /// the order nor the names; `false` unless the type says otherwise (the generator says so
    /// where it holds). A type that says so and writes another name gets its keys unchecked.
    const IN_ORDER: bool = false;

    /// Writes this value's parameters under the writer's current key.
    fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError>;

    /// Writes this value as the field `name` of the value being written, for
    /// [`Writer::field`]: it enters the field and calls [`flatten`](Self::flatten), but for the
    /// leaf types of this crate, which write their one parameter straight away. Only this crate
    /// can call or override it (it takes a token only this crate makes), as it writes without
    /// the checks of order and repeats that [`Writer::field`] makes.
    fn flatten_field(
        &self,
        name: &'static str,
        w: &mut Writer<'_>,
        _: sealed::Token,
    ) -> Result<(), FlattenError> {
        w.enter(name, self)
    }
}

/// What only this crate can make.
mod sealed {
    /// The proof that a call of [`Flatten::flatten_field`](super::Flatten::flatten_field) comes
    /// from this crate.
    #[derive(Debug, Clone, Copy)]
    pub struct Token(pub(super) ());
}

/// Where a [`Flatten`] value writes: the parameter set, and the key of the value being written.
#[derive(Debug)]
pub struct Writer<'a> {
    out: &'a mut Params,
    key: String,
    depth: usize,
    /// Whether a list of more than ten elements was written, so the parameters need sorting.
    unsorted: bool,
    /// Whether the walk only looks for floats that are not finite, and writes nothing.
    check_only: bool,
    /// Whether every name so far was a wire name, so that every key is plain (letters, digits
    /// and `.`) and the parameter set need not look at it.
    plain: bool,
    /// The name of the last field written at the current level (`""` before the first), to
    /// notice names that are out of order or repeated.
    last: &'static str,
    /// Whether the value being written says its fields come in order ([`Flatten::IN_ORDER`]).
    in_order: bool,
    /// Parameters not yet written that go in among the value's own, in ascending key order:
    /// each is written just before the first key that sorts after it.
    pending: &'a [(&'static str, &'a str)],
}

/// Whether the field name `name` comes after `last` in byte order (the first bytes nearly always settle it).
fn follows(name: &str, last: &str) -> bool {
    match (name.as_bytes().first(), last.as_bytes().first()) {
        (Some(a), Some(b)) if a != b => a > b,
        _ => name > last,
    }
}

/// How the key `prefix.name` (`prefix` alone when `name` is empty, `name` alone when `prefix`
/// is) orders against `other`, without writing the key out (the first bytes nearly always
/// settle it).
fn joined_cmp(prefix: &str, name: &str, other: &str) -> Ordering {
    let (head, tail) = match (prefix.is_empty(), name.is_empty()) {
        (true, _) => (name.as_bytes(), None),
        (false, true) => (prefix.as_bytes(), None),
        (false, false) => (prefix.as_bytes(), Some(name.as_bytes())),
    };
    let other = other.as_bytes();
    if let (Some(a), Some(b)) = (head.first(), other.first()) {
        if a != b {
            return a.cmp(b);
        }
    }
    let Some(tail) = tail else {
        return head.cmp(other);
    };
    match other.split_at_checked(head.len()) {
        Some((start, rest)) if start == head => match rest.split_first() {
            Some((b'.', rest)) => tail.cmp(rest),
            Some((b, _)) => b'.'.cmp(b),
            None => Ordering::Greater,
        },
        _ => head.cmp(other),
    }
}

impl Writer<'_> {
    /// Writes `value` under the segment `name`: a wire name (letters and digits), as the
    /// generated types use; any other name is checked as a key would be.
    pub fn field<T: Flatten + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        if self.check_only && !T::HOLDS_FLOAT {
            return Ok(());
        }
        if !self.check_only {
            self.place(name);
        }
        let result = value.flatten_field(name, self, sealed::Token(()));
        self.last = name;
        result
    }

    /// Writes `value` with the segment `name` added to the current key: the body of
    /// [`Writer::field`] for all but leaf values ([`Flatten::flatten_field`]'s default), after
    /// `field` has noted the name's place.
    pub(crate) fn enter<T: Flatten + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        let len = self.key.len();
        if len > 0 {
            self.key.push('.');
        }
        self.key.push_str(name);
        debug_assert!(
            !self.in_order || crate::encode::is_wire_name(name),
            "{name:?}"
        );
        if !self.in_order && !crate::encode::is_wire_name(name) {
            if let Err(e) = self.other_name(name) {
                self.key.truncate(len);
                return Err(e);
            }
        }
        self.last = "";
        let result = self.nested(value);
        self.key.truncate(len);
        result
    }

    /// Writes the leaf `value` as the field `name`, with the value that `write` appends (known to
    /// need no percent-encoding if `unreserved`, for every value of its type): straight
    /// into the set, the key joined there from the current key and `name`, when every key so far
    /// is plain and `name` a wire name; through [`enter`](Self::enter) otherwise, and while
    /// only checking floats.
    fn leaf_field<T: Flatten + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        unreserved: bool,
        write: impl FnOnce(&mut String),
    ) -> Result<(), FlattenError> {
        if self.check_only
            || !self.plain
            || !(self.in_order || crate::encode::is_wire_name(name))
            || self.depth >= MAX_DEPTH
        {
            return self.enter(name, value);
        }
        debug_assert!(crate::encode::is_wire_name(name), "{name:?}");
        // Most keys start with a byte before the next pending key's: no call then.
        if let Some(((next, _), _)) = self.pending.split_first() {
            let first = self.key.as_bytes().first().or(name.as_bytes().first());
            if first >= next.as_bytes().first() {
                self.write_pending_before(name)?;
            }
        }
        self.out
            .push_plain_joined_with(&self.key, name, unreserved, write);
        Ok(())
    }

    /// Notes whether `name` comes after the last name at this level (unless the value being
    /// written says its names come in order), so that the set is sorted and checked at the end.
    fn place(&mut self, name: &'static str) {
        if !self.in_order && !self.last.is_empty() && !follows(name, self.last) {
            self.unsorted = true;
        }
    }

    /// Checks a name that is not a wire name, now the last segment of the key, as the serde
    /// flattener checks its field names; from then on the set looks at every key.
    fn other_name(&mut self, name: &str) -> Result<(), FlattenError> {
        if name.split('.').any(str::is_empty) {
            return Err(FlattenError::EmptySegment {
                key: self.key.clone(),
            });
        }
        crate::params::check_key(name).map_err(|source| FlattenError::BadKey {
            key: self.key.clone(),
            source,
        })?;
        self.plain = false;
        // Such a name may hold a byte that sorts before `.`, so that its keys' order is not
        // its order among its siblings.
        self.unsorted = true;
        Ok(())
    }

    /// Writes each element of `items` under its index (`Name.0`, `Name.1`, ...).
    fn list<T: Flatten>(&mut self, items: &[T]) -> Result<(), FlattenError> {
        if items.len() > 10 {
            self.unsorted = true;
        }
        let len = self.key.len();
        for (i, item) in items.iter().enumerate() {
            self.key.truncate(len);
            self.key.push('.');
            push_u64(&mut self.key, i as u64);
            self.last = "";
            let result = self.nested(item);
            if result.is_err() {
                self.key.truncate(len);
                return result;
            }
        }
        self.key.truncate(len);
        Ok(())
    }

    fn nested<T: Flatten + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(FlattenError::TooDeep {
                key: self.key.clone(),
            });
        }
        let in_order = std::mem::replace(&mut self.in_order, T::IN_ORDER);
        let result = value.flatten(self);
        self.in_order = in_order;
        self.depth -= 1;
        result
    }

    /// Writes one parameter under the current key, with the value that `write` appends.
    fn leaf(
        &mut self,
        found: &'static str,
        write: impl FnOnce(&mut String),
    ) -> Result<(), FlattenError> {
        if self.key.is_empty() {
            return Err(FlattenError::NotAnObject { found });
        }
        if !self.check_only {
            self.write_pending_before("")?;
        }
        match (self.check_only, self.plain) {
            (true, _) => {}
            (false, true) => self.out.push_plain_with(&self.key, write),
            (false, false) => self.out.push_with(&self.key, write),
        }
        Ok(())
    }

    /// Writes the pending parameters whose keys sort before the current key joined with
    /// `name` (the current key itself when `name` is empty); one equal to it is a
    /// [`FlattenError::Duplicate`].
    fn write_pending_before(&mut self, name: &str) -> Result<(), FlattenError> {
        while let Some(((key, value), rest)) = self.pending.split_first() {
            match joined_cmp(&self.key, name, key) {
                Ordering::Less => break,
                Ordering::Equal => {
                    return Err(FlattenError::Duplicate {
                        key: (*key).to_owned(),
                    })
                }
                Ordering::Greater => {}
            }
            self.out.push_plain_with(key, |t| t.push_str(value));
            self.pending = rest;
        }
        Ok(())
    }
}

/// Flattens a [`Flatten`] value into `params`, as [`super::flatten_into`] does for any
/// `Serialize` value, and to the same parameters; on error `params` is left unchanged.
pub fn flatten_direct<T: Flatten + ?Sized>(
    value: &T,
    params: &mut Params,
) -> Result<(), FlattenError> {
    flatten_direct_with(value, params, &[])
}

/// [`flatten_direct`] with `common` (plain keys, in ascending order, each once) written in
/// their places among the value's parameters, so that a set in key order needs no second
/// pass; a key of the value that is one of them is a [`FlattenError::Duplicate`].
pub(crate) fn flatten_direct_with<T: Flatten + ?Sized>(
    value: &T,
    params: &mut Params,
    common: &[(&'static str, &str)],
) -> Result<(), FlattenError> {
    if !params.is_empty() {
        let mut flat = Params::new();
        flatten_direct_with(value, &mut flat, common)?;
        return merge_into(flat, params);
    }
    let mut w = Writer {
        out: params,
        key: String::with_capacity(64),
        depth: 0,
        unsorted: false,
        check_only: false,
        plain: true,
        last: "",
        in_order: T::IN_ORDER,
        pending: common,
    };
    let mut result = value.flatten(&mut w);
    if result.is_ok() {
        for (key, value) in std::mem::take(&mut w.pending) {
            w.out.push_plain_with(key, |t| t.push_str(value));
        }
    }
    if result.is_ok() && w.unsorted {
        params.sort();
        if let Some(key) = params.first_repeated_key() {
            result = Err(FlattenError::Duplicate {
                key: key.to_owned(),
            });
        }
    }
    if result.is_err() {
        params.clear();
    }
    result
}

/// [`flatten_direct_with`] for a request: a key of the value that is one of `common` is the
/// [`ParamsError::Duplicate`](crate::params::ParamsError::Duplicate) that adding `common`
/// afterwards would give.
pub(crate) fn flatten_with_common<T: Flatten + ?Sized>(
    value: &T,
    params: &mut Params,
    common: &[(&'static str, &str)],
) -> Result<(), crate::PrepareError> {
    match flatten_direct_with(value, params, common) {
        Err(FlattenError::Duplicate { key }) if common.iter().any(|(k, _)| *k == key) => {
            Err(crate::params::ParamsError::Duplicate(key).into())
        }
        other => Ok(other?),
    }
}

/// Checks that `value` holds no NaN or infinite float, the one thing [`flatten_direct`] rejects
/// in a generated type that JSON would take (`serde_json` writes such a float as `null`), with
/// the error flattening gives; a type that holds no float is not walked at all.
pub fn check_finite<T: Flatten + ?Sized>(value: &T) -> Result<(), FlattenError> {
    if !T::HOLDS_FLOAT {
        return Ok(());
    }
    let mut nothing = Params::new();
    let mut w = Writer {
        out: &mut nothing,
        key: String::new(),
        depth: 0,
        unsorted: false,
        check_only: true,
        plain: true,
        last: "",
        in_order: T::IN_ORDER,
        pending: &[],
    };
    value.flatten(&mut w)
}

/// A type written as one parameter, whose [`Flatten`] the macro below implements.
trait Leaf {
    /// What the value is, for [`FlattenError::NotAnObject`].
    const FOUND: &'static str;

    /// Whether every value of the type needs no percent-encoding (numbers and booleans), so
    /// that encoding need not look at it.
    const UNRESERVED: bool = false;

    /// Appends the parameter's value.
    fn write_value(&self, out: &mut String);
}

impl Leaf for String {
    const FOUND: &'static str = "a string";

    fn write_value(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Leaf for str {
    const FOUND: &'static str = "a string";

    fn write_value(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Leaf for bool {
    const FOUND: &'static str = "a boolean";
    const UNRESERVED: bool = true;

    fn write_value(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl Leaf for u64 {
    const FOUND: &'static str = "an integer";
    const UNRESERVED: bool = true;

    fn write_value(&self, out: &mut String) {
        push_u64(out, *self);
    }
}

impl Leaf for i64 {
    const FOUND: &'static str = "an integer";
    const UNRESERVED: bool = true;

    fn write_value(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_u64(out, self.unsigned_abs());
    }
}

/// [`Flatten`] for [`Leaf`] types: as a field, the parameter is written without entering it.
macro_rules! flatten_leaf {
    ($($t:ty),*) => {$(
        impl Flatten for $t {
            const HOLDS_FLOAT: bool = false;

            fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
                w.leaf(<$t as Leaf>::FOUND, |out| self.write_value(out))
            }

            fn flatten_field(
                &self,
                name: &'static str,
                w: &mut Writer<'_>,
                _: sealed::Token,
            ) -> Result<(), FlattenError> {
                w.leaf_field(name, self, <$t as Leaf>::UNRESERVED, |out| {
                    self.write_value(out)
                })
            }
        }
    )*};
}

flatten_leaf!(String, str, bool, u64, i64);

impl Flatten for f64 {
    fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
        if w.key.is_empty() {
            return Err(FlattenError::NotAnObject { found: "a number" });
        }
        if !self.is_finite() {
            return Err(FlattenError::NonFinite { key: w.key.clone() });
        }
        w.leaf("a number", |out| write_float(out, *self))
    }
}

impl<T: Flatten> Flatten for Option<T> {
    const HOLDS_FLOAT: bool = T::HOLDS_FLOAT;
    const IN_ORDER: bool = T::IN_ORDER;

    fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
        match self {
            Some(value) => value.flatten(w),
            None => Ok(()),
        }
    }

    fn flatten_field(
        &self,
        name: &'static str,
        w: &mut Writer<'_>,
        token: sealed::Token,
    ) -> Result<(), FlattenError> {
        match self {
            Some(value) => value.flatten_field(name, w, token),
            // Entering checks the name, as it would for a value.
            None => w.enter(name, self),
        }
    }
}

impl<T: Flatten> Flatten for Vec<T> {
    const HOLDS_FLOAT: bool = T::HOLDS_FLOAT;

    fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
        if w.key.is_empty() {
            return Err(FlattenError::NotAnObject { found: "a list" });
        }
        w.list(self)
    }
}

impl<T: Flatten + ?Sized> Flatten for &T {
    const HOLDS_FLOAT: bool = T::HOLDS_FLOAT;
    const IN_ORDER: bool = T::IN_ORDER;

    fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
        (**self).flatten(w)
    }

    fn flatten_field(
        &self,
        name: &'static str,
        w: &mut Writer<'_>,
        token: sealed::Token,
    ) -> Result<(), FlattenError> {
        (**self).flatten_field(name, w, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Comparing the joined key without writing it out orders as comparing the written key.
        #[test]
        fn joined_cmp_orders_as_the_joined_key(
            prefix in "[A-Za-z0-9.]{0,6}",
            name in "[A-Za-z0-9.]{0,6}",
            other in "[A-Za-z0-9.]{0,14}",
        ) {
            let joined = match (prefix.is_empty(), name.is_empty()) {
                (true, _) => name.clone(),
                (false, true) => prefix.clone(),
                (false, false) => format!("{prefix}.{name}"),
            };
            proptest::prop_assert_eq!(joined_cmp(&prefix, &name, &other), joined.as_str().cmp(&other));
            // And against itself and its neighbours, which random keys seldom are.
            proptest::prop_assert_eq!(joined_cmp(&prefix, &name, &joined), Ordering::Equal);
            let longer = format!("{joined}.");
            proptest::prop_assert_eq!(joined_cmp(&prefix, &name, &longer), Ordering::Less);
            if let Some(shorter) = joined.get(..joined.len().saturating_sub(1)) {
                proptest::prop_assert_eq!(
                    joined_cmp(&prefix, &name, shorter),
                    joined.as_str().cmp(shorter)
                );
            }
            // The prefix alone, and the prefix followed by a byte other than `.` (before and
            // after it), which reach the branches that look past the prefix.
            for other in [prefix.clone(), format!("{prefix}-"), format!("{prefix}0"), format!("{prefix}/")] {
                proptest::prop_assert_eq!(
                    joined_cmp(&prefix, &name, &other),
                    joined.as_str().cmp(&other),
                    "{:?}", other
                );
            }
        }
    }

    struct Disk {
        size: Option<u64>,
        kind: String,
    }

    impl Flatten for Disk {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            w.field("DiskSize", &self.size)?;
            w.field("DiskType", &self.kind)
        }
    }

    struct Req {
        disks: Vec<Disk>,
        ratio: Option<f64>,
        zone: String,
        offset: i64,
    }

    impl Flatten for Req {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            w.field("DataDisks", &self.disks)?;
            w.field("Offset", &self.offset)?;
            w.field("Ratio", &self.ratio)?;
            w.field("Zone", &self.zone)
        }
    }

    fn disks(n: usize) -> Vec<Disk> {
        (0..n)
            .map(|i| Disk {
                size: Some(i as u64),
                kind: "CLOUD_SSD".into(),
            })
            .collect()
    }

    #[test]
    fn writes_in_key_order_and_sorts_long_lists() {
        for n in [0, 1, 10, 11, 25] {
            let req = Req {
                disks: disks(n),
                ratio: Some(-0.0),
                zone: String::new(),
                offset: -3,
            };
            let mut p = Params::new();
            flatten_direct(&req, &mut p).unwrap();
            let keys: Vec<&str> = p.iter().map(|(k, _)| k).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            assert_eq!(keys, sorted);
            assert_eq!(p.len(), 2 * n + 3);
            assert_eq!(p.get("Ratio"), Some("0"));
            assert_eq!(p.get("Offset"), Some("-3"));
            assert_eq!(p.get("Zone"), Some(""));
            if n == 25 {
                assert_eq!(p.get("DataDisks.24.DiskSize"), Some("24"));
                // Every lookup relies on the order being right.
                assert_eq!(p.get("DataDisks.10.DiskType"), Some("CLOUD_SSD"));
            }
        }
    }

    struct Outer {
        reqs: Vec<Req>,
    }

    impl Flatten for Outer {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            w.field("Reqs", &self.reqs)
        }
    }

    /// Says it holds no float, and fails if it is ever walked.
    struct NoFloats;

    impl Flatten for NoFloats {
        const HOLDS_FLOAT: bool = false;

        fn flatten(&self, _: &mut Writer<'_>) -> Result<(), FlattenError> {
            Err(FlattenError::NotAnObject { found: "a test" })
        }
    }

    struct Mixed {
        skipped: NoFloats,
        ratio: f64,
    }

    impl Flatten for Mixed {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            w.field("Ratio", &self.ratio)?;
            w.field("Skipped", &self.skipped)
        }
    }

    #[test]
    fn check_finite_fails_exactly_where_flattening_does_for_floats() {
        for bad in [
            None,
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
        ] {
            for at in 0..3 {
                let reqs = (0..3)
                    .map(|i| Req {
                        disks: disks(i),
                        ratio: if i == at { bad } else { Some(1.5) },
                        zone: "z".into(),
                        offset: 1,
                    })
                    .collect();
                let outer = Outer { reqs };
                let flattened = flatten_direct(&outer, &mut Params::new());
                assert_eq!(check_finite(&outer), flattened);
                if bad.is_some() {
                    assert_eq!(
                        flattened,
                        Err(FlattenError::NonFinite {
                            key: format!("Reqs.{at}.Ratio")
                        })
                    );
                }
            }
        }
        // A part that holds no float is not walked at all.
        assert_eq!(check_finite(&NoFloats), Ok(()));
        const { assert!(!<Option<Vec<&NoFloats>>>::HOLDS_FLOAT && Vec::<Req>::HOLDS_FLOAT) };
        let mixed = Mixed {
            skipped: NoFloats,
            ratio: 2.0,
        };
        assert_eq!(check_finite(&mixed), Ok(()));
        assert!(flatten_direct(&mixed, &mut Params::new()).is_err());
        let nan = Mixed {
            ratio: f64::NAN,
            ..mixed
        };
        assert_eq!(
            check_finite(&nan),
            Err(FlattenError::NonFinite {
                key: "Ratio".into()
            })
        );
    }

    struct Named(&'static str);

    impl Flatten for Named {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            w.field("Ok", &1u64)?;
            w.field(self.0, &"v")
        }
    }

    #[test]
    fn names_that_are_not_wire_names_are_checked_as_keys() {
        for name in ["Tag_Key", "Tag-Key", "a~b", "Filters.0", "键"] {
            let mut p = Params::new();
            flatten_direct(&Named(name), &mut p).unwrap();
            assert_eq!(p.get(name), Some("v"));
            assert!(
                !p.keys_are_plain() || crate::encode::is_plain_key(name),
                "{name}"
            );
            assert_eq!(p.has_underscore_key(), name.contains('_'));
        }
        for (name, bad) in [
            ("", "empty"),
            (".x", "empty"),
            ("a..b", "empty"),
            ("a b", "key"),
            ("a=b", "key"),
            ("a&b", "key"),
            ("%", "key"),
            ("a\nb", "key"),
        ] {
            let mut p = Params::new();
            let err = flatten_direct(&Named(name), &mut p).unwrap_err();
            match bad {
                "empty" => assert_eq!(err, FlattenError::EmptySegment { key: name.into() }),
                _ => assert!(
                    matches!(&err, FlattenError::BadKey { key, .. } if key == name),
                    "{err:?}"
                ),
            }
            assert!(p.is_empty());
        }
        let mut p = Params::new();
        flatten_direct(&Named("Zone"), &mut p).unwrap();
        assert!(p.keys_are_plain());
    }

    /// Writes its fields in the order given, as a hand-written impl may.
    struct AnyOrder(Vec<(&'static str, Vec<(&'static str, u64)>)>);

    struct Part(Vec<(&'static str, u64)>);

    impl Flatten for Part {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            self.0.iter().try_for_each(|(name, v)| w.field(name, v))
        }
    }

    impl Flatten for AnyOrder {
        fn flatten(&self, w: &mut Writer<'_>) -> Result<(), FlattenError> {
            self.0
                .iter()
                .try_for_each(|(name, part)| w.field(name, &Part(part.clone())))
        }
    }

    #[test]
    fn fields_out_of_order_are_sorted_and_repeated_keys_rejected() {
        let out_of_order = AnyOrder(vec![
            ("Zone", vec![("B", 1), ("A", 2)]),
            ("Disk", vec![("Size", 3)]),
        ]);
        let mut p = Params::new();
        flatten_direct(&out_of_order, &mut p).unwrap();
        let keys: Vec<&str> = p.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["Disk.Size", "Zone.A", "Zone.B"]);
        assert_eq!(p.get("Zone.A"), Some("2"));

        for (repeated, key) in [
            (
                AnyOrder(vec![("Zone", vec![("A", 1)]), ("Zone", vec![("A", 2)])]),
                "Zone.A",
            ),
            (AnyOrder(vec![("Zone", vec![("A", 1), ("A", 2)])]), "Zone.A"),
            (
                AnyOrder(vec![("Zone", vec![("B", 1), ("A", 2), ("B", 3)])]),
                "Zone.B",
            ),
        ] {
            let mut p = Params::new();
            assert_eq!(
                flatten_direct(&repeated, &mut p),
                Err(FlattenError::Duplicate { key: key.into() })
            );
            assert!(p.is_empty());
        }
        // In order, the same fields need no sorting, and siblings of another part may repeat names.
        let in_order = AnyOrder(vec![("A", vec![("X", 1)]), ("B", vec![("X", 2)])]);
        let mut p = Params::new();
        flatten_direct(&in_order, &mut p).unwrap();
        assert_eq!(p.get("B.X"), Some("2"));
    }

    #[test]
    fn errors_leave_the_set_unchanged() {
        let req = Req {
            disks: disks(2),
            ratio: Some(f64::NAN),
            zone: "z".into(),
            offset: 0,
        };
        let mut p = Params::new();
        assert_eq!(
            flatten_direct(&req, &mut p),
            Err(FlattenError::NonFinite {
                key: "Ratio".into()
            })
        );
        assert!(p.is_empty());
        let mut q = Params::from_pairs([("Zone", "x")]).unwrap();
        let ok = Req { ratio: None, ..req };
        assert!(matches!(
            flatten_direct(&ok, &mut q),
            Err(FlattenError::Duplicate { .. })
        ));
        assert_eq!(q.len(), 1);
        assert_eq!(
            flatten_direct(&"top".to_owned(), &mut Params::new()),
            Err(FlattenError::NotAnObject { found: "a string" })
        );
    }
    #[test]
    fn common_parameters_are_written_in_their_places() {
        let common: [(&'static str, &str); 4] = [
            ("Action", "RunInstances"),
            ("Nonce", "7"),
            ("Region", "ap-guangzhou"),
            ("Version", "2017-03-12"),
        ];
        // In order, with a list long enough to need sorting, and out of order.
        let values = [(disks(2), false), (disks(12), false), (disks(1), true)];
        for (disks, reversed) in values {
            let sorted_after = reversed || disks.len() > 10;
            let req = Req {
                disks,
                ratio: Some(0.5),
                zone: "ap-guangzhou-3".into(),
                offset: 3,
            };
            let mut want = Params::new();
            let mut got = Params::new();
            if reversed {
                let out = AnyOrder(vec![("Zone", vec![("B", 1), ("A", 2)])]);
                flatten_direct(&out, &mut want).unwrap();
                flatten_direct_with(&out, &mut got, &common).unwrap();
            } else {
                flatten_direct(&req, &mut want).unwrap();
                flatten_direct_with(&req, &mut got, &common).unwrap();
            }
            want.insert_sorted_known(&common).unwrap();
            let want: Vec<_> = want.iter().collect();
            let got_pairs: Vec<_> = got.iter().collect();
            assert_eq!(got_pairs, want);
            // Written in order, the text is the pairs, with nothing sorted or moved afterwards.
            assert_eq!(got.in_order_text().is_some(), !sorted_after);
        }
        // A key of the value that is a common one is the duplicate that adding it would be.
        let req = Req {
            disks: disks(1),
            ratio: None,
            zone: "z".into(),
            offset: 0,
        };
        let clash = [("Offset", "1")];
        let mut p = Params::new();
        assert_eq!(
            flatten_with_common(&req, &mut p, &clash),
            Err(crate::PrepareError::Params(
                crate::params::ParamsError::Duplicate("Offset".into())
            ))
        );
        assert!(p.is_empty());
        // One that sorts after every key of the value is written at the end.
        let mut p = Params::new();
        flatten_direct_with(&req, &mut p, &[("Zz", "1")]).unwrap();
        assert_eq!(p.iter().next_back(), Some(("Zz", "1")));
        // Into a set that already holds parameters, the result is the same merge.
        let mut q = Params::from_pairs([("Limit", "5")]).unwrap();
        flatten_direct_with(&req, &mut q, &common).unwrap();
        assert_eq!(q.get("Nonce"), Some("7"));
        assert_eq!(q.get("Limit"), Some("5"));
    }
}
