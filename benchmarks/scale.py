"""Scale: 10^4- and 10^5-task fan-outs through ``quantumflow.run`` (time and memory per task).

Each size runs in a fresh process (so peak RSS belongs to that run alone): root -> n
leaves -> sink (the W1 spec of ``benchmarks/overhead.py``), threads executor, every state
in SQLite. Reported: µs/task (wall and CPU), peak RSS growth per task, and the throughput
of each tenth of the run (from the store's ``finished_at``), which must stay flat as the
run grows.

Usage: ``python benchmarks/scale.py [--n 10000 100000] [--db FILE]``; the harness calls
:func:`run_scale`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def measure(n: int, db: str) -> dict[str, Any]:
    """Run one fan-out of ``n`` leaves in this process and return its numbers."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.overhead import _task_spec_warmup, spec_w1
    from quantumflow.engine import open_db, run
    from quantumflow.spec.loader import load_spec

    store = open_db(f"sqlite:///{db}")
    run(load_spec(_task_spec_warmup()), db=store)
    spec = load_spec(spec_w1(n))
    tasks = len(spec.tasks)
    rss0 = _rss_bytes()
    c0, t0 = time.process_time(), time.perf_counter()
    result = run(spec, db=store)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    record = store.get_run(result.id)
    finished = sorted(t.finished_at for t in record.tasks.values() if t.finished_at)
    recorded = sum(1 for t in record.tasks.values() if t.status == "succeeded")
    store.close()
    start = record.started_at or finished[0]
    tenth = max(1, len(finished) // 10)
    deciles = []
    for k in range(10):
        lo = start if k == 0 else finished[k * tenth - 1]
        hi = finished[min(len(finished), (k + 1) * tenth) - 1]
        deciles.append(round((hi - lo) / tenth * 1e6, 1))
    return {
        "n": tasks,
        "status": result.status,
        "recorded": recorded,
        "wall_s": wall,
        "us_per_task": wall / tasks * 1e6,
        "cpu_us_per_task": cpu / tasks * 1e6,
        "peak_rss_mb": peak / 2**20,
        "rss_growth_bytes_per_task": max(0, peak - rss0) / tasks,
        "decile_us_per_task": deciles,
    }


def run_scale(
    sizes: list[int], *, db: str | None = None, timeout: float = 900
) -> list[dict[str, Any]]:
    """Each size in a fresh process; returns one dict per size."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = db or str(Path(tmp) / "scale.db")
            proc = subprocess.run(
                [sys.executable, __file__, "--n", str(n), "--db", path, "--child"],
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=ROOT,
                check=False,
            )
            if proc.returncode != 0:
                out.append({"n": n, "error": proc.stderr.strip().splitlines()[-1:]})
                continue
            out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    """Print the numbers as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db", default=None)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.stdout.write(json.dumps(measure(args.n[0], args.db)) + "\n")
        return
    sys.stdout.write(json.dumps(run_scale(args.n, db=args.db), indent=2) + "\n")


if __name__ == "__main__":
    main()
