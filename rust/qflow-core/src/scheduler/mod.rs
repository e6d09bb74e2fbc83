//! The sans-IO run state machine: events in, instructions out.
//!
//! The driver (tokio in `qflow-py`, or a test) owns clocks and workers. It calls
//! [`Scheduler::start`] once, then [`Scheduler::handle`] with whatever happened, and carries
//! out the returned [`Instruction`]s in order.

mod batch;
mod config;
mod events;

use std::sync::Arc;

pub use batch::BatchLimit;
pub use config::{Config, ConfigError};
pub use events::{Event, Instruction, NotifyKind, Outcome, RunStatus};

use crate::{Dag, ReadyQueue, TaskState};
use batch::Batcher;

/// One run of a [`Dag`]: task states, ready queue, slots, retries.
#[derive(Debug, Clone)]
pub struct Scheduler {
    dag: Arc<Dag>,
    cfg: Config,
    state: Vec<TaskState>,
    /// Attempt number of the running or latest attempt (0 before the first).
    attempt: Vec<u32>,
    /// Dependencies not yet succeeded.
    waiting: Vec<u32>,
    priority: Vec<f64>,
    free: Vec<u32>,
    queue: ReadyQueue,
    /// Per queue: the resource its tasks need (resources first, then batch groups).
    queue_resource: Vec<u32>,
    batch: Batcher,
    /// Units running: tasks started alone plus batches (each holds one slot).
    running: u32,
    unsettled: usize,
    any_failed: bool,
    stopping: bool,
    finished: Option<RunStatus>,
}

impl Scheduler {
    /// Prepare a run; nothing happens until [`Scheduler::start`].
    pub fn new(dag: Arc<Dag>, cfg: Config) -> Result<Self, ConfigError> {
        let n = dag.n();
        cfg.validate(n)?;
        let priority = if cfg.priority.is_empty() {
            dag.upward_rank()
        } else {
            cfg.priority.clone()
        };
        let free = if cfg.capacities.is_empty() {
            vec![u32::MAX]
        } else {
            cfg.capacities.clone()
        };
        let waiting = (0..n as u32).map(|t| dag.in_degree(t)).collect();
        let batch = Batcher::new(
            cfg.batch_group.clone(),
            cfg.batch_limits.clone(),
            free.len(),
        );
        let mut queue_resource: Vec<u32> = (0..free.len() as u32).collect();
        queue_resource.resize(free.len() + batch.groups(), 0);
        for (t, &g) in cfg.batch_group.iter().enumerate() {
            if g > 0 {
                queue_resource[free.len() + (g - 1) as usize] =
                    cfg.resource.get(t).copied().unwrap_or(0);
            }
        }
        Ok(Self {
            queue: ReadyQueue::new(queue_resource.len()),
            queue_resource,
            batch,
            state: vec![TaskState::Pending; n],
            attempt: vec![0; n],
            waiting,
            priority,
            free,
            running: 0,
            unsettled: n,
            any_failed: false,
            stopping: false,
            finished: None,
            dag,
            cfg,
        })
    }

    /// Mark `done` tasks succeeded, queue the tasks whose dependencies are met, start as
    /// many as the limits allow (and finish at once if nothing is left to run).
    #[must_use]
    pub fn start(&mut self) -> Vec<Instruction> {
        let mut out = Vec::new();
        self.start_into(&mut out);
        out
    }

    /// [`Scheduler::start`], appending to `out` (no allocation when `out` has room).
    pub fn start_into(&mut self, out: &mut Vec<Instruction>) {
        // Mark every done task first, so that none of them is queued as a successor.
        let dag = Arc::clone(&self.dag);
        for i in 0..self.cfg.done.len() {
            let t = self.cfg.done[i];
            if self.state[t as usize] == TaskState::Pending {
                self.set(t, TaskState::Succeeded);
                for &s in dag.successors(t) {
                    self.waiting[s as usize] -= 1;
                    self.refresh(s);
                }
            }
        }
        for t in 0..self.dag.n() as u32 {
            if self.state[t as usize] == TaskState::Pending && self.waiting[t as usize] == 0 {
                self.make_ready(t);
            }
        }
        self.dispatch(out);
        self.check_finished(out);
    }

    /// Apply `events` in order, then start what became possible. Stale events (an attempt
    /// that already timed out, a timer of a cancelled task) are ignored.
    #[must_use]
    pub fn handle(&mut self, events: impl IntoIterator<Item = Event>) -> Vec<Instruction> {
        let mut out = Vec::new();
        self.handle_into(events, &mut out);
        out
    }

    /// [`Scheduler::handle`], appending to `out` (no allocation when `out` has room).
    pub fn handle_into(
        &mut self,
        events: impl IntoIterator<Item = Event>,
        out: &mut Vec<Instruction>,
    ) {
        for event in events {
            if self.finished.is_some() {
                return;
            }
            self.handle_one(event, out);
        }
        if self.finished.is_none() {
            self.dispatch(out);
            self.check_finished(out);
        }
    }

