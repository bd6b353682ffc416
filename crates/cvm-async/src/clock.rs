//! The async client's clock: tokio's, so that its deadlines agree with its sleeps.

use std::time::Duration;

use cvm_client::{system_unix_now, Clock};
use tokio::time::Instant;

/// The wall clock of the system and tokio's monotonic clock, which a test runtime with paused
/// time (`#[tokio::test(start_paused = true)]`) advances as the client sleeps.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    origin: Instant,
}

impl TokioClock {
    /// Tokio's clock, with the monotonic origin at this moment.
    pub fn new() -> Self {
        Self {
            origin: Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    fn unix_now(&self) -> u64 {
        system_unix_now()
    }

    fn monotonic(&self) -> Duration {
        self.origin.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn paused_time_moves_the_monotonic_clock() {
        let clock = TokioClock::new();
        tokio::time::sleep(Duration::from_secs(90)).await;
        assert_eq!(clock.monotonic(), Duration::from_secs(90));
        assert!(clock.unix_now() > 1_577_836_800);
    }
}
