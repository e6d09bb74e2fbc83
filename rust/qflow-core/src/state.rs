//! The per-task state machine and its legal transitions.

use std::fmt;

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskState {
    /// Waiting for dependencies.
    Pending,
    /// Dependencies met; queued for a slot.
    Ready,
    /// An attempt is running.
    Running,
    /// An attempt failed; waiting for the backoff timer before the next one.
    Retrying,
    /// Finished successfully (or was already done at start).
    Succeeded,
    /// Failed with no retries left.
    Failed,
    /// Will not run because an upstream task failed.
    Skipped,
    /// The run was cancelled (or stopped) before this task finished.
    Cancelled,
}

impl TaskState {
    /// Whether this state is final.
    #[must_use]
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Failed | Self::Skipped | Self::Cancelled
        )
    }

    /// Whether `self -> to` is a legal transition.
    #[must_use]
    pub fn can_become(self, to: Self) -> bool {
        use TaskState::{Cancelled, Failed, Pending, Ready, Retrying, Running, Skipped, Succeeded};
        matches!(
            (self, to),
            (Pending, Ready | Succeeded | Skipped | Cancelled)
                | (Ready, Running | Skipped | Cancelled)
                | (Running, Succeeded | Failed | Retrying | Cancelled)
                | (Retrying, Ready | Skipped | Cancelled)
        )
    }

    /// The lowercase name used across the Python boundary.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ready => "ready",
            Self::Running => "running",
            Self::Retrying => "retrying",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::TaskState::{self, *};

    const ALL: [TaskState; 8] = [
        Pending, Ready, Running, Retrying, Succeeded, Failed, Skipped, Cancelled,
    ];

    #[test]
    fn terminal_states_have_no_exit() {
        for from in ALL.into_iter().filter(|s| s.is_terminal()) {
            assert!(
                ALL.iter().all(|&to| !from.can_become(to)),
                "{from} must be final"
            );
        }
    }

    #[test]
    fn the_happy_path_and_the_retry_loop_are_legal() {
        assert!(Pending.can_become(Ready));
        assert!(Ready.can_become(Running));
        assert!(Running.can_become(Retrying));
        assert!(Retrying.can_become(Ready));
        assert!(Running.can_become(Succeeded));
        assert!(Running.can_become(Failed));
    }

    #[test]
    fn shortcuts_are_illegal() {
        assert!(!Pending.can_become(Running));
        assert!(!Ready.can_become(Succeeded));
        assert!(!Retrying.can_become(Running));
        assert!(!Running.can_become(Ready));
        assert!(!Running.can_become(Skipped));
        assert_eq!(Retrying.to_string(), "retrying");
    }
}
