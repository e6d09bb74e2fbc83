"""Registry: entry-point plugins (as a third party installs them), listing, lazy SDKs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quantumflow.backends import get_backend, list_backends
from quantumflow.backends.registry import _instances
from quantumflow.errors import BackendError

PLUGIN = """
from quantumflow.backends.base import BatchResult, Capabilities, PointResult
from quantumflow.backends.local import LocalSimulator

class AllZeros(LocalSimulator):
    sdk = "toy"
    def __init__(self, arg=None):
        self.name = "toy" if arg is None else f"toy:{arg}"
    def capabilities(self):
        return Capabilities(max_qubits=3, expectations=False)
    def run(self, job):
        width = job.circuit.num_clbits
        return BatchResult([PointResult(counts={"0" * width: job.shots}) for _ in job.points])
"""


@pytest.fixture
def plugin_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "toy_backend.py").write_text(PLUGIN)
    dist = tmp_path / "toy_backend-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-backend\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[quantumflow.backends]\ntoy = toy_backend:AllZeros\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    _instances.pop("toy", None)


def test_third_party_entry_point_is_found_and_runs(plugin_on_path: None) -> None:
    from quantumflow.backends import execute_quantum_task
    from quantumflow.spec import QuantumTask

    backend = get_backend("toy")
    assert backend.capabilities().max_qubits == 3
    out = execute_quantum_task(
        QuantumTask(id="t", backend="toy", circuit={"builtin": "ghz", "args": {"n": 2}}, shots=5),
        inputs={},
    )
    assert out["counts"] == {"00": 5}
    assert any(row.name == "toy" and row.usable for row in list_backends())


def test_list_backends_rows() -> None:
    rows = {r.name: r for r in list_backends()}
    assert rows["qiskit.aer"].installed and rows["qiskit.aer"].sdk == "qiskit"
    assert rows["cirq.qsim"].capabilities["classical_conditions"] is False
    assert "pennylane:default.qubit" in rows


def test_unknown_names() -> None:
    with pytest.raises(BackendError, match="unknown backend 'nosuch'"):
        get_backend("nosuch")
    with pytest.raises(BackendError, match="unknown fake backend 'fake_nowhere'"):
        get_backend("qiskit.fake:fake_nowhere")
    with pytest.raises(BackendError, match="unknown or unusable PennyLane device"):
        get_backend("pennylane:no.such.device").device(1, None)


def test_importing_backends_imports_no_sdk() -> None:
    code = (
        "import sys, quantumflow.backends, quantumflow.circuits;"
        "from quantumflow.backends import list_backends; list_backends.__name__;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('qiskit','cirq','pennylane','qsimcirq','qiskit_aer')];"  # noqa: E501
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_plugin_that_declares_its_sdk_runs_in_warm_worker_processes(
    plugin_on_path: None, tmp_path: Path
) -> None:
    import os

    from quantumflow import engine
    from quantumflow.graph.routes import route
    from quantumflow.spec import QuantumTask

    task = {"id": "t", "kind": "quantum", "backend": "toy", "shots": 5}
    task["circuit"] = {"builtin": "ghz", "args": {"n": 2}}
    assert route(QuantumTask.parse(task), workers_per_sdk=1).sdk == "toy"  # its own SDK
    db = str(tmp_path / "plugin.db")
    run = engine.run({"name": "plugin", "tasks": [task]}, db=db)
    assert run.status == "succeeded" and run.outputs["t"]["counts"] == {"00": 5}
    (row,) = engine.open_db(db).task_metrics(run_id=run.id)
    assert not str(row["worker"]).endswith(f":{os.getpid()}")  # not the engine's process
