//! `quantumflow._native._core`: thin `PyO3` bindings over `qflow-core` plus the tokio dispatcher.
//!
//! Python reads it through `quantumflow._native.scheduler` (the scheduler: `Dag`, `Dispatcher`,
//! outcome codes, `precise_timers`) and `quantumflow._native.json` (`plain_json`, the store's
//! JSON writer for plain data, which decides nothing). Only task indices, small integer codes
//! and floats cross into the scheduler.

mod codes;
mod convert;
mod dag;
mod dispatcher;
mod driver;
mod json;
mod slack;
mod timers;

use pyo3::prelude::*;
use pyo3::types::PyCFunction;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("OK", codes::OK)?;
    m.add("FAILED", codes::FAILED)?;
    m.add("FATAL", codes::FATAL)?;
    m.add("TIMED_OUT", codes::TIMED_OUT)?;
    m.add("RETRY", codes::RETRY)?;
    m.add("SKIPPED", codes::SKIPPED)?;
    m.add("CANCELLED", codes::CANCELLED)?;
    m.add("GraphCycleError", py.get_type::<dag::GraphCycleError>())?;
    m.add_class::<dag::PyDag>()?;
    m.add_class::<dag::PyPlan>()?;
    m.add_class::<dispatcher::Dispatcher>()?;
    m.add_function(wrap_pyfunction!(slack::precise_timers, m)?)?;
    m.add_function(wrap_pyfunction!(json::plain_json, m)?)?;
    // A dispatcher still running at exit must stop calling into the interpreter before it
    // finalizes (see driver::attached). atexit hooks run last-in, first-out, so the
    // engine's own hooks (registered later) still cancel their runs through the dispatcher.
    let hook = PyCFunction::new_closure(py, None, None, |_args, _kwargs| {
        driver::interpreter_exiting();
    })?;
    py.import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}
