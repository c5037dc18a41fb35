//! Slows writes down before ARM's write bucket runs dry, so N writes in parallel do not turn
//! into a burst of 429s (each of which costs at least a second of `Retry-After`).
//!
//! ARM reports what is left in `x-ms-ratelimit-remaining-subscription-writes`. The pacer keeps
//! a mirror of that bucket: the tokens last reported, plus what has refilled since at the
//! estimated rate, minus the writes under way. While the mirror holds more than a few tokens
//! writes go at once; below that they are spaced at the refill rate. The rate starts at ARM's
//! documented 10/s, is measured from the reports while the bucket is low, and is cut when a
//! 429 shows it was too high. A 429's `Retry-After` holds every write back, not only the one
//! that was refused; one longer than the client ever waits halts the pacer instead (`halt`),
//! so the writes still to come are reported not sent at once rather than held for an hour.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// ARM's documented write refill rate (conventions §2.1).
const START_RATE: f64 = 10.0;
const MIN_RATE: f64 = 0.2;
/// The rate is measured only while the bucket stays below this: a full bucket hides it.
const MEASURE_BELOW: f64 = 8.0;
/// The least time over which the refill rate is measured.
const MEASURE_OVER: Duration = Duration::from_millis(500);
/// How soon a write held back looks again, at most.
const RECHECK: Duration = Duration::from_millis(5);
const RECHECK_MAX: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy)]
struct Report {
    at: Instant,
    remaining: f64,
}

/// The pacer's bookkeeping; pure, driven by the times it is given.
#[derive(Debug, Clone)]
pub(super) struct PacerState {
    rate: f64,
    last: Option<Report>,
    /// Writes started and not yet answered.
    in_flight: u64,
    /// Start of the current rate measurement, and writes answered since.
    window: Option<(Report, u64)>,
    blocked_until: Option<Instant>,
}

impl Default for PacerState {
    fn default() -> Self {
        Self {
            rate: START_RATE,
            last: None,
            in_flight: 0,
            window: None,
            blocked_until: None,
        }
    }
}

impl PacerState {
    /// The refill rate the pacer currently assumes, in writes per second.
    #[cfg(test)]
    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Tokens the mirror expects ARM's bucket to hold at `now`.
    fn tokens(&self, now: Instant) -> Option<f64> {
        let last = self.last?;
        let refilled = now.saturating_duration_since(last.at).as_secs_f64() * self.rate;
        #[allow(clippy::cast_precision_loss)]
        Some(last.remaining + refilled - self.in_flight as f64)
    }

    /// Lets one more write start now (`Ok`), or says how long to wait before asking again.
    /// Nothing is booked ahead: every answer corrects the mirror, so a waiting write decides
    /// on the latest word from ARM.
    pub(super) fn try_start(&mut self, now: Instant) -> Result<(), Duration> {
        if let Some(blocked) = self.blocked_until.filter(|b| *b > now) {
            return Err(blocked - now);
        }
        // Until ARM has said how full its bucket is, writes go one at a time.
        if self.last.is_none() && self.in_flight > 0 {
            return Err(RECHECK);
        }
        // With writes under way, their answers may come back out of order; keep half a
        // token in hand.
        let needed = if self.in_flight > 0 { 1.5 } else { 1.0 };
        if let Some(tokens) = self.tokens(now)
            && tokens < needed
        {
            let refill = Duration::from_secs_f64((needed - tokens) / self.rate);
            return Err(refill.clamp(Duration::from_millis(1), RECHECK_MAX));
        }
        self.in_flight += 1;
        Ok(())
    }

    /// Takes in a write's answer: the writes left (if reported) and, for a 429, how long ARM
    /// asked to wait. Called once per `reserve`, whatever the outcome.
    pub(super) fn observe(
        &mut self,
        now: Instant,
        remaining: Option<u64>,
        throttled_for: Option<Duration>,
    ) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if let Some(wait) = throttled_for {
            let until = now + wait;
            // One cut per throttling episode, not one per refused write.
            if self.blocked_until.is_none_or(|b| b <= now) {
                self.rate = (self.rate * 0.7).max(MIN_RATE);
            }
            self.blocked_until = Some(self.blocked_until.map_or(until, |b| b.max(until)));
            // After the wait the bucket holds what refilled; the mirror starts from empty.
            self.last = Some(Report {
                at: until,
                remaining: 0.0,
            });
            self.window = None;
            return;
        }
        let Some(remaining) = remaining else {
            return;
        };
        #[allow(clippy::cast_precision_loss)]
        let report = Report {
            at: now,
            remaining: remaining as f64,
        };
        self.last = Some(report);
        match &mut self.window {
            None => self.window = Some((report, 0)),
            Some((start, answered)) => {
                *answered += 1;
                let elapsed = now.saturating_duration_since(start.at);
                if elapsed >= MEASURE_OVER {
                    // Only a bucket that never filled up shows its refill rate.
                    if start.remaining < MEASURE_BELOW && report.remaining < MEASURE_BELOW {
                        #[allow(clippy::cast_precision_loss)]
                        let refilled = report.remaining - start.remaining + *answered as f64;
                        let measured = refilled / elapsed.as_secs_f64();
                        if measured > 0.0 {
                            self.rate = (0.5 * self.rate + 0.5 * measured).max(MIN_RATE);
                        }
                    }
                    self.window = Some((report, 0));
                }
            }
        }
    }
}

