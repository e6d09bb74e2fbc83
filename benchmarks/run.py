"""The benchmark harness (issue 10): QuantumFlow vs peer engines, one invocation, one machine state.

    python benchmarks/run.py --json out.json --markdown docs/benchmarks.md \
        [--quick] [--engines quantumflow,dask-threaded,...] \
        [--workloads w1,w2,w3,w5,w4,scale,store,q]

Every engine runs in its own long-lived subprocess (QuantumFlow in this interpreter's
environment, the peers in ``benchmarks/.peers-venv``, created from
``benchmarks/requirements-peers.txt`` on first use); the harness interleaves their runs
(warm-up, then for each repetition every engine once) so ratios share the machine's load;
the engines not being measured are paused (SIGSTOP on their process group: Ray's raylet,
Prefect's API server and dask's cluster would otherwise burn CPU in the background).
Reported per engine and workload: median and min wall time of ``--repeat`` (>= 3) runs and
the CPU time of the engine's process tree; startup (import to first task) separately; the
machine (cores, load average before/after). QuantumFlow runs against one SQLite file under
``--out`` and the harness checks afterwards that every task of every run is recorded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from engines import ENGINES, EngineProcess, importable, startup  # noqa: E402
from peers_env import ensure_peers_venv  # noqa: E402
from workloads import FULL_SIZES, QUICK_SIZES  # noqa: E402

PEER_WORKLOADS = ("w1", "w2", "w3", "w5")
ALL_WORKLOADS = (*PEER_WORKLOADS, "w4", "scale", "store", "q")
DEFAULT_TIMEOUT_S = 600.0


def machine() -> dict[str, Any]:
    """Cores, load, OS and Python of this host."""
    return {
        "cores": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }


def _summary(runs: list[dict[str, Any]], tasks: int) -> dict[str, Any]:
    walls = [r["wall_s"] for r in runs]
    cpus = [r["cpu_s"] for r in runs]
    return {
        "tasks": tasks,
        "runs": len(runs),
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "median_us_per_task": statistics.median(walls) / tasks * 1e6,
        "min_us_per_task": min(walls) / tasks * 1e6,
        "cpu_us_per_task": statistics.median(cpus) / tasks * 1e6,
        "load_avg": round(os.getloadavg()[0], 2),
    }


def run_peers(
    engines: dict[str, tuple[str, EngineProcess]],
    workloads: list[str],
    *,
    sizes: dict[str, int],
    repeat: int,
    timeout: float,
) -> dict[str, dict[str, Any]]:
    """Interleaved runs of every engine on every workload: ``{workload: {engine: result}}``."""
    results: dict[str, dict[str, Any]] = {}
    for wl in workloads:
        msg = {"cmd": "run", "workload": wl, "n": sizes[wl]}
        runs: dict[str, list[dict[str, Any]]] = {e: [] for e in engines}
        failed: dict[str, str] = {}
        for rep in range(repeat + 1):  # repetition 0 warms up (imports, pools, clusters)
            for name, (_, proc) in engines.items():
                if name in failed:
                    continue
                proc.resume()
                answer = proc.request(msg, timeout=timeout)
                proc.pause()
                if not answer.get("ok"):
                    failed[name] = str(answer.get("error"))
                    log(f"  {wl} {name}: FAILED {failed[name]}")
                    continue
                if rep:
                    runs[name].append(answer)
                us = answer["wall_s"] / answer["tasks"] * 1e6
                log(f"  {wl} rep {rep} {name}: {us:.1f} us/task")
        results[wl] = {}
        for name in engines:
            if name in failed:
                results[wl][name] = {"error": failed[name]}
            else:
                results[wl][name] = _summary(runs[name], runs[name][0]["tasks"])
    return results


def log(text: str) -> None:
    """Progress on stderr."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _oneshot(code: str, *, timeout: float) -> Any:
    """Run ``code`` (which prints one JSON line last) in a fresh interpreter of this venv."""
    proc = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE.parent)!r})\n{code}"],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=HERE.parent,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def extras(workloads: list[str], *, quick: bool, out: Path, timeout: float) -> dict[str, Any]:
    """W4, Scale, Store and Quantum: QuantumFlow-only benchmarks, each in a fresh process."""
    res: dict[str, Any] = {}
    if "w4" in workloads:
        n, rep = (10_000, 3) if quick else (100_000, 5)
        log(f"W4 planning, {n} nodes")
        res["w4"] = _oneshot(
            "import json; from benchmarks.plan_bench import run_w4\n"
            f"print(json.dumps(run_w4({n}, 0, {rep})))",
            timeout=timeout,
        )
    if "scale" in workloads:
        sizes = [1_000, 5_000] if quick else [10_000, 100_000]
        log(f"Scale {sizes}")
        res["scale"] = _oneshot(
            "import json; from benchmarks.scale import run_scale\n"
            f"print(json.dumps(run_scale({sizes}, db={str(out / 'scale.db')!r})))",
            timeout=timeout * 3,
        )
    if "store" in workloads:
        log("Store")
        res["store"] = _oneshot(
            "import json; from benchmarks.store_bench import run_store\n"
            f"print(json.dumps(run_store(tasks={2000 if quick else 20000})))",
            timeout=timeout,
        )
    if "q" in workloads:
        log("Quantum Q1-Q3")
        res["quantum"] = _oneshot(
            "import json; from benchmarks.quantum_bench import run_quantum_benchmarks\n"
            f"print(json.dumps(run_quantum_benchmarks({quick}), default=str))",
            timeout=timeout * 2,
        )
    return res


