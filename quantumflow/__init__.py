"""QuantumFlow: design, run and monitor hybrid quantum-classical workflows in JupyterLab.

Importing this package imports no quantum SDK; backends load theirs when first used.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .errors import QuantumFlowError, SpecError

if TYPE_CHECKING:
    from .spec import ClassicalTask, QuantumTask, WorkflowSpec
    from .spec.loader import load_spec

    __version__: str

__all__ = [
    "ClassicalTask",
    "QuantumFlowError",
    "QuantumTask",
    "SpecError",
    "WorkflowSpec",
    "__version__",
    "load_spec",
]


def _show_run_in_notebooks() -> None:
    """Inside a running IPython kernel, a :class:`~quantumflow.engine.Run` is shown as its
    RunWidget. The jupyter layer draws it; the engine knows nothing of notebooks. Registered
    by type name, so neither the engine nor the widgets are imported until a run is shown."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None and hasattr(shell, "display_formatter"):
        formatter = shell.display_formatter.mimebundle_formatter
        formatter.for_type_by_name("quantumflow.engine.models", "Run", _run_bundle)


def _run_bundle(run: Any) -> Any:
    from .jupyter.widgets import run_bundle

    return run_bundle(run)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quantumflow``: the ``%%qflow`` / ``%qflow`` magics (IPython loaded lazily)."""
    from .jupyter.magics import load_ipython_extension as load

    load(ipython)
    _show_run_in_notebooks()


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext quantumflow``."""
    from .jupyter.magics import unload_ipython_extension as unload

    unload(ipython)


#: Loaded on first access, then kept as module attributes (as an eager import would).
#: ``spec`` is plain dataclasses (no pydantic), but the engine imports it anyway when a
#: workflow runs; a bare ``import quantumflow`` need not.
_CACHED: dict[str, tuple[str, str | None]] = {
    "ClassicalTask": ("quantumflow.spec", "ClassicalTask"),
    "QuantumTask": ("quantumflow.spec", "QuantumTask"),
    "WorkflowSpec": ("quantumflow.spec", "WorkflowSpec"),
    "load_spec": ("quantumflow.spec.loader", "load_spec"),
    "spec": ("quantumflow.spec", None),
}


def __getattr__(name: str) -> Any:
    # Heavy parts (spec models, engine, DSL) load on first use so `import quantumflow` stays
    # cheap.
    if name == "__version__":
        from ._version import package_version

        value: Any = package_version()
        globals()["__version__"] = value
        return value
    if name in _CACHED:
        import importlib

        module_name, attr = _CACHED[name]
        loaded = importlib.import_module(module_name)
        value = loaded if attr is None else getattr(loaded, attr)
        globals()[name] = value
        return value
    lazy = {
        "run": ("quantumflow.engine", "run"),
        "resume": ("quantumflow.engine", "resume"),
        "Run": ("quantumflow.engine", "Run"),
        "Workflow": ("quantumflow.dsl", "Workflow"),
        "task": ("quantumflow.dsl", "task"),
        "quantum_task": ("quantumflow.dsl", "quantum_task"),
        "run_widget": ("quantumflow.jupyter.widgets", "run_widget"),
    }
    if name in lazy:
        import importlib

        module, attr = lazy[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'quantumflow' has no attribute {name!r}")


_show_run_in_notebooks()
