"""Function signatures: read without calling, and held against a task's inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from quantumflow import load_spec
from quantumflow.engine import validate
from quantumflow.errors import SpecError
from quantumflow.executors.signatures import describe, signature_of

F = "tests.engine.fns"


def _task_spec(fn: str, inputs: dict[str, object]) -> object:
    return load_spec(
        {"name": "t", "tasks": [{"id": "t", "kind": "classical", "fn": fn, "inputs": inputs}]}
    )


def test_library_function_signature() -> None:
    sig = signature_of("parity")
    assert sig is not None
    (counts,) = sig.params
    assert (counts.name, counts.required, counts.annotation) == (
        "counts",
        True,
        "Mapping[str, int]",
    )
    assert sig.returns == "float" and sig.doc.startswith("Expectation of the parity")
    assert sig.required == {"counts"} and not sig.var_keyword


def test_defaults_keyword_only_and_kwargs() -> None:
    sig = signature_of("minimize")
    assert sig is not None
    by_name = {p.name: p for p in sig.params}
    assert sig.required == {"objective", "x0"}
    assert by_name["method"].default == "'COBYLA'"
    assert by_name["learning_rate"].kind == "keyword_only"
    total = signature_of(f"{F}:total")
    assert total is not None and total.var_keyword and total.required == frozenset()


def test_signature_is_read_without_calling(tmp_path: Path) -> None:
    sig = signature_of(f"{F}:explode")
    assert sig is not None and sig.required == {"path"}
    validate(_task_spec(f"{F}:explode", {"path": str(tmp_path / "x")}))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_unknown_function_and_no_signature() -> None:
    with pytest.raises(SpecError, match="has no attribute 'nope'"):
        signature_of(f"{F}:nope")
    assert describe(min) is None  # a builtin Python cannot describe: checks are skipped


def test_missing_required_input_names_the_parameter() -> None:
    with pytest.raises(SpecError) as info:
        validate(_task_spec("parity", {}))  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.task, problem.field) == ("t", "inputs.counts")
    assert "parity() needs 'counts'" in problem.message


def test_unknown_input_names_what_is_accepted() -> None:
    with pytest.raises(SpecError) as info:
        validate(_task_spec(f"{F}:add", {"a": 1, "b": 2, "c": 3}))  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert (problem.task, problem.field) == ("t", "inputs.c")
    assert "has no parameter 'c' (it accepts: a, b)" in problem.message


def test_kwargs_accept_any_input_and_refs_or_params_supply() -> None:
    validate(_task_spec(f"{F}:total", {"anything": 1}))  # type: ignore[arg-type]
    spec = load_spec(
        {
            "name": "t",
            "params": {"p": 1},
            "tasks": [
                {"id": "a", "kind": "classical", "fn": f"{F}:one"},
                {
                    "id": "b",
                    "kind": "classical",
                    "fn": f"{F}:add",
                    "inputs": {"a": {"ref": "a"}, "b": {"param": "p"}},
                },
            ],
        }
    )
    validate(spec)


def test_positional_only_parameter_cannot_be_an_input() -> None:
    with pytest.raises(SpecError) as info:
        validate(_task_spec(f"{F}:positional", {"b": 1}))  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert problem.field == "inputs.a" and "positional-only" in problem.message