def check_store(dbs: list[Path]) -> dict[str, Any]:
    """Every QuantumFlow run in ``dbs`` finished and recorded every task as succeeded."""
    from quantumflow.store import open_store

    runs = tasks = missing = 0
    for db in dbs:
        if not db.exists():
            continue
        with open_store(f"sqlite:///{db}", artifacts_dir=db.parent / "artifacts") as store:
            for rec in store.list_runs(limit=1_000_000):
                full = store.get_run(rec.id)
                runs += 1
                tasks += len(full.tasks)
                bad = sum(1 for t in full.tasks.values() if t.status != "succeeded")
                missing += bad + (full.status != "succeeded")
    return {"runs": runs, "tasks": tasks, "not_succeeded": missing}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, default=None, help="write all results here")
    ap.add_argument("--markdown", type=Path, default=None, help="update this benchmarks page")
    ap.add_argument("--quick", action="store_true", help="small sizes (what `make test` runs)")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--workloads", default=None, help=f"default: {','.join(ALL_WORKLOADS)}")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="per run, seconds")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="store file, logs")
    ap.add_argument("--peers-python", default=None, help="interpreter with the peers installed")
    ap.add_argument("--plots", type=Path, default=None, help="PNG folder (default: docs/img)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks, write JSON/markdown/plots."""
    args = parse_args(argv)
    if args.repeat < 3:
        raise SystemExit("--repeat must be at least 3 (median and min of >= 3 runs)")
    default = ",".join((*PEER_WORKLOADS, "w4", "scale")) if args.quick else ",".join(ALL_WORKLOADS)
    workloads = [w.strip().lower() for w in (args.workloads or default).split(",") if w.strip()]
    unknown = set(workloads) - set(ALL_WORKLOADS)
    wanted = [e.strip() for e in args.engines.split(",") if e.strip()]
    if unknown or set(wanted) - set(ENGINES):
        raise SystemExit(
            f"unknown workloads/engines: {sorted(unknown | (set(wanted) - set(ENGINES)))}"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "quantumflow-bench.db"
    for stale in (db, args.out / "scale.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{stale}{suffix}").unlink(missing_ok=True)
    started = time.time()
    report: dict[str, Any] = {
        "command": "python benchmarks/run.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "repeat": args.repeat,
        "machine_before": machine(),
        "versions": {},
        "startup": {},
        "skipped": {},
    }
    peers_python = args.peers_python
    if peers_python is None and any(ENGINES[e].peer for e in wanted):
        try:
            peers_python = str(ensure_peers_venv())
        except (OSError, subprocess.CalledProcessError) as err:
            log(f"cannot build the peers' venv ({err}); trying this interpreter")
            peers_python = sys.executable
    env = {"QF_BENCH_DB": str(db), "PREFECT_HOME": str(args.out / "prefect-home")}
    if "quantumflow" in wanted:  # startup is timed on an existing store, as users have
        import compileall

        import quantumflow
        from quantumflow.store import open_store

        open_store(f"sqlite:///{db}", artifacts_dir=args.out / "artifacts").close()
        # Bytecode as a wheel install leaves it (pip compiles the peers' venv the same way);
        # an editable checkout under PYTHONDONTWRITEBYTECODE would otherwise compile every
        # module from source at each start.
        compileall.compile_dir(str(Path(quantumflow.__file__).parent), quiet=1)
    logfile = (args.out / "engines.log").open("w")
    procs: dict[str, tuple[str, EngineProcess]] = {}
    for name in wanted:
        spec = ENGINES[name]
        python = peers_python if spec.peer else sys.executable
        assert python is not None
        if not importable(name, python):
            report["skipped"][name] = f"not importable by {python}"
            log(f"skip {name}: not importable by {python}")
            continue
        log(f"startup {name}")
        times = [
            startup(spec, python, env=env, log=logfile, timeout=args.timeout) for _ in range(3)
        ]
        ok = [t for t in times if t is not None]
        report["startup"][name] = (
            {"median_ms": statistics.median(ok) * 1e3, "min_ms": min(ok) * 1e3} if ok else None
        )
        proc = EngineProcess(spec, python, env=env, log=logfile)
        info = proc.request({"cmd": "info"}, timeout=args.timeout)
        report["versions"][name] = info.get("versions", {"error": info.get("error")})
        proc.pause()  # idle engines stay stopped while the others are measured
        procs[name] = (python, proc)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    try:
        report["workloads"] = run_peers(
            procs,
            [w for w in workloads if w in PEER_WORKLOADS],
            sizes=sizes,
            repeat=args.repeat,
            timeout=args.timeout,
        )
    finally:
        for _, proc in procs.values():
            proc.close()
        logfile.close()
    report.update(extras(workloads, quick=args.quick, out=args.out, timeout=args.timeout))
    if "quantumflow" in procs or "scale" in workloads:
        report["durability"] = check_store([db, args.out / "scale.db"])
    report["machine_after"] = machine()
    report["elapsed_s"] = round(time.time() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    if args.markdown:
        from plots import write_plots
        from report import update_markdown

        img = args.plots or args.markdown.parent / "img"
        pngs = write_plots(report, img)
        update_markdown(args.markdown, report, [p.relative_to(args.markdown.parent) for p in pngs])
    from report import console_table

    sys.stdout.write(console_table(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
