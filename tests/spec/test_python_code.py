"""Export as Python: spec -> DSL code -> exec -> the same spec, for every example workflow."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow.dsl import Workflow, export_python
from quantumflow.errors import SpecError
from quantumflow.spec import WorkflowSpec

from .example_workflows import NOTEBOOKS, example_workflows, notebook_workflows, with_layout

EXAMPLES = example_workflows()


def rebuilt(code: str) -> WorkflowSpec:
    """What running the exported code builds (a fresh namespace, as a new file would)."""
    ns: dict[str, Any] = {}
    exec(compile(code, "<exported>", "exec"), ns)
    wf = ns["wf"]
    assert isinstance(wf, Workflow)
    return wf.spec


def test_every_example_notebook_has_workflows() -> None:
    assert len(NOTEBOOKS) >= 7
    for nb in NOTEBOOKS:
        assert notebook_workflows(nb), f"{nb.name}: no workflow found"


@pytest.mark.parametrize(("label", "spec"), EXAMPLES, ids=[label for label, _ in EXAMPLES])
@pytest.mark.parametrize("layout", [False, True], ids=["no-layout", "layout"])
def test_example_round_trip(label: str, spec: WorkflowSpec, layout: bool) -> None:
    original = with_layout(spec) if layout else spec
    code = export_python(original)
    back = rebuilt(code)
    assert back == original, label
    assert back.to_json() == original.to_json()  # same text in the .qflow file, key order too
    assert (back.layout is not None) == layout


EVERYTHING = {
    "name": "every field",
    "description": "a workflow that uses every spec field",
    "params": {"theta": 0.25, "labels": ["a", "b"]},
    "policies": {
        "max_concurrency": 2,
        "retries": 1,
        "timeout_s": 30,
        "on_failure": "continue",
        "budget": {"seconds": 60, "usd": 1.5},
        "resources": {"qpu": 1},
        "batching": False,
        "batch_window_ms": 5,
        "retry_on": ["network", "rate_limit"],
    },
    "tasks": [
        {
            "id": "post-process",  # refers forward to a task defined later
            "kind": "classical",
            "fn": "parity",
            "inputs": {
                "counts": {"ref": "bell.counts"},
                "theta": {"param": "theta"},
                "token": {"secret": "API_TOKEN"},
                "looks_like_ref": {"literal": {"ref": "bell"}},
                "odd": {"ref": 5},
                "nested": {"a": [1, 2.5, None, True, "x\ny"]},
                "retries": 3,  # an input with an option's name
            },
            "retries": 2,
            "timeout_s": 4.5,
            "cache": True,
            "resources": {"cpu": 2},
            "group": "post",
            "description": 'quotes " and backslash \\',
        },
        {
            "id": "bell",
            "kind": "quantum",
            "backend": "qiskit.aer",
            "circuit": {"qasm": 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\n'},
            "shots": None,
            "seed": 3,
            "cache": False,
            "depends_on": ["post-process"],
            "noise": {"depolarizing": 0.01},
            "transpile": {"optimization_level": 1},
            "batch": True,
        },
        {
            "id": "class",  # a Python keyword as a task id
            "kind": "quantum",
            "backend": "cirq.simulator",
            "circuit": {"builtin": "ghz", "args": {"n": 3}},
            "sweep": {"t": {"linspace": [0, 1, 5]}},
            "observables": ["Z0 Z1", "X0"],
            "inputs": {"counts": {"ref": "bell"}},
            "mitigation": {"zne": {"scale_factors": [1, 3], "factory": "linear"}, "readout": True},
        },
        {"id": "class_", "kind": "classical", "fn": "pkg.mod:fn", "depends_on": ["class", "bell"]},
    ],
    "layout": {
        "bell": {"x": 1, "y": -2.5},
        "class": {"x": 1e-9, "y": 1e9},
        "stale": {"x": 0, "y": 0},
    },
}


def test_every_field_round_trips() -> None:
    spec = WorkflowSpec.parse(EVERYTHING)
    code = export_python(spec)
    ast.parse(code)
    assert "class_ = wf.quantum" in code  # ids become distinct identifiers
    assert "class__2 = wf.classical" in code
    assert 'include "qelib1.inc";' in code  # QASM stays readable (a triple-quoted block)
    assert rebuilt(code) == spec


def test_empty_and_minimal_workflows() -> None:
    for data in ({"name": "empty"}, {"name": "e", "tasks": [], "layout": {}}):
        spec = WorkflowSpec.parse(data)
        assert rebuilt(export_python(spec)) == spec


def test_value_python_cannot_spell_is_refused() -> None:
    spec = WorkflowSpec.parse(
        {"name": "n", "tasks": [{"id": "a", "kind": "classical", "fn": "f", "inputs": {"x": 1.0}}]}
    )
    spec.tasks[0].inputs["x"] = float("nan")
    with pytest.raises(SpecError, match=r"task 'a' input 'x'.*nan"):
        export_python(spec)


# -------------------------------------------------------------------- property: random specs

_ids = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,8}", fullmatch=True)
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def specs(draw: st.DrawFn) -> WorkflowSpec:
    ids = draw(st.lists(_ids, min_size=1, max_size=6, unique=True))
    tasks: list[dict[str, Any]] = []
    for i, task_id in enumerate(ids):
        inputs = draw(st.dictionaries(st.text(min_size=1, max_size=6), _json, max_size=3))
        for up in draw(st.lists(st.sampled_from(ids), max_size=2)):  # any order: forward too
            key = draw(st.none() | st.sampled_from(["counts", "a.b"]))
            inputs[f"from_{up}"] = {"ref": up if key is None else f"{up}.{key}"}
        common = {
            "id": task_id,
            "inputs": inputs,
            "depends_on": draw(st.lists(st.sampled_from(ids[:i] or ids), max_size=2, unique=True)),
        }
        if draw(st.booleans()):
            tasks.append(
                {
                    **common,
                    "kind": "classical",
                    "fn": "m:f",
                    "retries": draw(st.none() | st.integers(0, 5)),
                }
            )
        else:
            qasm = draw(st.text(max_size=40))
            tasks.append(
                {
                    **common,
                    "kind": "quantum",
                    "backend": "qiskit.aer",
                    "circuit": {"qasm": qasm or "x"},
                    "shots": draw(st.none() | st.integers(1, 9999)),
                }
            )
    pos = st.floats(-1e6, 1e6, allow_nan=False)
    layout = draw(
        st.none()
        | st.dictionaries(st.sampled_from(ids), st.fixed_dictionaries({"x": pos, "y": pos}))
    )
    return WorkflowSpec.parse(
        {"name": draw(st.text(min_size=1, max_size=20)), "tasks": tasks, "layout": layout}
    )


@settings(max_examples=60, deadline=None)
@given(specs())
def test_random_specs_round_trip(spec: WorkflowSpec) -> None:
    assert rebuilt(export_python(spec)) == spec
