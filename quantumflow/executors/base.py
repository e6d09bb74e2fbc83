"""The Executor protocol: how the engine hands one classical call to something that runs it.

The Rust dispatcher decides *what* runs and *when*; an executor only decides *where*. A call
travels as ``(fn_path, kwargs)`` so that process and Dask workers import the function
themselves (nothing but the arguments and the result is pickled).

Three shapes fit the protocol:

- in-thread (``inline = True``): ``submit`` runs the call in the caller's thread and returns a
  finished future. The engine calls from its own worker threads, so there is no thread hop
  per task; a timed-out call cannot be stopped, so the engine abandons the thread.
- local processes: ``submit`` queues the call for a pool of worker processes;
  ``abandon`` kills the process running it (a hard timeout).
- remote (Dask): ``submit`` returns the cluster's future; ``abandon`` cancels it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..config import ModulePolicy, module_policy
from .functions import resolve_function


@dataclass(frozen=True)
class Call:
    """One attempt of one classical task.

    Attributes:
        key: an opaque token unique within a run, used by :meth:`Executor.abandon`
            (the engine uses ``(task_index, attempt)``).
        fn_path: ``package.module:function`` or a built-in library name.
        kwargs: the resolved inputs.
        task_id: the task's id (for error messages and logs).
        resources: the task's ``resources`` (e.g. ``{"gpu": 1}``); remote executors may map
            them to worker resources.
        priority: the planner's upward rank (larger = more urgent); executors with their
            own queue may order by it.
    """

    key: tuple[int, int]
    fn_path: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    task_id: str = ""
    resources: dict[str, float] = field(default_factory=dict)
    priority: float = 0.0


class FutureLike(Protocol):
    """What ``submit`` returns: ``concurrent.futures.Future`` and Dask's ``Future`` both fit."""

    def result(self, timeout: float | None = None) -> Any: ...

    def done(self) -> bool: ...


@runtime_checkable
class Executor(Protocol):
    """Runs classical calls. Implementations: threads, processes, dask_executor.

    Attributes:
        name: the name ``get_executor`` knows it by.
        inline: True when ``submit`` runs the call in the calling thread.
        workers: how many calls it runs at once (the engine sizes its worker threads on it).
    """

    name: str
    inline: bool
    workers: int

    def submit(self, call: Call) -> FutureLike:
        """Start ``call``; the future's result is the function's return value or its error."""
        ...

    def abandon(self, call: Call) -> None:
        """Stop caring about ``call`` (timeout/cancel): kill or cancel it where possible."""
        ...

    def shutdown(self, *, cancel: bool = False) -> None:
        """Release workers; ``cancel=True`` stops running calls where possible."""
        ...


_FUNCTIONS: dict[tuple[str, ModulePolicy], Callable[..., Any]] = {}


def call_function(fn_path: str, kwargs: dict[str, Any]) -> Any:
    """Import (once per process) and call a task function; used by every executor's workers.

    Raises:
        ModuleNotAllowedError: this process's module policy refuses the function's module.
    """
    key = (fn_path, module_policy())
    fn = _FUNCTIONS.get(key)
    if fn is None:
        fn = resolve_function(fn_path)
        _FUNCTIONS[key] = fn
    return fn(**kwargs)
