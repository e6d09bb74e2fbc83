//! `precise_timers()`: ask the kernel to end the calling thread's timed waits on time.
//!
//! Linux lets a thread's timer expirations (`sleep`, timed lock and socket waits) run late
//! by up to its *timer slack*, 50 µs by default, to batch wake-ups. A task that polls a
//! job or sleeps between retries on an engine thread pays that on every wait; the engine's
//! threads ask for a slack of about a microsecond instead.

use pyo3::prelude::*;

/// Set the calling thread's timer slack to `ns` nanoseconds; `True` if the system did so
/// (Linux), `False` where there is no such setting or it was refused.
#[pyfunction]
#[pyo3(signature = (ns = 1_000))]
pub fn precise_timers(ns: u64) -> bool {
    #[cfg(target_os = "linux")]
    {
        let ns = std::os::raw::c_ulong::try_from(ns).unwrap_or(std::os::raw::c_ulong::MAX);
        nix::sys::prctl::set_timerslack(ns).is_ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = ns;
        false
    }
}
