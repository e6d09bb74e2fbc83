"""Quantum tasks through the engine: checked before running, executed on a real simulator,
served from the results cache the second time."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow.engine import run, validate
from quantumflow.errors import SpecError
from quantumflow.spec.loader import load_spec


def bell(**extra: Any) -> dict[str, Any]:
    return {
        "id": "bell",
        "kind": "quantum",
        "backend": "cirq.simulator",
        "circuit": {"builtin": "ghz", "args": {"n": 2}},
        "shots": 500,
        "seed": 7,
        **extra,
    }


def test_quantum_then_classical_and_cache(store: Any) -> None:
    spec = {
        "name": "bell",
        "tasks": [
            bell(),
            {
                "id": "zz",
                "kind": "classical",
                "fn": "parity",
                "inputs": {"counts": {"ref": "bell.counts"}},
            },
        ],
    }
    first = run(spec, db=store)
    assert first.status == "succeeded", first.tasks
    counts = first.outputs["bell"]["counts"]
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 500
    assert first.outputs["zz"] == pytest.approx(1.0)
    second = run(spec, db=store)
    assert second.tasks["bell"].status == "cached" and second.tasks["bell"].cache_hit
    assert second.outputs["bell"]["counts"] == counts


def test_quantum_problems_are_found_before_running(store: Any) -> None:
    spec = load_spec({"name": "bad", "tasks": [bell(backend="no.such.backend")]})
    with pytest.raises(SpecError) as info:
        validate(spec)
    assert any(p.task == "bell" for p in info.value.problems)
    with pytest.raises(SpecError):
        run(spec, db=store)
    assert store.list_runs() == []
