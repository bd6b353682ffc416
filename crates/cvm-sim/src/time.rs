//! Calendar arithmetic for the service's UTC time strings, without a date library.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DDThh:mm:ssZ` for Unix seconds.
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Unix seconds of `YYYY-MM-DD hh:mm:ss`, `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss+00:00`.
pub fn parse_utc(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let body = match b.len() {
        19 => b,
        20 if b[19] == b'Z' => &b[..19],
        25 if &b[19..] == b"+00:00" => &b[..19],
        _ => return None,
    };
    if body[4] != b'-'
        || body[7] != b'-'
        || !matches!(body[10], b' ' | b'T')
        || body[13] != b':'
        || body[16] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = std::str::from_utf8(&body[r]).ok()?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&mo) || !(1..=month_days).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_465_185_768), "2016-06-06T04:02:48Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        for secs in [0, 1_465_185_768, 951_782_400, 4_102_444_799, 1_706_406_788] {
            assert_eq!(parse_utc(&format_utc(secs)), Some(secs));
        }
        assert_eq!(parse_utc("2016-06-06 04:02:48"), Some(1_465_185_768));
        assert_eq!(parse_utc("2016-06-06T04:02:48+00:00"), Some(1_465_185_768));
        assert_eq!(parse_utc("2016-13-06 04:02:48"), None);
        assert_eq!(parse_utc("2023-02-29 00:00:00"), None);
        assert!(parse_utc("2024-02-29 00:00:00").is_some());
        assert_eq!(parse_utc("2023-04-31 00:00:00"), None);
        assert_eq!(parse_utc("2016-06-06"), None);
        assert_eq!(parse_utc("2016-06-06X04:02:48"), None);
    }
}
