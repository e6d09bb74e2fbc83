"""The Python DSL builds the same WorkflowSpec as YAML and round-trips .qflow files exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from quantumflow import SpecError
from quantumflow.dsl import Workflow, quantum_task, task


@task
def double(x: int) -> int:
    return 2 * x


@task(retries=2, timeout_s=5.0, cache=True)
def add(a: int, b: int) -> int:
    return a + b


@quantum_task(backend="qiskit.aer", shots=200, seed=7)
def rotated(theta: float) -> object:  # pragma: no cover - body runs only in a backend worker
    raise NotImplementedError


def build() -> Workflow:
    with Workflow("demo", params={"x": 21}, policies={"retries": 1}) as wf:
        a = double(x=wf.param("x"))
        b = double(x=a)
        add(a=a, b=b, id="total")
        q = rotated(theta=0.5)
        wf.quantum(
            "ghz",
            backend="cirq.simulator",
            circuit={"builtin": "ghz", "args": {"n": 3}},
            depends_on=[q],
            shots=64,
        )
    return wf


def test_decorated_function_outside_workflow_is_plain() -> None:
    assert double(x=4) == 8


def test_builder_produces_spec() -> None:
    spec = build().spec
    ids = [t.id for t in spec.tasks]
    assert ids == ["double", "double_2", "total", "rotated", "ghz"]
    assert spec.task("double").inputs == {"x": {"param": "x"}}
    assert spec.task("double_2").inputs == {"x": {"ref": "double"}}
    total = spec.task("total")
    assert total.kind == "classical"
    assert total.fn.endswith("test_dsl:add")
    assert (total.retries, total.timeout_s, total.cache) == (2, 5.0, True)
    rot = spec.task("rotated")
    assert rot.kind == "quantum"
    assert (rot.circuit.callable or "").endswith("test_dsl:rotated")
    assert (rot.shots, rot.seed) == (200, 7)
    assert spec.task("ghz").depends_on == ["rotated"]


@pytest.mark.parametrize("suffix", [".qflow", ".json", ".yaml"])
def test_save_load_round_trip(tmp_path: Path, suffix: str) -> None:
    wf = build()
    path = wf.save(tmp_path / f"demo{suffix}")
    again = Workflow.load(path)
    assert again.spec == wf.spec
    assert again.save(tmp_path / f"again{suffix}").read_text() == path.read_text()


def test_literal_dict_that_looks_like_ref_is_escaped() -> None:
    with Workflow("w") as wf:
        double(x={"ref": "not-a-task"})
    assert wf.spec.tasks[0].inputs == {"x": {"literal": {"ref": "not-a-task"}}}


def test_duplicate_id_is_refused() -> None:
    with Workflow("w"):
        double(x=1, id="a")
        with pytest.raises(SpecError, match="task 'a' is defined twice"):
            double(x=2, id="a")


def test_local_function_is_refused() -> None:
    def local(x: int) -> int:
        return x

    with Workflow("w") as wf, pytest.raises(SpecError, match="module level"):
        wf.add(local, x=1)
