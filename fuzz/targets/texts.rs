//! The short texts a client reads from servers and users (any text; invalid UTF-8 replaced): an
//! RFC 3339 time (`time::parse_rfc3339`), an HTTP `Date` in any of its three forms
//! (`retry::parse_http_date`, read at four clocks) and an endpoint URL (`Endpoint::parse`).
//! Parsing never panics; each time parser accepts exactly what a strict reference grammar
//! written here accepts, with a date the month has, and gives the instant of the fields it
//! read; an endpoint that parses writes back, with `url()`, to text that
//! parses to the same endpoint, and one with user information where a browser would read it
//! (mistyped slashes included) is refused with an error that shows none of it.

use cvm_proto::retry::parse_http_date;
use cvm_proto::time::{format_rfc3339, parse_rfc3339};
use cvm_proto::{Endpoint, EndpointError};

/// The first second of year 0000 and the last of 9999, the instants the UTC form can write.
const YEAR_0000: i64 = -62_167_219_200;
const YEAR_9999_END: i64 = 253_402_300_799;

/// What marks a secret placed before an `@` in a URL, so that an error showing it is noticed.
const MARKER: &str = "SeCrEt";

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    // The whole input, and its first line, as a header value or a field usually is.
    let first_line = text.lines().next().unwrap_or("");
    for t in [text, first_line] {
        check_rfc3339(t);
        check_http_date(t);
        check_endpoint(t);
    }
}

