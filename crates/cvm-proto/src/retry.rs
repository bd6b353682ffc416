//! Retry decisions: whether a failed attempt is tried again, after how long, and clock correction.
//!
//! Pure: the transport passes in elapsed time and a random jitter value, and sleeps itself.

use std::time::Duration;

use crate::envelope::{self, ApiError, ErrorKind};

/// The error code of a reused nonce (legacy gateway, and the emulator on both gateways).
pub const REPLAY_ATTACK: &str = "InvalidRequest.ReplayAttack";

/// How a call is retried: attempts, exponential backoff with full jitter, and an overall deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff before the second attempt, doubled for each one after.
    pub base_delay: Duration,
    /// The longest single backoff.
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms doubling up to 5 s, within 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            deadline: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The same policy with `n` attempts in all.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }

    /// The same policy with back-offs from `base` doubling up to `max`.
    pub fn with_delays(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// The same policy with no retry starting after `deadline`.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The backoff before attempt `attempts + 1`: `jitter` (0 to 1) times `base * 2^(attempts-1)`, capped.
    pub fn backoff(&self, attempts: u32, jitter: f64) -> Duration {
        let exp = attempts.saturating_sub(1).min(31);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            1.0
        };
        ceiling.mul_f64(jitter)
    }

    /// Decides what follows a failed attempt. `state` counts attempts made so far for this call;
    /// `idempotent` says whether a request that may have reached the service can be sent again.
    pub fn decide(
        &self,
        state: &mut RetryState,
        failure: &Failure<'_>,
        idempotent: bool,
        elapsed: Duration,
        jitter: f64,
    ) -> Decision {
        state.attempts += 1;
        if let Failure::Api(err) = failure {
            if err.kind == ErrorKind::SignatureExpired && !state.clock_corrected {
                if let Some(server_time) = err.server_time {
                    state.clock_corrected = true;
                    return Decision::CorrectClock { server_time };
                }
            }
        }
        let retryable = match failure {
            // A replayed nonce (a rare collision of random nonces) passes with the fresh nonce of
            // the next attempt, whether or not the message carried a server time: retry it once.
            Failure::Api(err) if err.code == REPLAY_ATTACK && !state.replay_retried => {
                state.replay_retried = true;
                true
            }
            Failure::Api(err) => matches!(err.kind, ErrorKind::Throttled | ErrorKind::Internal),
            Failure::HttpStatus(_) | Failure::Transport | Failure::InvalidReply => idempotent,
            Failure::NotSent => true,
        };
        if !retryable || state.attempts >= self.max_attempts {
            return Decision::GiveUp;
        }
        let after = self.backoff(state.attempts, jitter);
        if elapsed.saturating_add(after) >= self.deadline {
            return Decision::GiveUp;
        }
        Decision::Retry { after }
    }
}

/// What a call has been through so far; one per call, shared by all its attempts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryState {
    /// Attempts made.
    pub attempts: u32,
    /// Whether the clock was already corrected once in this call.
    pub clock_corrected: bool,
    /// Whether a replayed-nonce error was already retried once in this call.
    pub replay_retried: bool,
}

/// How an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure<'a> {
    /// The service answered with an API error.
    Api(&'a ApiError),
    /// The HTTP status was not 200 (the request may have been processed).
    HttpStatus(u16),
    /// The connection failed or timed out after the request may have reached the service.
    Transport,
    /// Status 200 with a body that is not a valid envelope.
    InvalidReply,
    /// The request certainly never reached the service (e.g. connection refused).
    NotSent,
}

impl<'a> Failure<'a> {
    /// The retry view of an envelope error.
    pub fn from_envelope(err: &'a envelope::Error) -> Self {
        match err {
            envelope::Error::Api(api) => Failure::Api(api),
            envelope::Error::HttpStatus { status, .. } => Failure::HttpStatus(*status),
            _ => Failure::InvalidReply,
        }
    }
}

/// What the transport does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Sleep, then send a freshly prepared attempt (new timestamp, nonce and signature).
    Retry {
        /// How long to sleep first.
        after: Duration,
    },
    /// The local clock is off: adopt the server's time (see [`clock_offset`]) and retry at once.
    CorrectClock {
        /// The service's Unix time, from its error message.
        server_time: u64,
    },
    /// Return the failure to the caller.
    GiveUp,
}

