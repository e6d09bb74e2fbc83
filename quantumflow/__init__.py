"""QuantumFlow: design, run and monitor hybrid quantum-classical workflows in JupyterLab.

Importing this package imports no quantum SDK; backends load theirs when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import QuantumFlowError, SpecError

if TYPE_CHECKING:
    from .spec.loader import load_spec
    from .spec import ClassicalTask, QuantumTask, WorkflowSpec

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


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quantumflow``: the ``%%qflow`` / ``%qflow`` magics (IPython loaded lazily)."""
    from .jupyter.magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext quantumflow``."""
    from .jupyter.magics import unload_ipython_extension as unload

    unload(ipython)


def _package_version() -> str:
    # importlib.metadata costs ~30 ms to import: only pay for it when the version is asked for.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quantumflow")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


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
        value: Any = _package_version()
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
    }
    if name in lazy:
        import importlib

        module, attr = lazy[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'quantumflow' has no attribute {name!r}")
