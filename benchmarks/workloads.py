"""Shared, seeded workload graphs for every engine in the harness (issue 10).

Pure Python with no third-party imports, so the peers' own virtualenv can import it. A
:class:`Workload` lists its tasks in topological order, each with the indices of the tasks
whose outputs it sums; every engine runs exactly this graph with trivial bodies
(``sum(inputs) + 1``; W5 sleeps 10 ms) so orchestration dominates.

The graphs are the ones ``benchmarks/overhead.py`` builds for QuantumFlow (same ids, same
seeded random choices); ``tests/benchmarks/test_harness.py`` checks that they agree.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

#: Full-size task counts (``--quick`` uses :data:`QUICK_SIZES`).
FULL_SIZES = {"w1": 1000, "w2": 500, "w3": 5000, "w5": 200}
QUICK_SIZES = {"w1": 100, "w2": 50, "w3": 500, "w5": 40}
#: Concurrency every engine gets (threads/workers/lanes) per workload.
CONCURRENCY = {"w1": 4, "w2": 4, "w3": 4, "w5": 8}
W3_LAYERS = 50
NAP_S = 0.01


@dataclass(frozen=True)
class Workload:
    """One workload graph.

    Attributes:
        name: ``w1``, ``w2``, ``w3`` or ``w5``.
        ids: task ids in topological order.
        ups: per task, the indices of its upstream tasks (all of them feed its inputs).
        concurrency: worker threads/slots every engine gets.
        nap: True when the body sleeps :data:`NAP_S` (W5) instead of summing.
    """

    name: str
    ids: list[str]
    ups: list[list[int]]
    concurrency: int
    nap: bool = False

    @property
    def n(self) -> int:
        """Number of tasks."""
        return len(self.ids)

    def sinks(self) -> list[int]:
        """Tasks nobody depends on: asking for these makes an engine run the whole graph."""
        used = {u for ups in self.ups for u in ups}
        return [i for i in range(self.n) if i not in used]

    def ideal_s(self) -> float:
        """The makespan with zero overhead (W5 only; 0 for the trivial workloads)."""
        return self.n * NAP_S / self.concurrency if self.nap else 0.0


def work(*inputs: int) -> int:
    """The trivial task body every peer runs."""
    return sum(inputs) + 1


def nap(*_inputs: int) -> int:
    """W5's body: sleep 10 ms."""
    time.sleep(NAP_S)
    return 1


def w1(n: int = FULL_SIZES["w1"]) -> Workload:
    """Fan-out/fan-in 1 -> n -> 1."""
    ids = ["root", *(f"t{i}" for i in range(n)), "sink"]
    ups = [[], *([0] for _ in range(n)), list(range(1, n + 1))]
    return Workload("w1", ids, ups, CONCURRENCY["w1"])


def w2(n: int = FULL_SIZES["w2"]) -> Workload:
    """A chain of n."""
    ups = [[]] + [[i - 1] for i in range(1, n)]
    return Workload("w2", [f"t{i}" for i in range(n)], ups, CONCURRENCY["w2"])


def w3(n: int = FULL_SIZES["w3"], *, layers: int = W3_LAYERS, seed: int = 0) -> Workload:
    """n tasks in ``layers`` layers, each depending on 1-3 random tasks of the layer before."""
    rng = random.Random(seed)
    width = n // layers
    ids: list[str] = []
    ups: list[list[int]] = []
    prev: list[int] = []
    for layer in range(layers):
        cur = []
        for j in range(width):
            # same draws, in the same order, as benchmarks/overhead.py's spec_w3
            chosen = rng.sample(prev, rng.randint(1, 3)) if prev else []
            ids.append(f"l{layer}_{j}")
            ups.append(chosen)
            cur.append(len(ids) - 1)
        prev = cur
    return Workload("w3", ids, ups, CONCURRENCY["w3"])


def w5(n: int = FULL_SIZES["w5"]) -> Workload:
    """n independent 10 ms sleeps at concurrency 8."""
    return Workload("w5", [f"t{i}" for i in range(n)], [[] for _ in range(n)], 8, nap=True)


BUILDERS = {"w1": w1, "w2": w2, "w3": w3, "w5": w5}


def build(name: str, n: int) -> Workload:
    """The workload ``name`` (``w1``/``w2``/``w3``/``w5``) with ``n`` as its size parameter."""
    return BUILDERS[name](n)
