//! `Dispatcher`: drives one run of the core `Scheduler` from Python worker threads.
//!
//! Completions (`complete()`) and `cancel()` feed the core directly under its mutex, from
//! whichever thread calls them, and forward the resulting instructions over a channel to
//! the thread blocked in `run()`. That thread owns a current-thread tokio runtime: it arms
//! deadlines and backoff timers, and calls the Python `start`/`notify` callbacks in batches.
//! The core mutex is never held while acquiring the GIL, so the two cannot deadlock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use qflow_core::{
    BatchLimit, Config, Event, Instruction, Outcome, RunStatus, Scheduler, TaskState,
};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::codes;
use crate::convert::{indices, opt_floats, opt_indices, task_index};
use crate::dag::PyDag;
use crate::driver::{drive, Callbacks};

/// Drives one run of a Dag: a tokio runtime owns timers; Python workers do the work.
#[pyclass(module = "quantumflow._native._core", frozen)]
pub struct Dispatcher {
    core: Arc<Mutex<Scheduler>>,
    tx: UnboundedSender<Vec<Instruction>>,
    rx: Mutex<Option<UnboundedReceiver<Vec<Instruction>>>>,
    /// The first ready tasks were started (by `begin()` or `run()`).
    begun: AtomicBool,
    n: usize,
}

fn lock(core: &Mutex<Scheduler>) -> MutexGuard<'_, Scheduler> {
    // A panic inside the core leaves no half-applied state worth refusing; keep going.
    core.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remove up to `take` `Start` instructions from `out` and return their pairs.
fn take_starts(out: &mut Vec<Instruction>, take: usize) -> Vec<(u32, u32)> {
    let mut taken = Vec::new();
    if take > 0 {
        out.retain(|ins| match *ins {
            Instruction::Start { task, attempt } if taken.len() < take => {
                taken.push((task, attempt));
                false
            }
            _ => true,
        });
    }
    taken
}

/// Per-group batch limits from the two per-group sequences (both or neither).
fn batch_limits(
    max: Option<&Bound<'_, PyAny>>,
    window_s: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<BatchLimit>> {
    let max = opt_indices("batch_max", max)?;
    let mut window = opt_floats("batch_window_s", window_s)?;
    if window.is_empty() {
        window = vec![0.0; max.len()];
    }
    if window.len() != max.len() {
        return Err(PyValueError::new_err(format!(
            "batch_window_s has {} entries but batch_max has {} (one per batch group)",
            window.len(),
            max.len()
        )));
    }
    Ok(max
        .into_iter()
        .zip(window)
        .map(|(max_size, window_s)| BatchLimit { max_size, window_s })
        .collect())
}

impl Dispatcher {
    /// Feed one event to the core and forward what it answers; returns up to `take` starts.
    fn feed(&self, event: Event, take: usize) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let mut core = lock(&self.core);
        core.handle_into([event], &mut out);
        let taken = take_starts(&mut out, take);
        if !out.is_empty() {
            // Sent under the lock so the run loop sees batches in the order they were made.
            // A closed channel means run() is over; the instructions no longer matter.
            let _ = self.tx.send(out);
        }
        taken
    }
}

