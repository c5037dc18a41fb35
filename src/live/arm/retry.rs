//! Which failed requests are tried again, and after how long: a small type of its own so the
//! decision is a pure function (kube-rs style), tested without a clock or a network.

use std::time::Duration;

/// How many server errors a `Location` poll takes at most before its error counts as the
/// answer.
const POLL_SERVER_ERRORS: u32 = 3;

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// ARM answered with this status and, perhaps, a `Retry-After`.
    Answered {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer: connection refused or reset, or a timeout.
    ConnectionFailed,
}

/// The attempts made so far, and how many of them ARM answered with a server error (5xx).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub attempts: u32,
    pub server_errors: u32,
}

impl Tally {
    /// Counts one more attempt that came to `outcome`.
    pub(crate) fn record(&mut self, outcome: Attempt) {
        self.attempts += 1;
        if matches!(outcome, Attempt::Answered { status, .. } if status >= 500) {
            self.server_errors += 1;
        }
    }
}

/// The decision after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    RetryAfter(Duration),
    /// Not retryable at all.
    Fail,
    /// Retryable, but the attempts or the time allowed are spent.
    GiveUp,
}

/// Exponential backoff with jitter on 429, 5xx and connection failures, honouring
/// `Retry-After`, within a cap on attempts and on total time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    pub max_attempts: u32,
    /// At most this many attempts answered with a server error; no more than `max_attempts`
    /// means no limit of its own.
    pub max_server_errors: u32,
    pub max_elapsed: Duration,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 10,
            max_server_errors: 10,
            max_elapsed: Duration::from_secs(120),
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// The policy for polls of a `Location` operation: at most three server errors. Once such
    /// an operation has failed, every poll answers with its error (a 500 for an internal
    /// error), which the full policy would retry for a minute; a transient error seldom repeats
    /// three times in a row. A poll that got no answer, or a 429, says nothing about the
    /// operation, which may well be succeeding: those keep the full policy, or a network blip
    /// of half a second would abandon a password ARM goes on to generate.
    #[must_use]
    pub(crate) fn for_polls(self) -> Self {
        Self {
            max_server_errors: self.max_server_errors.min(POLL_SERVER_ERRORS),
            ..self
        }
    }

    /// Whether an attempt's outcome is worth trying again at all.
    pub(crate) fn is_retryable(attempt: Attempt) -> bool {
        match attempt {
            Attempt::ConnectionFailed => true,
            // 501 and 505 say the request itself is wrong; retrying cannot help.
            Attempt::Answered { status, .. } => {
                status == 429
                    || status == 408
                    || ((500..600).contains(&status) && status != 501 && status != 505)
            }
        }
    }

    /// Decides what follows a failed attempt that came to `outcome`, with `tally` counting it,
    /// `elapsed` after the first began. `jitter` in `[0, 1)` spreads clients apart; the caller
    /// draws it.
    pub(crate) fn decide(
        &self,
        tally: Tally,
        elapsed: Duration,
        outcome: Attempt,
        jitter: f64,
    ) -> Decision {
        if !Self::is_retryable(outcome) {
            return Decision::Fail;
        }
        if tally.attempts >= self.max_attempts || tally.server_errors >= self.max_server_errors {
            return Decision::GiveUp;
        }
        let attempts = tally.attempts;
        let jitter = jitter.clamp(0.0, 1.0);
        // ARM's own word: waiting less only earns another 429. A little extra spreads the
        // clients that were told the same time.
        let delay = if let Attempt::Answered {
            retry_after: Some(after),
            ..
        } = outcome
        {
            after + Duration::from_millis(10).mul_f64(1.0 + 4.0 * jitter)
        } else {
            let exponent = attempts.saturating_sub(1).min(16);
            let backoff = self
                .base_delay
                .saturating_mul(1 << exponent)
                .min(self.max_delay);
            // "Equal jitter": at least half the backoff, at most all of it.
            backoff.mul_f64(0.5 + 0.5 * jitter)
        };
        if elapsed + delay > self.max_elapsed {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tally after `attempts` attempts all answered with a server error.
    fn errors(attempts: u32) -> Tally {
        Tally {
            attempts,
            server_errors: attempts,
        }
    }

    fn answered(status: u16, retry_after: Option<u64>) -> Attempt {
        Attempt::Answered {
            status,
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    #[test]
    fn what_is_retried() {
        let policy = RetryPolicy::default();
        let zero = Duration::ZERO;
        for status in [429, 500, 502, 503, 504, 408] {
            assert!(
                matches!(
                    policy.decide(errors(1), zero, answered(status, None), 0.0),
                    Decision::RetryAfter(_)
                ),
                "{status}"
            );
        }
        assert!(matches!(
            policy.decide(errors(1), zero, Attempt::ConnectionFailed, 0.0),
            Decision::RetryAfter(_)
        ));
        for status in [400, 401, 403, 404, 409, 501] {
            assert_eq!(
                policy.decide(errors(1), zero, answered(status, None), 0.0),
                Decision::Fail,
                "{status}"
            );
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_caps() {
        let policy = RetryPolicy::default();
        let delay = |attempts, jitter| match policy.decide(
            errors(attempts),
            Duration::ZERO,
            answered(500, None),
            jitter,
        ) {
            Decision::RetryAfter(d) => d,
            other => panic!("{other:?}"),
        };
        assert_eq!(delay(1, 0.0), Duration::from_millis(100));
        assert_eq!(delay(1, 1.0), Duration::from_millis(200));
        assert_eq!(delay(2, 1.0), Duration::from_millis(400));
        assert_eq!(delay(3, 1.0), Duration::from_millis(800));
        assert_eq!(delay(9, 1.0), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_is_honoured() {
        let policy = RetryPolicy::default();
        let Decision::RetryAfter(d) =
            policy.decide(errors(1), Duration::ZERO, answered(429, Some(5)), 0.0)
        else {
            panic!()
        };
        assert!(d >= Duration::from_secs(5) && d < Duration::from_millis(5100));
        let Decision::RetryAfter(d) =
            policy.decide(errors(1), Duration::ZERO, answered(429, Some(0)), 0.5)
        else {
            panic!()
        };
        assert!(d < Duration::from_millis(100));
    }

    #[test]
    fn polls_give_up_after_three_server_errors() {
        let policy = RetryPolicy::default().for_polls();
        assert!(matches!(
            policy.decide(errors(2), Duration::ZERO, answered(500, None), 0.0),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            policy.decide(errors(3), Duration::ZERO, answered(500, None), 0.0),
            Decision::GiveUp
        );
        assert_eq!(policy.max_elapsed, RetryPolicy::default().max_elapsed);
    }

    #[test]
    fn polls_that_get_no_answer_keep_the_full_policy() {
        // A poll says nothing about its operation when the connection fails or ARM throttles:
        // the operation may be generating a password this very moment.
        let policy = RetryPolicy::default().for_polls();
        let mut tally = Tally::default();
        for _ in 0..5 {
            tally.record(Attempt::ConnectionFailed);
        }
        tally.record(answered(429, Some(1)));
        assert_eq!(
            tally,
            Tally {
                attempts: 6,
                server_errors: 0
            }
        );
        for outcome in [Attempt::ConnectionFailed, answered(429, Some(1))] {
            assert!(matches!(
                policy.decide(tally, Duration::ZERO, outcome, 0.0),
                Decision::RetryAfter(_)
            ));
        }
        // Its first server error after them is not its third.
        tally.record(answered(500, None));
        assert!(matches!(
            policy.decide(tally, Duration::ZERO, answered(500, None), 0.0),
            Decision::RetryAfter(_)
        ));
        let spent = Tally {
            attempts: 10,
            server_errors: 0,
        };
        assert_eq!(
            policy.decide(spent, Duration::ZERO, Attempt::ConnectionFailed, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn gives_up_on_attempts_and_time() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(errors(10), Duration::ZERO, answered(503, None), 0.0),
            Decision::GiveUp
        );
        let throttled = Tally {
            attempts: 2,
            server_errors: 0,
        };
        assert_eq!(
            policy.decide(
                throttled,
                Duration::from_secs(119),
                answered(429, Some(5)),
                0.0
            ),
            Decision::GiveUp
        );
    }
}
