"""The plan: estimated cost per task -> Rust ``Dag.plan()`` -> the schedules table.

The upward rank computed here is the dispatcher's priority: tasks on the critical path
start first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._native import scheduler
from ..graph.modes import Mode, runtime_modes
from ..graph.resources import Slots, make_slots
from ..graph.routes import Route, plan_routes
from ..graph.validate import ValidatedWorkflow
from .batching import BatchPlan, plan_batches

if TYPE_CHECKING:
    from ..store.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunPlan:
    """The plan of one run.

    Attributes:
        dag: the graph with costs.
        priority: per task, its upward rank (larger starts first).
        schedule: what is saved in the store (ids, not indices).
        routes: per quantum task, where it runs and which backend slot it holds.
        slots: the Dispatcher's per-resource limits (None: only ``max_concurrency``).
        history_since: the estimator's history snapshot the costs came from (see
            :func:`note_history`).
        batches: the batch groups of compatible quantum tasks (None: none).
        modes: per cloud backend with execution modes, ``(kind, max_time_s)``: ``batch``
            for a fan-out, ``session`` (held for at most ``max_time_s``) for a chain.
    """

    dag: scheduler.Dag
    priority: list[float]
    schedule: dict[str, Any]
    routes: dict[int, Route] = field(default_factory=dict)
    slots: Slots | None = None
    history_since: int | None = None
    batches: BatchPlan | None = None
    modes: dict[str, tuple[Mode, float | None]] = field(default_factory=dict)


def estimate_costs(vw: ValidatedWorkflow, store: Store | None = None) -> list[float]:
    """Predicted seconds per task from ``quantumflow.cost`` (history in ``store``, calibrated
    simulator models, price tables); 1.0 each when the estimator is unavailable or fails."""
    from ..cost.workflow import estimate_costs as estimate

    tasks = vw.spec.tasks
    try:
        raw = list(estimate(tasks, store=store))
    except Exception as err:  # a bad estimate must not stop a run
        log.warning("cost estimates unavailable (%r); planning with unit costs", err)
        return [1.0] * len(tasks)
    return [float(c) if c and c > 0 else 1e-6 for c in raw]


def make_plan(vw: ValidatedWorkflow, *, workers: int, store: Store | None = None) -> RunPlan:
    """Estimate costs, build the costed graph and plan it over ``workers`` slots."""
    costs = estimate_costs(vw, store)
    if all(c == 1.0 for c in costs):
        dag = vw.dag
    else:
        dag = scheduler.Dag(len(vw.ids), vw.src, vw.dst, costs)
    routes = plan_routes(vw.spec.tasks)
    slots = make_slots(vw.spec, routes, lanes=max(1, workers))
    if slots is None:
        plan = dag.plan(workers=max(1, workers))
    else:
        plan = dag.plan(resource=slots.resource, capacities=slots.capacities)
    priority = dag.upward_rank()
    ids = vw.ids
    # Read each Plan attribute once: every access builds a new list.
    order, start, finish, slot = plan.order, plan.start, plan.finish, plan.slot
    # Lists aligned with "order" keep the stored JSON small for big graphs.
    schedule: dict[str, Any] = {
        "policy": "heft",
        "workers": workers,
        "order": [ids[i] for i in order],
        "start": [round(start[i], 6) for i in order],
        "finish": [round(finish[i], 6) for i in order],
        "slot": [slot[i] for i in order],
        "makespan": plan.makespan,
        "critical_path": [ids[i] for i in plan.critical_path],
    }
    if slots is not None:
        schedule["resources"] = dict(zip(slots.names[1:], slots.capacities[1:], strict=True))
    batches = plan_batches(
        vw.spec,
        routes,
        None if slots is None else slots.resource,
        costs,
        None if slots is None else slots.capacities,
    )
    if batches is not None:
        schedule["batching"] = batches.describe()
    modes = plan_modes(vw, routes, start, finish)
    if modes:
        schedule["runtime_modes"] = {
            name: {"mode": kind, "max_time_s": limit} for name, (kind, limit) in modes.items()
        }
    from ..cost.history import snapshot_id

    return RunPlan(
        dag,
        priority,
        schedule,
        routes,
        slots,
        _history_call(snapshot_id, store),
        batches,
        modes,
    )


#: A session is allowed twice its planned span, within these bounds (seconds).
SESSION_MIN_S = 300.0
SESSION_MAX_S = 8 * 3600.0


def plan_modes(
    vw: ValidatedWorkflow, routes: dict[int, Route], start: list[float], finish: list[float]
) -> dict[str, tuple[Mode, float | None]]:
    """Per cloud backend with modes, ``(batch|session, max_time_s)``: a session's time
    limit is twice the span its tasks take in the plan (the device is held, and billed,
    from its first job to its last)."""
    out: dict[str, tuple[Mode, float | None]] = {}
    for name, kind in runtime_modes(vw, routes).items():
        limit: float | None = None
        if kind == "session":
            mine = [i for i, t in enumerate(vw.spec.tasks) if getattr(t, "backend", None) == name]
            span = max(finish[i] for i in mine) - min(start[i] for i in mine)
            limit = round(min(SESSION_MAX_S, max(SESSION_MIN_S, 2 * span)), 1)
        out[name] = (kind, limit)
    return out


def note_history(
    store: Store | None, classical: list[tuple[str, str, float]], since: int | None
) -> None:
    """Tell the estimator's history what a finished run committed (``cost.history.note_run``),
    so that the next plan need not read those rows back."""
    from ..cost.history import note_run

    _history_call(note_run, store, classical, since)


def _history_call(call: Callable[..., Any], store: Store | None, *args: Any) -> Any:
    if store is None or not hasattr(store, "db"):  # no store, or a duck-typed one
        return None
    try:
        return call(store, *args)
    except Exception as err:  # the estimator is optional and must not stop a run
        log.debug("estimator history unavailable: %r", err)
        return None


def check_budget(vw: ValidatedWorkflow, store: Store | None, params: dict[str, Any]) -> None:
    """Refuse, before anything runs, a workflow whose estimate is over ``policies.budget``.

    Raises:
        BudgetExceededError: from ``quantumflow.cost.check_budget`` (message says "budget").
    """
    if vw.spec.policies.budget is None:
        return
    from ..cost.budget import check_budget as check

    check(vw.spec, store=store, params=params)
