//! The replay cache and its memory.
//!
//! To answer `InvalidRequest.ReplayAttack`, the core remembers the (SecretId, Nonce, Timestamp)
//! triple of every signature-v1 request that passed authentication, for as long as its
//! timestamp is inside the ±[`SimConfig::timestamp_window_secs`](crate::SimConfig::timestamp_window_secs) window (a request outside it is
//! refused as expired anyway). The cache is bounded twice:
//!
//! - by time: entries are kept in timestamp order and every insertion first forgets those whose
//!   timestamp has left the window, so the cache never holds more than the requests accepted
//!   within one window's span (timestamps run from `now - window` to `now + window`);
//! - by size: at most [`SimConfig::max_nonces`](crate::SimConfig::max_nonces) entries (default
//!   [`DEFAULT_MAX_NONCES`](crate::DEFAULT_MAX_NONCES), 2^20). While that many are inside the
//!   window, further signature-v1 requests are answered `RequestLimitExceeded` instead of
//!   forgetting an entry, since a forgotten one could be replayed.
//!
//! An entry is a 24-byte key (timestamp, SecretId index, nonce) in a B-tree, each SecretId being
//! stored once: about 49 bytes per entry as measured (`tests/nonce_memory.rs`), at most about
//! 72 bytes with every B-tree node at its minimum fill. The default cap thus bounds the cache at
//! about 72 MiB (2^20 × 72 bytes), and a rate of R accepted requests per second keeps it near
//! 49 × R × 300 bytes with the default window. [`Sim::dump_state`](crate::Sim::dump_state) saves the entries it holds,
//! so that a replay is still refused after a restart.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// The (SecretId, Nonce, Timestamp) triples of signature-v1 requests accepted recently, each kept
/// for as long as its timestamp is inside the window, so that a replay is recognised.
///
/// Entries are kept in timestamp order, so that every insertion first forgets the ones whose
/// timestamp has left the window (memory is bounded by time without a timer), and at most
/// `max` are kept: while the cache is full of entries still inside the window, an insertion is
/// refused rather than forgetting one, since a forgotten one could be replayed.
pub(crate) struct NonceCache {
    /// The SecretIds of the entries, each stored once; entries name them by index.
    secret_ids: Vec<String>,
    /// Index of each SecretId in `secret_ids`.
    index: HashMap<String, u32>,
    /// (Timestamp, SecretId index, Nonce), in timestamp order.
    entries: BTreeSet<(i64, u32, i64)>,
    /// The window in seconds: an entry is forgotten once the server clock is past `timestamp + window`.
    window: i64,
    /// The most entries kept.
    pub(crate) max: usize,
}

/// The cache is full of entries still inside the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NonceCacheFull;

