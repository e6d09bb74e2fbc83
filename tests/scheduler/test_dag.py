"""quantumflow._native.scheduler graphs: Dag and Plan checked against networkx on random DAGs."""

from __future__ import annotations

import itertools
import random
from array import array

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumflow._native.scheduler import Dag, GraphCycleError

Graph = tuple[int, list[int], list[int], list[float]]


@st.composite
def dags(draw: st.DrawFn, max_n: int = 40) -> Graph:
    """A random DAG: pairs oriented along a random permutation, integer-valued costs."""
    n = draw(st.integers(1, max_n))
    perm = draw(st.permutations(range(n)))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    edges = [(perm[min(a, b)], perm[max(a, b)]) for a, b in pairs if a != b]
    cost = [float(c) for c in draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))]
    return n, [s for s, _ in edges], [d for _, d in edges], cost


def to_nx(n: int, src: list[int], dst: list[int], cost: list[float]) -> nx.DiGraph:
    """Node costs as edge weights: a super-source ``-1`` reaches every node at its cost."""
    g = nx.DiGraph()
    g.add_nodes_from(range(-1, n))
    g.add_weighted_edges_from((-1, v, cost[v]) for v in range(n))
    g.add_weighted_edges_from((u, v, cost[v]) for u, v in zip(src, dst, strict=True))
    return g


@settings(max_examples=150, deadline=None)
@given(dags())
def test_topological_order_respects_every_edge(g: Graph) -> None:
    n, src, dst, cost = g
    order = Dag(n, src, dst, cost).topological_order()
    assert sorted(order) == list(range(n))
    pos = {v: i for i, v in enumerate(order)}
    assert all(pos[u] < pos[v] for u, v in zip(src, dst, strict=True))


@settings(max_examples=150, deadline=None)
@given(dags())
def test_critical_path_matches_networkx(g: Graph) -> None:
    n, src, dst, cost = g
    dag = Dag(n, src, dst, cost)
    path, length = dag.critical_path()
    assert length == pytest.approx(nx.dag_longest_path_length(to_nx(*g), weight="weight"))
    assert sum(cost[v] for v in path) == pytest.approx(length)
    edges = set(zip(src, dst, strict=True))
    assert all((a, b) in edges for a, b in itertools.pairwise(path))
    assert max(dag.upward_rank()) == pytest.approx(length)


@settings(max_examples=100, deadline=None)
@given(dags(), st.randoms(use_true_random=False))
def test_cycle_is_found_and_is_a_real_cycle(g: Graph, rnd: random.Random) -> None:
    n, src, dst, _ = g
    if not src:
        src, dst = [0], [0]  # a self-loop is the smallest cycle
    else:
        i = rnd.randrange(len(src))
        src, dst = [*src, dst[i]], [*dst, src[i]]
    with pytest.raises(GraphCycleError) as info:
        Dag(n, src, dst)
    cycle = info.value.cycle
    edges = set(zip(src, dst, strict=True))
    assert cycle
    assert all((cycle[k], cycle[(k + 1) % len(cycle)]) in edges for k in range(len(cycle)))
    assert isinstance(info.value, ValueError)
    assert " -> ".join(map(str, cycle)) in str(info.value)


@pytest.mark.parametrize(
    "convert",
    [
        list,
        tuple,
        lambda v: array("I", v),
        lambda v: np.asarray(v, dtype=np.uint32),
        lambda v: np.asarray(v, dtype=np.int64),
        lambda v: np.asarray(v, dtype=np.int32),
        lambda v: np.repeat(np.asarray(v, dtype=np.int64), 2)[::2],  # non-contiguous
    ],
    ids=["list", "tuple", "array-I", "u32", "i64", "i32", "strided"],
)
def test_indices_accept_sequences_and_buffers(convert: object) -> None:
    assert callable(convert)
    dag = Dag(4, convert([0, 0, 1, 2]), convert([1, 2, 3, 3]), np.array([1.0, 5.0, 2.0, 1.0]))
    assert (dag.n, dag.n_edges) == (4, 4)
    assert dag.critical_path() == ([0, 1, 3], 7.0)
    assert dag.successors(0) == [1, 2]
    assert dag.predecessors(3) == [1, 2]


def test_default_cost_and_empty_graph() -> None:
    assert Dag(3, [0, 1], [1, 2]).critical_path() == ([0, 1, 2], 3.0)
    empty = Dag(0, [], [])
    assert empty.topological_order() == []
    assert empty.critical_path() == ([], 0.0)
    assert repr(Dag(2, [0], [1])) == "Dag(n=2, n_edges=1)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((2, [0], [5]), "edge 0 refers to task 5"),
        ((2, [0, 1], [1]), "dst has length 1"),
        ((2, [-1], [1]), "src contains -1"),
        ((2, [0], [1], [1.0]), "cost has length 1"),
        ((1, [], [], [-2.0]), "task 0 has cost -2"),
        ((-1, [], []), "n must be >= 0"),
        ((2, ["a"], [1]), "src must be a sequence of ints"),
    ],
)
def test_bad_input_is_a_clear_value_error(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Dag(*args)  # type: ignore[arg-type]


def test_task_index_is_checked() -> None:
    with pytest.raises(ValueError, match=r"task 9 is not in 0\.\.2"):
        Dag(2, [0], [1]).successors(9)


@settings(max_examples=60, deadline=None)
@given(
    dags(), st.lists(st.integers(1, 3), min_size=1, max_size=3), st.randoms(use_true_random=False)
)
def test_plan_respects_dependencies_and_capacities(
    g: Graph, caps: list[int], rnd: random.Random
) -> None:
    n, src, dst, cost = g
    resource = [rnd.randrange(len(caps)) for _ in range(n)]
    for policy in ("heft", "fifo"):
        p = Dag(n, src, dst, cost).plan(resource=resource, capacities=caps, policy=policy)
        assert sorted(p.order) == list(range(n))
        assert all(p.start[v] >= p.finish[u] - 1e-9 for u, v in zip(src, dst, strict=True))
        for t in range(n):
            assert p.slot[t] < caps[resource[t]]
            assert p.finish[t] == pytest.approx(p.start[t] + cost[t])
            for u in range(t):
                if (resource[u], p.slot[u]) == (resource[t], p.slot[t]):
                    assert p.finish[u] <= p.start[t] + 1e-9 or p.finish[t] <= p.start[u] + 1e-9
        assert p.makespan == pytest.approx(max(p.finish))
        assert p.makespan >= Dag(n, src, dst, cost).critical_path()[1] - 1e-9


def test_heft_puts_the_long_chain_first() -> None:
    dag = Dag(4, [2], [3], [1.0, 1.0, 5.0, 5.0])
    heft, fifo = dag.plan(workers=2), dag.plan(workers=2, policy="fifo")
    assert heft.order[0] == 2
    assert heft.makespan == 10.0
    assert fifo.makespan > heft.makespan
    assert heft.critical_path == [2, 3]


def test_plan_rejects_bad_options() -> None:
    dag = Dag(2, [], [])
    with pytest.raises(ValueError, match="policy must be"):
        dag.plan(policy="random")
    with pytest.raises(ValueError, match="workers must be >= 1"):
        dag.plan(workers=0)
    with pytest.raises(ValueError, match="task 1 needs resource 1"):
        dag.plan(resource=[0, 1], capacities=[1])
