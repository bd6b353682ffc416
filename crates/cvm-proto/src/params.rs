//! Flat request parameters: unique keys kept in byte order, raw (unencoded) values.

use std::fmt;
use std::ops::Range;

use thiserror::Error;

/// What is wrong with a parameter key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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
#[non_exhaustive]
pub enum ParamsError {
    /// The key is malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The key is already present.
    #[error("parameter {0:?} is given twice")]
    Duplicate(String),
}

/// A table of 256 flags, one per byte value `b`, computed at compile time from an expression.
macro_rules! byte_table {
    (|$b:ident| $flag:expr) => {{
        let mut table = [false; 256];
        let mut i = 0;
        while i < table.len() {
            let $b = i as u8;
            table[i] = $flag;
            i += 1;
        }
        table
    }};
}
pub(crate) use byte_table;

/// For each byte, whether it is printable ASCII other than space, `=`, `&` and `%`: the bytes
/// of a key that need no closer look.
const PLAIN_KEY_BYTE: [bool; 256] =
    byte_table!(|b| b.is_ascii_graphic() && !matches!(b, b'=' | b'&' | b'%'));

/// Checks that `key` can be sent and signed: non-empty, without `=`, `&`, `%`, whitespace or control characters.
pub fn check_key(key: &str) -> Result<(), KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    // The common case: printable ASCII other than space, `=`, `&` and `%`.
    if key.bytes().all(|b| PLAIN_KEY_BYTE[usize::from(b)]) {
        return Ok(());
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
///
/// All keys and values live in one string, each parameter written there as `key=value&`, and
/// each parameter is a pair of ranges into it, so a set costs two allocations however many
/// parameters it holds. A set built in key order (as the flatteners build it, the common
/// parameters merged in) holds exactly its string to sign's pairs there, which signing copies
/// in one piece.
#[derive(Clone, Default)]
pub struct Params {
    /// The text of every key and value, each key followed by `=` and each value by `&`; a
    /// replaced or removed value leaves its bytes unused here.
    text: String,
    /// One entry per parameter, in ascending byte order of the keys.
    entries: Vec<Entry>,
    /// Whether a key with anything but letters, digits and `.` was ever added (it may since have
    /// been removed): until one is, no key needs percent-encoding and none holds `_` (which
    /// signing reads as `.`), so the signers and encoders do not look at the keys.
    unplain: bool,
    /// Whether the text may hold anything but `key=value&` for each entry in order: a value was
    /// replaced or removed, or a key was added before another.
    scattered: bool,
}

/// The most parameters [`Params::insert_sorted_known`] merges in one pass.
const SORTED_INSERT_MAX: usize = 12;

/// Where one parameter's key and value are in [`Params::text`], with the key's first bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// The first 8 bytes of the key, big-endian and padded with zeros, so that most comparisons
    /// of two keys are one comparison of integers: a zero-padded prefix orders as the key does,
    /// except that a tie must look at the whole keys.
    prefix: u64,
    key_start: usize,
    key_end: usize,
    value_start: usize,
    value_end: usize,
    /// Whether the value is known to need no percent-encoding (a number or a boolean written by
    /// the direct flattener), so that encoding does not look at its bytes.
    unreserved: bool,
}

/// The [`Entry::prefix`] of `key`.
fn prefix(key: &str) -> u64 {
    prefix_of_bytes(key.as_bytes())
}

/// [`prefix`] of a key's bytes.
fn prefix_of_bytes(key: &[u8]) -> u64 {
    // Most keys are at least 8 bytes long: one load (a copy of unknown length is a call).
    if let Some(Ok(head)) = key.get(..8).map(<[u8; 8]>::try_from) {
        return u64::from_be_bytes(head);
    }
    let mut bytes = [0u8; 8];
    bytes.iter_mut().zip(key).for_each(|(b, k)| *b = *k);
    u64::from_be_bytes(bytes)
}

/// Room for the text of one typical parameter, for [`Params::with_capacity`].
const TYPICAL_PAIR_BYTES: usize = 32;

impl Params {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `n` parameters.
    pub fn with_capacity(n: usize) -> Self {
        Self::with_room(n, n.saturating_mul(TYPICAL_PAIR_BYTES))
    }

