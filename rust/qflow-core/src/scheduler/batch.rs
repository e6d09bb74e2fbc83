//! Cross-task batching: which ready tasks of one batch group start together, and when.
//!
//! The driver tags compatible tasks with a batch group (same backend slot, options that one
//! native SDK call can carry). Each group has a queue of its own in the [`crate::ReadyQueue`]
//! and a [`BatchLimit`]: at most `max_size` members per batch, and a window of `window_s`
//! seconds during which a partial batch waits for more members. A window opens only while
//! some other member is *imminent* — pending, with every unfinished predecessor running — so
//! a lone task in a chain never waits for company that cannot come. A window closes early
//! when the batch is full or nothing is imminent any more.
//!
//! A batch holds one slot of its resource and counts once against `max_concurrency`; the
//! slot is given back when its last member is settled (done, timed out or cancelled).

/// How one batch group is packed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchLimit {
    /// Most members in one batch (>= 1; 1 turns batching off for the group).
    pub max_size: u32,
    /// Seconds a partial batch may wait for imminent members (0: start at once).
    pub window_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Window {
    /// No window: the group starts when it is eligible, or opens one.
    Idle,
    /// Waiting for more members until the timer of this generation fires.
    Open(u32),
    /// The timer fired: start what is there.
    Expired,
}

/// Per-run batching state, owned by the [`crate::Scheduler`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Batcher {
    /// Per task: its group (1-based), 0 = never batched. Empty: batching is off.
    group: Vec<u32>,
    /// Per group (index `g - 1`).
    limits: Vec<BatchLimit>,
    window: Vec<Window>,
    generation: Vec<u32>,
    /// Per group: how many members are imminent.
    imminent: Vec<u32>,
    /// Per group: its queue got a task since windows were last considered.
    dirty: Vec<bool>,
    dirty_list: Vec<u32>,
    /// Per task (only when some window is non-zero).
    running_preds: Vec<u32>,
    is_imminent: Vec<bool>,
    /// Per task: the running batch it belongs to (0: none).
    batch_of: Vec<u32>,
    /// Per batch id: members not yet settled (index 0 unused).
    left: Vec<u32>,
    /// The first group queue's index (queues below it are the resources').
    first_queue: u32,
}

impl Batcher {
    /// Batching over `group` (per task) and `limits` (per group); queues of groups follow
    /// the `n_resources` resource queues.
    pub(crate) fn new(group: Vec<u32>, limits: Vec<BatchLimit>, n_resources: usize) -> Self {
        let n = group.len();
        let g = limits.len();
        let windows = limits.iter().any(|l| l.window_s > 0.0);
        Self {
            window: vec![Window::Idle; g],
            generation: vec![0; g],
            imminent: vec![0; g],
            dirty: vec![false; g],
            dirty_list: Vec::new(),
            running_preds: if windows { vec![0; n] } else { Vec::new() },
            is_imminent: if windows { vec![false; n] } else { Vec::new() },
            batch_of: vec![0; n],
            left: vec![0],
            first_queue: n_resources as u32,
            group,
            limits,
        }
    }

    /// Whether any task may be batched.
    pub(crate) fn enabled(&self) -> bool {
        !self.group.is_empty()
    }

    /// Whether imminence is tracked (some group has a window).
    pub(crate) fn tracks_imminence(&self) -> bool {
        !self.running_preds.is_empty()
    }

    /// Number of groups (their queues follow the resources').
    pub(crate) fn groups(&self) -> usize {
        self.limits.len()
    }

    /// The group of `task` (0: none).
    pub(crate) fn group_of(&self, task: u32) -> u32 {
        self.group.get(task as usize).copied().unwrap_or(0)
    }

    /// The queue `task` waits in: its group's, else its resource's.
    pub(crate) fn queue_of(&self, task: u32, resource: u32) -> u32 {
        match self.group_of(task) {
            0 => resource,
            g => self.first_queue + g - 1,
        }
    }

    /// The group whose queue is `queue`, if it is one.
    pub(crate) fn group_of_queue(&self, queue: u32) -> Option<u32> {
        queue
            .checked_sub(self.first_queue)
            .filter(|&i| (i as usize) < self.limits.len())
            .map(|i| i + 1)
    }

