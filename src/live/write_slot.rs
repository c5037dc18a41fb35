//! A write's share of `--parallelism`: held while one of its requests is under way, handed
//! back while the write only waits for a long-running operation's next poll. ARM asks for
//! `Retry-After: 10` on every token delete; 100 deletes then wait those ten seconds side by
//! side instead of ten at a time.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// One write's claim on the shared slots (none, for a write made outside an apply).
pub(crate) struct WriteSlot {
    slots: Option<Arc<Semaphore>>,
    permit: Option<OwnedSemaphorePermit>,
}

impl WriteSlot {
    /// A slot already taken from `slots`.
    pub(crate) fn held(slots: Arc<Semaphore>, permit: OwnedSemaphorePermit) -> Self {
        Self {
            slots: Some(slots),
            permit: Some(permit),
        }
    }

    /// A write bound by nothing: waiting is just sleeping.
    #[cfg(test)]
    pub fn unbounded() -> Self {
        Self {
            slots: None,
            permit: None,
        }
    }

    /// Waits `delay` without holding a slot, then takes one again before the next request.
    pub(crate) async fn idle(&mut self, delay: Duration) {
        self.permit = None;
        tokio::time::sleep(delay).await;
        if let Some(slots) = &self.slots {
            // `acquire_owned` fails only on a closed semaphore, which the executor never closes.
            self.permit = Arc::clone(slots).acquire_owned().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn idling_gives_the_slot_back() {
        let slots = Arc::new(Semaphore::new(1));
        let permit = Arc::clone(&slots).try_acquire_owned().expect("free");
        let mut slot = WriteSlot::held(Arc::clone(&slots), permit);
        assert_eq!(slots.available_permits(), 0);
        let other = Arc::clone(&slots);
        let waiting = tokio::spawn(async move {
            // Another write takes the slot while the first one idles, and hands it back.
            let permit = other.acquire_owned().await.expect("open");
            drop(permit);
        });
        slot.idle(Duration::from_millis(5)).await;
        waiting.await.expect("the other write ran");
        assert_eq!(slots.available_permits(), 0, "the slot is held again");
    }
}
