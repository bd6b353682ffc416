//! The service's UTC time strings, from cvm-proto's calendar arithmetic.

use cvm_proto::time::{format_rfc3339, parse_rfc3339};

/// `YYYY-MM-DDThh:mm:ssZ` for Unix seconds.
pub fn format_utc(secs: i64) -> String {
    format_rfc3339(secs)
}

/// Unix seconds of `YYYY-MM-DD hh:mm:ss` (UTC, as filter values are written), or an RFC 3339
/// time such as `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss+00:00`.
pub fn parse_utc(text: &str) -> Option<i64> {
    if text.len() == 19 {
        parse_rfc3339(&format!("{text}Z"))
    } else {
        parse_rfc3339(text)
    }
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
