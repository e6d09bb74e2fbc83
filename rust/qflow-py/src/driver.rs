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

/// The Python callables of one `run()`.
pub struct Callbacks {
    /// Receives `(task, attempt)` pairs to launch.
    pub start: Py<PyAny>,
    /// Receives `(task, attempt, kind)` triples.
    pub notify: Py<PyAny>,
    /// Receives batches (lists of pairs) to launch as one call each; `None`: their members
    /// go to `start` like any task.
    pub batch: Option<Py<PyAny>>,
}

/// Carry out one batch of instructions: arm timers, then call `notify`, `start` and
/// `batch` once each (when they have something).
fn carry_out(
    batch: &mut Vec<Instruction>,
    timers: &mut Timers,
    cb: &Callbacks,
) -> PyResult<Option<RunStatus>> {
    let mut starts: Vec<(u32, u32)> = Vec::new();
    let mut packs: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut pack_id = 0;
    let mut notes: Vec<(u32, u32, i64)> = Vec::new();
    let mut finished = None;
    for ins in batch.drain(..) {
        match ins {
            Instruction::Start { task, attempt } => starts.push((task, attempt)),
            Instruction::StartBatch {
                batch,
                task,
                attempt,
            } => {
                // members of one batch are emitted one after another
                if batch != pack_id || packs.is_empty() {
                    packs.push(Vec::new());
                    pack_id = batch;
                }
                if let Some(p) = packs.last_mut() {
                    p.push((task, attempt));
                }
            }
            Instruction::ArmWindow {
                group,
                generation,
                secs,
            } => {
                timers.arm(secs, Event::WindowClosed { group, generation });
            }
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
        attached(|py| cb.notify.call1(py, (notes,)).map(drop))?;
    }
    if cb.batch.is_none() {
        starts.extend(packs.drain(..).flatten());
    }
    if !starts.is_empty() {
        attached(|py| cb.start.call1(py, (starts,)).map(drop))?;
    }
    if let Some(batch_cb) = cb.batch.as_ref().filter(|_| !packs.is_empty()) {
        attached(|py| batch_cb.call1(py, (packs,)).map(drop))?;
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
    cb: &Callbacks,
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
            match carry_out(&mut batch, &mut timers, cb) {
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
