"""Mitigated runs end to end on every noisy backend family: seeded, the mitigated error is
at most half the unmitigated one, and the provenance is stored and served by the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from quantumflow.engine import run

EXACT = 1.0  # <Z0 Z1>, <Z1 Z2> and <X0 X1 X2> of a 3-qubit GHZ state


def ghz_spec(backend: str, *, shots: int, noise: dict[str, float] | None) -> dict[str, Any]:
    task: dict[str, Any] = {
        "id": "ghz",
        "kind": "quantum",
        "backend": backend,
        "circuit": {"builtin": "ghz", "args": {"n": 3}},
        "shots": shots,
        "seed": 11,
        "observables": ["Z0 Z1", "X0 X1 X2"],
        "mitigation": {
            "zne": {"scale_factors": [1, 3, 5], "factory": "richardson"},
            "readout": True,
            "reference": True,
        },
    }
    if noise:
        task["noise"] = noise
    return {"name": f"mitigated-{backend}", "tasks": [task]}


NOISE = {"depolarizing": 0.01, "depolarizing_2q": 0.03, "readout": 0.04}


def _errors(output: dict[str, Any]) -> list[tuple[float, float]]:
    per = output["mitigation"]["observables"]
    return [(abs(per[o]["unmitigated"] - EXACT), abs(output["expectations"][o] - EXACT))
            for o in per]  # fmt: skip


@pytest.mark.slow
def test_zne_and_readout_mitigation_halve_the_error_on_noisy_aer(db_url: str) -> None:
    result = run(ghz_spec("qiskit.aer", shots=20_000, noise=NOISE), db=db_url)
    assert result.status == "succeeded"
    out = result.outputs["ghz"]
    for raw, mitigated in _errors(out):
        assert raw > 0.1  # the noise is real
        assert mitigated <= raw / 2
    prov = out["mitigation"]
    assert prov["technique"] == "zne+readout"
    assert prov["noise"] == {"source": "task noise", "model": NOISE}
    assert prov["zne"]["scale_factors"] == [1.0, 3.0, 5.0]
    zz = prov["observables"]["Z0 Z1"]
    assert [p["scale"] for p in zz["points"]] == [1.0, 3.0, 5.0]
    # more folding, more noise: the raw value falls with the scale
    raws = [p["raw"] for p in zz["points"]]
    assert raws[0] > raws[1] > raws[2]
    assert zz["exact"] == pytest.approx(EXACT)
    assert 0 < out["uncertainty"]["Z0 Z1"] < 0.1
    flips = [q["p0to1"] for q in prov["readout"]["qubits"]]
    assert all(0.02 < f < 0.07 for f in flips)  # the calibration sees the 4 % readout error
    # the same seeds give the same numbers
    again = run(ghz_spec("qiskit.aer", shots=20_000, noise=NOISE), db=db_url)
    assert again.outputs["ghz"]["expectations"] == out["expectations"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("backend", "noise"),
    [("qiskit.fake:fake_manila", None), ("cirq.simulator", NOISE),
     ("pennylane:default.mixed", NOISE)],
)  # fmt: skip
def test_mitigation_works_on_each_noisy_family(
    backend: str, noise: dict[str, float] | None, db_url: str
) -> None:
    result = run(ghz_spec(backend, shots=8000, noise=noise), db=db_url)
    assert result.status == "succeeded", result
    raw_total = sum(raw for raw, _ in _errors(result.outputs["ghz"]))
    mitigated_total = sum(m for _, m in _errors(result.outputs["ghz"]))
    assert mitigated_total <= raw_total / 2


@pytest.mark.slow
def test_provenance_is_served_by_the_api(db_url: str) -> None:
    from quantumflow.api import create_app

    result = run(ghz_spec("qiskit.fake:fake_manila", shots=4000, noise=None), db=db_url)
    with TestClient(create_app(store_url=db_url)) as client:
        body = client.get(f"/api/runs/{result.id}").json()
    prov = body["mitigation"]["ghz"]
    assert prov["technique"] == "zne+readout"
    assert prov["noise"]["source"] == "device calibration"
    assert prov["noise"]["device"] == "fake_manila"
    assert len(prov["noise"]["qubits"]) == 5
    assert prov["noise"]["qubits"][0]["readout_error"] > 0
    assert set(prov["expectations"]) == {"Z0 Z1", "X0 X1 X2"}
    assert prov["observables"]["Z0 Z1"]["points"][0]["scale"] == 1.0
    # the sub-circuits are ordinary tasks of the run, shown as one group
    ids = [t["task_id"] for t in body["tasks"]]
    assert "ghz__zne2_b1" in ids and "ghz__rem1" in ids and "ghz__exact" in ids
    groups = {t["id"]: t.get("group") for t in body["spec"]["tasks"]}
    assert {g for i, g in groups.items() if i.startswith("ghz")} == {"ghz"}