    /// An empty set with room for `n` parameters holding `bytes` bytes of keys and values in all.
    pub fn with_room(n: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes.saturating_add(n.saturating_mul(2))),
            entries: Vec::with_capacity(n),
            unplain: false,
            scattered: false,
        }
    }

    /// A copy of this set with room for `n` more parameters of `bytes` more bytes in all, so
    /// that adding them does not reallocate; unused text is left behind.
    pub fn clone_with_room(&self, n: usize, bytes: usize) -> Self {
        let mut copy = Self::with_room(
            self.len().saturating_add(n),
            self.text_len().saturating_add(bytes),
        );
        for e in &self.entries {
            let key = slice(&self.text, e.key_start, e.key_end);
            let value = slice(&self.text, e.value_start, e.value_end);
            let entry = copy.push_text_plain(key, value);
            copy.entries.push(Entry {
                unreserved: e.unreserved,
                ..entry
            });
        }
        // The same keys and values: what is known of them still holds.
        copy.unplain = self.unplain;
        copy
    }

    /// Adds a parameter; a malformed or repeated key is an error and leaves the set unchanged.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<(), ParamsError> {
        self.insert_str(&key.into(), &value.into())
    }

    /// [`insert`](Self::insert) from borrowed text, without allocating when there is room.
    pub fn insert_str(&mut self, key: &str, value: &str) -> Result<(), ParamsError> {
        check_key(key)?;
        match self.position(key) {
            Ok(_) => Err(ParamsError::Duplicate(key.to_owned())),
            Err(at) => {
                let entry = self.push_text(key, value);
                self.scattered |= at != self.entries.len();
                self.entries.insert(at, entry);
                Ok(())
            }
        }
    }

    /// [`insert_str`](Self::insert_str) for a key known to be well formed, such as a constant.
    pub(crate) fn insert_known(
        &mut self,
        key: &'static str,
        value: &str,
    ) -> Result<(), ParamsError> {
        debug_assert!(crate::encode::is_plain_key(key), "{key:?}");
        match self.position(key) {
            Ok(_) => Err(ParamsError::Duplicate(key.to_owned())),
            Err(at) => {
                let entry = self.push_text_plain(key, value);
                self.scattered |= at != self.entries.len();
                self.entries.insert(at, entry);
                Ok(())
            }
        }
    }

    /// Adds parameters whose keys are known to be well formed (constants such as the common
    /// parameters), given in ascending key order and each once; a key already present is an
    /// error and leaves the set unchanged. A set in key order stays in order: the pairs are
    /// merged into its text in one pass instead of being appended.
    pub(crate) fn insert_sorted_known(
        &mut self,
        pairs: &[(&'static str, &str)],
    ) -> Result<(), ParamsError> {
        debug_assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0), "{pairs:?}");
        // Where each key goes among the present ones: both are sorted, so one walk over the
        // present keys finds every place.
        let mut places = [0usize; SORTED_INSERT_MAX];
        let mut place = 0;
        for (i, (key, _)) in pairs.iter().enumerate() {
            debug_assert!(crate::encode::is_plain_key(key), "{key:?}");
            let key_prefix = prefix(key);
            while let Some(e) = self.entries.get(place) {
                let order = e.prefix.cmp(&key_prefix).then_with(|| {
                    let present = slice(&self.text, e.key_start, e.key_end);
                    present.as_bytes().cmp(key.as_bytes())
                });
                match order {
                    std::cmp::Ordering::Less => place += 1,
                    std::cmp::Ordering::Equal => {
                        return Err(ParamsError::Duplicate((*key).to_owned()))
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
            if let Some(slot) = places.get_mut(i) {
                *slot = place;
            }
        }
        match places.get(..pairs.len()) {
            Some(places) if !self.scattered => self.merge_in_order(pairs, places),
            _ => {
                for (key, value) in pairs {
                    self.insert_known(key, value)?;
                }
            }
        }
        Ok(())
    }

    /// Merges `pairs` into a set whose text is in order, each before the present entry at its
    /// place in `places`, so that the text stays in order: the text and the entries after each
    /// place move once, from the back, within their buffers.
    fn merge_in_order(&mut self, pairs: &[(&'static str, &str)], places: &[usize]) {
        let added: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let (old_text, old_entries) = (self.text.len(), self.entries.len());
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        bytes.resize(old_text + added, 0);
        self.entries
            .resize(old_entries + pairs.len(), Entry::default());
        // The old text before `text_end` and the old entries before `entry_end` have not moved;
        // what lies after them has moved up by `shift` bytes and `k + 1` entries.
        let (mut text_end, mut entry_end, mut shift) = (old_text, old_entries, added);
        for (k, ((key, value), &place)) in pairs.iter().zip(places).enumerate().rev() {
            let at = match self.entries.get(place) {
                Some(e) if place < entry_end => e.key_start,
                _ => text_end,
            };
            bytes.copy_within(at..text_end, at + shift);
            self.entries.copy_within(place..entry_end, place + k + 1);
            if let Some(moved) = self.entries.get_mut(place + k + 1..entry_end + k + 1) {
                for e in moved {
                    e.key_start += shift;
                    e.key_end += shift;
                    e.value_start += shift;
                    e.value_end += shift;
                }
            }
            shift -= key.len() + value.len() + 2;
            let start = at + shift;
            let entry = Entry {
                prefix: prefix(key),
                key_start: start,
                key_end: start + key.len(),
                value_start: start + key.len() + 1,
                value_end: start + key.len() + 1 + value.len(),
                unreserved: false,
            };
            let pair = [key.as_bytes(), b"=", value.as_bytes(), b"&"];
            let mut to = start;
            for piece in pair {
                if let Some(slot) = bytes.get_mut(to..to + piece.len()) {
                    slot.copy_from_slice(piece);
                }
                to += piece.len();
            }
            if let Some(slot) = self.entries.get_mut(place + k) {
                *slot = entry;
            }
            text_end = at;
            entry_end = place;
        }
        // Only whole keys and values moved, to places between whole pairs, so the text is still
        // UTF-8; were it not, the replacement characters would show it rather than a panic.
        self.text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// The set's text when it is exactly `key=value&` for each parameter in key order (the
    /// string to sign's pairs, then `&`), as a set built in order is.
    pub(crate) fn in_order_text(&self) -> Option<&str> {
        (!self.scattered).then_some(self.text.as_str())
    }

    /// The string to sign's pairs (`k=v&k=v`, without `Signature`) as they stand in the set's
    /// text, for a set built in key order whose keys are all plain (none holds `_`, which
    /// signing reads as `.`) and which holds no `Signature`; `None` for any other set.
    pub(crate) fn signed_pairs(&self) -> Option<&str> {
        let text = self.in_order_text()?;
        if !self.keys_are_plain() || self.contains(crate::sign::SIGNATURE) {
            return None;
        }
        // Without its last `&`.
        text.get(..text.len().saturating_sub(1))
    }

    /// Where each value is in the text, in key order.
    #[cfg(test)]
    pub(crate) fn value_ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.entries.iter().map(|e| e.value_start..e.value_end)
    }

    /// Where each value that may need percent-encoding is in the text, in key order: every value
    /// but those written as known to need none.
    pub(crate) fn maybe_reserved_value_ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.entries
            .iter()
            .filter(|e| !e.unreserved)
            .map(|e| e.value_start..e.value_end)
    }

    /// Adds or replaces a parameter, returning the previous value.
    pub fn set(
        &mut self,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Option<String>, KeyError> {
        let key = key.into();
        let value = value.into();
        check_key(&key)?;
        match self.position(&key) {
            Ok(at) => {
                let previous = self.value_at(at).to_owned();
                let value_start = self.text.len();
                self.text.push_str(&value);
                let value_end = self.text.len();
                self.text.push('&');
                self.scattered = true;
                if let Some(entry) = self.entries.get_mut(at) {
                    entry.value_start = value_start;
                    entry.value_end = value_end;
                    entry.unreserved = false;
                }
                self.compact_if_wasteful();
                Ok(Some(previous))
            }
            Err(at) => {
                let entry = self.push_text(&key, &value);
                self.scattered |= at != self.entries.len();
                self.entries.insert(at, entry);
                Ok(None)
            }
        }
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.position(key).ok().map(|at| self.value_at(at))
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Removes `key` and returns its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let at = self.position(key).ok()?;
        let value = self.value_at(at).to_owned();
        self.entries.remove(at);
        self.scattered = true;
        self.compact_if_wasteful();
        Some(value)
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every parameter, keeping the allocated room.
    pub fn clear(&mut self) {
        self.text.clear();
        self.entries.clear();
        self.unplain = false;
        self.scattered = false;
    }

    /// Whether some key holds `_`; answered without looking at the keys while all are plain.
    pub(crate) fn has_underscore_key(&self) -> bool {
        self.unplain && self.iter().any(|(k, _)| k.contains('_'))
    }

    /// Whether every key is known to be sent as itself (letters, digits and `.` only), so that
    /// an encoder need not look at the keys.
    pub(crate) fn keys_are_plain(&self) -> bool {
        !self.unplain
    }

    /// The parameters in ascending byte order of their keys.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            text: &self.text,
            entries: self.entries.iter(),
        }
    }

    /// Consumes the set into `(key, value)` pairs in key order.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
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

    /// Appends a parameter with `key` and the value that `write` appends to the text, without
    /// checking the key or the order.
    pub(crate) fn push_with(&mut self, key: &str, write: impl FnOnce(&mut String)) {
        self.note_key(key);
        self.push_noted_with(key, write);
    }

    /// [`push_with`](Self::push_with) of a key that the caller knows is plain: letters, digits
    /// and `.` only (the direct flattener's keys, built from wire names and indices).
    pub(crate) fn push_plain_with(&mut self, key: &str, write: impl FnOnce(&mut String)) {
        debug_assert!(crate::encode::is_plain_key(key), "{key:?}");
        self.push_noted_with(key, write);
    }

    fn push_noted_with(&mut self, key: &str, write: impl FnOnce(&mut String)) {
        self.push_plain_joined_with("", key, false, write);
    }

    /// [`push_plain_with`](Self::push_plain_with) of the key `head.name` (`name` alone when
    /// `head` is empty), joined in the text without being written anywhere else first.
    pub(crate) fn push_plain_joined_with(
        &mut self,
        head: &str,
        name: &str,
        unreserved: bool,
        write: impl FnOnce(&mut String),
    ) {
        let key_start = self.text.len();
        if !head.is_empty() {
            self.text.push_str(head);
            self.text.push('.');
        }
        self.text.push_str(name);
        let key_end = self.text.len();
        debug_assert!(
            crate::encode::is_plain_key(slice(&self.text, key_start, key_end)) || self.unplain
        );
        self.text.push('=');
        write(&mut self.text);
        let value_end = self.text.len();
        self.text.push('&');
        self.entries.push(Entry {
            prefix: prefix_of_bytes(
                self.text
                    .as_bytes()
                    .get(key_start..key_end)
                    .unwrap_or_default(),
            ),
            key_start,
            key_end,
            value_start: key_end + 1,
            value_end,
            unreserved,
        });
        debug_assert!(
            !unreserved || crate::encode::is_unreserved(slice(&self.text, key_end + 1, value_end))
        );
    }

    /// Sorts parameters pushed out of order by key; equal keys end up next to each other.
    pub(crate) fn sort(&mut self) {
        let text = &self.text;
        let order = |a: &Entry, b: &Entry| {
            a.prefix.cmp(&b.prefix).then_with(|| {
                let a = slice(text, a.key_start, a.key_end);
                a.as_bytes()
                    .cmp(slice(text, b.key_start, b.key_end).as_bytes())
            })
        };
        if self.entries.is_sorted_by(|a, b| order(a, b).is_le()) {
            return;
        }
        self.entries.sort_unstable_by(order);
        self.scattered = true;
    }

    /// In a sorted set, the first key that appears more than once.
    pub(crate) fn first_repeated_key(&self) -> Option<&str> {
        let mut keys = self.iter().map(|(k, _)| k);
        let mut previous = keys.next()?;
        for key in keys {
            if key == previous {
                return Some(key);
            }
            previous = key;
        }
        None
    }

    /// The total length of the keys and values, the bytes a string to sign or an encoding of the
    /// set is built from.
    pub(crate) fn text_len(&self) -> usize {
        self.entries
            .iter()
            .map(|e| (e.key_end - e.key_start) + (e.value_end - e.value_start))
            .sum()
    }

    /// Rewrites the text without the parts that replaced and removed values left unused, once
    /// they are most of it, so that a set that is changed again and again does not grow forever.
    fn compact_if_wasteful(&mut self) {
        if self.text.len() > 2 * (self.text_len() + 2 * self.len()) + 256 {
            *self = self.clone_with_room(0, 0);
        }
    }

    /// Notes what signing and encoding must know of a key being added.
    fn note_key(&mut self, key: &str) {
        self.unplain |= !crate::encode::is_plain_key(key);
    }

    fn push_text(&mut self, key: &str, value: &str) -> Entry {
        self.note_key(key);
        self.push_text_plain(key, value)
    }

    /// Appends the text of a parameter whose key is plain, or already noted.
    fn push_text_plain(&mut self, key: &str, value: &str) -> Entry {
        let key_start = self.text.len();
        self.text.push_str(key);
        let key_end = self.text.len();
        self.text.push('=');
        self.text.push_str(value);
        let value_end = self.text.len();
        self.text.push('&');
        Entry {
            prefix: prefix(key),
            key_start,
            key_end,
            value_start: key_end + 1,
            value_end,
            unreserved: false,
        }
    }

    fn value_at(&self, at: usize) -> &str {
        self.entries
            .get(at)
            .map_or("", |e| slice(&self.text, e.value_start, e.value_end))
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        let key_prefix = prefix(key);
        self.entries.binary_search_by(|e| {
            e.prefix.cmp(&key_prefix).then_with(|| {
                let e = slice(&self.text, e.key_start, e.key_end);
                e.as_bytes().cmp(key.as_bytes())
            })
        })
    }
}

/// `text[start..end]`; the ranges of entries always lie on character boundaries.
fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or_default()
}

/// The parameters of a set in key order, as `(key, value)`.
#[derive(Clone)]
pub struct Iter<'a> {
    text: &'a str,
    entries: std::slice::Iter<'a, Entry>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let e = self.entries.next()?;
        Some((
            slice(self.text, e.key_start, e.key_end),
            slice(self.text, e.value_start, e.value_end),
        ))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = self.entries.next_back()?;
        Some((
            slice(self.text, e.key_start, e.key_end),
            slice(self.text, e.value_start, e.value_end),
        ))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl fmt::Debug for Iter<'_> {
    /// Shows how many parameters are left, never their values, which may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("remaining", &self.entries.len())
            .finish()
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Params {}

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
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value written as known to need no encoding is skipped by the encoders' scan until it
    /// is replaced; every other value is scanned.
    #[test]
    fn only_values_written_unreserved_skip_the_scan() {
        let mut p = Params::new();
        p.push_plain_joined_with("", "A", false, |t| t.push('1'));
        p.push_plain_joined_with("Disk", "Size", true, |t| t.push_str("50"));
        p.push_plain_joined_with("", "Name", false, |t| t.push_str("a b"));
        let text = p.in_order_text().unwrap().to_owned();
        let scanned: Vec<&str> = p.maybe_reserved_value_ranges().map(|r| &text[r]).collect();
        assert_eq!(scanned, ["1", "a b"]);
        p.set("Disk.Size", "5 0").unwrap();
        let values: Vec<String> = p
            .maybe_reserved_value_ranges()
            .map(|r| p.text[r].to_owned())
            .collect();
        assert_eq!(values, ["1", "5 0", "a b"]);
        let mut q = Params::new();
        q.push_plain_joined_with("", "N", true, |t| t.push('7'));
        q.push_plain_joined_with("", "S", false, |t| t.push('x'));
        let copy = q.clone_with_room(2, 16);
        let text = copy.in_order_text().unwrap();
        let scanned: Vec<&str> = copy
            .maybe_reserved_value_ranges()
            .map(|r| &text[r])
            .collect();
        assert_eq!(scanned, ["x"], "a copy keeps the flags of its values");
    }

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
    fn replacing_values_does_not_grow_the_text_forever() {
        let mut p = Params::from_pairs([("a", "1"), ("b", "2")]).unwrap();
        for i in 0..10_000 {
            p.set("a", "x".repeat(i % 7)).unwrap();
        }
        assert!(p.text.len() < 1024, "{}", p.text.len());
        assert_eq!(p.get("a"), Some("x".repeat(9_999 % 7).as_str()));
        assert_eq!(p.get("b"), Some("2"));
        let q = Params::from_pairs([("a", "x".repeat(9_999 % 7)), ("b", "2".into())]).unwrap();
        assert_eq!(p, q);
    }

    #[test]
    fn underscores_are_noticed_wherever_they_are() {
        for len in 1..20 {
            for at in 0..len {
                let mut key = vec![b'A'; len];
                key[at] = b'_';
                let key = String::from_utf8(key).unwrap();
                let mut p = Params::new();
                p.insert_str(&key, "v").unwrap();
                assert!(p.has_underscore_key());
                p.remove(&key);
                assert!(!p.has_underscore_key(), "a removed key no longer counts");
            }
            let mut plain = Params::new();
            plain.push_with(&"A".repeat(len), |t| t.push('v'));
            assert!(!plain.has_underscore_key());
            let mut near = Params::new();
            near.push_with(&"\u{7f}\u{df}.0-".repeat(len), |t| t.push('v'));
            assert!(!near.keys_are_plain());
            assert!(!near.has_underscore_key(), "near misses are not `_`");
        }
        let mut p = Params::new();
        p.push_with("Filters.0.Name_x", |t| t.push('v'));
        assert!(p.has_underscore_key());
        assert!(p.clone_with_room(1, 1).has_underscore_key());
        p.clear();
        assert!(!p.has_underscore_key());
    }

    #[test]
    fn keys_that_may_need_encoding_are_noticed() {
        let mut p = Params::new();
        p.insert_str("Placement.Zone", "z").unwrap();
        p.push_with("DataDisks.0.DiskSize", |t| t.push('1'));
        p.insert_known("Action", "RunInstances").unwrap();
        assert!(p.keys_are_plain() && p.clone_with_room(0, 0).keys_are_plain());
        for key in ["Tag-Key", "a~b", "Name_x", "键", "a:b"] {
            let mut q = p.clone();
            q.insert_str(key, "v").unwrap();
            assert!(!q.keys_are_plain(), "{key}");
            assert!(!q.clone_with_room(0, 0).keys_are_plain(), "{key}");
            let mut r = p.clone();
            r.push_with(key, |t| t.push('v'));
            assert!(!r.keys_are_plain(), "{key}");
            q.clear();
            assert!(q.keys_are_plain());
        }
    }

    /// One change to a parameter set, for the properties below.
    #[derive(Debug, Clone)]
    enum Change {
        Insert(String, String),
        Set(String, String),
        Remove(String),
        Push(String, String),
    }

    fn changes() -> impl proptest::strategy::Strategy<Value = Vec<Change>> {
        use proptest::prelude::*;
        let key = "[A-Ca-c0-9.]{1,5}|Action|Nonce|Region|Signature|Token|Version|Zone";
        let value = "[a-z0-9 =&~.-]{0,5}|\\PC{0,3}";
        let change = prop_oneof![
            (key, value).prop_map(|(k, v)| Change::Insert(k, v)),
            (key, value).prop_map(|(k, v)| Change::Set(k, v)),
            key.prop_map(Change::Remove),
            (key, value).prop_map(|(k, v)| Change::Push(k, v)),
        ];
        proptest::collection::vec(change, 0..24)
    }

    /// A set built by `changes`; a push comes after the last key, as the flatteners push.
    fn build(changes: Vec<Change>) -> Params {
        let mut p = Params::new();
        for c in changes {
            match c {
                Change::Insert(k, v) => {
                    let _ = p.insert(k, v);
                }
                Change::Set(k, v) => {
                    let _ = p.set(k, v);
                }
                Change::Remove(k) => {
                    p.remove(&k);
                }
                Change::Push(k, v) => {
                    if p.iter()
                        .next_back()
                        .is_none_or(|(last, _)| last < k.as_str())
                    {
                        p.push_with(&k, |t| t.push_str(&v));
                    }
                }
            }
        }
        p
    }

    /// `key=value&` for each pair of `p`, in order.
    fn pairs_text(p: &Params) -> String {
        p.iter().map(|(k, v)| format!("{k}={v}&")).collect()
    }

    const KNOWN: [&str; 8] = [
        "Action",
        "Language",
        "Nonce",
        "Region",
        "SecretId",
        "Timestamp",
        "Token",
        "Version",
    ];

    proptest::proptest! {
        /// Whatever was done to a set, the text it calls in order is exactly its pairs, and a
        /// set built by adding keys in order only (pushes, inserts at the end) is in order.
        #[test]
        fn in_order_text_is_the_pairs(changes in changes()) {
            let only_appends = changes.iter().all(|c| matches!(c, Change::Push(..)));
            let p = build(changes);
            if let Some(text) = p.in_order_text() {
                proptest::prop_assert_eq!(text, pairs_text(&p));
                let values: Vec<&str> = p.value_ranges().map(|r| &text[r]).collect();
                let want: Vec<&str> = p.iter().map(|(_, v)| v).collect();
                proptest::prop_assert_eq!(values, want);
            }
            if only_appends {
                proptest::prop_assert!(p.in_order_text().is_some());
            }
            let copy = p.clone_with_room(1, 1);
            let want = pairs_text(&p);
            proptest::prop_assert_eq!(copy.in_order_text(), Some(want.as_str()));
        }

        /// Adding sorted known keys in one pass gives the set (or the error) that adding them
        /// one at a time gives, keeps a set in order, and an error leaves the set as it was.
        #[test]
        fn sorted_insert_equals_one_at_a_time(
            changes in changes(),
            chosen in proptest::collection::vec(proptest::bool::ANY, KNOWN.len()),
            value in "[a-z0-9]{0,4}|\\PC{0,3}",
        ) {
            let p = build(changes);
            let pairs: Vec<(&'static str, &str)> = KNOWN
                .iter()
                .zip(&chosen)
                .filter(|(_, c)| **c)
                .map(|(k, _)| (*k, value.as_str()))
                .collect();
            let mut one_pass = p.clone();
            let got = one_pass.insert_sorted_known(&pairs);
            let mut one_at_a_time = p.clone();
            let want = pairs.iter().try_for_each(|(k, v)| one_at_a_time.insert_known(k, v));
            proptest::prop_assert_eq!(&got, &want);
            if got.is_ok() {
                proptest::prop_assert_eq!(&one_pass, &one_at_a_time);
                if p.in_order_text().is_some() {
                    let want = pairs_text(&one_pass);
                    proptest::prop_assert_eq!(one_pass.in_order_text(), Some(want.as_str()));
                }
            } else {
                proptest::prop_assert_eq!(&one_pass, &p);
            }
        }
    }

    #[test]
    fn known_keys_are_merged_in_place() {
        let mut p = Params::with_room(8, 128);
        p.push_with("ImageId", |t| t.push_str("img-1"));
        p.push_with("Placement.Zone", |t| t.push_str("ap-guangzhou-2"));
        let room = p.text.capacity();
        p.insert_sorted_known(&[("Action", "RunInstances"), ("Nonce", "7"), ("Version", "v")])
            .unwrap();
        assert_eq!(
            p.in_order_text(),
            Some("Action=RunInstances&ImageId=img-1&Nonce=7&Placement.Zone=ap-guangzhou-2&Version=v&")
        );
        assert_eq!(p.text.capacity(), room, "merged within the buffer");
        assert_eq!(
            p.insert_sorted_known(&[("Nonce", "8")]),
            Err(ParamsError::Duplicate("Nonce".into()))
        );
        p.set("Nonce", "9").unwrap();
        assert_eq!(p.in_order_text(), None);
        assert_eq!(p.get("Nonce"), Some("9"));
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
