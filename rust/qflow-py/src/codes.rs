//! The small integer codes that cross the boundary (exported as module constants).

use qflow_core::NotifyKind;

/// `complete()` outcome: the attempt succeeded.
pub const OK: i64 = 0;
/// `complete()` outcome: failed, retry if retries are left.
pub const FAILED: i64 = 1;
/// `complete()` outcome: failed, never retry.
pub const FATAL: i64 = 2;

/// `notify` kind: the attempt passed its deadline.
pub const TIMED_OUT: i64 = 1;
/// `notify` kind: the task failed and will start again after its backoff.
pub const RETRY: i64 = 2;
/// `notify` kind: an upstream task failed; this task will not run.
pub const SKIPPED: i64 = 3;
/// `notify` kind: the run was cancelled before this task finished.
pub const CANCELLED: i64 = 4;

/// The code of a notification kind.
pub fn notify_code(kind: NotifyKind) -> i64 {
    match kind {
        NotifyKind::TimedOut => TIMED_OUT,
        NotifyKind::Retry => RETRY,
        NotifyKind::Skipped => SKIPPED,
        NotifyKind::Cancelled => CANCELLED,
    }
}
