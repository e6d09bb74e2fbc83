//! The run loop's timers: one min-heap of (due time, event) instead of a tokio task per
//! deadline or backoff, so arming a timer is a heap push and finished attempts cost nothing
//! but a stale entry that the core ignores when it comes due.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Duration;

use qflow_core::Event;
use tokio::time::Instant;

struct Entry {
    due: Instant,
    seq: u64,
    event: Event,
}

impl Ord for Entry {
    /// Reversed: the earliest due (then the earliest armed) is the heap's maximum.
    fn cmp(&self, other: &Self) -> Ordering {
        other.due.cmp(&self.due).then(other.seq.cmp(&self.seq))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}

/// Pending timer events, earliest first.
#[derive(Default)]
pub struct Timers {
    heap: BinaryHeap<Entry>,
    seq: u64,
}

/// Far enough to mean "never" without overflowing `Instant` arithmetic.
const NEVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

impl Timers {
    /// Fire `event` after `secs` seconds (huge or infinite delays never fire).
    pub fn arm(&mut self, secs: f64, event: Event) {
        let delay = Duration::try_from_secs_f64(secs)
            .unwrap_or(NEVER)
            .min(NEVER);
        let due = Instant::now() + delay;
        self.seq += 1;
        self.heap.push(Entry {
            due,
            seq: self.seq,
            event,
        });
    }

    /// When the earliest timer is due, if any.
    pub fn next_due(&self) -> Option<Instant> {
        self.heap.peek().map(|e| e.due)
    }

    /// Remove and return every event due by `now`, in due order.
    pub fn pop_due(&mut self, now: Instant) -> Vec<Event> {
        let mut out = Vec::new();
        while self.heap.peek().is_some_and(|e| e.due <= now) {
            out.extend(self.heap.pop().map(|e| e.event));
        }
        out
    }
}
