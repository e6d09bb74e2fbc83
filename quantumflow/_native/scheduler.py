"""The Rust scheduler: graphs, plans and the dispatcher (see ``_core.pyi`` for the contract)."""

from __future__ import annotations

from ._core import (
    CANCELLED,
    FAILED,
    FATAL,
    OK,
    RETRY,
    SKIPPED,
    TIMED_OUT,
    Dag,
    Dispatcher,
    GraphCycleError,
    Plan,
    __version__,
    precise_timers,
)

__all__ = [
    "CANCELLED",
    "FAILED",
    "FATAL",
    "OK",
    "RETRY",
    "SKIPPED",
    "TIMED_OUT",
    "Dag",
    "Dispatcher",
    "GraphCycleError",
    "Plan",
    "__version__",
    "precise_timers",
]
