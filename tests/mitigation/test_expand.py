"""A mitigated task is expanded at validation into ordinary sub-circuit tasks (one group)
and a combining step; what cannot be mitigated is refused before anything runs."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.errors import SpecError
from quantumflow.graph.validate import validate
from quantumflow.mitigation import COMBINE_FN
from quantumflow.spec import ClassicalTask, QuantumTask, WorkflowSpec


def spec(**task: Any) -> WorkflowSpec:
    base = {
        "id": "ghz",
        "kind": "quantum",
        "backend": "qiskit.aer",
        "circuit": {"builtin": "ghz", "args": {"n": 2}},
        "observables": ["Z0 Z1", "X0 X1"],
        "noise": {"depolarizing": 0.01},
        "shots": 1000,
        "seed": 5,
        "mitigation": {"zne": {"scale_factors": [1, 2, 3]}, "readout": True},
    }
    down = {"id": "use", "kind": "classical", "fn": "constant",
            "inputs": {"value": {"ref": "ghz.expectations"}}}  # fmt: skip
    return WorkflowSpec.parse({"name": "m", "tasks": [{**base, **task}, down]})


def test_expansion_makes_sub_circuits_one_group_and_a_combining_step() -> None:
    vw = validate(spec())
    ids = vw.ids
    assert ids == [
        "ghz__zne0_b0", "ghz__zne0_b1", "ghz__zne1_b0", "ghz__zne1_b1", "ghz__zne2_b0",
        "ghz__zne2_b1", "ghz__rem0", "ghz__rem1", "ghz", "use",
    ]  # fmt: skip
    subs = [t for t in vw.spec.tasks if t.id.startswith("ghz__")]
    assert all(isinstance(t, QuantumTask) and t.group == "ghz" for t in subs)
    assert all(t.mitigation is None and t.observables is None for t in subs)
    # seeds differ per sub-circuit; the transpiler may not undo the folding
    assert len({t.seed for t in subs}) == len(subs)
    assert all(t.transpile == {"optimization_level": 0} for t in subs)
    combine = vw.spec.task("ghz")
    assert isinstance(combine, ClassicalTask) and combine.fn == COMBINE_FN
    assert combine.group == "ghz"
    # the combining step depends on every sub-circuit; downstream still reads 'ghz'
    assert sorted(vw.ids[i] for i in vw.upstream[vw.index["ghz"]]) == sorted(t.id for t in subs)
    assert vw.upstream[vw.index["use"]] == [vw.index["ghz"]]
    # scale 3 of a 3-op circuit (h, cx + basis change) is three times as long
    folded = vw.spec.task("ghz__zne2_b0")
    assert isinstance(folded, QuantumTask) and folded.circuit.qasm is not None
    assert folded.circuit.qasm.count("cx") == 3


def test_expanding_twice_changes_nothing() -> None:
    once = validate(spec()).spec
    assert validate(once).spec.to_dict() == once.to_dict()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"observables": None}, "observables", "needs observables"),
        ({"sweep": {"t": [0, 1]}}, "sweep", "mitigation of a sweep"),
        ({"shots": None}, "shots", "readout mitigation needs shots"),
        ({"backend": "cirq.qsim", "noise": None}, "mitigation", "unsupported: error mitigation"),
        ({"backend": "pennylane:default.qubit", "noise": None}, "mitigation", "cannot run noisy"),
        ({"mitigation": {"zne": {"scale_factors": [1, 3], "factory": "poly", "order": 2}}},
         "mitigation.zne", "order below"),
        ({"mitigation": {"zne": {"scale_factors": [1, 0.5]}}}, "mitigation.zne", ">= 1"),
        ({"mitigation": {}}, "mitigation", "zne and/or readout"),
        ({"circuit": {"qasm": 'OPENQASM 2.0; include "qelib1.inc"; qreg q[1]; creg c[1]; '
                              "h q[0]; measure q[0] -> c[0]; h q[0];"}, "observables": ["Z0"]},
         "circuit", "measurements are all at the end"),
    ],
)  # fmt: skip
def test_what_cannot_be_mitigated_is_refused_naming_task_and_field(
    change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(SpecError) as info:
        validate(spec(**change))
    problem = info.value.problems[0]
    assert problem.task == "ghz"
    assert problem.field == field
    assert message in problem.message


def test_a_taken_sub_task_id_is_refused() -> None:
    data = spec().to_dict()
    data["tasks"].append({"id": "ghz__rem0", "kind": "classical", "fn": "constant",
                          "inputs": {"value": 1}})  # fmt: skip
    with pytest.raises(SpecError, match="ghz__rem0"):
        validate(WorkflowSpec.parse(data))


def test_reference_runs_noiselessly_on_the_same_sdk() -> None:
    vw = validate(spec(backend="qiskit.fake:fake_manila", noise=None,
                       mitigation={"readout": True, "reference": True}))  # fmt: skip
    exact = vw.spec.task("ghz__exact")
    assert isinstance(exact, QuantumTask)
    assert (exact.backend, exact.shots, exact.noise) == ("qiskit.aer", None, None)
    assert exact.observables == ["Z0 Z1", "X0 X1"]
    assert "ghz__run_b0" in vw.index  # readout alone: one run per basis, no folding
