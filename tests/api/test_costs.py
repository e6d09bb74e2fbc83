"""Run costs in GET /api/runs and /api/runs/{id}: the sum of the recorded task costs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from quantumflow.api.costs import run_costs
from quantumflow.engine import open_db
from quantumflow.store import TaskEvent

from .helpers import chain_spec, wait_run


def _priced_run(db_url: str, costs: list[float | None]) -> str:
    """A finished run whose task attempts recorded ``costs`` (None: no cost recorded)."""
    store = open_db(db_url)
    ids = [f"q{i}" for i in range(len(costs))]
    run_id = store.create_run(spec={"name": "priced", "tasks": []}, task_ids=ids)
    store.set_run_status(run_id, "running")
    events = []
    for tid, usd in zip(ids, costs, strict=True):
        metrics = {"backend": "qiskit.ibm", "wall_s": 1.0}
        if usd is not None:
            metrics["cost_usd"] = usd
        events.append(TaskEvent(run_id, tid, "running"))
        events.append(TaskEvent(run_id, tid, "succeeded", metrics=metrics))
    store.record(events)
    store.set_run_status(run_id, "succeeded")
    return str(run_id)


def test_cost_is_the_sum_of_task_costs_or_null(client: TestClient, db_url: str) -> None:
    priced = _priced_run(db_url, [0.25, None, 1.5])
    unpriced = _priced_run(db_url, [None, None])
    free = client.post("/api/workflows/run", json={"spec": chain_spec(n=2)}).json()["run_id"]
    wait_run(client, free)

    items = {r["id"]: r for r in client.get("/api/runs").json()["items"]}
    assert items[priced]["cost_usd"] == 1.75
    assert items[unpriced]["cost_usd"] is None
    assert items[free]["cost_usd"] is None  # local classical tasks record no cost
    assert client.get(f"/api/runs/{priced}").json()["cost_usd"] == 1.75
    assert client.get(f"/api/runs/{free}").json()["cost_usd"] is None


def test_run_costs_in_chunks(db_url: str) -> None:
    store = open_db(db_url)
    priced = _priced_run(db_url, [0.5])
    many = [f"missing-{i}" for i in range(1200)] + [priced, priced]
    assert run_costs(store, many) == {priced: 0.5}
    assert run_costs(store, []) == {}
