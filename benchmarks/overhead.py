"""Engine overhead: microseconds per task through ``quantumflow.run``, every state in SQLite.

Workloads (issue 10), trivial tasks returning ``sum(inputs) + 1`` so orchestration dominates:

- W1: fan-out/fan-in 1 -> 1000 -> 1
- W2: a chain of 500 (µs per hop)
- W3: 5,000 tasks in 50 layers, each depending on 1-3 random tasks of the layer before
- W5: 200 tasks sleeping 10 ms at concurrency 8 (makespan vs the ideal 250 ms)

Usage: ``python benchmarks/overhead.py [--repeat 3] [--json out.json]``. The harness
imports ``run_w1`` ... ``run_w5``; each returns a dict of numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FN = "benchmarks.overhead:work"


def work(**inputs: Any) -> int:
    """The trivial task body."""
    return sum(inputs.values()) + 1


def nap(**inputs: Any) -> int:
    """W5's task body: sleep 10 ms."""
    time.sleep(0.01)
    return 1


def _task(tid: str, ups: list[str], fn: str = FN) -> dict[str, Any]:
    return {
        "id": tid,
        "kind": "classical",
        "fn": fn,
        "inputs": {f"i{k}": {"ref": u} for k, u in enumerate(ups)},
    }


def spec_w1(n: int = 1000) -> dict[str, Any]:
    tasks = [_task("root", [])]
    tasks += [_task(f"t{i}", ["root"]) for i in range(n)]
    tasks.append({**_task("sink", []), "depends_on": [f"t{i}" for i in range(n)]})
    return {"name": "w1", "policies": {"max_concurrency": 4}, "tasks": tasks}


def spec_w2(n: int = 500) -> dict[str, Any]:
    tasks = [_task("t0", [])] + [_task(f"t{i}", [f"t{i - 1}"]) for i in range(1, n)]
    return {"name": "w2", "policies": {"max_concurrency": 4}, "tasks": tasks}