/// The seconds to add to the local clock so that it agrees with `server_time`.
pub fn clock_offset(server_time: u64, local_now: u64) -> i64 {
    let diff = i128::from(server_time) - i128::from(local_now);
    diff.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// The local Unix time shifted by `offset` seconds, never below zero.
pub fn adjusted_now(local_now: u64, offset: i64) -> u64 {
    local_now.saturating_add_signed(offset)
}

/// A `ClientToken` from 16 random bytes: 32 lower-case hex characters (the service allows 64 ASCII).
pub fn client_token(random: [u8; 16]) -> String {
    random.iter().map(|b| format!("{b:02x}")).collect()
}

/// A nonce in `1..=u32::MAX` from any random number.
pub fn nonce(random: u32) -> u64 {
    u64::from(random.max(1))
}

/// Parses an HTTP `Date` header in IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix
/// seconds; `None` for any other text, a day the month lacks or a year before 1970.
///
/// The form is RFC 9110's (section 5.6.7): single spaces, a two-digit day, hour, minute and
/// second, a four-digit year, and the names as written there. Spaces and tabs around the value
/// are not part of it. The day name must be one, but is not checked against the date.
pub fn parse_http_date(value: &str) -> Option<u64> {
    use crate::time::{days_from_civil, days_in_month, two_digits};
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = value.trim_matches([' ', '\t']).split(' ');
    let mut next = || parts.next();
    let (weekday, day, month, year, time, zone) =
        (next()?, next()?, next()?, next()?, next()?, next()?);
    if next().is_some() || zone != "GMT" || !DAYS.contains(&weekday.strip_suffix(',')?) {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let day = two_digits(day.as_bytes())?;
    let year = match year.as_bytes() {
        [a, b, c, d] => two_digits(&[*a, *b])? * 100 + two_digits(&[*c, *d])?,
        _ => return None,
    };
    let (h, m, s) = match time.as_bytes() {
        [h1, h2, b':', m1, m2, b':', s1, s2] => (
            two_digits(&[*h1, *h2])?,
            two_digits(&[*m1, *m2])?,
            two_digits(&[*s1, *s2])?,
        ),
        _ => return None,
    };
    let max_day = days_in_month(year, month)?;
    if !(1..=max_day).contains(&day) || h > 23 || m > 59 || s > 60 || year < 1970 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, message: &str) -> ApiError {
        ApiError::new(code, message, Some("r".into()))
    }

    #[test]
    fn throttling_and_internal_errors_retry_with_capped_jittered_backoff() {
        let p = RetryPolicy::default();
        let mut s = RetryState::default();
        let e = api("RequestLimitExceeded", "slow down");
        let d = p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 1.0);
        assert_eq!(
            d,
            Decision::Retry {
                after: Duration::from_millis(200)
            }
        );
        let d = p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 0.5);
        assert_eq!(
            d,
            Decision::Retry {
                after: Duration::from_millis(200)
            }
        );
        assert_eq!(p.backoff(10, 1.0), Duration::from_secs(5));
        assert_eq!(p.backoff(100, f64::NAN), Duration::from_secs(5));
        let i = api("InternalError", "oops");
        let mut s = RetryState::default();
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&i), false, Duration::ZERO, 0.1),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn gives_up_after_max_attempts_or_deadline() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        };
        let e = api("RequestLimitExceeded", "");
        let mut s = RetryState::default();
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&e), true, Duration::ZERO, 1.0),
            Decision::Retry { .. }
        ));
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&e), true, Duration::ZERO, 1.0),
            Decision::Retry { .. }
        ));
        assert_eq!(
            p.decide(&mut s, &Failure::Api(&e), true, Duration::ZERO, 1.0),
            Decision::GiveUp
        );
        let mut s = RetryState::default();
        assert_eq!(
            p.decide(
                &mut s,
                &Failure::Api(&e),
                true,
                Duration::from_secs(60),
                0.0
            ),
            Decision::GiveUp
        );
        assert_eq!(
            RetryPolicy::none().decide(
                &mut RetryState::default(),
                &Failure::Api(&e),
                true,
                Duration::ZERO,
                0.0
            ),
            Decision::GiveUp
        );
    }

    #[test]
    fn transport_failures_retry_only_when_idempotent() {
        let p = RetryPolicy::default();
        for f in [
            Failure::Transport,
            Failure::HttpStatus(502),
            Failure::InvalidReply,
        ] {
            assert_eq!(
                p.decide(&mut RetryState::default(), &f, false, Duration::ZERO, 0.0),
                Decision::GiveUp,
                "{f:?}"
            );
            assert!(matches!(
                p.decide(&mut RetryState::default(), &f, true, Duration::ZERO, 0.0),
                Decision::Retry { .. }
            ));
        }
        assert!(matches!(
            p.decide(
                &mut RetryState::default(),
                &Failure::NotSent,
                false,
                Duration::ZERO,
                0.0
            ),
            Decision::Retry { .. }
        ));
    }

    #[test]
    fn other_api_errors_are_final() {
        let p = RetryPolicy::default();
        for code in [
            "InvalidParameterValue",
            "AuthFailure.SignatureFailure",
            "InvalidInstanceId.NotFound",
            "InstancesQuotaLimitExceeded",
        ] {
            let e = api(code, "");
            assert_eq!(
                p.decide(
                    &mut RetryState::default(),
                    &Failure::Api(&e),
                    true,
                    Duration::ZERO,
                    0.0
                ),
                Decision::GiveUp,
                "{code}"
            );
        }
    }

    #[test]
    fn signature_expire_corrects_the_clock_once() {
        let p = RetryPolicy::default();
        let e = api(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp is 1, the server time 1706406788.",
        );
        let mut s = RetryState::default();
        assert_eq!(
            p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 0.0),
            Decision::CorrectClock {
                server_time: 1706406788
            }
        );
        assert_eq!(
            p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
        let no_time = api("AuthFailure.SignatureExpire", "expired");
        assert_eq!(
            p.decide(
                &mut RetryState::default(),
                &Failure::Api(&no_time),
                false,
                Duration::ZERO,
                0.0
            ),
            Decision::GiveUp
        );
        assert_eq!(clock_offset(1000, 700), 300);
        assert_eq!(clock_offset(700, 1000), -300);
        assert_eq!(adjusted_now(1000, -300), 700);
        assert_eq!(adjusted_now(10, -300), 0);
    }

    #[test]
    fn a_replayed_nonce_is_retried_once_even_without_a_server_time() {
        let p = RetryPolicy::default();
        let e = api("InvalidRequest.ReplayAttack", "nonce used");
        let mut s = RetryState::default();
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 0.0),
            Decision::Retry { .. }
        ));
        assert_eq!(
            p.decide(&mut s, &Failure::Api(&e), false, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
        // With a server time, the clock is corrected first, then one plain retry follows.
        let timed = api(
            "InvalidRequest.ReplayAttack",
            "nonce used, the server time 1706406788",
        );
        let mut s = RetryState::default();
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&timed), false, Duration::ZERO, 0.0),
            Decision::CorrectClock { .. }
        ));
        assert!(matches!(
            p.decide(&mut s, &Failure::Api(&timed), false, Duration::ZERO, 0.0),
            Decision::Retry { .. }
        ));
        assert_eq!(
            p.decide(&mut s, &Failure::Api(&timed), false, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn tokens_nonces_and_dates() {
        assert_eq!(client_token([0xab; 16]), "ab".repeat(16));
        assert_eq!(nonce(0), 1);
        assert_eq!(nonce(u32::MAX), u64::from(u32::MAX));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784111777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        assert_eq!(parse_http_date(""), None);
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 23:59:60 GMT"),
            Some(1_709_251_200)
        );
        assert_eq!(
            parse_http_date(" \tSun, 06 Nov 1994 08:49:37 GMT "),
            Some(784111777)
        );
        for bad in [
            // Days the month lacks, which calendar arithmetic would carry into the next month.
            "Sat, 31 Feb 2024 00:00:00 GMT",
            "Thu, 29 Feb 2023 00:00:00 GMT",
            "Thu, 31 Apr 2024 00:00:00 GMT",
            "Thu, 00 Apr 2024 00:00:00 GMT",
            // Signs, widths, spacing and names other than the form's.
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 +8:49:37 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov +994 08:49:37 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun,\t06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }
}
