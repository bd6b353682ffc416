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

/// Parses an HTTP `Date` header, in any of the three forms of RFC 9110 (section 5.6.7), to Unix
/// seconds; `None` for any other text, a day the month lacks or a year before 1970.
///
/// `now` (Unix seconds, the local clock) places the two-digit year of the RFC 850 form: a date
/// more than 50 years after `now` is read a century earlier, as the RFC says.
pub fn parse_http_date(value: &str, now: u64) -> Option<u64> {
    use crate::time::{days_from_civil, days_in_month, two_digits};
    // The forms are IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday,
    // 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`, or `Nov 06`), each
    // exactly as the RFC writes them: single spaces but the one before asctime's one-digit day,
    // fields of two digits, the names' case. Spaces and tabs around a header's value are not
    // part of it. The day name must be one, but is not checked against the date.
    let (weekday, rest) = value.trim_matches([' ', '\t']).split_once(' ')?;
    let (weekday, rest) = (weekday.as_bytes(), rest.as_bytes());
    let (year, month, day, time) = if let Some(name) = weekday.strip_suffix(b",") {
        if DAY_NAMES.iter().any(|d| d.as_bytes() == name) {
            // IMF-fixdate: `DD Mon YYYY HH:MM:SS GMT`.
            let [d1, d2, b' ', m1, m2, m3, b' ', y1, y2, y3, y4, b' ', time @ .., b' ', b'G', b'M', b'T'] =
                rest
            else {
                return None;
            };
            let year = two_digits(&[*y1, *y2])? * 100 + two_digits(&[*y3, *y4])?;
            (
                Year::Full(year),
                month_number([*m1, *m2, *m3])?,
                two_digits(&[*d1, *d2])?,
                time,
            )
        } else if LONG_DAY_NAMES.iter().any(|d| d.as_bytes() == name) {
            // RFC 850: `DD-Mon-YY HH:MM:SS GMT`.
            let [d1, d2, b'-', m1, m2, m3, b'-', y1, y2, b' ', time @ .., b' ', b'G', b'M', b'T'] =
                rest
            else {
                return None;
            };
            (
                Year::TwoDigit(two_digits(&[*y1, *y2])?),
                month_number([*m1, *m2, *m3])?,
                two_digits(&[*d1, *d2])?,
                time,
            )
        } else {
            return None;
        }
    } else if DAY_NAMES.iter().any(|d| d.as_bytes() == weekday) {
        // asctime: `Mon DD HH:MM:SS YYYY`, the day as two digits or a space and one.
        let [m1, m2, m3, b' ', d1, d2, b' ', time @ .., b' ', y1, y2, y3, y4] = rest else {
            return None;
        };
        let day = match d1 {
            b' ' => two_digits(&[b'0', *d2])?,
            _ => two_digits(&[*d1, *d2])?,
        };
        let year = two_digits(&[*y1, *y2])? * 100 + two_digits(&[*y3, *y4])?;
        (Year::Full(year), month_number([*m1, *m2, *m3])?, day, time)
    } else {
        return None;
    };
    let [h1, h2, b':', m1, m2, b':', s1, s2] = time else {
        return None;
    };
    let (h, m, s) = (
        two_digits(&[*h1, *h2])?,
        two_digits(&[*m1, *m2])?,
        two_digits(&[*s1, *s2])?,
    );
    let year = match year {
        Year::Full(year) => year,
        Year::TwoDigit(yy) => century_year(yy, [month, day, h, m, s], now),
    };
    let max_day = days_in_month(year, month)?;
    if !(1..=max_day).contains(&day) || h > 23 || m > 59 || s > 60 || year < 1970 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days
        .checked_mul(86_400)?
        .checked_add(h * 3600 + m * 60 + s)?;
    u64::try_from(secs).ok()
}

/// The day names of IMF-fixdate and asctime.
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The day names of the RFC 850 form.
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The month's number (1 for `Jan`), from its name as HTTP dates write it.
fn month_number(name: [u8; 3]) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    MONTHS
        .iter()
        .position(|m| **m == name)
        .map(|i| i as i64 + 1)
}

/// The year of an HTTP date as written: whole, or the last two digits of the RFC 850 form.
enum Year {
    Full(i64),
    TwoDigit(i64),
}

