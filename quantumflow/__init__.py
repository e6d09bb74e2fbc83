"""QuantumFlow: design, run and monitor hybrid quantum-classical workflows in JupyterLab.

Importing this package imports no quantum SDK; backends load theirs when first used.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .errors import QuantumFlowError, SpecError

if TYPE_CHECKING:
    from .engine import Run
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


def _run_bundle(run: Run) -> Any:
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


def __getattr__(name: str) -> Any:
    # Heavy parts (spec models, engine, DSL) load on first use so `import quantumflow` stays
    # cheap. The spec's names are then kept as module attributes (as an eager import would);
    # the engine's and the DSL's are looked up each time.
    value: Any
    if name == "__version__":
        from ._version import package_version

        value = package_version()
    elif name in ("ClassicalTask", "QuantumTask", "WorkflowSpec", "load_spec", "spec"):
        # ``from .spec import`` (not ``from . import spec``, which would ask this hook first)
        from .spec import ClassicalTask, QuantumTask, WorkflowSpec, load_spec

        spec = sys.modules["quantumflow.spec"]
        names: dict[str, Any] = {"ClassicalTask": ClassicalTask, "QuantumTask": QuantumTask}
        names |= {"WorkflowSpec": WorkflowSpec, "load_spec": load_spec, "spec": spec}
        value = names[name]
    elif name in ("run", "resume", "Run"):
        from .engine import Run, resume, run

        return {"run": run, "resume": resume, "Run": Run}[name]
    elif name in ("Workflow", "task", "quantum_task"):
        from .dsl import Workflow, quantum_task, task

        return {"Workflow": Workflow, "task": task, "quantum_task": quantum_task}[name]
    elif name == "report":
        from .executors.progress import report

        return report
    elif name == "run_widget":
        from .jupyter.widgets import run_widget

        return run_widget
    else:
        raise AttributeError(f"module 'quantumflow' has no attribute {name!r}")
    globals()[name] = value
    return value


_show_run_in_notebooks()
