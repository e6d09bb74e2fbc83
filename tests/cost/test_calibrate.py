"""Calibration on this machine, and the must-show: after a few runs, simulator estimates
within a factor of two of the measured time for GHZ/random circuits of 10-22 qubits."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from quantumflow.cli import main
from quantumflow.cost import calibrate, estimate_workflow
from quantumflow.cost.model import TimeModel
from quantumflow.engine import run

from .conftest import qtask, wf

#: Scheduling noise on a busy 2-core machine: tasks of a few ms get this much slack.
SLACK_S = 0.02

CIRCUITS = {
    "ghz10": ("ghz", {"n": 10}),
    "ghz16": ("ghz", {"n": 16}),
    "ghz22": ("ghz", {"n": 22}),
    "rnd10": ("random", {"n": 10, "depth": 8, "seed": 1}),
    "rnd14": ("random", {"n": 14, "depth": 6, "seed": 2}),
    "rnd18": ("random", {"n": 18, "depth": 4, "seed": 3}),
    "rnd22": ("random", {"n": 22, "depth": 2, "seed": 4}),
}


def _spec() -> dict[str, Any]:
    tasks = [qtask(tid, builtin=b, args=a, seed=5) for tid, (b, a) in CIRCUITS.items()]
    # one slot: tasks do not compete with each other for the two cores; not batched: a
    # batch's members all finish when the batch does, and each task's own time is measured
    return wf(*tasks, policies={"max_concurrency": 1, "batching": False})


@pytest.mark.slow
def test_estimates_within_factor_two_after_a_few_runs(store: Any) -> None:
    report = calibrate(store, backends=["qiskit.aer"], seconds=8.0, quick=True)
    assert report["qiskit.aer"]["samples"] >= 4
    model = TimeModel.from_dict(store.latest_calibration("qiskit.aer"))
    assert model is not None and any(v > 0 for v in model.coeffs.values())
    spec = _spec()
    for _ in range(2):  # history: the first run pays transpilation, later ones hit caches
        assert run(spec, db=store).status == "succeeded"
    ratios: dict[str, list[float]] = {tid: [] for tid in CIRCUITS}
    for _ in range(2):
        est = estimate_workflow(spec, db=store)
        r = run(spec, db=store)
        for tid in CIRCUITS:
            predicted = est["tasks"][tid]["seconds"]
            measured = r.tasks[tid].duration
            assert est["tasks"][tid]["source"] == "history"
            assert measured is not None
            # slack only matters for the few-ms tasks
            lo, hi = predicted / 2 - SLACK_S, predicted * 2 + SLACK_S
            ratios[tid].append(1.0 if lo <= measured <= hi else measured / predicted)
    for tid, rs in ratios.items():
        geo = math.exp(sum(math.log(x) for x in rs) / len(rs))
        assert 0.5 <= geo <= 2.0, f"{tid}: measured/estimated {rs}"


@pytest.mark.slow
def test_cli_calibrate_stores_a_model(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", "--backend", "cirq.simulator", "--seconds", "3", "--db", db_url]) == 0
    assert "cirq.simulator:" in capsys.readouterr().out


def test_calibrate_unknown_backend_says_so(db_url: str, tmp_path: Path) -> None:
    from quantumflow.errors import QuantumFlowError

    with pytest.raises(QuantumFlowError, match=r"nothing was calibrated.*nope"):
        calibrate(db_url, backends=["nope.sim"], seconds=1)