#[pymethods]
impl Dispatcher {
    #[new]
    #[pyo3(signature = (
        dag, *, max_concurrency, resource = None, capacities = None, retries = None,
        backoff_s = 0.0, timeouts_s = None, continue_on_failure = false, done = None,
        priority = None, batch_group = None, batch_max = None, batch_window_s = None,
    ))]
    #[allow(
        clippy::too_many_arguments,
        reason = "mirrors the documented keyword-only Python signature"
    )]
    fn new(
        dag: &PyDag,
        max_concurrency: i64,
        resource: Option<&Bound<'_, PyAny>>,
        capacities: Option<&Bound<'_, PyAny>>,
        retries: Option<&Bound<'_, PyAny>>,
        backoff_s: f64,
        timeouts_s: Option<&Bound<'_, PyAny>>,
        continue_on_failure: bool,
        done: Option<&Bound<'_, PyAny>>,
        priority: Option<&Bound<'_, PyAny>>,
        batch_group: Option<&Bound<'_, PyAny>>,
        batch_max: Option<&Bound<'_, PyAny>>,
        batch_window_s: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let max_concurrency = u32::try_from(max_concurrency)
            .ok()
            .filter(|&m| m > 0)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "max_concurrency must be >= 1, got {max_concurrency}"
                ))
            })?;
        let cfg = Config {
            max_concurrency,
            resource: opt_indices("resource", resource)?,
            capacities: opt_indices("capacities", capacities)?,
            retries: opt_indices("retries", retries)?,
            backoff_s,
            timeouts_s: opt_floats("timeouts_s", timeouts_s)?,
            continue_on_failure,
            done: match done {
                Some(d) if !d.is_none() => indices("done", d)?,
                _ => Vec::new(),
            },
            priority: opt_floats("priority", priority)?,
            batch_group: opt_indices("batch_group", batch_group)?,
            batch_limits: batch_limits(batch_max, batch_window_s)?,
        };
        let n = dag.inner.n();
        let core = Scheduler::new(Arc::clone(&dag.inner), cfg)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let (tx, rx) = unbounded_channel();
        Ok(Self {
            core: Arc::new(Mutex::new(core)),
            tx,
            rx: Mutex::new(Some(rx)),
            begun: AtomicBool::new(false),
            n,
        })
    }

    /// Start the first ready tasks now, before `run()`: returns up to `take` of them for
    /// the caller to run; the rest (and their deadlines) go to the `run()` loop.
    #[pyo3(signature = (*, take))]
    fn begin(&self, take: i64) -> PyResult<Vec<(u32, u32)>> {
        if self.begun.swap(true, Ordering::AcqRel) {
            return Err(PyRuntimeError::new_err("this Dispatcher has already begun"));
        }
        let mut out = Vec::new();
        let mut core = lock(&self.core);
        if core.finished().is_none() {
            core.start_into(&mut out);
        }
        let taken = take_starts(&mut out, usize::try_from(take).unwrap_or(0));
        if !out.is_empty() {
            // run() has not taken the receiver's first batch yet: it finds these first.
            let _ = self.tx.send(out);
        }
        Ok(taken)
    }

    /// Block until every task is finished, skipped or cancelled (GIL released while waiting).
    #[pyo3(signature = (start, notify, batch = None))]
    fn run(
        &self,
        py: Python<'_>,
        start: Py<PyAny>,
        notify: Py<PyAny>,
        batch: Option<Py<PyAny>>,
    ) -> PyResult<&'static str> {
        let rx = self
            .rx
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
            .ok_or_else(|| {
                PyRuntimeError::new_err("this Dispatcher has already run; make a new one")
            })?;
        let mut first = Vec::new();
        if !self.begun.swap(true, Ordering::AcqRel) {
            let mut core = lock(&self.core);
            if core.finished().is_none() {
                core.start_into(&mut first);
            }
        }
        let core = Arc::clone(&self.core);
        let callbacks = Callbacks {
            start,
            notify,
            batch,
        };
        let status: RunStatus = py.detach(move || drive(&core, rx, first, &callbacks))?;
        Ok(status.as_str())
    }

    /// Report an attempt's outcome (thread-safe); returns up to `take` pairs to run inline.
    #[pyo3(signature = (task, attempt, outcome, *, take = 0))]
    fn complete(
        &self,
        task: i64,
        attempt: i64,
        outcome: i64,
        take: i64,
    ) -> PyResult<Vec<(u32, u32)>> {
        let task = task_index(task, self.n)?;
        let outcome = match outcome {
            codes::OK => Outcome::Ok,
            codes::FAILED => Outcome::Failed,
            codes::FATAL => Outcome::Fatal,
            other => {
                return Err(PyValueError::new_err(format!(
                    "outcome must be OK, FAILED or FATAL, got {other}"
                )))
            }
        };
        let Ok(attempt) = u32::try_from(attempt) else {
            return Ok(Vec::new());
        };
        let take = usize::try_from(take).unwrap_or(0);
        Ok(self.feed(
            Event::Completed {
                task,
                attempt,
                outcome,
            },
            take,
        ))
    }

    /// Stop starting tasks; running attempts finish or are abandoned by Python.
    fn cancel(&self) {
        self.feed(Event::Cancel, 0);
    }

    fn state(&self, task: i64) -> PyResult<&'static str> {
        let task = task_index(task, self.n)?;
        let s: TaskState = lock(&self.core).state(task);
        Ok(s.as_str())
    }
}
