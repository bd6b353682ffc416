//! Random draws behind a small trait: nonces, client tokens and back-off jitter.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// Where a client draws random bytes.
pub trait Random: Send + Sync + fmt::Debug {
    /// Fills `bytes` with random bytes.
    fn fill(&self, bytes: &mut [u8]) -> Result<(), Error>;
}

/// The operating system's random number generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&self, bytes: &mut [u8]) -> Result<(), Error> {
        getrandom::fill(bytes).map_err(|e| Error::Random(e.to_string()))
    }
}

/// A reproducible sequence (splitmix64) for tests: the same seed gives the same nonces and tokens.
/// Never use it against the real service: nonces must not repeat.
#[derive(Debug)]
pub struct SeededRandom {
    state: AtomicU64,
}

impl SeededRandom {
    /// A sequence starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: AtomicU64::new(seed),
        }
    }

    fn next_u64(&self) -> u64 {
        let mut z = self
            .state
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Random for SeededRandom {
    fn fill(&self, bytes: &mut [u8]) -> Result<(), Error> {
        for chunk in bytes.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// Draws from `random`: a `u32`.
pub(crate) fn u32_from(random: &dyn Random) -> Result<u32, Error> {
    let mut bytes = [0u8; 4];
    random.fill(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

/// A value in 0..=1 for back-off jitter; 1 (the full back-off) if drawing fails.
pub(crate) fn jitter_from(random: &dyn Random) -> f64 {
    u32_from(random).map_or(1.0, jitter_of)
}

/// The jitter in 0..=1 of a random `u32`.
pub(crate) fn jitter_of(r: u32) -> f64 {
    f64::from(r) / f64::from(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_sequences_repeat_and_os_draws_differ() {
        let (a, b) = (SeededRandom::new(7), SeededRandom::new(7));
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.fill(&mut x).unwrap();
        b.fill(&mut y).unwrap();
        assert_eq!(x, y);
        a.fill(&mut y).unwrap();
        assert_ne!(x, y);
        let (p, q) = (u32_from(&OsRandom).unwrap(), u32_from(&OsRandom).unwrap());
        let (r, s) = (u32_from(&OsRandom).unwrap(), u32_from(&OsRandom).unwrap());
        assert!(p != q || r != s);
        let j = jitter_from(&a);
        assert!((0.0..=1.0).contains(&j));
    }
}