/// The pacer every task of one client shares.
#[derive(Debug, Default)]
pub(crate) struct WritePacer {
    state: Mutex<PacerState>,
    /// Set once ARM asked for a longer wait than the client makes (see `halt`).
    halted: Mutex<Option<Duration>>,
    /// Wakes the writes waiting their turn when the pacer halts.
    halting: Notify,
}

impl WritePacer {
    fn lock(&self) -> std::sync::MutexGuard<'_, PacerState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn halted(&self) -> Option<Duration> {
        *self
            .halted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until this write may start; `observe` must follow once it is answered. After
    /// `halt`, returns at once with the wait ARM asked for: the write is not to be sent.
    pub(crate) async fn wait(&self) -> Result<(), Duration> {
        loop {
            // Made before the check, so a halt between the two still wakes this write.
            let halting = self.halting.notified();
            if let Some(asked) = self.halted() {
                return Err(asked);
            }
            let decision = self.lock().try_start(Instant::now());
            match decision {
                Ok(()) => return Ok(()),
                Err(wait) => {
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = halting => {}
                    }
                }
            }
        }
    }

    pub(crate) fn observe(&self, remaining: Option<u64>, throttled_for: Option<Duration>) {
        self.lock()
            .observe(Instant::now(), remaining, throttled_for);
    }

    /// ARM asked (429 `Retry-After`) for a longer wait than the client makes: no write is
    /// started any more, and those waiting their turn are let go at once, to be reported not
    /// sent. Holding them back for the whole wait would stall the apply with nothing to show
    /// (a 429 with `Retry-After: 3600` held every write for an hour).
    pub(crate) fn halt(&self, asked: Duration) {
        {
            let mut halted = self
                .halted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *halted = Some(halted.map_or(asked, |h| h.max(asked)));
        }
        self.halting.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn no_pacing_while_plenty_remains() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        assert_eq!(pacer.try_start(now), Ok(()));
        // The first write goes alone, until ARM says how much is left.
        assert_eq!(pacer.try_start(now), Err(RECHECK));
        pacer.observe(now, Some(1199), None);
        for _ in 0..50 {
            assert_eq!(pacer.try_start(now), Ok(()));
        }
    }

    #[test]
    fn counts_writes_under_way_and_waits_for_the_refill() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.try_start(now).unwrap();
        pacer.observe(now, Some(3), None);
        assert_eq!(pacer.try_start(now), Ok(()));
        assert_eq!(pacer.try_start(now), Ok(()));
        // One token left with a write under way: half a token more (50 ms at 10/s) first.
        assert_eq!(pacer.try_start(now), Err(50 * MS));
        assert_eq!(pacer.try_start(now + 50 * MS), Ok(()));
        assert_eq!(pacer.try_start(now + 50 * MS), Err(RECHECK_MAX));
    }

    #[test]
    fn an_answer_corrects_the_mirror() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.try_start(now).unwrap();
        pacer.observe(now, Some(0), None);
        assert!(pacer.try_start(now).is_err());
        // ARM says 4 are left after all: three go at once, keeping half a token in hand.
        pacer.observe(now + MS, Some(4), None);
        for _ in 0..3 {
            assert_eq!(pacer.try_start(now + MS), Ok(()));
        }
        assert!(pacer.try_start(now + MS).is_err());
    }

    #[test]
    fn a_429_holds_everyone_back_and_cuts_the_rate_once() {
        let now = Instant::now();
        let mut pacer = PacerState::default();
        pacer.try_start(now).unwrap();
        pacer.observe(now, Some(2), None);
        for _ in 0..3 {
            let _ = pacer.try_start(now);
        }
        for _ in 0..3 {
            pacer.observe(now, Some(0), Some(Duration::from_secs(1)));
        }
        assert!((pacer.rate() - 7.0).abs() < 1e-9, "{}", pacer.rate());
        assert_eq!(pacer.try_start(now), Err(Duration::from_secs(1)));
        let after = now + Duration::from_secs(1);
        assert!(pacer.try_start(after).is_err(), "the bucket is empty then");
        assert_eq!(pacer.try_start(after + 150 * MS), Ok(()));
    }

    #[tokio::test]
    async fn a_halt_lets_every_waiting_write_go_unsent() {
        let pacer = std::sync::Arc::new(WritePacer::default());
        assert_eq!(pacer.wait().await, Ok(()));
        // A moderate 429 holds the next writes back for a minute...
        pacer.observe(None, Some(Duration::from_secs(60)));
        let waiting: Vec<_> = (0..3)
            .map(|_| {
                let pacer = std::sync::Arc::clone(&pacer);
                tokio::spawn(async move { pacer.wait().await })
            })
            .collect();
        tokio::task::yield_now().await;
        // ...until ARM asks for an hour: they are let go at once, unsent.
        pacer.halt(Duration::from_secs(3600));
        for write in waiting {
            let outcome = tokio::time::timeout(Duration::from_secs(5), write)
                .await
                .expect("woken by the halt")
                .unwrap();
            assert_eq!(outcome, Err(Duration::from_secs(3600)));
        }
        assert_eq!(pacer.wait().await, Err(Duration::from_secs(3600)));
    }

    #[test]
    fn measures_the_refill_rate_while_low() {
        let t0 = Instant::now();
        let mut pacer = PacerState::default();
        pacer.try_start(t0).unwrap();
        pacer.observe(t0, Some(1), None);
        // 40 writes answered over a second with the bucket staying at 1: it refills 40/s.
        for i in 1..=40u32 {
            let at = t0 + 25 * MS * i;
            let _ = pacer.try_start(at);
            pacer.observe(at, Some(1), None);
        }
        assert!(pacer.rate() > 30.0, "{}", pacer.rate());
    }
}