    fn handle_one(&mut self, event: Event, out: &mut Vec<Instruction>) {
        match event {
            Event::Completed {
                task,
                attempt,
                outcome,
            } => {
                if !self.is_running(task, attempt) {
                    return;
                }
                self.release(task);
                match outcome {
                    Outcome::Ok => self.succeed(task),
                    Outcome::Failed => self.fail(task, true, out),
                    Outcome::Fatal => self.fail(task, false, out),
                }
            }
            Event::DeadlineHit { task, attempt } => {
                if self.is_running(task, attempt) {
                    self.release(task);
                    out.push(Instruction::Notify {
                        task,
                        attempt,
                        kind: NotifyKind::TimedOut,
                    });
                    self.fail(task, true, out);
                }
            }
            Event::TimerFired { task, attempt } => {
                let t = task as usize;
                if self.state[t] == TaskState::Retrying && attempt == self.attempt[t] + 1 {
                    self.make_ready(task);
                }
            }
            Event::WindowClosed { group, generation } => {
                self.batch.window_closed(group, generation);
            }
            Event::Cancel => self.cancel(out),
        }
    }

    fn is_running(&self, task: u32, attempt: u32) -> bool {
        let t = task as usize;
        t < self.state.len() && self.state[t] == TaskState::Running && self.attempt[t] == attempt
    }

    fn set(&mut self, task: u32, to: TaskState) {
        let from = self.state[task as usize];
        debug_assert!(
            from.can_become(to),
            "illegal transition {from} -> {to} for task {task}"
        );
        self.state[task as usize] = to;
        if to.is_terminal() {
            self.unsettled -= 1;
        }
        if self.batch.tracks_imminence() {
            if (from == TaskState::Running) != (to == TaskState::Running) {
                let dag = Arc::clone(&self.dag);
                for &s in dag.successors(task) {
                    self.batch.pred_running(s, to == TaskState::Running);
                    self.refresh(s);
                }
            }
            self.refresh(task);
        }
    }

    /// Recompute whether `task` is an imminent batch member (see `batch.rs`).
    fn refresh(&mut self, task: u32) {
        if self.batch.tracks_imminence() {
            let t = task as usize;
            let pending = self.state[t] == TaskState::Pending;
            self.batch.refresh(task, pending, self.waiting[t]);
        }
    }

    fn resource_of(&self, task: u32) -> usize {
        self.cfg
            .resource
            .get(task as usize)
            .map_or(0, |&r| r as usize)
    }

    /// A running task stopped; its slot is free unless other members of its batch run.
    fn release(&mut self, task: u32) {
        if !self.batch.settle(task) {
            return;
        }
        self.running -= 1;
        let r = self.resource_of(task);
        self.free[r] = self.free[r].saturating_add(1);
    }

    fn make_ready(&mut self, task: u32) {
        self.set(task, TaskState::Ready);
        let (r, p, c) = (
            self.resource_of(task),
            self.priority[task as usize],
            self.dag.costs()[task as usize],
        );
        let q = self.batch.queue_of(task, r as u32);
        if q != r as u32 {
            self.batch.queued(self.batch.group_of(task));
        }
        self.queue.push(task, q, p, c);
    }

    fn succeed(&mut self, task: u32) {
        self.set(task, TaskState::Succeeded);
        let dag = Arc::clone(&self.dag);
        for &s in dag.successors(task) {
            let w = &mut self.waiting[s as usize];
            *w -= 1;
            if *w == 0 && self.state[s as usize] == TaskState::Pending {
                self.make_ready(s);
            } else {
                self.refresh(s);
            }
        }
    }

    fn fail(&mut self, task: u32, retryable: bool, out: &mut Vec<Instruction>) {
        let t = task as usize;
        let attempt = self.attempt[t];
        let retries = self.cfg.retries.get(t).copied().unwrap_or(0);
        if retryable && !self.stopping && attempt <= retries {
            self.set(task, TaskState::Retrying);
            out.push(Instruction::Notify {
                task,
                attempt,
                kind: NotifyKind::Retry,
            });
            let secs = self.cfg.backoff_s
                * 2f64.powi(i32::try_from(attempt.saturating_sub(1).min(1000)).unwrap_or(1000));
            if secs > 0.0 {
                out.push(Instruction::StartBackoffTimer {
                    task,
                    attempt: attempt + 1,
                    secs,
                });
            } else {
                self.make_ready(task);
            }
            return;
        }
        self.set(task, TaskState::Failed);
        self.any_failed = true;
        self.skip_downstream(task, out);
        if !self.cfg.continue_on_failure && !self.stopping {
            self.stopping = true;
            self.abandon(false, out);
        }
    }

    /// Skip every pending task downstream of `task`; already-final tasks bound the walk.
    fn skip_downstream(&mut self, task: u32, out: &mut Vec<Instruction>) {
        let dag = Arc::clone(&self.dag);
        let mut stack = vec![task];
        while let Some(v) = stack.pop() {
            for &s in dag.successors(v) {
                if self.state[s as usize] == TaskState::Pending {
                    self.set(s, TaskState::Skipped);
                    out.push(Instruction::Notify {
                        task: s,
                        attempt: 0,
                        kind: NotifyKind::Skipped,
                    });
                    stack.push(s);
                }
            }
        }
    }

