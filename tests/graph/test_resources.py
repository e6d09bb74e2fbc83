"""Backend and user slots become Dispatcher resource limits (engine/resources.py)."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.engine import run, validate
from quantumflow.errors import SpecError
from quantumflow.graph.resources import make_slots
from quantumflow.graph.routes import plan_routes
from quantumflow.spec.loader import load_spec
from tests.engine.conftest import ctask, wf


def most_at_once(result: Any, ids: list[str]) -> int:
    """The largest number of the tasks whose [started, finished] intervals overlap."""
    edges: list[tuple[float, int]] = []
    for tid in ids:
        t = result.tasks[tid]
        assert t.started_at is not None and t.finished_at is not None
        edges += [(t.started_at, 1), (t.finished_at, -1)]
    level = peak = 0
    for _, step in sorted(edges, key=lambda e: (e[0], e[1])):  # finish before start at ties
        level += step
        peak = max(peak, level)
    return peak


def test_a_slot_limit_holds_whatever_max_concurrency_says(store: Any) -> None:
    ids = [f"q{i}" for i in range(6)]
    tasks = [ctask(t, "sleep", inputs={"s": 0.3}, resources={"qpu_x": 1}) for t in ids]
    tasks.append(ctask("free", "sleep", inputs={"s": 0.3}))  # no resource: not held back
    spec = wf(*tasks, policies={"max_concurrency": 6, "resources": {"qpu_x": 2}})
    result = run(spec, db=store, workers=6)
    assert result.status == "succeeded", result.tasks
    assert most_at_once(result, ids) == 2
    assert most_at_once(result, [*ids, "free"]) == 3  # the free task ran beside two of them
    schedule = store.get_schedule(result.id)
    assert schedule["resources"] == {"qpu_x": 2}


def test_without_a_limit_the_same_tasks_overlap(store: Any) -> None:
    ids = [f"q{i}" for i in range(6)]
    tasks = [ctask(t, "sleep", inputs={"s": 0.3}, resources={"qpu_x": 1}) for t in ids]
    result = run(wf(*tasks, policies={"max_concurrency": 6}), db=store, workers=6)
    assert result.status == "succeeded"
    assert most_at_once(result, ids) > 2


def test_local_simulators_hold_one_slot_per_sdk_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANTUMFLOW_QUANTUM_WORKERS", "3")
    spec = load_spec(
        wf(
            {"id": "a", "kind": "quantum", "backend": "qiskit.aer",
             "circuit": {"builtin": "ghz", "args": {"n": 2}}},
            {"id": "b", "kind": "quantum", "backend": "cirq.simulator",
             "circuit": {"builtin": "ghz", "args": {"n": 2}}},
            {"id": "c", "kind": "quantum", "backend": "qiskit.ibm:ibm_brisbane",
             "circuit": {"builtin": "ghz", "args": {"n": 2}}},
            {"id": "d", "kind": "quantum", "backend": "qiskit.aer",
             "circuit": {"builtin": "ghz", "args": {"n": 2}}, "resources": {"mine": 1}},
            ctask("e"),
            policies={"resources": {"mine": 1, "qiskit.ibm:ibm_brisbane": 5}},
        )
    )  # fmt: skip
    slots = make_slots(spec, plan_routes(spec.tasks), lanes=4)
    assert slots is not None
    held = [slots.names[r] for r in slots.resource]
    assert held == ["sdk:qiskit", "sdk:cirq", "qiskit.ibm:ibm_brisbane", "mine", ""]
    caps = dict(zip(slots.names, slots.capacities, strict=True))
    assert caps == {"": 4, "sdk:qiskit": 3, "sdk:cirq": 3, "qiskit.ibm:ibm_brisbane": 5, "mine": 1}


def test_in_process_simulators_have_no_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUANTUMFLOW_QUANTUM_WORKERS", "0")
    spec = load_spec(
        wf({"id": "a", "kind": "quantum", "backend": "qiskit.aer",
            "circuit": {"builtin": "ghz", "args": {"n": 2}}})
    )  # fmt: skip
    assert make_slots(spec, plan_routes(spec.tasks), lanes=2) is None


def test_two_limited_resources_or_two_slots_are_refused() -> None:
    spec = load_spec(
        wf(
            ctask("a", resources={"x": 1, "y": 1}),
            ctask("b", resources={"x": 2}),
            policies={"resources": {"x": 1, "y": 1}},
        )
    )
    with pytest.raises(SpecError) as info:
        validate(spec)
    where = {(p.task, p.field) for p in info.value.problems}
    assert where == {("a", "resources"), ("b", "resources.x")}


def test_a_zero_slot_count_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="resources"):
        load_spec(wf(ctask("a"), policies={"resources": {"x": 0}}))
