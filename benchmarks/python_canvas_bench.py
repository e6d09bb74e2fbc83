"""Python <-> canvas at scale: Export as Python, running the exported code, networkx both ways.

The workload is a layered DAG as sweeps and QAOA grids make them: ``width`` tasks per layer,
each reading one output of the layer before (plus a parameter and a literal), every task
with a designer position. Timed per size (median and best of ``repeat``):

- ``export``: ``export_python(spec)`` (what ``POST /api/workflows/python`` does);
- ``rebuild``: executing that code (the DSL builds the spec again) and reading ``wf.spec``;
- ``to_nx`` / ``from_nx``: ``Workflow.to_networkx()`` and ``Workflow.from_networkx(g)``.

Every round trip is checked equal to the original spec.

Usage: ``python benchmarks/python_canvas_bench.py [--sizes 1000 10000 100000] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quantumflow.dsl import Workflow, export_python
from quantumflow.spec import WorkflowSpec


def layered(n: int, width: int = 100) -> WorkflowSpec:
    """``n`` tasks in layers of ``width``; task ``i`` reads task ``i - width``'s ``value``."""
    tasks: list[dict[str, Any]] = []
    layout = {}
    for i in range(n):
        inputs: dict[str, Any] = {"scale": {"param": "scale"}, "offset": i % 7}
        if i >= width:
            inputs["value"] = {"ref": f"t{i - width}.value"}
        tasks.append({"id": f"t{i}", "kind": "classical", "fn": "constant", "inputs": inputs})
        layout[f"t{i}"] = {"x": 220.0 * (i // width), "y": 60.0 * (i % width)}
    return WorkflowSpec.parse(
        {"name": f"layered-{n}", "params": {"scale": 2}, "tasks": tasks, "layout": layout}
    )


def _timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - t0)
    return times, out


def _rebuild(code: str) -> WorkflowSpec:
    ns: dict[str, Any] = {}
    exec(compile(code, "<exported>", "exec"), ns)
    spec: WorkflowSpec = ns["wf"].spec
    return spec


def run(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """One row per size and step: seconds (median, best) and the code's size."""
    rows = []
    for n in sizes:
        spec = layered(n)
        wf = Workflow.from_spec(spec)
        t_export, code = _timed(lambda s=spec: export_python(s), repeat)
        t_rebuild, back = _timed(lambda c=code: _rebuild(c), repeat)
        assert back == spec
        t_to, graph = _timed(wf.to_networkx, repeat)
        t_from, again = _timed(lambda g=graph: Workflow.from_networkx(g), repeat)
        assert again.spec == spec
        for step, times in (
            ("export", t_export),
            ("rebuild", t_rebuild),
            ("to_nx", t_to),
            ("from_nx", t_from),
        ):
            rows.append(
                {
                    "tasks": n,
                    "step": step,
                    "median_s": statistics.median(times),
                    "min_s": min(times),
                    "code_mb": round(len(code) / 1e6, 2),
                }
            )
    rows.append(
        {"step": "max_rss_mb", "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    rows = run(args.sizes, args.repeat)
    for row in rows:
        if "median_s" in row:
            print(
                f"{row['tasks']:>8,} tasks {row['step']:<8} median {row['median_s']:.3f} s"
                f"  min {row['min_s']:.3f} s  (code {row['code_mb']} MB)"
            )
        else:
            print(f"max RSS {row['value']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
