"""Budgets (``policies.budget: {seconds, usd}``): refusal before a run, a stop during it.

- :func:`check_budget` runs before any task starts: when the estimate is over the budget
  it raises :class:`BudgetExceededError` whose message has the estimate by task.
- :class:`BudgetGuard` follows a run: once the wall time since the start passes
  ``seconds`` or the money spent passes ``usd``, no new quantum task is submitted (each is
  recorded ``cancelled`` with a "budget exceeded" error) and the run ends
  ``budget_exceeded``. Tasks already running finish; classical tasks are not stopped.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from ..errors import BudgetExceededError
from ..spec import Budget, WorkflowSpec

if TYPE_CHECKING:
    from ..store.store import Store

#: Tasks listed in a refusal message (the most expensive first).
MAX_LISTED = 10


def _has_budget(budget: Budget | None) -> bool:
    return budget is not None and (budget.seconds is not None or budget.usd is not None)


def check_budget(
    spec: WorkflowSpec, *, store: Store | None, params: dict[str, Any] | None = None
) -> None:
    """Refuse a workflow whose estimate is over its budget (no-op without a budget).

    Raises:
        BudgetExceededError: with ``estimate`` (the :func:`estimate_workflow` dict) set;
            the message contains "budget" and the estimate broken down by task.
    """
    if not _has_budget(spec.policies.budget):
        return
    from .workflow import estimate_workflow

    est = estimate_workflow(spec, db=store, params=params)
    if est["within_budget"] is not False:
        return
    err = BudgetExceededError(refusal_message(spec, est))
    err.estimate = est  # type: ignore[attr-defined]
    raise err


def refusal_message(spec: WorkflowSpec, est: dict[str, Any]) -> str:
    """Why the run is refused, with the estimate by task (most expensive first)."""
    budget = spec.policies.budget
    assert budget is not None
    over: list[str] = []
    if budget.seconds is not None and est["makespan_seconds"] > budget.seconds:
        over.append(f"{est['makespan_seconds']:.3g} s predicted > budget {budget.seconds:g} s")
    if budget.usd is not None and est["total_usd"] > budget.usd:
        over.append(f"{est['total_usd']:.2f} USD predicted > budget {budget.usd:.2f} USD")
    ranked = sorted(est["tasks"].items(), key=lambda kv: (-kv[1]["usd"], -kv[1]["seconds"]))
    lines = [
        f"  {tid}: {t['seconds']:.3g} s, {t['usd']:.2f} USD ({t['source']})"
        for tid, t in ranked[:MAX_LISTED]
    ]
    if len(ranked) > MAX_LISTED:
        lines.append(f"  ... and {len(ranked) - MAX_LISTED} more tasks")
    return (
        f"workflow '{spec.name}' is over its budget: {'; '.join(over)}. "
        "Nothing was run. Estimate by task:\n"
        + "\n".join(lines)
        + "\nRaise policies.budget, or run fewer shots/points or cheaper backends."
    )


class BudgetGuard:
    """Tracks a run's spending against its budget (thread-safe).

    Args:
        budget: the policy.
        started_at: UNIX time the run started (the seconds budget counts from it).
    """

    def __init__(self, budget: Budget, *, started_at: float | None = None) -> None:
        self.budget = budget
        self.started_at = time.time() if started_at is None else started_at
        self.spent_usd = 0.0
        self.reason: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_spec(cls, spec: WorkflowSpec) -> BudgetGuard | None:
        """A guard when the spec has a budget, else None."""
        budget = spec.policies.budget
        return cls(budget) if budget is not None and _has_budget(budget) else None

    @property
    def tripped(self) -> bool:
        """True once spending crossed the budget."""
        return self.reason is not None

    def spend(self, usd: float | None) -> None:
        """Add one finished attempt's money (None/0 for free backends) and re-check."""
        with self._lock:
            self.spent_usd += float(usd or 0.0)
        self.check()

    def check(self) -> str | None:
        """The reason the budget is exceeded now (and remember it), or None."""
        b = self.budget
        elapsed = time.time() - self.started_at
        with self._lock:
            if self.reason is None:
                if b.seconds is not None and elapsed > b.seconds:
                    self.reason = (
                        f"budget exceeded: {elapsed:.3g} s elapsed > budget {b.seconds:g} s"
                    )
                elif b.usd is not None and self.spent_usd > b.usd:
                    self.reason = (
                        f"budget exceeded: {self.spent_usd:.2f} USD spent > budget {b.usd:.2f} USD"
                    )
            return self.reason

    def refuse_quantum(self) -> str | None:
        """Why a new quantum submission must not start, or None to let it go."""
        return self.check()
