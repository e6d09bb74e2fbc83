"""W4: planning a 100,000-task random DAG in the Rust scheduler vs networkx vs Python.

Build + topological order + critical path (and, separately, the HEFT plan) on a seeded
random DAG with ~3 edges per node, passed to Rust as numpy buffers.

Run: ``.venv/bin/python benchmarks/plan_bench.py [--n 100000] [--seed 0] [--repeat 5]``.
The harness imports :func:`run_w4`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from quantumflow._native.scheduler import Dag

U32 = npt.NDArray[np.uint32]
F64 = npt.NDArray[np.float64]


def random_dag(n: int, seed: int, edges_per_node: int = 3) -> tuple[U32, U32, F64]:
    """A seeded random DAG: edges go from lower to higher position in a random permutation.

    Args:
        n: number of tasks.
        seed: RNG seed.
        edges_per_node: average out-degree (before removing self-pairs).

    Returns:
        ``(src, dst, cost)`` as numpy arrays.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, size=n * edges_per_node)
    b = rng.integers(0, n, size=n * edges_per_node)
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    perm = rng.permutation(n).astype(np.uint32)
    cost = rng.uniform(0.01, 1.0, size=n)
    return perm[lo], perm[hi], cost


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _quantumflow(n: int, src: U32, dst: U32, cost: F64) -> float:
    dag = Dag(n, src, dst, cost)
    dag.topological_order()
    return dag.critical_path()[1]


def _networkx(n: int, src: U32, dst: U32, cost: F64) -> float:
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    c = cost.tolist()
    g.add_weighted_edges_from((u, v, c[v]) for u, v in zip(src.tolist(), dst.tolist(), strict=True))
    list(nx.topological_sort(g))
    path = nx.dag_longest_path(g, weight="weight")
    return float(sum(c[v] for v in path))


def _python(n: int, src: U32, dst: U32, cost: F64) -> float:
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for u, v in zip(src.tolist(), dst.tolist(), strict=True):
        succ[u].append(v)
        indeg[v] += 1
    order = [v for v in range(n) if indeg[v] == 0]
    for u in order:  # the list grows while we walk it (Kahn)
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                order.append(v)
    c = cost.tolist()
    dist = c[:]
    for u in order:
        for v in succ[u]:
            dist[v] = max(dist[v], dist[u] + c[v])
    return max(dist, default=0.0)


def run_w4(n: int = 100_000, seed: int = 0, repeat: int = 5, peers: bool = True) -> dict[str, Any]:
    """Time W4 and return the numbers (milliseconds; ``*_ms`` are medians, ``*_min_ms`` minima).

    Args:
        n: number of tasks.
        seed: RNG seed for the graph.
        repeat: runs per engine for QuantumFlow (peers run ``max(1, repeat // 2)`` times).
        peers: also time networkx and plain Python.

    Returns:
        A flat dict: ``n``, ``edges``, ``quantumflow_ms``, ``quantumflow_plan_ms``, and when
        ``peers``: ``networkx_ms``, ``python_ms``, ``speedup_vs_networkx``,
        ``speedup_vs_python``.
    """
    src, dst, cost = random_dag(n, seed)
    qf = _time(lambda: _quantumflow(n, src, dst, cost), repeat)
    dag = Dag(n, src, dst, cost)
    plan = _time(lambda: dag.plan(workers=8), repeat)
    out: dict[str, Any] = {
        "n": n,
        "edges": len(src),
        "quantumflow_ms": statistics.median(qf) * 1e3,
        "quantumflow_min_ms": min(qf) * 1e3,
        "quantumflow_plan_ms": statistics.median(plan) * 1e3,
    }
    if peers:
        slow = max(1, repeat // 2)
        nx_t = _time(lambda: _networkx(n, src, dst, cost), slow)
        py_t = _time(lambda: _python(n, src, dst, cost), slow)
        out |= {
            "networkx_ms": statistics.median(nx_t) * 1e3,
            "python_ms": statistics.median(py_t) * 1e3,
        }
        out["speedup_vs_networkx"] = out["networkx_ms"] / out["quantumflow_ms"]
        out["speedup_vs_python"] = out["python_ms"] / out["quantumflow_ms"]
    return out


def main() -> None:
    """Print the W4 table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = run_w4(args.n, args.seed, args.repeat)
    print(f"W4: {r['n']:,} tasks, {r['edges']:,} edges (build + topological order + critical path)")
    print(f"{'engine':<22}{'ms':>10}{'vs quantumflow':>16}")
    print(f"{'quantumflow (Rust)':<22}{r['quantumflow_ms']:>10.1f}{1.0:>15.1f}x")
    print(f"{'networkx':<22}{r['networkx_ms']:>10.1f}{r['speedup_vs_networkx']:>15.1f}x")
    print(f"{'plain Python':<22}{r['python_ms']:>10.1f}{r['speedup_vs_python']:>15.1f}x")
    print(f"HEFT plan on 8 workers (quantumflow): {r['quantumflow_plan_ms']:.1f} ms")


if __name__ == "__main__":
    main()
