"""CLI commands of the cost estimator: ``estimate``, ``calibrate``, ``perf``.

:mod:`quantumflow.cli.main` calls :func:`register` with its ``add(name, fn, help)`` helper.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from .output import parse_params, print_table, write_json

EXIT_OK, EXIT_OVER_BUDGET = 0, 1


def cmd_estimate(args: argparse.Namespace) -> int:
    """Print the estimate; exit 1 when it is over the workflow's budget."""
    from ..cost.workflow import estimate_workflow

    est = estimate_workflow(
        args.path, db=args.db, workers=args.workers, params=parse_params(args.param)
    )
    if args.json:
        write_json(est)
    else:
        _print_estimate(est)
    return EXIT_OVER_BUDGET if est["within_budget"] is False else EXIT_OK


def _print_estimate(est: dict[str, Any]) -> None:
    console = print_table(
        f"estimate: {est['workflow']}",
        ("task", "seconds", "USD", "from", "note"),
        (
            (tid, f"{t['seconds']:.3g}", f"{t['usd']:.2f}", t["source"], t.get("note", ""))
            for tid, t in est["tasks"].items()
        ),
    )
    lines = [
        f"makespan ≈ {est['makespan_seconds']:.3g} s on {est['workers']} slots "
        f"(work {est['total_seconds']:.3g} s), cost ≈ {est['total_usd']:.2f} USD",
        "critical path: " + " -> ".join(est["critical_path"]),
    ]
    if est["within_budget"] is not None:
        lines.append("within budget" if est["within_budget"] else "OVER BUDGET")
    for backend, src in est["prices"].items():
        lines.append(f"price of {backend}: {src['source']} (as of {src['as_of']})")
    console.print("\n".join(lines), highlight=False)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Time local simulators and store their models."""
    from ..cost.calibrate import calibrate

    report = calibrate(args.db, backends=args.backend or None, seconds=args.seconds)
    if args.json:
        write_json(report)
        return EXIT_OK
    for name, row in report.items():
        if "error" in row:
            sys.stdout.write(f"{name}: skipped ({row['error']})\n")
        else:
            sys.stdout.write(f"{name}: {row['samples']} circuits in {row['seconds']:.1f} s\n")
    return EXIT_OK


def cmd_perf(args: argparse.Namespace) -> int:
    """Where a run's time went, next to its plan."""
    from ..cost.compare import plan_vs_actual
    from ..cost.report import run_summary
    from ..store.shared import shared_store as open_db

    store = open_db(args.db)
    data = {"summary": run_summary(store, args.run_id), "plan": plan_vs_actual(store, args.run_id)}
    if args.json:
        write_json(data)
        return EXIT_OK
    s, p = data["summary"], data["plan"]
    predicted = p["predicted_makespan_s"]
    sys.stdout.write(
        f"run {args.run_id}: {s['status']}, makespan {s['makespan_s']:.3f} s"
        + (f" (planned {predicted:.3f} s)" if predicted is not None else "")
        + f", busy {s['busy_s']:.3f} s, cost {s['cost_usd']:.2f} USD\n"
        f"critical path taken: {' -> '.join(s['critical_path'])}\n"
    )
    for name, r in s["resources"].items():
        util = r["utilisation"]
        sys.stdout.write(
            f"  {name}: {r['tasks']} tasks, busy {r['busy_s']:.3f} s"
            + (f", utilisation {util:.0%}" if util is not None else "")
            + "\n"
        )
    return EXIT_OK


def register(add: Callable[..., Any]) -> None:
    """Add ``estimate``, ``calibrate`` and ``perf`` to the ``quantumflow`` command."""
    p = add("estimate", cmd_estimate, "predicted time and cost of a workflow (before running)")
    p.add_argument("path")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--workers", type=int, default=None, help="slots to plan over")
    p.add_argument("--db", default=None, help="database path or SQLAlchemy URL")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p = add("calibrate", cmd_calibrate, "time the local simulators and store the cost model")
    p.add_argument("--backend", action="append", default=[], help="only this one (repeatable)")
    p.add_argument("--seconds", type=float, default=25.0, help="total time budget")
    p.add_argument("--db", default=None)
    p.add_argument("--json", action="store_true")
    p = add("perf", cmd_perf, "a run's makespan, critical path, utilisation vs its plan")
    p.add_argument("run_id")
    p.add_argument("--db", default=None)
    p.add_argument("--json", action="store_true")
