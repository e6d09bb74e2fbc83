"""Run parameters the workflow has no use for are refused before anything runs."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow import load_spec
from quantumflow.engine import open_db, run, validate
from quantumflow.errors import SpecError

F = "tests.engine.fns"


def _spec(**extra: Any) -> Any:
    return load_spec(
        {
            "name": "p",
            "params": {"n": 1},
            "tasks": [
                {"id": "a", "kind": "classical", "fn": f"{F}:inc", "inputs": {"x": {"param": "n"}}},
                {"id": "b", "kind": "classical", "fn": f"{F}:inc", "inputs": {"x": {"param": "m"}}},
            ],
            **extra,
        }
    )


def test_declared_or_read_params_are_accepted() -> None:
    validate(_spec(), params={"n": 2, "m": 3})


def test_unknown_run_param_names_the_param(db_url: str) -> None:
    with pytest.raises(SpecError) as info:
        validate(_spec(), params={"m": 1, "nn": 2})
    (problem,) = info.value.problems
    assert (problem.task, problem.field) == (None, "params.nn")
    assert "unknown run param 'nn'" in problem.message and "m, n" in problem.message
    with pytest.raises(SpecError, match="unknown run param 'nn'"):
        run(_spec(), db=db_url, params={"m": 1, "nn": 2})
    assert open_db(db_url).list_runs() == []  # refused before the run row is written


QASM = (
    'OPENQASM 3.0; include "stdgates.inc"; input float theta; input float phi_0; '
    "qubit q; rz(theta) q; rz(phi_0) q;"
)


def test_circuit_parameters_bind_run_params() -> None:
    spec = load_spec(
        {
            "name": "q",
            "tasks": [
                {
                    "id": "q",
                    "kind": "quantum",
                    "backend": "qiskit.aer",
                    "circuit": {"qasm": QASM},
                    "shots": 10,
                }
            ],
        }
    )
    validate(spec, params={"theta": 0.1, "phi": [0.2]}, check_imports=False)
    validate(spec, params={"params": {"theta": 0.1}}, check_imports=False)
    with pytest.raises(SpecError, match="unknown run param 'thta'"):
        validate(spec, params={"thta": 0.1}, check_imports=False)
