"""The stored plan next to the actual run."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.cost import plan_vs_actual
from quantumflow.engine import run
from quantumflow.errors import RunNotFoundError

from .conftest import ctask, wf


def test_plan_is_stored_and_lined_up_with_the_run(store: Any) -> None:
    spec = wf(
        ctask("a", inputs={"s": 0.3}),
        ctask("b", inputs={"s": 0.1}, depends_on=["a"]),
        ctask("c", inputs={"s": 0.05}, depends_on=["a"]),
        policies={"max_concurrency": 2},
    )
    first = run(spec, db=store)  # history for the second plan
    r = run(spec, db=store)
    schedule = store.get_schedule(r.id)
    assert schedule is not None and schedule["policy"] == "heft"
    got = plan_vs_actual(store, r.id)
    assert got["plan"] is True and got["status"] == "succeeded"
    assert got["planned_critical_path"] == ["a", "b"]
    assert got["actual_critical_path"][0] == "a"
    # history made the plan: predicted seconds are the first run's durations
    a = got["tasks"]["a"]
    assert a["predicted_s"] == pytest.approx(first.tasks["a"].duration, rel=0.05)
    assert a["actual_s"] == pytest.approx(r.tasks["a"].duration)
    assert 0.5 < a["ratio"] < 2.0
    assert got["tasks"]["b"]["planned_start_s"] == pytest.approx(a["predicted_s"], rel=1e-3)
    assert got["tasks"]["b"]["actual_start_s"] >= a["actual_s"]
    assert 0.5 < got["makespan_ratio"] < 2.0
    with pytest.raises(RunNotFoundError):
        plan_vs_actual(store, "missing")


def test_cli_perf_shows_the_run_next_to_its_plan(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from quantumflow.cli import main

    r = run(wf(ctask("a", inputs={"s": 0.05}), ctask("b", depends_on=["a"])), db=db_url)
    assert main(["perf", r.id, "--db", db_url]) == 0
    text = capsys.readouterr().out
    assert f"run {r.id}: succeeded" in text and "(planned " in text
    assert "critical path taken: a -> b" in text and "classical: 2 tasks" in text
    assert main(["perf", r.id, "--db", db_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["planned_critical_path"] == ["a", "b"]
    assert data["summary"]["critical_path"] == ["a", "b"]
    assert main(["perf", "nope", "--db", db_url]) == 2
