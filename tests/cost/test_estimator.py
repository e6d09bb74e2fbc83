"""Per-task estimates: defaults, classical history by fn, calibrated simulators, prices."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.cost import Estimator, estimate_costs, estimate_task_seconds
from quantumflow.cost.estimator import DEFAULT_CLASSICAL_S
from quantumflow.cost.features import task_features
from quantumflow.cost.model import TERMS, TimeModel
from quantumflow.engine import run
from quantumflow.spec import ClassicalTask, QuantumTask, WorkflowSpec

from .conftest import FNS, ctask, qtask, wf


def test_classical_without_history_gets_the_default(store: Any) -> None:
    t = ClassicalTask(id="a", fn=f"{FNS}:nap")
    est = Estimator(store).task(t)
    assert (est.seconds, est.usd, est.source) == (DEFAULT_CLASSICAL_S, 0.0, "default")


def test_classical_history_of_the_same_fn(store: Any) -> None:
    run(wf(ctask("a", inputs={"s": 0.2}), ctask("b", "add", inputs={"a": 1, "b": 2})), db=store)
    same_id = Estimator(store).task(ClassicalTask(id="a", fn=f"{FNS}:nap"))
    assert same_id.source == "history" and 0.2 <= same_id.seconds < 1.0
    other_id = Estimator(store).task(ClassicalTask(id="zzz", fn=f"{FNS}:add"))
    assert other_id.source == "history" and other_id.seconds < 0.2
    # the plan step's batch call sees the same history
    costs = estimate_costs([ClassicalTask(id="a", fn=f"{FNS}:nap")], store=store)
    assert costs == [pytest.approx(same_id.seconds)]


def test_calibrated_model_is_used_for_a_simulator(store: Any) -> None:
    task = QuantumTask(**qtask("q", args={"n": 4}))
    coeffs = dict.fromkeys(TERMS, 0.0)
    coeffs["overhead"] = 7.0
    store.save_calibration("qiskit.aer", TimeModel("qiskit.aer", coeffs).to_dict())
    est = Estimator(store).task(task)
    assert est.seconds == pytest.approx(7.0)
    assert (est.source, est.usd) == ("calibration", 0.0)
    assert estimate_task_seconds(task, store=store) == pytest.approx(7.0)
    # no calibration: the rough default model
    other = QuantumTask(**qtask("q", backend="cirq.simulator", args={"n": 4}))
    assert Estimator(store).task(other).source == "default"


def test_history_rescales_the_model(store: Any) -> None:
    coeffs = dict.fromkeys(TERMS, 0.0)
    coeffs["overhead"] = 50.0  # absurdly slow: history must correct it
    store.save_calibration("qiskit.aer", TimeModel("qiskit.aer", coeffs).to_dict())
    spec = wf(qtask("q", args={"n": 5}))
    run(spec, db=store)
    est = Estimator(store).task(WorkflowSpec.parse(spec).tasks[0])
    measured = store.task_metrics(task_id="q")[-1]["wall_s"]
    assert est.source == "history"
    assert est.seconds == pytest.approx(measured)


def test_cloud_backend_is_priced(store: Any) -> None:
    task = QuantumTask(**qtask("q", backend="qiskit.ibm:ibm_brisbane", shots=4000))
    est = Estimator(store).task(task)
    assert est.source == "price table"
    assert est.usd == pytest.approx(1.60 * est.seconds, rel=1e-6)
    assert est.usd > 1.0
    assert task_features(task).shots == 4000


def test_unloadable_circuit_gets_the_default_in_batch(store: Any) -> None:
    bad = QuantumTask.parse(
        {"id": "q", "backend": "qiskit.aer", "circuit": {"qasm": "OPENQASM 2.0; nonsense"}}
    )
    assert estimate_costs([bad], store=store) == [DEFAULT_CLASSICAL_S]
