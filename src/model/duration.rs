//! Durations of the configuration language: `<n>h`, `<n>d` or `<n>w`.

use std::fmt;
use std::str::FromStr;

/// A whole number of hours, days or weeks, kept as written so it displays as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConfigDuration {
    count: u32,
    unit: char,
}

impl ConfigDuration {
    pub fn hours(self) -> i64 {
        let per_unit = match self.unit {
            'h' => 1,
            'd' => 24,
            _ => 24 * 7,
        };
        i64::from(self.count) * per_unit
    }

    pub fn to_chrono(self) -> chrono::TimeDelta {
        chrono::TimeDelta::hours(self.hours())
    }
}

impl FromStr for ConfigDuration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let invalid = || {
            format!(
                "`{s}` is not a duration; write a whole number followed by h, d or w (`12h`, `30d`, `2w`)"
            )
        };
        let unit = s
            .chars()
            .last()
            .filter(|u| matches!(u, 'h' | 'd' | 'w'))
            .ok_or_else(invalid)?;
        let digits = &s[..s.len() - 1];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let count: u32 = digits.parse().map_err(|_| invalid())?;
        if count == 0 {
            return Err(format!("`{s}` is zero; a duration must be positive"));
        }
        // Ten years is far beyond any password lifetime ACR accepts; it also keeps arithmetic safe.
        let duration = ConfigDuration { count, unit };
        if duration.hours() > 24 * 3653 {
            return Err(format!("`{s}` is longer than ten years"));
        }
        Ok(duration)
    }
}

impl fmt::Display for ConfigDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!("12h".parse::<ConfigDuration>().unwrap().hours(), 12);
        assert_eq!("30d".parse::<ConfigDuration>().unwrap().hours(), 720);
        assert_eq!("2w".parse::<ConfigDuration>().unwrap().hours(), 336);
        assert_eq!("30d".parse::<ConfigDuration>().unwrap().to_string(), "30d");
        for bad in [
            "",
            "d",
            "30",
            "30m",
            "-1d",
            "1.5d",
            "0d",
            "99999999w",
            " 3d",
        ] {
            assert!(bad.parse::<ConfigDuration>().is_err(), "{bad}");
        }
    }
}