impl NonceCache {
    pub(crate) fn new(window_secs: u64, max: usize) -> Self {
        NonceCache {
            secret_ids: Vec::new(),
            index: HashMap::new(),
            entries: BTreeSet::new(),
            window: i64::try_from(window_secs).unwrap_or(i64::MAX),
            max,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Forgets every entry whose timestamp is more than the window behind `server_now`.
    pub(crate) fn prune(&mut self, server_now: i64) {
        let oldest_kept = server_now.saturating_sub(self.window);
        while self
            .entries
            .first()
            .is_some_and(|&(timestamp, _, _)| timestamp < oldest_kept)
        {
            self.entries.pop_first();
        }
    }

    pub(crate) fn contains(&self, secret_id: &str, nonce: i64, timestamp: i64) -> bool {
        self.index
            .get(secret_id)
            .is_some_and(|&i| self.entries.contains(&(timestamp, i, nonce)))
    }

    /// Remembers a triple at server time `server_now`, first forgetting the expired ones;
    /// `Ok(true)` if it is new.
    pub(crate) fn insert(
        &mut self,
        secret_id: &str,
        nonce: i64,
        timestamp: i64,
        server_now: i64,
    ) -> Result<bool, NonceCacheFull> {
        self.prune(server_now);
        if self.contains(secret_id, nonce, timestamp) {
            return Ok(false);
        }
        if self.entries.len() >= self.max {
            return Err(NonceCacheFull);
        }
        let i = self.intern(secret_id);
        Ok(self.entries.insert((timestamp, i, nonce)))
    }

    pub(crate) fn intern(&mut self, secret_id: &str) -> u32 {
        if let Some(&i) = self.index.get(secret_id) {
            return i;
        }
        // Only authenticated SecretIds are interned, so there are no more than accounts ever configured.
        let i = u32::try_from(self.secret_ids.len()).unwrap_or(u32::MAX);
        self.secret_ids.push(secret_id.to_owned());
        self.index.insert(secret_id.to_owned(), i);
        i
    }

    /// The entries per SecretId, sorted, for a state dump.
    pub(crate) fn records(&self) -> Vec<NonceRecord> {
        let mut by_id: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
        for &(timestamp, i, nonce) in &self.entries {
            if let Some(id) = usize::try_from(i).ok().and_then(|i| self.secret_ids.get(i)) {
                by_id.entry(id).or_default().push((timestamp, nonce));
            }
        }
        by_id
            .into_iter()
            .map(|(secret_id, entries)| NonceRecord {
                secret_id: secret_id.to_owned(),
                entries,
            })
            .collect()
    }

    /// A cache with the entries of a state dump; past `max`, the oldest are left out.
    pub(crate) fn from_records(window_secs: u64, max: usize, records: Vec<NonceRecord>) -> Self {
        let mut cache = NonceCache::new(window_secs, max);
        for record in records {
            let i = cache.intern(&record.secret_id);
            cache.entries.extend(
                record
                    .entries
                    .into_iter()
                    .map(|(timestamp, nonce)| (timestamp, i, nonce)),
            );
        }
        while cache.entries.len() > max {
            cache.entries.pop_first();
        }
        cache
    }
}

/// The nonces of one SecretId in a state dump: (Timestamp, Nonce) pairs.
#[derive(Serialize, Deserialize)]
pub(crate) struct NonceRecord {
    secret_id: String,
    entries: Vec<(i64, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_forgotten_when_their_timestamp_expires() {
        let mut cache = NonceCache::new(300, 100);
        assert_eq!(cache.insert("a", 1, 100, 100), Ok(true));
        assert_eq!(cache.insert("a", 2, 200, 200), Ok(true));
        assert_eq!(cache.insert("a", 2, 200, 200), Ok(false));
        assert_eq!(cache.len(), 2);
        cache.prune(400);
        assert_eq!(cache.len(), 2);
        cache.prune(401);
        assert!(!cache.contains("a", 1, 100));
        assert!(cache.contains("a", 2, 200));
        cache.prune(10_000);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn expired_nonces_are_forgotten_on_insertion() {
        let mut cache = NonceCache::new(300, 2);
        assert_eq!(cache.insert("a", 1, 100, 100), Ok(true));
        assert_eq!(cache.insert("b", 1, 100, 100), Ok(true));
        // Full of entries inside the window: refused, and nothing is forgotten.
        assert_eq!(cache.insert("a", 2, 150, 400), Err(NonceCacheFull));
        assert!(cache.contains("a", 1, 100) && cache.contains("b", 1, 100));
        // Once they leave the window, the insertion itself forgets them.
        assert_eq!(cache.insert("a", 2, 150, 401), Ok(true));
        assert_eq!(cache.len(), 1);
        assert!(!cache.contains("a", 1, 100) && !cache.contains("b", 1, 100));
        // Entries name their SecretId by index; the same nonce of another SecretId is another entry.
        assert_eq!(cache.insert("b", 2, 150, 401), Ok(true));
        assert_eq!(cache.secret_ids.len(), 2);
    }

    #[test]
    fn nonce_records_round_trip_and_respect_the_cap() {
        let mut cache = NonceCache::new(300, 10);
        for (id, nonce, ts) in [("b", 1, 103), ("a", 2, 102), ("a", 1, 101)] {
            cache.insert(id, nonce, ts, 100).unwrap();
        }
        let records = cache.records();
        assert_eq!(records[0].secret_id, "a");
        assert_eq!(records[0].entries, vec![(101, 1), (102, 2)]);
        let copy = NonceCache::from_records(300, 10, cache.records());
        assert_eq!(copy.entries.len(), 3);
        assert!(copy.contains("b", 1, 103) && copy.contains("a", 2, 102));
        let small = NonceCache::from_records(300, 2, cache.records());
        assert!(!small.contains("a", 1, 101), "the oldest is left out");
        assert!(small.contains("a", 2, 102) && small.contains("b", 1, 103));
    }
}
