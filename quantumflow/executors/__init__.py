"""Executors: where classical task calls run (threads, processes, Dask).

``get_executor(name, **opts)`` resolves a name; third parties add one through the
``quantumflow.executors`` entry-point group (the value is a factory taking keyword options).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import QuantumFlowError
from .base import Call, Executor, FutureLike, call_function

__all__ = ["Call", "Executor", "FutureLike", "call_function", "get_executor", "known_executors"]


def _threads() -> Callable[..., Any]:
    from .threads import ThreadExecutor

    return ThreadExecutor


def _processes() -> Callable[..., Any]:
    from .processes import ProcessExecutor

    return ProcessExecutor


def _dask() -> Callable[..., Any]:
    from .dask_executor import DaskExecutor  # imports dask.distributed: only when asked for

    return DaskExecutor


_BUILTIN: dict[str, Callable[[], Callable[..., Any]]] = {
    "threads": _threads,
    "processes": _processes,
    "dask": _dask,
}


def _entry_points(group: str) -> Any:
    # importlib.metadata costs ~30 ms to import: only third-party executor names need it.
    from importlib.metadata import entry_points

    return entry_points(group=group)


def known_executors() -> list[str]:
    """Every executor name ``get_executor`` accepts."""
    names = set(_BUILTIN)
    names.update(ep.name for ep in _entry_points("quantumflow.executors"))
    return sorted(names)


def get_executor(name: str, **opts: Any) -> Executor:
    """Create the executor called ``name`` with keyword options (e.g. ``workers=4``).

    Raises:
        QuantumFlowError: unknown name, or its module cannot be imported.
    """
    builtin = _BUILTIN.get(name)
    factory: Callable[..., Any]
    if builtin is None:
        eps = [ep for ep in _entry_points("quantumflow.executors") if ep.name == name]
        if not eps:
            raise QuantumFlowError(
                f"unknown executor '{name}' (choose one of: {', '.join(known_executors())})"
            )
        factory = eps[0].load()
    else:
        try:
            factory = builtin()
        except ImportError as err:
            raise QuantumFlowError(
                f"executor '{name}' is not available: {err} (pip install 'quantumflow[{name}]')"
            ) from err
    executor: Executor = factory(**opts)
    return executor