    /// The limits of group `g`.
    pub(crate) fn limit(&self, g: u32) -> BatchLimit {
        self.limits[(g - 1) as usize]
    }

    /// Whether the `len` ready members of group `g` may start now.
    pub(crate) fn eligible(&self, g: u32, len: usize) -> bool {
        let i = (g - 1) as usize;
        let lim = self.limits[i];
        len >= lim.max_size as usize
            || lim.window_s <= 0.0
            || self.window[i] == Window::Expired
            || self.imminent[i] == 0
    }

    /// A task of group `g` was queued (or the group's first member became imminent): its
    /// window is considered at the next dispatch.
    pub(crate) fn queued(&mut self, g: u32) {
        let i = (g - 1) as usize;
        if !self.dirty[i] {
            self.dirty[i] = true;
            self.dirty_list.push(g);
        }
    }

    /// Open a window for every group that got members, cannot start yet and has none.
    /// `len(g)` is the number of ready members of group `g`. Returns `(group, generation,
    /// seconds)` for each window opened.
    pub(crate) fn open_windows(&mut self, len: impl Fn(u32) -> usize) -> Vec<(u32, u32, f64)> {
        let mut opened = Vec::new();
        for g in std::mem::take(&mut self.dirty_list) {
            let i = (g - 1) as usize;
            self.dirty[i] = false;
            let n = len(g);
            if n > 0 && self.window[i] == Window::Idle && !self.eligible(g, n) {
                self.generation[i] = self.generation[i].wrapping_add(1);
                self.window[i] = Window::Open(self.generation[i]);
                opened.push((g, self.generation[i], self.limits[i].window_s));
            }
        }
        opened
    }

    /// The window timer of `generation` for group `g` fired (stale ones are ignored).
    pub(crate) fn window_closed(&mut self, g: u32, generation: u32) {
        let i = (g as usize).wrapping_sub(1);
        if self.window.get(i) == Some(&Window::Open(generation)) {
            self.window[i] = Window::Expired;
        }
    }

    /// A batch of group `g` was started: the next members start a new window; leftovers
    /// are considered again.
    pub(crate) fn started(&mut self, g: u32) {
        let i = (g - 1) as usize;
        self.window[i] = Window::Idle;
        self.generation[i] = self.generation[i].wrapping_add(1);
        self.queued(g);
    }

    /// Record a new running batch of these members; returns its id (>= 1).
    pub(crate) fn new_batch(&mut self, members: &[u32]) -> u32 {
        let id = self.left.len() as u32;
        self.left.push(members.len() as u32);
        for &t in members {
            self.batch_of[t as usize] = id;
        }
        id
    }

    /// A running `task` was settled. Returns true when its slot is free again (a task run
    /// alone, or the last unsettled member of its batch).
    pub(crate) fn settle(&mut self, task: u32) -> bool {
        let Some(b) = self.batch_of.get_mut(task as usize) else {
            return true;
        };
        let id = std::mem::take(b) as usize;
        if id == 0 {
            return true;
        }
        self.left[id] -= 1;
        self.left[id] == 0
    }

    /// The running batch `task` belongs to (0: none).
    pub(crate) fn batch_of(&self, task: u32) -> u32 {
        self.batch_of.get(task as usize).copied().unwrap_or(0)
    }

    /// A predecessor of `task` started (`+1`) or stopped (`-1`) running.
    pub(crate) fn pred_running(&mut self, task: u32, starts: bool) {
        let r = &mut self.running_preds[task as usize];
        *r = if starts { *r + 1 } else { *r - 1 };
    }

    /// Recompute whether `task` is imminent: pending (`pending`), with `waiting` unfinished
    /// predecessors, all of them running.
    pub(crate) fn refresh(&mut self, task: u32, pending: bool, waiting: u32) {
        let g = self.group_of(task);
        if g == 0 {
            return;
        }
        let t = task as usize;
        let now = pending && waiting > 0 && waiting == self.running_preds[t];
        if now != self.is_imminent[t] {
            self.is_imminent[t] = now;
            let c = &mut self.imminent[(g - 1) as usize];
            *c = if now { *c + 1 } else { *c - 1 };
            if now && *c == 1 {
                self.queued(g); // ready members that could start may have to wait now
            }
        }
    }
}
