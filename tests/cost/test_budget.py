"""Budgets: refusal before anything runs, and the stop when spending crosses the budget."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from quantumflow.cli import main
from quantumflow.cost import BudgetGuard
from quantumflow.engine import run, start
from quantumflow.errors import BudgetExceededError
from quantumflow.spec import Budget

from .conftest import ctask, qtask, wf


def _cloud(**budget: float) -> dict[str, Any]:
    return wf(
        ctask("prep", inputs={"s": 0}),
        qtask("big", backend="qiskit.ibm:ibm_brisbane", shots=100_000, depends_on=["prep"]),
        qtask("small", backend="qiskit.ibm:ibm_brisbane", shots=100, depends_on=["prep"]),
        policies={"budget": budget},
    )


def test_run_over_budget_is_refused_before_anything_runs(store: Any) -> None:
    before = len(store.list_runs())
    with pytest.raises(BudgetExceededError) as info:
        run(_cloud(usd=5.0), db=store)
    msg = str(info.value)
    assert "budget" in msg and "5.00 USD" in msg
    # the breakdown by task, the most expensive first
    assert msg.index("big:") < msg.index("small:") < msg.index("prep:")
    assert info.value.estimate["within_budget"] is False  # type: ignore[attr-defined]
    assert len(store.list_runs()) == before  # no run row, no task ran
    assert store.task_metrics() == []
    with pytest.raises(BudgetExceededError, match="budget"):
        start(_cloud(usd=5.0), db=store)


def test_seconds_budget_refuses_a_long_plan(store: Any) -> None:
    spec = wf(ctask("a"), ctask("b", depends_on=["a"]), policies={"budget": {"seconds": 1.5}})
    with pytest.raises(BudgetExceededError, match=r"2 s predicted > budget 1.5 s"):
        run(spec, db=store)


def test_cli_refused_run_exits_nonzero_saying_budget(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    spec = _cloud(usd=1.0)
    spec["tasks"][0] = ctask("prep", "touch", inputs={"path": str(marker)})
    path = tmp_path / "wf.yaml"
    path.write_text(yaml.safe_dump(spec))
    code = main(["run", str(path), "--db", db_url, "--json"])
    assert code != 0
    err = capsys.readouterr().err
    assert "budget" in err and "Traceback" not in err
    assert not marker.exists()


def test_mid_run_stop_when_time_runs_out(store: Any) -> None:
    # Estimated 1 s (default) + a quick circuit: within 2.5 s. It takes longer, so the
    # quantum task after it is not submitted and the run ends budget_exceeded.
    spec = wf(
        ctask("slow", inputs={"s": 2.8}),
        qtask("q", depends_on=["slow"]),
        policies={"budget": {"seconds": 2.5}},
    )
    r = run(spec, db=store)
    assert r.status == "budget_exceeded"
    assert r.tasks["slow"].status == "succeeded"
    assert r.tasks["q"].status == "cancelled"
    assert "budget exceeded" in (r.tasks["q"].error or "")
    rec = store.get_run(r.id)
    assert rec.status == "budget_exceeded" and "budget exceeded" in (rec.error or "")
    assert rec.tasks["q"].status == "cancelled"
    assert [m["task_id"] for m in store.task_metrics(run_id=r.id)] == ["slow"]


def test_guard_trips_on_money_and_time() -> None:
    guard = BudgetGuard(Budget(usd=2.0))
    guard.spend(1.5)
    assert guard.refuse_quantum() is None and not guard.tripped
    guard.spend(0.75)
    assert guard.tripped and "2.25 USD spent > budget 2.00 USD" in (guard.reason or "")
    timed = BudgetGuard(Budget(seconds=0.05), started_at=time.time() - 0.1)
    assert "elapsed" in (timed.refuse_quantum() or "")