/// The year that the two-digit year `yy` of an RFC 850 date stands for, read at Unix time
/// `now`: the latest year ending in `yy` whose date (`rest`: month, day, hour, minute, second)
/// is at most 50 years after `now`.
fn century_year(yy: i64, rest: [i64; 5], now: u64) -> i64 {
    // A `u64` of seconds is under 2^48 days, well inside an `i64`.
    let (this_year, month, day) = crate::time::civil_from_days((now / 86_400) as i64);
    let second = (now % 86_400) as i64;
    let now_rest = [month, day, second / 3600, second / 60 % 60, second % 60];
    let limit = this_year + 50;
    let year = limit - (limit - yy).rem_euclid(100);
    if year == limit && rest > now_rest {
        year - 100
    } else {
        year
    }
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
    }

    /// 2026-12-08, when these tests were written; the two-digit years read from it.
    const NOW: u64 = 1_796_688_000;

    #[test]
    fn http_dates_in_each_of_the_three_forms() {
        let date = |text| parse_http_date(text, NOW);
        // RFC 9110's own example, in each form.
        for text in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun Nov 06 08:49:37 1994",
            " \tSun, 06 Nov 1994 08:49:37 GMT ",
            "\tSun Nov  6 08:49:37 1994 ",
        ] {
            assert_eq!(date(text), Some(784_111_777), "{text:?}");
        }
        assert_eq!(date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(date("Thu, 29 Feb 2024 23:59:60 GMT"), Some(1_709_251_200));
        assert_eq!(date("Thu Feb 29 23:59:60 2024"), Some(1_709_251_200));
        assert_eq!(
            date("Thursday, 29-Feb-24 23:59:60 GMT"),
            Some(1_709_251_200)
        );
        assert_eq!(date("Tue, 08 Dec 2026 00:00:00 GMT"), Some(NOW));
    }

    #[test]
    fn two_digit_years_are_at_most_fifty_years_ahead() {
        let year = |text, now| {
            let secs = parse_http_date(text, now)?;
            Some(crate::time::civil_from_days(i64::try_from(secs / 86_400).ok()?).0)
        };
        // From 2026-12-08, `76` is 2076 up to 2076-12-08 (50 years ahead) and 1976 after it;
        // `77` is 1977.
        assert_eq!(year("Monday, 01-Jan-26 00:00:00 GMT", NOW), Some(2026));
        assert_eq!(year("Monday, 01-Jan-76 00:00:00 GMT", NOW), Some(2076));
        assert_eq!(year("Tuesday, 08-Dec-76 00:00:00 GMT", NOW), Some(2076));
        assert_eq!(year("Tuesday, 08-Dec-76 00:00:01 GMT", NOW), Some(1976));
        assert_eq!(year("Thursday, 31-Dec-76 00:00:00 GMT", NOW), Some(1976));
        assert_eq!(year("Monday, 01-Jan-77 00:00:00 GMT", NOW), Some(1977));
        assert_eq!(year("Monday, 01-Jan-00 00:00:00 GMT", NOW), Some(2000));
        // At the epoch, `69` would be 1969, before the epoch, and `20` is 2020.
        assert_eq!(year("Monday, 01-Jan-69 00:00:00 GMT", 0), None);
        assert_eq!(year("Monday, 01-Jan-20 00:00:00 GMT", 0), Some(2020));
        assert_eq!(year("Monday, 01-Jan-21 00:00:00 GMT", 0), None);
        // Far ahead, the century moves with the clock.
        let year_2090 = 3_786_912_000;
        assert_eq!(
            year("Monday, 01-Jan-10 00:00:00 GMT", year_2090),
            Some(2110)
        );
        assert_eq!(
            year("Monday, 01-Jan-40 00:00:00 GMT", year_2090),
            Some(2140)
        );
        assert_eq!(
            year("Monday, 01-Jan-41 00:00:00 GMT", year_2090),
            Some(2041)
        );
        // A clock too far ahead for the seconds to fit gives no date, and no overflow.
        assert_eq!(
            parse_http_date("Monday, 01-Jan-40 00:00:00 GMT", u64::MAX),
            None
        );
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", u64::MAX),
            Some(784_111_777)
        );
    }

    #[test]
    fn other_date_texts_are_refused() {
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            // Days the month lacks, which calendar arithmetic would carry into the next month.
            "Sat, 31 Feb 2024 00:00:00 GMT",
            "Thu, 29 Feb 2023 00:00:00 GMT",
            "Thu, 31 Apr 2024 00:00:00 GMT",
            "Thu, 00 Apr 2024 00:00:00 GMT",
            "Sunday, 31-Apr-94 08:49:37 GMT",
            "Sun Apr 31 08:49:37 1994",
            "Sun Apr  0 08:49:37 1994",
            // Signs, widths, spacing and names other than the forms'.
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
            "Sun, 06 Nov 1994 08:49:37  GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 6-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37",
            "sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun, Nov  6 08:49:37 1994",
            "Sunday Nov  6 08:49:37 1994",
            "Sun Nov   6 08:49:37 1994",
            "Sun Nov  x 08:49:37 1994",
            // Out of range.
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1969",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 23:60:00 GMT",
            "Sun, 06 Nov 1994 23:59:61 GMT",
        ] {
            assert_eq!(parse_http_date(bad, NOW), None, "{bad:?}");
        }
    }
}
