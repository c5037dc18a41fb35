//! Times as ARM writes them: UTC, at most seven fractional digits (.NET ticks), trailing zeros
//! dropped, `Z` suffix: `2017-03-01T23:14:37.0707808Z`, `2027-06-30T00:00:00Z`.

use chrono::{DateTime, SubsecRound, Timelike, Utc};

/// The current time, truncated to .NET's 100 ns resolution (tests; the emulator reads its
/// `Clock`).
#[cfg(test)]
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(7)
}

/// Formats `t` the way ARM responses show times.
pub fn format(t: DateTime<Utc>) -> String {
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let ticks = t.nanosecond() % 1_000_000_000 / 100;
    if ticks == 0 {
        return format!("{base}Z");
    }
    let fraction = format!("{ticks:07}");
    format!("{base}.{}Z", fraction.trim_end_matches('0'))
}

/// Formats `t` the way real Azure shows a token password's `creationTime`: always seven
/// fractional digits and `+00:00` (`2025-03-19T20:00:18.3362328+00:00`).
pub fn format_with_offset(t: DateTime<Utc>) -> String {
    let ticks = t.nanosecond() % 1_000_000_000 / 100;
    format!("{}.{ticks:07}+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
}

/// Parses a request's date-time (RFC 3339, any offset) into UTC at .NET resolution.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_arm_times() {
        for s in [
            "2017-03-01T23:14:37.0707808Z",
            "2027-06-30T00:00:00Z",
            "2020-01-01T00:00:00.5Z",
        ] {
            assert_eq!(format(parse(s).expect("valid")), s);
        }
        let shifted = parse("2020-12-31T16:59:59+01:00").expect("valid");
        assert_eq!(format(shifted), "2020-12-31T15:59:59Z");
        assert!(parse("tomorrow").is_none());
        let recorded = "2025-03-19T20:00:18.3362328+00:00";
        assert_eq!(
            format_with_offset(parse(recorded).expect("valid")),
            recorded
        );
        let whole = parse("2027-06-30T00:00:00Z").expect("valid");
        assert_eq!(
            format_with_offset(whole),
            "2027-06-30T00:00:00.0000000+00:00"
        );
    }
}
