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

from .budget import BudgetGuard, check_budget
from .calibrate import calibrate
from .compare import plan_vs_actual
from .estimator import Estimator, TaskEstimate
from .workflow import estimate_costs, estimate_task_seconds, estimate_workflow

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
