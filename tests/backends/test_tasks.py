"""check_quantum_task, execute_quantum_task, quantum_cache_key: the engine-facing contract."""

from __future__ import annotations

import json
import sys
import time

import pytest

from quantumflow.backends import check_quantum_task, execute_quantum_task, quantum_cache_key
from quantumflow.backends.registry import get_backend
from quantumflow.errors import BackendError, ResourceLimitError
from quantumflow.spec import QuantumTask

BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n'  # noqa: E501


def task(**kw: object) -> QuantumTask:
    base: dict = {
        "id": "t",
        "backend": "qiskit.aer",
        "circuit": {"qasm": BELL},
        "shots": 100,
        "seed": 1,
    }
    base.update(kw)
    return QuantumTask(**base)


def test_good_task_has_no_problems() -> None:
    assert check_quantum_task(task()) == []


def test_forty_qubit_statevector_refused_fast_without_allocating() -> None:
    big = task(circuit={"builtin": "ghz", "args": {"n": 40}})
    start = time.perf_counter()
    problems = check_quantum_task(big)
    assert time.perf_counter() - start < 1.0
    assert len(problems) == 1
    assert problems[0].task == "t" and problems[0].field == "circuit"
    assert "40 qubits" in problems[0].message and "bytes" in problems[0].message
    with pytest.raises(ResourceLimitError, match="40 qubits"):
        execute_quantum_task(big, inputs={})


def test_configured_memory_limit_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANTUMFLOW_MAX_MEMORY_GB", "0.001")  # ~1 MiB: 16 qubits need 2 MiB
    problems = check_quantum_task(task(circuit={"builtin": "ghz", "args": {"n": 16}}))
    assert problems and "16 qubits" in problems[0].message


def test_problems_name_backend_and_qasm_line() -> None:
    problems = check_quantum_task(
        task(backend="qiskit.nope", circuit={"qasm": "qreg q[1];\nh q[3];"})
    )
    by_field = {p.field: p.message for p in problems}
    assert "unknown backend 'qiskit.nope'" in by_field["backend"]
    assert "line 2" in by_field["circuit.qasm"]


def test_too_many_qubits_for_the_device() -> None:
    problems = check_quantum_task(
        task(backend="qiskit.fake:fake_manila", circuit={"builtin": "ghz", "args": {"n": 7}})
    )
    assert any("5" in p.message and p.field == "circuit" for p in problems)


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if qiskit-ibm-runtime were not installed (a None entry makes find_spec answer None).
    monkeypatch.setitem(sys.modules, "qiskit_ibm_runtime", None)
    name = "qiskit.fake:fake_not_loaded_yet"
    problems = check_quantum_task(task(backend=name))
    assert problems[0].message == f"backend '{name}' needs `pip install quantumflow[qiskit]`"
    with pytest.raises(BackendError, match=r"pip install quantumflow\[qiskit\]"):
        get_backend(name)


def test_bad_sweep_and_observable_reported() -> None:
    problems = check_quantum_task(task(sweep={"x": "nope"}, observables=["Z9"]))
    assert {p.field for p in problems} == {"sweep", "observables"}


def test_inputs_bind_circuit_parameters_by_name() -> None:
    qasm = "OPENQASM 3.0;\ninput float theta;\nqubit[1] q;\nbit[1] c;\nrx(theta) q[0];\nc[0] = measure q[0];\n"  # noqa: E501
    out = execute_quantum_task(task(circuit={"qasm": qasm}), inputs={"theta": 3.141592653589793})
    assert out["counts"] == {"1": 100}
    with pytest.raises(BackendError, match="theta"):
        execute_quantum_task(task(circuit={"qasm": qasm}), inputs={})


def test_list_input_binds_indexed_parameters() -> None:
    t = task(
        circuit={"builtin": "hardware_efficient", "args": {"n": 2, "layers": 0}},
        backend="cirq.simulator",
    )
    angles = [3.141592653589793, 0.0, 0.0, 0.0]  # ry(pi) on qubit 0 only
    out = execute_quantum_task(t, inputs={"theta": angles})
    assert out["counts"] == {"01": 100}


def test_result_is_json_and_has_metadata() -> None:
    out = execute_quantum_task(task(observables=["Z0 Z1"]), inputs={})
    json.dumps(out)
    meta = out["metadata"]
    assert meta["backend"] == "qiskit.aer" and meta["seed"] == 1 and meta["qubits"] == 2
    assert set(meta["timings"]) >= {"transpile", "queue", "execute", "total"}
    assert meta["gates"] == {"h": 1, "cx": 1, "measure": 2}
    assert meta["transpiled"]["depth"] >= 2
    assert "qiskit" in meta["sdk_versions"]
    assert out["expectations"]["Z0 Z1"] == pytest.approx(1.0)


def test_exact_probabilities_when_shots_is_null() -> None:
    for name in ("qiskit.aer", "cirq.simulator", "pennylane:default.qubit"):
        out = execute_quantum_task(task(backend=name, shots=None), inputs={})
        assert out["probabilities"] == {"00": pytest.approx(0.5), "11": pytest.approx(0.5)}


def test_cache_key_ignores_spelling_but_not_meaning() -> None:
    k = quantum_cache_key(task(), inputs={})
    respelled = (
        "qreg r[2]; creg m[2];\r\n// the same Bell pair\r\nh r[0]; cx r[0], r[1]; measure r -> m;"
    )
    assert quantum_cache_key(task(circuit={"qasm": respelled}), inputs={}) == k
    assert quantum_cache_key(task(), inputs={"unused": 1}) == k
    assert quantum_cache_key(task(seed=2), inputs={}) != k
    assert quantum_cache_key(task(shots=101), inputs={}) != k
    assert quantum_cache_key(task(backend="cirq.qsim"), inputs={}) != k
    assert quantum_cache_key(task(noise={"depolarizing": 0.01}), inputs={}) != k
    assert quantum_cache_key(task(transpile={"optimization_level": 3}), inputs={}) != k


def test_cache_key_changes_with_bound_input() -> None:
    qasm = "OPENQASM 3.0;\ninput float theta;\nqubit[1] q;\nrx(theta) q[0];\n"
    t = task(circuit={"qasm": qasm})
    assert quantum_cache_key(t, inputs={"theta": 0.1}) != quantum_cache_key(
        t, inputs={"theta": 0.2}
    )
    assert quantum_cache_key(t, inputs={"theta": 0.1}) == quantum_cache_key(
        t, inputs={}, params={"theta": 0.1}
    )


def test_noise_model_changes_counts() -> None:
    out = execute_quantum_task(
        task(noise={"depolarizing": 0.2, "readout": 0.1}, shots=500), inputs={}
    )
    assert set(out["counts"]) - {"00", "11"}
