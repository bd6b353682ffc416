//! Time behind a small trait, so that tests can run a client on a virtual clock.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Where a client reads the time: the wall clock (for timestamps) and a monotonic one (for deadlines).
pub trait Clock: Send + Sync + fmt::Debug {
    /// Unix seconds of the wall clock, uncorrected (0 before 1970).
    fn unix_now(&self) -> u64;

    /// A monotonic reading: the time since an origin that does not move.
    fn monotonic(&self) -> Duration;

    /// Blocks the calling thread for `duration`; the blocking client sleeps through this, so a
    /// virtual clock can advance instead of waiting.
    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// The operating system's clocks.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// The system clocks, with the monotonic origin at this moment.
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

/// The operating system's wall clock in Unix seconds (0 before 1970), for clocks of other runtimes.
pub fn system_unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Clock for SystemClock {
    fn unix_now(&self) -> u64 {
        system_unix_now()
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// A clock that only moves when told to, or when something sleeps on it: tests run through
/// back-offs and waits of minutes in no time, and see exactly how long a client slept.
#[derive(Debug)]
pub struct VirtualClock {
    state: Mutex<(u64, Duration)>,
}

impl VirtualClock {
    /// A clock whose wall clock reads `unix_now` and whose monotonic clock reads zero.
    pub fn new(unix_now: u64) -> Self {
        Self {
            state: Mutex::new((unix_now, Duration::ZERO)),
        }
    }

    /// Moves both clocks forward by `by` (the wall clock by whole seconds of the monotonic total).
    pub fn advance(&self, by: Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let before = state.1.as_secs();
        state.1 += by;
        state.0 += state.1.as_secs() - before;
    }

    /// Sets the wall clock, e.g. to simulate a skewed local clock.
    pub fn set_unix_now(&self, unix_now: u64) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 = unix_now;
    }
}

impl Clock for VirtualClock {
    fn unix_now(&self) -> u64 {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0
    }

    fn monotonic(&self) -> Duration {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }

    fn sleep(&self, duration: Duration) {
        self.advance(duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtual_clock_moves_only_when_slept_on() {
        let clock = VirtualClock::new(1_000);
        assert_eq!(
            (clock.unix_now(), clock.monotonic()),
            (1_000, Duration::ZERO)
        );
        clock.sleep(Duration::from_millis(700));
        assert_eq!(clock.unix_now(), 1_000);
        clock.sleep(Duration::from_millis(700));
        assert_eq!(clock.unix_now(), 1_001);
        assert_eq!(clock.monotonic(), Duration::from_millis(1_400));
        clock.set_unix_now(5);
        assert_eq!(clock.unix_now(), 5);
    }

    #[test]
    fn the_system_clock_is_after_2020_and_monotonic() {
        let clock = SystemClock::new();
        assert!(clock.unix_now() > 1_577_836_800);
        let a = clock.monotonic();
        assert!(clock.monotonic() >= a);
    }
}
