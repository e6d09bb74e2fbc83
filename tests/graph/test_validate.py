"""Validation: every problem collected, each naming task and field; nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from quantumflow import load_spec
from quantumflow.engine import open_db, run, validate
from quantumflow.errors import CycleError, SpecError

F = "tests.engine.fns"


def spec(*tasks: dict[str, Any], params: dict[str, Any] | None = None) -> Any:
    return load_spec({"name": "t", "params": params or {}, "tasks": list(tasks)})


def c(tid: str, fn: str = f"{F}:one", **extra: Any) -> dict[str, Any]:
    return {"id": tid, "kind": "classical", "fn": fn, **extra}


def where(err: SpecError) -> set[tuple[str | None, str | None]]:
    return {(p.task, p.field) for p in err.problems}


def test_valid_spec_in_index_form() -> None:
    vw = validate(
        spec(
            c("a"),
            c("b", fn=f"{F}:inc", inputs={"x": {"ref": "a"}}),
            c("z", depends_on=["a", "b"]),
        )
    )
    assert vw.ids == ["a", "b", "z"]
    assert sorted(zip(vw.src, vw.dst, strict=True)) == [(0, 1), (0, 2), (1, 2)]
    assert vw.upstream == [[], [0], [0, 1]]
    assert vw.downstream_of(1) == {1, 2}
    assert vw.functions[0] is not None and vw.functions[0]() == 1


def test_cycle_lists_task_ids() -> None:
    s = spec(
        c("a", depends_on=["c"]),
        c("b", fn=f"{F}:inc", inputs={"x": {"ref": "a"}}),
        c("c", depends_on=["b"]),
        c("free"),
    )
    with pytest.raises(CycleError) as info:
        validate(s)
    cyc = info.value.cycle
    assert sorted(cyc) == ["a", "b", "c"]
    assert "dependency cycle" in str(info.value)
    # the listed order is a real cycle: each next task depends on the previous one
    order = {"a": "b", "b": "c", "c": "a"}
    for x, y in zip(cyc, cyc[1:] + cyc[:1], strict=True):
        assert order[x] == y


def test_every_problem_is_collected() -> None:
    s = spec(
        c("a", depends_on=["nope"]),
        c("a"),
        c("b", depends_on=["b"]),
        c("d", inputs={"x": {"ref": "ghost.key"}, "y": {"param": "missing"}}),
        c("e", fn="no_such_pkg_xyz.mod:fn"),
        c("f", fn=f"{F}:not_there"),
        c("g", fn="nocolon"),
    )
    with pytest.raises(SpecError) as info:
        validate(s)
    assert where(info.value) == {
        ("a", "depends_on"),
        ("a", "id"),
        ("b", "depends_on"),
        ("d", "inputs.x"),
        ("d", "inputs.y"),
        ("e", "fn"),
        ("f", "fn"),
        ("g", "fn"),
    }
    text = str(info.value)
    assert "unknown task 'nope'" in text
    assert "duplicate task id" in text
    assert "cannot depend on itself" in text
    assert "unknown param 'missing'" in text
    assert "no_such_pkg_xyz" in text
    assert "has no attribute 'not_there'" in text


def test_self_reference_in_inputs() -> None:
    with pytest.raises(SpecError) as info:
        validate(spec(c("a", inputs={"x": {"ref": "a"}})))
    assert where(info.value) == {("a", "inputs.x")}


def test_params_from_spec_or_run() -> None:
    s = spec(c("a", fn=f"{F}:inc", inputs={"x": {"param": "p"}}))
    with pytest.raises(SpecError):
        validate(s)
    validate(s, params={"p": 1})
    validate(spec(c("a", fn=f"{F}:inc", inputs={"x": {"param": "p"}}), params={"p": 2}))


def test_check_imports_false_skips_functions() -> None:
    vw = validate(spec(c("a", fn="no_such_pkg_xyz.m:f")), check_imports=False)
    assert vw.functions == [None]


def test_builtin_library_names_resolve() -> None:
    vw = validate(spec(c("a", fn="constant", inputs={"value": 3})))
    assert vw.functions[0] is not None


def test_cycle_and_other_problems_reported_together() -> None:
    s = spec(c("a", depends_on=["b"]), c("b", depends_on=["a"]), c("x", fn=f"{F}:nope"))
    with pytest.raises(SpecError) as info:
        validate(s)
    assert ("x", "fn") in where(info.value)
    assert "dependency cycle" in str(info.value)


def test_invalid_spec_writes_nothing(db_url: str) -> None:
    with pytest.raises(SpecError):
        run(spec(c("a", depends_on=["zzz"])), db=db_url)
    assert open_db(db_url).list_runs() == []
