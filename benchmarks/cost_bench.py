"""Scheduling: the cost-aware (HEFT) plan vs FIFO/topological dispatch, actually run.

A DAG with heterogeneous task costs and few slots: short independent tasks declared first,
then a chain of long tasks of varying length, then a join. Tasks sleep their cost, so the
two cores' load does not change the answer. Both policies run through the engine (Rust
Dispatcher, lanes, SQLite store) with ``max_concurrency`` = slots:

- FIFO: priorities follow the topological (declaration) order — what a queue does;
- HEFT: a plain ``quantumflow.run``; the estimator learns each task's cost from the FIFO
  run's history in ``performance_metrics`` and the plan ranks by upward rank.

The lower bound is ``max(critical path, total work / slots)`` from the costs.

Usage: ``python benchmarks/cost_bench.py [--quick] [--json out.json]``; the harness imports
:func:`run_cost_benchmark`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

FN = "benchmarks.cost_bench:nap"
#: Chain tasks' costs in units; short tasks' costs cycle through SHORTS.
CHAIN = (2.0, 3.0, 1.0, 2.0, 3.0, 1.0)
SHORTS = (0.5, 1.0, 1.5, 0.5, 2.0, 1.0, 1.5, 0.5, 1.0, 2.0, 0.5, 1.0)
JOIN = 0.5
SLOTS = 2


def nap(s: float = 0.0, **_: Any) -> float:
    """Sleep ``s`` seconds (the benchmark's task body)."""
    time.sleep(s)
    return s


def bench_spec(unit: float) -> dict[str, Any]:
    """The benchmark DAG with ``unit`` seconds per cost unit."""
    tasks: list[dict[str, Any]] = []

    def add(tid: str, cost: float, deps: list[str]) -> None:
        tasks.append(
            {
                "id": tid,
                "kind": "classical",
                "fn": FN,
                "inputs": {"s": cost * unit},
                "depends_on": deps,
            }
        )

    for i, c in enumerate(SHORTS):
        add(f"short{i}", c, [])
    for i, c in enumerate(CHAIN):
        add(f"chain{i}", c, [f"chain{i - 1}"] if i else [])
    add("join", JOIN, [t["id"] for t in tasks])
    return {"name": "scheduling-bench", "tasks": tasks, "policies": {"max_concurrency": SLOTS}}


def lower_bound(unit: float) -> dict[str, float]:
    """Critical path, total work / slots and their max, in seconds."""
    work = (sum(CHAIN) + sum(SHORTS) + JOIN) * unit
    path = (sum(CHAIN) + JOIN) * unit
    return {
        "critical_path_s": path,
        "work_per_slot_s": work / SLOTS,
        "bound_s": max(path, work / SLOTS),
    }


def run_fifo(spec: dict[str, Any], store: Any) -> Any:
    """Run ``spec`` through the engine with priorities in topological (declaration) order."""
    from quantumflow.engine.plan import make_plan
    from quantumflow.engine.runner import Runner
    from quantumflow.executors import get_executor
    from quantumflow.graph.validate import validate
    from quantumflow.spec.loader import load_spec

    vw = validate(load_spec(spec))
    n = len(vw.ids)
    base = make_plan(vw, workers=SLOTS, store=None)  # unit costs: the FIFO run knows nothing
    topo = {t: pos for pos, t in enumerate(vw.dag.topological_order())}
    plan = type(base)(
        base.dag, [float(n - topo[i]) for i in range(n)], {**base.schedule, "policy": "fifo"}
    )
    run_id = store.create_run(spec=vw.spec, task_ids=vw.ids, params={})
    executor = get_executor("threads", workers=SLOTS)
    try:
        runner = Runner(
            vw,
            plan,
            store=store,
            run_id=run_id,
            executor=executor,
            params={},
            lanes=SLOTS,
            on_event=None,
            done={},
        )
        return runner.execute()
    finally:
        executor.shutdown()


def predicted(unit: float) -> dict[str, float]:
    """The Rust planner's makespans for both policies, with the true costs."""
    from quantumflow._native import scheduler as _scheduler
    from quantumflow.graph.validate import validate
    from quantumflow.spec.loader import load_spec

    vw = validate(load_spec(bench_spec(unit)))
    costs = [float(t.inputs["s"]) for t in vw.spec.tasks]  # type: ignore[union-attr]
    dag = _scheduler.Dag(len(costs), vw.src, vw.dst, costs)
    return {p: dag.plan(workers=SLOTS, policy=p).makespan for p in ("fifo", "heft")}


def monitor_overhead(n: int = 20_000) -> dict[str, float]:
    """Microseconds the monitor adds per attempt (``attempt_metrics``), classical and quantum.

    The rows themselves ride the store's group commits with the task's final event, which
    the engine writes anyway; this is the extra work on the worker thread.
    """
    from quantumflow.engine.metrics import attempt_metrics
    from quantumflow.spec import ClassicalTask, QuantumTask

    c = ClassicalTask(id="c", fn=FN)
    q = QuantumTask.parse(
        {"id": "q", "backend": "qiskit.aer", "circuit": {"builtin": "ghz", "args": {"n": 3}}}
    )
    value = {
        "counts": {"000": 500, "111": 524},
        "metadata": {
            "qubits": 3,
            "depth": 4,
            "gates": {"h": 1, "cx": 2, "measure": 3},
            "transpiled": {"depth": 5, "gates": {"h": 1, "cx": 2}},
            "job_id": "x",
            "timings": {"transpile": 0.001, "queue": 0.0, "execute": 0.002},
        },
    }
    out: dict[str, float] = {}
    for name, task, val in (("classical", c, 1.0), ("quantum", q, value)):
        start = time.perf_counter()
        for _ in range(n):
            attempt_metrics(task, val, {"started_at": 0.0, "wall_s": 0.0, "cpu_s": 0.0}, local=True)
        out[f"monitor_{name}_us"] = (time.perf_counter() - start) / n * 1e6
    return out


def run_cost_benchmark(quick: bool = True, *, repeat: int | None = None) -> dict[str, Any]:
    """Run FIFO then HEFT ``repeat`` times each; return the makespans, ratio and bound."""
    from quantumflow.engine import open_db, run

    unit = 0.05 if quick else 0.2
    repeat = repeat or (1 if quick else 3)
    spec = bench_spec(unit)
    fifo: list[float] = []
    heft: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_db(str(Path(tmp) / "bench.db"))
        for _ in range(repeat):
            r = run_fifo(spec, store)
            assert r.status == "succeeded", r.error
            fifo.append(r.finished_at - r.started_at)
            h = run(spec, db=store, workers=SLOTS)
            assert h.status == "succeeded", h.error
            heft.append(h.finished_at - h.started_at)  # type: ignore[operator]
        plan = store.get_schedule(h.id) or {}
        store.close()
    bound = lower_bound(unit)
    f, hm = statistics.median(fifo), statistics.median(heft)
    return {
        "unit_s": unit,
        "slots": SLOTS,
        "tasks": len(spec["tasks"]),
        "runs": repeat,
        "fifo_makespan_s": f,
        "heft_makespan_s": hm,
        "heft_over_fifo": hm / f,
        "heft_over_bound": hm / bound["bound_s"],
        "heft_planned_makespan_s": plan.get("makespan"),
        "predicted": predicted(unit),
        **bound,
        **monitor_overhead(5_000 if quick else 20_000),
    }


def main() -> None:
    """Command line: print (and optionally save) the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    out = run_cost_benchmark(args.quick)
    text = json.dumps(out, indent=2)
    sys.stdout.write(text + "\n")
    if args.json:
        Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
