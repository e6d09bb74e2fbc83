"""Whole-workflow estimates and the ``quantumflow estimate`` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from quantumflow.cli import main
from quantumflow.cost import estimate_workflow
from quantumflow.engine import run
from quantumflow.errors import SpecError

from .conftest import ctask, qtask, wf


def _diamond() -> dict[str, Any]:
    return wf(
        ctask("a"),
        ctask("b", depends_on=["a"]),
        ctask("c", depends_on=["a"]),
        qtask("q", backend="qiskit.ibm:ibm_brisbane", depends_on=["b"], shots=1000),
        ctask("d", depends_on=["c", "q"]),
        policies={"max_concurrency": 2},
    )


def test_estimate_has_totals_makespan_and_critical_path(store: Any) -> None:
    est = estimate_workflow(_diamond(), db=store)
    assert set(est["tasks"]) == {"a", "b", "c", "q", "d"}
    q = est["tasks"]["q"]
    assert q["usd"] > 0 and q["source"] == "price table"
    assert est["total_usd"] == pytest.approx(q["usd"])
    assert est["total_seconds"] == pytest.approx(sum(t["seconds"] for t in est["tasks"].values()))
    assert est["critical_path"] == ["a", "b", "q", "d"]
    path_s = sum(est["tasks"][t]["seconds"] for t in est["critical_path"])
    assert est["makespan_seconds"] == pytest.approx(path_s)
    assert "ibm.com" in est["prices"]["qiskit.ibm:ibm_brisbane"]["source"]
    assert est["within_budget"] is None


def test_one_slot_makespan_is_the_total_work(store: Any) -> None:
    classical = wf(ctask("a"), ctask("b", depends_on=["a"]), ctask("c", depends_on=["a"]))
    est = estimate_workflow(classical, db=store, workers=1)
    assert est["makespan_seconds"] == pytest.approx(est["total_seconds"])


def test_cloud_jobs_hold_a_device_slot_not_a_lane(store: Any) -> None:
    # as the engine plans it: the IBM job waits in the provider's queue while the one
    # lane runs classical task c, so the makespan is below the total work
    est = estimate_workflow(_diamond(), db=store, workers=1)
    assert est["makespan_seconds"] < est["total_seconds"] - 0.5


def test_estimate_is_the_plan_the_run_stores(store: Any) -> None:
    spec = wf(
        qtask("ideal"),
        qtask("noisy", backend="qiskit.fake:fake_manila"),
        ctask("a", depends_on=["ideal"]),
        ctask("b", depends_on=["noisy"]),
        ctask("c", depends_on=["a", "b"]),
        policies={"max_concurrency": 3},
    )
    est = estimate_workflow(spec, db=store)
    r = run(spec, db=store)
    plan = store.get_schedule(r.id)
    assert r.status == "succeeded" and plan is not None
    assert plan["makespan"] == pytest.approx(est["makespan_seconds"], rel=1e-4)
    assert plan["critical_path"] == est["critical_path"]


def test_bad_spec_names_the_task(store: Any) -> None:
    with pytest.raises(SpecError, match="nope"):
        estimate_workflow(wf(ctask("a", depends_on=["nope"])), db=store)


def test_cli_estimate_json(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wf.yaml"
    path.write_text(yaml.safe_dump(_diamond()))
    assert main(["estimate", str(path), "--json", "--db", db_url]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("total_seconds", "total_usd", "makespan_seconds", "critical_path", "tasks"):
        assert key in data
    assert set(data["tasks"]["q"]) >= {"seconds", "usd"}
    assert main(["estimate", str(path), "--db", db_url]) == 0
    text = capsys.readouterr().out
    assert "critical path: a -> b -> q -> d" in text


def test_cli_estimate_over_budget_exits_1(
    tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _diamond()
    spec["policies"]["budget"] = {"usd": 0.5}
    path = tmp_path / "wf.yaml"
    path.write_text(yaml.safe_dump(spec))
    assert main(["estimate", str(path), "--json", "--db", db_url]) == 1
    assert json.loads(capsys.readouterr().out)["within_budget"] is False
