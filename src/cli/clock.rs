//! "Now" for the commands that judge time (plan, apply, drift, lint): the wall clock, or the
//! time `SCOPEFORM_NOW` names. That variable is a test hook, deliberately absent from `--help`:
//! end-to-end tests set it (and the emulator's clock) to simulate months of daily applies in
//! seconds. Since it decides when passwords are due, setting it makes rotations early (a time
//! in the future) or late (a time in the past), so every run it is set says so on stderr.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::{CommandError, Context};

/// The environment variable that replaces the wall clock.
pub(super) const NOW_VARIABLE: &str = "SCOPEFORM_NOW";

/// The current time: `SCOPEFORM_NOW` (RFC 3339) when set and not empty, else the wall clock.
/// A value that is not a time is a usage error (its text is not repeated: it is operator input
/// bound for a terminal).
pub(super) fn now(ctx: &Context) -> Result<DateTime<Utc>, CommandError> {
    let Some(text) = std::env::var_os(NOW_VARIABLE).filter(|v| !v.is_empty()) else {
        return Ok(Utc::now());
    };
    let now = text
        .to_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            CommandError::usage(format!(
                "{NOW_VARIABLE} is not an RFC 3339 time (such as 2030-01-01T00:00:00Z); unset it to use the system clock"
            ))
        })?;
    let styles = Context::styles();
    let warning = styles.warning;
    let _ = writeln!(
        ctx.stderr(),
        "{warning}warning{warning:#}: {NOW_VARIABLE} is set: taking {} as the current time (passwords are judged due against it)",
        crate::plan::timestamp(now)
    );
    Ok(now)
}
