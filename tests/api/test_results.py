"""GET /api/runs/{id}/results: what the views draw of a run's outputs, from a real run."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .helpers import wait_run


@pytest.mark.slow
def test_results_of_a_real_run(client: TestClient) -> None:
    spec = {
        "name": "results",
        "tasks": [
            {"id": "parity", "kind": "classical", "fn": "tests.api.taskfns:add",
             "inputs": {"a": 0.5, "b": 0.5}},
            {"id": "bell", "kind": "quantum", "backend": "cirq.simulator",
             "circuit": {"builtin": "ghz", "args": {"n": 2}}, "shots": 400, "seed": 3},
            {"id": "fit", "kind": "classical", "fn": "tests.api.viewfns:train",
             "inputs": {"epochs": 5}},
        ],
    }  # fmt: skip
    accepted = client.post("/api/workflows/run", json={"spec": spec}).json()
    run = wait_run(client, accepted["run_id"], timeout=120)
    assert run["status"] == "succeeded", run
    body = client.get(f"/api/runs/{run['id']}/results").json()

    rows = {(r["task"], r["key"]): r["value"] for r in body["scalars"]}
    assert rows[("parity", None)] == 1.0  # a number is a table row, not a dot on a chart
    assert rows[("fit", "loss")] == 0.5**5
    [hist] = body["histograms"]
    counts = client.get(f"/api/runs/{run['id']}/tasks/bell/output").json()["output"]["counts"]
    assert hist["task"] == "bell" and hist["total"] == 400 == sum(counts.values())
    values = [c for _, c in hist["bars"]]
    assert values == sorted(values, reverse=True)  # most frequent first
    assert dict((k, v) for k, v in hist["bars"]) == counts and hist["other"] == 0
    [loss] = [s for s in body["series"] if s["name"] == "fit loss"]
    assert loss["x"] == "epoch"
    assert loss["points"] == [[float(e), 0.5 ** (e + 1)] for e in range(5)]


def test_results_of_an_unknown_run(client: TestClient) -> None:
    assert client.get("/api/runs/nope/results").status_code == 404