    /// Cancel every task that has not started (and, if `running_too`, abandon running ones).
    fn abandon(&mut self, running_too: bool, out: &mut Vec<Instruction>) {
        self.queue.drain();
        for t in 0..self.dag.n() as u32 {
            let s = self.state[t as usize];
            let hit = matches!(
                s,
                TaskState::Pending | TaskState::Ready | TaskState::Retrying
            ) || (running_too && s == TaskState::Running);
            if hit {
                if s == TaskState::Running {
                    self.release(t);
                }
                self.set(t, TaskState::Cancelled);
                let attempt = if s == TaskState::Pending {
                    0
                } else {
                    self.attempt[t as usize]
                };
                out.push(Instruction::Notify {
                    task: t,
                    attempt,
                    kind: NotifyKind::Cancelled,
                });
            }
        }
    }

    fn cancel(&mut self, out: &mut Vec<Instruction>) {
        self.abandon(true, out);
        self.finished = Some(RunStatus::Cancelled);
        out.push(Instruction::Finished {
            status: RunStatus::Cancelled,
        });
    }

    fn dispatch(&mut self, out: &mut Vec<Instruction>) {
        self.open_windows(out);
        while self.running < self.cfg.max_concurrency {
            let (free, qres, batch) = (&self.free, &self.queue_resource, &self.batch);
            let Some((task, q)) = self.queue.pop(|q, len| {
                free[qres[q as usize] as usize] > 0
                    && batch
                        .group_of_queue(q)
                        .is_none_or(|g| batch.eligible(g, len))
            }) else {
                break;
            };
            let r = self.queue_resource[q as usize] as usize;
            self.free[r] -= 1;
            self.running += 1;
            let Some(g) = self.batch.group_of_queue(q) else {
                self.launch(task, 0, out);
                continue;
            };
            let max = self.batch.limit(g).max_size as usize;
            let mut members = vec![task];
            while members.len() < max {
                match self.queue.pop_from(q) {
                    Some(t) => members.push(t),
                    None => break,
                }
            }
            self.batch.started(g);
            if members.len() == 1 {
                self.launch(task, 0, out); // a batch of one runs like any task
                continue;
            }
            let id = self.batch.new_batch(&members);
            for t in members {
                self.launch(t, id, out);
            }
        }
        self.open_windows(out);
    }

    /// Mark `task` running and emit its start (alone, or as a member of `batch`).
    fn launch(&mut self, task: u32, batch: u32, out: &mut Vec<Instruction>) {
        self.set(task, TaskState::Running);
        let t = task as usize;
        self.attempt[t] += 1;
        let attempt = self.attempt[t];
        out.push(if batch == 0 {
            Instruction::Start { task, attempt }
        } else {
            Instruction::StartBatch {
                batch,
                task,
                attempt,
            }
        });
        if let Some(&secs) = self.cfg.timeouts_s.get(t).filter(|s| **s > 0.0) {
            out.push(Instruction::SetDeadline {
                task,
                attempt,
                secs,
            });
        }
    }

    /// Arm a batching window for each group that waits for imminent members.
    fn open_windows(&mut self, out: &mut Vec<Instruction>) {
        if !self.batch.enabled() {
            return;
        }
        let first = self.free.len() as u32;
        let queue = &self.queue;
        for (group, generation, secs) in self.batch.open_windows(|g| queue.len_of(first + g - 1)) {
            out.push(Instruction::ArmWindow {
                group,
                generation,
                secs,
            });
        }
    }

    fn check_finished(&mut self, out: &mut Vec<Instruction>) {
        if self.finished.is_none() && self.unsettled == 0 {
            let status = if self.any_failed {
                RunStatus::Failed
            } else {
                RunStatus::Succeeded
            };
            self.finished = Some(status);
            out.push(Instruction::Finished { status });
        }
    }

    /// The state of `task`.
    #[must_use]
    pub fn state(&self, task: u32) -> TaskState {
        self.state[task as usize]
    }

    /// The latest attempt number of `task` (0 if it never started).
    #[must_use]
    pub fn attempt(&self, task: u32) -> u32 {
        self.attempt[task as usize]
    }

    /// How the run ended, once it has.
    #[must_use]
    pub fn finished(&self) -> Option<RunStatus> {
        self.finished
    }

    /// Units running now: attempts started alone, plus batches (one each).
    #[must_use]
    pub fn running(&self) -> u32 {
        self.running
    }

    /// The running batch `task` belongs to (0: none, or it runs alone).
    #[must_use]
    pub fn batch_of(&self, task: u32) -> u32 {
        self.batch.batch_of(task)
    }

    /// The graph this run drives.
    #[must_use]
    pub fn dag(&self) -> &Arc<Dag> {
        &self.dag
    }
}
