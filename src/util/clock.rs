//! The time of day as a site sees it: dates and times in UTC, from the
//! system clock, without a time-zone database.

/// Seconds since 1970-01-01T00:00:00Z.
pub(crate) fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    civil_date((unix_seconds() / 86_400) as i64)
}

/// Seconds since 1970 as an RFC 3339 time in UTC: `2026-11-24T17:30:05Z`.
pub(crate) fn rfc3339(seconds: u64) -> String {
    let rest = seconds % 86_400;
    let date = civil_date((seconds / 86_400) as i64);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    format!("{date}T{h:02}:{m:02}:{s:02}Z")
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's algorithm).
pub(crate) fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_and_times() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_513), "2026-03-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(today().len(), 10);
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_540_805), "2026-11-24T17:20:05Z");
    }
}
