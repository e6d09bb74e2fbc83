"""Workflows as networkx graphs and back (real networkx; the import stays optional)."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given, settings

from quantumflow.dsl import Workflow
from quantumflow.errors import SpecError
from quantumflow.spec import WorkflowSpec

from .example_workflows import example_workflows, with_layout
from .test_python_code import EVERYTHING, specs

EXAMPLES = example_workflows()


@pytest.mark.parametrize(("label", "spec"), EXAMPLES, ids=[label for label, _ in EXAMPLES])
def test_examples_round_trip(label: str, spec: WorkflowSpec) -> None:
    for original in (spec, with_layout(spec)):
        g = Workflow.from_spec(original).to_networkx()
        assert nx.is_directed_acyclic_graph(g), label
        assert list(g.nodes) == [t.id for t in original.tasks]
        assert Workflow.from_networkx(g).spec == original


def test_graph_shape() -> None:
    spec = WorkflowSpec.parse(EVERYTHING)
    g = Workflow.from_spec(spec).to_networkx()
    assert g.graph["name"] == "every field" and g.graph["params"]["theta"] == 0.25
    assert g.graph["layout"] == {"stale": {"x": 0.0, "y": 0.0}}  # positions of non-tasks
    assert g.nodes["bell"]["pos"] == (1.0, -2.5)
    assert g.nodes["bell"]["kind"] == "quantum" and g.nodes["bell"]["seed"] == 3
    assert "id" not in g.nodes["bell"] and "depends_on" not in g.nodes["bell"]
    assert g.edges["bell", "post-process"] == {"inputs": ["counts"]}
    assert g.edges["post-process", "bell"] == {"depends_on": True}  # the spec's own cycle
    assert g.edges["class", "class_"] == {"depends_on": True}
    assert Workflow.from_networkx(g).spec == spec


def test_build_with_networkx() -> None:
    """A DAG drawn with networkx alone: plain edges become depends_on, pos the layout."""
    g = nx.DiGraph(name="from-networkx", params={"n": 3})
    g.add_node("prep", kind="classical", fn="pkg.mod:prepare", pos=(0, 0))
    g.add_node(
        "ghz",
        kind="quantum",
        backend="cirq.simulator",
        circuit={"builtin": "ghz", "args": {"n": 3}},
        inputs={"n": {"param": "n"}},
    )
    g.add_node("parity", kind="classical", fn="parity", inputs={"counts": {"ref": "ghz.counts"}})
    g.add_edges_from([("prep", "ghz"), ("ghz", "parity")])
    spec = Workflow.from_networkx(g).spec
    assert spec.task("ghz").depends_on == ["prep"]
    assert spec.task("parity").depends_on == []  # its input already says so
    assert spec.layout is not None and (spec.layout["prep"].x, spec.layout["prep"].y) == (0, 0)
    assert list(nx.topological_sort(Workflow.from_spec(spec).to_networkx())) == [
        "prep",
        "ghz",
        "parity",
    ]
    assert dict(g.nodes["prep"]) == {"kind": "classical", "fn": "pkg.mod:prepare", "pos": (0, 0)}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g.add_node("x", fn="f"), "node 'x' has no 'kind'"),
        (lambda g: g.add_node(7, kind="classical", fn="f"), "node 7 is not a task id"),
        (lambda g: g.graph.update(colour="red"), "colour are no workflow field"),
        (lambda g: g.graph.pop("name"), "no workflow name"),
        (lambda g: g.nodes["a"].update(weight=2), "task 'a'.*weight"),
        (lambda g: g.nodes["a"].update(pos="left"), "node 'a': pos must be"),
    ],
)
def test_bad_graphs_are_refused(change: object, message: str) -> None:
    g = nx.DiGraph(name="w")
    g.add_node("a", kind="classical", fn="f")
    change(g)  # type: ignore[operator]
    with pytest.raises(SpecError, match=message):
        Workflow.from_networkx(g)
    with pytest.raises(SpecError, match="DiGraph"):
        Workflow.from_networkx(nx.Graph(g))


def test_reference_to_unknown_task_is_named() -> None:
    spec = WorkflowSpec.parse(
        {"name": "w", "tasks": [{"id": "a", "kind": "classical", "fn": "f", "depends_on": ["b"]}]}
    )
    with pytest.raises(SpecError, match="task 'a' depends on 'b'"):
        Workflow.from_spec(spec).to_networkx()


def test_networkx_stays_optional() -> None:
    """Without networkx, importing works and the error names the extra to install."""
    code = (
        "import sys; sys.modules['networkx'] = None\n"
        "import quantumflow as qf\n"
        "from quantumflow.dsl import Workflow\n"
        "try:\n"
        "    Workflow('w').to_networkx()\n"
        "except qf.QuantumFlowError as err:\n"
        "    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'quantumflow[networkx]'" in out.stdout


@settings(max_examples=60, deadline=None)
@given(specs())
def test_random_specs_round_trip(spec: WorkflowSpec) -> None:
    assert Workflow.from_networkx(Workflow.from_spec(spec).to_networkx()).spec == spec
