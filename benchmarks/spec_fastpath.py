"""Does the spec checker's generated fast path pay? W3's spec checked and dumped, and a whole
W3 run's CPU in the engine's process, with the fast paths and without (interleaved runs).

Usage: ``python benchmarks/spec_fastpath.py [--rounds 6]``. The issue's rule: keep the
generated code only if it saves at least 10 % on W3.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _one(mode: str) -> dict[str, float]:
    """One fresh process: parse/dump times (min of 15) and a W3 run's process CPU (median)."""
    import quantumflow
    from benchmarks.overhead import spec_w3
    from quantumflow.spec import WorkflowSpec, checker

    data = spec_w3()
    scope = checker.full_checks_only() if mode == "off" else contextlib.nullcontext()
    with scope, tempfile.TemporaryDirectory() as tmp:
        parse, dump = [], []
        for _ in range(18):
            t0 = time.process_time()
            spec = WorkflowSpec.parse(data)
            t1 = time.process_time()
            spec.to_dict()
            parse.append(t1 - t0)
            dump.append(time.process_time() - t1)
        cpu = []
        for _ in range(6):
            t0 = time.process_time()
            assert quantumflow.run(data, db=f"sqlite:///{tmp}/b.db").status == "succeeded"
            cpu.append(time.process_time() - t0)
    return {
        "parse_ms": min(parse[3:]) * 1e3,
        "dump_ms": min(dump[3:]) * 1e3,
        "w3_cpu_ms": statistics.median(cpu[1:]) * 1e3,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--one", choices=("on", "off"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        sys.stdout.write(json.dumps(_one(args.one)) + "\n")
        return 0
    results: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
    for _ in range(args.rounds):
        for mode in ("on", "off"):
            out = subprocess.run(
                [sys.executable, __file__, "--one", mode],
                cwd=ROOT, capture_output=True, text=True, check=True,
            )  # fmt: skip
            results[mode].append(json.loads(out.stdout.splitlines()[-1]))
    for key in ("parse_ms", "dump_ms", "w3_cpu_ms"):
        on = statistics.median(r[key] for r in results["on"])
        off = statistics.median(r[key] for r in results["off"])
        saved = 1 - on / off
        sys.stdout.write(
            f"{key:10s} fast paths {on:7.1f}   without {off:7.1f}   saved {saved:5.1%}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
