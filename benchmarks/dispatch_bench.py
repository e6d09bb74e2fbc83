"""Dispatcher overhead: microseconds per task of ``quantumflow._scheduler.Dispatcher`` alone.

Trivial tasks (no user code, no store), so what is timed is Rust scheduling plus the Python
callbacks and ``complete()`` calls the engine makes. Two shapes:

* fan-out: ``n`` independent tasks completed on a pool, each worker taking the next ready
  task inline (``take=1``), or with ``take=0`` every start going through the run loop's
  ``start`` batches (a thread hop per batch);
* chain: ``n`` tasks in a line, each completion taking its successor inline (``take=1``).

Run: ``.venv/bin/python benchmarks/dispatch_bench.py [--n 20000]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from quantumflow._native import scheduler as qs


def _fan_out(n: int, workers: int, take: int = 1) -> float:
    dag = qs.Dag(n, [], [])
    disp = qs.Dispatcher(dag, max_concurrency=workers * 4)

    def work(task: int, attempt: int) -> None:
        # Loop, don't recurse: with a deep ready queue a worker can keep taking tasks.
        todo = [(task, attempt)]
        while todo:
            t, a = todo.pop()
            todo.extend(disp.complete(t, a, qs.OK, take=take))

    with ThreadPoolExecutor(workers) as pool:

        def start(batch: list[tuple[int, int]]) -> None:
            for t, a in batch:
                pool.submit(work, t, a)

        t0 = time.perf_counter()
        status = disp.run(start, lambda _b: None)
        elapsed = time.perf_counter() - t0
    assert status == "succeeded"
    return elapsed / n


def _chain(n: int) -> float:
    dag = qs.Dag(n, list(range(n - 1)), list(range(1, n)))
    disp = qs.Dispatcher(dag, max_concurrency=1)

    def start(batch: list[tuple[int, int]]) -> None:
        todo = list(batch)
        while todo:
            t, a = todo.pop()
            todo.extend(disp.complete(t, a, qs.OK, take=1))

    t0 = time.perf_counter()
    status = disp.run(start, lambda _b: None)
    elapsed = time.perf_counter() - t0
    assert status == "succeeded"
    return elapsed / n


def run_dispatch(n: int = 20_000, repeat: int = 5, workers: int = 2) -> dict[str, Any]:
    """Median and min microseconds per task for both shapes.

    Args:
        n: tasks per run.
        repeat: runs per shape.
        workers: pool threads for the fan-out.

    Returns:
        ``n``, ``fan_out_us``, ``fan_out_via_start_us``, ``chain_us`` and their ``*_min_us``.
    """
    fan = [_fan_out(n, workers) for _ in range(repeat)]
    hop = [_fan_out(n, workers, take=0) for _ in range(repeat)]
    chain = [_chain(n) for _ in range(repeat)]
    return {
        "n": n,
        "fan_out_us": statistics.median(fan) * 1e6,
        "fan_out_min_us": min(fan) * 1e6,
        "fan_out_via_start_us": statistics.median(hop) * 1e6,
        "fan_out_via_start_min_us": min(hop) * 1e6,
        "chain_us": statistics.median(chain) * 1e6,
        "chain_min_us": min(chain) * 1e6,
    }


def main() -> None:
    """Print the overhead table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = run_dispatch(args.n, args.repeat)
    print(f"Dispatcher overhead, {r['n']:,} trivial tasks (µs per task: median / min)")
    print(f"fan-out on a thread pool : {r['fan_out_us']:6.2f} / {r['fan_out_min_us']:6.2f}")
    hop, hop_min = r["fan_out_via_start_us"], r["fan_out_via_start_min_us"]
    print(f"fan-out, all via start() : {hop:6.2f} / {hop_min:6.2f}")
    print(f"chain, inline successor  : {r['chain_us']:6.2f} / {r['chain_min_us']:6.2f}")


if __name__ == "__main__":
    main()
