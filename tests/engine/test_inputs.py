"""Data passing: literals, whole outputs, keyed outputs, params."""

from __future__ import annotations

import pytest

from quantumflow.engine.inputs import TaskInputError, compile_inputs

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