/// The value of `digits` when every byte is an ASCII digit.
fn digits(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether `year-month-day` is a date of the Gregorian calendar, from a table of its own.
fn is_date(year: i64, month: i64, day: i64) -> bool {
    const DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let Some(max) = usize::try_from(month - 1).ok().and_then(|m| DAYS.get(m)) else {
        return false;
    };
    let max = if month == 2 && leap { 29 } else { *max };
    (1..=max).contains(&day)
}

/// The date-time fields a strict reading of `text` finds, the UTC offset in seconds last:
/// `YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm)` with every field in range.
fn reference_rfc3339(text: &str) -> Option<([i64; 6], i64)> {
    let field = |range: std::ops::Range<usize>| text.get(range).and_then(digits);
    let at = |i: usize| text.as_bytes().get(i).copied();
    if at(4) != Some(b'-') || at(7) != Some(b'-') || at(13) != Some(b':') || at(16) != Some(b':') {
        return None;
    }
    if !matches!(at(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let fields = [
        field(0..4)?,
        field(5..7)?,
        field(8..10)?,
        field(11..13)?,
        field(14..16)?,
        field(17..19)?,
    ];
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = fraction.get(n..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4)? != ":" {
                return None;
            }
            let (h, m) = (
                rest.get(1..3).and_then(digits)?,
                rest.get(4..6).and_then(digits)?,
            );
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    let [y, mo, d, h, mi, s] = fields;
    (is_date(y, mo, d) && h <= 23 && mi <= 59 && s <= 60).then_some((fields, offset))
}

/// The fields as the UTC form writes them.
fn utc_text([y, mo, d, h, mi, s]: [i64; 6]) -> String {
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

fn check_rfc3339(text: &str) {
    let parsed = parse_rfc3339(text);
    let reference = reference_rfc3339(text);
    assert_eq!(
        parsed.is_some(),
        reference.is_some(),
        "parse_rfc3339({text:?}) = {parsed:?}, the reference reads {reference:?}"
    );
    if let (Some(secs), Some((fields, offset))) = (parsed, reference) {
        // A leap second is read as the next minute's first second, which has other fields.
        if fields[5] < 60 {
            assert_eq!(format_rfc3339(secs + offset), utc_text(fields), "{text:?}");
        }
        // The UTC form has four-digit years: an offset can carry an instant out of them.
        if (YEAR_0000..=YEAR_9999_END).contains(&secs) {
            assert_eq!(parse_rfc3339(&format_rfc3339(secs)), Some(secs), "{text:?}");
        }
    }
}

/// The clocks a date is read at: the epoch, 2026-12-08 at midnight and at 11:59:59, and
/// 2100-01-01, which place a two-digit year in different centuries.
const NOWS: [u64; 4] = [0, 1_796_688_000, 1_796_731_199, 4_102_444_800];

/// The fields a strict reading of `text` at Unix time `now` finds, in any of the three forms of
/// RFC 9110, 5.6.7: IMF-fixdate, RFC 850 (a two-digit year, whose date is placed at most 50
/// years after `now`) and asctime.
fn reference_http_date(text: &str, now: u64) -> Option<[i64; 6]> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const LONG_DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month_of = |m: &str| MONTHS.iter().position(|n| *n == m).map(|i| i as i64 + 1);
    let two = |f: &str| if f.len() == 2 { digits(f) } else { None };
    // Spaces and tabs around a header's value are not part of it (RFC 9110, 5.5).
    let parts: Vec<&str> = text.trim_matches([' ', '\t']).split(' ').collect();
    let (year, month, day, time) = match parts.as_slice() {
        [weekday, day, month, year, time, "GMT"]
            if weekday.strip_suffix(',').is_some_and(|w| DAYS.contains(&w)) =>
        {
            if year.len() != 4 {
                return None;
            }
            (digits(year)?, month_of(month)?, two(day)?, *time)
        }
        [weekday, date, time, "GMT"]
            if weekday
                .strip_suffix(',')
                .is_some_and(|w| LONG_DAYS.contains(&w)) =>
        {
            let fields: Vec<&str> = date.split('-').collect();
            let [day, month, yy] = fields.as_slice() else {
                return None;
            };
            // The year is a placeholder until the century is settled below.
            (-1 - two(yy)?, month_of(month)?, two(day)?, *time)
        }
        [weekday, month, day, time, year] if DAYS.contains(weekday) => {
            if year.len() != 4 {
                return None;
            }
            (digits(year)?, month_of(month)?, two(day)?, *time)
        }
        [weekday, month, "", day, time, year] if DAYS.contains(weekday) => {
            if year.len() != 4 || day.len() != 1 {
                return None;
            }
            (digits(year)?, month_of(month)?, digits(day)?, *time)
        }
        _ => return None,
    };
    let hms: Vec<&str> = time.split(':').collect();
    let [h, mi, s] = hms.as_slice() else {
        return None;
    };
    let mut fields = [year, month, day, two(h)?, two(mi)?, two(s)?];
    if year < 0 {
        // `now` 50 years on, as fields; of the years ending in the two digits, the latest whose
        // date is not after it.
        let now_text = format_rfc3339(i64::try_from(now).ok()?);
        let at = |range: std::ops::Range<usize>| now_text.get(range).and_then(digits);
        let limit = [
            at(0..4)? + 50,
            at(5..7)?,
            at(8..10)?,
            at(11..13)?,
            at(14..16)?,
            at(17..19)?,
        ];
        let yy = -1 - year;
        fields[0] = (0..=100)
            .map(|century| century * 100 + yy)
            .filter(|y| [*y, fields[1], fields[2], fields[3], fields[4], fields[5]] <= limit)
            .max()?;
    }
    let [y, mo, d, h, mi, s] = fields;
    (y >= 1970 && is_date(y, mo, d) && h <= 23 && mi <= 59 && s <= 60).then_some(fields)
}

fn check_http_date(text: &str) {
    for now in NOWS {
        let parsed = parse_http_date(text, now);
        let reference = reference_http_date(text, now);
        assert_eq!(
            parsed.is_some(),
            reference.is_some(),
            "parse_http_date({text:?}, {now}) = {parsed:?}, the reference reads {reference:?}"
        );
        if let (Some(secs), Some(fields)) = (parsed, reference) {
            if fields[5] < 60 {
                let secs = i64::try_from(secs).unwrap_or(i64::MAX);
                assert_eq!(format_rfc3339(secs), utc_text(fields), "{text:?} at {now}");
            }
        }
    }
}

fn check_endpoint(text: &str) {
    match Endpoint::parse(text) {
        Ok(endpoint) => {
            let url = endpoint.url();
            let again = Endpoint::parse(&url)
                .unwrap_or_else(|e| panic!("{text:?} parsed, but its url {url:?} does not: {e}"));
            assert_eq!(
                (again.scheme(), again.host(), again.port(), again.path()),
                (
                    endpoint.scheme(),
                    endpoint.host(),
                    endpoint.port(),
                    endpoint.path()
                ),
                "{text:?} and its url {url:?} parse to different endpoints"
            );
            assert_eq!(again.url(), url);
            assert_eq!(endpoint.host(), endpoint.host().to_ascii_lowercase());
            assert!(url.starts_with(endpoint.scheme().as_str()), "{url:?}");
        }
        Err(e) => {
            // A secret before an `@` where a browser would read user information: no error may
            // show it. The host part is read as leniently as browsers read it: from the first `:`
            // after a scheme's letters, past any slashes or backslashes, to the next of `/ \ ? #`.
            let after_scheme = match text.find(':') {
                Some(at)
                    if text[..at].starts_with(|c: char| c.is_ascii_alphabetic())
                        && text[..at]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
                {
                    &text[at + 1..]
                }
                _ => text,
            };
            let host_part: String = after_scheme
                .chars()
                .skip_while(|c| matches!(c, '/' | '\\'))
                .take_while(|c| !matches!(c, '/' | '\\' | '?' | '#'))
                .collect();
            if let Some((user_info, _)) = host_part.rsplit_once('@') {
                let shown = format!("{e} {e:?}");
                if user_info.contains(MARKER) {
                    assert!(
                        !shown.contains(MARKER),
                        "{text:?}: the error shows the user information: {shown}"
                    );
                }
                assert!(matches!(e, EndpointError::UserInfo), "{text:?}: {e:?}");
            }
        }
    }
}
