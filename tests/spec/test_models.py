"""WorkflowSpec and loader: shapes, defaults, errors that name task and field."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow import SpecError, load_spec
from quantumflow.spec import ParamRef, Ref, parse_input, upstream_of
from quantumflow.spec.schema import json_schema

YAML = """
name: demo
params: {x: 2}
policies: {retries: 1, on_failure: continue}
tasks:
  - id: a
    kind: classical
    fn: math:sqrt
    inputs: {x: {param: x}}
  - id: b
    kind: quantum
    backend: qiskit.aer
    circuit: {builtin: ghz, args: {n: 3}}
    shots: 100
    depends_on: [a]
  - id: c
    kind: classical
    fn: builtins:len
    inputs: {obj: {ref: b.counts}}
"""


def test_yaml_loads_with_defaults() -> None:
    spec = load_spec(YAML)
    assert [t.id for t in spec.tasks] == ["a", "b", "c"]
    assert spec.policies.retries == 1
    assert spec.policies.max_concurrency == 4
    b = spec.task("b")
    assert b.kind == "quantum"
    assert b.cache is True
    assert spec.task("a").cache is False
    assert upstream_of(spec.task("c")) == ["b"]


def test_parse_input_kinds() -> None:
    assert parse_input({"ref": "t.key"}) == Ref("t", "key")
    assert parse_input({"ref": "t"}) == Ref("t", None)
    assert parse_input({"param": "p"}) == ParamRef("p")
    assert parse_input({"literal": {"ref": "x"}}) == {"ref": "x"}
    assert parse_input({"a": 1, "ref": "x"}) == {"a": 1, "ref": "x"}
    assert parse_input(3) == 3


def test_file_round_trip(tmp_path: Path) -> None:
    spec = load_spec(YAML)
    path = tmp_path / "w.qflow"
    path.write_text(spec.to_json())
    again = load_spec(path)
    assert again == spec
    assert json.loads(path.read_text())["tasks"][0]["kind"] == "classical"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            "name: x\ntasks:\n  - id: a\n    kind: classical\n",
            "task 'a'.fn: required field is missing",
        ),
        ("name: x\ntasks:\n  - id: a\n    kind: clasical\n    fn: m:f\n", "task 'a'"),
        (
            "name: x\ntasks:\n  - {id: a, kind: classical, fn: m:f, retries: -1}\n",
            "task 'a'.retries",
        ),
        ("name: x\ntasks:\n  - {id: a, kind: classical, fn: m:f, colour: red}\n", "unknown field"),
        ("name: x\ntasks: [\n", "invalid YAML at line"),
        ('{"name": "x", "tasks": [}', "invalid JSON at line 1"),
        ("- just\n- a list\n", "must be a mapping"),
        ("name: x\ntasks:\n  - {id: 'bad id', kind: classical, fn: m:f}\n", "task 'bad id'.id"),
        (
            "name: x\ntasks:\n  - {id: q, kind: quantum, backend: qiskit.aer, circuit: {}}\n",
            "give exactly one of qasm",
        ),
    ],
)
def test_malformed_specs_name_task_and_field(text: str, needle: str) -> None:
    with pytest.raises(SpecError) as err:
        load_spec(text)
    assert needle in str(err.value)


def test_missing_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read workflow file"):
        load_spec(tmp_path / "nope.yaml")


def test_schema_is_json_schema() -> None:
    schema = json_schema()
    assert schema["title"] == "WorkflowSpec"
    assert "tasks" in schema["properties"]
    json.dumps(schema)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    with contextlib.suppress(SpecError):
        load_spec(
            text
            if "\n" in text or not text.strip().endswith((".yaml", ".yml", ".json", ".qflow"))
            else text + "\n"
        )


def test_layout_round_trips_and_is_checked() -> None:
    spec = load_spec({"name": "w", "tasks": [], "layout": {"a": {"x": 1, "y": 2.5}}})
    assert spec.layout is not None
    assert spec.layout["a"].y == 2.5
    assert load_spec(spec.to_json()) == spec
    with pytest.raises(SpecError, match="layout"):
        load_spec({"name": "w", "layout": {"a": {"x": "left"}}})


def test_schema_documents_batching_and_retry_classes() -> None:
    defs = json_schema()["$defs"]
    pol = defs["Policies"]["properties"]
    assert pol["batching"]["default"] is True
    assert "native SDK call" in pol["batching"]["description"]
    assert {"batch_window_ms", "batch_max_size"} <= set(pol)
    (classes,) = [s for s in pol["retry_on"]["anyOf"] if s.get("type") == "array"]
    assert {"transient", "permanent", "network", "invalid_circuit"} <= set(classes["items"]["enum"])
    assert "policies.batching" in defs["QuantumTask"]["properties"]["batch"]["description"]
