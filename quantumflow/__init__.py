"""QuantumFlow: design, run and monitor hybrid quantum-classical workflows in JupyterLab.

Importing this package imports no quantum SDK; backends load theirs when first used.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .errors import QuantumFlowError, SpecError
from .loader import load_spec
from .spec import ClassicalTask, QuantumTask, WorkflowSpec

try:
    __version__ = version("quantumflow")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "ClassicalTask",
    "QuantumFlowError",
    "QuantumTask",
    "SpecError",
    "WorkflowSpec",
    "__version__",
    "load_spec",
]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quantumflow``: the ``%%qflow`` / ``%qflow`` magics (IPython loaded lazily)."""
    from .jupyter.magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext quantumflow``."""
    from .jupyter.magics import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name: str) -> Any:
    # Heavy parts (engine, DSL) load on first use so `import quantumflow` stays cheap.
    lazy = {
        "run": ("quantumflow.engine", "run"),
        "resume": ("quantumflow.engine", "resume"),
        "Run": ("quantumflow.engine", "Run"),
        "Workflow": ("quantumflow.dsl", "Workflow"),
        "task": ("quantumflow.dsl", "task"),
        "quantum_task": ("quantumflow.dsl", "quantum_task"),
    }
    if name in lazy:
        import importlib

        module, attr = lazy[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'quantumflow' has no attribute {name!r}")