def spec_w3(n: int = 5000, layers: int = 50, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    width = n // layers
    tasks: list[dict[str, Any]] = []
    prev: list[str] = []
    for layer in range(layers):
        cur = []
        for j in range(width):
            tid = f"l{layer}_{j}"
            ups = rng.sample(prev, rng.randint(1, 3)) if prev else []
            tasks.append(_task(tid, ups))
            cur.append(tid)
        prev = cur
    return {"name": "w3", "policies": {"max_concurrency": 4}, "tasks": tasks}


def spec_w5(n: int = 200, concurrency: int = 8) -> dict[str, Any]:
    tasks = [_task(f"t{i}", [], fn="benchmarks.overhead:nap") for i in range(n)]
    return {"name": "w5", "policies": {"max_concurrency": concurrency}, "tasks": tasks}


class _Timed:
    """Wraps store methods to split a run's wall time into phases (create_run, flush, ...)."""

    def __init__(self, target: Any, names: tuple[str, ...]) -> None:
        self.spent: dict[str, float] = dict.fromkeys(names, 0.0)
        self._target = target
        self._saved = {name: getattr(target, name) for name in names}
        for name, fn in self._saved.items():
            setattr(target, name, self._wrap(name, fn))

    def restore(self) -> None:
        for name, fn in self._saved.items():
            setattr(self._target, name, fn)

    def _wrap(self, name: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - t0

        return timed


def _without_writes(store: Any) -> None:
    """Diagnostic only (``--engine-only``): the store's per-run and per-task writes become
    no-ops, leaving the engine's own cost (validate, plan, dispatch, Python per attempt)."""
    store.record = lambda events: None
    store.put_output = lambda value: "inline:null"
    store.create_run = lambda **kw: f"diag-{time.perf_counter_ns()}"
    store.set_run_status = lambda *a, **kw: None
    store.save_schedule = lambda *a, **kw: None
    store.start_run = lambda *a, **kw: None  # 'running' + schedule in one commit
    store.cancel_requested = lambda run_id: False


def _measure(
    spec: dict[str, Any], *, repeat: int, db: str | None, engine_only: bool = False
) -> dict[str, Any]:
    from quantumflow.engine import open_db, run
    from quantumflow.spec.loader import load_spec

    parsed = load_spec(spec)  # parsing the spec is not dispatch overhead
    n = len(parsed.tasks)
    with tempfile.TemporaryDirectory() as tmp:
        url = db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = open_db(url)
        run(load_spec(_task_spec_warmup()), db=store)  # open, migrate, warm imports
        import quantumflow.engine.api as engine_api

        timed = _Timed(store, ("create_run", "flush"))
        planning = _Timed(engine_api, ("make_plan",))
        if engine_only:
            _without_writes(store)
        times: list[float] = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = run(parsed, db=store)
            times.append(time.perf_counter() - t0)
            assert result.status == "succeeded", result
            if not engine_only:
                record = store.get_run(result.id)  # durability: every task is in the store
                done = sum(1 for t in record.tasks.values() if t.status == "succeeded")
                assert done == n, f"{done}/{n} tasks recorded"
        store.close()
        planning.restore()
    return {
        "tasks": n,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "median_us_per_task": statistics.median(times) / n * 1e6,
        "min_us_per_task": min(times) / n * 1e6,
        "runs": len(times),
        # mean per task over all runs: inserting the run's rows, and waiting at the end for
        # the store's writer to commit what the workers produced faster than it writes
        "create_run_us_per_task": timed.spent["create_run"] / len(times) / n * 1e6,
        "final_flush_us_per_task": timed.spent["flush"] / len(times) / n * 1e6,
        # cost estimates (the estimator reads the store's history) + Rust plan + schedule
        "plan_us_per_task": planning.spent["make_plan"] / len(times) / n * 1e6,
    }


def _task_spec_warmup() -> dict[str, Any]:
    return {"name": "warmup", "tasks": [_task("a", []), _task("b", ["a"])]}


def run_w1(
    n: int = 1000, *, repeat: int = 3, db: str | None = None, engine_only: bool = False
) -> dict[str, Any]:
    """W1 fan-out/fan-in 1 -> n -> 1."""
    out = _measure(spec_w1(n), repeat=repeat, db=db, engine_only=engine_only)
    return {"workload": "W1", **out}


def run_w2(
    n: int = 500, *, repeat: int = 3, db: str | None = None, engine_only: bool = False
) -> dict[str, Any]:
    """W2 chain of n (µs per hop = µs per task)."""
    out = _measure(spec_w2(n), repeat=repeat, db=db, engine_only=engine_only)
    return {"workload": "W2", **out}


def run_w3(
    n: int = 5000,
    *,
    repeat: int = 3,
    db: str | None = None,
    seed: int = 0,
    engine_only: bool = False,
) -> dict[str, Any]:
    """W3 layered random DAG (50 layers)."""
    out = _measure(spec_w3(n, seed=seed), repeat=repeat, db=db, engine_only=engine_only)
    return {"workload": "W3", **out}


def run_w5(
    n: int = 200, *, repeat: int = 3, db: str | None = None, engine_only: bool = False
) -> dict[str, Any]:
    """W5 n sleeps of 10 ms at concurrency 8; ratio = makespan / ideal."""
    out = _measure(spec_w5(n), repeat=repeat, db=db, engine_only=engine_only)
    ideal = n * 0.01 / 8
    return {
        "workload": "W5",
        **out,
        "ideal_s": ideal,
        "ratio_to_ideal": out["median_s"] / ideal,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--workloads", default="w1,w2,w3,w5")
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="diagnostic: store writes become no-ops (nothing is durable)",
    )
    args = parser.parse_args(argv)
    fns = {"w1": run_w1, "w2": run_w2, "w3": run_w3, "w5": run_w5}
    rows = [
        fns[w](repeat=args.repeat, engine_only=args.engine_only) for w in args.workloads.split(",")
    ]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    print(
        f"{'workload':<9}{'tasks':>7}{'median µs/task':>16}{'min µs/task':>13}{'median s':>10}"
        f"{'create_run µs':>15}{'final flush µs':>16}{'plan µs':>9}"
    )
    for r in rows:
        print(
            f"{r['workload']:<9}{r['tasks']:>7}{r['median_us_per_task']:>16.1f}"
            f"{r['min_us_per_task']:>13.1f}{r['median_s']:>10.3f}"
            f"{r['create_run_us_per_task']:>15.1f}{r['final_flush_us_per_task']:>16.1f}"
            f"{r['plan_us_per_task']:>9.1f}"
            + (f"   ({r['ratio_to_ideal']:.3f}x ideal)" if "ratio_to_ideal" in r else "")
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
