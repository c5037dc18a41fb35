//! Counters reported by the `/_emulator/state` hook.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};

#[derive(Debug, Default)]
pub struct Stats {
    requests: AtomicU64,
    writes: AtomicU64,
    throttled: AtomicU64,
    failed_injected: AtomicU64,
    concurrent_writes: AtomicU64,
    max_concurrent_writes: AtomicU64,
    key_vault_requests: AtomicU64,
    key_vault_writes: AtomicU64,
    concurrent_key_vault_requests: AtomicU64,
    max_concurrent_key_vault_requests: AtomicU64,
}

/// Holds one request "in flight" until dropped, for `max_concurrent_writes` (ARM writes) and
/// `max_concurrent_key_vault_requests`.
pub struct InFlight<'s>(&'s AtomicU64);

impl<'s> InFlight<'s> {
    fn start(now: &'s AtomicU64, max: &AtomicU64) -> Self {
        let count = now.fetch_add(1, Ordering::SeqCst) + 1;
        max.fetch_max(count, Ordering::SeqCst);
        Self(now)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Stats {
    /// Counts a request; writes are also tracked while in flight.
    pub fn request(&self, is_write: bool) -> Option<InFlight<'_>> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if !is_write {
            return None;
        }
        self.writes.fetch_add(1, Ordering::SeqCst);
        Some(InFlight::start(
            &self.concurrent_writes,
            &self.max_concurrent_writes,
        ))
    }

    /// Counts a Key Vault request (apart from ARM's), tracked while in flight.
    pub fn key_vault_request(&self, is_write: bool) -> InFlight<'_> {
        self.key_vault_requests.fetch_add(1, Ordering::SeqCst);
        if is_write {
            self.key_vault_writes.fetch_add(1, Ordering::SeqCst);
        }
        InFlight::start(
            &self.concurrent_key_vault_requests,
            &self.max_concurrent_key_vault_requests,
        )
    }

    pub fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::SeqCst);
    }

    pub fn failed_injected(&self) {
        self.failed_injected.fetch_add(1, Ordering::SeqCst);
    }

    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.requests.load(Ordering::SeqCst),
            "writes": self.writes.load(Ordering::SeqCst),
            "throttled": self.throttled.load(Ordering::SeqCst),
            "failed_injected": self.failed_injected.load(Ordering::SeqCst),
            "max_concurrent_writes": self.max_concurrent_writes.load(Ordering::SeqCst),
            "key_vault_requests": self.key_vault_requests.load(Ordering::SeqCst),
            "key_vault_writes": self.key_vault_writes.load(Ordering::SeqCst),
            "max_concurrent_key_vault_requests": self
                .max_concurrent_key_vault_requests
                .load(Ordering::SeqCst),
        })
    }
}
