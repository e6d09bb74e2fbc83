"""The cost estimator: how long a workflow will take and what it will cost, before it runs.

- :func:`estimate_workflow` — per-task and total seconds and USD, the Rust-planned makespan
  and critical path (``quantumflow estimate``, ``POST /api/estimate``, ``%%qflow estimate``);
- :func:`estimate_costs` / :func:`estimate_task_seconds` — what the engine's plan step
  ranks tasks with;
- :func:`check_budget` and :class:`BudgetGuard` — ``policies.budget`` before and during a run;
- :func:`calibrate` — fit the simulator time model on this machine (``quantumflow calibrate``);
- :func:`plan_vs_actual` — the stored plan next to what the run actually did.

Importing this package imports no quantum SDK.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# What the engine's plan step needs on every run (estimate_costs) is imported now; budget
# checks and plan-vs-actual on first use. `calibrate` stays eager: it is also the name of its
# submodule, and importing `quantumflow.cost.calibrate` later would otherwise rebind
# `quantumflow.cost.calibrate` to the module instead of the function.
from .calibrate import calibrate
from .estimator import Estimator, TaskEstimate
from .workflow import estimate_costs, estimate_task_seconds, estimate_workflow

if TYPE_CHECKING:
    from .budget import BudgetGuard, check_budget
    from .compare import plan_vs_actual

__all__ = [
    "BudgetGuard",
    "Estimator",
    "TaskEstimate",
    "calibrate",
    "check_budget",
    "estimate_costs",
    "estimate_task_seconds",
    "estimate_workflow",
    "plan_vs_actual",
]


def __getattr__(name: str) -> Any:
    value: Any
    if name in ("BudgetGuard", "check_budget"):
        from . import budget

        value = getattr(budget, name)
    elif name == "plan_vs_actual":
        from .compare import plan_vs_actual as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
