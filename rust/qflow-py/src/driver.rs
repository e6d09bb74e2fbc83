//! The run loop behind `Dispatcher.run()`: a current-thread tokio runtime that owns the
//! clocks (deadlines, backoff timers, a signal check) and calls Python in batches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use qflow_core::{Event, Instruction, RunStatus, Scheduler};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use crate::codes;
use crate::timers::Timers;

/// How often the loop takes the GIL to let Ctrl-C (`KeyboardInterrupt`) through.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Set by an `atexit` hook (registered when the module is imported): from then on the
/// interpreter may start finalizing at any moment, and attaching to it is unsafe.
static EXITING: AtomicBool = AtomicBool::new(false);

/// Mark the interpreter as exiting (the module's `atexit` hook).
pub fn interpreter_exiting() {
    EXITING.store(true, Ordering::Release);
}

/// Run `f` attached to the interpreter. Once the interpreter is exiting (its `atexit`
/// hooks ran, or it is finalizing or gone) this thread must never touch Python again, not
/// even to return from `run()`: it parks until the process ends, like the interpreter's
/// own daemon threads at shutdown. Attaching then would panic (or abort the process).
fn attached<R>(f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    if !EXITING.load(Ordering::Acquire) {
        if let Some(out) = Python::try_attach(f) {
            return out;
        }
    }
    loop {
        std::thread::park();
    }
}

#[allow(
    clippy::redundant_closure_for_method_calls,
    reason = "the method path is not general over the GIL lifetime (clippy false positive)"
)]
fn check_signals() -> PyResult<()> {
    attached(|py| py.check_signals())
}

fn feed(
    core: &Mutex<Scheduler>,
    events: impl IntoIterator<Item = Event>,
    out: &mut Vec<Instruction>,
) {
    core.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .handle_into(events, out);
}

/// Carry out one batch: arm timers, then call `notify` once and `start` once.
fn carry_out(
    batch: &mut Vec<Instruction>,
    timers: &mut Timers,
    start: &Py<PyAny>,
    notify: &Py<PyAny>,
) -> PyResult<Option<RunStatus>> {
    let mut starts: Vec<(u32, u32)> = Vec::new();
    let mut notes: Vec<(u32, u32, i64)> = Vec::new();
    let mut finished = None;
    for ins in batch.drain(..) {
        match ins {
            Instruction::Start { task, attempt } => starts.push((task, attempt)),
            Instruction::SetDeadline {
                task,
                attempt,
                secs,
            } => {
                timers.arm(secs, Event::DeadlineHit { task, attempt });
            }
            Instruction::StartBackoffTimer {
                task,
                attempt,
                secs,
            } => {
                timers.arm(secs, Event::TimerFired { task, attempt });
            }
            Instruction::Notify {
                task,
                attempt,
                kind,
            } => notes.push((task, attempt, codes::notify_code(kind))),
            Instruction::Finished { status } => finished = Some(status),
        }
    }
    if !notes.is_empty() {
        attached(|py| notify.call1(py, (notes,)).map(drop))?;
    }
    if !starts.is_empty() {
        attached(|py| start.call1(py, (starts,)).map(drop))?;
    }
    Ok(finished)
}

/// Run until the core says `Finished`. `rx` brings instruction batches the core produced on
/// other threads (`complete()`, `cancel()`); the loop's own timers feed events to the core
/// here. A callback error or a signal cancels the run and is returned.
pub fn drive(
    core: &Mutex<Scheduler>,
    mut rx: UnboundedReceiver<Vec<Instruction>>,
    first: Vec<Instruction>,
    start: &Py<PyAny>,
    notify: &Py<PyAny>,
) -> PyResult<RunStatus> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|e| {
            PyRuntimeError::new_err(format!("cannot start the dispatcher runtime: {e}"))
        })?;
    let fail = |err: PyErr| {
        feed(core, [Event::Cancel], &mut Vec::new());
        Err(err)
    };
    rt.block_on(async move {
        let mut batch = first;
        let mut timers = Timers::default();
        let mut signal_at = Instant::now() + SIGNAL_CHECK;
        loop {
            match carry_out(&mut batch, &mut timers, start, notify) {
                Ok(Some(status)) => return Ok(status),
                Ok(None) => {}
                Err(err) => return fail(err),
            }
            let wake = timers.next_due().map_or(signal_at, |t| t.min(signal_at));
            tokio::select! {
                msg = rx.recv() => {
                    // The Dispatcher keeps a sender alive, so the channel never closes here.
                    let Some(more) = msg else { return Err(PyRuntimeError::new_err("dispatcher channel closed")) };
                    batch.extend(more);
                    while let Ok(more) = rx.try_recv() {
                        batch.extend(more);
                    }
                }
                () = tokio::time::sleep_until(wake) => {}
            }
            let now = Instant::now();
            let due = timers.pop_due(now);
            if !due.is_empty() {
                feed(core, due, &mut batch);
            }
            if now >= signal_at {
                signal_at = now + SIGNAL_CHECK;
                if let Err(err) = check_signals() {
                    return fail(err);
                }
            }
        }
    })
}
