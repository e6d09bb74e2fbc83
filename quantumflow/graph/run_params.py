"""Run parameters a workflow does not know are an error, so a typo never runs silently.

A run param is known when the spec declares it in ``params``, a task reads it with
``{param: NAME}``, or it binds a free parameter of a quantum task's circuit by name
(``theta`` binds ``theta`` or ``theta_0, theta_1, …``; a mapping named ``params`` binds
its keys), as :func:`quantumflow.circuits.binding.parameter_values` does at run time.
The panel, the API, ``quantumflow run --param`` and ``%%qflow --param`` all reach this
through :func:`quantumflow.graph.validate`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import Problem
from ..spec import QuantumTask, WorkflowSpec
from .inputs import PARAM, InputPlan


def run_param_problems(
    spec: WorkflowSpec, params: Mapping[str, Any], plans: Iterable[InputPlan]
) -> list[Problem]:
    """One problem per run param the workflow has no use for (``field`` ``params.NAME``)."""
    unknown = [name for name in params if name not in spec.params]
    if not unknown:
        return []
    read = {a for plan in plans for _, kind, a, _ in plan.slots if kind == PARAM}
    unknown = [name for name in unknown if name not in read]
    if unknown and any(isinstance(t, QuantumTask) for t in spec.tasks):
        free = _circuit_parameters(spec)
        if free is None:
            return []  # a circuit we cannot read without running user code: cannot tell
        unknown = [n for n in unknown if not _binds(n, params[n], free)]
    declared = ", ".join(sorted(set(spec.params) | read)) or "none"
    return [
        Problem(
            f"unknown run param '{name}': the workflow does not use it (its params: "
            f"{declared}); declare it in the workflow's params or fix the name",
            None,
            f"params.{name}",
        )
        for name in unknown
    ]


def _binds(name: str, value: Any, free: set[str]) -> bool:
    if name in free:
        return True
    if name == "params" and isinstance(value, Mapping):
        return any(str(k) in free for k in value)
    indexed = re.compile(re.escape(name) + r"_\d+")
    return any(indexed.fullmatch(f) for f in free)


def _circuit_parameters(spec: WorkflowSpec) -> set[str] | None:
    """Free parameter names of every quantum task's circuit; None when one cannot be read
    without calling user code (a ``callable`` source) or does not load (reported elsewhere)."""
    from ..circuits.sources import load_circuit  # only specs with unknown params pay

    free: set[str] = set()
    for task in spec.tasks:
        if not isinstance(task, QuantumTask):
            continue
        if task.circuit.callable is not None:
            return None
        try:
            free |= load_circuit(task.circuit).free_parameters()
        except Exception:  # a bad circuit is validation's own problem for that task
            return None
    return free
