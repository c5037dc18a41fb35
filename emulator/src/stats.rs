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
}

/// Holds one write "in flight" until dropped, for `max_concurrent_writes`.
pub struct WriteInFlight<'s>(&'s Stats);

impl Drop for WriteInFlight<'_> {
    fn drop(&mut self) {
        self.0.concurrent_writes.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Stats {
    /// Counts a request; writes are also tracked while in flight.
    pub fn request(&self, is_write: bool) -> Option<WriteInFlight<'_>> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if !is_write {
            return None;
        }
        self.writes.fetch_add(1, Ordering::SeqCst);
        let now = self.concurrent_writes.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_concurrent_writes.fetch_max(now, Ordering::SeqCst);
        Some(WriteInFlight(self))
    }

    /// Counts a Key Vault request (apart from ARM's).
    pub fn key_vault_request(&self, is_write: bool) {
        self.key_vault_requests.fetch_add(1, Ordering::SeqCst);
        if is_write {
            self.key_vault_writes.fetch_add(1, Ordering::SeqCst);
        }
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
        })
    }
}
