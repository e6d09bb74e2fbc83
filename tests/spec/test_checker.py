"""The plain spec checker: round trips, every kind of bad input, and the generated fast path."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow import SpecError, load_spec
from quantumflow.spec import (
    Budget,
    CircuitSource,
    ClassicalTask,
    NodePosition,
    Policies,
    QuantumTask,
    WorkflowSpec,
    checker,
)
from quantumflow.spec.schema import json_schema, schema_of

FULL: dict[str, Any] = {
    "version": "1",
    "name": "full",
    "description": "d",
    "params": {"p": [1, 2]},
    "policies": {
        "max_concurrency": 7,
        "retries": 2,
        "retry_backoff_s": 1,
        "timeout_s": 3,
        "on_failure": "continue",
        "budget": {"seconds": 10, "usd": 0},
        "resources": {"qpu": 2},
    },
    "tasks": [
        {
            "id": "a",
            "kind": "classical",
            "fn": "m:f",
            "description": "x",
            "depends_on": [],
            "inputs": {"x": {"literal": {"ref": "q"}}},
            "retries": 1,
            "timeout_s": 2,
            "resources": {"cpu": 1},
            "group": "g",
            "cache": True,
        },
        {
            "id": "q",
            "kind": "quantum",
            "backend": "qiskit.aer",
            "circuit": {"qasm": "OPENQASM 2.0;", "args": {"n": 2}},
            "shots": None,
            "seed": 0,
            "sweep": {"t": [1, 2]},
            "observables": ["Z0"],
            "noise": {"p": 0.1},
            "transpile": {"o": 1},
            "cache": False,
            "depends_on": ["a"],
            "resources": {"qpu": 1.5},
        },
    ],
    "layout": {"a": {"x": 1, "y": 2.5}},
}

# What the pydantic models made of FULL (recorded before they were replaced): floats where
# the field is a float, defaults left out, ``kind`` last.
FULL_TO_DICT: dict[str, Any] = {
    "name": "full",
    "description": "d",
    "params": {"p": [1, 2]},
    "policies": {
        "max_concurrency": 7,
        "retries": 2,
        "retry_backoff_s": 1.0,
        "timeout_s": 3.0,
        "on_failure": "continue",
        "budget": {"seconds": 10.0, "usd": 0.0},
        "resources": {"qpu": 2},
    },
    "tasks": [
        {
            "id": "a",
            "description": "x",
            "inputs": {"x": {"literal": {"ref": "q"}}},
            "retries": 1,
            "timeout_s": 2.0,
            "resources": {"cpu": 1.0},
            "group": "g",
            "fn": "m:f",
            "cache": True,
            "kind": "classical",
        },
        {
            "id": "q",
            "depends_on": ["a"],
            "resources": {"qpu": 1.5},
            "backend": "qiskit.aer",
            "circuit": {"qasm": "OPENQASM 2.0;", "args": {"n": 2}},
            "shots": None,
            "seed": 0,
            "sweep": {"t": [1, 2]},
            "observables": ["Z0"],
            "noise": {"p": 0.1},
            "transpile": {"o": 1},
            "cache": False,
            "kind": "quantum",
        },
    ],
    "layout": {"a": {"x": 1.0, "y": 2.5}},
}


def test_every_field_round_trips_as_the_pydantic_models_did() -> None:
    spec = load_spec(copy.deepcopy(FULL))
    assert spec.to_dict() == FULL_TO_DICT
    assert json.loads(spec.to_json()) == FULL_TO_DICT
    assert list(spec.to_dict()["tasks"][0]) == list(FULL_TO_DICT["tasks"][0])  # field order
    assert load_spec(spec.to_json()) == spec
    assert isinstance(spec.tasks[1], QuantumTask) and isinstance(spec.tasks[0], ClassicalTask)
    assert isinstance(spec.policies.budget, Budget) and spec.policies.budget.seconds == 10.0
    assert type(spec.policies.retry_backoff_s) is float
    assert spec.layout is not None and spec.layout["a"] == NodePosition(x=1.0, y=2.5)


def test_defaults_are_fresh_per_object() -> None:
    a, b = ClassicalTask(id="a", fn="m:f"), ClassicalTask(id="b", fn="m:f")
    a.depends_on.append("x")
    a.inputs["k"] = 1
    assert b.depends_on == [] and b.inputs == {}
    assert WorkflowSpec(name="w").policies == Policies()


def test_containers_are_copied_not_shared() -> None:
    raw = {"name": "w", "tasks": [{"id": "a", "kind": "classical", "fn": "m:f", "inputs": {}}]}
    spec = load_spec(raw)
    raw["tasks"][0]["inputs"]["late"] = 1
    assert spec.tasks[0].inputs == {}
    dumped = spec.to_dict()
    dumped["tasks"][0]["id"] = "changed"
    assert spec.tasks[0].id == "a"


def _where(data: dict[str, Any]) -> list[tuple[str | None, str | None, str]]:
    with pytest.raises(SpecError) as err:
        load_spec(data)
    return [(p.task, p.field, p.message) for p in err.value.problems]


def _task(**fields: Any) -> dict[str, Any]:
    return {"name": "w", "tasks": [{"id": "t", "kind": "classical", "fn": "m:f", **fields}]}


def _qtask(**fields: Any) -> dict[str, Any]:
    base = {"id": "q", "kind": "quantum", "backend": "b", "circuit": {"builtin": "ghz"}}
    return {"name": "w", "tasks": [{**base, **fields}]}


@pytest.mark.parametrize(
    ("data", "task", "field", "needle"),
    [
        ({"name": "w", "colour": 1}, None, "colour", "unknown field"),
        (_task(colour=1), "t", "colour", "unknown field"),
        ({"name": "w", "policies": {"retrys": 1}}, None, "policies.retrys", "unknown field"),
        (_qtask(circuit={"builtin": "ghz", "n": 2}), "q", "circuit.n", "unknown field"),
        ({"name": "w", "layout": {"a": {"x": 1, "y": 2, "z": 3}}}, None, "layout.a.z", "unknown"),
        ({"tasks": []}, None, "name", "required field is missing"),
        ({"name": "w", "tasks": [{"kind": "classical", "fn": "m:f"}]}, "#0", "id", "missing"),
        ({"name": "w", "tasks": [{"id": "t", "kind": "classical"}]}, "t", "fn", "missing"),
        (
            {"name": "w", "tasks": [{"id": "q", "kind": "quantum", "circuit": {"qasm": "x"}}]},
            "q",
            "backend",
            "missing",
        ),
        ({"name": "w", "layout": {"a": {"x": 1}}}, None, "layout.a.y", "missing"),
        (
            {"name": "w", "tasks": [{"id": "a", "kind": "clasical", "fn": "m:f"}]},
            "a",
            None,
            "kind must be 'classical' or 'quantum'",
        ),
        ({"name": "w", "tasks": [{"id": "a", "fn": "m:f"}]}, "a", None, "missing 'kind'"),
        ({"name": "w", "tasks": ["a"]}, "#0", None, "valid dictionary"),
        ({"name": "w", "tasks": {"a": 1}}, None, "tasks", "valid list"),
        (_task(retries="3"), "t", "retries", "valid integer (got the string '3')"),
        (_task(retries=True), "t", "retries", "valid integer (got true)"),
        (_task(retries=1.5), "t", "retries", "fractional part"),
        (_task(timeout_s="2"), "t", "timeout_s", "valid number (got the string '2')"),
        (_task(timeout_s=False), "t", "timeout_s", "valid number (got false)"),
        (_task(cache=1), "t", "cache", "valid boolean"),
        (_task(cache="yes"), "t", "cache", "valid boolean"),
        (_task(fn=3), "t", "fn", "valid string"),
        (_task(inputs=[1]), "t", "inputs", "valid dictionary"),
        (_task(inputs={1: "x"}), "t", "inputs", "keys should be strings"),
        (_task(depends_on="a"), "t", "depends_on", "valid list"),
        (_task(depends_on=["a", 2]), "t", "depends_on.1", "valid string"),
        (_task(resources={"cpu": "1"}), "t", "resources.cpu", "valid number"),
        (_task(retries=-1), "t", "retries", "greater than or equal to 0"),
        (_task(retries=101), "t", "retries", "less than or equal to 100"),
        (_task(timeout_s=0), "t", "timeout_s", "greater than 0"),
        ({"name": ""}, None, "name", "at least 1 character"),
        ({"name": "x" * 201}, None, "name", "at most 200 characters"),
        (
            {"name": "w", "tasks": [{"id": "a b", "kind": "classical", "fn": "m:f"}]},
            "a b",
            "id",
            "should match pattern",
        ),
        (
            {"name": "w", "policies": {"on_failure": "halt"}},
            None,
            "policies.on_failure",
            "Input should be 'stop' or 'continue'",
        ),
        (
            {"name": "w", "policies": {"resources": {"qpu": 0}}},
            None,
            "policies.resources.qpu",
            "greater than or equal to 1",
        ),
        (
            {"name": "w", "policies": {"budget": {"usd": -1}}},
            None,
            "policies.budget.usd",
            "greater than or equal to 0",
        ),
        ({"name": "w", "policies": []}, None, "policies", "valid dictionary"),
        (_qtask(circuit={}), "q", "circuit", "give exactly one of qasm"),
        (_qtask(circuit={"qasm": "x", "builtin": "ghz"}), "q", "circuit", "(got qasm, builtin)"),
        (_qtask(shots=0), "q", "shots", "greater than or equal to 1"),
        (_qtask(observables=["Z0", 1]), "q", "observables.1", "valid string"),
        (_qtask(kind="quantum", fn="m:f"), "q", "fn", "unknown field"),
        ({"name": "w", "version": "2"}, None, "version", "unsupported spec version '2'"),
    ],
)
def test_each_bad_input_is_a_problem_naming_task_and_field(
    data: dict[str, Any], task: str | None, field: str | None, needle: str
) -> None:
    problems = _where(data)
    assert len(problems) == 1, problems
    assert problems[0][:2] == (task, field)
    assert needle in problems[0][2]


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "name": "",
        "version": "9",
        "tasks": [
            {"id": "a", "kind": "classical", "fn": "m:f", "retries": -1, "colour": 1},
            {"id": "b", "kind": "quantum", "backend": "x", "circuit": {}},
            {"kind": "classical"},
        ],
    }
    where = {(t, f) for t, f, _ in _where(data)}
    assert where == {
        (None, "name"),
        (None, "version"),
        ("a", "retries"),
        ("a", "colour"),
        ("b", "circuit"),
        ("#2", "id"),
        ("#2", "fn"),
    }


def test_numbers_are_stored_as_their_field_type() -> None:
    np = pytest.importorskip("numpy")
    t = QuantumTask.parse(
        {
            "id": "q",
            "backend": "b",
            "circuit": {"builtin": "ghz"},
            "shots": 2.0,
            "seed": np.int64(3),
        }
    )
    assert (t.shots, type(t.shots), t.seed, type(t.seed)) == (2, int, 3, int)
    p = Policies.parse({"retry_backoff_s": np.float32(0.25), "timeout_s": 5})
    assert (p.retry_backoff_s, type(p.timeout_s)) == (0.25, float)


def test_constructors_and_parse_check_like_pydantic_did() -> None:
    t = QuantumTask(id="t", backend="b", circuit={"builtin": "ghz", "args": {"n": 2}}, shots=5)
    assert isinstance(t.circuit, CircuitSource) and t.circuit.args == {"n": 2}
    assert QuantumTask.parse(t) is t
    with pytest.raises(SpecError) as err:
        QuantumTask(id="t", backend="b", circuit={"builtin": "ghz"}, shots=0)
    assert [(p.task, p.field) for p in err.value.problems] == [("t", "shots")]
    with pytest.raises(SpecError, match="required field is missing"):
        ClassicalTask(id="t")


def test_the_spec_classes_surface() -> None:
    spec = load_spec(copy.deepcopy(FULL))
    task = spec.tasks[1]
    assert isinstance(task, QuantumTask)
    text = task.dump_json()
    assert QuantumTask.parse_json(text) == task
    assert json.loads(text)["circuit"]["qasm_file"] is None  # defaults included
    again = task.with_changes(backend="other")
    assert again.backend == "other" and task.backend == "qiskit.aer" and again.id == "q"
    assert WorkflowSpec.parse(spec.dump()) == spec
    assert spec.dump(json_mode=True, exclude_defaults=True)["tasks"][0]["fn"] == "m:f"
    schema = schema_of(WorkflowSpec)
    assert schema == {k: v for k, v in json_schema().items() if k not in ("$schema", "$id")}
    assert schema_of(ClassicalTask)["title"] == "ClassicalTask"


def test_json_mode_turns_tuples_into_lists() -> None:
    t = ClassicalTask(id="t", fn="m:f", inputs={"shape": (2, 3)})
    assert t.dump()["inputs"]["shape"] == (2, 3)
    assert t.dump(json_mode=True)["inputs"]["shape"] == [2, 3]


# ----------------------------------------------------------------------------- fast path

_VALUES: dict[str, list[Any]] = {
    "id": ["a", "t_1-x", "", "1a", "a b", 3, None, "x" * 201],
    "kind": ["classical", "quantum", "other", 1],
    "fn": ["m:f", 3, None],
    "backend": ["b", 2],
    "circuit": [{"builtin": "ghz"}, {}, {"qasm": "x", "args": {"n": 1}}, "ghz", {"nope": 1}],
    "description": ["d", None, 1],
    "depends_on": [[], ["a"], ("a",), ["a", 1], "a"],
    "inputs": [{}, {"x": {"ref": "a"}}, {1: 2}, [], {"t": (1, 2)}],
    "retries": [0, 100, 101, -1, 2.0, 2.5, True, "1", None],
    "timeout_s": [1, 0.5, 0, -1, float("nan"), "1", None, False, 10**400],
    "resources": [{}, {"cpu": 1}, {"cpu": "1"}, {"cpu": True}, []],
    "group": ["g", None, 2],
    "cache": [True, False, 0, "true"],
    "shots": [None, 1, 0, 10_000_001, 1.0, True],
    "seed": [None, 0, -1],
    "observables": [None, ["Z0"], [1], "Z0"],
    "sweep": [None, {"a": [1]}, [1]],
    "colour": ["red"],
}


@st.composite
def _task_dicts(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(sorted(_VALUES)), unique=True, max_size=8))
    data = {"id": "t", "kind": draw(st.sampled_from(["classical", "quantum"]))}
    data |= {"fn": "m:f"} if data["kind"] == "classical" else {"backend": "b", "circuit": {}}
    for name in names:
        data[name] = draw(st.sampled_from(_VALUES[name]))
    return data


def _outcome(spec: dict[str, Any]) -> Any:
    try:
        return ("ok", load_spec(spec).to_dict())
    except SpecError as err:
        return ("err", sorted((str(p.task), str(p.field), p.message) for p in err.problems))


@settings(max_examples=150, deadline=None)
@given(_task_dicts())
def test_generated_fast_path_agrees_with_the_full_check(task: dict[str, Any]) -> None:
    # Many tasks of one shape make the checker generate code for it; the same spec checked
    # with generation turned off must give the same objects or the same problems.
    spec = {"name": "w", "tasks": [dict(task, id=f"t{i}") for i in range(checker.HOT + 4)]}
    fast = _outcome(copy.deepcopy(spec))
    with checker.full_checks_only():
        slow = _outcome(copy.deepcopy(spec))
    assert fast == slow
