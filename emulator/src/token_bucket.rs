//! ARM's throttling model: a bucket of `capacity` tokens, refilled continuously at `refill_per_s`,
//! one token per request; an empty bucket means 429 and `Retry-After`.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    refill_per_s: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(capacity: u32, refill_per_s: f64, now: Instant) -> Self {
        Self {
            capacity: f64::from(capacity),
            refill_per_s,
            tokens: f64::from(capacity),
            last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.refill_per_s).min(self.capacity);
        self.last = now;
    }

    /// Takes one token: `Ok(tokens left, rounded down)`, or `Err(how long until one is back)`.
    pub fn try_take(&mut self, now: Instant) -> Result<u64, Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(floor(self.tokens))
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - self.tokens) / self.refill_per_s,
            ))
        }
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn floor(tokens: f64) -> u64 {
    tokens.max(0.0).floor() as u64
}

/// `Retry-After` in whole seconds, at least 1 as ARM sends it.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    whole.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drains_then_refills() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(3, 2.0, start);
        assert_eq!(bucket.try_take(start), Ok(2));
        assert_eq!(bucket.try_take(start), Ok(1));
        assert_eq!(bucket.try_take(start), Ok(0));
        let wait = bucket.try_take(start).expect_err("empty");
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(bucket.try_take(start + Duration::from_millis(500)), Ok(0));
        assert_eq!(
            bucket.try_take(start + Duration::from_secs(60)),
            Ok(2),
            "capped at capacity"
        );
    }

    #[test]
    fn retry_after_is_whole_seconds_at_least_one() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(1001)), 2);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(3)), 3);
    }
}
