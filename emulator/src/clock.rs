//! The emulator's clock: the wall clock, or a time a test set (`--clock`, `POST
//! /_emulator/clock`) that then runs on at the wall clock's pace. Every time the emulator
//! records (creation and modification times, password creation times, Key Vault attributes)
//! comes from here; the delays of asynchronous operations and throttling stay on the real
//! monotonic clock, since a test waits for them in real time.

use std::sync::Mutex;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};

/// The offset of the emulated time from the wall clock; only ever grows.
#[derive(Debug, Default)]
pub struct Clock {
    offset: Mutex<TimeDelta>,
}

/// Why a clock could not be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backwards {
    pub now: DateTime<Utc>,
    pub requested: DateTime<Utc>,
}

impl Clock {
    /// A clock that starts at `start` (the wall clock's time when `None`).
    pub fn starting_at(start: Option<DateTime<Utc>>) -> Self {
        let clock = Self::default();
        if let Some(start) = start {
            *clock.lock() = start - Utc::now();
        }
        clock
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, TimeDelta> {
        self.offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The emulated time, at .NET's 100 ns resolution.
    pub fn now(&self) -> DateTime<Utc> {
        (Utc::now() + *self.lock()).trunc_subsecs(7)
    }

    /// Moves the clock to `to`; time only moves forward, so an earlier time is refused.
    pub fn set(&self, to: DateTime<Utc>) -> Result<DateTime<Utc>, Backwards> {
        let mut offset = self.lock();
        let wall = Utc::now();
        let now = (wall + *offset).trunc_subsecs(7);
        if to < now {
            return Err(Backwards { now, requested: to });
        }
        *offset = to - wall;
        Ok(to.trunc_subsecs(7))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_forward_only() {
        let start = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let clock = Clock::starting_at(Some(start));
        assert!(clock.now() >= start);
        assert!(clock.now() < start + TimeDelta::minutes(1));
        let later = start + TimeDelta::days(1);
        assert_eq!(clock.set(later), Ok(later));
        assert!(clock.now() >= later);
        let refused = clock.set(start).expect_err("backwards");
        assert_eq!(refused.requested, start);
        assert!(refused.now >= later);
    }
}
