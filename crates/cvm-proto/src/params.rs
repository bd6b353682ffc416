//! Flat request parameters: unique keys kept in byte order, raw (unencoded) values.

use std::fmt;

use thiserror::Error;

/// What is wrong with a parameter key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// The key is the empty string.
    #[error("a parameter key is empty")]
    Empty,
    /// The key holds a character that cannot appear in a key on the wire or in the string to sign.
    #[error("parameter key {key:?} contains {ch:?}; keys may not contain '=', '&', '%', whitespace or control characters")]
    ForbiddenChar {
        /// The offending key.
        key: String,
        /// The first forbidden character in it.
        ch: char,
    },
}

/// Why a parameter could not be added.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParamsError {
    /// The key is malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key is already present.
    #[error("parameter {0:?} is given twice")]
    Duplicate(String),
}

/// Checks that `key` can be sent and signed: non-empty, without `=`, `&`, `%`, whitespace or control characters.
pub fn check_key(key: &str) -> Result<(), KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    match key
        .chars()
        .find(|&c| matches!(c, '=' | '&' | '%') || c.is_whitespace() || c.is_control())
    {
        Some(ch) => Err(KeyError::ForbiddenChar {
            key: key.to_owned(),
            ch,
        }),
        None => Ok(()),
    }
}

/// Whether the value under `key` is a secret that must never be shown (`Token`, `SecretKey`, any `Password`).
pub fn is_sensitive(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    matches!(
        last,
        "Token" | "SecretKey" | "Password" | "password" | "token"
    )
}

/// The text shown in place of a secret.
pub const REDACTED: &str = "<redacted>";

/// Flat parameters: unique, validated keys in ascending byte order, each with its raw value.
///
/// Byte order of the keys is the order of the string to sign whenever no key contains `_`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            pairs: Vec::with_capacity(n),
        }
    }

    /// Adds a parameter; a malformed or repeated key is an error and leaves the set unchanged.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), ParamsError> {
        let key = key.into();
        check_key(&key)?;
        match self.position(&key) {
            Ok(_) => Err(ParamsError::Duplicate(key)),
            Err(at) => {
                self.pairs.insert(at, (key, value.into()));
                Ok(())
            }
        }
    }

    /// Adds or replaces a parameter, returning the previous value.
    pub fn set(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Option<String>, KeyError> {
        let key = key.into();
        check_key(&key)?;
        match self.position(&key) {
            Ok(at) => Ok(Some(std::mem::replace(&mut self.pairs[at].1, value.into()))),
            Err(at) => {
                self.pairs.insert(at, (key, value.into()));
                Ok(None)
            }
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.position(key).ok().map(|at| self.pairs[at].1.as_str())
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key).ok().map(|at| self.pairs.remove(at).1)
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The parameters in ascending byte order of their keys.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Consumes the set into `(key, value)` pairs in key order.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// Builds a set from pairs, rejecting malformed and repeated keys.
    pub fn from_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> Result<Self, ParamsError>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut params = Params::new();
        for (k, v) in pairs {
            params.insert(k, v)?;
        }
        Ok(params)
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.pairs
            .binary_search_by(|(k, _)| k.as_bytes().cmp(key.as_bytes()))
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.iter()
                    .map(|(k, v)| (k, if is_sensitive(k) { REDACTED } else { v })),
            )
            .finish()
    }
}

impl<'a> IntoIterator for &'a Params {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a str, &'a str),
    >;

    fn into_iter(self) -> Self::IntoIter {
        fn pair(p: &(String, String)) -> (&str, &str) {
            (p.0.as_str(), p.1.as_str())
        }
        self.pairs.iter().map(pair)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_byte_order_and_rejects_duplicates() {
        let mut p = Params::new();
        p.insert("b", "2").unwrap();
        p.insert("InstanceIds.2", "x").unwrap();
        p.insert("InstanceIds.12", "y").unwrap();
        p.insert("a", "1").unwrap();
        p.insert("Timestamp", "1").unwrap();
        let keys: Vec<_> = p.iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            ["InstanceIds.12", "InstanceIds.2", "Timestamp", "a", "b"]
        );
        assert_eq!(p.insert("a", "3"), Err(ParamsError::Duplicate("a".into())));
        assert_eq!(p.get("a"), Some("1"));
    }

    #[test]
    fn rejects_malformed_keys() {
        let mut p = Params::new();
        assert_eq!(p.insert("", "x"), Err(KeyError::Empty.into()));
        for bad in [
            "a=b",
            "a&b",
            "a%b",
            "a b",
            "a\tb",
            "a\u{7f}",
            "a\u{0}",
            "a\u{2003}b",
        ] {
            assert!(
                matches!(
                    p.insert(bad, "x"),
                    Err(ParamsError::Key(KeyError::ForbiddenChar { .. }))
                ),
                "{bad:?}"
            );
        }
        assert!(p.is_empty());
    }

    #[test]
    fn set_replaces_and_remove_removes() {
        let mut p = Params::new();
        assert_eq!(p.set("k", "1").unwrap(), None);
        assert_eq!(p.set("k", "2").unwrap(), Some("1".into()));
        assert_eq!(p.remove("k"), Some("2".into()));
        assert!(!p.contains("k"));
    }

    #[test]
    fn debug_redacts_secrets() {
        let p = Params::from_pairs([
            ("LoginSettings.Password", "hunter2"),
            ("Token", "tok"),
            ("Zone", "z"),
        ])
        .unwrap();
        let s = format!("{p:?}");
        assert!(!s.contains("hunter2") && !s.contains("\"tok\""), "{s}");
        assert!(s.contains("Zone"));
    }
}
