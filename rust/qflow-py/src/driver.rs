//! The run loop behind `Dispatcher.run()`: a current-thread tokio runtime that owns the
//! clocks (deadlines, backoff timers, a signal check) and calls Python in batches.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use qflow_core::{Event, Instruction, RunStatus, Scheduler};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::codes;

/// What reaches the run loop: instructions the core already produced on another thread, or
/// an event from one of the loop's own timers.
pub enum Msg {
    Instructions(Vec<Instruction>),
    Event(Event),
}

/// How often the loop takes the GIL to let Ctrl-C (`KeyboardInterrupt`) through.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

#[allow(
    clippy::redundant_closure_for_method_calls,
    reason = "the method path is not general over the GIL lifetime (clippy false positive)"
)]
fn check_signals() -> PyResult<()> {
    Python::attach(|py| py.check_signals())
}

fn feed(core: &Mutex<Scheduler>, event: Event, out: &mut Vec<Instruction>) {
    core.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .handle_into([event], out);
}

fn absorb(msg: Msg, core: &Mutex<Scheduler>, batch: &mut Vec<Instruction>) {
    match msg {
        Msg::Instructions(v) => batch.extend(v),
        Msg::Event(e) => feed(core, e, batch),
    }
}

fn arm(tx: &UnboundedSender<Msg>, secs: f64, event: Event) {
    let tx = tx.clone();
    let delay = Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX);
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        // The run may be over (receiver dropped); then the timer no longer matters.
        let _ = tx.send(Msg::Event(event));
    });
}

/// Carry out one batch: arm timers, then call `notify` once and `start` once.
fn carry_out(
    batch: &mut Vec<Instruction>,
    tx: &UnboundedSender<Msg>,
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
            } => arm(tx, secs, Event::DeadlineHit { task, attempt }),
            Instruction::StartBackoffTimer {
                task,
                attempt,
                secs,
            } => {
                arm(tx, secs, Event::TimerFired { task, attempt });
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
        Python::attach(|py| notify.call1(py, (notes,)).map(drop))?;
    }
    if !starts.is_empty() {
        Python::attach(|py| start.call1(py, (starts,)).map(drop))?;
    }
    Ok(finished)
}

/// Run until the core says `Finished`; a callback error or a signal cancels the run and is
/// returned.
pub fn drive(
    core: &Mutex<Scheduler>,
    tx: &UnboundedSender<Msg>,
    mut rx: UnboundedReceiver<Msg>,
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
        feed(core, Event::Cancel, &mut Vec::new());
        Err(err)
    };
    rt.block_on(async move {
        let mut batch = first;
        let mut ticker = tokio::time::interval(SIGNAL_CHECK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            match carry_out(&mut batch, tx, start, notify) {
                Ok(Some(status)) => return Ok(status),
                Ok(None) => {}
                Err(err) => return fail(err),
            }
            tokio::select! {
                msg = rx.recv() => {
                    // The Dispatcher keeps a sender alive, so the channel never closes here.
                    let Some(msg) = msg else { return Err(PyRuntimeError::new_err("dispatcher channel closed")) };
                    absorb(msg, core, &mut batch);
                    while let Ok(more) = rx.try_recv() {
                        absorb(more, core, &mut batch);
                    }
                }
                _ = ticker.tick() => {
                    if let Err(err) = check_signals() {
                        return fail(err);
                    }
                }
            }
        }
    })
}
