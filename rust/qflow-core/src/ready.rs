//! The ready queue: one `BinaryHeap` per queue, best task first.
//!
//! Without batching there is one queue per resource. A batch group gets a queue of its
//! own (see [`crate::Scheduler`]), so the members of one batch come off one heap.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A ready task with its sort keys.
#[derive(Debug, Clone, Copy)]
struct Entry {
    priority: f64,
    cost: f64,
    task: u32,
}

impl Ord for Entry {
    /// Higher priority first, then higher cost, then the lower task index.
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            .then(self.cost.total_cmp(&other.cost))
            .then(other.task.cmp(&self.task))
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

/// Ready tasks grouped into queues (a resource, or a batch group), each a max-heap on
/// (priority, cost, lower index).
#[derive(Debug, Clone, Default)]
pub struct ReadyQueue {
    heaps: Vec<BinaryHeap<Entry>>,
    len: usize,
}

impl ReadyQueue {
    /// An empty queue over `n_queues` queues (one per resource without batching).
    #[must_use]
    pub fn new(n_queues: usize) -> Self {
        Self {
            heaps: vec![BinaryHeap::new(); n_queues.max(1)],
            len: 0,
        }
    }

    /// Queue `task` on `queue`.
    pub fn push(&mut self, task: u32, queue: u32, priority: f64, cost: f64) {
        self.heaps[queue as usize].push(Entry {
            priority,
            cost,
            task,
        });
        self.len += 1;
    }

    /// Remove and return the best task of the queues that may start now, with its queue.
    /// `may_start(queue, len)` is asked about non-empty queues only.
    pub fn pop(&mut self, mut may_start: impl FnMut(u32, usize) -> bool) -> Option<(u32, u32)> {
        let mut best: Option<(usize, Entry)> = None;
        for (r, heap) in self.heaps.iter().enumerate() {
            if let Some(&head) = heap.peek() {
                if best.is_none_or(|(_, b)| head > b) && may_start(r as u32, heap.len()) {
                    best = Some((r, head));
                }
            }
        }
        let (r, entry) = best?;
        self.heaps[r].pop();
        self.len -= 1;
        Some((entry.task, r as u32))
    }

    /// Remove and return the best task of `queue`, if any.
    pub fn pop_from(&mut self, queue: u32) -> Option<u32> {
        let entry = self.heaps.get_mut(queue as usize)?.pop()?;
        self.len -= 1;
        Some(entry.task)
    }

    /// Number of tasks on `queue`.
    #[must_use]
    pub fn len_of(&self, queue: u32) -> usize {
        self.heaps.get(queue as usize).map_or(0, BinaryHeap::len)
    }

    /// Remove every queued task, returning them (any order).
    pub fn drain(&mut self) -> Vec<u32> {
        self.len = 0;
        self.heaps
            .iter_mut()
            .flat_map(|h| h.drain().map(|e| e.task))
            .collect()
    }

    /// Number of queued tasks.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is queued.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::ReadyQueue;

    #[test]
    fn priority_then_cost_then_index() {
        let mut q = ReadyQueue::new(1);
        q.push(3, 0, 1.0, 1.0);
        q.push(1, 0, 1.0, 1.0);
        q.push(2, 0, 1.0, 5.0);
        q.push(0, 0, 9.0, 0.0);
        let order: Vec<u32> = std::iter::from_fn(|| q.pop(|_, _| true).map(|(t, _)| t)).collect();
        assert_eq!(order, vec![0, 2, 1, 3]);
        assert!(q.is_empty());
    }

    #[test]
    fn full_resources_are_passed_over() {
        let mut q = ReadyQueue::new(2);
        q.push(0, 0, 9.0, 1.0);
        q.push(1, 1, 1.0, 1.0);
        assert_eq!(q.pop(|r, _| r == 1), Some((1, 1)));
        assert_eq!(q.pop(|r, _| r == 1), None);
        assert_eq!(q.len(), 1);
        assert_eq!(q.drain(), vec![0]);
    }

    #[test]
    fn pop_from_takes_one_queue_best_first() {
        let mut q = ReadyQueue::new(2);
        q.push(0, 1, 1.0, 1.0);
        q.push(1, 1, 2.0, 1.0);
        q.push(2, 0, 9.0, 1.0);
        assert_eq!(q.len_of(1), 2);
        assert_eq!(q.pop_from(1), Some(1));
        assert_eq!(q.pop_from(1), Some(0));
        assert_eq!(q.pop_from(1), None);
        assert_eq!(q.pop_from(7), None);
        assert_eq!(q.len(), 1);
    }
}
