//! What the outside world tells the scheduler, and what it answers.

/// How an attempt ended, as reported by the worker that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Succeeded.
    Ok,
    /// Failed; retry if the task has retries left.
    Failed,
    /// Failed; never retry.
    Fatal,
}

/// Why the scheduler tells the driver about a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyKind {
    /// The attempt passed its deadline; the driver must abandon it.
    TimedOut,
    /// The attempt failed and the task will run again after its backoff.
    Retry,
    /// An upstream task failed; this task will not run.
    Skipped,
    /// The run was cancelled or stopped before this task finished.
    Cancelled,
}

/// How a whole run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Every task succeeded (or was already done).
    Succeeded,
    /// At least one task failed.
    Failed,
    /// The run was cancelled.
    Cancelled,
}

impl RunStatus {
    /// The lowercase name used across the Python boundary.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A stimulus for [`crate::Scheduler::handle`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A worker finished `attempt` of `task`.
    Completed {
        /// The task.
        task: u32,
        /// Which attempt (1-based).
        attempt: u32,
        /// How it ended.
        outcome: Outcome,
    },
    /// The backoff timer armed by [`Instruction::StartBackoffTimer`] fired.
    TimerFired {
        /// The task.
        task: u32,
        /// The attempt the timer was armed for.
        attempt: u32,
    },
    /// The deadline armed by [`Instruction::SetDeadline`] passed.
    DeadlineHit {
        /// The task.
        task: u32,
        /// The attempt the deadline belongs to.
        attempt: u32,
    },
    /// The batching window armed by [`Instruction::ArmWindow`] passed.
    WindowClosed {
        /// The batch group.
        group: u32,
        /// The window's generation (stale windows are ignored).
        generation: u32,
    },
    /// Stop now: nothing more starts; running attempts are abandoned.
    Cancel,
}

/// What the driver must do, in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Instruction {
    /// Launch `attempt` of `task`.
    Start {
        /// The task.
        task: u32,
        /// Its attempt number (1-based).
        attempt: u32,
    },
    /// Launch `attempt` of `task` as a member of batch `batch`: the members of one batch
    /// are emitted one after another and run as one native call. Each member is completed
    /// (or times out) on its own.
    StartBatch {
        /// The batch (ids start at 1, unique within a run).
        batch: u32,
        /// The task.
        task: u32,
        /// Its attempt number (1-based).
        attempt: u32,
    },
    /// Arm a batching window: after `secs`, send [`Event::WindowClosed`].
    ArmWindow {
        /// The batch group.
        group: u32,
        /// Echo it in the event.
        generation: u32,
        /// Seconds from now.
        secs: f64,
    },
    /// Arm a deadline: after `secs`, send [`Event::DeadlineHit`].
    SetDeadline {
        /// The task.
        task: u32,
        /// The attempt it guards.
        attempt: u32,
        /// Seconds from now.
        secs: f64,
    },
    /// Arm a timer: after `secs`, send [`Event::TimerFired`] for `attempt`.
    StartBackoffTimer {
        /// The task.
        task: u32,
        /// The attempt that will start when it fires.
        attempt: u32,
        /// Seconds from now.
        secs: f64,
    },
    /// Tell the driver (and through it the user) something happened to a task.
    Notify {
        /// The task.
        task: u32,
        /// The attempt concerned (0 if it never started).
        attempt: u32,
        /// What happened.
        kind: NotifyKind,
    },
    /// The run is over; nothing further will be emitted.
    Finished {
        /// How it ended.
        status: RunStatus,
    },
}
