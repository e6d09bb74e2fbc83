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


def test_view_endpoints_of_a_real_run(client: TestClient) -> None:
    spec = {
        "name": "views",
        "policies": {"budget": {"usd": 2.5}},
        "tasks": [
            {"id": f"p_{i}", "kind": "classical", "fn": "tests.api.taskfns:add",
             "inputs": {"a": i, "b": 1}}
            for i in range(5)
        ],
    }  # fmt: skip
    accepted = client.post("/api/workflows/run", json={"spec": spec}).json()
    run = wait_run(client, accepted["run_id"], timeout=60)
    base = f"/api/runs/{run['id']}"
    states = client.get(f"{base}/states").json()
    assert states["name"] == "views" and states["status"] == "succeeded"
    assert states["codes"] == "4" * 5 and states["statuses"][4] == "succeeded"
    graph = client.get(f"{base}/graph").json()
    assert graph["ids"] == [f"p_{i}" for i in range(5)]
    assert [g["name"] for g in graph["groups"]] == ["p"]  # the one grouping rule
    progress = client.get(f"{base}/progress").json()
    assert progress["done"] == 5 and progress["groups"][0]["group"] == "p"
    assert client.get(f"{base}/cost").json()["budget_usd"] == 2.5
    assert sum(client.get(f"{base}/durations").json()["counts"]) == 5
    for what in ("states", "progress", "durations", "throughput", "lanes", "cost",
                 "slowest", "failures", "results", "graph"):  # fmt: skip
        assert client.get(f"/api/runs/nope/{what}").status_code == 404, what


def test_a_mitigated_output_gives_raw_vs_mitigated() -> None:
    from quantumflow.api.results import Results

    results = Results()
    provenance = {
        "technique": "zne+readout",
        "observables": {
            "ZZ": {
                "points": [{"scale": 1, "raw": 0.8, "raw_std": 0.02},
                           {"scale": 3, "raw": 0.6, "raw_std": 0.03}],
                "mitigated": 0.97, "mitigated_std": 0.05, "exact": 1.0,
            },
            "bad": "not a record",
        },
    }  # fmt: skip
    results.add_output(
        "ghz", {"expectations": {"ZZ": 0.97}, "unmitigated": {"ZZ": 0.8}, "mitigation": provenance}
    )
    body = results.to_json()
    assert body["mitigated"] == [
        {
            "task": "ghz",
            "technique": "zne+readout",
            "observables": {
                "ZZ": {"points": [[1.0, 0.8, 0.02], [3.0, 0.6, 0.03]], "mitigated": 0.97,
                       "mitigated_std": 0.05, "exact": 1.0}
            },
        }
    ]  # fmt: skip
    # the mitigated value is a row; the unmitigated dict is not mistaken for results
    assert body["scalars"] == [{"task": "ghz", "key": "⟨ZZ⟩", "value": 0.97}]
