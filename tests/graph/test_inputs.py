"""Data passing: literals, whole outputs, keyed outputs, params."""

from __future__ import annotations

import pytest

from quantumflow.errors import SpecError
from quantumflow.graph.inputs import TaskInputError, compile_inputs
from quantumflow.spec import ParamRef, Ref, parse_input

INDEX = {"a": 0, "b": 1}
IDS = ["a", "b"]


def test_literals_are_constant_and_copied() -> None:
    plan = compile_inputs("t", {"x": 1, "y": [1, 2], "z": {"literal": {"ref": "a"}}}, INDEX)
    kw = plan.resolve([], {}, IDS)
    assert kw == {"x": 1, "y": [1, 2], "z": {"ref": "a"}}
    kw["x"] = 99
    assert plan.resolve([], {}, IDS)["x"] == 1


def test_refs_keys_and_params() -> None:
    plan = compile_inputs(
        "t",
        {"w": {"ref": "a"}, "k": {"ref": "b.hi"}, "i": {"ref": "a.1"}, "p": {"param": "n"}},
        INDEX,
    )
    kw = plan.resolve([[5, 6], {"hi": 10}], {"n": 7}, IDS)
    assert kw == {"w": [5, 6], "k": 10, "i": 6, "p": 7}


def test_missing_key_names_task_field_and_keys() -> None:
    plan = compile_inputs("t", {"k": {"ref": "b.nope"}}, INDEX)
    with pytest.raises(TaskInputError) as info:
        plan.resolve([None, {"hi": 1, "lo": 0}], {}, IDS)
    msg = str(info.value)
    assert "task 't'.inputs.k" in msg
    assert "'b' has no key 'nope'" in msg
    assert "hi" in msg and "lo" in msg


SHAPES = [
    1,
    "ref",
    [1, {"ref": "a"}],
    {"ref": "a"},
    {"ref": "b.hi"},
    {"ref": "a.0"},
    {"param": "n"},
    {"literal": {"ref": "a"}},
    {"literal": 3},
    {"ref": 5},
    {"param": ["n"]},
    {"other": 1},
    {"ref": "a", "extra": 1},
    {},
]


@pytest.mark.parametrize("value", SHAPES, ids=repr)
def test_compiled_inputs_read_values_as_parse_input_does(value: object) -> None:
    parsed = parse_input(value)
    outputs = [{"0": "zero", "hi": "high"}, {"hi": "b-high"}]
    got = compile_inputs("t", {"x": value}, INDEX).resolve(outputs, {"n": 7}, IDS)["x"]
    if isinstance(parsed, Ref):
        upstream = outputs[INDEX[parsed.task]]
        assert got == (upstream if parsed.key is None else upstream[parsed.key])
    elif isinstance(parsed, ParamRef):
        assert got == 7
    else:
        assert got == parsed


def test_unknown_references_are_problems() -> None:
    with pytest.raises(SpecError) as info:
        compile_inputs("t", {"x": {"ref": "zz"}, "y": {"ref": "t.k"}}, INDEX)
    assert [(p.task, p.field) for p in info.value.problems] == [
        ("t", "inputs.x"),
        ("t", "inputs.y"),
    ]
    assert "unknown task 'zz'" in info.value.problems[0].message
    assert "its own output" in info.value.problems[1].message
