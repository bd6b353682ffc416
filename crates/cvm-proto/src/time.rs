//! The service's timestamps: `YYYY-MM-DDThh:mm:ssZ` and `YYYY-MM-DDThh:mm:ss+00:00` both occur.

/// Unix seconds of an RFC 3339 date-time as the service writes it (`Z` or a `±hh:mm` offset,
/// optional fractional seconds, which are dropped); `None` for anything else.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let rb = rest.as_bytes();
            if rb.len() != 6 || rb[3] != b':' {
                return None;
            }
            let (h, m) = (two_digits(&rb[1..3])?, two_digits(&rb[4..6])?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
    };
    let max_day = days_in_month(year, month)?;
    if !(1..=max_day).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// The value of two ASCII digits; `None` for anything else (a sign included).
pub(crate) fn two_digits(pair: &[u8]) -> Option<i64> {
    match pair {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(i64::from(a - b'0') * 10 + i64::from(b - b'0')),
        _ => None,
    }
}

/// The number of days in `month` (1 to 12) of the proleptic Gregorian `year`; `None` for
/// another month.
pub fn days_in_month(year: i64, month: i64) -> Option<i64> {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if leap => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` for Unix seconds, the form the service writes.
pub fn format_rfc3339(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl crate::models::Instance {
    /// `CreatedTime` as Unix seconds, whichever of the service's formats it came in.
    pub fn created_at(&self) -> Option<i64> {
        self.created_time.as_deref().and_then(parse_rfc3339)
    }
}

impl crate::models::Image {
    /// `CreatedTime` as Unix seconds, whichever of the service's formats it came in.
    pub fn created_at(&self) -> Option<i64> {
        self.created_time.as_deref().and_then(parse_rfc3339)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_service_formats() {
        assert_eq!(parse_rfc3339("2020-09-22T00:00:00Z"), Some(1600732800));
        assert_eq!(parse_rfc3339("2020-09-22T00:00:00+00:00"), Some(1600732800));
        assert_eq!(parse_rfc3339("2020-09-22T08:00:00+08:00"), Some(1600732800));
        assert_eq!(parse_rfc3339("2020-09-21T23:30:00-00:30"), Some(1600732800));
        assert_eq!(parse_rfc3339("2020-09-22T00:00:00.123Z"), Some(1600732800));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Some(1709164800));
    }

    #[test]
    fn formats_what_it_parses() {
        for secs in [0, 951_782_400, 1_465_185_768, 1_706_406_788, 4_102_444_799] {
            assert_eq!(parse_rfc3339(&format_rfc3339(secs)), Some(secs));
        }
        assert_eq!(format_rfc3339(1_465_185_768), "2016-06-06T04:02:48Z");
    }

    #[test]
    fn rejects_other_text() {
        for bad in [
            "",
            "2020-09-22",
            "2020-09-22T00:00:00",
            "2020-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2020-09-22T24:00:00Z",
            "2020-09-22T00:00:00+0800",
            "2020-09-22T00:00:00.Z",
            "２020-09-22T00:00:00Z",
            "2020-09-22T00:00:00+08:00x",
            // An offset's fields are two digits each, without a sign of their own.
            "2020-09-22T00:00:00+-1:00",
            "2020-09-22T00:00:00++1:00",
            "2020-09-22T00:00:00+01:+5",
            "2020-09-22T00:00:00+ 1:00",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }
}
