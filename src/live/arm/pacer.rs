//! Slows writes down before ARM's write bucket runs dry, so N writes in parallel do not turn
//! into a burst of 429s. ARM reports what is left in `x-ms-ratelimit-remaining-subscription-
//! writes`; when that runs low, writes are spaced at the refill rate (10/s per ARM's docs), and
//! a 429's `Retry-After` holds every write back, not just the one that was refused.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// ARM's write refill rate (conventions §2.1): one write per 100 ms.
const START_INTERVAL: Duration = Duration::from_millis(100);
const MIN_INTERVAL: Duration = Duration::from_millis(50);
const MAX_INTERVAL: Duration = Duration::from_secs(2);
/// Below this many writes left (after those already under way), writes are spaced.
const LOW_WATER: u64 = 5;

/// The pacer's bookkeeping; pure, driven by the times it is given.
#[derive(Debug, Clone)]
pub struct PacerState {
    interval: Duration,
    remaining: Option<u64>,
    /// Writes started since `remaining` was last reported.
    started_since_report: u64,
    next_slot: Option<Instant>,
    blocked_until: Option<Instant>,
}

impl Default for PacerState {
    fn default() -> Self {
        Self {
            interval: START_INTERVAL,
            remaining: None,
            started_since_report: 0,
            next_slot: None,
            blocked_until: None,
        }
    }
}

impl PacerState {
    /// Reserves the time at which one more write may start.
    pub fn reserve(&mut self, now: Instant) -> Instant {
        let mut start = now;
        if let Some(blocked) = self.blocked_until {
            start = start.max(blocked);
        }
        let low = self
            .remaining
            .is_some_and(|r| r.saturating_sub(self.started_since_report) <= LOW_WATER);
        if low || self.blocked_until.is_some_and(|b| b > now) {
            if let Some(slot) = self.next_slot {
                start = start.max(slot);
            }
            self.next_slot = Some(start + self.interval);
        }
        self.started_since_report += 1;
        start
    }

    /// Takes in what a write's answer said: the writes left, and a 429's `Retry-After`.
    pub fn observe(
        &mut self,
        now: Instant,
        remaining: Option<u64>,
        throttled_for: Option<Duration>,
    ) {
        if let Some(remaining) = remaining {
            self.remaining = Some(remaining);
            self.started_since_report = 0;
        }
        match throttled_for {
            Some(wait) => {
                let until = now + wait;
                self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
                self.next_slot = Some(self.next_slot.map_or(until, |s| s.max(until)));
                self.interval = self.interval.mul_f64(1.5).min(MAX_INTERVAL);
            }
            None => {
                if self.remaining.is_some_and(|r| r > 4 * LOW_WATER) {
                    self.interval = self.interval.mul_f64(0.9).max(MIN_INTERVAL);
                }
            }
        }
    }
}

/// The pacer every task of one client shares.
#[derive(Debug, Default)]
pub struct WritePacer {
    state: Mutex<PacerState>,
}

impl WritePacer {
    /// Waits until this write may start.
    pub async fn wait(&self) {
        let now = Instant::now();
        let start = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .reserve(now);
        if start > now {
            tokio::time::sleep(start - now).await;
        }
    }

    pub fn observe(&self, remaining: Option<u64>, throttled_for: Option<Duration>) {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .observe(Instant::now(), remaining, throttled_for);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_pacing_while_plenty_remains() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        assert_eq!(pacer.reserve(now), now);
        pacer.observe(now, Some(1199), None);
        for _ in 0..50 {
            assert_eq!(pacer.reserve(now), now);
        }
    }

    #[test]
    fn spaces_writes_when_low() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.observe(now, Some(3), None);
        let first = pacer.reserve(now);
        let second = pacer.reserve(now);
        let third = pacer.reserve(now);
        assert_eq!(first, now);
        assert_eq!(second - first, START_INTERVAL);
        assert_eq!(third - second, START_INTERVAL);
    }

    #[test]
    fn counts_writes_under_way() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.observe(now, Some(8), None);
        // 8 left: three start at once, then the estimate reaches the low-water mark.
        let starts: Vec<Instant> = (0..5).map(|_| pacer.reserve(now)).collect();
        assert!(starts[..3].iter().all(|s| *s == now));
        assert!(starts[4] > starts[3]);
    }

    #[test]
    fn a_429_holds_everyone_back() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.observe(now, Some(0), Some(Duration::from_secs(2)));
        let start = pacer.reserve(now);
        assert!(start >= now + Duration::from_secs(2));
        let next = pacer.reserve(now);
        assert_eq!(next - start, START_INTERVAL.mul_f64(1.5));
    }
}
